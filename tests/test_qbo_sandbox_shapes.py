"""Every sandbox answer has the shape of the recorded QBO answer of the same kind, and uses only
fields of Intuit's XSD."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
import requests

from crocoqb_desktop.sandbox.qbo_server import QboSandbox
from crocoqb_desktop.sandbox.xsd_model import load_field_model
from tests.conftest import QBO_FIXTURES
from tests.plugins.qbo_sandbox_fixtures import QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_REALM, SandboxApi


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "list" if isinstance(value, list) else "object"


def _same_shape(got: Any, want: Any, path: str = "$") -> list[str]:
    """Differences of JSON types for keys present in both (list items matched by DetailType/TxnType)."""
    problems: list[str] = []
    if _kind(got) != _kind(want):
        return [f"{path}: {_kind(got)} != {_kind(want)}"]
    if isinstance(got, dict):
        for key in set(got) & set(want):
            problems += _same_shape(got[key], want[key], f"{path}.{key}")
    elif isinstance(got, list) and got and want:
        for i, item in enumerate(got):
            match = want[0]
            if isinstance(item, dict):
                for candidate in want:
                    if isinstance(candidate, dict) and all(
                        candidate.get(k) == item.get(k) for k in ("DetailType", "TxnType") if k in item
                    ):
                        match = candidate
                        break
            problems += _same_shape(item, match, f"{path}[{i}]")
    return problems


def _fixture(name: str) -> Any:
    return json.loads((QBO_FIXTURES / name).read_text(encoding="utf-8"), parse_float=Decimal)


def _check(
    got: dict[str, Any],
    fixture: str,
    entity: str | None = None,
    missing_ok: set[str] | frozenset[str] = frozenset(),
    envelope: bool = True,
) -> None:
    want = _fixture(fixture)
    model = load_field_model()
    if envelope:
        assert model.unknown_fields("IntuitResponse", got) == [], fixture
        assert set(got) == set(want), fixture
    if entity is not None:
        obj = got[entity] if envelope else got
        ref = want[entity] if entity in want else want
        assert model.unknown_fields(entity, obj) == [], fixture
        missing = set(ref) - set(obj) - set(missing_ok)
        assert not missing, f"{fixture}: sandbox lacks {sorted(missing)}"
    assert _same_shape(got, want) == [], fixture


@pytest.fixture
def api(qbo_sandbox: QboSandbox) -> SandboxApi:
    return SandboxApi(qbo_sandbox)


ADDR = {"Line1": "25 Court St.", "City": "Tucson", "CountrySubDivisionCode": "AZ", "PostalCode": "85719"}


def _customer(api: SandboxApi) -> dict[str, Any]:
    return api.create(
        "Customer",
        {
            "DisplayName": "Dukes Basketball Camp",
            "GivenName": "Peter",
            "FamilyName": "Dukes",
            "CompanyName": "Dukes Basketball Camp",
            "BillAddr": ADDR,
            "ShipAddr": ADDR,
            "PrimaryPhone": {"FreeFormNumber": "(520) 420-5638"},
            "PrimaryEmailAddr": {"Address": "Dukes_bball@intuit.com"},
        },
    )


def _invoice(api: SandboxApi, cid: str, tax: str = "NON", amount: int = 100) -> dict[str, Any]:
    return api.create(
        "Invoice",
        {
            "CustomerRef": {"value": cid},
            "Line": [
                {
                    "Amount": amount,
                    "Description": "Rock Fountain",
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {
                        "ItemRef": {"value": "1"},
                        "Qty": 1,
                        "UnitPrice": amount,
                        "TaxCodeRef": {"value": tax},
                    },
                }
            ],
        },
    )


def test_customer_shapes(api: SandboxApi) -> None:
    created = api.ok(api.post("customer", {"DisplayName": "Doe5, Jane"}))
    _check(created, "customer_create_response.json", "Customer")
    c = _customer(api)
    _check(api.ok(api.get(f"customer/{c['Id']}")), "customer.json", "Customer")
    updated = api.ok(
        api.post(
            "customer",
            {
                "Id": c["Id"],
                "SyncToken": "0",
                "DisplayName": "Jack Moe",
                "PrimaryPhone": {"FreeFormNumber": "(415) 444-1234"},
            },
        )
    )
    _check(updated, "customer_update_response.json", "Customer")
    parent = api.create("Customer", {"DisplayName": "Parent Co"})
    job = api.create(
        "Customer",
        {
            "DisplayName": "Job 1",
            "ParentRef": {"value": parent["Id"]},
            "BillAddr": ADDR,
            "ShipAddr": ADDR,
            "GivenName": "A",
            "FamilyName": "B",
            "CompanyName": "C",
            "PrimaryPhone": {"FreeFormNumber": "1"},
            "Mobile": {"FreeFormNumber": "2"},
            "Fax": {"FreeFormNumber": "3"},
            "PrimaryEmailAddr": {"Address": "a@b.co"},
            "WebAddr": {"URI": "https://b.co"},
        },
    )
    assert job["FullyQualifiedName"] == "Parent Co:Job 1" and job["Level"] == 1 and job["Job"] is True
    _check(job, "customer_subcustomer_job.json", "Customer", envelope=False)


def test_invoice_shapes(api: SandboxApi) -> None:
    c = _customer(api)
    created = api.ok(
        api.post(
            "invoice",
            {
                "Line": [
                    {
                        "Amount": 100.0,
                        "DetailType": "SalesItemLineDetail",
                        "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
                    }
                ],
                "CustomerRef": {"value": c["Id"]},
            },
        )
    )
    _check(created, "invoice_create_response.json", "Invoice", missing_ok={"CustomField"})
    inv = created["Invoice"]
    void = api.ok(api.post("invoice", {"Id": inv["Id"], "SyncToken": "0"}, operation="void"))
    _check(void, "invoice_void_response.json", "Invoice", missing_ok={"CustomField"})
    other = _invoice(api, c["Id"])
    gone = api.ok(api.post("invoice", {"Id": other["Id"], "SyncToken": "0"}, operation="delete"))
    _check(gone, "invoice_delete_response.json", "Invoice")
    taxed = api.create(
        "Invoice",
        {
            "CustomerRef": {"value": c["Id"]},
            "SalesTermRef": {"value": "3"},
            "CustomerMemo": {"value": "Thank you"},
            "Line": [
                {
                    "Amount": 275,
                    "Description": "Rock Fountain",
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {
                        "ItemRef": {"value": "1"},
                        "Qty": 1,
                        "UnitPrice": 275,
                        "TaxCodeRef": {"value": "TAX"},
                    },
                },
                {
                    "Amount": 16,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {
                        "ItemRef": {"value": "1"},
                        "Qty": 4,
                        "UnitPrice": 4,
                        "TaxCodeRef": {"value": "TAX"},
                    },
                },
            ],
        },
    )
    assert taxed["TxnTaxDetail"]["TotalTax"] == Decimal("23.28") and taxed["TotalAmt"] == Decimal("314.28")
    _check(taxed, "invoice_with_tax_open.json", "Invoice", missing_ok={"CustomField"}, envelope=False)
    pay = api.ok(
        api.post(
            "payment",
            {
                "CustomerRef": {"value": c["Id"]},
                "TotalAmt": "314.28",
                "Line": [{"Amount": "314.28", "LinkedTxn": [{"TxnId": taxed["Id"], "TxnType": "Invoice"}]}],
            },
        )
    )
    _check(pay["Payment"], "payment_linked_invoice_full.json", "Payment", envelope=False)
    _check(
        pay["Payment"],
        "payment_linked_invoice.json",
        "Payment",
        envelope=False,
        missing_ok={"LinkedTxn", "PaymentMethodRef"},
    )
    paid = api.read("Invoice", taxed["Id"])
    assert paid["Balance"] == 0
    _check(
        paid, "invoice_with_tax_paid.json", "Invoice", missing_ok={"CustomField", "ShipAddr"}, envelope=False
    )


def test_sales_receipt_shapes(api: SandboxApi) -> None:
    c = _customer(api)
    sr = api.create(
        "SalesReceipt",
        {
            "CustomerRef": {"value": c["Id"]},
            "PaymentMethodRef": {"value": "1"},
            "CustomerMemo": {"value": "Thanks"},
            "Line": [
                {
                    "Amount": 87.5,
                    "Description": "Pest Control Services",
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {
                        "ItemRef": {"value": "1"},
                        "Qty": 2.5,
                        "UnitPrice": 35,
                        "TaxCodeRef": {"value": "NON"},
                    },
                },
                {
                    "DetailType": "DiscountLineDetail",
                    "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10},
                },
            ],
        },
    )
    assert sr["TotalAmt"] == Decimal("78.75")
    _check(
        sr,
        "salesreceipt_with_discount.json",
        "SalesReceipt",
        missing_ok={"CustomField", "LinkedTxn"},
        envelope=False,
    )
    update = _fixture("salesreceipt_update_request.json")
    update["Id"], update["SyncToken"] = sr["Id"], "0"
    update["Line"][0]["SalesItemLineDetail"]["ItemRef"] = {"value": "1", "name": "Services"}
    answer = api.ok(api.post("salesreceipt", update))
    _check(answer, "salesreceipt_update_response.json", "SalesReceipt", missing_ok={"CustomField"})
    assert answer["SalesReceipt"]["DocNumber"] == sr["DocNumber"]


def test_list_entity_shapes(api: SandboxApi, qbo_sandbox: QboSandbox) -> None:
    accounts = api.query("SELECT * FROM Account WHERE AccountSubType = 'UndepositedFunds'")["Account"]
    _check(accounts[0], "account_undeposited_funds.json", "Account", envelope=False)
    acct = api.create(
        "Account", {"Name": "Fees Billed", "AccountType": "Income", "AccountSubType": "ServiceFeeIncome"}
    )
    deact = api.ok(
        api.post(
            "account",
            _fixture("account_deactivate_sparse_request.json") | {"Id": acct["Id"], "SyncToken": "0"},
        )
    )
    _check(deact, "account_deactivate_sparse_response.json", "Account")
    assert deact["Account"]["Active"] is False and deact["Account"]["Name"] == "Fees Billed (deleted)"
    _check(api.read("Item", "1"), "item_service.json", "Item", envelope=False)
    inv_item = api.create(
        "Item",
        {
            "Name": "Rock",
            "Type": "Inventory",
            "IncomeAccountRef": {"value": "3"},
            "ExpenseAccountRef": {"value": "9"},
            "AssetAccountRef": {"value": "8"},
            "QtyOnHand": 10,
            "InvStartDate": "2024-01-01",
            "Description": "d",
            "PurchaseDesc": "p",
        },
    )
    _check(inv_item, "item_inventory.json", "Item", envelope=False)
    methods = {m["Name"]: m for m in api.query("SELECT * FROM PaymentMethod")["PaymentMethod"]}
    _check(methods["Check"], "paymentmethod_check.json", "PaymentMethod", envelope=False)
    _check(methods["Visa"], "paymentmethod_credit_card.json", "PaymentMethod", envelope=False)
    terms = {t["Name"]: t for t in api.query("SELECT * FROM Term")["Term"]}
    _check(terms["Net 30"], "term.json", "Term", envelope=False)
    codes = {t["Id"]: t for t in api.query("SELECT * FROM TaxCode")["TaxCode"]}
    _check(codes["2"], "taxcode.json", "TaxCode", envelope=False)
    _check(api.query("SELECT * FROM TaxRate")["TaxRate"][0], "taxrate.json", "TaxRate", envelope=False)
    for path, entity in (("companyinfo/" + QBO_REALM, "CompanyInfo"), ("preferences", "Preferences")):
        body = api.ok(api.get(path))
        assert load_field_model().unknown_fields("IntuitResponse", body) == [] and body[entity]["Id"] == "1"


def test_query_cdc_batch_fault_shapes(api: SandboxApi) -> None:
    c = _customer(api)
    api.create("Customer", {"DisplayName": "Dylan Sollfrank"})
    _check(
        api.ok(api.get("query", query="SELECT * FROM Customer MAXRESULTS 2 STARTPOSITION 1")),
        "query_customer_page_response.json",
    )
    _check(
        api.ok(api.get("query", query="SELECT * FROM Customer WHERE DisplayName = 'Dukes Basketball Camp'")),
        "query_customer_response.json",
    )
    _check(api.ok(api.get("query", query="SELECT COUNT(*) FROM Customer")), "query_count_response.json")
    _check(
        api.ok(api.get("query", query="SELECT * FROM Customer STARTPOSITION 7")), "query_empty_response.json"
    )
    sr = api.create(
        "SalesReceipt",
        {
            "CustomerRef": {"value": c["Id"]},
            "Line": [
                {
                    "Amount": 337.5,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
                }
            ],
        },
    )
    _check(
        api.ok(api.get("query", query="SELECT * FROM SalesReceipt MAXRESULTS 1000 STARTPOSITION 1")),
        "query_salesreceipt_response.json",
    )
    _check(
        api.ok(api.get("cdc", entities="SalesReceipt", changedSince=sr["MetaData"]["CreateTime"])),
        "cdc_response.json",
    )
    request = _fixture("batch_request.json")
    request["BatchItemRequest"][2]["SalesReceipt"]["Id"] = sr["Id"]
    request["BatchItemRequest"][2]["SalesReceipt"]["SyncToken"] = "7"
    _check(api.ok(api.post("batch", request)), "batch_response.json")
    for fixture, resp in (
        ("fault_duplicate_name.json", api.post("customer", {"DisplayName": "Dylan Sollfrank"})),
        ("fault_invalid_id_2030.json", api.get("customer/1.5")),
        ("fault_invalid_query_4001.json", api.get("query", query="SELECT * FROM Custmoer")),
        ("fault_unrecognized_property_2010.json", api.post("invoice", {"BadJson": True})),
        ("fault_unsupported_operation_500.json", api.get("customer/1/5")),
    ):
        assert resp.status_code == 400
        body = api.data(resp)
        want = _fixture(fixture)
        assert load_field_model().unknown_fields("IntuitResponse", body) == []
        assert set(body) - {"time"} == set(want) - {"time"}
        assert _same_shape(body, want) == [], fixture


def test_oauth_shapes(qbo_sandbox: QboSandbox) -> None:
    tokens = qbo_sandbox.issue_tokens(QBO_CLIENT_ID, QBO_REALM)
    want = json.loads((QBO_FIXTURES / "oauth_token_response.json").read_text())
    assert set(tokens) == set(want) - {"id_token"}  # no openid scope on a minted grant
    assert _same_shape(tokens, want) == []
    refreshed = requests.post(
        qbo_sandbox.token_url,
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=(QBO_CLIENT_ID, QBO_CLIENT_SECRET),
        timeout=5,
    )
    assert _same_shape(refreshed.json(), want) == []
    assert len(refreshed.json()["refresh_token"]) <= 64  # fits a keychain entry easily
