"""CrocoClick sandbox: the QuickBooks relay (oauth-config, return page, token and revoke relays)."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from crocoqb_desktop.sandbox.base import Request, Response, SandboxServer
from tests.plugins.croco_sandbox_fixtures import CROCO_API_KEY, CrocoHttp

TOKENS = {
    "access_token": "eyJ.access.token",
    "refresh_token": "AB11-refresh-token-xyz",
    "token_type": "bearer",
    "expires_in": 3600,
    "x_refresh_token_expires_in": 8726400,
}


class FakeIntuit(SandboxServer):
    """Stands in for Intuit's token and revoke endpoints; records what it receives."""

    name = "fake-intuit"

    def __init__(self) -> None:
        super().__init__()
        self.mode = "ok"
        self.received: list[dict] = []
        self.router.add("POST", "/oauth2/v1/tokens/bearer", self._token)
        self.router.add("POST", "/v2/oauth2/tokens/revoke", self._revoke)

    def _record(self, request: Request) -> None:
        self.received.append({"path": request.path, "headers": request.headers, "body": request.body})

    def _token(self, request: Request) -> Response:
        self._record(request)
        if self.mode == "invalid_grant":
            return Response(
                400,
                b'{"error_description":"Incorrect or invalid refresh token","error":"invalid_grant"}',
                {"Content-Type": "application/json"},
            )
        if self.mode == "503":
            return Response.text("upstream down", 503)
        if self.mode == "html":
            return Response.text("<html>login</html>", 200, "text/html")
        return Response(200, json.dumps(TOKENS, indent=2).encode(), {"Content-Type": "application/json"})

    def _revoke(self, request: Request) -> Response:
        self._record(request)
        if self.mode == "invalid_grant":
            return Response.json({"error": "invalid_token"}, 400)
        if self.mode == "503":
            return Response.text("down", 503)
        return Response(200, b"", {})


@pytest.fixture(scope="module")
def intuit() -> Iterator[FakeIntuit]:
    server = FakeIntuit()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def relay(intuit, croco_sandbox_factory):
    intuit.mode = "ok"
    intuit.received.clear()
    sandbox = croco_sandbox_factory(
        qbo_authorize_url="https://appcenter.intuit.com/connect/oauth2",
        qbo_token_url=f"{intuit.url}/oauth2/v1/tokens/bearer",
        qbo_revoke_url=f"{intuit.url}/v2/oauth2/tokens/revoke",
        qbo_api_base="http://127.0.0.1:9/qbo",
        qbo_client_id="client-abc",
        qbo_client_secret="s3cret-relay",
    )
    return sandbox, CrocoHttp(sandbox)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_oauth_config(relay, croco_spec_validator):
    sandbox, http = relay
    resp = http.get("/integrations/quickbooks/oauth-config")
    assert resp.status_code == 200
    croco_spec_validator.response(resp.json(), "/integrations/quickbooks/oauth-config", "get", 200)
    assert resp.json() == {
        "environment": "sandbox",
        "clientId": "client-abc",
        "authorizationEndpoint": "https://appcenter.intuit.com/connect/oauth2",
        "redirectUri": sandbox.return_page_url,
        "scopes": ["com.intuit.quickbooks.accounting"],
        "apiBaseUrl": "http://127.0.0.1:9/qbo",
    }
    assert sandbox.return_page_url == f"{sandbox.url}/oauth/quickbooks/return"
    assert requests.get(f"{sandbox.url}/integrations/quickbooks/oauth-config").status_code == 401


def test_code_exchange_is_relayed_verbatim(relay, intuit, croco_spec_validator):
    sandbox, http = relay
    resp = http.post(
        "/integrations/quickbooks/token",
        data={
            "grant_type": "authorization_code",
            "code": "AB-code-123",
            "redirect_uri": sandbox.return_page_url,
        },
    )
    assert resp.status_code == 200
    assert resp.content == json.dumps(TOKENS, indent=2).encode()  # byte for byte
    croco_spec_validator.response(resp.json(), "/integrations/quickbooks/token", "post", 200)
    assert resp.headers["Cache-Control"] == "no-store"
    sent = intuit.received[-1]
    expected_basic = base64.b64encode(b"client-abc:s3cret-relay").decode()
    assert sent["headers"]["authorization"] == f"Basic {expected_basic}"
    assert sent["headers"]["accept"] == "application/json"
    assert parse_qs(sent["body"].decode()) == {
        "grant_type": ["authorization_code"],
        "code": ["AB-code-123"],
        "redirect_uri": [sandbox.return_page_url],
    }
    # nothing secret is kept in the request log
    logged = json.dumps(sandbox.request_log)
    for secret in ("AB-code-123", CROCO_API_KEY, "s3cret-relay", TOKENS["refresh_token"]):
        assert secret not in logged


def test_refresh_and_invalid_grant(relay, intuit, croco_spec_validator):
    sandbox, http = relay
    ok = http.post(
        "/integrations/quickbooks/token", data={"grant_type": "refresh_token", "refresh_token": "RT-old"}
    )
    assert ok.status_code == 200 and ok.json()["refresh_token"] == TOKENS["refresh_token"]
    assert parse_qs(intuit.received[-1]["body"].decode()) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["RT-old"],
    }
    intuit.mode = "invalid_grant"
    bad = http.post(
        "/integrations/quickbooks/token", data={"grant_type": "refresh_token", "refresh_token": "RT-rotated"}
    )
    assert bad.status_code == 400
    croco_spec_validator.response(bad.json(), "/integrations/quickbooks/token", "post", 400)
    assert (
        bad.content == b'{"error_description":"Incorrect or invalid refresh token","error":"invalid_grant"}'
    )


def test_token_request_checks(relay, intuit, croco_spec_validator):
    sandbox, http = relay
    wrong_redirect = http.post(
        "/integrations/quickbooks/token",
        data={
            "grant_type": "authorization_code",
            "code": "c",
            "redirect_uri": "http://localhost:8080/callback",
        },
    )
    assert wrong_redirect.status_code == 400 and wrong_redirect.json()["error"] == "invalid_grant"
    croco_spec_validator.response(wrong_redirect.json(), "/integrations/quickbooks/token", "post", 400)
    assert (
        http.post(
            "/integrations/quickbooks/token", data={"grant_type": "authorization_code", "code": "c"}
        ).json()["error"]
        == "invalid_request"
    )
    assert (
        http.post("/integrations/quickbooks/token", data={"grant_type": "password"}).json()["error"]
        == "unsupported_grant_type"
    )
    assert (
        http.post(
            "/integrations/quickbooks/token", json={"grant_type": "refresh_token", "refresh_token": "x"}
        ).status_code
        == 400
    )
    assert intuit.received == []  # none of these reached Intuit
    unauthenticated = requests.post(
        f"{sandbox.url}/integrations/quickbooks/token",
        data={"grant_type": "refresh_token", "refresh_token": "x"},
    )
    assert unauthenticated.status_code == 401 and intuit.received == []


def test_intuit_failures_are_502(relay, intuit, croco_spec_validator):
    sandbox, http = relay
    for mode in ("503", "html"):
        intuit.mode = mode
        resp = http.post(
            "/integrations/quickbooks/token", data={"grant_type": "refresh_token", "refresh_token": "x"}
        )
        assert resp.status_code == 502, mode
        croco_spec_validator.response(resp.json(), "/integrations/quickbooks/token", "post", 502)
    sandbox.qbo_token_url = f"http://127.0.0.1:{_closed_port()}/token"
    down = http.post(
        "/integrations/quickbooks/token", data={"grant_type": "refresh_token", "refresh_token": "x"}
    )
    assert down.status_code == 502 and down.json()["error"]["code"] == "internal"
    assert "x" not in down.json()["error"]["message"].split()


def test_revoke(relay, intuit, croco_spec_validator):
    sandbox, http = relay
    resp = http.post("/integrations/quickbooks/revoke", json={"token": "RT-to-revoke"})
    assert resp.status_code == 200
    sent = intuit.received[-1]
    assert json.loads(sent["body"]) == {"token": "RT-to-revoke"}
    assert sent["headers"]["authorization"].startswith("Basic ")
    intuit.mode = "invalid_grant"  # already invalid: still 200
    assert http.post("/integrations/quickbooks/revoke", json={"token": "RT-gone"}).status_code == 200
    intuit.mode = "503"
    failed = http.post("/integrations/quickbooks/revoke", json={"token": "RT-x"})
    assert failed.status_code == 502
    croco_spec_validator.response(failed.json(), "/integrations/quickbooks/revoke", "post", 502)
    assert http.post("/integrations/quickbooks/revoke", json={}).status_code == 400
    assert "RT-to-revoke" not in json.dumps(sandbox.request_log)


# the return page ---------------------------------------------------------------------------------------
def _return(sandbox, **params):
    return requests.get(sandbox.return_page_url, params=params, allow_redirects=False)


def test_return_page_hands_off_to_loopback(croco_sandbox):
    state = "cqb1.53682.Zm9vYmFyYmF6cXV4MTIzNDU2"
    resp = _return(croco_sandbox, code="AB11-code", state=state, realmId="9341452193547812")
    assert resp.status_code == 302
    target = urlsplit(resp.headers["Location"])
    assert (target.scheme, target.hostname, target.port, target.path) == (
        "http",
        "127.0.0.1",
        53682,
        "/callback",
    )
    assert parse_qs(target.query) == {
        "code": ["AB11-code"],
        "state": [state],
        "realmId": ["9341452193547812"],
    }
    denied = _return(croco_sandbox, error="access_denied", state=state)
    assert denied.status_code == 302
    target = urlsplit(denied.headers["Location"])
    assert target.hostname == "127.0.0.1" and parse_qs(target.query) == {
        "error": ["access_denied"],
        "state": [state],
    }
    assert "AB11-code" not in json.dumps(croco_sandbox.request_log)


@pytest.mark.parametrize(
    "state",
    [
        "cqb1.80.Zm9vYmFyYmF6cXV4MTIzNDU2",  # port below 1024
        "cqb1.70000.Zm9vYmFyYmF6cXV4MTIzNDU2",  # port above 65535
        "cqb1.8080.short",  # nonce too short
        "cqb1.8080." + "a" * 129,  # nonce too long
        "cqb2.8080.Zm9vYmFyYmF6cXV4MTIzNDU2",  # unknown version
        "cqb1.8080.Zm9vYmFyYmF6cXV4MTIz@evil.example",  # not URL-safe
        "cqb1.8080.Zm9vYmFyYmF6cXV4MTIzNDU2/../evil.example",
        "cqb1.evil.example.Zm9vYmFyYmF6cXV4MTIzNDU2",
        "random-state-from-another-app",
        "",
    ],
)
def test_return_page_never_redirects_elsewhere(croco_sandbox, state):
    resp = _return(croco_sandbox, code="AB11-code<script>", state=state, realmId="9341452193547812")
    assert resp.status_code == 200 and "Location" not in resp.headers
    assert resp.headers["Content-Type"].startswith("text/html")
    assert "AB11-code&lt;script&gt;" in resp.text and "<script>" not in resp.text
    assert "9341452193547812" in resp.text
    assert resp.headers["Cache-Control"] == "no-store"


def test_return_page_without_code(croco_sandbox):
    assert _return(croco_sandbox, state="cqb1.53682.Zm9vYmFyYmF6cXV4MTIzNDU2").status_code == 400
    error = _return(croco_sandbox, error="access_denied", state="foreign")
    assert error.status_code == 200 and "access_denied" in error.text
