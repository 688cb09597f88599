"""Write-backs that trail (migration 6): the QuickBooks ids stored in CrocoClick's `externalRefs`.

During a catch-up the QuickBooks writes go at QuickBooks' batch-inclusive rate, far above what
CrocoClick's 100 requests per 10 s allows for one write-back per record; so the write-backs are queued in
the state file (one row per record: a crash loses none) and sent at CrocoClick's pace by a few trailing
threads, after the QuickBooks writes when they cannot keep up. A write-back is idempotent (a PATCH of the
same refs); the local link stays the source of truth, so one that fails for good is dropped and logged.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.errors import ServiceError

if TYPE_CHECKING:
    from crocoqb_desktop.croco.client import CrocoClient
    from crocoqb_desktop.sync.store import StateStore

log = logging.getLogger("crocoqb.sync.writeback")

MIGRATION_SQL = """
CREATE TABLE writeback (
    key TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    croco_id TEXT NOT NULL,
    refs TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
"""

#: the CrocoClient methods a write-back may use
METHODS = ("update_contact", "update_invoice", "set_payment_external_refs")
MAX_ATTEMPTS = 5


def queue(store: StateStore, method: str, croco_id: str, refs: dict[str, Any]) -> None:
    if method not in METHODS:
        raise ValueError(method)
    store.execute("INSERT OR REPLACE INTO writeback (key, method, croco_id, refs) VALUES (?, ?, ?, ?)",
                  (f"{method}:{croco_id}", method, croco_id, json.dumps(refs, sort_keys=True)))


def pending(store: StateStore) -> int:
    return int(store.execute("SELECT COUNT(*) FROM writeback").fetchone()[0])


def send_one(croco: CrocoClient, method: str, croco_id: str, refs: dict[str, Any]) -> None:
    if method == "set_payment_external_refs":
        croco.set_payment_external_refs(croco_id, refs)
    else:
        getattr(croco, method)(croco_id, {"externalRefs": refs})


class Trailer:
    """Threads that send the queued write-backs while the QuickBooks writes go on. `finish()` sends what
    is left (unless `stop` is set: then it stays queued for the next cycle)."""

    def __init__(self, croco: CrocoClient, store: StateStore, *, threads: int = 4,
                 stop: threading.Event | None = None) -> None:
        self.croco = croco
        self.store = store
        self.stop = stop
        self.sent = 0
        self._threads_count = threads
        self._lock = threading.Lock()
        self._taken: set[str] = set()
        self._closing = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> Trailer:
        for n in range(self._threads_count):
            thread = threading.Thread(target=self._loop, name=f"crocoqb-writeback-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def poke(self) -> None:
        self._wake.set()

    def finish(self) -> None:
        self._closing.set()
        self._wake.set()
        for thread in self._threads:
            thread.join()
        self._threads.clear()

    def _next(self) -> tuple[str, str, str, str, int] | None:
        with self._lock:
            placeholders = ",".join("?" for _ in self._taken) or "''"
            row = self.store.execute(
                f"SELECT key, method, croco_id, refs, attempts FROM writeback WHERE key NOT IN ({placeholders}) "
                "ORDER BY created_at LIMIT 1", tuple(self._taken)).fetchone()
            if row is None:
                return None
            self._taken.add(row[0])
            return row[0], row[1], row[2], row[3], int(row[4])

    def _loop(self) -> None:
        # here, not at the top: the state store imports this module's schema, and the window's first
        # screen must not wait for the CrocoClick client package
        from crocoqb_desktop.croco.errors import CrocoApiError

        while not (self.stop is not None and self.stop.is_set()):
            row = self._next()
            if row is None:
                if self._closing.is_set():
                    return
                self._wake.wait(0.2)
                self._wake.clear()
                continue
            key, method, croco_id, refs, attempts = row
            try:
                send_one(self.croco, method, croco_id, json.loads(refs))
                done = True
            except ServiceError as exc:
                permanent = isinstance(exc, CrocoApiError) and not exc.retryable
                done = permanent or attempts + 1 >= MAX_ATTEMPTS
                log.info("could not store the QuickBooks id in CrocoClick (%s): %s", key, exc.message)
            if done:
                self.store.execute("DELETE FROM writeback WHERE key=?", (key,))
                with self._lock:
                    self.sent += 1
            else:
                self.store.execute("UPDATE writeback SET attempts=attempts+1 WHERE key=?", (key,))
                if self._closing.is_set():
                    with self._lock:
                        self._taken.discard(key)
                    return  # left for the next cycle


def flush(croco: CrocoClient, store: StateStore, *, stop: threading.Event | None = None,
          progress: Callable[[str, int, int], None] | None = None) -> int:
    """Sends the write-backs left queued by an earlier cycle. Returns how many were settled."""
    if pending(store) == 0:
        return 0
    trailer = Trailer(croco, store, stop=stop).start()
    trailer.finish()
    return trailer.sent
