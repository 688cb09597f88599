"""What the sandbox serves: entity lists, per-entity computed fields, the write context, name helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import qbo_banking

# Entities the sandbox serves (the brief + ref §7); URL segment is the lower-case name (ref §2).
SUPPORTED = (
    "Customer",
    "Vendor",
    "Employee",
    "Item",
    "Account",
    "PaymentMethod",
    "Term",
    "TaxCode",
    "TaxRate",
    "Invoice",
    "SalesReceipt",
    "Payment",
    "RefundReceipt",
    "Purchase",
    "Deposit",
    "Transfer",
    "CompanyInfo",
    "Preferences",
)
URL_ENTITIES = {e.lower(): e for e in SUPPORTED}
PEOPLE = ("Customer", "Vendor", "Employee")  # share one DisplayName namespace (ref §7.3)
SALES_FORMS = ("Invoice", "SalesReceipt", "RefundReceipt")
TRANSACTIONS = SALES_FORMS + ("Payment",) + qbo_banking.BANKING
VOIDABLE = ("Invoice", "SalesReceipt", "Payment")  # ref §7.2 / [QBO_API] void/invoice.yml
SINGLETONS = ("CompanyInfo", "Preferences")
READ_ONLY = ("TaxCode", "TaxRate")  # created through TaxService in real QBO, not /taxcode
SYSTEM_KEYS = {"Id", "SyncToken", "MetaData", "domain", "sparse", "status"}
# computed by QBO; ignored on input and kept across a full update
COMPUTED = {
    "Customer": {"Balance", "BalanceWithJobs", "FullyQualifiedName", "Level"},
    "Vendor": {"Balance"},
    "Employee": set(),
    "Item": {"FullyQualifiedName", "Level"},
    "Account": {
        "CurrentBalance",
        "CurrentBalanceWithSubAccounts",
        "FullyQualifiedName",
        "Classification",
        "SubAccount",
    },
    "Invoice": {"Balance", "HomeBalance", "TotalAmt", "HomeTotalAmt", "LinkedTxn"},
    "SalesReceipt": {"Balance", "HomeBalance", "TotalAmt", "HomeTotalAmt"},
    "RefundReceipt": {"Balance", "HomeBalance", "TotalAmt", "HomeTotalAmt"},
    "Payment": {"UnappliedAmt"},
    "Purchase": {"TotalAmt"},
    "Deposit": {"TotalAmt"},
}
DOC_NUMBER_MAX = 21  # ref §7.4 (UNVERIFIED)
EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class WriteContext:
    """Per-request write state. `hidden` holds (entity, id) created earlier in the same batch: later
    items cannot see them (ref §3, Intuit blog "batch-operations-important")."""

    hidden: set[tuple[str, str]] = field(default_factory=set)
    created: list[tuple[str, str]] = field(default_factory=list)


def strip_none(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: strip_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [strip_none(v) for v in obj if v is not None]
    return obj


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            deep_merge(base[key], value)
        else:
            base[key] = value
    return base


def name_of(entity: str, obj: dict[str, Any]) -> str:
    if entity in PEOPLE:
        return str(obj.get("DisplayName", ""))
    if entity in ("Account", "Item"):
        return str(obj.get("FullyQualifiedName") or obj.get("Name", ""))
    return str(obj.get("Name", ""))


SALES_DOCUMENTS = frozenset({"Invoice", "SalesReceipt", "RefundReceipt"})


def norm_name(name: str) -> str:
    # UNVERIFIED whether QBO compares names case-insensitively; the stricter rule is used.
    return " ".join(name.split()).casefold()

