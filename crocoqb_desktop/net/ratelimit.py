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


class AnsweredWindowLimiter:
    """At most `limit` requests in any `window_s` seconds as the service counts them (when they arrive),
    whatever the delay between sending and arriving (thread scheduling, a pause of the garbage collector,
    the network): a request keeps its place in the window from the moment it is sent until `window_s`
    after its answer came back, since it arrived somewhere in between. No margin to guess; the cost is
    one round trip per window (0.5 % for 300 ms in a minute, 1.5 % for 150 ms in 10 s).

    `acquire()` before sending (blocks until allowed), `answered()` once the answer (or the failure) is
    back, `block_for(s)` after a 429: nobody sends for `s` seconds (shared by every thread)."""

    def __init__(self, limit: int, window_s: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be >= 1 and window_s > 0")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._sleep = sleep
        self._answered: deque[float] = deque()  # answer times, oldest first
        self._in_flight = 0
        self._blocked_until = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                while self._answered and now - self._answered[0] >= self.window_s:
                    self._answered.popleft()
                pause = self._blocked_until - now
                if pause <= 0 and self._in_flight + len(self._answered) < self.limit:
                    self._in_flight += 1
                    return
                if pause <= 0:  # full: until the oldest answer leaves the window (or one comes back)
                    pause = self.window_s - (now - self._answered[0]) if self._answered else 0.005
            self._sleep(max(pause, 0.001))

    def has_room(self) -> bool:
        """Whether `acquire()` would pass now (a hint: another thread may take the room first)."""
        with self._lock:
            now = self._clock()
            while self._answered and now - self._answered[0] >= self.window_s:
                self._answered.popleft()
            return self._blocked_until <= now and self._in_flight + len(self._answered) < self.limit

    def answered(self) -> None:
        with self._lock:
            self._in_flight -= 1
            self._answered.append(self._clock())

    def block_for(self, seconds: float) -> None:
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
