"""Client-side rate limiting: a sliding-window limiter plus a concurrency cap.

Used by both clients so that the app stays under each service's published limits instead of
discovering them through 429 answers.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class SlidingWindowLimiter:
    """At most `limit` acquisitions in any `window_s` seconds; `acquire` blocks until allowed."""

    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be >= 1 and window_s > 0")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._sleep = sleep
        self._stamps: deque[float] = deque()
        self._lock = threading.Lock()
        self._blocked_until = 0.0

    def acquire(self) -> float:
        """Take one slot; returns the seconds spent waiting."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while self._stamps and now - self._stamps[0] >= self.window_s:
                    self._stamps.popleft()
                pause = max(0.0, self._blocked_until - now)
                if pause == 0.0 and len(self._stamps) < self.limit:
                    self._stamps.append(now)
                    return waited
                if pause == 0.0:
                    pause = self.window_s - (now - self._stamps[0])
            pause = max(pause, 0.001)
            self._sleep(pause)
            waited += pause

    def block_for(self, seconds: float) -> None:
        """After a 429: nobody sends for `seconds` (shared by every thread using this limiter)."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)


class ConcurrencyLimiter:
    """At most `limit` requests in flight at once."""

    def __init__(self, limit: int) -> None:
        self._sem = threading.BoundedSemaphore(limit)

    @contextmanager
    def slot(self) -> Iterator[None]:
        self._sem.acquire()
        try:
            yield
        finally:
            self._sem.release()
