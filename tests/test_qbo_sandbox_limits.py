"""QBO sandbox: throttling (429 XML), concurrency, injected failures, request log, headers."""

from __future__ import annotations

import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
import requests

from crocoqb_desktop.sandbox.qbo_server import QboSandbox
from tests.conftest import QBO_FIXTURES
from tests.plugins.qbo_sandbox_fixtures import QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_REALM, SandboxApi

NS = "{http://schema.intuit.com/finance/v3}"


@pytest.fixture
def fast_sandbox() -> Iterator[QboSandbox]:
    sandbox = QboSandbox(time_scale=120.0)  # one QBO minute = 0.5 s
    sandbox.add_company(QBO_REALM)
    sandbox.register_client(QBO_CLIENT_ID, QBO_CLIENT_SECRET, [])
    sandbox.requests_per_minute = 5
    sandbox.batches_per_minute = 2
    sandbox.start()
    yield sandbox
    sandbox.stop()


def _assert_throttle(resp: requests.Response) -> None:
    assert resp.status_code == 429
    assert resp.headers["Content-Type"].startswith("application/xml")
    got = ET.fromstring(resp.content)
    expected = ET.fromstring((QBO_FIXTURES / "throttle_429.xml").read_bytes())
    assert got.tag == expected.tag == f"{NS}IntuitResponse" and got.get("time")
    err, want = got.find(f"{NS}Fault/{NS}Error"), expected.find(f"{NS}Fault/{NS}Error")
    assert err is not None and want is not None
    assert err.get("code") == "3001" and got.find(f"{NS}Fault").get("type") == "SERVICE"  # type: ignore[union-attr]
    assert err.findtext(f"{NS}Message") == want.findtext(f"{NS}Message")
    assert err.findtext(f"{NS}Detail") == want.findtext(f"{NS}Detail")
    assert resp.headers["Intuit-Tid"]


def test_per_minute_limit_with_time_scale(fast_sandbox: QboSandbox) -> None:
    api = SandboxApi(fast_sandbox)
    statuses = [api.get("preferences").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    _assert_throttle(api.get("preferences"))
    time.sleep(0.55)
    assert api.get("preferences").status_code == 200


def test_batch_limit_counts_against_both(fast_sandbox: QboSandbox) -> None:
    api = SandboxApi(fast_sandbox)
    batch = {"BatchItemRequest": [{"bId": "1", "Query": "SELECT * FROM Term"}]}
    assert [api.post("batch", batch).status_code for _ in range(3)] == [200, 200, 429]
    assert [api.get("preferences").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_concurrency_limit(qbo_sandbox: QboSandbox) -> None:
    api = SandboxApi(qbo_sandbox)
    qbo_sandbox.latency_s = 1.0
    results: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(12)

    def call() -> None:
        start.wait()  # all twelve in flight together (a slow thread start must not free a slot)
        resp = requests.get(f"{api.base}/preferences", headers=dict(api.session.headers), timeout=5)
        with lock:
            results.append(resp.status_code)

    threads = [threading.Thread(target=call) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # never more than 10 in flight: at least two of the twelve simultaneous calls are refused
    assert results.count(429) >= 2 and results.count(200) == 12 - results.count(429)
    assert results.count(200) >= 8
    qbo_sandbox.latency_s = 0.0
    assert api.get("preferences").status_code == 200


def test_injected_failures(qbo_sandbox: QboSandbox) -> None:
    api = SandboxApi(qbo_sandbox)
    qbo_sandbox.inject("500")
    resp = api.get("preferences")
    assert resp.status_code == 500 and api.data(resp)["Fault"]["type"] == "SystemFault"
    qbo_sandbox.inject("503", 2)
    assert [api.get("preferences").status_code for _ in range(3)] == [503, 503, 200]
    qbo_sandbox.inject("429")
    _assert_throttle(api.get("preferences"))
    qbo_sandbox.inject("401")
    unauth = api.get("preferences")
    assert unauth.status_code == 401 and unauth.json()["fault"]["error"][0]["code"] == "3200"
    qbo_sandbox.inject("500", path_contains="/query")
    assert api.get("preferences").status_code == 200
    assert api.get("query", query="SELECT * FROM Term").status_code == 500
    qbo_sandbox.inject("500", path_contains="/oauth2/v1/tokens")
    token = requests.post(
        qbo_sandbox.token_url,
        data={"grant_type": "refresh_token", "refresh_token": api.tokens["refresh_token"]},
        auth=(QBO_CLIENT_ID, QBO_CLIENT_SECRET),
        timeout=5,
    )
    assert token.status_code == 500
    with pytest.raises(ValueError):
        qbo_sandbox.inject("418")


def test_timeout_applies_the_write_and_requestid_recovers(qbo_sandbox: QboSandbox) -> None:
    api = SandboxApi(qbo_sandbox)
    qbo_sandbox.timeout_delay_s = 0.6
    qbo_sandbox.inject("timeout")
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.session.post(
            f"{api.base}/customer",
            params={"requestid": "r-1"},
            json={"DisplayName": "Lost Answer"},
            timeout=0.2,
        )
    time.sleep(0.05)
    # the write happened although its answer was lost; the retry with the same requestid gets the original
    assert [c["DisplayName"] for c in qbo_sandbox.entities(QBO_REALM, "Customer")] == ["Lost Answer"]
    retry = api.post("customer", {"DisplayName": "Lost Answer"}, requestid="r-1")
    assert retry.status_code == 200 and retry.json()["Customer"]["DisplayName"] == "Lost Answer"
    assert len(qbo_sandbox.entities(QBO_REALM, "Customer")) == 1
    time.sleep(0.6)  # let the delayed answer finish before the sandbox stops


def test_request_log_and_headers(qbo_sandbox: QboSandbox) -> None:
    api = SandboxApi(qbo_sandbox)
    resp = api.post("customer", {"DisplayName": "Logged"}, requestid="x1")
    assert resp.headers["Intuit-Tid"] and resp.headers["intuit_tid"] == resp.headers["Intuit-Tid"]
    assert resp.headers["Qbo-Version"]
    entry = qbo_sandbox.request_log[-1]
    assert entry == {
        "method": "POST",
        "path": f"/v3/company/{QBO_REALM}/customer",
        "query": {"minorversion": "75", "requestid": "x1"},
        "status": 200,
        "body": {"DisplayName": "Logged"},
    }
    api.get("customer/1")
    assert qbo_sandbox.request_log[-1]["body"] is None and qbo_sandbox.request_log[-1]["method"] == "GET"
    token = requests.post(
        qbo_sandbox.token_url,
        data={"grant_type": "refresh_token", "refresh_token": "nope"},
        auth=(QBO_CLIENT_ID, QBO_CLIENT_SECRET),
        timeout=5,
    )
    assert token.status_code == 400 and token.headers["intuit_tid"]
    assert qbo_sandbox.request_log[-1]["path"].startswith("/v3/")  # OAuth calls are not API requests


def test_per_second_limit_is_on_by_default(qbo_sandbox: QboSandbox) -> None:
    """Intuit's 10 requests per second per realm and app (ref §3): the eleventh request within one second
    gets the same XML 3001 throttle as the other limits, far below 500 per minute."""
    assert qbo_sandbox.requests_per_second == 10
    api = SandboxApi(qbo_sandbox)
    url = f"{api.base}/preferences"
    t0 = time.monotonic()
    statuses = [api.session.get(url, params={"minorversion": "75"}, timeout=5).status_code for _ in range(11)]
    if time.monotonic() - t0 < 1.0:  # (a machine slow enough to spread them over a second proves nothing)
        assert statuses == [200] * 10 + [429]
        _assert_throttle(api.session.get(url, params={"minorversion": "75"}, timeout=5))
    time.sleep(1.05)
    assert api.session.get(url, params={"minorversion": "75"}, timeout=5).status_code == 200


def test_per_second_limit_can_be_switched_off(qbo_sandbox: QboSandbox) -> None:
    qbo_sandbox.requests_per_second = None
    api = SandboxApi(qbo_sandbox)
    url = f"{api.base}/preferences"
    assert all(api.session.get(url, params={"minorversion": "75"}, timeout=5).status_code == 200
               for _ in range(15))
