"""Runs syncs on a schedule, in-process, with APScheduler's BackgroundScheduler.

- Two interval jobs, "push" (every `sync.push_interval_s`) and "poll" (every `sync.poll_interval_s`),
  both calling one callable with the reason ("push", "poll", "catch-up").
- `coalesce=True`, `max_instances=1` and a generous `misfire_grace_time`: a run missed while the
  computer slept or the app was busy happens once, late, instead of being dropped or stacked.
- A wall-clock gap check (every 30 s): if wall time advanced much more than the check interval,
  the computer was asleep (or the clock jumped): a catch-up run is made at once.
- Pause/resume and rescheduling when the settings change.
- With `watch` (a long-poll of the CrocoClick feed, `app/live.py`), pushes run as soon as events arrive
  instead of every `push_interval_s` (which becomes the watcher's fallback polling interval), and the
  "poll" job, while the watcher is live, runs as "changes": QuickBooks changes and due retries only,
  without reading the feed again (an idle minute costs CrocoClick about 60 / 25 requests).

Engine-agnostic: it knows nothing about syncing. The callable runs on a scheduler worker thread;
the one-sync-at-a-time lock is the engine's (a run that finds a sync in progress is the caller's
business: it treats `SyncBusy` as "already syncing").
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

from crocoqb_desktop.app.live import LIVE, EventWatcher, WaitForEvents

log = logging.getLogger("crocoqb.scheduler")

PUSH_JOB = "push"
POLL_JOB = "poll"
GAP_JOB = "wall-clock-gap"
#: the "poll" run while the event feed is watched live: QuickBooks changes and due retries, no feed read
CHANGES = "changes"
MISFIRE_GRACE_S = 3600
GAP_CHECK_INTERVAL_S = 30.0
#: a wall-clock advance this much larger than the check interval counts as a resume from sleep
GAP_TOLERANCE_S = 60.0

RunSync = Callable[[str], Any]


class SyncScheduler:
    def __init__(
        self,
        run: RunSync,
        *,
        push_interval_s: float,
        poll_interval_s: float,
        gap_check_interval_s: float = GAP_CHECK_INTERVAL_S,
        gap_tolerance_s: float = GAP_TOLERANCE_S,
        wall_clock: Callable[[], float] = time.time,
        on_resume_from_sleep: Callable[[float], None] | None = None,
        first_run_delay_s: float = 5.0,
        watch: WaitForEvents | None = None,
        watch_wait_s: float = 25.0,
    ) -> None:
        self._run = run
        self._push_interval_s = float(push_interval_s)
        self._poll_interval_s = float(poll_interval_s)
        self._gap_check_interval_s = gap_check_interval_s
        self._gap_tolerance_s = gap_tolerance_s
        self._wall_clock = wall_clock
        self._on_resume = on_resume_from_sleep
        self._first_run_delay_s = first_run_delay_s
        self._last_wall: float | None = None
        self._lock = threading.Lock()
        self._paused = False
        self._started = False
        self.watcher: EventWatcher | None = None
        if watch is not None:
            self.watcher = EventWatcher(watch, self._job, wait_s=watch_wait_s,
                                        fallback_interval_s=self._push_interval_s)
        self._apscheduler: BackgroundScheduler | None = None

    @property
    def _scheduler(self) -> BackgroundScheduler:
        """APScheduler's scheduler, made (and APScheduler imported) on first use: the app's window
        comes up before it is needed."""
        if self._apscheduler is None:
            from apscheduler.executors.pool import ThreadPoolExecutor
            from apscheduler.schedulers.background import BackgroundScheduler

            # Three threads: push, poll and the gap check may overlap (the engine serialises syncs).
            self._apscheduler = BackgroundScheduler(
                executors={"default": ThreadPoolExecutor(3)},
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_S},
                daemon=True,
            )
        return self._apscheduler

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self, *, paused: bool = False) -> None:
        if self._started:
            return
        from apscheduler.triggers.interval import IntervalTrigger

        first = datetime.now().astimezone() + timedelta(seconds=self._first_run_delay_s)
        if self.watcher is None:
            self._scheduler.add_job(self._job, IntervalTrigger(seconds=self._push_interval_s), args=[PUSH_JOB],
                                    id=PUSH_JOB, name="push to QuickBooks", next_run_time=first)
        self._scheduler.add_job(self._job, IntervalTrigger(seconds=self._poll_interval_s), args=[POLL_JOB],
                                id=POLL_JOB, name="poll QuickBooks",
                                next_run_time=first + timedelta(seconds=self._poll_interval_s))
        self._last_wall = self._wall_clock()
        self._scheduler.add_job(self.check_wall_clock_gap, IntervalTrigger(seconds=self._gap_check_interval_s),
                                id=GAP_JOB, name="wall-clock gap check")
        self._scheduler.start(paused=paused)
        self._paused = paused
        self._started = True
        if self.watcher is not None:
            if paused:
                self.watcher.pause()
            self.watcher.start()

    def shutdown(self, wait: bool = False) -> None:
        if self.watcher is not None:
            self.watcher.stop(timeout=None)
        if self._started:
            self._started = False
            try:
                self._scheduler.shutdown(wait=wait)
            except Exception:  # already stopped
                log.debug("scheduler shutdown", exc_info=True)

    @property
    def running(self) -> bool:
        return self._started

    # -- pause / resume ----------------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        if self._started and not self._paused:
            self._scheduler.pause()
        if self.watcher is not None:
            self.watcher.pause()
        self._paused = True

    def resume(self) -> None:
        if self._started and self._paused:
            with self._lock:
                self._last_wall = self._wall_clock()  # time spent paused is not a sleep
            self._scheduler.resume()
        if self.watcher is not None:
            self.watcher.resume()
        self._paused = False

    # -- settings ----------------------------------------------------------------------------------
    @property
    def push_interval_s(self) -> float:
        return self._push_interval_s

    @property
    def poll_interval_s(self) -> float:
        return self._poll_interval_s

    def reschedule(self, *, push_interval_s: float | None = None, poll_interval_s: float | None = None) -> None:
        """Apply new intervals; the next run is one new interval from now."""
        from apscheduler.triggers.interval import IntervalTrigger

        if push_interval_s is not None and float(push_interval_s) != self._push_interval_s:
            self._push_interval_s = float(push_interval_s)
            if self.watcher is not None:
                self.watcher.fallback_interval_s = self._push_interval_s
            elif self._started:
                self._scheduler.reschedule_job(PUSH_JOB, trigger=IntervalTrigger(seconds=self._push_interval_s))
        if poll_interval_s is not None and float(poll_interval_s) != self._poll_interval_s:
            self._poll_interval_s = float(poll_interval_s)
            if self._started:
                self._scheduler.reschedule_job(POLL_JOB, trigger=IntervalTrigger(seconds=self._poll_interval_s))

    def next_run_time(self) -> datetime | None:
        """When the next sync is due (None when paused or stopped)."""
        if not self._started or self._paused:
            return None
        times = []
        for job_id in (PUSH_JOB, POLL_JOB):
            job = self._scheduler.get_job(job_id)
            if job is not None and job.next_run_time is not None:
                times.append(job.next_run_time)
        return min(times) if times else None

    def job_options(self, job_id: str) -> dict[str, Any]:
        """The options APScheduler holds for a job (for tests and diagnostics)."""
        job = self._scheduler.get_job(job_id)
        if job is None:
            raise KeyError(job_id)
        return {"coalesce": job.coalesce, "max_instances": job.max_instances,
                "misfire_grace_time": job.misfire_grace_time, "interval_s": job.trigger.interval.total_seconds()}

    @property
    def live_state(self) -> str | None:
        """The watcher's state ("live", "polling", "offline", ...), None without a watcher."""
        return self.watcher.state if self.watcher is not None else None

    # -- jobs --------------------------------------------------------------------------------------
    def _job(self, reason: str) -> None:
        if reason == POLL_JOB and self.watcher is not None and self.watcher.state == LIVE:
            reason = CHANGES
        try:
            self._run(reason)
        except Exception:  # a failing run must not kill the job; the next one tries again
            log.exception("scheduled %s run failed", reason)

    def check_wall_clock_gap(self) -> bool:
        """Called every `gap_check_interval_s`. Returns True (and runs a catch-up sync) after a gap."""
        now = self._wall_clock()
        with self._lock:
            last, self._last_wall = self._last_wall, now
        if last is None:
            return False
        gap = now - last
        if gap <= self._gap_check_interval_s + self._gap_tolerance_s:
            return False
        log.info("wall clock advanced %.0f s in one %.0f s check: resumed from sleep, catching up",
                 gap, self._gap_check_interval_s)
        if self._on_resume is not None:
            try:
                self._on_resume(gap)
            except Exception:
                log.exception("resume callback failed")
        if self.watcher is not None:
            self.watcher.poke()  # the held request died with the network: ask again now
        if not self._paused:
            self._job("catch-up")
        return True
