"""QBO sandbox: Purchase, Deposit, Transfer and Account.CurrentBalance (real HTTP, XSD field model)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.plugins.qbo_sandbox_fixtures import SandboxApi


def _account(api: SandboxApi, name: str, kind: str, sub: str) -> dict[str, Any]:
    return api.create("Account", {"Name": name, "AccountType": kind, "AccountSubType": sub})


def _balance(api: SandboxApi, oid: str) -> Decimal:
    return Decimal(str(api.read("Account", oid)["CurrentBalance"]))


def _customer(api: SandboxApi) -> dict[str, Any]:
    return api.create("Customer", {"DisplayName": "Ada Payer"})


def _receipt(api: SandboxApi, customer: dict[str, Any], account_id: str, amount: str) -> dict[str, Any]:
    return api.create("SalesReceipt", {
        "CustomerRef": {"value": customer["Id"]},
        "DepositToAccountRef": {"value": account_id},
        "Line": [{"DetailType": "SalesItemLineDetail", "Amount": amount,
                  "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 1, "UnitPrice": amount,
                                          "TaxCodeRef": {"value": "NON"}}}],
    })


@pytest.mark.parametrize("preset", ["us", "ca"])
def test_clearing_flow_keeps_balances(preset: str, request: pytest.FixtureRequest) -> None:
    api: SandboxApi = request.getfixturevalue("qbo_api" if preset == "us" else "qbo_api_ca")
    clearing = _account(api, "CrocoClick Payments - stripe", "Bank", "CashOnHand")
    fees = _account(api, "Merchant fees", "Expense", "BankCharges")
    assert clearing["Classification"] == "Asset" and Decimal(str(clearing["CurrentBalance"])) == 0
    customer = _customer(api)
    if preset == "ca":
        # Canadian sales need a tax code per line: use the sandbox's exempt code
        codes = api.query("select * from TaxCode")["TaxCode"]
        exempt = next(c for c in codes if c["Name"] == "Exempt")
        body = {"CustomerRef": {"value": customer["Id"]}, "DepositToAccountRef": {"value": clearing["Id"]},
                "GlobalTaxCalculation": "TaxExcluded",
                "Line": [{"DetailType": "SalesItemLineDetail", "Amount": "100.00",
                          "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 1, "UnitPrice": "100.00",
                                                  "TaxCodeRef": {"value": exempt["Id"]}}}]}
        api.create("SalesReceipt", body)
    else:
        _receipt(api, customer, clearing["Id"], "100.00")
    assert _balance(api, clearing["Id"]) == Decimal("100.00")

    fee = api.create("Purchase", {
        "PaymentType": "Cash", "AccountRef": {"value": clearing["Id"]}, "TxnDate": "2026-03-01",
        "PrivateNote": "CrocoClick pay_1 fee",
        "Line": [{"DetailType": "AccountBasedExpenseLineDetail", "Amount": "3.20",
                  "AccountBasedExpenseLineDetail": {"AccountRef": {"value": fees["Id"]}}}],
    })
    assert fee["TotalAmt"] == Decimal("3.20") and fee["AccountRef"]["name"] == "CrocoClick Payments - stripe"
    assert _balance(api, clearing["Id"]) == Decimal("96.80")
    assert _balance(api, fees["Id"]) == 0  # expense accounts carry no balance (a P&L figure)

    back = api.create("Deposit", {
        "DepositToAccountRef": {"value": clearing["Id"]},
        "Line": [{"DetailType": "DepositLineDetail", "Amount": "1.00",
                  "DepositLineDetail": {"AccountRef": {"value": fees["Id"]}}}],
    })
    assert back["TotalAmt"] == Decimal("1.00")
    assert _balance(api, clearing["Id"]) == Decimal("97.80")

    checking = next(a for a in api.query("select * from Account")["Account"] if a["AccountType"] == "Bank"
                    and a["Name"] == "Checking")
    before = _balance(api, checking["Id"])
    transfer = api.create("Transfer", {"FromAccountRef": {"value": clearing["Id"]},
                                       "ToAccountRef": {"value": checking["Id"]}, "Amount": "97.80"})
    assert transfer["Amount"] == Decimal("97.80") and transfer["TxnDate"]
    assert _balance(api, clearing["Id"]) == 0
    assert _balance(api, checking["Id"]) == before + Decimal("97.80")

    # deleting the transfer puts the money back
    api.ok(api.post("transfer", {"Id": transfer["Id"], "SyncToken": transfer["SyncToken"]}, operation="delete"))
    assert _balance(api, clearing["Id"]) == Decimal("97.80")
    assert _balance(api, checking["Id"]) == before
    # an edited expense moves the balance by the difference
    api.create("Purchase", {"Id": fee["Id"], "SyncToken": fee["SyncToken"], "sparse": True,
                            "Line": [{"DetailType": "AccountBasedExpenseLineDetail", "Amount": "5.00",
                                      "AccountBasedExpenseLineDetail": {"AccountRef": {"value": fees["Id"]}}}]})
    assert _balance(api, clearing["Id"]) == Decimal("96.00")
    found = api.query("select * from Purchase where TxnDate = '2026-03-01'")["Purchase"]
    assert [p["Id"] for p in found] == [fee["Id"]]


def test_refund_and_payment_move_balances(qbo_api: SandboxApi) -> None:
    clearing = _account(qbo_api, "Clearing", "Bank", "CashOnHand")
    customer = _customer(qbo_api)
    _receipt(qbo_api, customer, clearing["Id"], "50.00")
    qbo_api.create("RefundReceipt", {
        "CustomerRef": {"value": customer["Id"]}, "DepositToAccountRef": {"value": clearing["Id"]},
        "Line": [{"DetailType": "SalesItemLineDetail", "Amount": "20.00",
                  "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 1, "UnitPrice": "20.00",
                                          "TaxCodeRef": {"value": "NON"}}}],
    })
    assert _balance(qbo_api, clearing["Id"]) == Decimal("30.00")
    receivable = next(a for a in qbo_api.query("select * from Account")["Account"]
                      if a["AccountType"] == "Accounts Receivable")
    invoice = qbo_api.create("Invoice", {
        "CustomerRef": {"value": customer["Id"]},
        "Line": [{"DetailType": "SalesItemLineDetail", "Amount": "40.00",
                  "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 1, "UnitPrice": "40.00",
                                          "TaxCodeRef": {"value": "NON"}}}],
    })
    assert _balance(qbo_api, receivable["Id"]) == Decimal(str(invoice["TotalAmt"]))
    qbo_api.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": invoice["TotalAmt"],
                               "DepositToAccountRef": {"value": clearing["Id"]},
                               "Line": [{"Amount": invoice["TotalAmt"],
                                         "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert _balance(qbo_api, receivable["Id"]) == 0
    assert _balance(qbo_api, clearing["Id"]) == Decimal("30.00") + Decimal(str(invoice["TotalAmt"]))


def test_banking_rules_refuse_what_qbo_refuses(qbo_api: SandboxApi) -> None:
    clearing = _account(qbo_api, "Clearing", "Bank", "CashOnHand")
    fees = _account(qbo_api, "Fees", "Expense", "BankCharges")
    line = {"DetailType": "AccountBasedExpenseLineDetail", "Amount": "1.00",
            "AccountBasedExpenseLineDetail": {"AccountRef": {"value": fees["Id"]}}}
    # unknown field: 2010, as QBO rejects anything outside the XSD
    fault = qbo_api.fault(qbo_api.post("purchase", {"PaymentType": "Cash", "AccountRef": {"value": clearing["Id"]},
                                                    "Line": [line], "FeeAmount": "1"}))
    assert fault["code"] == "2010"
    fault = qbo_api.fault(qbo_api.post("purchase", {"AccountRef": {"value": clearing["Id"]}, "Line": [line]}))
    assert fault["code"] == "2020" and "PaymentType" in fault["Detail"]
    # a cash expense from an expense account is not a bank payment
    fault = qbo_api.fault(qbo_api.post("purchase", {"PaymentType": "Cash", "AccountRef": {"value": fees["Id"]},
                                                    "Line": [line]}))
    assert fault["code"] == "6000"
    fault = qbo_api.fault(qbo_api.post("purchase", {"PaymentType": "Cash", "Credit": True,
                                                    "AccountRef": {"value": clearing["Id"]}, "Line": [line]}))
    assert fault["code"] == "6000" and "Credit" in fault["Detail"]
    # transfers: balance-sheet accounts only, different, positive
    fault = qbo_api.fault(qbo_api.post("transfer", {"FromAccountRef": {"value": clearing["Id"]},
                                                    "ToAccountRef": {"value": fees["Id"]}, "Amount": "1"}))
    assert fault["code"] == "6000"
    fault = qbo_api.fault(qbo_api.post("transfer", {"FromAccountRef": {"value": clearing["Id"]},
                                                    "ToAccountRef": {"value": clearing["Id"]}, "Amount": "1"}))
    assert fault["code"] == "6000"
    fault = qbo_api.fault(qbo_api.post("transfer", {"FromAccountRef": {"value": clearing["Id"]},
                                                    "ToAccountRef": {"value": "1"}}))
    assert fault["code"] == "2020" and "Amount" in fault["Detail"]
    fault = qbo_api.fault(qbo_api.post("deposit", {"DepositToAccountRef": {"value": clearing["Id"]},
                                                   "Line": [line]}))
    assert fault["code"] == "6000"  # a deposit line is a DepositLineDetail
    assert _balance(qbo_api, clearing["Id"]) == 0
