"""Long-poll push (rule 11) through real parts: SyncService.wait_for_events on the CrocoClick sandbox's
`GET /events?wait=`, the scheduler's watcher, and the sync it runs into the QBO sandbox."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.app.live import LIVE, OFFLINE, POLLING
from crocoqb_desktop.app.scheduler import CHANGES, SyncScheduler
from crocoqb_desktop.app.service import SyncService


def _wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class Live:
    """A SyncService and a scheduler with the watcher, as the window and `crocoqb run` build them."""

    def __init__(self, *, push_interval_s: float = 3600, wait_s: float = 25.0) -> None:
        self.ctx = AppContext.open()
        self.service = SyncService(self.ctx)
        self.reasons: list[str] = []
        self.results: list[Any] = []
        self.scheduler = SyncScheduler(self.run, push_interval_s=push_interval_s, poll_interval_s=3600,
                                       first_run_delay_s=3600, watch=self.service.wait_for_events,
                                       watch_wait_s=wait_s)

    def run(self, reason: str) -> None:
        self.reasons.append(reason)
        self.results.append(self.service.sync_once(intake=reason != CHANGES))

    def close(self) -> None:
        self.scheduler.shutdown()
        if self.scheduler.watcher is not None:
            self.scheduler.watcher.wait_idle(30)
        self.service.close()
        self.ctx.store.close()


@pytest.fixture
def live(world) -> Iterator[Live]:  # type: ignore[no-untyped-def]
    assert world.sync().exit_code == 0  # activation: the feed position is taken
    live = Live()
    yield live
    live.close()


def _send_invoice(world, number: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    contact = world.contact("Lia", number, f"{number.lower()}@example.com")
    return world.croco.create_invoice(world.loc, contact_id=contact["id"], number=number, send=True,
                                      items=[{"name": "Service", "quantity": 1, "unitPrice": "40.00"}])


def _feed_reads(world) -> int:  # type: ignore[no-untyped-def]
    """Answered GET /events without `wait` (the intake's reads; the held long polls not counted)."""
    return sum(1 for r in world.croco.request_log
               if r["path"] == "/events" and not (r.get("query") or {}).get("wait"))


def _in_qbo(world, number: str) -> bool:  # type: ignore[no-untyped-def]
    return any(i.get("DocNumber") == number for i in world.qbo_objects("Invoice"))


def test_the_long_poll_is_answered_within_a_second_of_an_event(world) -> None:  # type: ignore[no-untyped-def]
    assert world.sync().exit_code == 0
    ctx = AppContext.open()
    service = SyncService(ctx)
    answers: list[tuple[str | None, float]] = []
    try:
        held = threading.Thread(target=lambda: answers.append((service.wait_for_events(25), time.monotonic())))
        held.start()
        assert _wait_for(lambda: world.croco.held_polls == 1, 10)  # the request is held by the server
        world.contact("Noa", "Quick", "noa@example.com")  # commits contact.created
        committed = time.monotonic()
        held.join(30)
        [(position, answered)] = answers
        assert position == ctx.store.cursor("croco.events")  # something new after our cursor
        assert answered - committed < 1.0
    finally:
        service.close()
        ctx.store.close()


def test_an_invoice_is_pushed_as_soon_as_it_is_sent(world, live: Live) -> None:  # type: ignore[no-untyped-def]
    live.scheduler.start()
    assert _wait_for(lambda: world.croco.held_polls == 1, 10)
    _send_invoice(world, "LP-1")
    assert _wait_for(lambda: _in_qbo(world, "LP-1"), 15)  # no interval: the push interval is an hour
    assert _wait_for(lambda: len(live.results) >= 1, 15)  # the cycle finishes after the invoice lands
    assert set(live.reasons) == {"push"}
    assert live.scheduler.live_state == LIVE
    assert live.results[-1].exit_code == 0
    # the poll job while live reads QuickBooks changes without reading the feed again
    before = _feed_reads(world)
    live.scheduler._job("poll")
    assert live.reasons[-1] == CHANGES and live.results[-1].exit_code == 0
    assert _feed_reads(world) == before


def test_a_server_that_ignores_wait_falls_back_to_interval_polling(world) -> None:  # type: ignore[no-untyped-def]
    assert world.sync().exit_code == 0
    world.croco.long_poll = False  # answers at once, empty, every time
    live = Live(push_interval_s=2, wait_s=3)
    try:
        live.scheduler.start()
        watcher = live.scheduler.watcher
        assert watcher is not None
        assert _wait_for(lambda: live.scheduler.live_state == POLLING, 10)
        requests_then = watcher.stats["requests"]
        time.sleep(3)
        # no spinning: about one feed request per fallback interval
        assert watcher.stats["requests"] - requests_then <= 3
        _send_invoice(world, "FB-1")
        assert _wait_for(lambda: _in_qbo(world, "FB-1"), 15)
        assert live.scheduler.live_state == POLLING
        # the server starts holding requests again: the watcher goes back to live
        world.croco.long_poll = True
        assert _wait_for(lambda: live.scheduler.live_state == LIVE, 15)
    finally:
        live.close()


def test_network_loss_and_429_then_recovery(world, live: Live) -> None:  # type: ignore[no-untyped-def]
    world.croco.inject("500", 4, path_contains="/events")  # two attempts per probe: two failed probes
    live.scheduler.start()
    watcher = live.scheduler.watcher
    assert watcher is not None
    assert _wait_for(lambda: watcher.stats["failures"] >= 1, 15)
    assert _wait_for(lambda: live.scheduler.live_state == LIVE, 30)  # back after the backoff
    world.croco.inject("429", 1, path_contains="/events")  # the client waits Retry-After and asks again
    _send_invoice(world, "NL-1")
    assert _wait_for(lambda: _in_qbo(world, "NL-1"), 30)
    assert live.scheduler.live_state in (LIVE, OFFLINE)


def test_wake_from_sleep_asks_the_feed_again_at_once(world) -> None:  # type: ignore[no-untyped-def]
    """After a wall-clock gap (the laptop slept, the held request died) the watcher is poked: it does not
    sit out its backoff."""
    assert world.sync().exit_code == 0
    now = [1_000_000.0]
    ctx = AppContext.open()
    service = SyncService(ctx)
    reasons: list[str] = []
    scheduler = SyncScheduler(lambda r: reasons.append(r), push_interval_s=3600, poll_interval_s=3600,
                              first_run_delay_s=3600, wall_clock=lambda: now[0],
                              watch=service.wait_for_events, watch_wait_s=2)
    world.croco.inject("500", 100, path_contains="/events")  # the network is gone
    scheduler.start()
    try:
        watcher = scheduler.watcher
        assert watcher is not None
        assert _wait_for(lambda: watcher.state == OFFLINE, 15)
        world.croco.clear_faults()  # the network is back
        # two hours asleep; the next backoff would be seconds away, the poke retries now
        now[0] += 7200
        assert scheduler.check_wall_clock_gap() is True
        assert _wait_for(lambda: watcher.state == LIVE, 10)
        assert "catch-up" in reasons
    finally:
        scheduler.shutdown()
        service.close()
        ctx.store.close()
