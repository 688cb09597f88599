"""QBO -> CrocoClick invoices (historical import). Every body is checked against the CrocoClick
contract (the sandbox's validator) and against CrocoClick's own arithmetic: keeping the supplied
tax amounts, CrocoClick must land exactly on QBO's TotalAmt (`expectedTotal`)."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from crocoqb_desktop.sandbox.croco_totals import compute_totals
from crocoqb_desktop.sandbox.croco_validation import validate_invoice_create
from crocoqb_desktop.sync import mapping
from tests.test_mapping_support import ca_company, fixture, us_company


def imported(invoice: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("contact_id", "con_3NfQa")
    kwargs.setdefault("currency", "USD")
    body = mapping.invoice_body_from_qbo(invoice, **kwargs)
    validate_invoice_create(body)
    totals = compute_totals(body["items"], body.get("discount"), keep_supplied_tax_amounts=True)
    assert totals.total == Decimal(body["expectedTotal"])
    entity = invoice.get("Invoice", invoice)
    assert totals.tax_total == Decimal(str((entity.get("TxnTaxDetail") or {}).get("TotalTax", 0))).quantize(
        Decimal("0.01"))
    return body


def test_open_invoice_fixture() -> None:
    body = imported(fixture("invoice_with_tax_open.json"), company=us_company())
    assert body == {
        "number": "1035", "status": "sent", "issueDate": "2023-02-18", "currency": "USD", "contactId": "con_3NfQa",
        "items": [
            {"name": "Rock Fountain", "quantity": 1, "unitPrice": "275.0000",
             "taxes": [{"name": "California", "rate": 8, "amount": "22.00", "inclusive": False}]},
            {"name": "Sprinkler Pipes", "quantity": 4, "unitPrice": "4.0000",
             "taxes": [{"name": "California", "rate": 8, "amount": "1.28", "inclusive": False}]},
        ],
        "dueDate": "2023-03-20", "amountPaid": "0.00", "expectedTotal": "314.28",
        "memo": "Thank you for your business and have a great day!",
        "externalRefs": {"quickbooks.invoice_id": "119"},
    }


def test_paid_invoice_fixture() -> None:
    body = imported(fixture("invoice_with_tax_paid.json"))
    assert body["status"] == "paid" and body["amountPaid"] == "2369.52" and body["expectedTotal"] == "2369.52"
    assert [i["name"] for i in body["items"]] == ["Sprinkler Heads", "Sprinkler Pipes", "Sod", "Services"]
    assert body["items"][3]["description"] == "Installation Hours"
    assert body["items"][0]["taxes"][0]["name"] == "Tax 8%"  # no company given: named after the rate
    assert sum(Decimal(i["taxes"][0]["amount"]) for i in body["items"]) == Decimal("175.52")


def test_partially_paid_invoice() -> None:
    invoice = {**fixture("invoice_with_tax_open.json"), "Balance": Decimal("100.00")}
    body = imported(invoice)
    assert body["status"] == "partially_paid" and body["amountPaid"] == "214.28"


def test_voided_invoice_fixture() -> None:
    body = imported(fixture("invoice_void_response.json"))
    assert body["status"] == "void" and body["expectedTotal"] == "0.00" and body["amountPaid"] == "0.00"
    assert body["items"] == [{"name": "Services", "quantity": 1, "unitPrice": "0.0000"}]


def test_percentage_discount_and_no_tax() -> None:
    invoice = dict(fixture("salesreceipt_with_discount.json"), Id="38")
    body = imported(invoice)
    assert body["discount"] == {"type": "percentage", "value": "10"}
    assert body["items"] == [{"name": "Pest Control", "quantity": 2.5, "unitPrice": "35.0000",
                              "description": "Pest Control Services"}]
    assert body["expectedTotal"] == "78.75"


def test_percentage_discount_that_crococlick_would_round_differently_becomes_fixed() -> None:
    invoice = copy.deepcopy(fixture("salesreceipt_with_discount.json"))
    invoice["Line"][2]["Amount"] = Decimal("8.74")  # QBO rounded 8.75 down (or was edited)
    invoice["TotalAmt"] = Decimal("78.76")
    body = imported(invoice)
    assert body["discount"] == {"type": "fixed", "value": "8.74"}


def test_tax_inclusive_invoice_is_imported_net() -> None:
    invoice = {
        "Id": "2508", "DocNumber": "211", "TxnDate": "2023-08-09", "GlobalTaxCalculation": "TaxInclusive",
        "CurrencyRef": {"value": "AUD"}, "TotalAmt": Decimal("348.26"), "Balance": Decimal("348.26"),
        "Line": [
            {"Id": "1", "Amount": Decimal("277.69"), "DetailType": "SalesItemLineDetail", "Description": "Wire",
             "SalesItemLineDetail": {"ItemRef": {"value": "206", "name": "Wire 15KG"},
                                     "UnitPrice": Decimal("92.5633333"), "Qty": 3,
                                     "TaxInclusiveAmt": Decimal("305.46"), "TaxCodeRef": {"value": "5"}}},
            {"Id": "2", "Amount": Decimal("38.91"), "DetailType": "SalesItemLineDetail", "Description": "Tips",
             "SalesItemLineDetail": {"ItemRef": {"value": "210", "name": "Contact tip"},
                                     "UnitPrice": Decimal("19.455"), "Qty": 2,
                                     "TaxInclusiveAmt": Decimal("42.80"), "TaxCodeRef": {"value": "5"}}},
            {"Amount": Decimal("316.60"), "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}},
        ],
        "TxnTaxDetail": {"TotalTax": Decimal("31.66"), "TaxLine": [
            {"Amount": Decimal("31.66"), "DetailType": "TaxLineDetail",
             "TaxLineDetail": {"TaxRateRef": {"value": "3"}, "PercentBased": True, "TaxPercent": 10,
                               "NetAmountTaxable": Decimal("316.60")}}]},
    }
    body = imported(invoice, currency="AUD")
    assert body["items"][0]["quantity"] == 3 and body["items"][0]["unitPrice"] == "92.5633"
    assert all(not t["inclusive"] for i in body["items"] for t in i["taxes"])


def test_taxes_follow_the_lines_tax_codes_when_the_company_is_known() -> None:
    invoice = {
        "Id": "77", "DocNumber": "A-1", "TxnDate": "2024-01-05", "TotalAmt": Decimal("133.00"), "Balance": 0,
        "Line": [
            {"Amount": Decimal("100.00"), "DetailType": "SalesItemLineDetail",
             "SalesItemLineDetail": {"ItemRef": {"value": "1", "name": "Design"}, "Qty": 1, "UnitPrice": 100,
                                     "TaxCodeRef": {"value": "5"}}},
            {"Amount": Decimal("20.00"), "DetailType": "SalesItemLineDetail",
             "SalesItemLineDetail": {"ItemRef": {"value": "2", "name": "Book"}, "Qty": 2, "UnitPrice": 10,
                                     "TaxCodeRef": {"value": "20"}}},
        ],
        "TxnTaxDetail": {"TotalTax": Decimal("13.00"), "TaxLine": [
            {"Amount": Decimal("13.00"), "DetailType": "TaxLineDetail",
             "TaxLineDetail": {"TaxRateRef": {"value": "10"}, "PercentBased": True, "TaxPercent": 13,
                               "NetAmountTaxable": Decimal("100.00")}}]},
    }
    body = imported(invoice, currency="CAD", company=ca_company())
    assert body["items"][0]["taxes"] == [{"name": "HST ON", "rate": 13, "amount": "13.00", "inclusive": False}]
    assert "taxes" not in body["items"][1]


def test_tax_override_without_tax_lines_and_override_deltas() -> None:
    invoice = copy.deepcopy(fixture("invoice_with_tax_open.json"))
    invoice["TxnTaxDetail"] = {"TotalTax": Decimal("20.00")}
    invoice["TotalAmt"] = invoice["Balance"] = Decimal("311.00")
    body = imported(invoice)
    assert body["items"][0]["taxes"][0]["name"] == "Sales tax"
    assert body["items"][0]["taxes"][0]["rate"] == pytest.approx(6.8729)
    delta = copy.deepcopy(fixture("invoice_with_tax_open.json"))
    delta["TxnTaxDetail"]["TotalTax"] = Decimal("23.30")
    delta["TotalAmt"] = delta["Balance"] = Decimal("314.30")
    imported(delta)


def test_quantity_that_does_not_survive_four_decimals_becomes_one() -> None:
    invoice = {"Id": "5", "TxnDate": "2024-02-01", "TotalAmt": Decimal("1.23"), "Balance": Decimal("1.23"),
               "Line": [{"Amount": Decimal("1.23"), "DetailType": "SalesItemLineDetail", "Description": "Screws",
                         "SalesItemLineDetail": {"ItemRef": {"value": "9"}, "Qty": 1000,
                                                 "UnitPrice": Decimal("0.0012345"), "TaxCodeRef": {"value": "NON"}}}],
               "TxnTaxDetail": {"TotalTax": 0}}
    body = imported(invoice)
    assert body["number"] == "QB-5"
    assert body["items"] == [{"name": "Screws", "quantity": 1, "unitPrice": "1.2300",
                              "description": "Screws (1000 x 0.0012345)"}]


def test_group_lines_are_expanded_and_envelopes_accepted() -> None:
    inner = fixture("invoice_with_tax_open.json")
    grouped = {**inner, "Line": [{"Amount": Decimal("291.00"), "DetailType": "GroupLineDetail",
                                  "GroupLineDetail": {"GroupItemRef": {"value": "50", "name": "Kit"},
                                                      "Quantity": 1, "Line": inner["Line"][:2]}},
                                 inner["Line"][2]]}
    body = imported({"Invoice": grouped, "time": "2023-02-18T12:57:24-08:00"})
    assert [i["name"] for i in body["items"]] == ["Rock Fountain", "Sprinkler Pipes"]


def test_too_many_lines_and_totals_that_do_not_add_up() -> None:
    line = fixture("invoice_with_tax_open.json")["Line"][1]
    big = {"Id": "1", "TxnDate": "2024-01-01", "TotalAmt": Decimal(16 * 251), "Balance": 0, "Line": [line] * 251,
           "TxnTaxDetail": {"TotalTax": 0}}
    with pytest.raises(mapping.MappingError) as info:
        mapping.invoice_body_from_qbo(big, contact_id="c", currency="USD")
    assert "250" in info.value.message
    odd = {**fixture("invoice_with_tax_open.json"), "TotalAmt": Decimal("400.00")}
    with pytest.raises(mapping.MappingError):
        mapping.invoice_body_from_qbo(odd, contact_id="c", currency="USD")


def test_unicode_item_names() -> None:
    invoice = copy.deepcopy(fixture("invoice_with_tax_open.json"))
    invoice["Line"][0]["SalesItemLineDetail"]["ItemRef"]["name"] = "Fontaine en pierre – 石の噴水 ⛲"
    body = imported(invoice)
    assert body["items"][0]["name"] == "Fontaine en pierre – 石の噴水 ⛲"
    assert body["items"][0]["description"] == "Rock Fountain"
