"""QboConnection end to end over real HTTP: the QBO sandbox (Intuit OAuth + API), the CrocoClick sandbox
(oauth-config, return page, token relay, revoke), the loopback listener, the real keychain and state DB.

The browser is played by `urllib` (an HTTP-following opener, like `crocoqb connect --no-browser` with the
user opening the printed URL); the real-browser run is in test_oauth_browser.py."""

from __future__ import annotations

import http.cookiejar
import json
import logging
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from crocoqb_desktop import keychain
from crocoqb_desktop.app.connection import QboConnection
from crocoqb_desktop.errors import NotConfiguredError, ReconnectNeeded
from crocoqb_desktop.logging_setup import configure_logging
from crocoqb_desktop.qbo.oauth import AuthorizationFailed
from crocoqb_desktop.sandbox.croco_server import CrocoSandbox
from crocoqb_desktop.sandbox.qbo_server import QboSandbox
from crocoqb_desktop.settings import Settings
from crocoqb_desktop.sync.store import StateStore
from tests.plugins.croco_sandbox_fixtures import CROCO_API_KEY, CROCO_LOCATION, make_croco_sandbox
from tests.plugins.qbo_sandbox_fixtures import QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_REALM


@dataclass
class RelayWorld:
    qbo: QboSandbox
    croco: CrocoSandbox
    home: Path
    settings: Settings
    store: StateStore

    def connection(self) -> QboConnection:
        return QboConnection(self.settings, self.store)

    def other_process_status(self) -> dict[str, Any]:
        """What `crocoqb status --json` in another process would see (fresh settings, DB, objects)."""
        store = StateStore()
        try:
            return QboConnection(Settings(), store).status()
        finally:
            store.close()


@pytest.fixture
def relay_world(data_home: Path, keychain_clean: None, qbo_sandbox: QboSandbox) -> Iterator[RelayWorld]:
    croco = make_croco_sandbox(qbo_authorize_url=qbo_sandbox.authorize_url, qbo_token_url=qbo_sandbox.token_url,
                               qbo_revoke_url=qbo_sandbox.revoke_url, qbo_api_base=qbo_sandbox.api_base,
                               qbo_client_id=QBO_CLIENT_ID, qbo_client_secret=QBO_CLIENT_SECRET)
    qbo_sandbox.register_client(QBO_CLIENT_ID, QBO_CLIENT_SECRET, [croco.return_page_url])
    settings = Settings()
    settings.set("croco.api_base", croco.api_base)
    settings.set("croco.location_id", CROCO_LOCATION)
    keychain.set_secret(keychain.CROCO_API_KEY, CROCO_API_KEY)
    configure_logging(logging.DEBUG)
    store = StateStore()
    try:
        yield RelayWorld(qbo_sandbox, croco, data_home, settings, store)
    finally:
        store.close()
        croco.stop()


# -- a browser stand-in ------------------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(follow: bool) -> urllib.request.OpenerDirector:
    handlers: list[Any] = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())]
    if not follow:
        handlers.append(_NoRedirect())
    return urllib.request.build_opener(*handlers)


def _open(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None) -> tuple[int, str, str]:
    """(status, final URL, body); HTTP errors are answers too."""
    try:
        with opener.open(url, data=data, timeout=15) as response:
            return response.status, response.geturl(), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.geturl(), exc.read().decode("utf-8", "replace")


def consent(url: str, *, follow: bool = True, accept: bool = True) -> tuple[int, str, str]:
    """Opens the authorization URL and presses Connect (or Cancel) on Intuit's consent page. With
    `follow`, redirects are followed (to the return page, then the loopback listener)."""
    opener = _opener(follow)
    status, _, page = _open(opener, url)
    assert status == 200, page
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields["action"] = "accept" if accept else "cancel"
    return _open(opener, action, urllib.parse.urlencode(fields).encode())


def redirect_chain(url: str) -> list[str]:
    """Consent, then follow redirects by hand, stopping before the loopback listener: the Locations."""
    opener = _opener(False)
    status, _, page = _open(opener, url)
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields["action"] = "accept"
    locations = []
    try:
        opener.open(action, data=urllib.parse.urlencode(fields).encode(), timeout=15)
    except urllib.error.HTTPError as exc:
        locations.append(exc.headers["Location"])
    while locations and not urllib.parse.urlsplit(locations[-1]).path == "/callback":
        try:
            opener.open(locations[-1], timeout=15)
            break
        except urllib.error.HTTPError as exc:
            if exc.code not in (301, 302, 303, 307):
                break
            locations.append(exc.headers["Location"])
    return locations


def connect_with_opener(world: RelayWorld) -> tuple[QboConnection, dict[str, Any]]:
    connection = world.connection()
    pending = connection.begin_authorization()
    browser = threading.Thread(target=consent, args=(pending.url,), daemon=True)
    browser.start()
    result = connection.complete(pending, timeout_s=30)
    browser.join(10)
    return connection, result


# -- tests ------------------------------------------------------------------------------------------------
def test_not_connected(relay_world: RelayWorld) -> None:
    connection = relay_world.connection()
    assert connection.status() == {"state": "not_connected", "company_name": None, "realm_id": None,
                                   "reason": None}
    with pytest.raises(NotConfiguredError):
        connection.client()


def test_relay_flow_with_http_opener(relay_world: RelayWorld) -> None:
    connection = relay_world.connection()
    pending = connection.begin_authorization()
    # the URL the user sees: Intuit's authorize endpoint (from oauth-config) with our state
    parts = urllib.parse.urlsplit(pending.url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    assert pending.url.startswith(relay_world.qbo.authorize_url + "?")
    assert query == {"response_type": "code", "client_id": QBO_CLIENT_ID, "redirect_uri":
                     relay_world.croco.return_page_url, "scope": "com.intuit.quickbooks.accounting",
                     "state": pending.state}
    assert re.fullmatch(rf"cqb1\.{pending.port}\.[A-Za-z0-9_-]{{43}}", pending.state)
    answers: list[tuple[int, str, str]] = []
    browser = threading.Thread(target=lambda: answers.append(consent(pending.url)), daemon=True)
    browser.start()
    result = connection.complete(pending, timeout_s=30)
    browser.join(10)
    status, final_url, page = answers[0]
    assert status == 200 and final_url.startswith(f"http://127.0.0.1:{pending.port}/callback?")
    assert "CrocoQB is connected to QuickBooks" in page
    assert result == {"company_name": "Croco Demo Co", "realm_id": QBO_REALM}

    # grant in the keychain, the company cached in the state DB, activation recorded
    assert keychain.get_secret(keychain.QBO_REALM_ID) == QBO_REALM
    assert keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
    store = relay_world.store
    assert json.loads(store.cursor("qbo.company_info"))["CompanyName"] == "Croco Demo Co"
    assert json.loads(store.cursor("qbo.preferences"))["CurrencyPrefs"]["HomeCurrency"]["value"] == "USD"
    assert store.cursor("qbo.activated_at")
    assert connection.status() == {"state": "connected", "company_name": "Croco Demo Co", "realm_id": QBO_REALM,
                                   "reason": None}
    assert relay_world.other_process_status()["state"] == "connected"
    # the client works; the exchange went through the relay (one code exchange at the sandbox)
    assert connection.client().count("Customer") >= 0
    assert relay_world.qbo.exchange_count == 1

    # reconnecting keeps the first activation time
    first_activation = store.cursor("qbo.activated_at")
    connect_with_opener(relay_world)
    assert store.cursor("qbo.activated_at") == first_activation


def test_paste_full_redirect_url(relay_world: RelayWorld) -> None:
    connection = relay_world.connection()
    pending = connection.begin_authorization()
    locations = redirect_chain(pending.url)
    # Intuit -> CrocoClick's return page -> loopback (not followed: the browser "could not reach" it)
    assert locations[0].startswith(relay_world.croco.return_page_url + "?")
    assert locations[-1].startswith(f"http://127.0.0.1:{pending.port}/callback?")
    result = connection.complete(pending, timeout_s=5, pasted=locations[-1])
    assert result["realm_id"] == QBO_REALM
    assert connection.status()["state"] == "connected"
    with pytest.raises(OSError):  # the listener was closed
        socket.create_connection(("127.0.0.1", pending.port), timeout=1).close()


def test_paste_bare_code_and_realm(relay_world: RelayWorld) -> None:
    connection = relay_world.connection()
    pending = connection.begin_authorization()
    callback = redirect_chain(pending.url)[-1]
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))
    result = connection.complete(pending, pasted=f"  {q['code']} {q['realmId']}\n")
    assert result["company_name"] == "Croco Demo Co"


def test_paste_of_another_attempt_is_refused(relay_world: RelayWorld) -> None:
    connection = relay_world.connection()
    first = connection.begin_authorization()
    callback = redirect_chain(first.url)[-1]
    first.cancel()
    second = connection.begin_authorization()
    with pytest.raises(AuthorizationFailed):
        connection.complete(second, pasted=callback)
    assert connection.status()["state"] == "not_connected"


def test_declined_consent(relay_world: RelayWorld) -> None:
    connection = relay_world.connection()
    pending = connection.begin_authorization()
    answers: list[tuple[int, str, str]] = []
    browser = threading.Thread(target=lambda: answers.append(consent(pending.url, accept=False)), daemon=True)
    browser.start()
    with pytest.raises(AuthorizationFailed) as info:
        connection.complete(pending, timeout_s=30)
    browser.join(10)
    assert "declined" in info.value.message
    assert answers[0][0] == 400 and "QuickBooks was not connected" in answers[0][2]
    assert connection.status()["state"] == "not_connected"


def test_auto_consent_redirects_straight_to_listener(relay_world: RelayWorld) -> None:
    """Intuit skips the consent page for an app the user already approved: plain redirects."""
    relay_world.qbo.auto_consent = True
    connection = relay_world.connection()
    pending = connection.begin_authorization()
    threading.Thread(target=lambda: _open(_opener(True), pending.url), daemon=True).start()
    assert connection.complete(pending, timeout_s=30)["realm_id"] == QBO_REALM


def test_rotation_keeps_latest_refresh_token_in_keychain(relay_world: RelayWorld) -> None:
    connection, _ = connect_with_opener(relay_world)
    client = connection.client()
    first = keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
    relay_world.qbo.expire_access_tokens()
    client.company_info()
    second = keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
    assert second and second != first
    relay_world.qbo.expire_access_tokens()
    client.preferences()
    third = keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
    assert third not in (first, second)
    assert relay_world.qbo.refresh_count == 2
    # another process starting now uses the latest refresh token successfully
    store = StateStore()
    try:
        relay_world.qbo.expire_access_tokens()
        QboConnection(Settings(), store).client().company_info()
    finally:
        store.close()
    assert relay_world.qbo.refresh_count == 3


def test_twenty_threads_one_refresh_through_the_relay(relay_world: RelayWorld) -> None:
    connection, _ = connect_with_opener(relay_world)
    client = connection.client()
    relay_world.qbo.expire_access_tokens()
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
    assert relay_world.qbo.refresh_count == 1


def test_revoked_grant_reconnect_needed_then_reconnect(relay_world: RelayWorld) -> None:
    connection, _ = connect_with_opener(relay_world)
    client = connection.client()
    relay_world.qbo.revoke_grant(QBO_REALM)
    with pytest.raises(ReconnectNeeded) as info:
        client.company_info()
    assert "Reconnect" in info.value.fix
    status = connection.status()
    assert status["state"] == "reconnect_needed" and "invalid_grant" in status["reason"]
    assert status["company_name"] == "Croco Demo Co" and status["realm_id"] == QBO_REALM
    # another process sees it too, and refuses to build a client
    assert relay_world.other_process_status()["state"] == "reconnect_needed"
    with pytest.raises(ReconnectNeeded):
        connection.client()
    # nothing lost: the keychain still holds the (dead) grant until the user reconnects
    assert keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
    errors = [e for e in relay_world.store.log_entries(min_level="ERROR")]
    assert any("reconnected" in e.message for e in errors)
    # Reconnect clears the flag
    connection2, result = connect_with_opener(relay_world)
    assert connection2.status()["state"] == "connected"
    assert relay_world.other_process_status()["state"] == "connected"
    assert connection2.client().company_info()["CompanyName"] == result["company_name"]


def test_disconnect_revokes_through_relay(relay_world: RelayWorld) -> None:
    connection, _ = connect_with_opener(relay_world)
    refresh = keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
    connection.disconnect()
    assert connection.last_disconnect_note is None
    assert keychain.get_secret(keychain.QBO_REFRESH_TOKEN) is None
    assert keychain.get_secret(keychain.QBO_REALM_ID) is None
    for name in ("qbo.company_info", "qbo.preferences", "qbo.reconnect_needed"):
        assert relay_world.store.cursor(name) is None
    assert connection.status()["state"] == "not_connected"
    with pytest.raises(NotConfiguredError):
        connection.client()
    # the grant is really revoked at Intuit: the old refresh token is refused
    answer = requests.post(relay_world.qbo.token_url, data={"grant_type": "refresh_token", "refresh_token": refresh},
                           auth=(QBO_CLIENT_ID, QBO_CLIENT_SECRET), timeout=10)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_disconnect_offline_forgets_locally_and_says_so(relay_world: RelayWorld) -> None:
    connection, _ = connect_with_opener(relay_world)
    relay_world.croco.stop()
    connection.disconnect()
    assert connection.last_disconnect_note
    assert keychain.get_secret(keychain.QBO_REFRESH_TOKEN) is None
    assert connection.status()["state"] == "not_connected"
    warning = relay_world.store.log_entries(min_level="WARNING")[-1]
    assert "could not be revoked" in warning.message and "Settings > Apps" in (warning.fix or "")


def test_relay_mode_needs_crococlick_key(relay_world: RelayWorld) -> None:
    keychain.delete_secret(keychain.CROCO_API_KEY)
    with pytest.raises(NotConfiguredError) as info:
        relay_world.connection().begin_authorization()
    assert "croco-login" in info.value.fix


def test_listener_timeout(relay_world: RelayWorld) -> None:
    connection = relay_world.connection()
    pending = connection.begin_authorization()
    with pytest.raises(AuthorizationFailed):
        connection.complete(pending, timeout_s=0.3)
    assert connection.status()["state"] == "not_connected"


def test_direct_mode(data_home: Path, keychain_clean: None, qbo_sandbox: QboSandbox) -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    redirect = f"http://localhost:{port}/callback"
    qbo_sandbox.register_client("direct-app", "direct-secret-123456", [redirect])
    settings = Settings()
    for key, value in {"qbo.oauth": "direct", "qbo.client_id": "direct-app", "qbo.auth_url": qbo_sandbox.authorize_url,
                       "qbo.token_url": qbo_sandbox.token_url, "qbo.revoke_url": qbo_sandbox.revoke_url,
                       "qbo.api_base": qbo_sandbox.api_base, "qbo.redirect_uri": redirect}.items():
        settings.set(key, value)
    keychain.set_secret(keychain.QBO_CLIENT_SECRET, "direct-secret-123456")
    store = StateStore()
    try:
        connection = QboConnection(settings, store)
        pending = connection.begin_authorization()
        assert pending.port == port and pending.redirect_uri == redirect
        assert f"redirect_uri={urllib.parse.quote(redirect, safe='')}" in pending.url
        browser = threading.Thread(target=consent, args=(pending.url,), daemon=True)
        browser.start()
        assert connection.complete(pending, timeout_s=30)["realm_id"] == QBO_REALM
        browser.join(10)
        first = keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
        qbo_sandbox.expire_access_tokens()
        assert connection.client().company_info()["CompanyName"]
        assert keychain.get_secret(keychain.QBO_REFRESH_TOKEN) != first
        assert qbo_sandbox.refresh_count == 1
        connection.disconnect()
        assert connection.last_disconnect_note is None
        assert connection.status()["state"] == "not_connected"
    finally:
        store.close()


def test_direct_mode_wrong_secret(data_home: Path, keychain_clean: None, qbo_sandbox: QboSandbox) -> None:
    qbo_sandbox.register_client("direct-app", "direct-secret-123456", ["http://localhost:9/callback"])
    settings = Settings()
    for key, value in {"qbo.oauth": "direct", "qbo.client_id": "direct-app", "qbo.auth_url": qbo_sandbox.authorize_url,
                       "qbo.token_url": qbo_sandbox.token_url, "qbo.revoke_url": qbo_sandbox.revoke_url}.items():
        settings.set(key, value)
    keychain.set_secret(keychain.QBO_CLIENT_SECRET, "not-the-secret")
    store = StateStore()
    try:
        connection = QboConnection(settings, store)
        pending = connection.begin_authorization()
        with pytest.raises(AuthorizationFailed) as info:
            connection.complete(pending, pasted="AB11somecode 9130350000000001")
        assert "client id or secret" in info.value.message
    finally:
        store.close()


def test_no_secret_in_data_folder_or_logs(relay_world: RelayWorld, caplog: pytest.LogCaptureFixture,
                                          capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    connection = relay_world.connection()
    pending = connection.begin_authorization()
    callback = redirect_chain(pending.url)[-1]
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))["code"]
    connection.complete(pending, pasted=callback)
    secrets_seen = {code, QBO_CLIENT_SECRET, CROCO_API_KEY, pending.state.split(".")[-1]}
    secrets_seen.add(keychain.get_secret(keychain.QBO_REFRESH_TOKEN))
    client = connection.client()
    secrets_seen.add(connection.token_manager().access_token())
    relay_world.qbo.expire_access_tokens()
    client.company_info()  # a refresh: new access and refresh tokens
    secrets_seen.add(keychain.get_secret(keychain.QBO_REFRESH_TOKEN))
    secrets_seen.add(connection.token_manager().access_token())
    relay_world.qbo.inject("401", 1)
    client.preferences()  # 401 -> refresh again
    secrets_seen.add(keychain.get_secret(keychain.QBO_REFRESH_TOKEN))
    relay_world.qbo.revoke_grant(QBO_REALM)
    with pytest.raises(ReconnectNeeded):
        client.count("Customer")
    connection.disconnect()
    relay_world.store.close()
    for handler in logging.getLogger("crocoqb").handlers:
        handler.flush()

    assert all(s and len(s) >= 8 for s in secrets_seen)
    files = [p for p in relay_world.home.rglob("*") if p.is_file()]
    assert any(p.name.startswith("state.sqlite3") for p in files) and any(p.suffix == ".log" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets_seen:
            assert secret.encode() not in data, f"a secret leaked into {path.name}"
    out, err = capfd.readouterr()
    for text in (caplog.text, out, err):
        for secret in secrets_seen:
            assert secret not in text
    relay_world.store = StateStore()  # the fixture closes it
