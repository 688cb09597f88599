"""Shared builders for the mapping tests: QBO companies (US with automated sales tax, US without,
Canada), CrocoClick documents with totals computed by the sandbox's CrocoClick arithmetic, an
independent reference of QBO's document arithmetic, and the XSD field check. No tests here."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from crocoqb_desktop.sandbox.croco_totals import compute_totals
from crocoqb_desktop.sandbox.xsd_model import load_field_model
from crocoqb_desktop.sync import mapping
from tests.conftest import QBO_FIXTURES

CENT = Decimal("0.01")


def fixture(name: str) -> Any:
    return json.loads((QBO_FIXTURES / name).read_text(encoding="utf-8"), parse_float=Decimal)


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# ----------------------------------------------------------------------------------------------
# companies
# ----------------------------------------------------------------------------------------------
ACCOUNTS = [
    fixture("account_undeposited_funds.json"),
    {"Id": "35", "Name": "Checking", "AccountType": "Bank", "AccountSubType": "Checking", "Active": True},
    {"Id": "86", "Name": "Discounts given", "AccountType": "Income", "AccountSubType": "DiscountsRefundsGiven",
     "Active": True},
]
PAYMENT_METHODS = [
    {"Id": "1", "Name": "Cash", "Type": "NON_CREDIT_CARD", "Active": True},
    fixture("paymentmethod_check.json"),
    fixture("paymentmethod_credit_card.json"),
    {"Id": "4", "Name": "MasterCard", "Type": "CREDIT_CARD", "Active": True},
    {"Id": "5", "Name": "American Express", "Type": "CREDIT_CARD", "Active": True},
    {"Id": "6", "Name": "Discover", "Type": "CREDIT_CARD", "Active": False},
    {"Id": "7", "Name": "Direct Debit", "Type": "NON_CREDIT_CARD", "Active": True},
    {"Id": "8", "Name": "PayPal", "Type": "NON_CREDIT_CARD", "Active": True},
]


def _prefs(currency: str, *, ast: bool, custom: bool, multicurrency: bool = False) -> dict[str, Any]:
    return {"Preferences": {
        "CurrencyPrefs": {"MultiCurrencyEnabled": multicurrency, "HomeCurrency": {"value": currency}},
        "TaxPrefs": {"UsingSalesTax": True, "PartnerTaxEnabled": ast},
        "SalesFormsPrefs": {"CustomTxnNumbers": custom},
    }}


def us_company(*, ast: bool = True, custom: bool = True, multicurrency: bool = False) -> mapping.QboCompany:
    return mapping.company_from_qbo(
        {"CompanyInfo": {"Id": "1", "CompanyName": "Sandbox Company_US_1", "Country": "US"}},
        _prefs("USD", ast=ast, custom=custom, multicurrency=multicurrency),
        tax_codes=[fixture("taxcode.json")], tax_rates=[fixture("taxrate.json")],
        accounts=ACCOUNTS, payment_methods=PAYMENT_METHODS)


def _rate(ident: str, name: str, value: str) -> dict[str, Any]:
    return {"Id": ident, "Name": name, "RateValue": Decimal(value), "Active": True, "AgencyRef": {"value": "1"}}


def _code(ident: str, name: str, *rate_ids: str, active: bool = True) -> dict[str, Any]:
    return {"Id": ident, "Name": name, "Active": active, "Taxable": bool(rate_ids), "TaxGroup": len(rate_ids) > 1,
            "SalesTaxRateList": {"TaxRateDetail": [{"TaxRateRef": {"value": r}, "TaxTypeApplicable": "TaxOnAmount",
                                                    "TaxOrder": 0} for r in rate_ids]}}


CA_RATES = [
    _rate("10", "HST ON", "13"), _rate("11", "GST", "5"), _rate("12", "PST BC", "7"),
    _rate("13", "QST", "9.975"), _rate("14", "Zero-rated", "0"), _rate("15", "Exempt", "0"),
    _rate("16", "HST NS", "15"), _rate("17", "HST (old)", "13"),
]
CA_CODES = [
    _code("3", "Out of Scope"),
    _code("4", "HST (old)", "17"),
    _code("5", "HST ON", "10"),
    _code("6", "GST", "11"),
    _code("7", "GST/PST BC", "11", "12"),
    _code("8", "GST/QST QC", "11", "13"),
    _code("9", "Zero-rated", "14"),
    _code("20", "Exempt", "15"),
    _code("21", "HST NS", "16", active=False),
    {**_code("1", "Exempt purchases"), "PurchaseTaxRateList": {"TaxRateDetail": [{"TaxRateRef": {"value": "11"}}]}},
]


def ca_company(*, custom: bool = True, multicurrency: bool = False, codes: list[dict] | None = None
               ) -> mapping.QboCompany:
    return mapping.company_from_qbo(
        {"Country": "CA", "CompanyName": "Maple Ltd"}, _prefs("CAD", ast=False, custom=custom,
                                                              multicurrency=multicurrency),
        tax_codes=CA_CODES if codes is None else codes, tax_rates=CA_RATES, accounts=ACCOUNTS,
        payment_methods=PAYMENT_METHODS)


# ----------------------------------------------------------------------------------------------
# CrocoClick documents
# ----------------------------------------------------------------------------------------------
HST_ON = {"taxId": "tax_hst", "name": "HST ON", "rate": 13}
US_TAX = {"taxId": "tax_ny", "name": "NY Sales Tax", "rate": Decimal("8.875")}


def line(name: str, quantity: Any, unit_price: str, taxes: list[dict] | None = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "quantity": quantity, "unitPrice": unit_price, "taxes": [dict(t) for t in taxes or []],
            **extra}


def with_totals(doc: dict[str, Any], items_key: str = "items") -> dict[str, Any]:
    """Fills lineSubtotal, each tax amount and totals as CrocoClick would (the sandbox's rules)."""
    result = compute_totals(doc[items_key], doc.get("discount"))
    for item, line_result in zip(doc[items_key], result.lines, strict=True):
        item["lineSubtotal"] = f"{line_result.line_subtotal:.2f}"
        for tax, amount in zip(item.get("taxes") or [], line_result.tax_amounts, strict=True):
            tax["amount"] = f"{amount:.2f}"
    doc["totals"] = result.as_json()
    return doc


def invoice(items: list[dict], *, discount: dict | None = None, currency: str = "USD", number: str = "INV-1042",
            **extra: Any) -> dict[str, Any]:
    doc = {"id": "inv_7Qm2", "number": number, "status": "sent", "origin": "crococlick", "issueDate": "2025-03-01",
           "dueDate": "2025-03-31", "currency": currency, "contactId": "con_3NfQa", "items": items,
           "discount": discount, "memo": None, **extra}
    return with_totals(doc)


def payment(items: list[dict], *, discount: dict | None = None, currency: str = "USD", **extra: Any
            ) -> dict[str, Any]:
    doc = {"id": "pay_9xTq", "contactId": "con_3NfQa", "currency": currency, "status": "succeeded",
           "sourceType": "order_form", "sourceName": "Spring workshop funnel",
           "paymentMethod": {"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"},
           "paidAt": "2025-03-01T23:30:00.000Z", "lineItems": items, "discount": discount,
           "amountRefunded": "0.00", "refunds": [], "mode": "live", "externalRefs": {}, **extra}
    with_totals(doc, "lineItems")
    doc.setdefault("amount", doc["totals"]["total"])
    return doc


CUSTOMER_REF = {"value": "58", "name": "Alex Doe"}
ITEM_REF = {"value": "1", "name": "Services"}


def refs(n: int) -> list[dict[str, str]]:
    return [{"value": str(100 + i), "name": f"Item {i}"} for i in range(n)]


# ----------------------------------------------------------------------------------------------
# QBO's arithmetic (independent reference) and the XSD check
# ----------------------------------------------------------------------------------------------
def qbo_total(payload: dict[str, Any]) -> Decimal:
    """TotalAmt as QuickBooks computes it, checking what QBO validates on the way:
    Amount == UnitPrice x Qty rounded (the same under half-up and half-even), discount = percent of
    the lines above it (PercentBased) else its Amount, TotalAmt = lines - discount + TotalTax.
    For TaxInclusive documents also checks the gross view: sum(TaxInclusiveAmt) - discount equals
    the same total (whichever way QBO reads an inclusive discount, it lands on the same total)."""
    lines_sum = Decimal(0)
    discount = Decimal(0)
    gross = Decimal(0)
    for ln in payload["Line"]:
        if ln["DetailType"] == "SalesItemLineDetail":
            detail = ln["SalesItemLineDetail"]
            amount = Decimal(ln["Amount"])
            assert amount == amount.quantize(CENT), ln
            if "Qty" in detail or "UnitPrice" in detail:
                product = Decimal(detail["Qty"]) * Decimal(detail["UnitPrice"])
                assert product.quantize(CENT, ROUND_HALF_UP) == amount, ln
                assert product.quantize(CENT, ROUND_HALF_EVEN) == amount, ln
            lines_sum += amount
            gross += Decimal(detail.get("TaxInclusiveAmt", 0))
        elif ln["DetailType"] == "DiscountLineDetail":
            detail = ln["DiscountLineDetail"]
            if detail.get("PercentBased"):
                computed = half_up(lines_sum * Decimal(detail["DiscountPercent"]) / 100)
                assert computed == Decimal(ln["Amount"]), ln
                discount += computed
            else:
                discount += Decimal(ln["Amount"])
        else:
            raise AssertionError(f"unexpected line {ln}")
    total = lines_sum - discount + Decimal(payload["TxnTaxDetail"]["TotalTax"])
    if payload.get("GlobalTaxCalculation") == "TaxInclusive":
        assert gross - discount == total
    return total


def assert_xsd_clean(entity: str, payload: dict[str, Any]) -> None:
    model = load_field_model()
    assert model.unknown_fields(entity, payload) == [], model.unknown_fields(entity, payload)
    calc = payload.get("GlobalTaxCalculation")
    if calc is not None:
        info = model.field(entity, "GlobalTaxCalculation")
        assert info is not None and info.enum_values and calc in info.enum_values
