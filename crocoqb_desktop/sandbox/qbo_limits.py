"""QuickBooks request limits per realm (ref §3): concurrency, per-second, per-minute and batch windows."""

from __future__ import annotations

import threading

from .base import WindowCounter


class RealmLimits:
    """Window counters and in-flight counts by realm; `admit` takes a slot, `release` gives it back."""

    def __init__(self) -> None:
        self._second: dict[str, WindowCounter] = {}
        self._minute: dict[str, WindowCounter] = {}
        self._batch_minute: dict[str, WindowCounter] = {}
        self._inflight: dict[str, int] = {}
        self._lock = threading.Lock()

    def admit(
        self,
        realm: str,
        *,
        is_batch: bool,
        concurrent_limit: int,
        requests_per_second: int | None,
        requests_per_minute: int,
        batches_per_minute: int,
        time_scale: float,
    ) -> bool:
        """True and one more request in flight, or False when a limit is reached (answer 429)."""
        with self._lock:
            if self._inflight.get(realm, 0) >= concurrent_limit:
                return False  # >10 concurrent requests per realm (ref §3)
            if requests_per_second:
                second = self._second.setdefault(realm, WindowCounter(requests_per_second, 1, time_scale))
                if not second.hit()[0]:
                    return False  # 10 requests/second per realm (ref §3)
            minute = self._minute.setdefault(realm, WindowCounter(requests_per_minute, 60, time_scale))
            if is_batch:
                batch = self._batch_minute.setdefault(
                    realm, WindowCounter(batches_per_minute, 60, time_scale)
                )
                if not batch.hit()[0]:
                    return False  # 40 batch requests/minute (ref §3)
            if not minute.hit()[0]:
                return False  # 500 requests/minute, batches included (ref §3)
            self._inflight[realm] = self._inflight.get(realm, 0) + 1
            return True

    def release(self, realm: str) -> None:
        with self._lock:
            self._inflight[realm] -= 1
