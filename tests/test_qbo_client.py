"""QboClient against the embedded QBO sandbox over real HTTP, with a real TokenManager (keychain) whose
refresher is the direct-mode OAuth client (OAuth2Session, HTTP Basic) talking to the sandbox."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from crocoqb_desktop import keychain
from crocoqb_desktop.errors import NetworkError, ReconnectNeeded
from crocoqb_desktop.qbo.client import QboClient
from crocoqb_desktop.qbo.faults import (
    AuthorizationFault,
    DuplicateNameFault,
    ObjectNotFoundFault,
    QboFault,
    StaleObjectFault,
    ValidationFault,
)
from crocoqb_desktop.qbo.oauth import DirectOAuth
from crocoqb_desktop.qbo.query import cmp, eq
from crocoqb_desktop.qbo.tokens import TokenManager
from crocoqb_desktop.sandbox.qbo_server import QboSandbox
from tests.plugins.qbo_sandbox_fixtures import QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_REALM


def make_tokens(sandbox: QboSandbox, reasons: list[str] | None = None) -> TokenManager:
    oauth = DirectOAuth(client_id=QBO_CLIENT_ID, client_secret=QBO_CLIENT_SECRET, auth_url=sandbox.authorize_url,
                        token_url=sandbox.token_url, revoke_url=sandbox.revoke_url)
    tokens = TokenManager(oauth.refresh, on_reconnect_needed=(reasons.append if reasons is not None else None))
    tokens.save_grant(sandbox.issue_tokens(QBO_CLIENT_ID, QBO_REALM), QBO_REALM)
    return tokens


@pytest.fixture
def tokens(qbo_sandbox: QboSandbox, keychain_clean: None) -> TokenManager:
    return make_tokens(qbo_sandbox)


@pytest.fixture
def client(qbo_sandbox: QboSandbox, tokens: TokenManager) -> Iterator[QboClient]:
    c = QboClient(qbo_sandbox.api_base, QBO_REALM, tokens, throttle_wait_s=0.2, timeout=(5.0, 10.0))
    c._sleep = lambda s: time.sleep(min(s, 0.05))  # keep backoff short in tests
    yield c
    c.close()


def _api_requests(sandbox: QboSandbox) -> list[dict[str, Any]]:
    return [r for r in sandbox.request_log if r["path"].startswith("/v3/")]


def _service_item(client: QboClient) -> dict[str, Any]:
    return next(i for i in client.query_all("Item") if i.get("Type") == "Service")


def test_crud_and_money_as_decimal(client: QboClient, qbo_sandbox: QboSandbox) -> None:
    created = client.create("Customer", {"DisplayName": "Amy's Bird Sanctuary",
                                         "PrimaryEmailAddr": {"Address": "birds@example.com"}},
                            request_id="rq-create-amy")
    assert created["Id"] and created["SyncToken"] == "0"
    got = client.get("Customer", created["Id"])
    assert got["DisplayName"] == "Amy's Bird Sanctuary"
    updated = client.update("Customer", {"Id": got["Id"], "SyncToken": got["SyncToken"],
                                         "CompanyName": "Amy's Birds"}, request_id="rq-upd-amy")
    assert updated["SyncToken"] == "1" and updated["CompanyName"] == "Amy's Birds"
    assert updated["DisplayName"] == "Amy's Bird Sanctuary"  # sparse: the rest is kept
    where = eq("DisplayName", "Amy's Bird Sanctuary")
    found = client.query(f"SELECT * FROM Customer WHERE {where}")
    assert [c["Id"] for c in found["Customer"]] == [created["Id"]]
    by_email = list(client.query_all("Customer", [eq("PrimaryEmailAddr", "birds@example.com")]))
    assert [c["Id"] for c in by_email] == [created["Id"]]

    item = _service_item(client)
    invoice = client.create("Invoice", {
        "CustomerRef": {"value": created["Id"]},
        "Line": [{"DetailType": "SalesItemLineDetail", "Amount": Decimal("100.10"),
                  "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": Decimal("1"),
                                          "UnitPrice": Decimal("100.10")}}],
    }, request_id="rq-inv-1")
    line = invoice["Line"][0]
    assert line["Amount"] == Decimal("100.10") and isinstance(line["Amount"], Decimal)
    assert isinstance(invoice["TotalAmt"], Decimal | int)
    stored = qbo_sandbox.entities(QBO_REALM, "Invoice")[-1]
    assert stored["Line"][0]["Amount"] == Decimal("100.10")

    voided = client.void("Invoice", invoice["Id"], invoice["SyncToken"], request_id="rq-void-1")
    assert voided["TotalAmt"] == 0 and int(voided["SyncToken"]) > int(invoice["SyncToken"])
    other = client.create("Invoice", {
        "CustomerRef": {"value": created["Id"]},
        "Line": [{"DetailType": "SalesItemLineDetail", "Amount": Decimal("5"),
                  "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}}}],
    }, request_id="rq-inv-2")
    deleted = client.delete("Invoice", other["Id"], other["SyncToken"], request_id="rq-del-2")
    assert deleted["status"] == "Deleted" and deleted["Id"] == other["Id"]


def test_every_call_sends_minorversion_and_writes_send_requestid(client: QboClient, qbo_sandbox: QboSandbox) -> None:
    client.company_info()
    client.preferences()
    client.create("Customer", {"DisplayName": "Minor Version"}, request_id="rq-mv")
    client.count("Customer")
    client.cdc(["Customer"], datetime.now(UTC) - timedelta(hours=1))
    client.batch([{"bId": "1", "Query": "select * from Customer"}], request_id="rq-batch-mv")
    log = _api_requests(qbo_sandbox)
    assert len(log) == 6
    assert all(r["query"].get("minorversion") == "75" for r in log)
    writes = [r for r in log if r["method"] == "POST"]
    assert [r["query"].get("requestid") for r in writes] == ["rq-mv", "rq-batch-mv"]
    assert all("requestid" not in r["query"] for r in log if r["method"] == "GET")


def test_company_info_and_preferences(client: QboClient) -> None:
    info = client.company_info()
    prefs = client.preferences()
    assert info["CompanyName"]
    assert prefs["CurrencyPrefs"]["HomeCurrency"]["value"] == "USD"


def test_query_all_pages_from_one(client: QboClient, qbo_sandbox: QboSandbox) -> None:
    for n in range(7):
        client.create("Customer", {"DisplayName": f"Pager {n}"}, request_id=f"rq-page-{n}")
    qbo_sandbox.request_log.clear()
    where = [cmp("DisplayName", "LIKE", "Pager%")]
    names = [c["DisplayName"] for c in client.query_all("Customer", where, page_size=3)]
    assert sorted(names) == [f"Pager {n}" for n in range(7)]
    starts = [r["query"]["query"] for r in _api_requests(qbo_sandbox)]
    assert [s.split("STARTPOSITION ")[1] for s in starts] == ["1 MAXRESULTS 3", "4 MAXRESULTS 3", "7 MAXRESULTS 3"]
    assert client.count("Customer", where) == 7
    # exactly a multiple of the page size: one more (empty) page, `{"QueryResponse":{}}`
    assert len(list(client.query_all("Customer", where, page_size=7))) == 7
    assert client.query("SELECT * FROM Customer WHERE DisplayName = 'nobody' STARTPOSITION 1 MAXRESULTS 10") == {}


def test_cdc(client: QboClient) -> None:
    since = datetime.now(UTC) - timedelta(minutes=5)
    created = client.create("Customer", {"DisplayName": "Changed Lately"}, request_id="rq-cdc")
    changes = client.cdc(["Customer", "Invoice"], since)
    assert set(changes) == {"Customer", "Invoice"}
    assert created["Id"] in [c["Id"] for c in changes["Customer"]]
    naive = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=5)
    assert created["Id"] in [c["Id"] for c in client.cdc(["Customer"], naive)["Customer"]]


def test_batch_with_item_faults(client: QboClient) -> None:
    c = client.create("Customer", {"DisplayName": "Batch Base"}, request_id="rq-batch-base")
    answers = client.batch([
        {"bId": "new", "operation": "create", "Customer": {"DisplayName": "Batch New"}},
        {"bId": "stale", "operation": "update",
         "Customer": {"Id": c["Id"], "SyncToken": "7", "sparse": True, "CompanyName": "x"}},
        {"bId": "dup", "operation": "create", "Customer": {"DisplayName": "Batch Base"}},
        {"bId": "q", "Query": f"select * from Customer where {eq('DisplayName', 'Batch Base')}"},
    ], request_id="rq-batch-1")
    by_id = {a["bId"]: a for a in answers}
    assert by_id["new"]["Customer"]["DisplayName"] == "Batch New" and "fault" not in by_id["new"]
    assert isinstance(by_id["stale"]["fault"], StaleObjectFault)
    assert isinstance(by_id["dup"]["fault"], DuplicateNameFault)
    assert by_id["q"]["QueryResponse"]["Customer"][0]["Id"] == c["Id"]
    with pytest.raises(ValueError):
        client.batch([{"bId": str(i), "Query": "select * from Customer"} for i in range(31)], request_id="x")


def test_faults_are_typed(client: QboClient) -> None:
    c = client.create("Customer", {"DisplayName": "Weiskopf Consulting"}, request_id="rq-w1")
    with pytest.raises(DuplicateNameFault) as dup:
        client.create("Customer", {"DisplayName": "Weiskopf Consulting"}, request_id="rq-w2")
    assert dup.value.status == 400 and dup.value.intuit_tid
    with pytest.raises(StaleObjectFault):
        client.update("Customer", {"Id": c["Id"], "SyncToken": "9", "CompanyName": "x"}, request_id="rq-w3")
    with pytest.raises(ValidationFault) as bad_id:
        client.get("Customer", "1.5")
    assert bad_id.value.codes == ["2030"]
    with pytest.raises(ValidationFault):
        client.query("SELECT * FROM Custmoer")
    with pytest.raises(QboFault) as missing:
        client.get("Customer", "987654")
    assert isinstance(missing.value, ObjectNotFoundFault | ValidationFault)


def test_create_retried_after_timeout_is_created_once(client: QboClient, qbo_sandbox: QboSandbox) -> None:
    qbo_sandbox.timeout_delay_s = 1.5
    client._timeout = (5.0, 0.5)
    qbo_sandbox.inject("timeout", 1, path_contains="/customer")
    created = client.create("Customer", {"DisplayName": "Only Once"}, request_id="rq-once-1")
    time.sleep(1.2)  # let the delayed first answer finish and be logged
    matches = [c for c in qbo_sandbox.entities(QBO_REALM, "Customer") if c["DisplayName"] == "Only Once"]
    assert len(matches) == 1 and matches[0]["Id"] == created["Id"]
    posts = [r for r in _api_requests(qbo_sandbox) if r["method"] == "POST" and r["path"].endswith("/customer")]
    assert len(posts) == 2
    assert {r["query"]["requestid"] for r in posts} == {"rq-once-1"}
    assert client.stats["retries"] == 1


def test_throttled_calls_wait_and_succeed(client: QboClient, qbo_sandbox: QboSandbox) -> None:
    qbo_sandbox.inject("429", 2)
    t0 = time.monotonic()
    assert client.company_info()["CompanyName"]
    assert time.monotonic() - t0 >= 0.4  # two waits of throttle_wait_s = 0.2
    assert client.stats["throttled"] == 2


def test_throttle_wait_is_shared_by_all_threads(client: QboClient, qbo_sandbox: QboSandbox) -> None:
    client.throttle_wait_s = 0.5
    qbo_sandbox.inject("429", 1)
    client.company_info()  # blocks the limiter for 0.5 s from now
    t0 = time.monotonic()
    other: list[float] = []
    thread = threading.Thread(target=lambda: (client.preferences(), other.append(time.monotonic() - t0)))
    thread.start()
    thread.join()
    # the first call returned right after its own wait, so the other thread's call was not held
    assert other and other[0] < 0.5
    qbo_sandbox.inject("429", 1)
    done: list[float] = []
    start = time.monotonic()

    def late() -> None:
        time.sleep(0.1)  # starts while the first thread's 429 wait is running
        client.preferences()
        done.append(time.monotonic() - start)

    t = threading.Thread(target=late)
    t.start()
    client.company_info()
    t.join()
    assert done[0] >= 0.45  # it waited for the shared block


def test_server_errors_retried(client: QboClient, qbo_sandbox: QboSandbox) -> None:
    qbo_sandbox.inject("500", 1)
    qbo_sandbox.inject("503", 1)
    assert client.company_info()["CompanyName"]
    assert client.stats["retries"] == 2


def test_persistent_server_error_gives_up(qbo_sandbox: QboSandbox, tokens: TokenManager) -> None:
    c = QboClient(qbo_sandbox.api_base, QBO_REALM, tokens, max_attempts=3, sleep=lambda s: None)
    qbo_sandbox.inject("500", 10)
    with pytest.raises(QboFault) as info:
        c.company_info()
    assert info.value.status == 500 and info.value.retryable
    assert c.stats["requests"] == 3


def test_unreachable_gives_network_error(tokens: TokenManager) -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    c = QboClient(f"http://127.0.0.1:{port}", QBO_REALM, tokens, max_attempts=2, sleep=lambda s: None)
    with pytest.raises(NetworkError) as info:
        c.company_info()
    assert info.value.retryable and "2 attempts" in info.value.message


def test_401_refreshes_once_and_retries(client: QboClient, qbo_sandbox: QboSandbox, tokens: TokenManager) -> None:
    before = keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
    qbo_sandbox.inject("401", 1)
    assert client.company_info()["CompanyName"]
    assert qbo_sandbox.refresh_count == 1
    after = keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
    assert after and after != before  # rotated and stored


def test_expired_access_token_twenty_threads_one_refresh(client: QboClient, qbo_sandbox: QboSandbox) -> None:
    client.company_info()
    qbo_sandbox.expire_access_tokens()
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            client.company_info()
        except BaseException as exc:  # pragma: no cover - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:1]
    assert qbo_sandbox.refresh_count == 1


def test_revoked_grant_needs_reconnect(qbo_sandbox: QboSandbox, keychain_clean: None) -> None:
    reasons: list[str] = []
    tokens = make_tokens(qbo_sandbox, reasons)
    c = QboClient(qbo_sandbox.api_base, QBO_REALM, tokens)
    qbo_sandbox.revoke_grant(QBO_REALM)
    with pytest.raises(ReconnectNeeded):
        c.company_info()
    with pytest.raises(ReconnectNeeded):
        c.preferences()
    assert qbo_sandbox.refresh_count == 1 and len(reasons) == 1
    assert "invalid_grant" in str(reasons[0])  # the reason is a message (id + values) since issue 15


def test_wrong_realm_is_authorization_fault(qbo_sandbox: QboSandbox, tokens: TokenManager) -> None:
    qbo_sandbox.add_company("4620816365000000", preset="us")
    c = QboClient(qbo_sandbox.api_base, "4620816365000000", tokens)
    with pytest.raises(AuthorizationFault) as info:
        c.company_info()
    assert info.value.codes == ["3100"] and "Reconnect" in info.value.fix


def test_long_query_goes_as_post(client: QboClient, qbo_sandbox: QboSandbox) -> None:
    from crocoqb_desktop.qbo.query import in_

    ids = [str(n) for n in range(1, 700)]
    result = client.query(f"SELECT * FROM Customer WHERE {in_('Id', ids)}")
    assert isinstance(result, dict)
    assert _api_requests(qbo_sandbox)[-1]["method"] == "POST"


def test_client_limiters_keep_under_a_time_compressed_sandbox(keychain_clean: None) -> None:
    """The sandbox enforces 20 requests and 3 batches per (compressed) minute; the client, configured the
    same way, never gets a 429 and spreads the calls over the windows."""
    sandbox = QboSandbox(time_scale=60.0)  # a minute lasts one second
    sandbox.requests_per_minute = 20
    sandbox.batches_per_minute = 3
    sandbox.add_company(QBO_REALM, preset="us")
    sandbox.register_client(QBO_CLIENT_ID, QBO_CLIENT_SECRET, [])
    sandbox.start()
    try:
        tokens = make_tokens(sandbox)
        c = QboClient(sandbox.api_base, QBO_REALM, tokens, requests_per_minute=20, batches_per_minute=3,
                      window_s=1.0, throttle_wait_s=1.0, max_concurrency=5)
        t0 = time.monotonic()
        threads = [threading.Thread(target=lambda: [c.company_info() for _ in range(9)]) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        assert c.stats["throttled"] == 0 and c.stats["requests"] == 45
        assert elapsed >= 2.0  # 45 calls at 20 per window: at least two more windows after the first
        t0 = time.monotonic()
        for n in range(7):
            c.batch([{"bId": "q", "Query": "select * from Customer"}], request_id=f"rq-lim-{n}")
        assert c.stats["throttled"] == 0
        assert time.monotonic() - t0 >= 2.0  # 7 batches at 3 per window
    finally:
        sandbox.stop()


def test_client_keeps_to_ten_requests_per_second(qbo_sandbox: QboSandbox, keychain_clean: None) -> None:
    """Ten threads far below 500 per minute but in a burst: without the per-second limiter the sandbox
    (10 per second per realm, on by default) throttles them; the client spreads them and is never
    throttled."""
    tokens = make_tokens(qbo_sandbox)
    c = QboClient(qbo_sandbox.api_base, QBO_REALM, tokens, throttle_wait_s=5.0)
    try:
        threads = [threading.Thread(target=lambda: [c.preferences() for _ in range(3)]) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert c.stats["requests"] == 30 and c.stats["throttled"] == 0
        assert all(r["status"] == 200 for r in _api_requests(qbo_sandbox))
    finally:
        c.close()
