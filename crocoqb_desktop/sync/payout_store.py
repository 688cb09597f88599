"""The state of rule 14 (clearing mode) in the state file (schema migration 5).

- `clearing_items`: each payment and refund that went through a processor's clearing account: its
  gross (+ for a payment, - for a refund), its fee (a payment's fee, minus the fee given back for a
  refund; NULL while CrocoClick does not know it), the accounts it used, and the payout that settled it.
- `payouts`: each payout seen in a `payout.*` event, its snapshot and where its booking stands
  (`waiting` for its items or an account, `booked`, `failed` with nothing booked, `reversed`,
  `manual` when it cannot be booked automatically).
- `payout_writes`: each QuickBooks write this feature makes (a fee, a fee given back, an adjustment,
  a transfer, a reversal), keyed like its PrivateNote marker, with its requestid, attempts and the
  QuickBooks id once it exists, and what it moved in the clearing account (for the balance check).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.messages import Message, from_stored
from crocoqb_desktop.redaction import redact

if TYPE_CHECKING:
    from crocoqb_desktop.sync.store import StateStore

#: schema migration 5 (StateStore's migrator runs it; never edit it once released: add a migration)
MIGRATION_SQL = """
    CREATE TABLE clearing_items (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        payment_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        clearing_id TEXT NOT NULL,
        fees_id TEXT NOT NULL,
        currency TEXT,
        gross TEXT NOT NULL,
        fee TEXT,
        txn_date TEXT,
        payout_id TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX clearing_items_payout ON clearing_items(payout_id);
    CREATE TABLE payouts (
        id TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        amount TEXT NOT NULL,
        currency TEXT,
        arrival_date TEXT,
        status TEXT NOT NULL,
        state TEXT NOT NULL,
        detail TEXT,
        detail_id TEXT,
        detail_values TEXT,
        payload TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE payout_writes (
        key TEXT PRIMARY KEY,
        entity TEXT NOT NULL,
        request_id TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        qbo_id TEXT,
        clearing_id TEXT,
        clearing_delta TEXT NOT NULL DEFAULT '0',
        updated_at TEXT NOT NULL
    )
    """

#: payouts whose booking is not finished (the engine looks at them every cycle)
OPEN_STATES = ("waiting",)


@dataclass(frozen=True)
class ClearingItem:
    key: str
    kind: str
    payment_id: str
    provider: str
    clearing_id: str
    fees_id: str
    currency: str | None
    gross: Decimal
    fee: Decimal | None
    txn_date: str | None
    payout_id: str | None

    @property
    def net(self) -> Decimal | None:
        return None if self.fee is None else self.gross - self.fee


@dataclass(frozen=True)
class PayoutRow:
    id: str
    provider: str
    amount: Decimal
    currency: str | None
    arrival_date: str | None
    status: str
    state: str
    detail: str | None
    payload: dict[str, Any]
    updated_at: str
    #: the detail as data (message id + values) to show it in the user's language (rule 13)
    detail_data: Message | str | None = None


@dataclass(frozen=True)
class WriteRow:
    key: str
    entity: str
    request_id: str
    attempts: int
    qbo_id: str | None


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _now() -> str:
    from crocoqb_desktop.sync.store import utc_now_iso

    return utc_now_iso()


class PayoutStore:
    def __init__(self, store: StateStore) -> None:
        self.store = store

    # -- clearing items ---------------------------------------------------------------------------
    def add_item(self, key: str, kind: str, payment_id: str, provider: str, clearing_id: str, fees_id: str,
                 currency: str | None, gross: Decimal, fee: Decimal | None, txn_date: str | None) -> None:
        """Once per payment or refund (a replay keeps the first row: what was booked stays as booked)."""
        self.store.execute(
            "INSERT OR IGNORE INTO clearing_items(key, kind, payment_id, provider, clearing_id, fees_id, currency,"
            " gross, fee, txn_date, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (key, kind, payment_id, provider, clearing_id, fees_id, currency, str(gross),
             None if fee is None else str(fee), txn_date, _now()))

    def item(self, key: str) -> ClearingItem | None:
        row = self.store.execute("SELECT * FROM clearing_items WHERE key=?", (key,)).fetchone()
        return _item(row) if row else None

    def items(self, *, payout_id: str | None = None, unsettled: bool = False) -> list[ClearingItem]:
        sql, args = "SELECT * FROM clearing_items", ()  # type: tuple[str, tuple[Any, ...]]
        if payout_id is not None:
            sql, args = sql + " WHERE payout_id=?", (payout_id,)
        elif unsettled:
            sql += " WHERE payout_id IS NULL"
        return [_item(r) for r in self.store.execute(sql + " ORDER BY created_at, key", args).fetchall()]

    def set_fee(self, key: str, fee: Decimal) -> None:
        self.store.execute("UPDATE clearing_items SET fee=? WHERE key=? AND fee IS NULL", (str(fee), key))

    def settle(self, keys: list[str], payout_id: str | None) -> None:
        for key in keys:
            self.store.execute("UPDATE clearing_items SET payout_id=? WHERE key=?", (payout_id, key))

    # -- payouts ----------------------------------------------------------------------------------
    def save_payout(self, payout: dict[str, Any], state: str, detail: Message | str | None = None) -> None:
        self.store.execute(
            "INSERT INTO payouts(id, provider, amount, currency, arrival_date, status, state, detail, detail_id,"
            " detail_values, payload, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
            " amount=excluded.amount, currency=excluded.currency, arrival_date=excluded.arrival_date,"
            " status=excluded.status, state=excluded.state, detail=excluded.detail, detail_id=excluded.detail_id,"
            " detail_values=excluded.detail_values, payload=excluded.payload, updated_at=excluded.updated_at",
            (str(payout["id"]), str(payout.get("provider") or ""), str(payout.get("amount") or "0"),
             payout.get("currency"), payout.get("arrivalDate"), str(payout.get("status") or ""), state,
             *_detail_columns(detail), json.dumps(payout, default=str), _now()))

    def set_state(self, payout_id: str, state: str, detail: Message | str | None = None) -> None:
        self.store.execute("UPDATE payouts SET state=?, detail=?, detail_id=?, detail_values=?, updated_at=? "
                           "WHERE id=?", (state, *_detail_columns(detail), _now(), payout_id))

    def payout(self, payout_id: str) -> PayoutRow | None:
        row = self.store.execute("SELECT * FROM payouts WHERE id=?", (payout_id,)).fetchone()
        return _payout(row) if row else None

    def payouts(self, states: tuple[str, ...] | None = None) -> list[PayoutRow]:
        sql, args = "SELECT * FROM payouts", ()  # type: tuple[str, tuple[Any, ...]]
        if states:
            sql += f" WHERE state IN ({','.join('?' * len(states))})"
            args = tuple(states)
        return [_payout(r) for r in self.store.execute(sql + " ORDER BY arrival_date, id", args).fetchall()]

    # -- writes -----------------------------------------------------------------------------------
    def write(self, key: str) -> WriteRow | None:
        row = self.store.execute("SELECT key, entity, request_id, attempts, qbo_id FROM payout_writes WHERE key=?",
                                 (key,)).fetchone()
        return WriteRow(row[0], row[1], row[2], int(row[3]), row[4]) if row else None

    def begin_write(self, key: str, entity: str, request_id: str) -> None:
        """Recorded (committed) before the request is sent: attempts > 0 without an id = uncertain."""
        self.store.execute(
            "INSERT INTO payout_writes(key, entity, request_id, attempts, updated_at) VALUES (?,?,?,1,?) "
            "ON CONFLICT(key) DO UPDATE SET attempts=attempts+1, updated_at=excluded.updated_at",
            (key, entity, request_id, _now()))

    def finish_write(self, key: str, qbo_id: str, clearing_id: str, clearing_delta: Decimal) -> None:
        self.store.execute("UPDATE payout_writes SET qbo_id=?, clearing_id=?, clearing_delta=?, updated_at=? "
                           "WHERE key=?", (qbo_id, clearing_id, str(clearing_delta), _now(), key))

    def nothing_to_write(self, key: str, entity: str) -> None:
        """A write that turned out to be empty (a zero fee): done, with no QuickBooks object."""
        self.store.execute(
            "INSERT INTO payout_writes(key, entity, request_id, attempts, qbo_id, updated_at) VALUES (?,?,'',0,'',?)"
            " ON CONFLICT(key) DO UPDATE SET qbo_id=COALESCE(qbo_id, '')", (key, entity, _now()))

    def is_done(self, key: str) -> bool:
        row = self.write(key)
        return row is not None and row.qbo_id is not None

    # -- the balance check ------------------------------------------------------------------------
    def expected_balance(self, clearing_id: str) -> Decimal:
        """What the clearing account must hold from this app's writes: every payment and refund booked
        through it, plus every fee, fee given back, adjustment and transfer written."""
        gross = self.store.execute("SELECT gross FROM clearing_items WHERE clearing_id=?", (clearing_id,)).fetchall()
        moves = self.store.execute("SELECT clearing_delta FROM payout_writes WHERE clearing_id=? AND qbo_id<>''",
                                   (clearing_id,)).fetchall()
        return sum((Decimal(r[0]) for r in gross), Decimal(0)) + sum((Decimal(r[0]) for r in moves), Decimal(0))

    def clearing_accounts(self) -> dict[str, str]:
        """clearing account id -> provider, for every clearing account used so far."""
        rows = self.store.execute("SELECT DISTINCT clearing_id, provider FROM clearing_items").fetchall()
        return {str(r[0]): str(r[1]) for r in rows}


def _item(row: Any) -> ClearingItem:
    return ClearingItem(row["key"], row["kind"], row["payment_id"], row["provider"], row["clearing_id"],
                        row["fees_id"], row["currency"], Decimal(row["gross"]), _dec(row["fee"]), row["txn_date"],
                        row["payout_id"])


def _payout(row: Any) -> PayoutRow:
    detail = row["detail"]
    data = from_stored(row["detail_id"], row["detail_values"], detail) if detail is not None else None
    return PayoutRow(row["id"], row["provider"], Decimal(row["amount"]), row["currency"], row["arrival_date"],
                     row["status"], row["state"], detail, json.loads(row["payload"]), row["updated_at"], data)


def _detail_columns(detail: Message | str | None) -> tuple[str | None, str | None, str | None]:
    if isinstance(detail, Message):
        return redact(str(detail)), detail.id, detail.values_json()
    return (redact(detail) if detail is not None else None), None, None
