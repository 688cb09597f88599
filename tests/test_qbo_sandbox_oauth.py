"""QBO sandbox: Intuit OAuth 2.0 (consent, code exchange, rotation, revoke) and API authentication."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from crocoqb_desktop.sandbox.qbo_server import QboSandbox
from tests.conftest import QBO_FIXTURES
from tests.plugins.qbo_sandbox_fixtures import QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_REALM, SandboxApi

REDIRECT = "https://relay.crococlick.test/qbo/callback"
SCOPE = "com.intuit.quickbooks.accounting openid"


def _basic(client_id: str = QBO_CLIENT_ID, secret: str = QBO_CLIENT_SECRET) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}", "Accept": "application/json"}


def _authorize(sandbox: QboSandbox, state: str = "cqb1.5000.nonce", **extra: str) -> requests.Response:
    params = {
        "client_id": QBO_CLIENT_ID,
        "response_type": "code",
        "scope": SCOPE,
        "redirect_uri": REDIRECT,
        "state": state,
        **extra,
    }
    return requests.get(sandbox.authorize_url, params=params, allow_redirects=False, timeout=5)


def _consent(sandbox: QboSandbox, page: requests.Response, action: str = "accept") -> dict[str, list[str]]:
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    form_action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.text)
    realm = re.search(r'name="realmId"[^>]*value="([^"]+)"', page.text) or re.search(
        r'<option value="([^"]+)"', page.text
    )
    assert form_action and ticket and realm
    assert form_action.group(1) == f"{sandbox.url}/connect/oauth2/consent"
    assert 'value="accept"' in page.text and 'value="cancel"' in page.text
    resp = requests.post(
        form_action.group(1),
        data={"ticket": ticket.group(1), "realmId": realm.group(1), "action": action},
        allow_redirects=False,
        timeout=5,
    )
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert location.startswith(REDIRECT + "?")
    return parse_qs(urlsplit(location).query)


def _token(
    sandbox: QboSandbox, data: dict[str, str], headers: dict[str, str] | None = None
) -> requests.Response:
    return requests.post(
        sandbox.token_url, data=data, headers=headers if headers is not None else _basic(), timeout=5
    )


@pytest.fixture
def sandbox(qbo_sandbox: QboSandbox) -> QboSandbox:
    qbo_sandbox.register_client(QBO_CLIENT_ID, QBO_CLIENT_SECRET, [REDIRECT])
    return qbo_sandbox


def test_code_flow_exchange_refresh_rotation(sandbox: QboSandbox) -> None:
    query = _consent(sandbox, _authorize(sandbox))
    assert query["state"] == ["cqb1.5000.nonce"] and query["realmId"] == [QBO_REALM]
    code = query["code"][0]
    resp = _token(sandbox, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT})
    assert resp.status_code == 200, resp.text
    assert resp.headers["intuit_tid"]
    tokens = resp.json()
    expected = json.loads((QBO_FIXTURES / "oauth_token_response.json").read_text())
    assert set(tokens) == set(expected)  # openid scope -> id_token too
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 3600
    assert isinstance(tokens["x_refresh_token_expires_in"], int)
    assert sandbox.exchange_count == 1

    api = requests.get(
        f"{sandbox.api_base}/v3/company/{QBO_REALM}/companyinfo/{QBO_REALM}",
        headers={"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"},
        timeout=5,
    )
    assert api.status_code == 200 and api.json()["CompanyInfo"]["CompanyName"] == "Croco Demo Co"

    # refresh rotates; the old refresh token is dead at once (refresh_grace_s=0)
    r1 = _token(sandbox, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert r1.status_code == 200
    new = r1.json()
    assert new["refresh_token"] != tokens["refresh_token"] and new["access_token"] != tokens["access_token"]
    r2 = _token(sandbox, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert r2.status_code == 400
    assert r2.json() == json.loads((QBO_FIXTURES / "oauth_error_invalid_grant_described.json").read_text())
    assert sandbox.refresh_count == 2
    # client_secret_post works too
    r3 = _token(
        sandbox,
        {
            "grant_type": "refresh_token",
            "refresh_token": new["refresh_token"],
            "client_id": QBO_CLIENT_ID,
            "client_secret": QBO_CLIENT_SECRET,
        },
        headers={"Accept": "application/json"},
    )
    assert r3.status_code == 200
    # the hard-expiry header of RT-BLOG
    r4 = _token(
        sandbox,
        {"grant_type": "refresh_token", "refresh_token": r3.json()["refresh_token"]},
        headers={**_basic(), "x-include-refresh-token-hard-expires-in": "true"},
    )
    assert isinstance(r4.json()["x_refresh_token_hard_expires_in"], int)


def test_reused_code_fails_and_revokes_its_tokens(sandbox: QboSandbox) -> None:
    code = _consent(sandbox, _authorize(sandbox))["code"][0]
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    first = _token(sandbox, data).json()
    again = _token(sandbox, data)
    assert again.status_code == 400 and again.json() == {"error": "invalid_grant"}
    refreshed = _token(sandbox, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"


def test_exchange_rules(sandbox: QboSandbox) -> None:
    code = _consent(sandbox, _authorize(sandbox))["code"][0]
    wrong_redirect = _token(
        sandbox,
        {"grant_type": "authorization_code", "code": code, "redirect_uri": "https://elsewhere.test/cb"},
    )
    assert wrong_redirect.status_code == 400 and wrong_redirect.json()["error"] == "invalid_grant"
    bad_secret = _token(
        sandbox,
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
        headers=_basic(secret="nope"),
    )
    assert bad_secret.status_code == 401 and bad_secret.json() == {"error": "invalid_client"}
    no_auth = _token(sandbox, {"grant_type": "refresh_token", "refresh_token": "x"}, headers={})
    assert no_auth.status_code == 401
    unknown_code = _token(
        sandbox, {"grant_type": "authorization_code", "code": "nope", "redirect_uri": REDIRECT}
    )
    assert unknown_code.json() == {"error": "invalid_grant"}
    assert _token(sandbox, {"grant_type": "password"}).json() == {"error": "unsupported_grant_type"}


def test_consent_cancel_and_error_pages(sandbox: QboSandbox) -> None:
    denied = _consent(sandbox, _authorize(sandbox, state="s1"), action="cancel")
    assert denied == {"error": ["access_denied"], "state": ["s1"]}
    unknown_client = requests.get(
        sandbox.authorize_url,
        params={
            "client_id": "nobody",
            "response_type": "code",
            "scope": SCOPE,
            "redirect_uri": REDIRECT,
            "state": "x",
        },
        allow_redirects=False,
        timeout=5,
    )
    assert unknown_client.status_code == 400 and "Location" not in unknown_client.headers
    assert "text/html" in unknown_client.headers["Content-Type"]
    bad_redirect = _authorize(sandbox, redirect_uri="https://evil.test/cb")
    assert bad_redirect.status_code == 400 and "Location" not in bad_redirect.headers
    bad_scope = _authorize(sandbox, scope="everything")
    assert bad_scope.status_code == 302 and "error=invalid_scope" in bad_scope.headers["Location"]


def test_company_chooser_with_two_companies(sandbox: QboSandbox) -> None:
    sandbox.add_company("4620816365000000002", preset="ca", name="Croco Canada")
    page = _authorize(sandbox)
    assert "<select" in page.text and "Croco Canada" in page.text
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.text)
    assert ticket
    resp = requests.post(
        f"{sandbox.url}/connect/oauth2/consent",
        data={"ticket": ticket.group(1), "realmId": "4620816365000000002", "action": "accept"},
        allow_redirects=False,
        timeout=5,
    )
    assert "realmId=4620816365000000002" in resp.headers["Location"]


def test_auto_consent(sandbox: QboSandbox) -> None:
    sandbox.auto_consent = True
    resp = _authorize(sandbox)
    assert resp.status_code == 302 and "code=" in resp.headers["Location"]


def test_concurrent_refreshes_second_fails(sandbox: QboSandbox) -> None:
    tokens = sandbox.issue_tokens(QBO_CLIENT_ID, QBO_REALM)
    results: list[int] = []

    def refresh() -> None:
        results.append(
            _token(
                sandbox, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
            ).status_code
        )

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 400]


def test_refresh_grace_window() -> None:
    sandbox = QboSandbox(refresh_grace_s=3600, time_scale=12000)  # 0.3 real seconds of grace
    sandbox.add_company(QBO_REALM)
    sandbox.register_client(QBO_CLIENT_ID, QBO_CLIENT_SECRET, [])
    sandbox.start()
    try:
        tokens = sandbox.issue_tokens(QBO_CLIENT_ID, QBO_REALM)
        data = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
        assert _token(sandbox, data).status_code == 200
        assert _token(sandbox, data).status_code == 200  # within the grace window
        time.sleep(0.35)
        assert _token(sandbox, data).status_code == 400
    finally:
        sandbox.stop()


def test_401_bodies_and_header(qbo_sandbox: QboSandbox) -> None:
    api = SandboxApi(qbo_sandbox)
    expected = json.loads((QBO_FIXTURES / "fault_auth_401.json").read_text())
    url = f"{api.base}/customer/1"
    missing = requests.get(url, headers={"Accept": "application/json"}, timeout=5)
    unknown = requests.get(url, headers={"Authorization": "Bearer " + "x" * 40}, timeout=5)
    qbo_sandbox.expire_access_tokens()
    expired = api.get("customer/1")
    for resp in (missing, unknown, expired):
        assert resp.status_code == 401
        assert resp.headers["WWW-Authenticate"] == 'Bearer realm="Intuit", error="invalid_token"'
        body = resp.json()
        assert set(body) == set(expected)
        err = body["fault"]["error"][0]
        assert set(err) == set(expected["fault"]["error"][0])
        assert err["code"] == "3200" and body["fault"]["type"] == "AUTHENTICATION"
        assert err["message"] == expected["fault"]["error"][0]["message"]
        assert isinstance(body["time"], int)
        assert api.tokens["access_token"] not in resp.text
    assert expired.json()["fault"]["error"][0]["detail"].startswith("Token expired: ")


def test_expiry_follows_time_scale() -> None:
    sandbox = QboSandbox(time_scale=12000, access_token_ttl_s=3600)  # the token lives 0.3 s
    sandbox.add_company(QBO_REALM)
    sandbox.register_client(QBO_CLIENT_ID, QBO_CLIENT_SECRET, [])
    sandbox.start()
    try:
        api = SandboxApi(sandbox)
        assert api.tokens["expires_in"] == 3600
        assert api.get("preferences").status_code == 200
        time.sleep(0.35)
        assert api.get("preferences").status_code == 401
    finally:
        sandbox.stop()


def test_403_other_realm_and_revoke(qbo_sandbox: QboSandbox) -> None:
    qbo_sandbox.add_company("123145", preset="us")
    api = SandboxApi(qbo_sandbox)
    other = requests.get(
        f"{qbo_sandbox.api_base}/v3/company/123145/preferences", headers=dict(api.session.headers), timeout=5
    )
    assert other.status_code == 403
    expected = json.loads((QBO_FIXTURES / "fault_authorization_403.json").read_text())
    body = other.json()
    assert set(body) == set(expected)
    assert body["fault"]["error"][0]["code"] == "3100"
    assert body["fault"]["error"][0]["message"] == expected["fault"]["error"][0]["message"]

    # the user disconnects the app in QuickBooks: access and refresh tokens die
    qbo_sandbox.revoke_grant(QBO_REALM)
    assert api.get("preferences").status_code == 401
    refresh = _token(
        qbo_sandbox, {"grant_type": "refresh_token", "refresh_token": api.tokens["refresh_token"]}
    )
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


def test_revoke_endpoint(qbo_sandbox: QboSandbox) -> None:
    api = SandboxApi(qbo_sandbox)
    bad = requests.post(
        qbo_sandbox.revoke_url,
        json={"token": api.tokens["refresh_token"]},
        headers=_basic(secret="wrong"),
        timeout=5,
    )
    assert bad.status_code == 401
    ok = requests.post(
        qbo_sandbox.revoke_url, json={"token": api.tokens["refresh_token"]}, headers=_basic(), timeout=5
    )
    assert ok.status_code == 200
    assert api.get("preferences").status_code == 401
    refresh = _token(
        qbo_sandbox, {"grant_type": "refresh_token", "refresh_token": api.tokens["refresh_token"]}
    )
    assert refresh.status_code == 400


def test_discovery_document(qbo_sandbox: QboSandbox) -> None:
    doc = requests.get(f"{qbo_sandbox.url}/.well-known/openid-sandbox-configuration", timeout=5).json()
    expected = json.loads((QBO_FIXTURES / "oauth_discovery_sandbox.json").read_text())
    assert set(doc) == set(expected)
    assert doc["authorization_endpoint"] == qbo_sandbox.authorize_url
    assert (
        doc["token_endpoint"] == qbo_sandbox.token_url
        and doc["revocation_endpoint"] == qbo_sandbox.revoke_url
    )
