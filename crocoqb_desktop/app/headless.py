"""`crocoqb run`: the scheduler in the foreground without a window (a spare PC or a server).

The same parts as the window: SyncService cycles, SyncScheduler (CDC polls, wall-clock gap catch-up)
and the long-poll watcher of the CrocoClick feed. Logs go to the console and to the log file. SIGTERM or
Ctrl-C: no new record starts, the ones in flight finish (what was not sent stays in the outbox for the
next start), exit 0. A service lock in the data folder keeps the window and `run` from syncing the same
data at once.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any

from crocoqb_desktop import paths
from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.app.scheduler import CHANGES, PUSH_JOB, SyncScheduler
from crocoqb_desktop.app.service import SyncService
from crocoqb_desktop.app.service_lock import OWNER_RUN, ServiceLock
from crocoqb_desktop.errors import NotConfiguredError, ReconnectNeeded
from crocoqb_desktop.redaction import RedactingFilter
from crocoqb_desktop.sync.engine import SyncBusy, SyncResult

log = logging.getLogger("crocoqb.run")


def _console_logging() -> None:
    root = logging.getLogger("crocoqb")
    if any(getattr(h, "_crocoqb_console", False) for h in root.handlers):
        return
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    stream.addFilter(RedactingFilter())
    stream._crocoqb_console = True  # type: ignore[attr-defined]
    root.addHandler(stream)


class HeadlessService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.service = SyncService(ctx)
        self.stop_event = threading.Event()  # no new record starts once set
        self.lock = ServiceLock(paths.data_dir(), OWNER_RUN)
        self.cycles = 0
        settings = ctx.settings
        # bound to this profile: the scheduler's and the watcher's threads run as it (rule 12)
        self.scheduler = SyncScheduler(
            paths.bound(self.run_cycle), push_interval_s=settings.get("sync.push_interval_s"),
            poll_interval_s=settings.get("sync.poll_interval_s"),
            # the first cycle runs in serve(); the first check follows one poll interval after it
            first_run_delay_s=0.0, watch=paths.bound(self.service.wait_for_events),
        )

    def run_cycle(self, reason: str) -> SyncResult | None:
        if self.stop_event.is_set():
            return None
        result = self.service.sync_once(intake=reason != CHANGES, stop=self.stop_event,
                                        event_push=reason == PUSH_JOB)
        self.cycles += 1
        if isinstance(result.error, SyncBusy):
            log.debug("%s: a sync is already running", reason)
        elif result.error is not None:
            log.warning("%s: %s", reason, result.summary())
        elif result.created or result.updated or result.failed or reason not in ("poll", CHANGES):
            log.info("%s: %s", reason, result.summary())
        return result

    def serve(self, *, install_signals: bool = True) -> int:
        """Runs until `stop()` (or SIGTERM / Ctrl-C). Returns the exit code."""
        _console_logging()
        if install_signals:  # before the first cycle: a SIGTERM then stops it after the records in flight
            self._install_signals()
        self.lock.acquire()
        try:
            first = self.service.sync_once(stop=self.stop_event)
            if isinstance(first.error, NotConfiguredError | ReconnectNeeded):
                raise first.error  # nothing can sync until the user acts: exit 2 with the fix
            log.info("CrocoQB is running without a window (data in %s). %s", paths.data_dir(), first.summary())
            log.info("Press Ctrl-C (or send SIGTERM) to stop.")
            if not self.stop_event.is_set():
                self.scheduler.start()
            while not self.stop_event.wait(1.0):
                pass
            log.info("Stopping: the records in flight finish, the others wait for the next start")
            self.scheduler.shutdown(wait=True)
            if self.scheduler.watcher is not None:
                self.scheduler.watcher.wait_idle()
            log.info("Stopped.")
            return 0
        finally:
            self.service.close()
            self.lock.release()

    def stop(self) -> None:
        self.stop_event.set()

    def _install_signals(self) -> None:
        def handle(signum: int, frame: FrameType | None) -> None:
            self.stop()

        signal.signal(signal.SIGINT, handle)
        signal.signal(signal.SIGTERM, handle)


def run_headless(**kwargs: Any) -> int:
    ctx = AppContext.open()
    try:
        return HeadlessService(ctx).serve(**kwargs)
    finally:
        ctx.store.close()
