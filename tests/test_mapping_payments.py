"""CrocoClick payments -> QBO SalesReceipt, Payment (linked to an invoice), RefundReceipt."""

from __future__ import annotations

from datetime import timedelta, timezone
from decimal import Decimal

import pytest

from crocoqb_desktop.sync import mapping
from tests.test_mapping_support import (
    CUSTOMER_REF,
    HST_ON,
    ITEM_REF,
    US_TAX,
    assert_xsd_clean,
    ca_company,
    line,
    payment,
    qbo_total,
    refs,
    us_company,
)

VISA = {"value": "3", "name": "Visa"}


def sale() -> dict:
    return payment([line("Workshop seat", 2, "49.9900", [US_TAX]), line("Workbook", 1, "12.5000", [])],
                   discount={"type": "percentage", "value": "15", "code": "SPRING"})


def receipt(pay: dict, company: mapping.QboCompany | None = None, **kwargs) -> dict:
    items = pay["lineItems"]
    body = mapping.sales_receipt_payload(pay, customer_ref=CUSTOMER_REF, item_refs=refs(len(items)) if items
                                         else [ITEM_REF], company=company or us_company(),
                                         payment_method_ref=kwargs.pop("method", VISA), **kwargs)
    assert_xsd_clean("SalesReceipt", body)
    assert qbo_total(body) == mapping.expected_qbo_total(pay)
    return body


def test_sales_receipt_from_payment_lines() -> None:
    pay = sale()
    body = receipt(pay)
    assert qbo_total(body) == Decimal(pay["totals"]["total"])
    assert body["PaymentMethodRef"] == VISA and body["PaymentRefNum"] == "4242"
    assert body["DepositToAccountRef"] == {"value": "4"}
    assert body["TxnDate"] == "2025-03-01"
    assert body["PrivateNote"] == "CrocoClick pay_9xTq (order_form: Spring workshop funnel)"
    assert body["DocNumber"] == "pay_9xTq"
    assert body["CurrencyRef"] == {"value": "USD"} and body["CustomerRef"] == CUSTOMER_REF
    assert body["TxnTaxDetail"]["TotalTax"] == Decimal(pay["totals"]["taxTotal"])
    assert [ln["SalesItemLineDetail"]["TaxCodeRef"]["value"] for ln in body["Line"][:2]] == ["TAX", "NON"]
    assert body["Line"][-1]["DetailType"] == "DiscountLineDetail"


def test_sales_receipt_date_in_local_time_and_no_doc_number_without_custom_numbers() -> None:
    tokyo = timezone(timedelta(hours=9))
    body = receipt(sale(), us_company(custom=False), local_tz=tokyo)
    assert body["TxnDate"] == "2025-03-02" and "DocNumber" not in body


def test_manual_payment_without_lines_is_one_default_item_line() -> None:
    pay = payment([], sourceType="manual", sourceName=None, paymentMethod={"type": "cash"})
    pay["amount"], pay["totals"] = "75.00", {"subtotal": "75.00", "discountTotal": "0.00", "taxTotal": "0.00",
                                             "total": "75.00"}
    body = receipt(pay, method={"value": "1", "name": "Cash"})
    assert len(body["Line"]) == 1
    only = body["Line"][0]
    assert only["Amount"] == Decimal("75.00") and only["Description"] == "CrocoClick payment"
    assert only["SalesItemLineDetail"]["ItemRef"] == ITEM_REF
    assert only["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "NON"}
    assert body["PaymentRefNum"] == "pay_9xTq" and body["PrivateNote"] == "CrocoClick pay_9xTq (manual)"
    canada = receipt({**pay, "currency": "CAD"}, ca_company(), method=None)
    assert canada["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]["name"] == "Exempt"
    assert "PaymentMethodRef" not in canada


def test_sales_receipt_currency_checks() -> None:
    with pytest.raises(mapping.MappingError):
        receipt({**sale(), "currency": "EUR"})


def test_payment_linked_to_invoice() -> None:
    pay = payment([], sourceType="invoice", invoiceId="inv_7Qm2", paymentMethod={"type": "cheque"})
    pay["amount"] = "220.00"
    body = mapping.payment_payload(pay, customer_ref=CUSTOMER_REF, qbo_invoice_id="67", company=us_company(),
                                   payment_method_ref={"value": "2", "name": "Check"})
    assert_xsd_clean("Payment", body)
    assert body["Line"] == [{"Amount": Decimal("220.00"), "LinkedTxn": [{"TxnId": "67", "TxnType": "Invoice"}]}]
    assert body["TotalAmt"] == Decimal("220.00") and body["ProcessPayment"] is False
    assert body["DepositToAccountRef"] == {"value": "4"} and body["PaymentMethodRef"]["value"] == "2"
    assert body["PrivateNote"] == "CrocoClick pay_9xTq (invoice inv_7Qm2)"
    assert body["TxnDate"] == "2025-03-01" and body["PaymentRefNum"] == "pay_9xTq"
    assert mapping.implied_total(body) == Decimal("220.00")
    with pytest.raises(mapping.MappingError):
        mapping.payment_payload({**pay, "amount": "0.00"}, customer_ref=CUSTOMER_REF, qbo_invoice_id="67",
                                company=us_company(), payment_method_ref=None)


def refund_receipt(pay: dict, amount: str, company: mapping.QboCompany | None = None) -> dict:
    refund = {"id": "ref_2kLm", "amount": amount, "refundedAt": "2025-03-05T10:00:00Z", "reason": "Changed mind"}
    items = pay["lineItems"]
    body = mapping.refund_receipt_payload(pay, refund, customer_ref=CUSTOMER_REF,
                                          item_refs=refs(len(items)) if items else [ITEM_REF],
                                          company=company or us_company(), payment_method_ref=VISA)
    assert_xsd_clean("RefundReceipt", body)
    assert qbo_total(body) == Decimal(amount)
    return body


def test_full_refund_mirrors_the_sale() -> None:
    pay = sale()
    body = refund_receipt(pay, pay["totals"]["total"])
    sold = receipt(pay)
    assert body["Line"] == sold["Line"] and body["TxnTaxDetail"] == sold["TxnTaxDetail"]
    assert body["DepositToAccountRef"] == {"value": "4"} and body["TxnDate"] == "2025-03-05"
    assert body["PrivateNote"] == "CrocoClick ref_2kLm (refund of payment pay_9xTq) Reason: Changed mind"
    assert body["PaymentRefNum"] == "ref_2kLm" and body["DocNumber"] == "ref_2kLm"


def test_partial_refund_is_proportional() -> None:
    pay = sale()
    body = refund_receipt(pay, "40.00")
    tax = body["TxnTaxDetail"]["TotalTax"]
    expected_tax = (Decimal(pay["totals"]["taxTotal"]) * Decimal("40.00") / Decimal(pay["totals"]["total"]))
    assert abs(tax - expected_tax) <= Decimal("0.005")
    items = [ln for ln in body["Line"] if ln["DetailType"] == "SalesItemLineDetail"]
    assert all(ln["SalesItemLineDetail"]["Qty"] == 1 for ln in items)
    assert items[0]["Description"].endswith("(partial refund)")
    assert items[0]["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "TAX"}


def test_partial_refund_of_a_tax_inclusive_sale() -> None:
    inclusive = {**HST_ON, "inclusive": True}
    pay = payment([line("Box", 3, "19.9900", [inclusive]), line("Lamp", 1, "120.5000", [inclusive])],
                  discount={"type": "fixed", "value": "7.77"}, currency="CAD")
    body = refund_receipt(pay, "33.33", ca_company())
    assert body["GlobalTaxCalculation"] == "TaxInclusive"


def test_refund_of_a_manual_payment_and_bad_amounts() -> None:
    pay = payment([], sourceType="manual")
    pay["amount"], pay["totals"] = "75.00", {"subtotal": "75.00", "discountTotal": "0.00", "taxTotal": "0.00",
                                             "total": "75.00"}
    body = refund_receipt(pay, "25.00")
    assert len(body["Line"]) == 1 and body["Line"][0]["Amount"] == Decimal("25.00")
    for amount in ("75.01", "0.00"):
        with pytest.raises(mapping.MappingError):
            refund_receipt(pay, amount)


@pytest.mark.parametrize(("method", "expected"), [
    ({"type": "card", "brand": "visa", "last4": "4242"}, "3"),
    ({"type": "card", "brand": "MasterCard"}, "4"),
    ({"type": "card", "brand": "amex"}, "5"),
    ({"type": "card", "brand": "discover"}, None),  # inactive in QBO, and no generic "Credit Card"
    ({"type": "card", "brand": None}, None),
    ({"type": "cash"}, "1"),
    ({"type": "cheque"}, "2"),
    ({"type": "bank_debit"}, "7"),
    ({"type": "wallet", "brand": "paypal"}, "8"),
    ({"type": "other"}, None),
    ({}, None),
])
def test_payment_method_for(method: dict, expected: str | None) -> None:
    found = mapping.payment_method_for(method, us_company())
    assert (found or {}).get("value") == expected


def test_payment_method_generic_card() -> None:
    company = us_company()
    company = type(company)(**{**company.__dict__, "payment_methods": (
        {"Id": "9", "Name": "Credit Card", "Active": True},)})
    assert mapping.payment_method_for({"type": "card", "brand": "jcb"}, company) == {"value": "9",
                                                                                     "name": "Credit Card"}


def test_expected_total_of_documents() -> None:
    assert mapping.expected_qbo_total({"totals": {"total": "176.83"}}) == Decimal("176.83")
    assert mapping.expected_qbo_total({"amount": "12.00"}) == Decimal("12.00")
    assert mapping.expected_qbo_total({"items": [line("A", 2, "1.005", [])]}) == Decimal("2.01")


def test_canada_sales_receipt_acceptance() -> None:
    pay = payment([line("Widget", 3, "19.9900", [HST_ON]), line("Consulting", 1, "120.5000", [HST_ON])],
                  discount={"type": "percentage", "value": "10"}, currency="CAD")
    body = receipt(pay, ca_company())
    assert qbo_total(body) == Decimal("183.54")
