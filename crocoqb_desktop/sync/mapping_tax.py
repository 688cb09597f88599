"""Which QuickBooks tax code a CrocoClick line gets (design notes, sync rule 4).

- US companies: line TaxCodeRef "TAX" (the line has a tax) or "NON". With automated sales tax
  (AST) that is all; CrocoClick's tax amount goes in `TxnTaxDetail.TotalTax` as the override QBO
  honours. Without AST (older US companies) the transaction also names its tax code
  (`TxnTaxDetail.TxnTaxCodeRef`), matched by rate like below; QBO allows one per transaction.
- Other regions: each line's taxes map to one QBO TaxCode whose sales rates
  (TaxCode.SalesTaxRateList.TaxRateDetail[].TaxRateRef -> TaxRate.RateValue) add up to the sum of
  the line's rates; among codes with that rate, the one whose name matches the tax names wins,
  then the one with as many rates as the line has taxes, then the lowest Id. Lines without
  taxes get the company's zero-rate code (preferring a name with "exempt", then "zero"), or
  none when the company has no such code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from crocoqb_desktop.messages import message
from crocoqb_desktop.sync.mapping_common import A_TAX_RATE, MappingError, QboCompany, clean_text, dec, plain


def _key(text: Any) -> str:
    return "".join(ch for ch in clean_text(text).casefold() if ch.isalnum())


def _code_rates(code: Mapping[str, Any], company: QboCompany) -> tuple[list[Decimal], list[str]] | None:
    """Sales rate values and names of a code; None when a rate is unknown (code unusable)."""
    details = ((code.get("SalesTaxRateList") or {}).get("TaxRateDetail")) or []
    values: list[Decimal] = []
    names: list[str] = []
    for detail in details:
        rate_id = (detail.get("TaxRateRef") or {}).get("value")
        value = company.rate_value(rate_id)
        if value is None:
            return None
        values.append(value)
        names.append(company.rate_name(rate_id) or str((detail.get("TaxRateRef") or {}).get("name") or ""))
    return values, names


def _id_order(code: Mapping[str, Any]) -> tuple[int, str]:
    ident = str(code.get("Id", ""))
    return (int(ident), "") if ident.isdigit() else (1 << 62, ident)


def _usable_codes(company: QboCompany) -> list[tuple[dict, Decimal, list[str], int]]:
    out = []
    for code in company.tax_codes:
        if code.get("Active", True) is False or str(code.get("Id")) in {"TAX", "NON"}:
            continue
        sales = ((code.get("SalesTaxRateList") or {}).get("TaxRateDetail")) or []
        purchase = ((code.get("PurchaseTaxRateList") or {}).get("TaxRateDetail")) or []
        if not sales and purchase:
            continue  # a purchase-only code (e.g. input tax credits) is not for sales
        rates = _code_rates(code, company)
        if rates is None:
            continue
        values, names = rates
        out.append((code, sum(values, Decimal(0)), names, len(values)))
    return out


def _name_score(code: Mapping[str, Any], rate_names: list[str], tax_names: list[str]) -> int:
    wanted = [_key(n) for n in tax_names if _key(n)]
    if not wanted:
        return 0
    code_name = _key(code.get("Name"))
    if len(wanted) == 1 and code_name == wanted[0]:
        return 3
    if sorted(_key(n) for n in rate_names) == sorted(wanted):
        return 3
    haystack = code_name + " " + _key(code.get("Description"))
    if all(w in haystack for w in wanted) or (len(wanted) == 1 and code_name and code_name in wanted[0]):
        return 2
    return 0


def describe_taxes(taxes: Sequence[Mapping[str, Any]]) -> str:
    return " + ".join(f"'{clean_text(t.get('name')) or 'tax'}' ({plain(dec(t.get('rate'), A_TAX_RATE))}%)"
                      for t in taxes)


def match_tax_code(taxes: Sequence[Mapping[str, Any]], company: QboCompany) -> dict:
    """The QBO TaxCode for a line carrying `taxes` (non-empty); MappingError when none fits."""
    target = sum((dec(t.get("rate"), A_TAX_RATE) for t in taxes), Decimal(0))
    names = [str(t.get("name") or "") for t in taxes]
    candidates = [(c, n, count) for c, total, n, count in _usable_codes(company) if total == target]
    if not candidates:
        what = describe_taxes(taxes)
        total = message("mapping.taxes_together", " (together {rate}%)", rate=plain(target)) if len(taxes) > 1 else ""
        raise MappingError(
            message("mapping.no_tax_code", 'QuickBooks has no active tax code for {what}{total}', what=what, total=total),
            fix=message("mapping.no_tax_code.fix", 'Create a tax code for {what}{total} in QuickBooks (Taxes > Sales tax settings), then press Sync now.', what=what, total=total))
    candidates.sort(key=lambda c: (-_name_score(c[0], c[1], names), c[2] != len(taxes), _id_order(c[0])))
    return candidates[0][0]


def exempt_code(company: QboCompany) -> dict | None:
    """The company's zero-rate code for lines without taxes, or None."""
    zero = [c for c, total, _names, _n in _usable_codes(company) if total == 0]

    def rank(code: Mapping[str, Any]) -> tuple[int, tuple[int, str]]:
        name = _key(code.get("Name"))
        score = 0 if "exempt" in name else 1 if "zero" in name else 2
        return score, _id_order(code)

    return min(zero, key=rank) if zero else None


def code_ref(code: Mapping[str, Any]) -> dict[str, str]:
    out = {"value": str(code["Id"])}
    if code.get("Name"):
        out["name"] = str(code["Name"])
    return out
