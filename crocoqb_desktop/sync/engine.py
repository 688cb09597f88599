"""One sync cycle, both directions, one at a time (a thread lock plus a lock file across processes)."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crocoqb_desktop.croco.client import CrocoClient
from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.sync import problems
from crocoqb_desktop.sync.catchup import catch_up
from crocoqb_desktop.sync.pull import PullEngine
from crocoqb_desktop.sync.push import PushEngine
from crocoqb_desktop.sync.qbo_context import QboContext
from crocoqb_desktop.sync.store import StateFileBusy, StateStore, utc_now_iso

log = logging.getLogger("crocoqb.sync")

Progress = Callable[[str, int, int], None]
#: one cycle at a time per data folder (profile) in this process; profiles sync in parallel
_thread_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _thread_lock_for(lock_path: Path) -> threading.Lock:
    with _locks_guard:
        return _thread_locks.setdefault(str(lock_path), threading.Lock())


@dataclass
class SyncOptions:
    import_invoices: bool = False
    review_automation: bool = False
    review_channel: str = "email"
    push: bool = True
    pull: bool = True
    payouts: str = "off"  # rule 14: "off" | "clearing"
    #: read the CrocoClick event feed into the outbox (False: the feed is watched live elsewhere; due
    #: retries still go out)
    intake: bool = True
    #: once set, no new record starts (`crocoqb run` stopping); the ones in flight finish
    stop: threading.Event | None = None
    #: read QuickBooks' changes (CDC) at the end (False for a push right after events: the regular
    #: check does it)
    changes: bool = True
    #: operations per QuickBooks batch when a backlog drains (`qbo.batch_size`; 1 = no batches)
    batch_size: int = 30


@dataclass
class SyncResult:
    exit_code: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    reviews: int = 0
    #: records that need the user after this cycle (open problems, sync/problems.py)
    problems: int = 0
    error: CrocoQBError | None = None
    failures: list[str] = field(default_factory=list)
    started_at: str = ""
    finished_at: str = ""

    def summary(self) -> str:
        return str(self.summary_message())

    def summary_message(self) -> Message:
        if self.error is not None:
            return self.error.user_message()
        reviews = message("sync.finished.reviews", ", {reviews} review requests", reviews=self.reviews) \
            if self.reviews else ""
        if self.problems:
            failed_note: Message | str = message("sync.finished.problems_note", "; {problems} need your attention "
                                                 "(crocoqb problems)", problems=self.problems)
        else:
            failed_note = message("sync.finished.failed_note", ". The log says what to fix for each one.") \
                if self.failed else ""
        return message("sync.finished", "Sync finished: {created} created, {updated} updated, {failed} failed"
                       "{reviews}{failed_note}", created=self.created, updated=self.updated, failed=self.failed,
                       reviews=reviews, failed_note=failed_note)


class SyncBusy(CrocoQBError):
    title = message("sync.sync_busy.title", "A sync is already running")
    fix = message("sync.sync_busy.fix", "Wait for it to finish; it usually takes less than a minute.")


class ProcessLock:
    """A lock file holding the owner's pid; a lock left by a dead process is taken over."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        for _ in range(2):
            try:
                self._fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.write(self._fd, str(os.getpid()).encode())
                return True
            except FileExistsError:
                if not self._stale():
                    return False
                try:
                    self.path.unlink()
                except FileNotFoundError:
                    pass
        return False

    def _stale(self) -> bool:
        try:
            pid = int(self.path.read_text().strip() or "0")
        except (OSError, ValueError):
            return True
        if pid == os.getpid():
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except (PermissionError, OSError):
            return False
        return False

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass


def run_cycle(croco: CrocoClient, ctx: QboContext, store: StateStore, options: SyncOptions, *,
              lock_path: Path, progress: Progress | None = None) -> SyncResult:
    thread_lock = _thread_lock_for(lock_path)
    if not thread_lock.acquire(blocking=False):
        raise SyncBusy(message("sync.busy.thread", "another sync is running in this app"))
    lock = ProcessLock(lock_path)
    try:
        if not lock.acquire():
            raise SyncBusy(message("sync.busy.process", "another CrocoQB process is syncing"))
        try:
            return _cycle(croco, ctx, store, options, progress)
        finally:
            lock.release()
    finally:
        thread_lock.release()


def _cycle(croco: CrocoClient, ctx: QboContext, store: StateStore, options: SyncOptions,
           progress: Progress | None) -> SyncResult:
    result = SyncResult(started_at=utc_now_iso())
    started = time.monotonic()
    pull = PullEngine(croco, ctx, store, import_invoices=options.import_invoices,
                      review_automation=options.review_automation, review_channel=options.review_channel)
    push = PushEngine(croco, ctx, store, payouts=options.payouts)
    push.stop = options.stop
    try:
        if options.pull:
            pull.run_activation(progress)
        if options.push:
            if options.intake:
                push.intake()
            with catch_up(push, croco, store, batch_size=options.batch_size, stop=options.stop):
                push.drain(progress)
        stopping = options.stop is not None and options.stop.is_set()
        if options.pull and options.changes and not stopping:
            pull.poll_changes()
    except StateFileBusy:
        raise  # nothing can be written to the state file now: the caller reports it
    except CrocoQBError as exc:
        result.error = exc
        store.log("ERROR", "system", message("sync.stopped", "Sync stopped: {title}: {reason}", title=exc.title_msg,
                                             reason=exc.message_msg), fix=exc.fix_msg)
    finally:
        for part in (push.result, pull.result):
            result.created += part.created
            result.updated += part.updated
            result.failed += part.failed
            result.failures.extend(part.failures)
        result.skipped = push.result.skipped
        result.reviews = pull.result.reviews
        result.finished_at = utc_now_iso()
    # a record left out of the books is never "ok": open problems keep the exit code at 1 until solved
    result.problems = problems.count_open(store)
    result.exit_code = 2 if result.error is not None else (1 if result.failed or result.problems else 0)
    store.purge_done()  # finished operations are kept 30 days for diagnosis, not forever
    store.set_cursor("sync.last_result", f"{result.exit_code}")
    store.set_cursor("sync.last_sync_at", result.finished_at)
    store.log("INFO" if result.exit_code == 0 else "WARNING", "system",
              message("sync.summary_timed", "{summary} in {seconds} s", summary=result.summary_message(),
                      seconds=round(time.monotonic() - started, 1)))
    return result
