"""QBO Invoice -> CrocoClick InvoiceCreate (historical import, `origin: import`).

CrocoClick recomputes totals on import but keeps supplied tax amounts, and refuses the invoice
when `expectedTotal` (QBO's TotalAmt) differs by more than 0.01, so every figure is chosen to make
CrocoClick's arithmetic land exactly on TotalAmt:
- one CrocoClick item per QBO SalesItemLineDetail line (group lines are expanded; description-only
  and subtotal lines are skipped); name from ItemRef.name, else the Description;
- quantity/unitPrice are QBO's Qty/UnitPrice (4 decimals) when round(quantity x unitPrice) equals
  the line Amount, else quantity 1 at the Amount (the real quantity x price goes in the
  description). QBO's tax-inclusive documents store net Amounts, so items are always net;
- taxes: each TxnTaxDetail.TaxLine (one per QBO tax rate) is spread over the lines it applies to,
  pro rata to their Amount (largest remainder), as exclusive taxes with supplied amounts; any
  difference with TotalTax (overrides) lands on the largest share. No TaxLine but a TotalTax
  -> one "Sales tax" at the implied rate;
- discount: DiscountLineDetail as `percentage` when CrocoClick's rounding of that percentage gives
  QBO's Amount, else `fixed`;
- status: void (PrivateNote "Voided" with a zero total, or TxnStatus Voided), paid (Balance 0),
  sent (Balance = TotalAmt), else partially_paid; amountPaid = TotalAmt - Balance.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from crocoqb_desktop.messages import message
from crocoqb_desktop.sync.mapping_common import (
    HUNDRED,
    ZERO,
    MappingError,
    QboCompany,
    allocate,
    clean_text,
    dec,
    json_number,
    money,
    money_str,
    plain,
)

MAX_ITEMS = 250
INVOICE_ID_REF = "quickbooks.invoice_id"
_UNIT4 = Decimal("0.0001")


def _unwrap(invoice: Mapping[str, Any]) -> Mapping[str, Any]:
    inner = invoice.get("Invoice")
    return inner if isinstance(inner, Mapping) else invoice


def _item_lines(lines: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for line in lines:
        kind = line.get("DetailType")
        if kind == "SalesItemLineDetail":
            out.append(line)
        elif kind == "GroupLineDetail":
            out.extend(_item_lines((line.get("GroupLineDetail") or {}).get("Line") or []))
    return out


def is_voided(invoice: Mapping[str, Any]) -> bool:
    if str(invoice.get("TxnStatus") or "").casefold() == "voided":
        return True
    note = str(invoice.get("PrivateNote") or "").strip().casefold()
    return note.startswith("voided") and dec(invoice.get("TotalAmt", 0)) == 0


def _status(invoice: Mapping[str, Any], total: Decimal, balance: Decimal) -> str:
    if is_voided(invoice):
        return "void"
    if balance <= 0:
        return "paid"
    return "sent" if balance >= total else "partially_paid"


def _item(line: Mapping[str, Any]) -> tuple[dict[str, Any], Decimal]:
    detail = line.get("SalesItemLineDetail") or {}
    amount = money(line.get("Amount", 0))
    description = str(line.get("Description") or "").strip()
    name = clean_text((detail.get("ItemRef") or {}).get("name")) or clean_text(description) or "QuickBooks item"
    qty = dec(detail["Qty"]) if detail.get("Qty") is not None else None
    price = dec(detail["UnitPrice"]) if detail.get("UnitPrice") is not None else None
    price4 = price.quantize(_UNIT4, rounding=ROUND_HALF_UP) if price is not None else None
    if qty is not None and qty > 0 and price4 is not None and money(qty * price4) == amount:
        quantity, unit_price = qty, price4
    else:
        quantity, unit_price = Decimal(1), amount.quantize(_UNIT4)
        if qty is not None and price is not None and (qty, price) != (1, amount):
            note = f"{plain(qty)} x {plain(price)}"
            description = f"{description} ({note})" if description else note
    item: dict[str, Any] = {"name": name[:200], "quantity": json_number(quantity),
                            "unitPrice": f"{unit_price:.4f}"}
    if description and description != name:
        item["description"] = description[:2000]
    return item, amount


def _rate_ids_of(code_id: Any, company: QboCompany | None) -> set[str] | None:
    if company is None or code_id is None:
        return None
    code = company.code_by_id(code_id)
    if code is None:
        return None
    details = ((code.get("SalesTaxRateList") or {}).get("TaxRateDetail")) or []
    return {str((d.get("TaxRateRef") or {}).get("value")) for d in details}


def _taxes(invoice: Mapping[str, Any], lines: list[Mapping[str, Any]], amounts: list[Decimal],
           company: QboCompany | None) -> list[list[dict[str, Any]]]:
    detail = invoice.get("TxnTaxDetail") or {}
    total_tax = money(detail.get("TotalTax", 0))
    codes = [((line.get("SalesItemLineDetail") or {}).get("TaxCodeRef") or {}).get("value") for line in lines]
    taxable = [c is not None and str(c) != "NON" for c in codes]
    if not any(taxable):
        taxable = [True] * len(lines)
    out: list[list[dict[str, Any]]] = [[] for _ in lines]
    entries: list[tuple[int, dict[str, Any]]] = []
    for tax_line in detail.get("TaxLine") or []:
        info = tax_line.get("TaxLineDetail") or {}
        amount = money(tax_line.get("Amount", 0))
        rate_id = (info.get("TaxRateRef") or {}).get("value")
        rate = dec(info["TaxPercent"]) if info.get("TaxPercent") is not None else (
            company.rate_value(rate_id) if company and rate_id is not None else None)
        name = ((info.get("TaxRateRef") or {}).get("name") or (company.rate_name(rate_id) if company else None)
                or (f"Tax {plain(rate)}%" if rate is not None else "Tax"))
        applies = []
        for i, code in enumerate(codes):
            ids = _rate_ids_of(code, company)
            applies.append(taxable[i] if ids is None else str(rate_id) in ids)
        if not any(applies):
            applies = taxable
        chosen = [i for i, ok in enumerate(applies) if ok]
        if rate is None:
            base = sum((amounts[i] for i in chosen), ZERO)
            rate = (amount * HUNDRED / base).quantize(_UNIT4) if base else Decimal(0)
        for i, share in zip(chosen, allocate(amount, [amounts[i] for i in chosen]), strict=True):
            tax = {"name": clean_text(name)[:100] or "Tax", "rate": json_number(min(max(rate, Decimal(0)), HUNDRED)),
                   "amount": share, "inclusive": False}
            out[i].append(tax)
            entries.append((i, tax))
    missing = total_tax - sum((t["amount"] for _, t in entries), ZERO)
    if missing and entries:
        _, biggest = max(entries, key=lambda e: (abs(e[1]["amount"]), -e[0]))
        biggest["amount"] += missing
    elif missing:
        chosen = [i for i, ok in enumerate(taxable) if ok]
        base = sum((amounts[i] for i in chosen), ZERO)
        rate = (missing * HUNDRED / base).quantize(_UNIT4) if base else Decimal(0)
        for i, share in zip(chosen, allocate(missing, [amounts[i] for i in chosen]), strict=True):
            out[i].append({"name": "Sales tax", "rate": json_number(min(max(rate, Decimal(0)), HUNDRED)),
                           "amount": share, "inclusive": False})
    for row in out:
        for tax in row:
            tax["amount"] = money_str(dec(tax["amount"]))
    return out


def _discount(lines: list[Mapping[str, Any]], subtotal: Decimal) -> tuple[dict[str, str] | None, Decimal]:
    found = [line for line in lines if line.get("DetailType") == "DiscountLineDetail"]
    amount = sum((money(line.get("Amount", 0)) for line in found), ZERO)
    if amount == 0:
        return None, ZERO
    if len(found) == 1:
        detail = found[0].get("DiscountLineDetail") or {}
        if detail.get("PercentBased") and detail.get("DiscountPercent") is not None:
            percent = dec(detail["DiscountPercent"])
            if (Decimal(0) <= percent <= HUNDRED and percent == percent.quantize(Decimal("0.01"))
                    and money(subtotal * percent / HUNDRED) == amount):
                return {"type": "percentage", "value": format(plain(percent), "f")}, amount
    return {"type": "fixed", "value": money_str(amount)}, amount


def invoice_body_from_qbo(invoice: Mapping[str, Any], *, contact_id: str, currency: str,
                          company: QboCompany | None = None) -> dict[str, Any]:
    """A CrocoClick InvoiceCreate body for a QBO Invoice (entity or `{"Invoice": ...}`). Pass
    `company` to name taxes after the company's TaxRates and apply them by tax code."""
    inv = _unwrap(invoice)
    qbo_id = str(inv.get("Id"))
    lines = list(inv.get("Line") or [])
    item_lines = _item_lines(lines)
    total = money(inv.get("TotalAmt", 0))
    balance = money(inv.get("Balance", 0))
    if len(item_lines) > MAX_ITEMS:
        raise MappingError(
            message("mapping.import_too_many_lines", 'QuickBooks invoice {doc_number} has {item_lines} lines; CrocoClick accepts at most {max_items}', doc_number=inv.get('DocNumber') or qbo_id, item_lines=len(item_lines), max_items=MAX_ITEMS),
            fix=message("mapping.import_too_many_lines.fix", "This invoice stays in QuickBooks only; nothing else is affected."))
    items_and_amounts = [_item(line) for line in item_lines]
    if not items_and_amounts:
        amount = total - money((inv.get("TxnTaxDetail") or {}).get("TotalTax", 0))
        items_and_amounts = [({"name": "QuickBooks invoice", "quantity": 1, "unitPrice": f"{amount:.4f}"}, amount)]
        item_lines = [{}]
    items = [item for item, _ in items_and_amounts]
    amounts = [amount for _, amount in items_and_amounts]
    for item, taxes in zip(items, _taxes(inv, item_lines, amounts, company), strict=True):
        if taxes:
            item["taxes"] = taxes
    subtotal = sum(amounts, ZERO)
    discount, discount_amount = _discount(lines, subtotal)
    tax_total = sum((dec(t["amount"]) for item in items for t in item.get("taxes", [])), ZERO)
    if money(subtotal - discount_amount + tax_total) != total:
        raise MappingError(
            message("mapping.import_not_adding_up", 'QuickBooks invoice {doc_number} does not add up the way CrocoClick counts (lines {subtotal} - discount {discount_amount} + tax {tax_total} is not its total {total})', doc_number=inv.get('DocNumber') or qbo_id, subtotal=subtotal, discount_amount=discount_amount, tax_total=tax_total, total=total),
            fix=message("mapping.import_not_adding_up.fix", "This invoice stays in QuickBooks only; check it there (deposits, shipping or rounding)."))
    number = clean_text(inv.get("DocNumber"))[:40] or f"QB-{qbo_id}"
    body: dict[str, Any] = {
        "number": number,
        "status": _status(inv, total, balance),
        "issueDate": str(inv.get("TxnDate")),
        "currency": str(currency).upper(),
        "contactId": str(contact_id),
        "items": items,
    }
    if inv.get("DueDate"):
        body["dueDate"] = str(inv["DueDate"])
    if discount:
        body["discount"] = discount
    body["amountPaid"] = money_str(max(total - balance, ZERO))
    body["expectedTotal"] = money_str(total)
    memo = str((inv.get("CustomerMemo") or {}).get("value") or "").strip()
    if memo:
        body["memo"] = memo[:4000]
    body["externalRefs"] = {INVOICE_ID_REF: qbo_id}
    return body
