"""Problems: CrocoClick records that need the user (design rule 9).

The invariant, kept by construction: every outbox operation (one per CrocoClick record the engine has
seen) is pending, done (linked and up to date, or nothing to write), or parked, and an operation is
parked only together with its problem, in one transaction (`park`), and a problem goes away only
together with its operation's completion (`complete`) or the user's decision (`skip`). So a record
can never be parked without a visible problem, nor a problem be lost by a restart or a crash.

A problem is keyed by its outbox operation (`op_key`); the user addresses it by CrocoClick id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.errors import CrocoQBError, RecordError
from crocoqb_desktop.messages import Message, from_stored, message
from crocoqb_desktop.redaction import redact

if TYPE_CHECKING:
    from crocoqb_desktop.sync.store import OutboxItem, StateStore

#: schema migration 3 (registered in store._MIGRATIONS)
SCHEMA = """
CREATE TABLE problems (
    op_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    croco_id TEXT NOT NULL,
    label TEXT NOT NULL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    message_id TEXT,
    message_values TEXT,
    fix TEXT,
    fix_id TEXT,
    fix_values TEXT,
    actions TEXT NOT NULL,
    qbo_id TEXT,
    state TEXT NOT NULL DEFAULT 'open',
    notified INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX problems_by_croco ON problems(croco_id);
UPDATE links SET kind='invoice_payment' WHERE kind='payment' AND extra LIKE '%"type": "Payment"%'
"""

ACTIONS = ("retry", "resend", "skip", "relink")
#: causes that can go away without the user touching CrocoQB (an email added, a customer made active
#: again, a tax code created): such problems are tried again once per cycle and clear themselves
#: seconds between two automatic attempts of such a record (about one push interval)
RECHECK_MIN_S = 60.0
RECHECKED = frozenset({"customer_inactive", "no_email", "unmapped_tax", "unmapped_item", "invoice_not_in_qbo",
                       "cannot_map", "kept_failing", "ambiguous_tax", "tax_code_inactive", "tax_rate_differs",
                       "ambiguous_item", "deposit_account_inactive", "customer_ambiguous"})
#: the reasons a mapping of each kind can fix (`crocoqb map set/unset` tries those records again at once);
#: the same codes name the rows of `crocoqb check` (README, "Problems and their reason codes")
MAPPING_REASONS: dict[str, frozenset[str]] = {
    "tax": frozenset({"unmapped_tax", "ambiguous_tax", "tax_code_inactive", "tax_rate_differs"}),
    "item": frozenset({"unmapped_item", "ambiguous_item"}),
    "deposit": frozenset({"deposit_account_inactive"}),
    "clearing": frozenset({"mapped_account_inactive"}),
    "fees": frozenset({"mapped_account_inactive"}),
    "payout": frozenset({"payout_no_bank", "mapped_account_inactive"}),
    "adjustment": frozenset({"payout_no_adjustment", "mapped_account_inactive"}),
}


class ProblemError(RecordError):
    """A record that needs the user, with its stable reason code and the actions that apply."""

    def __init__(self, reason: str, msg: str | Message, *, fix: str | Message | None = None,
                 actions: tuple[str, ...] = ("retry", "skip"), qbo_id: str | None = None) -> None:
        super().__init__(msg, fix=fix)
        self.reason = reason
        self.actions = actions
        self.qbo_id = qbo_id


def inactive_item_problem(name: str, qbo_id: str | None) -> ProblemError:
    """The item a line goes to was made inactive in QuickBooks: the app never re-creates or reactivates it."""
    return ProblemError(
        "unmapped_item",
        message("problem.item_inactive", "the item '{item}' is inactive in QuickBooks", item=name),
        fix=message("problem.item_inactive.fix", "Make the item '{item}' active again in QuickBooks (Sales > "
                    "Products and services), or use another product on this line in CrocoClick; it is then "
                    "sent by itself.", item=name),
        actions=("retry", "skip"), qbo_id=qbo_id)


@dataclass(frozen=True)
class Problem:
    op_key: str
    kind: str
    croco_id: str
    label: str
    reason: str
    message: str
    fix: str | None
    actions: tuple[str, ...]
    qbo_id: str | None
    state: str
    first_seen: str
    updated_at: str
    message_id: str | None = None
    message_values: str | None = None
    fix_id: str | None = None
    fix_values: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"croco_id": self.croco_id, "kind": self.kind, "label": self.label, "reason": self.reason,
                "message": self.message, "fix": self.fix, "actions": list(self.actions), "qbo_id": self.qbo_id,
                "state": self.state, "first_seen": self.first_seen, "updated_at": self.updated_at}

    def message_data(self) -> Message | str:
        return from_stored(self.message_id, self.message_values, self.message)

    def fix_data(self) -> Message | str | None:
        return from_stored(self.fix_id, self.fix_values, self.fix) if self.fix else None


def classify(exc: CrocoQBError, *, exhausted: bool = False) -> tuple[str, tuple[str, ...]]:
    """The reason code and actions of a permanent per-record failure."""
    if isinstance(exc, ProblemError):
        return exc.reason, exc.actions
    if exhausted:
        return "kept_failing", ("retry", "skip")
    # mapping errors the user can answer carry their reason from the source (mapping_common.MappingProblem)
    if type(exc).__name__ == "MappingError":
        return "cannot_map", ("retry", "skip")
    if type(exc).__name__ == "ObjectNotFoundFault":
        return "qbo_reference_missing", ("retry", "skip")
    return "rejected", ("retry", "skip")


def label_of(item: OutboxItem) -> str:
    payload = item.payload
    if item.kind == "invoice":
        return str(payload.get("number") or item.croco_id)
    if item.kind == "refund":
        return str((payload.get("refund") or {}).get("id") or item.croco_id)
    if item.kind == "customer":
        return str(payload.get("displayName") or payload.get("email") or item.croco_id)
    return item.croco_id


# -- the two transitions that keep the invariant ----------------------------------------------------
def park(store: StateStore, item: OutboxItem, exc: CrocoQBError, *, exhausted: bool = False) -> bool:
    """Parks the operation and records (or refreshes) its problem, at once. True if the problem is new
    or was skipped before (the user is told again)."""
    from crocoqb_desktop.sync.store import utc_now_iso

    reason, actions = classify(exc, exhausted=exhausted)
    msg: str | Message = exc.message_data or exc.message
    fix: str | Message | None = exc.fix_data or (exc.fix or None)
    qbo_id = getattr(exc, "qbo_id", None)
    now = utc_now_iso()
    msg_id, msg_values = _columns(msg)
    fix_id, fix_values = _columns(fix)
    with store.transaction():
        store.park(item.id, exc.message, str(exc.fix) if exc.fix else None)
        old = store.execute("SELECT state, reason FROM problems WHERE op_key=?", (item.op_key,)).fetchone()
        store.execute(
            "INSERT INTO problems(op_key, kind, croco_id, label, reason, message, message_id, message_values, fix,"
            " fix_id, fix_values, actions, qbo_id, state, notified, first_seen, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'open',0,?,?) ON CONFLICT(op_key) DO UPDATE SET"
            " label=excluded.label, reason=excluded.reason, message=excluded.message,"
            " message_id=excluded.message_id, message_values=excluded.message_values, fix=excluded.fix,"
            " fix_id=excluded.fix_id, fix_values=excluded.fix_values, actions=excluded.actions,"
            " qbo_id=excluded.qbo_id, state='open',"
            " notified=CASE WHEN problems.state='open' AND problems.reason=excluded.reason"
            " THEN problems.notified ELSE 0 END, updated_at=excluded.updated_at",
            (item.op_key, item.kind, item.croco_id, label_of(item), reason, redact(str(msg)), msg_id, msg_values,
             redact(str(fix)) if fix else None, fix_id, fix_values, json.dumps(list(actions)), qbo_id, now, now),
        )
    return old is None or old["state"] != "open" or old["reason"] != reason


def complete(store: StateStore, item: OutboxItem) -> bool:
    """The operation is done: its problem, if any, is gone with it. True if a problem was cleared."""
    with store.transaction():
        store.complete(item.id)
        cur = store.execute("DELETE FROM problems WHERE op_key=?", (item.op_key,))
    if cur.rowcount:
        store.log("INFO", "to_qbo", message("problem.cleared", "{label}: the problem is solved and it is synced",
                                            label=_kind_label(item.kind, label_of(item))),
                  record_kind=item.kind, croco_id=item.croco_id)
    return bool(cur.rowcount)


# -- reading --------------------------------------------------------------------------------------
def list_problems(store: StateStore, *, include_skipped: bool = False) -> list[Problem]:
    where = "" if include_skipped else "WHERE state='open'"
    rows = store.execute(f"SELECT * FROM problems {where} ORDER BY first_seen, op_key").fetchall()
    return [_problem(r) for r in rows]


def count_open(store: StateStore) -> int:
    return int(store.execute("SELECT COUNT(*) FROM problems WHERE state='open'").fetchone()[0])


def get(store: StateStore, op_key: str) -> Problem | None:
    row = store.execute("SELECT * FROM problems WHERE op_key=?", (op_key,)).fetchone()
    return _problem(row) if row else None


def find(store: StateStore, croco_id: str) -> list[Problem]:
    """Problems of a CrocoClick id (also `kind:id`, e.g. `invoice:inv_1`), open ones first."""
    kind, _, bare = croco_id.partition(":") if ":" in croco_id and croco_id.split(":")[0] in _KINDS else ("", "", "")
    if kind:
        rows = store.execute("SELECT * FROM problems WHERE kind=? AND croco_id=?", (kind, bare)).fetchall()
    else:
        rows = store.execute("SELECT * FROM problems WHERE croco_id=?", (croco_id,)).fetchall()
    return sorted((_problem(r) for r in rows), key=lambda p: p.state != "open")


def take_new(store: StateStore) -> list[Problem]:
    """Open problems nobody was told about yet (for notifications), marked as told."""
    with store.transaction():
        rows = store.execute("SELECT * FROM problems WHERE state='open' AND notified=0 ORDER BY first_seen"
                             ).fetchall()
        store.execute("UPDATE problems SET notified=1 WHERE state='open' AND notified=0")
    return [_problem(r) for r in rows]


def recheck_due(store: StateStore, min_age_s: float = RECHECK_MIN_S) -> int:
    """Puts the parked operations whose cause may have gone by itself back in the queue (see RECHECKED), at
    most once per `min_age_s` each (a refused attempt costs QuickBooks requests). Their problems stay
    visible until the operation completes. Changes that surely matter re-queue at once (`repend_*`)."""
    reasons = sorted(RECHECKED)
    cutoff = datetime.now(UTC) - timedelta(seconds=min_age_s)
    cur = store.execute(
        "UPDATE outbox SET status='pending', next_attempt_at=0 WHERE status='parked' AND op_key IN "
        f"(SELECT op_key FROM problems WHERE state='open' AND reason IN ({','.join('?' * len(reasons))})"
        " AND updated_at <= ?)", (*reasons, cutoff.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"))
    return cur.rowcount


def repend_contact(store: StateStore, contact_id: str) -> int:
    """The contact changed in CrocoClick (an email added...): its records waiting on it go again now."""
    cur = store.execute(
        "UPDATE outbox SET status='pending', next_attempt_at=0 WHERE status='parked' AND "
        "json_extract(payload, '$.contactId')=? AND op_key IN (SELECT op_key FROM problems WHERE state='open' "
        "AND reason IN ('no_email', 'customer_inactive', 'customer_ambiguous'))", (contact_id,))
    return cur.rowcount


def repend_customer(store: StateStore, qbo_customer_id: str) -> int:
    """A customer the records were waiting on is active again in QuickBooks: they go again now."""
    cur = store.execute(
        "UPDATE outbox SET status='pending', next_attempt_at=0 WHERE status='parked' AND op_key IN "
        "(SELECT op_key FROM problems WHERE state='open' AND reason='customer_inactive' AND qbo_id=?)",
        (qbo_customer_id,))
    return cur.rowcount


def retry_for_mapping(store: StateStore, kind: str) -> int:
    """The user set or removed a mapping of `kind`: the records whose problem it can fix go again now (at
    the next cycle; the CLI and the GUI run one at once). Problem and record change in one transaction;
    the problem stays visible until its record is in QuickBooks (it clears then), skipped ones stay
    skipped. A payout's problem needs no re-queue: a waiting payout is tried at every cycle."""
    from crocoqb_desktop.sync.store import utc_now_iso

    reasons = sorted(MAPPING_REASONS.get(kind, ()))
    if not reasons:
        return 0
    with store.transaction():
        cur = store.execute(
            "UPDATE outbox SET status='pending', next_attempt_at=0, attempts=0, updated_at=? WHERE status='parked' "
            "AND op_key IN (SELECT op_key FROM problems WHERE state='open' AND reason IN "
            f"({','.join('?' * len(reasons))}))", (utc_now_iso(), *reasons))
        if cur.rowcount:
            store.log("INFO", "to_qbo", message(
                "problem.retry_after_mapping", "{count} records waiting on a {kind} mapping will be tried again",
                count=cur.rowcount, kind=kind))
    return cur.rowcount


# -- payouts (rule 14): a payout is not an outbox operation; its problem lives with its payouts row ----
def payout_key(payout_id: str) -> str:
    return f"payout:{payout_id}"


def park_payout(store: StateStore, payout_id: str, exc: ProblemError) -> bool:
    """Records (or refreshes) the problem of a payout that waits for the user (an account to map). Call it
    in the transaction that sets the payout's state. True if the problem is new or its reason changed."""
    from crocoqb_desktop.sync.store import utc_now_iso

    msg: str | Message = exc.message_data or exc.message
    fix: str | Message | None = exc.fix_data or (exc.fix or None)
    msg_id, msg_values = _columns(msg)
    fix_id, fix_values = _columns(fix)
    now = utc_now_iso()
    key = payout_key(payout_id)
    with store.transaction():
        old = store.execute("SELECT state, reason FROM problems WHERE op_key=?", (key,)).fetchone()
        if old is not None and old["state"] == "skipped" and old["reason"] == exc.reason:
            return False  # the user records it by hand; asked once
        store.execute(
            "INSERT INTO problems(op_key, kind, croco_id, label, reason, message, message_id, message_values, fix,"
            " fix_id, fix_values, actions, qbo_id, state, notified, first_seen, updated_at)"
            " VALUES (?,'payout',?,?,?,?,?,?,?,?,?,?,?,'open',0,?,?) ON CONFLICT(op_key) DO UPDATE SET"
            " reason=excluded.reason, message=excluded.message, message_id=excluded.message_id,"
            " message_values=excluded.message_values, fix=excluded.fix, fix_id=excluded.fix_id,"
            " fix_values=excluded.fix_values, actions=excluded.actions, qbo_id=excluded.qbo_id, state='open',"
            " notified=CASE WHEN problems.state='open' AND problems.reason=excluded.reason"
            " THEN problems.notified ELSE 0 END, updated_at=CASE WHEN problems.reason=excluded.reason"
            " THEN problems.updated_at ELSE excluded.updated_at END",
            (key, payout_id, payout_id, exc.reason, redact(str(msg)), msg_id, msg_values,
             redact(str(fix)) if fix else None, fix_id, fix_values, json.dumps(list(exc.actions)), exc.qbo_id,
             now, now))
    return old is None or old["state"] != "open" or old["reason"] != exc.reason


def clear_payout(store: StateStore, payout_id: str) -> bool:
    """The payout is booked (or no longer waits for the user): its problem is gone. Call it in the
    transaction that sets the payout's state."""
    cur = store.execute("DELETE FROM problems WHERE op_key=?", (payout_key(payout_id),))
    if cur.rowcount:
        store.log("INFO", "to_qbo", message("problem.payout_cleared", "Payout {label}: the problem is solved and it "
                                            "is recorded", label=payout_id), record_kind="payout", croco_id=payout_id)
    return bool(cur.rowcount)


def set_state(store: StateStore, op_key: str, state: str) -> None:
    from crocoqb_desktop.sync.store import utc_now_iso

    store.execute("UPDATE problems SET state=?, updated_at=? WHERE op_key=?", (state, utc_now_iso(), op_key))


_KINDS = ("invoice", "payment", "refund", "customer", "payout")


def _kind_label(kind: str, label: str) -> str:
    return {"invoice": f"Invoice {label}", "payment": f"Payment {label}", "refund": f"Refund {label}",
            "payout": f"Payout {label}"}.get(
        kind, f"Contact {label}")


def _columns(msg: str | Message | None) -> tuple[str | None, str | None]:
    if isinstance(msg, Message):
        return msg.id, redact(msg.values_json())
    return None, None


def _problem(row: Any) -> Problem:
    return Problem(
        op_key=row["op_key"], kind=row["kind"], croco_id=row["croco_id"], label=row["label"], reason=row["reason"],
        message=row["message"], fix=row["fix"], actions=tuple(json.loads(row["actions"])), qbo_id=row["qbo_id"],
        state=row["state"], first_seen=row["first_seen"], updated_at=row["updated_at"],
        message_id=row["message_id"], message_values=row["message_values"], fix_id=row["fix_id"],
        fix_values=row["fix_values"])
