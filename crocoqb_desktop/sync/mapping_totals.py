"""CrocoClick's document arithmetic, as documented in the CrocoClick contract and the sandbox
(`sandbox/croco_totals.py` holds the authoritative statement of the rules; the tests check that
this copy agrees with it). Used only to fill gaps: the mapping prefers the values CrocoClick
supplies (`lineSubtotal`, each tax `amount`, `totals`), because the invoice the customer received
is the one the books must match.

- lineSubtotal = round(quantity x unitPrice); subtotal = sum;
- discountTotal = round(subtotal x value / 100) (percentage) or min(value, subtotal) (fixed);
- the discount is spread pro rata over the lines (largest remainder, in cents);
- per line net = lineSubtotal - share; exclusive tax = round(net x rate / 100); inclusive taxes are
  the tax contained in net (base = net / (1 + sum of inclusive rates / 100), amount = round(base x rate / 100));
- taxTotal = sum of all tax amounts; total = subtotal - discountTotal + exclusive taxes.
"round" is half-up (away from zero) to 2 decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from crocoqb_desktop.sync.mapping_common import HUNDRED, ZERO, allocate, dec, money


@dataclass(frozen=True)
class CrocoTotals:
    line_subtotals: list[Decimal]
    shares: list[Decimal]
    tax_amounts: list[list[Decimal]]  # per line, per tax (in the line's order)
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal


def line_subtotal(item: Mapping[str, Any]) -> Decimal:
    return money(dec(item.get("quantity"), "a quantity") * dec(item.get("unitPrice"), "a unit price"))


def discount_total(subtotal: Decimal, discount: Mapping[str, Any] | None) -> Decimal:
    if not discount or subtotal <= 0:
        return ZERO
    value = dec(discount.get("value"), "the discount")
    if discount.get("type") == "percentage":
        return money(subtotal * value / HUNDRED)
    return money(min(value, subtotal))


def line_tax_amounts(net: Decimal, taxes: Sequence[Mapping[str, Any]]) -> list[Decimal]:
    inclusive = sum((dec(t.get("rate"), "a tax rate") for t in taxes if t.get("inclusive")), Decimal(0))
    base = net / (1 + inclusive / HUNDRED) if inclusive else net
    return [money((base if t.get("inclusive") else net) * dec(t.get("rate"), "a tax rate") / HUNDRED)
            for t in taxes]


def croco_totals(items: Sequence[Mapping[str, Any]], discount: Mapping[str, Any] | None) -> CrocoTotals:
    """CrocoClick's totals for `items` and `discount`; supplied `lineSubtotal`s and tax `amount`s win
    over computed ones."""
    subs = [money(i["lineSubtotal"]) if i.get("lineSubtotal") is not None else line_subtotal(i) for i in items]
    subtotal = sum(subs, ZERO)
    disc = discount_total(subtotal, discount)
    shares = allocate(disc, subs) if disc else [ZERO] * len(subs)
    amounts: list[list[Decimal]] = []
    tax_total = exclusive = ZERO
    for item, sub, share in zip(items, subs, shares, strict=True):
        taxes = list(item.get("taxes") or [])
        computed = line_tax_amounts(sub - share, taxes)
        row = []
        for tax, value in zip(taxes, computed, strict=True):
            amount = money(tax["amount"]) if tax.get("amount") is not None else value
            row.append(amount)
            tax_total += amount
            if not tax.get("inclusive"):
                exclusive += amount
        amounts.append(row)
    return CrocoTotals(subs, shares, amounts, money(subtotal), disc, money(tax_total),
                       money(subtotal - disc + exclusive))
