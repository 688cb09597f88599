"""Long-poll watcher of the CrocoClick event feed (design-notes rule 11: seconds, not minutes).

A desktop app cannot receive webhooks, so one thread holds `GET /events?wait=25` open; the server answers
as soon as an event is committed, and the watcher runs a push at once. Engine-agnostic: it gets a
`wait_for_events(wait_s) -> str | None` callable (the feed position it waited after when something new is
there, None when nothing came) and a `run(reason)`. A run that leaves the position where it was (the
intake failed) is retried with a backoff, never in a tight loop.

- The server ignores `wait` (it answers at once with an empty page, every time): after a few such answers
  the watcher falls back to polling every `fallback_interval_s`, and keeps probing with `wait` so that a
  server that starts honouring it is used again.
- Network loss, a 429 that outlived the client's own retries, a sleeping laptop (the held request breaks
  or times out): the watcher backs off (1, 2, 4 ... 60 s) and tries again; `poke()` (after a wake-up)
  retries at once.
- `state`: "starting", "live" (a held request is working), "polling" (fallback), "offline" (the last
  attempt failed), "paused", "stopped": what the GUI shows instead of claiming "up to date" blindly.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("crocoqb.live")

WAIT_S = 25.0
#: an empty answer faster than this fraction of `wait` means the server did not hold the request
QUICK_FRACTION = 0.2
#: that many quick empty answers in a row and the watcher falls back to interval polling
QUICK_EMPTY_LIMIT = 3
MAX_BACKOFF_S = 60.0

WaitForEvents = Callable[[float], str | None]

STARTING, LIVE, POLLING, OFFLINE, PAUSED, STOPPED = "starting", "live", "polling", "offline", "paused", "stopped"


class EventWatcher:
    def __init__(self, wait_for_events: WaitForEvents, run: Callable[[str], Any], *, wait_s: float = WAIT_S,
                 fallback_interval_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._wait_for_events = wait_for_events
        self._run = run
        self.wait_s = float(wait_s)
        self.fallback_interval_s = float(fallback_interval_s)
        self._clock = clock
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._paused = False
        self._thread: threading.Thread | None = None
        self._run_lock = threading.Lock()  # held while a run started by the watcher is going on
        self.state = STARTING
        #: clock time of the last answer from the feed (None before the first)
        self.last_answer_at: float | None = None
        self.stats = {"requests": 0, "events": 0, "quick_empty": 0, "failures": 0}

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="crocoqb-live", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stops after the request or run in flight (a held request is simply abandoned)."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None and timeout:
            thread.join(timeout)
        self.state = STOPPED

    def wait_idle(self, timeout: float = -1) -> bool:
        """Waits for the run in flight (if any) to finish; a held request is not waited for."""
        if self._run_lock.acquire(timeout=timeout):
            self._run_lock.release()
            return True
        return False

    def pause(self) -> None:
        self._paused = True
        self.state = PAUSED

    def resume(self) -> None:
        self._paused = False
        self.poke()

    def poke(self) -> None:
        """Try again now (after a wake-up from sleep, or when the network is back)."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None

    # -- loop --------------------------------------------------------------------------------------
    def _pause_for(self, seconds: float) -> None:
        self._wake.wait(max(0.0, seconds))
        self._wake.clear()

    def _loop(self) -> None:
        quick_empty = 0
        failures = 0
        last_position: str | None = None
        while not self._stop.is_set():
            if self._paused:
                self._pause_for(1.0)
                continue
            started = self._clock()
            try:
                self.stats["requests"] += 1
                position = self._wait_for_events(self.wait_s)
            except Exception as exc:  # network loss, 429 beyond the client's retries, a broken held request
                failures += 1
                self.stats["failures"] += 1
                self.state = OFFLINE
                delay = min(MAX_BACKOFF_S, 2.0 ** (failures - 1))
                log.info("event feed unreachable (%s): trying again in %.0f s", exc.__class__.__name__, delay)
                self._pause_for(delay)
                continue
            if self._stop.is_set():
                return
            self.last_answer_at = self._clock()
            if position is not None:
                if position == last_position:  # the last run did not take these events in: back off
                    failures += 1
                    self._pause_for(min(MAX_BACKOFF_S, 2.0 ** (failures - 1)))
                else:
                    failures = 0
                last_position = position
                self.stats["events"] += 1
                if self.state != POLLING:
                    self.state = LIVE
                self._run_safely("push")
                continue
            failures = 0
            last_position = None
            if self._clock() - started < self.wait_s * QUICK_FRACTION:
                quick_empty += 1
                self.stats["quick_empty"] += 1
            else:
                quick_empty = 0
            if quick_empty >= QUICK_EMPTY_LIMIT:
                if self.state != POLLING:
                    log.info("the event feed answers at once without waiting: polling every %.0f s instead",
                             self.fallback_interval_s)
                self.state = POLLING
                self._pause_for(self.fallback_interval_s)
            else:
                self.state = LIVE

    def _run_safely(self, reason: str) -> None:
        with self._run_lock:
            if self._stop.is_set():
                return
            try:
                self._run(reason)
            except Exception:  # a failing run must not end the watcher
                log.exception("push after new events failed")
