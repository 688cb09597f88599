"""Which QuickBooks tax code a CrocoClick line gets (design notes, sync rule 4).

- US companies: line TaxCodeRef "TAX" (the line has a tax) or "NON". With automated sales tax
  (AST) that is all; CrocoClick's tax amount goes in `TxnTaxDetail.TotalTax` as the override QBO
  honours. Without AST (older US companies) the transaction also names its tax code
  (`TxnTaxDetail.TxnTaxCodeRef`), matched by rate like below; QBO allows one per transaction.
- Other regions: each line's taxes map to one QBO TaxCode whose sales rates
  (TaxCode.SalesTaxRateList.TaxRateDetail[].TaxRateRef -> TaxRate.RateValue) add up to the sum of
  the line's rates; a mapping the user set for that tax (by name, `mappings.tax_source`) wins;
  among codes with that rate, the one whose name matches the tax names wins, then the one with as
  many rates as the line has taxes; two codes still equal -> MappingError "ambiguous" (rule 10:
  a question for the user, never a coin toss). Lines without
  taxes get the company's zero-rate code (preferring a name with "exempt", then "zero"), or
  none when the company has no such code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from crocoqb_desktop.messages import message
from crocoqb_desktop.sync.mapping_common import (
    A_TAX_RATE,
    MappingProblem,
    QboCompany,
    clean_text,
    dec,
    plain,
)
from crocoqb_desktop.sync.mappings import source_key, tax_source


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
    """The QBO TaxCode for a line carrying `taxes` (non-empty); MappingError when none fits or when
    two codes fit equally well (a question for the user, answered with a mapping)."""
    return tax_code_choice(taxes, company)[0]


#: how a tax code was chosen (the check shows it)
BY_MAPPING, BY_NAME, BY_RATE = "mapping", "name", "rate"


def tax_code_choice(taxes: Sequence[Mapping[str, Any]], company: QboCompany) -> tuple[dict, str]:
    """(code, how): the user's mapping of this tax wins; else the only active code at the rate, or
    among several the one whose name matches the tax (then the one with as many rates as the
    line has taxes). Two codes left equal -> MappingError "ambiguous", never a coin toss."""
    target = sum((dec(t.get("rate"), A_TAX_RATE) for t in taxes), Decimal(0))
    names = [str(t.get("name") or "") for t in taxes]
    source = tax_source(list(taxes))
    mapped = company.tax_map.get(source_key("tax", source))
    if mapped:
        return _mapped_code(mapped, source, target, company), BY_MAPPING
    candidates = [(c, n, count) for c, total, n, count in _usable_codes(company) if total == target]
    what = describe_taxes(taxes)
    if not candidates:
        total = message("mapping.taxes_together", " (together {rate}%)", rate=plain(target)) if len(taxes) > 1 else ""
        raise MappingProblem(
            "unmapped_tax", message("mapping.no_tax_code", 'QuickBooks has no active tax code for {what}{total}', what=what, total=total),
            fix=message("tax.no_code_fix", "Create a tax code for {what}{total} in QuickBooks (Taxes > Sales tax "
                        "settings), or choose one for '{source}' on the Check page (`crocoqb map set tax`), then "
                        "press Sync now.", what=what, total=total, source=source))
    ranked = sorted(((-_name_score(c, n, names), count != len(taxes), c) for c, n, count in candidates),
                    key=lambda r: (r[0], r[1], _id_order(r[2])))
    if len(ranked) > 1 and ranked[0][:2] == ranked[1][:2]:
        tied = [r[2] for r in ranked if r[:2] == ranked[0][:2]]
        raise MappingProblem(
            "ambiguous_tax", message("tax.ambiguous", "QuickBooks has {count} tax codes at {rate}% for {what}: {codes}",
                    count=len(tied), rate=str(plain(target)), what=what,
                    codes=", ".join(f"'{c.get('Name')}' (Id {c.get('Id')})" for c in tied)),
            fix=message("tax.ambiguous_fix", "Choose the tax code for '{source}' on the Check page, or run "
                        "`crocoqb map set tax \"{source}\" <TaxCode Id>`, then press Sync now.", source=source))
    return ranked[0][2], BY_NAME if ranked[0][0] < 0 else BY_RATE


def _mapped_code(code_id: str, source: str, target: Decimal, company: QboCompany) -> dict:
    code = company.code_by_id(code_id)
    usable = {str(c.get("Id")): total for c, total, _n, _count in _usable_codes(company)}
    if code is None or str(code_id) not in usable:
        name = code.get("Name") if code else company.mapped_names.get(str(code_id), "")
        raise MappingProblem(
            "tax_code_inactive",
            message("tax.mapped_inactive", "the tax code {name}(Id {qbo_id}) chosen for '{source}' is inactive or "
                    "was deleted in QuickBooks", name=f"'{name}' " if name else "", qbo_id=code_id, source=source),
            fix=message("tax.mapped_inactive_fix", "Choose another tax code for '{source}' on the Check page "
                        "(`crocoqb map set tax`), or make it active again in QuickBooks, then press Sync now.",
                        source=source), qbo_id=str(code_id))
    if usable[str(code_id)] != target:
        raise MappingProblem(
            "tax_rate_differs", message("tax.mapped_rate_differs", "the tax code '{name}' chosen for '{source}' is {code_rate}%, but "
                    "this line's tax is {rate}%", name=code.get("Name"), source=source,
                    code_rate=str(plain(usable[str(code_id)])), rate=str(plain(target))),
            fix=message("tax.mapped_rate_differs_fix", "Choose a tax code at {rate}% for '{source}' on the Check "
                        "page (`crocoqb map set tax`), then press Sync now.", rate=str(plain(target)),
                        source=source))
    return code


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
