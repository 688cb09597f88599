"""The money part of a QBO sales document (Invoice, SalesReceipt, RefundReceipt) built from
CrocoClick line items, discount and totals, so that QBO's TotalAmt equals CrocoClick's total to
the cent.

Lines. `Amount` = CrocoClick's lineSubtotal. `Qty`/`UnitPrice` are CrocoClick's quantity and unit
price when QBO's check `Amount == round(UnitPrice x Qty, 2)` holds with no rounding tie (|UnitPrice x
Qty - Amount| < 0.005, so half-up, half-even and float arithmetic all agree); otherwise the line is
sent as `Qty 1`, `UnitPrice = Amount`, and the real "quantity x unit price" is appended to the
Description. Description = the line's description, else its name; on a free-text line sent with
the default item (its ref carries `free_text`) "name: description", so the name is never lost.

Discount. One DiscountLineDetail line whose Amount is CrocoClick's discountTotal. It is sent as
PercentBased/DiscountPercent when QBO's own computation (percent x sum of the line Amounts) rounds
to that amount unambiguously (no half-cent tie, same rule as for Qty x UnitPrice); otherwise (ties,
or inclusive lines sent net) as a fixed Amount with "10% discount" in the Description.
DiscountAccountRef when the company has a discounts account.

Taxes (see `mapping_tax` for the codes). `TxnTaxDetail.TotalTax` = CrocoClick's taxTotal always,
so QBO's own rounding cannot drift. Inclusive taxes:
- non-US: GlobalTaxCalculation "TaxInclusive"; as QBO stores such documents, each line's Amount is
  net of its tax (lineSubtotal - the line's inclusive tax), UnitPrice is net too and
  `TaxInclusiveAmt` = lineSubtotal. A document mixing inclusive and exclusive taxes -> MappingError.
- US: there is no tax-inclusive mode, so inclusive lines are converted to net the same way (the
  Description says "price incl. ..."); mixing is fine there.
Either way TotalAmt = sum(Amount) - discount + TotalTax = subtotal - discountTotal + exclusive taxes,
which is CrocoClick's total; `build_sales_parts` checks it and raises MappingError if CrocoClick's
own numbers do not add up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from crocoqb_desktop.errors import Text
from crocoqb_desktop.messages import message
from crocoqb_desktop.sync.mapping_common import (
    A_TAX_RATE,
    HUNDRED,
    QBO_MAX_DECIMALS,
    ZERO,
    MappingError,
    QboCompany,
    allocate,
    dec,
    decimals_of,
    money,
    plain,
    ref_copy,
)
from crocoqb_desktop.sync.mapping_tax import code_ref, describe_taxes, exempt_code, match_tax_code
from crocoqb_desktop.sync.mapping_totals import croco_totals

_HALF_CENT = Decimal("0.005")
_THIS_DOCUMENT = message("mapping.what.this_document", "this document")
_DATA_FIX = message("mapping.lines.fix", "Open the document in CrocoClick, check its lines and totals, save it again, then press Sync now.")


@dataclass
class SourceLine:
    name: str
    description: str
    qty: Decimal
    unit_price: Decimal
    subtotal: Decimal
    taxes: list[Mapping[str, Any]]
    tax_amounts: list[Decimal]

    @property
    def inclusive_tax(self) -> Decimal:
        return sum((a for t, a in zip(self.taxes, self.tax_amounts, strict=True) if t.get("inclusive")), ZERO)

    @property
    def tax(self) -> Decimal:
        return sum(self.tax_amounts, ZERO)

    @property
    def taxed(self) -> bool:
        rates = sum((dec(t.get("rate"), A_TAX_RATE) for t in self.taxes), Decimal(0))
        return bool(self.taxes) and (rates != 0 or self.tax != 0)


@dataclass
class SalesParts:
    """Everything money-related of a sales document, plus the figures refunds scale from."""

    lines: list[dict[str, Any]]
    discount_line: dict[str, Any] | None
    tax_detail: dict[str, Any]
    global_tax: str | None
    source: list[SourceLine] = field(default_factory=list)
    subtotal: Decimal = ZERO
    discount_total: Decimal = ZERO
    tax_total: Decimal = ZERO
    total: Decimal = ZERO

    def line_list(self) -> list[dict[str, Any]]:
        return self.lines + ([self.discount_line] if self.discount_line else [])


def read_lines(items: Sequence[Mapping[str, Any]], discount: Mapping[str, Any] | None,
               totals: Mapping[str, Any] | None) -> tuple[list[SourceLine], dict[str, Decimal]]:
    """CrocoClick items with every figure filled in (supplied values win), and the totals."""
    for index, item in enumerate(items):
        if dec(item.get("quantity"), message("mapping.what.line_quantity", "the quantity of line {line}",
                                               line=index + 1)) <= 0:
            raise MappingError(message("mapping.quantity_not_positive", 'line {line} has a quantity of zero or less', line=index + 1), fix=_DATA_FIX)
    computed = croco_totals(items, discount)
    lines = [
        SourceLine(
            name=str(item.get("name") or ""),
            description=str(item.get("description") or ""),
            qty=dec(item.get("quantity")),
            unit_price=dec(item.get("unitPrice"), message("mapping.what.line_price", "the unit price of line {line}",
                                                          line=index + 1)),
            subtotal=computed.line_subtotals[index],
            taxes=list(item.get("taxes") or []),
            tax_amounts=computed.tax_amounts[index],
        )
        for index, item in enumerate(items)
    ]
    given = totals or {}

    def pick(key: str, fallback: Decimal) -> Decimal:
        return money(given[key], message("mapping.what.total_field", "the {field}", field=key)) \
            if given.get(key) is not None else fallback

    figures = {
        "subtotal": pick("subtotal", computed.subtotal),
        "discountTotal": pick("discountTotal", computed.discount_total),
        "taxTotal": pick("taxTotal", computed.tax_total),
        "total": pick("total", computed.total),
    }
    return lines, figures


def qty_and_price(amount: Decimal, qty: Decimal, price: Decimal) -> tuple[Decimal, Decimal, bool]:
    """(Qty, UnitPrice, fell_back): keeps qty/price when QBO's Amount check holds unambiguously."""
    if (decimals_of(qty) <= QBO_MAX_DECIMALS and decimals_of(price) <= QBO_MAX_DECIMALS
            and abs(qty * price - amount) < _HALF_CENT):
        return qty, price, False
    return Decimal(1), amount, True


def _description(line: SourceLine, notes: list[str], free_text: bool = False) -> str:
    text = line.description or line.name
    if free_text and line.description and line.name and line.name not in line.description:
        text = f"{line.name}: {line.description}"  # the default item: the line's name must stay visible
    text = text.replace("\r\n", "\n")
    text = "".join(ch for ch in text if ch == "\n" or ord(ch) >= 32).strip()
    if notes:
        text = f"{text} ({'; '.join(notes)})" if text else "; ".join(notes)
    return text[:4000]


def _tax_plan(lines: list[SourceLine], company: QboCompany
              ) -> tuple[list[dict[str, str] | None], str | None, dict[str, str] | None, bool]:
    """(line TaxCodeRefs, GlobalTaxCalculation, TxnTaxCodeRef, net_mode)."""
    flags = {bool(t.get("inclusive")) for line in lines for t in line.taxes}
    if company.is_us:
        codes: list[dict[str, str] | None] = [{"value": "TAX" if ln.taxed else "NON"} for ln in lines]
        txn_code = None
        taxed = [ln for ln in lines if ln.taxed]
        if taxed and not company.automated_sales_tax:
            rates = {sum((dec(t.get("rate")) for t in ln.taxes), Decimal(0)) for ln in taxed}
            if len(rates) > 1:
                raise MappingError(
                    message("mapping.mixed_tax_rates", "its lines carry different sales tax rates, and this QuickBooks company applies one sales "
                    "tax rate per transaction"),
                    fix=message("mapping.mixed_tax_rates.fix", "Use one tax rate for all taxed lines of this document in CrocoClick, or turn on "
                    "automated sales tax in QuickBooks, then press Sync now."))
            txn_code = code_ref(match_tax_code(taxed[0].taxes, company))
        return codes, None, txn_code, True in flags
    if flags == {True, False}:
        raise MappingError(
            message("mapping.mixed_tax_modes", "it mixes taxes included in the price with taxes added on top, which one QuickBooks document "
            "cannot hold"),
            fix=message("mapping.mixed_tax_modes.fix", "Make all taxes of this document either included in the price or added on top in CrocoClick, "
            "then press Sync now."))
    exempt = None
    codes = []
    for line in lines:
        if line.taxes:
            codes.append(code_ref(match_tax_code(line.taxes, company)))
        else:
            if exempt is None:
                found = exempt_code(company)
                exempt = code_ref(found) if found else {}
            codes.append(exempt or None)
    if flags == {True}:
        return codes, "TaxInclusive", None, True
    if any(codes):
        return codes, "TaxExcluded", None, False
    return codes, "NotApplicable", None, False


def _discount_line(figures: dict[str, Decimal], discount: Mapping[str, Any] | None, items_sum: Decimal,
                   company: QboCompany) -> dict[str, Any] | None:
    amount = figures["discountTotal"]
    if amount == 0:
        return None
    if amount < 0 or amount > items_sum:  # QBO: a discount lies between 0 and the lines above it
        raise MappingError(
            message("mapping.discount_out_of_range", "its discount of {amount} is not between 0 and its lines' total of {items_sum}, which QuickBooks requires", amount=amount, items_sum=items_sum),
            fix=message("mapping.discount_out_of_range.fix", "Correct the discount in CrocoClick (a surcharge is a line, not a negative discount), then press "
            "Sync now."))
    detail: dict[str, Any] = {}
    notes = []
    percent = None
    if discount and discount.get("type") == "percentage":
        percent = dec(discount.get("value"), message("mapping.what.discount_percent", "the discount percentage"))
    if (percent is not None and items_sum == figures["subtotal"]
            and abs(items_sum * percent / HUNDRED - amount) < _HALF_CENT):
        detail = {"PercentBased": True, "DiscountPercent": plain(percent)}
    else:
        detail = {"PercentBased": False}
        if percent is not None:
            notes.append(f"{plain(percent)}% discount")
    if discount and discount.get("code"):
        notes.append(f"code {str(discount['code']).strip()}")
    if company.discount_account_id:
        detail["DiscountAccountRef"] = {"value": company.discount_account_id}
    line: dict[str, Any] = {"DetailType": "DiscountLineDetail", "Amount": money(amount), "DiscountLineDetail": detail}
    if notes:
        line["Description"] = ", ".join(notes)[:4000]
    return line


def _check(parts: SalesParts, what: Text) -> None:
    items_sum = sum((dec(line["Amount"]) for line in parts.lines), ZERO)
    discount = dec(parts.discount_line["Amount"]) if parts.discount_line else ZERO
    implied = money(items_sum - discount + dec(parts.tax_detail["TotalTax"]))
    if implied != parts.total:
        raise MappingError(
            message("mapping.amounts_not_adding_up", 'the amounts of {what} do not add up: its lines come to {items_sum}, discount {discount}, tax {total_tax}, which makes {implied}, but its total is {total}', what=what, items_sum=items_sum, discount=discount, total_tax=parts.tax_detail['TotalTax'], implied=implied, total=parts.total),
            fix=_DATA_FIX)


def build_sales_parts(items: Sequence[Mapping[str, Any]], discount: Mapping[str, Any] | None,
                      totals: Mapping[str, Any] | None, *, item_refs: Sequence[Mapping[str, Any]],
                      company: QboCompany, what: Text = _THIS_DOCUMENT) -> SalesParts:
    if not items:
        raise MappingError(message("mapping.no_lines", '{what} has no lines', what=what), fix=_DATA_FIX)
    if len(item_refs) not in (1, len(items)):
        raise ValueError(f"{len(item_refs)} item refs for {len(items)} lines")
    refs = list(item_refs) if len(item_refs) == len(items) else [item_refs[0]] * len(items)
    source, figures = read_lines(items, discount, totals)
    codes, global_tax, txn_code, net_mode = _tax_plan(source, company)
    lines = []
    for line, ref, code in zip(source, refs, codes, strict=True):
        included = line.inclusive_tax if net_mode else ZERO
        amount = money(line.subtotal - included)
        price = line.unit_price
        if included:
            price = (amount / line.qty).quantize(Decimal(1).scaleb(-QBO_MAX_DECIMALS), rounding=ROUND_HALF_UP)
        qty, unit_price, fell_back = qty_and_price(amount, line.qty, price)
        notes = [f"{plain(line.qty)} x {plain(line.unit_price)}"] if fell_back else []
        if included and company.is_us:
            notes.append("price incl. " + describe_taxes([t for t in line.taxes if t.get("inclusive")]))
        detail: dict[str, Any] = {"ItemRef": ref_copy(ref), "Qty": plain(qty), "UnitPrice": plain(unit_price)}
        if code:
            detail["TaxCodeRef"] = code
        if global_tax == "TaxInclusive":
            detail["TaxInclusiveAmt"] = money(line.subtotal)
        out: dict[str, Any] = {"DetailType": "SalesItemLineDetail", "Amount": amount}
        description = _description(line, notes, bool(ref.get("free_text")))
        if description:
            out["Description"] = description
        out["SalesItemLineDetail"] = detail
        lines.append(out)
    items_sum = sum((dec(line["Amount"]) for line in lines), ZERO)
    tax_detail: dict[str, Any] = {"TotalTax": money(figures["taxTotal"])}
    if txn_code:
        tax_detail = {"TxnTaxCodeRef": txn_code, **tax_detail}
    parts = SalesParts(lines, _discount_line(figures, discount, items_sum, company), tax_detail, global_tax,
                       source, figures["subtotal"], figures["discountTotal"], figures["taxTotal"], figures["total"])
    _check(parts, what)
    return parts


def scale_parts(parts: SalesParts, amount: Decimal) -> SalesParts:
    """A part of a sale (a partial refund of `amount`): tax and discount scaled by amount / total
    (half-up), the rest spread over the lines pro rata (largest remainder), each line sent as
    Qty 1 at its new Amount. The scaled document totals exactly `amount`."""
    factor = amount / parts.total
    tax = money(parts.tax_total * factor)
    discount = money(parts.discount_total * factor)
    line_amounts = allocate(amount + discount - tax, [dec(line["Amount"]) for line in parts.lines])
    line_taxes = allocate(tax, [s.tax for s in parts.source]) if tax else [ZERO] * len(parts.lines)
    lines = []
    for line, new_amount, line_tax in zip(parts.lines, line_amounts, line_taxes, strict=True):
        detail = dict(line["SalesItemLineDetail"], Qty=Decimal(1), UnitPrice=new_amount)
        if "TaxInclusiveAmt" in detail:
            detail["TaxInclusiveAmt"] = money(new_amount + line_tax)
        text = f"{line['Description']} (partial refund)" if line.get("Description") else "Partial refund"
        lines.append({"DetailType": "SalesItemLineDetail", "Amount": new_amount, "Description": text[:4000],
                      "SalesItemLineDetail": detail})
    discount_line = None
    if parts.discount_line and discount:
        detail = {k: v for k, v in parts.discount_line["DiscountLineDetail"].items() if k != "DiscountPercent"}
        discount_line = {"DetailType": "DiscountLineDetail", "Amount": discount,
                         "DiscountLineDetail": dict(detail, PercentBased=False)}
    tax_detail = dict(parts.tax_detail, TotalTax=tax)
    scaled = SalesParts(lines, discount_line, tax_detail, parts.global_tax, parts.source,
                        sum(line_amounts, ZERO), discount, tax, money(amount))
    _check(scaled, message("mapping.what.the_refund", "the refund"))
    return scaled
