"""CrocoClick invoices -> QBO Invoice: the acceptance examples and each rule."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from crocoqb_desktop.sync import mapping
from tests.test_mapping_support import (
    CUSTOMER_REF,
    HST_ON,
    US_TAX,
    assert_xsd_clean,
    ca_company,
    invoice,
    line,
    qbo_total,
    refs,
    us_company,
)

TEN_PERCENT = {"type": "percentage", "value": "10"}


def two_line_invoice(taxes: list[dict], currency: str) -> dict:
    return invoice([line("Widget", 3, "19.9900", taxes), line("Consulting", 1, "120.5000", taxes)],
                   discount=TEN_PERCENT, currency=currency)


def build(inv: dict, company: mapping.QboCompany, **kwargs) -> dict:
    payload = mapping.invoice_payload(inv, customer_ref=CUSTOMER_REF, item_refs=refs(len(inv["items"])),
                                      company=company, **kwargs)
    assert_xsd_clean("Invoice", payload)
    assert qbo_total(payload) == mapping.expected_qbo_total(inv) == mapping.implied_total(payload)
    return payload


# ----------------------------------------------------------------------------------------------
# acceptance examples
# ----------------------------------------------------------------------------------------------
def test_acceptance_us_automated_sales_tax() -> None:
    inv = two_line_invoice([US_TAX], "USD")
    assert inv["totals"] == {"subtotal": "180.47", "discountTotal": "18.05", "taxTotal": "14.41", "total": "176.83"}
    payload = build(inv, us_company())
    assert qbo_total(payload) == Decimal("176.83")
    items = [ln for ln in payload["Line"] if ln["DetailType"] == "SalesItemLineDetail"]
    assert [ln["Amount"] for ln in items] == [Decimal("59.97"), Decimal("120.50")]
    assert [ln["SalesItemLineDetail"]["TaxCodeRef"] for ln in items] == [{"value": "TAX"}, {"value": "TAX"}]
    assert items[0]["SalesItemLineDetail"]["Qty"] == 3 and items[0]["SalesItemLineDetail"]["UnitPrice"] == Decimal("19.99")
    discount = payload["Line"][-1]
    assert discount == {"DetailType": "DiscountLineDetail", "Amount": Decimal("18.05"),
                        "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": Decimal(10),
                                               "DiscountAccountRef": {"value": "86"}}}
    assert payload["TxnTaxDetail"] == {"TotalTax": Decimal("14.41")}
    assert "GlobalTaxCalculation" not in payload
    assert payload["CurrencyRef"] == {"value": "USD"} and payload["CustomerRef"] == CUSTOMER_REF
    assert payload["TxnDate"] == "2025-03-01" and payload["DueDate"] == "2025-03-31"
    assert payload["DocNumber"] == "INV-1042"


def test_acceptance_canada_hst_on() -> None:
    inv = two_line_invoice([HST_ON], "CAD")
    assert inv["totals"] == {"subtotal": "180.47", "discountTotal": "18.05", "taxTotal": "21.12", "total": "183.54"}
    payload = build(inv, ca_company())
    assert qbo_total(payload) == Decimal("183.54")
    assert payload["GlobalTaxCalculation"] == "TaxExcluded"
    codes = [ln["SalesItemLineDetail"]["TaxCodeRef"] for ln in payload["Line"][:2]]
    assert codes == [{"value": "5", "name": "HST ON"}] * 2  # the name wins over "HST (old)" at 13 %
    assert payload["TxnTaxDetail"] == {"TotalTax": Decimal("21.12")}


# ----------------------------------------------------------------------------------------------
# lines
# ----------------------------------------------------------------------------------------------
def test_quantity_and_unit_price_kept_when_qbo_check_holds() -> None:
    payload = build(invoice([line("Thirds", 3, "0.3333", [])]), us_company())
    detail = payload["Line"][0]["SalesItemLineDetail"]
    assert (payload["Line"][0]["Amount"], detail["Qty"], detail["UnitPrice"]) == (Decimal("1.00"), 3, Decimal("0.3333"))
    assert payload["Line"][0]["Description"] == "Thirds"


def test_rounding_tie_falls_back_to_qty_one_with_quantity_in_description() -> None:
    inv = invoice([line("Tie", 5, "1.0050", [], description="Half-cent tie")])  # 5.025: 5.03 half-up, 5.02 even
    payload = build(inv, us_company())
    ln = payload["Line"][0]
    assert ln["Amount"] == Decimal("5.03")
    assert ln["SalesItemLineDetail"]["Qty"] == 1 and ln["SalesItemLineDetail"]["UnitPrice"] == Decimal("5.03")
    assert ln["Description"] == "Half-cent tie (5 x 1.005)"


def test_fractional_quantities() -> None:
    payload = build(invoice([line("Hours", Decimal("2.5"), "35.0000", []), line("Kg", 0.125, "9.9900", [])]),
                    us_company())
    assert payload["Line"][0]["SalesItemLineDetail"]["Qty"] == Decimal("2.5")
    assert payload["Line"][1]["SalesItemLineDetail"]["Qty"] == Decimal("0.125")  # 1.24875 -> 1.25


def test_description_preferred_over_name_and_unicode_kept() -> None:
    inv = invoice([line("Crème brûlée 🍮", 1, "9.5000", [], description="Dessert\nfor two — 東京")])
    payload = build(inv, us_company())
    assert payload["Line"][0]["Description"] == "Dessert\nfor two — 東京"
    assert build(invoice([line("Crème brûlée 🍮", 1, "9.5000", [])]), us_company())["Line"][0][
        "Description"] == "Crème brûlée 🍮"


def test_item_refs_parallel_or_one_for_all() -> None:
    inv = invoice([line("A", 1, "1.0000", []), line("B", 1, "2.0000", [])])
    one = mapping.invoice_payload(inv, customer_ref=CUSTOMER_REF, item_refs=[{"value": "1", "name": "Services",
                                                                               "extra": "dropped"}],
                                  company=us_company())
    assert [ln["SalesItemLineDetail"]["ItemRef"] for ln in one["Line"]] == [{"value": "1", "name": "Services"}] * 2
    with pytest.raises(ValueError):
        mapping.invoice_payload(inv, customer_ref=CUSTOMER_REF, item_refs=refs(3), company=us_company())


def test_250_lines() -> None:
    items = [line(f"Line {i}", (i % 7) + 1, f"{(i * 37) % 1000}.{i % 10}{(i * 3) % 10}{i % 5}7", [US_TAX] if i % 2
              else []) for i in range(250)]
    inv = invoice(items, discount={"type": "percentage", "value": "12.5"})
    payload = build(inv, us_company())
    assert len([ln for ln in payload["Line"] if ln["DetailType"] == "SalesItemLineDetail"]) == 250


def test_zero_amount_invoices() -> None:
    payload = build(invoice([line("Free sample", 1, "0.0000", [US_TAX])]), us_company())
    assert payload["Line"][0]["Amount"] == Decimal("0.00") and qbo_total(payload) == 0
    assert all(ln["DetailType"] != "DiscountLineDetail" for ln in payload["Line"])
    full_discount = invoice([line("Gift", 2, "10.0000", [HST_ON])], discount={"type": "percentage", "value": "100"},
                            currency="CAD")
    assert full_discount["totals"]["total"] == "0.00"
    assert qbo_total(build(full_discount, ca_company())) == 0


def test_fixed_discount_and_coupon_code() -> None:
    inv = invoice([line("A", 1, "50.0000", [US_TAX])], discount={"type": "fixed", "value": "5", "code": "SPRING"})
    payload = build(inv, us_company())
    assert payload["Line"][-1]["DiscountLineDetail"]["PercentBased"] is False
    assert payload["Line"][-1]["Amount"] == Decimal("5.00") and payload["Line"][-1]["Description"] == "code SPRING"


def test_percentage_discount_on_a_half_cent_tie_is_sent_fixed() -> None:
    inv = invoice([line("A", 1, "0.2500", [])], discount={"type": "percentage", "value": "10"})  # 0.025 -> 0.03
    payload = build(inv, us_company())
    disc = payload["Line"][-1]
    assert disc["Amount"] == Decimal("0.03") and disc["DiscountLineDetail"]["PercentBased"] is False
    assert disc["Description"] == "10% discount"


def test_no_discount_account_known() -> None:
    company = us_company()
    company = type(company)(**{**company.__dict__, "discount_account_id": None})
    payload = build(invoice([line("A", 1, "50.0000", [])], discount=TEN_PERCENT), company)
    assert "DiscountAccountRef" not in payload["Line"][-1]["DiscountLineDetail"]


# ----------------------------------------------------------------------------------------------
# taxes
# ----------------------------------------------------------------------------------------------
def test_us_untaxed_lines_are_non() -> None:
    payload = build(invoice([line("A", 1, "10.0000", [US_TAX]), line("B", 1, "5.0000", [])]), us_company())
    assert [ln["SalesItemLineDetail"]["TaxCodeRef"]["value"] for ln in payload["Line"]] == ["TAX", "NON"]


def test_us_inclusive_taxes_are_converted_to_net_lines() -> None:
    inclusive = {**US_TAX, "inclusive": True}
    inv = invoice([line("Ticket", 2, "54.4400", [inclusive]), line("Fee", 1, "3.0000", [US_TAX])],
                  discount=TEN_PERCENT)
    payload = build(inv, us_company())
    first = payload["Line"][0]
    assert first["Amount"] == Decimal(inv["items"][0]["lineSubtotal"]) - Decimal(inv["items"][0]["taxes"][0]["amount"])
    assert "price incl. 'NY Sales Tax' (8.875%)" in first["Description"]
    assert payload["Line"][-1]["DiscountLineDetail"]["PercentBased"] is False  # the lines are net now
    assert "GlobalTaxCalculation" not in payload


def test_us_without_automated_sales_tax_names_the_transaction_tax_code() -> None:
    eight = {"name": "California", "rate": 8}
    payload = build(invoice([line("A", 2, "10.0000", [eight]), line("B", 1, "1.0000", [])]), us_company(ast=False))
    assert payload["TxnTaxDetail"]["TxnTaxCodeRef"] == {"value": "2", "name": "California"}
    with pytest.raises(mapping.MappingError) as info:
        build(invoice([line("A", 1, "1.0000", [eight]), line("B", 1, "1.0000", [US_TAX])]), us_company(ast=False))
    assert "one sales tax rate" in info.value.message
    with pytest.raises(mapping.MappingError) as info:
        build(invoice([line("A", 1, "1.0000", [US_TAX])]), us_company(ast=False))
    assert "'NY Sales Tax' (8.875%)" in info.value.message


def test_canada_combined_rates_and_exempt_lines() -> None:
    gst, pst, qst = {"name": "GST", "rate": 5}, {"name": "PST BC", "rate": 7}, {"name": "QST", "rate": 9.975}
    inv = invoice([line("BC", 1, "100.0000", [gst, pst]), line("QC", 1, "100.0000", [gst, qst]),
                   line("Fed", 1, "100.0000", [gst]), line("Books", 1, "20.0000", [])], currency="CAD")
    payload = build(inv, ca_company())
    codes = [ln["SalesItemLineDetail"].get("TaxCodeRef", {}).get("name") for ln in payload["Line"]]
    assert codes == ["GST/PST BC", "GST/QST QC", "GST", "Exempt"]
    assert mapping.tax_lines_for(inv["items"], ca_company())[3] == {"value": "20", "name": "Exempt"}


def test_canada_zero_rated_tax_prefers_its_name() -> None:
    inv = invoice([line("Milk", 1, "4.0000", [{"name": "Zero-rated", "rate": 0}])], currency="CAD")
    assert build(inv, ca_company())["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]["value"] == "9"


def test_canada_without_zero_rate_code() -> None:
    codes = [c for c in ca_company().tax_codes if c["Name"] == "HST ON"]
    company = ca_company(codes=codes)
    mixed = build(invoice([line("A", 1, "1.0000", [HST_ON]), line("B", 1, "1.0000", [])], currency="CAD"), company)
    assert "TaxCodeRef" not in mixed["Line"][1]["SalesItemLineDetail"]
    assert mixed["GlobalTaxCalculation"] == "TaxExcluded"
    untaxed = build(invoice([line("B", 1, "1.0000", [])], currency="CAD"), company)
    assert untaxed["GlobalTaxCalculation"] == "NotApplicable"


def test_unknown_tax_fails_with_what_to_create() -> None:
    inv = invoice([line("A", 1, "10.0000", [{"name": "PST SK", "rate": 6}])], currency="CAD")
    with pytest.raises(mapping.MappingError) as info:
        build(inv, ca_company())
    assert "'PST SK' (6%)" in info.value.message
    assert info.value.fix.startswith("Create a tax code for 'PST SK' (6%) in QuickBooks")
    assert "Sync now" in info.value.fix
    inactive = invoice([line("A", 1, "10.0000", [{"name": "HST NS", "rate": 15}])], currency="CAD")
    with pytest.raises(mapping.MappingError):
        build(inactive, ca_company())  # the only 15 % code is inactive


def test_canada_inclusive_taxes() -> None:
    inclusive = {**HST_ON, "inclusive": True}
    inv = invoice([line("Box", 3, "19.9900", [inclusive]), line("Lamp", 1, "120.5000", [inclusive])],
                  discount=TEN_PERCENT, currency="CAD")
    payload = build(inv, ca_company())
    assert payload["GlobalTaxCalculation"] == "TaxInclusive"
    first = payload["Line"][0]
    net = Decimal(inv["items"][0]["lineSubtotal"]) - Decimal(inv["items"][0]["taxes"][0]["amount"])
    assert first["Amount"] == net and first["SalesItemLineDetail"]["TaxInclusiveAmt"] == Decimal("59.97")
    assert payload["TxnTaxDetail"]["TotalTax"] == Decimal(inv["totals"]["taxTotal"])
    assert payload["Line"][-1]["DiscountLineDetail"]["PercentBased"] is False


def test_canada_mixing_inclusive_and_exclusive_fails() -> None:
    inv = invoice([line("A", 1, "10.0000", [{**HST_ON, "inclusive": True}]), line("B", 1, "1.0000", [HST_ON])],
                  currency="CAD")
    with pytest.raises(mapping.MappingError) as info:
        build(inv, ca_company())
    assert "included in the price" in info.value.message


# ----------------------------------------------------------------------------------------------
# document fields
# ----------------------------------------------------------------------------------------------
def test_currency_rules() -> None:
    euro = invoice([line("A", 1, "10.0000", [])], currency="EUR")
    with pytest.raises(mapping.MappingError) as info:
        build(euro, us_company())
    assert "EUR" in info.value.message and "multicurrency" in info.value.fix
    assert build(euro, us_company(multicurrency=True))["CurrencyRef"] == {"value": "EUR"}
    with pytest.raises(mapping.MappingError) as info:
        build(euro, us_company(multicurrency=True), customer_currency="USD")
    assert "one currency per customer" in info.value.message
    build(euro, us_company(multicurrency=True), customer_currency="eur")


def test_doc_number_rules() -> None:
    inv = invoice([line("A", 1, "10.0000", [])])
    assert "DocNumber" not in build(inv, us_company(custom=False))
    long = invoice([line("A", 1, "10.0000", [])], number="INVOICE-2025-000000001")  # 22 characters
    with pytest.raises(mapping.MappingError) as info:
        build(long, us_company())
    assert "21" in info.value.message and "custom transaction numbers" in info.value.fix
    assert "DocNumber" not in build(long, us_company(custom=False))


def test_marker_memo_and_bill_email() -> None:
    inv = invoice([line("A", 1, "10.0000", [])], memo="Thanks!\nSee you", billTo={"name": "Alex", "email": "a@b.co"})
    payload = build(inv, us_company())
    assert payload["PrivateNote"] == "CrocoClick inv_7Qm2 (INV-1042)"
    assert re.search(r"(^|\W)" + re.escape(mapping.marker("inv_7Qm2")) + r"($|\W)", payload["PrivateNote"])
    assert payload["CustomerMemo"] == {"value": "Thanks! See you"}
    assert payload["BillEmail"] == {"Address": "a@b.co"}


def test_sparse_update_of_an_existing_invoice() -> None:
    inv = two_line_invoice([US_TAX], "USD")
    create = mapping.invoice_payload(inv, customer_ref=CUSTOMER_REF, item_refs=refs(2), company=us_company())
    update = build(inv, us_company(), existing={"Id": "119", "SyncToken": "3", "DocNumber": "1035"})
    assert update == {"Id": "119", "SyncToken": "3", "sparse": True, **create}


def test_fingerprint_detects_changes_only() -> None:
    inv = two_line_invoice([US_TAX], "USD")
    a = mapping.invoice_payload(inv, customer_ref=CUSTOMER_REF, item_refs=refs(2), company=us_company())
    b = mapping.invoice_payload(two_line_invoice([US_TAX], "USD"), customer_ref=CUSTOMER_REF, item_refs=refs(2),
                                company=us_company())
    assert mapping.fingerprint(a) == mapping.fingerprint(b)
    changed = two_line_invoice([US_TAX], "USD")
    changed["dueDate"] = "2025-04-30"
    c = mapping.invoice_payload(changed, customer_ref=CUSTOMER_REF, item_refs=refs(2), company=us_company())
    assert mapping.fingerprint(a) != mapping.fingerprint(c)


def test_inconsistent_crococlick_totals_are_refused() -> None:
    inv = two_line_invoice([US_TAX], "USD")
    inv["totals"]["total"] = "176.84"
    with pytest.raises(mapping.MappingError) as info:
        mapping.invoice_payload(inv, customer_ref=CUSTOMER_REF, item_refs=refs(2), company=us_company())
    assert "do not add up" in info.value.message


def test_missing_figures_are_computed_like_crococlick() -> None:
    inv = two_line_invoice([US_TAX], "USD")
    del inv["totals"]
    for item in inv["items"]:
        del item["lineSubtotal"]
        for tax in item["taxes"]:
            del tax["amount"]
    payload = mapping.invoice_payload(inv, customer_ref=CUSTOMER_REF, item_refs=refs(2), company=us_company())
    assert qbo_total(payload) == Decimal("176.83") == mapping.expected_qbo_total(inv)
    assert payload["TxnTaxDetail"]["TotalTax"] == Decimal("14.41")


def test_bad_quantity_is_a_mapping_error() -> None:
    inv = invoice([line("A", 1, "10.0000", [])])
    inv["items"][0]["quantity"] = 0
    with pytest.raises(mapping.MappingError):
        mapping.invoice_payload(inv, customer_ref=CUSTOMER_REF, item_refs=refs(1), company=us_company())
