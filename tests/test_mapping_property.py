"""Property tests: for generated CrocoClick documents, the QBO payload's total (by QBO's arithmetic,
`qbo_total`) equals CrocoClick's total (by the sandbox's CrocoClick arithmetic) to the cent, every
line passes QBO's Amount = Qty x UnitPrice check, and every field exists in the XSD. The other
direction: generated QBO invoices imported into CrocoClick land exactly on TotalAmt."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crocoqb_desktop.sandbox.croco_totals import compute_totals
from crocoqb_desktop.sandbox.croco_validation import validate_invoice_create
from crocoqb_desktop.sync import mapping
from crocoqb_desktop.sync.mapping_totals import croco_totals
from tests.test_mapping_support import (
    CUSTOMER_REF,
    assert_xsd_clean,
    ca_company,
    half_up,
    invoice,
    payment,
    qbo_total,
    refs,
    us_company,
)

LONG = os.environ.get("CROCOQB_LONG_TESTS") == "1"
SETTINGS = settings(max_examples=2000 if LONG else 150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

US_AST, US_MANUAL, CANADA = us_company(), us_company(ast=False), ca_company()

GST, PST, QST, HST = ({"name": "GST", "rate": 5}, {"name": "PST BC", "rate": 7},
                      {"name": "QST", "rate": Decimal("9.975")}, {"name": "HST ON", "rate": 13})
CA_TAX_SETS = [[], [HST], [GST], [GST, PST], [GST, QST], [{"name": "Zero-rated", "rate": 0}]]
US_TAX_SETS = [[], [{"name": "NY", "rate": Decimal("8.875")}], [{"name": "CA", "rate": Decimal("7.25")}],
               [{"name": "State", "rate": 4}, {"name": "City", "rate": Decimal("4.5")}]]

quantities = st.one_of(
    st.integers(1, 40).map(Decimal),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("250"), places=3, allow_nan=False,
                allow_infinity=False),
    st.sampled_from([Decimal("0.5"), Decimal("2.5"), Decimal("0.333"), 1.5, 3]),
)
unit_prices = st.one_of(
    st.decimals(min_value=Decimal(0), max_value=Decimal("9999"), places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("0.3335"), Decimal("1.0050"), Decimal("19.99"), Decimal("0.0050"), Decimal(0)]),
).map(lambda p: f"{p:.4f}")
discounts = st.one_of(
    st.none(),
    st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2).map(
        lambda v: {"type": "percentage", "value": format(v, "f")}),
    st.decimals(min_value=Decimal(0), max_value=Decimal(3000), places=2).map(
        lambda v: {"type": "fixed", "value": format(v, "f")}),
)


def _items(draw: Any, tax_sets: list[list[dict]], inclusive: Any) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 12))
    items = []
    for i in range(count):
        taxes = [dict(t, inclusive=inclusive(draw)) for t in draw(st.sampled_from(tax_sets))]
        items.append({"name": f"Item {i} – ü", "quantity": draw(quantities), "unitPrice": draw(unit_prices),
                      "taxes": taxes})
    return items


@st.composite
def canada_invoices(draw: Any) -> dict[str, Any]:
    doc_inclusive = draw(st.booleans())
    return invoice(_items(draw, CA_TAX_SETS, lambda _d: doc_inclusive), discount=draw(discounts), currency="CAD")


@st.composite
def us_invoices(draw: Any) -> dict[str, Any]:
    return invoice(_items(draw, US_TAX_SETS, lambda d: d(st.booleans())), discount=draw(discounts))


@st.composite
def us_manual_invoices(draw: Any) -> dict[str, Any]:
    california = [[], [{"name": "California", "rate": 8}]]
    return invoice(_items(draw, california, lambda _d: False), discount=draw(discounts))


def _check_invoice(inv: dict[str, Any], company: mapping.QboCompany) -> dict[str, Any]:
    payload = mapping.invoice_payload(inv, customer_ref=CUSTOMER_REF, item_refs=refs(len(inv["items"])),
                                      company=company)
    assert_xsd_clean("Invoice", payload)
    expected = compute_totals(inv["items"], inv.get("discount")).total
    assert Decimal(inv["totals"]["total"]) == expected
    assert qbo_total(payload) == expected == mapping.implied_total(payload)
    assert payload["TxnTaxDetail"]["TotalTax"] == Decimal(inv["totals"]["taxTotal"])
    return payload


@SETTINGS
@given(canada_invoices())
def test_canada_invoice_total_matches_crococlick(inv: dict[str, Any]) -> None:
    payload = _check_invoice(inv, CANADA)
    inclusive = any(t.get("inclusive") for i in inv["items"] for t in i["taxes"])
    assert payload["GlobalTaxCalculation"] == ("TaxInclusive" if inclusive else "TaxExcluded")


@SETTINGS
@given(us_invoices())
def test_us_ast_invoice_total_matches_crococlick(inv: dict[str, Any]) -> None:
    payload = _check_invoice(inv, US_AST)
    assert {ln["SalesItemLineDetail"]["TaxCodeRef"]["value"] for ln in payload["Line"]
            if ln["DetailType"] == "SalesItemLineDetail"} <= {"TAX", "NON"}


@SETTINGS
@given(us_manual_invoices())
def test_us_manual_sales_tax_invoice_total_matches_crococlick(inv: dict[str, Any]) -> None:
    _check_invoice(inv, US_MANUAL)


@SETTINGS
@given(canada_invoices(), st.data())
def test_sales_receipts_and_partial_refunds_total_exactly(inv: dict[str, Any], data: Any) -> None:
    pay = payment(inv["items"], discount=inv.get("discount"), currency="CAD")
    body = mapping.sales_receipt_payload(pay, customer_ref=CUSTOMER_REF, item_refs=refs(len(pay["lineItems"])),
                                         company=CANADA, payment_method_ref=None)
    assert_xsd_clean("SalesReceipt", body)
    total = Decimal(pay["totals"]["total"])
    assert qbo_total(body) == total
    if total <= 0:
        return
    cents = data.draw(st.integers(1, int(total * 100)))
    amount = Decimal(cents) / 100
    refund = mapping.refund_receipt_payload(pay, {"id": "ref_1", "amount": f"{amount:.2f}",
                                                  "refundedAt": "2025-03-02T00:00:00Z"},
                                            customer_ref=CUSTOMER_REF, item_refs=refs(len(pay["lineItems"])),
                                            company=CANADA, payment_method_ref=None)
    assert_xsd_clean("RefundReceipt", refund)
    assert qbo_total(refund) == amount
    assert Decimal(0) <= refund["TxnTaxDetail"]["TotalTax"] <= Decimal(pay["totals"]["taxTotal"])


@SETTINGS
@given(st.lists(st.tuples(quantities, unit_prices, st.sampled_from(US_TAX_SETS + CA_TAX_SETS), st.booleans()),
                min_size=1, max_size=8), discounts)
def test_own_totals_agree_with_the_sandbox_rules(rows: list[Any], discount: dict | None) -> None:
    items = [{"quantity": q, "unitPrice": p, "taxes": [dict(t, inclusive=inc) for t in taxes]}
             for q, p, taxes, inc in rows]
    ours, theirs = croco_totals(items, discount), compute_totals(items, discount)
    assert (ours.subtotal, ours.discount_total, ours.tax_total, ours.total) == (
        theirs.subtotal, theirs.discount_total, theirs.tax_total, theirs.total)
    assert ours.tax_amounts == [line.tax_amounts for line in theirs.lines]


# ----------------------------------------------------------------------------------------------
# QBO -> CrocoClick
# ----------------------------------------------------------------------------------------------
qbo_prices = st.decimals(min_value=Decimal(0), max_value=Decimal(5000), places=7, allow_nan=False,
                         allow_infinity=False)
qbo_quantities = st.one_of(st.integers(1, 30).map(Decimal),
                           st.decimals(min_value=Decimal("0.01"), max_value=Decimal(50), places=2))


@st.composite
def qbo_invoices(draw: Any) -> dict[str, Any]:
    lines = []
    for _ in range(draw(st.integers(1, 10))):
        qty, price = draw(qbo_quantities), draw(qbo_prices)
        taxable = draw(st.booleans())
        lines.append({"Amount": half_up(qty * price), "DetailType": "SalesItemLineDetail",
                      "SalesItemLineDetail": {"ItemRef": {"value": "1", "name": "Services"}, "Qty": qty,
                                              "UnitPrice": price, "TaxCodeRef": {"value": "TAX" if taxable else "NON"}}})
    subtotal = sum((ln["Amount"] for ln in lines), Decimal(0))
    all_lines = list(lines)
    discount = Decimal(0)
    kind = draw(st.sampled_from(["none", "percent", "fixed"]))
    if kind == "percent":
        percent = draw(st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2))
        discount = half_up(subtotal * percent / 100)
        all_lines.append({"Amount": discount, "DetailType": "DiscountLineDetail",
                          "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": percent}})
    elif kind == "fixed" and subtotal > 0:
        discount = draw(st.decimals(min_value=Decimal(0), max_value=subtotal, places=2))
        all_lines.append({"Amount": discount, "DetailType": "DiscountLineDetail",
                          "DiscountLineDetail": {"PercentBased": False}})
    all_lines.append({"Amount": subtotal, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}})
    rate = draw(st.sampled_from([Decimal(8), Decimal("8.875"), Decimal(13)]))
    taxable_base = sum((ln["Amount"] for ln in lines if ln["SalesItemLineDetail"]["TaxCodeRef"]["value"] == "TAX"),
                       Decimal(0))
    tax = half_up(max(taxable_base - discount, Decimal(0)) * rate / 100)
    total = subtotal - discount + tax
    paid = draw(st.decimals(min_value=Decimal(0), max_value=max(total, Decimal(0)), places=2))
    tax_lines = [{"Amount": tax, "DetailType": "TaxLineDetail",
                  "TaxLineDetail": {"TaxRateRef": {"value": "3"}, "PercentBased": True, "TaxPercent": rate,
                                    "NetAmountTaxable": taxable_base}}] if tax else []
    return {"Id": str(draw(st.integers(1, 99999))), "DocNumber": draw(st.sampled_from(["", "1001", "INV-7"])),
            "TxnDate": "2024-05-06", "Line": all_lines, "TxnTaxDetail": {"TotalTax": tax, "TaxLine": tax_lines},
            "TotalAmt": total, "Balance": total - paid}


@SETTINGS
@given(qbo_invoices())
def test_imported_invoices_land_on_qbo_total(inv: dict[str, Any]) -> None:
    body = mapping.invoice_body_from_qbo(inv, contact_id="con_1", currency="USD", company=US_AST)
    validate_invoice_create(body)
    totals = compute_totals(body["items"], body.get("discount"), keep_supplied_tax_amounts=True)
    assert totals.total == inv["TotalAmt"] == Decimal(body["expectedTotal"])
    assert totals.tax_total == inv["TxnTaxDetail"]["TotalTax"]
    assert Decimal(body["amountPaid"]) == inv["TotalAmt"] - inv["Balance"]
