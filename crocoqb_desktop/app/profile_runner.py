"""Every profile on its own schedule in one process (design rule 12).

One `ProfileWorker` per profile: its own AppContext (settings, state DB), SyncService and
SyncScheduler, and every call it makes runs inside `paths.profile_scope(name)`, so its keychain
entries, lock files and data folder are its own. One sync per profile at a time (the worker's flag
and the engine's per-folder lock); profiles sync in parallel, each within its own clients' limits
(QuickBooks limits are per company, CrocoClick's per key). A profile whose sync fails, or whose
grant was revoked, only stops itself: it waits for the user (reconnect) and the others go on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from crocoqb_desktop import paths, profiles
from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.app.scheduler import CHANGES, PUSH_JOB, SyncScheduler
from crocoqb_desktop.app.service import SyncService
from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import message
from crocoqb_desktop.settings import Settings
from crocoqb_desktop.sync.engine import SyncBusy, SyncResult
from crocoqb_desktop.sync.store import StateStore

log = logging.getLogger("crocoqb.profiles")


@dataclass
class RunRecord:
    """One run of one profile (for status, tests and the benchmark)."""

    profile: str
    reason: str
    started: float
    ended: float
    cpu_s: float
    result: SyncResult | None


class ProfileWorker:
    def __init__(self, name: str, *, scheduler_factory: Callable[..., SyncScheduler] = SyncScheduler,
                 first_run_delay_s: float = 5.0, context_factory: Callable[[], AppContext] | None = None,
                 on_run: Callable[[RunRecord], None] | None = None) -> None:
        self.name = name
        with paths.profile_scope(name):
            self.ctx = context_factory() if context_factory else AppContext(settings=Settings(), store=StateStore())
            self.service = SyncService(self.ctx)
        self._on_run = on_run
        self._lock = threading.Lock()
        self.syncing = False
        self.busy_skips = 0
        self.last: RunRecord | None = None
        settings = self.ctx.settings
        with paths.profile_scope(name):  # the long-poll runs on the watcher's thread, as this profile
            watch = paths.bound(self.service.wait_for_events)
        self.scheduler = scheduler_factory(self.run, push_interval_s=settings.get("sync.push_interval_s"),
                                           poll_interval_s=settings.get("sync.poll_interval_s"),
                                           first_run_delay_s=first_run_delay_s, watch=watch)

    def ready(self) -> bool:
        """Set up and connected: a profile waiting for its user (reconnect) is not retried in a loop."""
        with paths.profile_scope(self.name):
            return bool(self.ctx.croco_status()["connected"]) and \
                self.service.connection.status()["state"] == "connected"

    def run(self, reason: str) -> RunRecord | None:
        """A scheduled run (push, poll, catch-up) or `manual`; None when skipped (not ready, busy)."""
        with paths.profile_scope(self.name):
            if reason != "manual" and not self.ready():
                return None
            with self._lock:
                if self.syncing:
                    self.busy_skips += 1
                    return None
                self.syncing = True
            started, cpu0 = time.monotonic(), time.thread_time()
            try:
                result: SyncResult | None = self.service.sync_once(
                    retry_now=reason == "manual", intake=reason != CHANGES, event_push=reason == PUSH_JOB)
            except Exception as exc:  # an engine bug in one profile never stops the others
                log.exception("sync of profile %s failed unexpectedly", self.name)
                result = SyncResult(exit_code=2, error=CrocoQBError(
                    message("profile.sync_crashed", "The sync of profile {name} stopped unexpectedly "
                            "({error}).", name=self.name, error=exc.__class__.__name__)))
            finally:
                with self._lock:
                    self.syncing = False
            if result is not None and isinstance(result.error, SyncBusy):
                self.busy_skips += 1  # another process syncs this profile
                result = None
            record = RunRecord(self.name, reason, started, time.monotonic(), time.thread_time() - cpu0, result)
            self.last = record
            if self._on_run is not None:
                self._on_run(record)
            return record

    def status(self) -> dict[str, Any]:
        with paths.profile_scope(self.name):
            return self.service.status()

    def close(self) -> None:
        self.scheduler.shutdown(wait=False)
        self.service.close()
        self.ctx.store.close()


class ProfileRunner:
    """All profiles of the data root (or the names given), each on its own schedule."""

    def __init__(self, names: Sequence[str] | None = None, **worker_kwargs: Any) -> None:
        root = paths.data_root()
        chosen = list(names) if names is not None else profiles.names(root)
        for name in chosen:
            profiles.ensure_folder(root, name)  # an unknown name is a clear error before anything starts
        self.workers = {name: ProfileWorker(name, **worker_kwargs) for name in chosen}

    def start(self) -> None:
        for worker in self.workers.values():
            worker.scheduler.start()

    def sync_all_now(self) -> dict[str, RunRecord | None]:
        """One run of every profile, in parallel; returns when all are done."""
        records: dict[str, RunRecord | None] = {}

        def one(name: str) -> None:
            records[name] = self.workers[name].run("manual")

        threads = [threading.Thread(target=one, args=(n,), name=f"crocoqb-sync-{n}") for n in self.workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return records

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.close()
