"""CrocoClick sandbox: long polling on `GET /events` (`wait`), as the contract describes it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from tests.plugins.croco_sandbox_fixtures import CROCO_LOCATION, CrocoHttp

LOC = CROCO_LOCATION


class _Held:
    """A GET /events issued from another thread (its answer or error kept)."""

    def __init__(self, http: CrocoHttp, params: dict[str, Any], timeout: float = 10.0) -> None:
        self.response: requests.Response | None = None
        self.error: BaseException | None = None
        self.answered_at: float | None = None

        def run() -> None:
            try:
                # the read timeout is far below `wait`: only an answer caused by an event (or by the
                # server stopping) arrives in time
                self.response = http.get("/events", params=params, timeout=timeout)
            except BaseException as exc:  # noqa: BLE001 - kept for the assertion
                self.error = exc
            self.answered_at = time.monotonic()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self) -> requests.Response:
        self.thread.join(30)
        assert self.error is None, self.error
        assert self.response is not None
        return self.response


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "condition never met"
        time.sleep(0.005)


def test_held_request_answers_when_an_event_is_committed(croco_sandbox, croco_http, croco_spec_validator):
    head = croco_http.get("/events/head").json()["cursor"]
    held = _Held(CrocoHttp(croco_sandbox), {"after": head, "wait": 30})
    _until(lambda: croco_sandbox.held_polls == 1)
    contact = croco_sandbox.create_contact(LOC, email="poll@example.com")  # committed by another thread
    page = held.join()
    assert page.status_code == 200
    croco_spec_validator.response(page.json(), "/events", "get", 200)
    assert [(e["type"], e["resourceId"]) for e in page.json()["data"]] == [("contact.created", contact["id"])]
    assert page.json()["nextCursor"] == page.json()["data"][0]["cursor"]
    assert croco_sandbox.held_polls == 0


def test_empty_page_after_wait_seconds(croco_sandbox, croco_http):
    croco_sandbox.create_contact(LOC, email="a@example.com")
    head = croco_http.get("/events/head").json()["cursor"]
    started = time.monotonic()
    page = croco_http.get("/events", params={"after": head, "wait": 1})
    held_for = time.monotonic() - started
    assert page.status_code == 200
    assert page.json() == {"data": [], "nextCursor": head, "hasMore": False}
    assert held_for >= 1.0  # held the full second (a lower bound the server guarantees)


def test_events_already_there_answer_at_once(croco_sandbox, croco_http):
    croco_sandbox.create_contact(LOC, email="a@example.com")
    page = _Held(CrocoHttp(croco_sandbox), {"after": "0", "wait": 30}).join()
    assert [e["sequence"] for e in page.json()["data"]] == [1]


def test_wait_out_of_range_or_not_an_integer_is_400(croco_http, croco_spec_validator):
    for bad in ("31", "-1", "1.5", "abc", ""):
        resp = croco_http.get("/events", params={"after": "0", "wait": bad})
        assert resp.status_code == 400, bad
        croco_spec_validator.response(resp.json(), "/events", "get", 400)
        assert resp.json()["error"]["details"][0]["field"] == "wait"
    assert croco_http.get("/events", params={"after": "0", "wait": "0"}).json()["data"] == []


def test_filtered_poll_waits_for_a_matching_event(croco_sandbox, croco_http):
    contact = croco_sandbox.create_contact(LOC, email="a@example.com")
    head = croco_http.get("/events/head").json()["cursor"]
    held = _Held(CrocoHttp(croco_sandbox), {"after": head, "wait": 30, "types": "contact.deleted"})
    _until(lambda: croco_sandbox.held_polls == 1)
    croco_sandbox.update_contact(LOC, contact["id"], firstName="Not matching")
    croco_sandbox.delete_contact(LOC, contact["id"])
    page = held.join().json()
    # not answered on the non-matching event (that answer would have been an empty page)
    assert [e["type"] for e in page["data"]] == ["contact.deleted"]
    assert page["nextCursor"] == page["data"][0]["cursor"]


def test_a_held_request_counts_once_when_answered(croco_sandbox_factory):
    sandbox = croco_sandbox_factory()
    sandbox.burst_limit = 3  # before the first request
    http = CrocoHttp(sandbox)
    held = _Held(CrocoHttp(sandbox), {"after": "0", "wait": 30})
    _until(lambda: sandbox.held_polls == 1)
    # the held request does not count yet: three more requests fit in the burst of 3
    assert [http.get("/events/head").status_code for _ in range(3)] == [200, 200, 200]
    sandbox.create_contact(LOC, email="a@example.com")
    answered = held.join()
    assert answered.status_code == 200 and len(answered.json()["data"]) == 1
    assert answered.headers["X-RateLimit-Remaining"] == "0"
    limited = http.get("/events", params={"after": "0", "wait": 5})  # refused at once, never held
    assert limited.status_code == 429 and limited.headers["Retry-After"]


def test_stop_answers_held_requests(croco_sandbox_factory):
    sandbox = croco_sandbox_factory()
    held = _Held(CrocoHttp(sandbox), {"after": "0", "wait": 30}, timeout=20)
    _until(lambda: sandbox.held_polls == 1)
    sandbox.stop()
    page = held.join()
    assert page.status_code == 200 and page.json()["data"] == []


def test_a_refused_long_poll_counts_once_too(croco_sandbox_factory):
    sandbox = croco_sandbox_factory()
    sandbox.burst_limit = 2
    http = CrocoHttp(sandbox)
    bad = http.get("/events", params={"after": "0", "wait": "31"})  # answered (400): counted once
    assert bad.status_code == 400 and bad.headers["X-RateLimit-Remaining"] == "1"
    assert http.get("/events/head").status_code == 200
    assert http.get("/events/head").status_code == 429
