"""Durable state in SQLite (WAL): id links, cursors, the outbox, seen events and the sync log.

Every change to one record's state happens inside one transaction (`with store.transaction():`),
so a crash never leaves half a change. Secrets never reach this file: log text is redacted.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from crocoqb_desktop import paths
from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import Message, from_stored, message
from crocoqb_desktop.redaction import redact
from crocoqb_desktop.sync.mappings import MIGRATION_SQL as MAPPINGS_SQL
from crocoqb_desktop.sync.payout_store import MIGRATION_SQL as PAYOUTS_SQL
from crocoqb_desktop.sync.problems import SCHEMA as _PROBLEMS_SCHEMA
from crocoqb_desktop.sync.writeback import MIGRATION_SQL as WRITEBACK_SQL

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE links (
        kind TEXT NOT NULL,
        croco_id TEXT NOT NULL,
        qbo_id TEXT NOT NULL,
        sync_token TEXT,
        fingerprint TEXT,
        extra TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (kind, croco_id)
    );
    CREATE UNIQUE INDEX links_by_qbo ON links(kind, qbo_id);
    CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        op_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        croco_id TEXT NOT NULL,
        action TEXT NOT NULL,
        payload TEXT NOT NULL,
        request_id TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL DEFAULT 0,
        last_error TEXT,
        fix TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
    CREATE TABLE seen_events (event_id TEXT PRIMARY KEY, seen_at TEXT NOT NULL);
    CREATE TABLE sync_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts TEXT NOT NULL,
        level TEXT NOT NULL,
        direction TEXT NOT NULL,
        record_kind TEXT,
        croco_id TEXT,
        qbo_id TEXT,
        message TEXT NOT NULL,
        fix TEXT
    );
    CREATE INDEX sync_log_ts ON sync_log(ts);
    CREATE TABLE qbo_customers (
        qbo_id TEXT PRIMARY KEY,
        email_norm TEXT,
        display_name TEXT NOT NULL,
        active INTEGER NOT NULL,
        sync_token TEXT
    );
    CREATE INDEX qbo_customers_email ON qbo_customers(email_norm);
    CREATE TABLE reviews (
        contact_id TEXT PRIMARY KEY,
        invoice_id TEXT,
        status TEXT NOT NULL,
        detail TEXT,
        updated_at TEXT NOT NULL
    );
    """,
    # Numbers are reserved per feature so branches can add theirs independently; gaps are skipped:
    # 3 problems, 4 mappings, 5 payouts, 6 push/batch, 7 profiles, 8 languages.
    2: """
    ALTER TABLE sync_log ADD COLUMN message_id TEXT;
    ALTER TABLE sync_log ADD COLUMN message_values TEXT;
    ALTER TABLE sync_log ADD COLUMN fix_id TEXT;
    ALTER TABLE sync_log ADD COLUMN fix_values TEXT
    """,
    3: _PROBLEMS_SCHEMA,  # records that need the user (sync/problems.py)
    4: MAPPINGS_SQL,  # tax, item, deposit and payout accounts (sync/mappings.py)
    5: PAYOUTS_SQL,  # clearing-mode bookings (sync/payout_store.py)
    6: WRITEBACK_SQL,  # write-backs that trail a catch-up (sync/writeback.py)
}
SCHEMA_VERSION = max(_MIGRATIONS)

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
BUSY_TIMEOUT_S = 30.0


class StateFileBusy(CrocoQBError):
    """Another program kept the state file locked longer than the app waits (BUSY_TIMEOUT_S)."""

    title = message("store.state_file_busy.title", "CrocoQB's data file is in use")
    fix = message("store.state_file_busy.fix", "Close the other program using it (another CrocoQB window or "
                  "command, a backup or a database tool), then try again. Nothing was lost.")


DIRECTIONS = ("to_qbo", "to_croco", "system")


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default)


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot store {type(value).__name__}")


def utc_now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass(frozen=True)
class Link:
    kind: str
    croco_id: str
    qbo_id: str
    sync_token: str | None
    fingerprint: str | None
    extra: dict[str, Any]


@dataclass(frozen=True)
class OutboxItem:
    id: int
    op_key: str
    kind: str
    croco_id: str
    action: str
    payload: dict[str, Any]
    request_id: str
    status: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    fix: str | None


@dataclass(frozen=True)
class LogEntry:
    id: int
    ts: str
    level: str
    direction: str
    record_kind: str | None
    croco_id: str | None
    qbo_id: str | None
    message: str
    fix: str | None
    message_id: str | None = None
    message_values: str | None = None
    fix_id: str | None = None
    fix_values: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()

    def message_data(self) -> Message | str:
        """The message as data when the row has an id (for rendering in another language)."""
        return from_stored(self.message_id, self.message_values, self.message)

    def fix_data(self) -> Message | str | None:
        return from_stored(self.fix_id, self.fix_values, self.fix) if self.fix else None


class StateStore:
    """One SQLite file. Safe to share across threads (one connection, one lock)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.state_db_file()
        new_file = not self.path.exists()
        self._conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_S
        )
        if new_file:
            paths.make_user_only(self.path)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        self._migrate()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- schema -------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._lock:
            current = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if current > SCHEMA_VERSION:
                raise RuntimeError(
                    f"the state file {self.path} was written by a newer CrocoQB (schema {current})"
                )
            for version in sorted(v for v in _MIGRATIONS if v > current):
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in _MIGRATIONS[version].split(";"):
                        if statement.strip():
                            self._conn.execute(statement)
                    self._conn.execute(f"PRAGMA user_version={version}")
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise

    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # -- transactions ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all. Nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._conn.execute("ROLLBACK")
                raise
            self._depth = 0
            self._conn.execute("COMMIT")

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """For the feature modules that keep their own tables in this file (problems, mappings...):
        they own their SQL; this store owns the connection, the lock and the transactions."""
        return self._exec(sql, args)

    def _exec(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._execute(sql, args)

    def _execute(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, args)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):  # SQLITE_BUSY after the busy timeout
                raise StateFileBusy(message("store.busy", "another program kept CrocoQB's data file {path} "
                                            "locked for {seconds} seconds", path=str(self.path),
                                            seconds=f"{BUSY_TIMEOUT_S:.0f}")) from None
            raise

    # -- links ------------------------------------------------------------------------------------
    def link(self, kind: str, croco_id: str) -> Link | None:
        row = self._exec("SELECT * FROM links WHERE kind=? AND croco_id=?", (kind, croco_id)).fetchone()
        return _link(row) if row else None

    def link_by_qbo(self, kind: str, qbo_id: str) -> Link | None:
        row = self._exec("SELECT * FROM links WHERE kind=? AND qbo_id=?", (kind, qbo_id)).fetchone()
        return _link(row) if row else None

    def save_link(
        self,
        kind: str,
        croco_id: str,
        qbo_id: str,
        *,
        sync_token: str | None = None,
        fingerprint: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        with self.transaction():
            self._exec("DELETE FROM links WHERE kind=? AND qbo_id=? AND croco_id<>?", (kind, qbo_id, croco_id))
            self._exec(
                "INSERT INTO links(kind, croco_id, qbo_id, sync_token, fingerprint, extra, updated_at) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT(kind, croco_id) DO UPDATE SET qbo_id=excluded.qbo_id, "
                "sync_token=excluded.sync_token, fingerprint=excluded.fingerprint, extra=excluded.extra, "
                "updated_at=excluded.updated_at",
                (kind, croco_id, qbo_id, sync_token, fingerprint, _dumps(extra or {}), utc_now_iso()),
            )

    def delete_link(self, kind: str, croco_id: str) -> None:
        self._exec("DELETE FROM links WHERE kind=? AND croco_id=?", (kind, croco_id))

    def links(self, kind: str) -> list[Link]:
        return [_link(r) for r in self._exec("SELECT * FROM links WHERE kind=? ORDER BY croco_id", (kind,))]

    def count_links(self, kind: str | None = None) -> int:
        if kind is None:
            return int(self._exec("SELECT COUNT(*) FROM links").fetchone()[0])
        return int(self._exec("SELECT COUNT(*) FROM links WHERE kind=?", (kind,)).fetchone()[0])

    # -- cursors ----------------------------------------------------------------------------------
    def cursor(self, name: str) -> str | None:
        row = self._exec("SELECT value FROM cursors WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    def set_cursor(self, name: str, value: str) -> None:
        self._exec(
            "INSERT INTO cursors(name, value, updated_at) VALUES (?,?,?) "
            "ON CONFLICT(name) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at",
            (name, value, utc_now_iso()),
        )

    def delete_cursor(self, name: str) -> None:
        self._exec("DELETE FROM cursors WHERE name=?", (name,))

    # -- seen events ------------------------------------------------------------------------------
    def event_seen(self, event_id: str) -> bool:
        return self._exec("SELECT 1 FROM seen_events WHERE event_id=?", (event_id,)).fetchone() is not None

    def mark_event_seen(self, event_id: str) -> None:
        self._exec("INSERT OR IGNORE INTO seen_events(event_id, seen_at) VALUES (?,?)", (event_id, utc_now_iso()))

    # -- outbox -----------------------------------------------------------------------------------
    def enqueue(
        self, op_key: str, kind: str, croco_id: str, action: str, payload: dict[str, Any], request_id: str
    ) -> bool:
        """Queue an operation for a record. Returns True (the record has work to do).

        An existing operation with the same key gets the newer payload (the latest snapshot wins)
        and becomes pending again, but keeps its request id, so that a retry of an uncertain write
        stays idempotent; handlers find out from the links whether anything is left to write.
        """
        now = utc_now_iso()
        with self.transaction():
            row = self._exec("SELECT id, status FROM outbox WHERE op_key=?", (op_key,)).fetchone()
            if row is None:
                self._exec(
                    "INSERT INTO outbox(op_key, kind, croco_id, action, payload, request_id, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    (op_key, kind, croco_id, action, _dumps(payload), request_id, now, now),
                )
                return True
            # a newer snapshot of the record: pending again (also after done or parked)
            self._exec(
                "UPDATE outbox SET payload=?, action=?, status='pending', next_attempt_at=0, updated_at=? "
                "WHERE id=?",
                (_dumps(payload), action, now, row["id"]),
            )
            return True

    def due_items(self, now: float | None = None, limit: int = 500) -> list[OutboxItem]:
        now = time.time() if now is None else now
        rows = self._exec(
            "SELECT * FROM outbox WHERE status='pending' AND next_attempt_at<=? ORDER BY id LIMIT ?",
            (now, limit),
        ).fetchall()
        return [_outbox(r) for r in rows]

    def outbox_item(self, op_key: str) -> OutboxItem | None:
        row = self._exec("SELECT * FROM outbox WHERE op_key=?", (op_key,)).fetchone()
        return _outbox(row) if row else None

    def complete(self, item_id: int) -> None:
        self._exec("UPDATE outbox SET status='done', last_error=NULL, fix=NULL, updated_at=? WHERE id=?",
                   (utc_now_iso(), item_id))

    def mark_attempt(self, item_id: int) -> None:
        """Recorded before the write is sent: an item found with attempts > 0 had an uncertain outcome."""
        self._exec("UPDATE outbox SET attempts=attempts+1, updated_at=? WHERE id=?", (utc_now_iso(), item_id))

    def retry_later(self, item_id: int, error: str, fix: str | None, delay_s: float) -> None:
        self._exec(
            "UPDATE outbox SET next_attempt_at=?, last_error=?, fix=?, updated_at=? WHERE id=?",
            (time.time() + delay_s, redact(error), fix, utc_now_iso(), item_id),
        )

    def park(self, item_id: int, error: str, fix: str | None) -> None:
        self._exec(
            "UPDATE outbox SET status='parked', last_error=?, fix=?, updated_at=? WHERE id=?",
            (redact(error), fix, utc_now_iso(), item_id),
        )

    def retry_pending_now(self) -> int:
        cur = self._exec("UPDATE outbox SET next_attempt_at=0 WHERE status='pending' AND next_attempt_at>0")
        return cur.rowcount

    def outbox_counts(self) -> dict[str, int]:
        counts = {"pending": 0, "parked": 0, "done": 0}
        for row in self._exec("SELECT status, COUNT(*) FROM outbox GROUP BY status"):
            counts[row[0]] = int(row[1])
        return counts

    def purge_done(self, keep_days: int = 30) -> None:
        self._exec(
            "DELETE FROM outbox WHERE status='done' AND updated_at < strftime('%Y-%m-%dT%H:%M:%fZ','now',?)",
            (f"-{keep_days} days",),
        )

    # -- QuickBooks customer index (emails normalised locally: QBO does not) ---------------------------
    def index_customer(self, qbo_id: str, email_norm: str | None, display_name: str, active: bool,
                       sync_token: str | None) -> None:
        self._exec(
            "INSERT INTO qbo_customers(qbo_id, email_norm, display_name, active, sync_token) VALUES (?,?,?,?,?) "
            "ON CONFLICT(qbo_id) DO UPDATE SET email_norm=excluded.email_norm, display_name=excluded.display_name,"
            " active=excluded.active, sync_token=excluded.sync_token",
            (qbo_id, email_norm, display_name, int(active), sync_token),
        )

    def customers_by_email(self, email_norm: str) -> list[str]:
        rows = self._exec(
            "SELECT qbo_id FROM qbo_customers WHERE email_norm=? AND active=1 ORDER BY CAST(qbo_id AS INTEGER)",
            (email_norm,),
        ).fetchall()
        return [r[0] for r in rows]

    # -- reviews ----------------------------------------------------------------------------------
    def review_state(self, contact_id: str) -> str | None:
        row = self._exec("SELECT status FROM reviews WHERE contact_id=?", (contact_id,)).fetchone()
        return row[0] if row else None

    def set_review_state(self, contact_id: str, invoice_id: str | None, status: str, detail: str = "") -> None:
        self._exec(
            "INSERT INTO reviews(contact_id, invoice_id, status, detail, updated_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT(contact_id) DO UPDATE SET invoice_id=excluded.invoice_id, status=excluded.status, "
            "detail=excluded.detail, updated_at=excluded.updated_at",
            (contact_id, invoice_id, status, redact(detail), utc_now_iso()),
        )

    # -- sync log ---------------------------------------------------------------------------------
    def log(
        self,
        level: str,
        direction: str,
        message: str | Message,
        *,
        record_kind: str | None = None,
        croco_id: str | None = None,
        qbo_id: str | None = None,
        fix: str | Message | None = None,
    ) -> int:
        """One sync-log row. A `Message` is stored as its id and values too, so the row can be shown
        again in another language; its English text is kept for search and older readers."""
        level = level.upper()
        if level not in LEVELS:
            raise ValueError(f"unknown log level {level}")
        msg_id, msg_values = _message_columns(message)
        fix_id, fix_values = _message_columns(fix)
        cur = self._exec(
            "INSERT INTO sync_log(ts, level, direction, record_kind, croco_id, qbo_id, message, fix, "
            "message_id, message_values, fix_id, fix_values) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (utc_now_iso(), level, direction, record_kind, croco_id, qbo_id, redact(str(message)),
             redact(str(fix)) if fix else None, msg_id, msg_values, fix_id, fix_values),
        )
        return int(cur.lastrowid or 0)

    def log_entries(
        self,
        *,
        min_level: str | None = None,
        direction: str | None = None,
        record_kind: str | None = None,
        text: str | None = None,
        limit: int = 1000,
        after_id: int = 0,
    ) -> list[LogEntry]:
        clauses = ["id > ?"]
        args: list[Any] = [after_id]
        if min_level:
            allowed = LEVELS[LEVELS.index(min_level.upper()):]
            clauses.append(f"level IN ({','.join('?' * len(allowed))})")
            args.extend(allowed)
        if direction:
            clauses.append("direction = ?")
            args.append(direction)
        if record_kind:
            clauses.append("record_kind = ?")
            args.append(record_kind)
        if text:
            clauses.append("(message LIKE ? OR fix LIKE ? OR croco_id LIKE ? OR qbo_id LIKE ?)")
            args.extend([f"%{text}%"] * 4)
        sql = f"SELECT * FROM sync_log WHERE {' AND '.join(clauses)} ORDER BY id DESC LIMIT ?"
        args.append(limit)
        rows = self._exec(sql, tuple(args)).fetchall()
        return [LogEntry(**dict(r)) for r in reversed(rows)]

    def log_counts(self, since_id: int = 0) -> dict[str, int]:
        counts = dict.fromkeys(LEVELS, 0)
        for row in self._exec("SELECT level, COUNT(*) FROM sync_log WHERE id>? GROUP BY level", (since_id,)):
            counts[row[0]] = int(row[1])
        return counts

    def last_log_id(self) -> int:
        row = self._exec("SELECT MAX(id) FROM sync_log").fetchone()
        return int(row[0] or 0)


def _message_columns(msg: str | Message | None) -> tuple[str | None, str | None]:
    if isinstance(msg, Message):
        return msg.id, redact(msg.values_json())
    return None, None


def _link(row: sqlite3.Row) -> Link:
    return Link(row["kind"], row["croco_id"], row["qbo_id"], row["sync_token"], row["fingerprint"],
                json.loads(row["extra"] or "{}"))


def _outbox(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        id=row["id"], op_key=row["op_key"], kind=row["kind"], croco_id=row["croco_id"], action=row["action"],
        payload=_loads(row["payload"]), request_id=row["request_id"], status=row["status"],
        attempts=row["attempts"], next_attempt_at=row["next_attempt_at"], last_error=row["last_error"],
        fix=row["fix"],
    )
