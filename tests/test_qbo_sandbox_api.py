"""QBO sandbox: entity writes, faults, money math, payments, void/delete, requestid (real HTTP)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from crocoqb_desktop.sandbox.qbo_common import QboFault
from crocoqb_desktop.sandbox.qbo_server import QboSandbox
from tests.conftest import QBO_FIXTURES
from tests.plugins.qbo_sandbox_fixtures import QBO_REALM, SandboxApi


def _line(
    amount: Any, item: str = "1", qty: Any = None, price: Any = None, tax: str | None = None
) -> dict[str, Any]:
    detail: dict[str, Any] = {"ItemRef": {"value": item}}
    if qty is not None:
        detail["Qty"] = qty
    if price is not None:
        detail["UnitPrice"] = price
    if tax is not None:
        detail["TaxCodeRef"] = {"value": tax}
    return {"Amount": amount, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": detail}


def _customer(api: SandboxApi, name: str = "Amy's Bird Sanctuary", **extra: Any) -> dict[str, Any]:
    return api.create("Customer", {"DisplayName": name, **extra})


# --- customers, names, SyncToken ---------------------------------------------------------------
def test_customer_create_read_and_defaults(qbo_api: SandboxApi) -> None:
    created = _customer(qbo_api, "Doe5, Jane", PrimaryEmailAddr={"Address": "Jane.Doe@Example.com"})
    assert created["Id"].isdigit() and created["SyncToken"] == "0"
    assert created["domain"] == "QBO" and created["sparse"] is False
    assert created["FullyQualifiedName"] == "Doe5, Jane" and created["PrintOnCheckName"] == "Doe5, Jane"
    assert created["Active"] is True and created["Balance"] == 0
    assert created["CurrencyRef"] == {"value": "USD", "name": "United States Dollar"}
    assert created["MetaData"]["CreateTime"][-6] in "+-" and created["MetaData"]["CreateTime"][-3] == ":"
    assert created["PrimaryEmailAddr"]["Address"] == "Jane.Doe@Example.com"  # stored as given
    assert qbo_api.read("Customer", created["Id"]) == created
    by_parts = qbo_api.create("Customer", {"GivenName": "Peter", "FamilyName": "Dukes"})
    assert by_parts["DisplayName"] == "Peter Dukes"
    err = qbo_api.fault(qbo_api.post("customer", {"Notes": "no name"}))
    assert err["code"] == "2020"


def test_display_name_unique_across_people_and_inactive(qbo_api: SandboxApi) -> None:
    customer = _customer(qbo_api, "Weiskopf Consulting")
    qbo_api.create("Vendor", {"DisplayName": "Boraski Family Store"})
    dup = qbo_api.fault(qbo_api.post("customer", {"DisplayName": "Weiskopf Consulting"}))
    expected = json.loads((QBO_FIXTURES / "fault_duplicate_name.json").read_text())["Fault"]["Error"][0]
    assert dup["code"] == "6240" and dup["Message"] == expected["Message"]
    assert dup["Detail"].startswith("The name supplied already exists.")
    assert qbo_api.fault(qbo_api.post("customer", {"DisplayName": "Boraski Family Store"}))["code"] == "6240"
    assert qbo_api.fault(qbo_api.post("employee", {"DisplayName": "weiskopf  consulting"}))["code"] == "6240"
    qbo_api.create("Customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Active": False})
    assert qbo_api.fault(qbo_api.post("vendor", {"DisplayName": "Weiskopf Consulting"}))["code"] == "6240"


def test_sparse_full_update_and_stale_token(qbo_api: SandboxApi) -> None:
    c = _customer(qbo_api, "Jack Moe", PrimaryPhone={"FreeFormNumber": "(415) 444-1234"}, Notes="vip")
    sparse = qbo_api.create(
        "Customer",
        {"Id": c["Id"], "SyncToken": "0", "sparse": True, "PrimaryEmailAddr": {"Address": "jack@moe.test"}},
    )
    assert sparse["SyncToken"] == "1" and sparse["Notes"] == "vip" and sparse["PrimaryPhone"]
    assert sparse["MetaData"]["CreateTime"] == c["MetaData"]["CreateTime"]
    full = qbo_api.create("Customer", {"Id": c["Id"], "SyncToken": "1", "DisplayName": "Jack Moe"})
    assert full["SyncToken"] == "2" and "Notes" not in full and "PrimaryEmailAddr" not in full
    stale = qbo_api.fault(
        qbo_api.post("customer", {"Id": c["Id"], "SyncToken": "1", "sparse": True, "Notes": "late"})
    )
    assert stale["code"] == "5010" and stale["Message"] == "Stale Object Error"
    missing = qbo_api.fault(qbo_api.post("customer", {"Id": "999", "SyncToken": "0", "sparse": True}))
    assert missing["code"] == "610"


def test_unknown_property_2010(qbo_api: SandboxApi) -> None:
    expected = json.loads((QBO_FIXTURES / "fault_unrecognized_property_2010.json").read_text())
    resp = qbo_api.post("invoice", {"BadJson": True})
    body = qbo_api.data(resp)
    assert resp.status_code == 400 and set(body) == set(expected)
    err = body["Fault"]["Error"][0]
    assert err["code"] == "2010" and err["Message"] == expected["Fault"]["Error"][0]["Message"]
    assert '"BadJson"' in err["Detail"] and "Invoice" in err["Detail"]
    assert body["Fault"]["type"] == "ValidationFault"
    nested = qbo_api.fault(
        qbo_api.post(
            "invoice",
            {
                "CustomerRef": {"value": "1"},
                "Line": [{**_line(10), "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Bogus": 1}}],
            },
        )
    )
    assert (
        nested["code"] == "2010"
        and '"Bogus"' in nested["Detail"]
        and "SalesItemLineDetail" in nested["Detail"]
    )
    wrong_type = qbo_api.fault(qbo_api.post("customer", {"DisplayName": "X", "Active": "maybe"}))
    assert wrong_type["code"] == "2010"


def test_ids_and_routes(qbo_api: SandboxApi) -> None:
    bad = qbo_api.fault(qbo_api.get("customer/1.5"))
    expected = json.loads((QBO_FIXTURES / "fault_invalid_id_2030.json").read_text())["Fault"]["Error"][0]
    assert bad == {**expected, "Detail": "Id should be a valid number. Supplied value:1.5"}
    assert qbo_api.fault(qbo_api.get("customer/424242"))["code"] == "610"
    unsupported = qbo_api.fault(qbo_api.get("customer/1/5"))
    assert unsupported["code"] == "500" and unsupported["Message"] == "Unsupported Operation"
    assert qbo_api.fault(qbo_api.post("custmoer", {}))["code"] == "500"
    assert qbo_api.get("preferences", minorversion="4").status_code == 200  # < 75 accepted (answered as 75)
    assert qbo_api.read("TaxCode", "TAX")["Taxable"] is True


def test_refs_to_missing_or_inactive_objects_610(qbo_api: SandboxApi) -> None:
    c = _customer(qbo_api)
    qbo_api.create("Customer", {"Id": c["Id"], "SyncToken": "0", "sparse": True, "Active": False})
    inactive = qbo_api.fault(
        qbo_api.post("invoice", {"CustomerRef": {"value": c["Id"]}, "Line": [_line(10)]})
    )
    assert inactive["code"] == "610" and inactive["Message"] == "Object Not Found"
    c2 = _customer(qbo_api, "Other")
    no_item = qbo_api.fault(
        qbo_api.post("invoice", {"CustomerRef": {"value": c2["Id"]}, "Line": [_line(10, "77")]})
    )
    assert no_item["code"] == "610"
    no_pm = qbo_api.fault(
        qbo_api.post(
            "salesreceipt",
            {"CustomerRef": {"value": c2["Id"]}, "Line": [_line(10)], "PaymentMethodRef": {"value": "99"}},
        )
    )
    assert no_pm["code"] == "610"


def test_required_fields(qbo_api: SandboxApi) -> None:
    c = _customer(qbo_api)
    assert qbo_api.fault(qbo_api.post("invoice", {"Line": [_line(10)]}))["code"] == "2020"
    assert qbo_api.fault(qbo_api.post("invoice", {"CustomerRef": {"value": c["Id"]}}))["code"] == "2020"
    assert qbo_api.fault(qbo_api.post("payment", {"CustomerRef": {"value": c["Id"]}}))["code"] == "2020"
    assert qbo_api.fault(qbo_api.post("item", {"Name": "Consulting", "Type": "Service"}))["code"] == "2020"
    qbo_api.create("Item", {"Name": "Consulting", "Type": "Service", "IncomeAccountRef": {"value": "2"}})
    dup = qbo_api.fault(qbo_api.post("item", {"Name": "consulting", "IncomeAccountRef": {"value": "2"}}))
    assert dup["code"] == "6240"


# --- money -------------------------------------------------------------------------------------
def test_invoice_minimal_like_fixture(qbo_api: SandboxApi) -> None:
    c = _customer(qbo_api)
    inv = qbo_api.create(
        "Invoice",
        {
            "Line": [
                {
                    "Amount": 100.0,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {"ItemRef": {"value": "1", "name": "Services"}},
                }
            ],
            "CustomerRef": {"value": c["Id"]},
        },
    )
    assert inv["CustomerRef"] == {"value": c["Id"], "name": "Amy's Bird Sanctuary"}
    assert inv["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "NON"}
    assert inv["Line"][0]["Id"] == "1" and inv["Line"][0]["LineNum"] == 1
    assert inv["Line"][1] == {
        "Amount": Decimal("100.00"),
        "DetailType": "SubTotalLineDetail",
        "SubTotalLineDetail": {},
    }
    assert inv["TotalAmt"] == Decimal("100.00") and inv["Balance"] == Decimal("100.00")
    assert inv["TxnTaxDetail"] == {"TotalTax": 0}
    assert inv["DueDate"] > inv["TxnDate"] and inv["LinkedTxn"] == []
    assert qbo_api.read("Customer", c["Id"])["Balance"] == Decimal("100.00")


def test_qty_times_unit_price(qbo_api: SandboxApi) -> None:
    c = _customer(qbo_api)
    ok = qbo_api.create(
        "Invoice", {"CustomerRef": {"value": c["Id"]}, "Line": [_line("87.50", qty="2.5", price="35")]}
    )
    assert ok["Line"][0]["Amount"] == Decimal("87.50")
    assert ok["Line"][0]["SalesItemLineDetail"]["Qty"] == Decimal("2.5")
    rounded = qbo_api.create(
        "Invoice", {"CustomerRef": {"value": c["Id"]}, "Line": [_line("3.33", qty=3, price="1.111")]}
    )
    assert rounded["TotalAmt"] == Decimal("3.33")
    err = qbo_api.fault(
        qbo_api.post("invoice", {"CustomerRef": {"value": c["Id"]}, "Line": [_line(100, qty=3, price=30)]})
    )
    assert err["code"] == "6070" and err["Message"] == "Amount is not equal to UnitPrice * Qty"


def test_discount_and_us_tax_override(qbo_api: SandboxApi) -> None:
    c = _customer(qbo_api, "Pye's Cakes")
    sr = qbo_api.create(
        "SalesReceipt",
        {
            "CustomerRef": {"value": c["Id"]},
            "PaymentMethodRef": {"value": "1"},
            "Line": [
                _line("87.5", qty="2.5", price=35, tax="NON"),
                {
                    "DetailType": "DiscountLineDetail",
                    "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10},
                },
            ],
        },
    )
    # salesreceipt_with_discount.json: 87.50 - 8.75 = 78.75
    assert [ln["DetailType"] for ln in sr["Line"]] == [
        "SalesItemLineDetail",
        "SubTotalLineDetail",
        "DiscountLineDetail",
    ]
    assert sr["Line"][2]["Amount"] == Decimal("8.75")
    assert sr["Line"][2]["DiscountLineDetail"]["DiscountAccountRef"]["name"] == "Discounts given"
    assert sr["TotalAmt"] == Decimal("78.75") and sr["Balance"] == 0
    assert sr["DepositToAccountRef"]["name"] == "Undeposited Funds"
    assert sr["PaymentMethodRef"] == {"value": "1", "name": "Cash"}

    # AST computes 8 % on the taxable net; an explicit TotalTax is honoured (ref §7.4)
    computed = qbo_api.create(
        "Invoice",
        {
            "CustomerRef": {"value": c["Id"]},
            "Line": [
                _line(200, tax="TAX"),
                _line(100, tax="NON"),
                {
                    "Amount": 20,
                    "DetailType": "DiscountLineDetail",
                    "DiscountLineDetail": {"PercentBased": False},
                },
            ],
        },
    )
    tax = computed["TxnTaxDetail"]
    # discount 20 of 300 prorated: taxable net = 200 * 280/300 = 186.67; 8 % = 14.93
    assert tax["TaxLine"][0]["TaxLineDetail"]["NetAmountTaxable"] == Decimal("186.67")
    assert tax["TotalTax"] == Decimal("14.93") and tax["TxnTaxCodeRef"]["value"]
    assert computed["TotalAmt"] == Decimal("294.93")
    override = qbo_api.create(
        "Invoice",
        {
            "CustomerRef": {"value": c["Id"]},
            "Line": [_line(200, tax="TAX")],
            "TxnTaxDetail": {"TotalTax": "15.00"},
        },
    )
    assert override["TxnTaxDetail"]["TotalTax"] == Decimal("15.00")
    assert override["TxnTaxDetail"]["TaxLine"][0]["Amount"] == Decimal("15.00")
    assert override["TotalAmt"] == Decimal("215.00")
    # a sparse update that does not touch the tax keeps the override
    memo = qbo_api.create(
        "Invoice", {"Id": override["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "x"}
    )
    assert memo["TotalAmt"] == Decimal("215.00")


def test_canada_taxes_computed_inclusive_and_missing_code(qbo_api_ca: SandboxApi) -> None:
    api = qbo_api_ca
    c = api.create("Customer", {"DisplayName": "Tremblay"})
    assert c["CurrencyRef"] == {"value": "CAD", "name": "Canadian Dollar"}
    inv = api.create(
        "Invoice",
        {
            "CustomerRef": {"value": c["Id"]},
            "Line": [
                _line(100, tax="3"),  # HST ON 13 %
                _line(50, tax="4"),  # GST 5 % + QST 9.975 %
                {
                    "DetailType": "DiscountLineDetail",
                    "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10},
                },
            ],
        },
    )
    lines = {t["TaxLineDetail"]["TaxRateRef"]["value"]: t for t in inv["TxnTaxDetail"]["TaxLine"]}
    assert lines["2"]["Amount"] == Decimal("11.70")  # 13 % of 90
    assert lines["1"]["Amount"] == Decimal("2.25")  # 5 % of 45
    assert lines["3"]["Amount"] == Decimal("4.49")  # 9.975 % of 45
    assert inv["TxnTaxDetail"]["TotalTax"] == Decimal("18.44")
    assert inv["TotalAmt"] == Decimal("153.44")  # 150 - 15 + 18.44
    assert inv["GlobalTaxCalculation"] == "TaxExcluded"
    assert inv["DocNumber"] == "1001"  # "ca" preset: CustomTxnNumbers off, QBO numbers documents

    incl = api.create(
        "SalesReceipt",
        {
            "CustomerRef": {"value": c["Id"]},
            "GlobalTaxCalculation": "TaxInclusive",
            "DocNumber": "MINE-1",
            "Line": [_line(100, tax="3")],  # TaxInclusive: the line Amount is net of tax
        },
    )
    assert incl["TotalAmt"] == Decimal("113.00") and incl["TxnTaxDetail"]["TotalTax"] == Decimal("13.00")
    assert incl["TxnTaxDetail"]["TaxLine"][0]["TaxLineDetail"]["NetAmountTaxable"] == Decimal("100.00")
    assert incl["Line"][0]["SalesItemLineDetail"]["TaxInclusiveAmt"] == Decimal("113.00")
    assert incl["DocNumber"] == "1001"  # the supplied number is ignored

    override = api.create(
        "Invoice",
        {
            "CustomerRef": {"value": c["Id"]},
            "Line": [_line(100, tax="4")],
            "TxnTaxDetail": {"TotalTax": "15.00"},
        },
    )
    assert override["TxnTaxDetail"]["TotalTax"] == Decimal("15.00") and override["TotalAmt"] == Decimal(
        "115.00"
    )
    assert sum(t["Amount"] for t in override["TxnTaxDetail"]["TaxLine"]) == Decimal("15.00")

    missing = api.fault(api.post("invoice", {"CustomerRef": {"value": c["Id"]}, "Line": [_line(100)]}))
    assert missing["code"] == "6000" and "GST/HST" in missing["Detail"]
    na = api.create(
        "Invoice",
        {"CustomerRef": {"value": c["Id"]}, "GlobalTaxCalculation": "NotApplicable", "Line": [_line(100)]},
    )
    assert na["TotalAmt"] == Decimal("100.00") and na["TxnTaxDetail"]["TotalTax"] == 0


def test_doc_numbers_us_custom(qbo_api: SandboxApi) -> None:
    c = _customer(qbo_api)
    kept = qbo_api.create(
        "Invoice", {"CustomerRef": {"value": c["Id"]}, "DocNumber": "CC-2024-0001", "Line": [_line(10)]}
    )
    assert kept["DocNumber"] == "CC-2024-0001"
    auto = qbo_api.create("Invoice", {"CustomerRef": {"value": c["Id"]}, "Line": [_line(10)]})
    assert auto["DocNumber"] == "1001"
    long = qbo_api.fault(
        qbo_api.post(
            "invoice", {"CustomerRef": {"value": c["Id"]}, "DocNumber": "X" * 22, "Line": [_line(10)]}
        )
    )
    assert long["code"] == "6000"


def test_currency_must_match_customer() -> None:
    sandbox = QboSandbox()
    sandbox.add_company(QBO_REALM, multicurrency=True)
    sandbox.register_client("c", "s", [])
    sandbox.start()
    try:
        api = SandboxApi(sandbox, client_id="c")
        euro = api.create("Customer", {"DisplayName": "Euro GmbH", "CurrencyRef": {"value": "EUR"}})
        assert euro["CurrencyRef"] == {"value": "EUR", "name": "Euro"}
        err = api.fault(
            api.post(
                "invoice",
                {"CustomerRef": {"value": euro["Id"]}, "CurrencyRef": {"value": "USD"}, "Line": [_line(10)]},
            )
        )
        assert err["code"] == "6000" and "EUR" in err["Detail"] and "USD" in err["Detail"]
        inv = api.create(
            "Invoice", {"CustomerRef": {"value": euro["Id"]}, "Line": [_line(10)], "ExchangeRate": "1.1"}
        )
        assert inv["CurrencyRef"]["value"] == "EUR" and inv["HomeTotalAmt"] == Decimal("11.00")
    finally:
        sandbox.stop()
    single = QboSandbox()
    single.add_company(QBO_REALM)
    with pytest.raises(QboFault) as exc:
        single.put_entity(QBO_REALM, "Customer", {"DisplayName": "X", "CurrencyRef": {"value": "EUR"}})
    assert exc.value.code == "6000"


# --- payments, void, delete --------------------------------------------------------------------
def test_payment_applies_to_invoice(qbo_api: SandboxApi) -> None:
    c = _customer(qbo_api, "Cool Cars")
    inv = qbo_api.create("Invoice", {"CustomerRef": {"value": c["Id"]}, "Line": [_line(200, tax="TAX")]})
    total = inv["TotalAmt"]
    assert total == Decimal("216.00")
    pay = qbo_api.create(
        "Payment",
        {
            "CustomerRef": {"value": c["Id"]},
            "TotalAmt": 250,
            "PaymentMethodRef": {"value": "2"},
            "Line": [{"Amount": 100, "LinkedTxn": [{"TxnId": inv["Id"], "TxnType": "Invoice"}]}],
        },
    )
    assert pay["UnappliedAmt"] == Decimal("150.00") and pay["ProcessPayment"] is False
    assert (
        pay["DepositToAccountRef"]["value"]
        == qbo_api.query("SELECT * FROM Account WHERE AccountSubType = 'UndepositedFunds'")["Account"][0][
            "Id"
        ]
    )
    ex = {nv["value"]["Name"]: nv["value"]["Value"] for nv in pay["Line"][0]["LineEx"]["any"]}
    assert ex == {"txnId": inv["Id"], "txnOpenBalance": "216.00", "txnReferenceNumber": inv["DocNumber"]}
    after = qbo_api.read("Invoice", inv["Id"])
    assert after["Balance"] == Decimal("116.00") and after["SyncToken"] == "1"
    assert after["LinkedTxn"] == [{"TxnId": pay["Id"], "TxnType": "Payment"}]
    assert qbo_api.read("Customer", c["Id"])["Balance"] == Decimal("-34.00")  # 116 open - 150 unapplied

    too_much = qbo_api.fault(
        qbo_api.post(
            "payment",
            {
                "CustomerRef": {"value": c["Id"]},
                "TotalAmt": 500,
                "Line": [{"Amount": 117, "LinkedTxn": [{"TxnId": inv["Id"], "TxnType": "Invoice"}]}],
            },
        )
    )
    assert too_much["code"] == "6000"
    ghost = qbo_api.fault(
        qbo_api.post(
            "payment",
            {
                "CustomerRef": {"value": c["Id"]},
                "TotalAmt": 5,
                "Line": [{"Amount": 5, "LinkedTxn": [{"TxnId": "999", "TxnType": "Invoice"}]}],
            },
        )
    )
    assert ghost["code"] == "6000" and "does not exist" in ghost["Detail"]

    # full update: apply 216 -> invoice paid
    paid = qbo_api.create(
        "Payment",
        {
            "Id": pay["Id"],
            "SyncToken": pay["SyncToken"],
            "CustomerRef": {"value": c["Id"]},
            "TotalAmt": 250,
            "Line": [{"Amount": total, "LinkedTxn": [{"TxnId": inv["Id"], "TxnType": "Invoice"}]}],
        },
    )
    assert paid["UnappliedAmt"] == Decimal("34.00")
    assert qbo_api.read("Invoice", inv["Id"])["Balance"] == 0
    assert qbo_api.query(f"SELECT * FROM Invoice WHERE Balance > '0' AND CustomerRef = '{c['Id']}'") == {}

    deleted = qbo_api.create("Payment", {"Id": pay["Id"], "SyncToken": paid["SyncToken"]}, operation="delete")
    assert deleted == {"domain": "QBO", "status": "Deleted", "Id": pay["Id"]}
    restored = qbo_api.read("Invoice", inv["Id"])
    assert restored["Balance"] == total and restored["LinkedTxn"] == []


def test_void_and_delete_invoice(qbo_api: SandboxApi) -> None:
    c = _customer(qbo_api)
    inv = qbo_api.create("Invoice", {"CustomerRef": {"value": c["Id"]}, "Line": [_line(100, tax="TAX")]})
    pay = qbo_api.create(
        "Payment",
        {
            "CustomerRef": {"value": c["Id"]},
            "TotalAmt": 50,
            "Line": [{"Amount": 50, "LinkedTxn": [{"TxnId": inv["Id"], "TxnType": "Invoice"}]}],
        },
    )
    inv = qbo_api.read("Invoice", inv["Id"])
    stale = qbo_api.fault(qbo_api.post("invoice", {"Id": inv["Id"], "SyncToken": "0"}, operation="void"))
    assert stale["code"] == "5010"
    void = qbo_api.create("Invoice", {"Id": inv["Id"], "SyncToken": inv["SyncToken"]}, operation="void")
    assert void["PrivateNote"] == "Voided" and void["SyncToken"] == str(int(inv["SyncToken"]) + 1)
    assert void["TotalAmt"] == 0 and void["Balance"] == 0 and void["TxnTaxDetail"]["TotalTax"] == 0
    assert all(ln["Amount"] == 0 for ln in void["Line"])
    assert void["LinkedTxn"] == []
    unapplied = qbo_api.read("Payment", pay["Id"])
    assert unapplied["UnappliedAmt"] == Decimal("50.00") and unapplied["Line"] == []

    inv2 = qbo_api.create("Invoice", {"CustomerRef": {"value": c["Id"]}, "Line": [_line(10)]})
    gone = qbo_api.data(qbo_api.post("invoice", {"Id": inv2["Id"], "SyncToken": "0"}, operation="delete"))
    assert gone["Invoice"] == {"domain": "QBO", "status": "Deleted", "Id": inv2["Id"]} and "time" in gone
    assert qbo_api.fault(qbo_api.get(f"invoice/{inv2['Id']}"))["code"] == "610"
    assert (
        qbo_api.fault(qbo_api.post("invoice", {"Id": inv2["Id"], "SyncToken": "0"}, operation="delete"))[
            "code"
        ]
        == "610"
    )
    no_delete = qbo_api.fault(qbo_api.post("customer", {"Id": c["Id"], "SyncToken": "0"}, operation="delete"))
    assert no_delete["code"] == "500"

    sr = qbo_api.create("SalesReceipt", {"CustomerRef": {"value": c["Id"]}, "Line": [_line(30)]})
    sr_void = qbo_api.create("SalesReceipt", {"Id": sr["Id"], "SyncToken": "0"}, operation="void")
    assert sr_void["TotalAmt"] == 0 and sr_void["PrivateNote"] == "Voided"


def test_requestid_replays_original_answer(qbo_api: SandboxApi, qbo_sandbox: QboSandbox) -> None:
    body = {"DisplayName": "Idempotent Ltd"}
    first = qbo_api.post("customer", body, requestid="a90bfae9-0001")
    second = qbo_api.post("customer", body, requestid="a90bfae9-0001")
    assert first.status_code == second.status_code == 200
    assert qbo_api.data(first)["Customer"]["Id"] == qbo_api.data(second)["Customer"]["Id"]
    assert (
        len([c for c in qbo_sandbox.entities(QBO_REALM, "Customer") if c["DisplayName"] == "Idempotent Ltd"])
        == 1
    )
    # a new requestid executes again (and hits the duplicate-name rule)
    third = qbo_api.post("customer", body, requestid="a90bfae9-0002")
    assert qbo_api.fault(third)["code"] == "6240"
    assert qbo_api.post("customer", body, requestid="a90bfae9-0002").text == third.text


def test_python_api_put_entity_and_entities(qbo_sandbox: QboSandbox) -> None:
    c = qbo_sandbox.put_entity(
        QBO_REALM,
        "Customer",
        {"DisplayName": "Seeded", "Balance": 5, "MetaData": {"CreateTime": "2024-01-02T03:04:05-08:00"}},
    )
    assert (
        c["Id"] and c["SyncToken"] == "0" and c["MetaData"]["LastUpdatedTime"] == "2024-01-02T03:04:05-08:00"
    )
    inv = qbo_sandbox.put_entity(
        QBO_REALM, "Invoice", {"CustomerRef": {"value": c["Id"]}, "Line": [_line(12.5, qty=1, price=12.5)]}
    )
    assert inv["TotalAmt"] == Decimal("12.50") and inv["Balance"] == Decimal("12.50")
    again = qbo_sandbox.put_entity(
        QBO_REALM, "Customer", {"Id": c["Id"], "DisplayName": "Seeded", "Active": False}
    )
    assert again["SyncToken"] == "1"
    names = [x["DisplayName"] for x in qbo_sandbox.entities(QBO_REALM, "Customer")]
    assert names == ["Seeded"]
    assert qbo_sandbox.entities(QBO_REALM, "Customer", include_inactive=False) == []
    accounts = qbo_sandbox.entities(QBO_REALM, "Account")
    assert {"Sales of Product Income", "Services", "Undeposited Funds", "Discounts given", "Checking"} <= {
        a["Name"] for a in accounts
    }
    assert {p["Name"] for p in qbo_sandbox.entities(QBO_REALM, "PaymentMethod")} >= {
        "Cash",
        "Check",
        "Visa",
        "MasterCard",
    }
    prefs = qbo_sandbox.entities(QBO_REALM, "Preferences")[0]
    assert (
        prefs["TaxPrefs"]["PartnerTaxEnabled"] is True
        and prefs["SalesFormsPrefs"]["CustomTxnNumbers"] is True
    )
    with pytest.raises(QboFault):
        qbo_sandbox.put_entity(QBO_REALM, "Customer", {"DisplayName": "Seeded"})
