"""How CrocoClick computes document totals (invoices and payment line items).

These are the rules the sandbox applies server-side; the mapping code must reproduce them exactly
(to the cent) so that a QuickBooks document matches what the customer was shown. All arithmetic is
`decimal.Decimal`; "round" below always means ROUND_HALF_UP to 2 decimals (0.005 -> 0.01,
-0.005 -> -0.01, i.e. half away from zero).

1. Line subtotal: ``lineSubtotal = round(quantity x unitPrice)`` (unitPrice has up to 4 decimals).
2. ``subtotal = sum(lineSubtotal)`` (already 2 decimals, no further rounding).
3. Discount total (document level, before tax):
   - ``percentage``: ``discountTotal = round(subtotal x value / 100)``;
   - ``fixed``: ``discountTotal = min(value, subtotal)`` (capped at the subtotal);
   - no discount, or ``subtotal <= 0``: ``discountTotal = 0.00``.
4. The discount is spread over the lines pro rata to their lineSubtotal with the largest-remainder
   method, so the shares sum exactly to discountTotal: in cents, each line first gets
   ``floor(discountTotal x lineSubtotal / subtotal)``; the cents still missing go, one each, to the
   lines with the largest fractional remainders (ties: the earlier line first).
5. Per line, ``net = lineSubtotal - share``. For each tax on the line (``rate`` is a percentage):
   - exclusive (``inclusive`` false, the default): ``amount = round(net x rate / 100)``;
   - inclusive (the unit price already contains the tax): the tax contained in ``net``. With one
     inclusive tax that is ``round(net - net / (1 + rate / 100))``; with several inclusive taxes on one
     line, ``base = net / (1 + sum(inclusive rates) / 100)`` and each ``amount = round(base x rate / 100)``
     (identical to the one-tax formula when there is one).
   - Exclusive taxes are always computed on ``net`` as stated on the line, even if the line also
     carries inclusive taxes (mixing both on one line is not expected).
   - On ``origin: import`` invoices a tax ``amount`` supplied by the caller is kept as-is (the source
     system already computed and filed it); only missing amounts are computed.
6. ``taxTotal = sum of every line tax amount`` (inclusive and exclusive).
7. ``total = subtotal - discountTotal + sum of exclusive tax amounts`` (inclusive taxes are already
   inside the subtotal).
8. On an invoice, ``amountDue = total - amountPaid``.

Worked example (US, 8.875 % exclusive sales tax, 10 % discount):
  line A 3 x 19.99 = 59.97, line B 1 x 120.50 = 120.50, subtotal 180.47;
  discount round(18.047) = 18.05; exact shares 5.99808.. and 12.05191.. -> floors 5.99 + 12.05 = 18.04,
  the missing cent goes to A (remainder .808 > .191): shares 6.00 and 12.05;
  taxes round(53.97 x 8.875%) = round(4.7898375) = 4.79 and round(108.45 x 8.875%) = round(9.6249375) = 9.62;
  taxTotal 14.41; total 180.47 - 18.05 + 14.41 = 176.83.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def to_decimal(value: Any) -> Decimal:
    """A Decimal from a JSON number or decimal string (floats go through `str`, which is exact for
    the short literals JSON carries)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("boolean is not a number")
    if isinstance(value, int | str):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raise TypeError(f"not a number: {type(value).__name__}")


def round_money(value: Decimal) -> Decimal:
    """Round half-up (half away from zero) to 2 decimals; never returns -0.00."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else ZERO


def fmt_money(value: Decimal) -> str:
    """An `Amount` string: exactly 2 decimals."""
    return f"{round_money(value):.2f}"


def line_subtotal(quantity: Any, unit_price: Any) -> Decimal:
    return round_money(to_decimal(quantity) * to_decimal(unit_price))


def discount_total(subtotal: Decimal, discount: Mapping[str, Any] | None) -> Decimal:
    if not discount or subtotal <= 0:
        return ZERO
    value = to_decimal(discount["value"])
    if discount["type"] == "percentage":
        return round_money(subtotal * value / HUNDRED)
    return round_money(min(value, subtotal))


def allocate_discount(subtotals: Sequence[Decimal], total_discount: Decimal) -> list[Decimal]:
    """Spread `total_discount` over lines pro rata to `subtotals` (largest remainder, in cents)."""
    whole = sum(subtotals, ZERO)
    if total_discount == 0 or whole == 0:
        return [ZERO for _ in subtotals]
    cents = total_discount / CENT  # an integer-valued Decimal
    exact = [cents * s / whole for s in subtotals]
    floors = [e.to_integral_value(rounding=ROUND_FLOOR) for e in exact]
    missing = int(cents - sum(floors, Decimal(0)))
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [round_money(f * CENT) for f in floors]


def line_tax_amounts(net: Decimal, taxes: Sequence[Mapping[str, Any]]) -> list[Decimal]:
    """The tax amount of each tax on a line whose amount after discount is `net`."""
    inclusive_rate = sum((to_decimal(t["rate"]) for t in taxes if t.get("inclusive")), Decimal(0))
    base = net / (1 + inclusive_rate / HUNDRED) if inclusive_rate else net
    amounts = []
    for tax in taxes:
        rate = to_decimal(tax["rate"])
        if tax.get("inclusive"):
            amounts.append(round_money(base * rate / HUNDRED))
        else:
            amounts.append(round_money(net * rate / HUNDRED))
    return amounts


@dataclass
class LineResult:
    line_subtotal: Decimal
    discount_share: Decimal
    tax_amounts: list[Decimal] = field(default_factory=list)


@dataclass
class DocumentTotals:
    lines: list[LineResult]
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal

    def as_json(self) -> dict[str, str]:
        """The `Totals` object of the API."""
        return {
            "subtotal": fmt_money(self.subtotal),
            "discountTotal": fmt_money(self.discount_total),
            "taxTotal": fmt_money(self.tax_total),
            "total": fmt_money(self.total),
        }


def compute_totals(
    items: Sequence[Mapping[str, Any]],
    discount: Mapping[str, Any] | None = None,
    *,
    keep_supplied_tax_amounts: bool = False,
) -> DocumentTotals:
    """Apply the rules of this module to `items` (API `LineItem` shapes: quantity, unitPrice,
    taxes[{rate, inclusive, amount?}]) and an optional API `Discount`."""
    subtotals = [line_subtotal(item["quantity"], item["unitPrice"]) for item in items]
    subtotal = sum(subtotals, ZERO)
    disc = discount_total(subtotal, discount)
    shares = allocate_discount(subtotals, disc)
    lines: list[LineResult] = []
    tax_total = ZERO
    exclusive_total = ZERO
    for item, sub, share in zip(items, subtotals, shares, strict=True):
        taxes = list(item.get("taxes") or [])
        computed = line_tax_amounts(sub - share, taxes)
        amounts = []
        for tax, amount in zip(taxes, computed, strict=True):
            if keep_supplied_tax_amounts and tax.get("amount") is not None:
                amount = round_money(to_decimal(tax["amount"]))
            amounts.append(amount)
            tax_total += amount
            if not tax.get("inclusive"):
                exclusive_total += amount
        lines.append(LineResult(sub, share, amounts))
    total = subtotal - disc + exclusive_total
    return DocumentTotals(lines, round_money(subtotal), disc, round_money(tax_total), round_money(total))
