"""What a mapping may point to in QuickBooks, and QuickBooks' lists the check and the mappings read.

Target rules (each a clear MappingInputError, nothing saved, when broken):
- tax -> an active TaxCode (not the US pseudo codes TAX/NON) whose sales rates add up to the
  CrocoClick rate of that tax (`croco_rates`: the rates the tax was seen with);
- item -> an active Item that can be on a sales line (not a Category);
- deposit -> an active Bank or Other Current Asset account (Undeposited Funds is one);
- clearing, payout -> an active Bank account (rule 14: the processor's balance and the real bank);
- fees -> an active Expense, Other Expense or Cost of Goods Sold account (merchant fees are a cost
  of selling; bookkeepers use any of the three);
- adjustment -> an active expense or income account (Expense, Other Expense, Cost of Goods Sold,
  Income, Other Income): a dispute loss or a reserve released.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crocoqb_desktop.messages import message
from crocoqb_desktop.sync.mapping_common import dec, plain
from crocoqb_desktop.sync.mappings import (
    ADJUSTMENT,
    CLEARING,
    DEPOSIT,
    FEES,
    ITEM,
    PAYOUT,
    TAX,
    MappingInputError,
)

ACCOUNT_TYPES: dict[str, tuple[str, ...]] = {
    DEPOSIT: ("Bank", "Other Current Asset"),
    CLEARING: ("Bank",),
    PAYOUT: ("Bank",),
    FEES: ("Expense", "Other Expense", "Cost of Goods Sold"),
    ADJUSTMENT: ("Expense", "Other Expense", "Cost of Goods Sold", "Income", "Other Income"),
}
ENTITY_OF = {TAX: "TaxCode", ITEM: "Item", **{k: "Account" for k in ACCOUNT_TYPES}}
_WHERE_TO_LOOK = {
    "TaxCode": "Taxes > Sales tax settings",
    "Item": "Sales > Products and services",
    "Account": "Accounting > Chart of accounts",
}


def active(obj: dict[str, Any]) -> bool:
    return obj.get("Active", True) is not False


def name_of(obj: dict[str, Any]) -> str:
    return str(obj.get("FullyQualifiedName") or obj.get("Name") or obj.get("DisplayName") or "")


@dataclass
class QboLists:
    """QuickBooks' accounts, tax codes, tax rates and items (inactive ones too), read once."""

    accounts: list[dict[str, Any]] = field(default_factory=list)
    tax_codes: list[dict[str, Any]] = field(default_factory=list)
    tax_rates: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def read(cls, client: Any, entities: Iterable[str] = ("Account", "TaxCode", "TaxRate", "Item")) -> QboLists:
        lists = cls()
        wanted = set(entities)
        for entity, attr in (("Account", "accounts"), ("TaxCode", "tax_codes"), ("TaxRate", "tax_rates"),
                             ("Item", "items")):
            if entity in wanted:
                setattr(lists, attr, list(client.query_all(entity, ["Active IN (true, false)"])))
        return lists

    def of(self, entity: str) -> list[dict[str, Any]]:
        return {"Account": self.accounts, "TaxCode": self.tax_codes, "TaxRate": self.tax_rates,
                "Item": self.items}[entity]

    def find(self, entity: str, qbo_id: str) -> dict[str, Any] | None:
        return next((o for o in self.of(entity) if str(o.get("Id")) == str(qbo_id)), None)

    def code_rate(self, code: dict[str, Any]) -> Decimal | None:
        """The sum of a tax code's sales rates; None when it has none or one is unknown."""
        details = ((code.get("SalesTaxRateList") or {}).get("TaxRateDetail")) or []
        if not details:
            return None
        total = Decimal(0)
        for detail in details:
            rate = self.find("TaxRate", str((detail.get("TaxRateRef") or {}).get("value")))
            if rate is None or rate.get("RateValue") is None:
                return None
            total += dec(rate["RateValue"], "a tax rate")
        return total

    def choices(self, kind: str) -> list[dict[str, Any]]:
        """The active objects a mapping of `kind` may point to (the GUI's pickers)."""
        entity = ENTITY_OF[kind]
        return [o for o in self.of(entity) if active(o) and _fits(kind, o, self)]


def _fits(kind: str, obj: dict[str, Any], lists: QboLists) -> bool:
    if kind in ACCOUNT_TYPES:
        return obj.get("AccountType") in ACCOUNT_TYPES[kind]
    if kind == ITEM:
        return obj.get("Type") != "Category"
    return str(obj.get("Id")) not in {"TAX", "NON"} and lists.code_rate(obj) is not None


def check_target(kind: str, source: str, qbo_id: str, lists: QboLists,
                 croco_rates: Iterable[Decimal] | None = None) -> dict[str, Any]:
    """The QuickBooks object `qbo_id` when it may be the target of this mapping, else MappingInputError."""
    entity = ENTITY_OF[kind]
    obj = lists.find(entity, qbo_id)
    where = _WHERE_TO_LOOK[entity]
    if obj is None:
        raise MappingInputError(
            message("mappings.target_missing", "QuickBooks has no {entity} with Id {qbo_id}",
                    entity=entity, qbo_id=qbo_id),
            fix=message("mappings.target_missing_fix", "Check the Id in QuickBooks ({where}), or run "
                        "`crocoqb map list` and `crocoqb check` to see the ones that fit.", where=where))
    name = name_of(obj)
    if not active(obj):
        raise MappingInputError(
            message("mappings.target_inactive", "the {entity} '{name}' (Id {qbo_id}) is inactive in QuickBooks",
                    entity=entity, name=name, qbo_id=qbo_id),
            fix=message("mappings.target_inactive_fix", "Make it active again in QuickBooks ({where}) or choose "
                        "an active one.", where=where))
    if kind in ACCOUNT_TYPES and obj.get("AccountType") not in ACCOUNT_TYPES[kind]:
        raise MappingInputError(
            message("mappings.wrong_account_type", "the account '{name}' (Id {qbo_id}) is of type {type}, but a "
                    "{kind} account must be of type {allowed}", name=name, qbo_id=qbo_id,
                    type=obj.get("AccountType") or "?", kind=kind, allowed=" or ".join(ACCOUNT_TYPES[kind])),
            fix=message("mappings.wrong_account_type_fix", "Choose an account of type {allowed} (Accounting > "
                        "Chart of accounts).", allowed=" or ".join(ACCOUNT_TYPES[kind])))
    if kind == ITEM and obj.get("Type") == "Category":
        raise MappingInputError(
            message("mappings.item_category", "'{name}' (Id {qbo_id}) is a category, not an item", name=name,
                    qbo_id=qbo_id),
            fix=message("mappings.item_category_fix", "Choose a product or service (Sales > Products and "
                        "services)."))
    if kind == TAX:
        _check_tax(source, qbo_id, obj, name, lists, croco_rates)
    return obj


def _check_tax(source: str, qbo_id: str, code: dict[str, Any], name: str, lists: QboLists,
               croco_rates: Iterable[Decimal] | None) -> None:
    rate = None if str(code.get("Id")) in {"TAX", "NON"} else lists.code_rate(code)
    if rate is None:
        raise MappingInputError(
            message("mappings.tax_no_rate", "the tax code '{name}' (Id {qbo_id}) has no sales tax rate",
                    name=name, qbo_id=qbo_id),
            fix=message("mappings.tax_no_rate_fix", "Choose a tax code with a sales rate (Taxes > Sales tax "
                        "settings)."))
    rates = sorted(set(croco_rates or ()))
    if not rates:
        raise MappingInputError(
            message("mappings.tax_unseen", "CrocoClick's recent invoices and payments carry no tax named "
                    "'{source}', so its rate is unknown", source=source),
            fix=message("mappings.tax_unseen_fix", "Use the tax name exactly as `crocoqb check` lists it."))
    if rate not in rates:
        raise MappingInputError(
            message("mappings.tax_rate_differs", "the tax code '{name}' (Id {qbo_id}) is {code_rate}%, but "
                    "CrocoClick's '{source}' is {croco_rate}%", name=name, qbo_id=qbo_id,
                    code_rate=str(plain(rate)), source=source, croco_rate=" or ".join(str(plain(r)) for r in rates)),
            fix=message("mappings.tax_rate_differs_fix", "Choose a tax code at {croco_rate}% (or create one in "
                        "Taxes > Sales tax settings).", croco_rate=" or ".join(str(plain(r)) for r in rates)))
