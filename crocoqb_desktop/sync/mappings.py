"""Mappings as data (design-notes rule 10 and rule 14): where a CrocoClick thing goes in QuickBooks.

One row per (kind, source): a CrocoClick tax (by its name as on the line; a line with several taxes
is named "GST + QST") -> a TaxCode, a product id or line name -> an Item, a payment source type ->
a deposit account, and per payment processor (rule 14) its clearing, fees, payout and adjustment
accounts. `set_by` is "user" (the user chose it: always wins) or "auto" (the engine matched it and
remembered the match; a user mapping is never overwritten by an automatic one).

    maps = Mappings(store)
    maps.get("clearing", "stripe")       # -> Mapping(kind, source, qbo_id, qbo_name, set_by) or None
    maps.target("deposit", "checkout")   # -> the QBO id or None
    maps.set("fees", "stripe", "57", "Merchant fees")          # set by the user
    maps.set("tax", "HST ON", "3", "HST ON", set_by="auto")    # only if the user set nothing

The table lives in the state file (schema migration 4) so it survives restarts and upgrades.
Checking that a target fits its kind (an active account of the right type, a tax code at the right
rate) is `mapping_targets.check_target`, which needs QuickBooks' lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping as MappingType
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import message

if TYPE_CHECKING:
    from crocoqb_desktop.sync.store import StateStore

#: schema migration 4 (StateStore's migrator runs it; never edit it once released: add a migration)
MIGRATION_SQL = """
    CREATE TABLE mappings (
        kind TEXT NOT NULL,
        source_key TEXT NOT NULL,
        source TEXT NOT NULL,
        qbo_id TEXT NOT NULL,
        qbo_name TEXT NOT NULL DEFAULT '',
        set_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (kind, source_key)
    )
    """

TAX, ITEM, DEPOSIT = "tax", "item", "deposit"
CLEARING, FEES, PAYOUT, ADJUSTMENT = "clearing", "fees", "payout", "adjustment"
#: every kind of mapping, in the order the CLI and the check list them
KINDS = (TAX, ITEM, DEPOSIT, CLEARING, FEES, PAYOUT, ADJUSTMENT)
PROVIDER_KINDS = (CLEARING, FEES, PAYOUT, ADJUSTMENT)
#: CrocoClick's PaymentSourceType values (crococlick-api.yaml); `invoice` = payments of invoices
SOURCE_TYPES = ("order_form", "subscription", "checkout", "calendar", "manual", "invoice")
SET_BY = ("user", "auto")

_PROVIDER_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,49}$")


class MappingInputError(CrocoQBError):
    """A mapping cannot be set as asked (unknown kind, bad source, wrong target). Nothing changed."""

    title = message("mappings.error.title", "Mapping not changed")
    exit_code = 2


@dataclass(frozen=True)
class Mapping:
    kind: str
    source: str
    qbo_id: str
    qbo_name: str
    set_by: str
    updated_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_key(kind: str, source: str) -> str:
    """How sources compare: tax and item names without case and extra spaces; providers lower-case."""
    text = " ".join(str(source).split())
    return text if kind == DEPOSIT else text.casefold()


def tax_source(taxes: Sequence[MappingType[str, Any]]) -> str:
    """The source name of a line's taxes: "HST ON", or "GST + QST" for a line with two taxes."""
    return " + ".join(" ".join(str(t.get("name") or "").split()) or "tax" for t in taxes)


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise MappingInputError(
            message("mappings.unknown_kind", "'{kind}' is not a kind of mapping", kind=kind),
            fix=message("mappings.unknown_kind_fix", "Use one of: {kinds}.", kinds=", ".join(KINDS)))
    return kind


def check_source(kind: str, source: str) -> str:
    """The source cleaned, or MappingInputError when it cannot be one of `kind`."""
    text = " ".join(str(source).split())
    if not text:
        raise MappingInputError(
            message("mappings.empty_source", "the {kind} mapping needs a source (what it maps from)", kind=kind),
            fix=message("mappings.empty_source_fix", "Give the CrocoClick name or id to map, in quotes if it has "
                        "spaces."))
    if kind == DEPOSIT and text not in SOURCE_TYPES:
        raise MappingInputError(
            message("mappings.bad_source_type", "'{source}' is not a CrocoClick payment source type",
                    source=text),
            fix=message("mappings.bad_source_type_fix", "Use one of: {types}.", types=", ".join(SOURCE_TYPES)))
    if kind in PROVIDER_KINDS:
        text = text.casefold()
        if not _PROVIDER_RE.match(text):
            raise MappingInputError(
                message("mappings.bad_provider", "'{source}' is not a payment processor name", source=text),
                fix=message("mappings.bad_provider_fix", "Use the processor's name as CrocoClick shows it on "
                            "payments, e.g. stripe."))
    if len(text) > 200:
        raise MappingInputError(
            message("mappings.long_source", "the source is longer than 200 characters"),
            fix=message("mappings.long_source_fix", "Use the CrocoClick name or id exactly as shown by "
                        "`crocoqb check`."))
    return text


class Mappings:
    """The mapping table of one state file."""

    def __init__(self, store: StateStore) -> None:
        self.store = store

    def get(self, kind: str, source: str) -> Mapping | None:
        row = self.store.execute(
            "SELECT kind, source, qbo_id, qbo_name, set_by, updated_at FROM mappings "
            "WHERE kind = ? AND source_key = ?", (kind, source_key(kind, source))).fetchone()
        return Mapping(*row) if row else None

    def target(self, kind: str, source: str) -> str | None:
        found = self.get(kind, source)
        return found.qbo_id if found else None

    def user_mapping(self, kind: str, source: str) -> Mapping | None:
        found = self.get(kind, source)
        return found if found and found.set_by == "user" else None

    def all(self, kind: str | None = None) -> list[Mapping]:
        sql = "SELECT kind, source, qbo_id, qbo_name, set_by, updated_at FROM mappings"
        args: tuple[Any, ...] = ()
        if kind:
            sql, args = sql + " WHERE kind = ?", (kind,)
        rows = self.store.execute(sql, args).fetchall()
        order = {k: i for i, k in enumerate(KINDS)}
        return sorted((Mapping(*r) for r in rows), key=lambda m: (order.get(m.kind, 99), source_key(m.kind, m.source)))

    def set(self, kind: str, source: str, qbo_id: str, qbo_name: str = "", *, set_by: str = "user") -> Mapping | None:
        """Saves a mapping. An automatic one never replaces the user's: then nothing changes and
        the user's mapping is returned."""
        from crocoqb_desktop.sync.store import utc_now_iso

        check_kind(kind)
        if set_by not in SET_BY:
            raise ValueError(f"set_by must be one of {SET_BY}")
        source = check_source(kind, source)
        key = source_key(kind, source)
        with self.store.transaction():
            current = self.get(kind, source)
            if set_by == "auto" and current is not None and current.set_by == "user":
                return current
            self.store.execute(
                "INSERT INTO mappings (kind, source_key, source, qbo_id, qbo_name, set_by, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, source_key) DO UPDATE SET source = excluded.source, "
                "qbo_id = excluded.qbo_id, qbo_name = excluded.qbo_name, set_by = excluded.set_by, "
                "updated_at = excluded.updated_at",
                (kind, key, source, str(qbo_id), qbo_name or "", set_by, utc_now_iso()))
        return self.get(kind, source)

    def unset(self, kind: str, source: str) -> bool:
        """Forgets a mapping; False when there was none."""
        check_kind(kind)
        with self.store.transaction():
            cursor = self.store.execute("DELETE FROM mappings WHERE kind = ? AND source_key = ?",
                                        (kind, source_key(kind, str(source))))
        return cursor.rowcount > 0

