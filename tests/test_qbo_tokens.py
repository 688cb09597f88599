"""TokenManager against the real keychain, with an in-process refresher (the HTTP refreshers are covered
by the sandbox tests in test_oauth_flow.py and test_connection.py)."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

import pytest

from crocoqb_desktop import keychain
from crocoqb_desktop.errors import ReconnectNeeded
from crocoqb_desktop.qbo.tokens import InvalidGrant, TokenManager
from crocoqb_desktop.redaction import redact


class FakeRefresher:
    """Rotates refresh tokens like Intuit: only the latest one works."""

    def __init__(self, current: str, delay_s: float = 0.0, expires_in: int = 3600) -> None:
        self.current = current
        self.calls = 0
        self.delay_s = delay_s
        self.expires_in = expires_in
        self.keychain_at_call: list[str | None] = []
        self._lock = threading.Lock()

    def __call__(self, refresh_token: str) -> dict[str, Any]:
        with self._lock:
            self.calls += 1
            self.keychain_at_call.append(keychain.get_secret(keychain.QBO_REFRESH_TOKEN))
        time.sleep(self.delay_s)
        if refresh_token != self.current:
            raise InvalidGrant("invalid_grant - Incorrect or invalid refresh token")
        self.current = "RT-" + secrets.token_urlsafe(24)
        return {"access_token": "AT-" + secrets.token_urlsafe(40), "refresh_token": self.current,
                "token_type": "bearer", "expires_in": self.expires_in, "x_refresh_token_expires_in": 8726400}


def _grant(rt: str) -> dict[str, Any]:
    return {"access_token": "AT-" + secrets.token_urlsafe(40), "refresh_token": rt, "token_type": "bearer",
            "expires_in": 3600}


@pytest.fixture
def clock() -> list[float]:
    return [1000.0]


def test_save_grant_keeps_only_refresh_token_and_realm_in_keychain(data_home, keychain_clean, clock) -> None:
    tm = TokenManager(FakeRefresher("RT-1"), clock=lambda: clock[0])
    grant = _grant("RT-first-" + secrets.token_urlsafe(8))
    tm.save_grant(grant, "9341452193547812")
    assert keychain.get_secret(keychain.QBO_REFRESH_TOKEN) == grant["refresh_token"]
    assert keychain.get_secret(keychain.QBO_REALM_ID) == "9341452193547812"
    assert tm.realm_id == "9341452193547812" and tm.has_grant()
    assert tm.access_token() == grant["access_token"]  # from memory, no refresh
    # the access token is registered as a secret
    assert grant["access_token"] not in redact(f"header Bearer-less {grant['access_token']}")
    tm.forget()
    assert keychain.get_secret(keychain.QBO_REFRESH_TOKEN) is None and not tm.has_grant()


def test_refresh_near_expiry_and_rotation_written_first(data_home, keychain_clean, clock) -> None:
    refresher = FakeRefresher("RT-a", expires_in=3600)
    tm = TokenManager(refresher, clock=lambda: clock[0])
    tm.save_grant(_grant("RT-a"), "123")
    first = tm.access_token()
    clock[0] += 3600 - 61  # still 61 s left
    assert tm.access_token() == first and refresher.calls == 0
    clock[0] += 2  # 59 s left: refresh
    second = tm.access_token()
    assert second != first and refresher.calls == 1
    # the rotated refresh token is in the keychain
    assert keychain.get_secret(keychain.QBO_REFRESH_TOKEN) == refresher.current
    assert tm.refresh_token_expires_in == 8726400


def test_new_refresh_token_stored_before_access_token_is_returned(data_home, keychain_clean, clock) -> None:
    order: list[str] = []
    original_set = keychain.set_secret

    def spy_set(name: str, value: str) -> None:
        order.append(f"keychain:{name}")
        original_set(name, value)

    refresher = FakeRefresher("RT-a")
    tm = TokenManager(refresher, clock=lambda: clock[0])
    tm.save_grant(_grant("RT-a"), "123")
    tm.invalidate(tm.access_token())
    keychain.set_secret = spy_set  # type: ignore[assignment]
    try:
        token = tm.access_token()
        order.append("returned")
    finally:
        keychain.set_secret = original_set  # type: ignore[assignment]
    assert order == [f"keychain:{keychain.QBO_REFRESH_TOKEN}", "returned"]
    assert token


def test_twenty_threads_one_refresh(data_home, keychain_clean, clock) -> None:
    refresher = FakeRefresher("RT-a", delay_s=0.2)
    tm = TokenManager(refresher, clock=lambda: clock[0])
    tm.save_grant(_grant("RT-a"), "123")
    tm.invalidate(tm.access_token())
    barrier = threading.Barrier(20)
    results: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(tm.access_token())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert refresher.calls == 1
    assert len(set(results)) == 1 and len(results) == 20


def test_invalidate_same_old_token_twice_one_refresh(data_home, keychain_clean, clock) -> None:
    refresher = FakeRefresher("RT-a")
    tm = TokenManager(refresher, clock=lambda: clock[0])
    tm.save_grant(_grant("RT-a"), "123")
    old = tm.access_token()
    tm.invalidate(old)
    new = tm.access_token()
    tm.invalidate(old)  # a second thread that also got 401 with the old token
    assert tm.access_token() == new
    assert refresher.calls == 1


def test_invalid_grant_reconnect_needed_once(data_home, keychain_clean, clock) -> None:
    refresher = FakeRefresher("RT-someone-else")
    reasons: list[str] = []
    tm = TokenManager(refresher, on_reconnect_needed=reasons.append, clock=lambda: clock[0])
    tm.save_grant(_grant("RT-revoked"), "123")
    tm.invalidate(tm.access_token())
    with pytest.raises(ReconnectNeeded) as info:
        tm.access_token()
    assert "invalid_grant" in info.value.message
    assert "Reconnect" in info.value.fix
    with pytest.raises(ReconnectNeeded):
        tm.access_token()
    assert refresher.calls == 1 and len(reasons) == 1
    # nothing lost: the grant is still in the keychain until the user reconnects
    assert keychain.get_secret(keychain.QBO_REFRESH_TOKEN) == "RT-revoked"
    # a new grant clears the failure
    tm.save_grant(_grant(refresher.current), "123")
    clock[0] += 7200
    assert tm.access_token()
    assert refresher.calls == 2


def test_reads_rotation_done_by_another_process(data_home, keychain_clean, clock, tmp_path) -> None:
    refresher = FakeRefresher("RT-a")
    one = TokenManager(refresher, clock=lambda: clock[0], lock_path=tmp_path / "lock")
    two = TokenManager(refresher, clock=lambda: clock[0], lock_path=tmp_path / "lock")
    one.save_grant(_grant("RT-a"), "123")
    one.invalidate(one.access_token())
    one.access_token()  # rotates RT-a -> RT-x, stored in the keychain
    assert two.access_token()  # uses RT-x read from the keychain, not a stale copy
    assert refresher.calls == 2


def test_no_grant_means_reconnect_needed(data_home, keychain_clean, clock) -> None:
    tm = TokenManager(FakeRefresher("x"), clock=lambda: clock[0])
    assert not tm.has_grant()
    with pytest.raises(ReconnectNeeded):
        tm.access_token()
