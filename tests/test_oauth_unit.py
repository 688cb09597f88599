"""OAuth pieces that need no sandbox: state, the loopback listener (real HTTP), pasted answers, token
answers (recorded Intuit fixtures)."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request

import pytest

from crocoqb_desktop.errors import NetworkError, ServiceError
from crocoqb_desktop.qbo.oauth import (
    AuthorizationFailed,
    LoopbackListener,
    interpret_token_answer,
    make_state,
    parse_pasted,
    render_page,
    state_port,
)
from crocoqb_desktop.qbo.tokens import InvalidGrant
from crocoqb_desktop.redaction import redact
from tests.conftest import QBO_FIXTURES


def _get(url: str, lang: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": lang} if lang else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_state_format() -> None:
    state = make_state(51234)
    prefix, port, nonce = state.split(".")
    assert prefix == "cqb1" and port == "51234"
    assert len(nonce) >= 32 and all(c.isalnum() or c in "-_" for c in nonce)
    assert state_port(state) == 51234
    assert make_state(51234) != state
    assert state_port("cqb1.80.abcdefabcdefabcdef") is None
    with pytest.raises(ValueError):
        make_state(80)


def test_listener_happy_path_and_single_use() -> None:
    listener = LoopbackListener()
    assert listener.state.startswith(f"cqb1.{listener.port}.")
    base = f"http://127.0.0.1:{listener.port}"
    status, page = _get(f"{base}/callback?code=C0DE-123456&state={listener.state}&realmId=9341452193547812")
    assert status == 200
    assert "CrocoQB is connected to QuickBooks, " not in page  # two sentences, see below
    assert "CrocoQB is connected to QuickBooks" in page and "you can close this tab" in page.lower()
    assert "CrocoQB est connecté à QuickBooks" in page
    assert "C0DE-123456" not in page
    result = listener.wait(5)
    assert (result.code, result.realm_id, result.error) == ("C0DE-123456", "9341452193547812", None)
    # closed after use: nothing listens any more
    with pytest.raises(OSError):
        for _ in range(50):
            socket.create_connection(("127.0.0.1", listener.port), timeout=0.5).close()
            threading.Event().wait(0.05)


def test_listener_rejects_wrong_state_and_other_paths_keeps_waiting() -> None:
    listener = LoopbackListener()
    base = f"http://127.0.0.1:{listener.port}"
    try:
        assert _get(f"{base}/favicon.ico")[0] == 404
        assert _get(f"{base}/callback/../x?code=1&state={listener.state}")[0] == 404
        status, page = _get(f"{base}/callback?code=evil-code&state=cqb1.{listener.port}.{'A' * 43}&realmId=1")
        assert status == 400 and "does not belong" in page
        truncated = listener.state[:-1]
        assert _get(f"{base}/callback?code=evil-code&state={truncated}&realmId=1")[0] == 400
        assert _get(f"{base}/callback?code=evil-code&realmId=1")[0] == 400
        # still waiting: the right answer is accepted afterwards
        assert _get(f"{base}/callback?code=good-code&state={listener.state}&realmId=7")[0] == 200
        assert listener.wait(5).code == "good-code"
    finally:
        listener.close()


def test_listener_reports_errors_in_both_languages() -> None:
    listener = LoopbackListener()
    base = f"http://127.0.0.1:{listener.port}"
    status, page = _get(f"{base}/callback?error=access_denied&state={listener.state}", lang="fr-CA,fr;q=0.9")
    assert status == 400
    assert page.index("QuickBooks n’a pas été connecté") < page.index("QuickBooks was not connected")
    assert "l’accès a été refusé" in page and "declined" in page
    result = listener.wait(5)
    assert result.error == "access_denied"
    with pytest.raises(AuthorizationFailed) as info:
        result.raise_for_error()
    assert "declined" in info.value.message


def test_listener_binds_loopback_only() -> None:
    listener = LoopbackListener()
    try:
        assert listener._server.server_address[0] == "127.0.0.1"
    finally:
        listener.close()


def test_listener_timeout() -> None:
    listener = LoopbackListener()
    with pytest.raises(AuthorizationFailed) as info:
        listener.wait(0.3)
    assert info.value.title == "QuickBooks sign-in timed out"
    assert "paste" in info.value.fix


def test_listener_fixed_port_busy() -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        with pytest.raises(AuthorizationFailed):
            LoopbackListener(port=busy.getsockname()[1])
    finally:
        busy.close()


def test_render_page_escapes() -> None:
    page = render_page("error", error="<script>alert(1)</script>", description="x")
    assert "<script>" not in page and "&lt;script&gt;" in page


STATE = make_state(50000)


@pytest.mark.parametrize(
    ("text", "code", "realm"),
    [
        (f"http://127.0.0.1:50000/callback?code=AB11-code_x&state={STATE}&realmId=9130", "AB11-code_x", "9130"),
        (f"https://app.crococlick.example/oauth/quickbooks/return?code=AB11&state={STATE}&realmId=9130",
         "AB11", "9130"),
        (f"?code=AB11&state={STATE}&realmId=9130", "AB11", "9130"),
        ("code=AB11xyz&realmId=9130", "AB11xyz", "9130"),
        ("AB11xyz 9130", "AB11xyz", "9130"),
        ("9130, AB11xyz", "AB11xyz", "9130"),
        ("Code: AB11xyz\nRealm ID: 9130", "AB11xyz", "9130"),
        # the text of CrocoClick's fallback return page, copied whole
        ("Almost done: copy these into CrocoQB\nAuthorization code:\nAB11176-x_y9\nAB11176-x_y9\n"
         "Company ID (realmId):\n9130350000000001\n9130350000000001\nThe code works once", "AB11176-x_y9",
         "9130350000000001"),
        ("  http://localhost:50000/callback?state=" + STATE + "&code=Q1&realmId=1  \n", "Q1", "1"),
    ],
)
def test_parse_pasted(text: str, code: str, realm: str) -> None:
    result = parse_pasted(text, expected_state=STATE)
    assert (result.code, result.realm_id) == (code, realm)
    result.raise_for_error()


def test_parse_pasted_refuses_other_state_and_garbage() -> None:
    with pytest.raises(AuthorizationFailed):
        parse_pasted(f"http://127.0.0.1:1/callback?code=x&state={make_state(50000)}&realmId=1", expected_state=STATE)
    for bad in ("", "hello", "one two three"):
        with pytest.raises(AuthorizationFailed):
            parse_pasted(bad, expected_state=STATE)
    with pytest.raises(AuthorizationFailed):  # a code without the company id
        parse_pasted("code=abcdef", expected_state=STATE).raise_for_error()
    declined = parse_pasted(f"http://x.example/r?error=access_denied&state={STATE}", expected_state=STATE)
    with pytest.raises(AuthorizationFailed):
        declined.raise_for_error()


def test_pasted_code_is_registered_as_secret() -> None:
    parse_pasted("code=PastedSecretCode77&realmId=123")
    assert "PastedSecretCode77" not in redact("the code PastedSecretCode77 was used")


def test_token_answers_from_recorded_fixtures() -> None:
    ok = json.loads((QBO_FIXTURES / "oauth_token_response.json").read_text())
    assert interpret_token_answer(200, ok, refreshing=True, via="relay") is ok
    assert ok["refresh_token"] not in redact(f"rt={ok['refresh_token']} at {ok['access_token']}")
    for name in ("oauth_error_invalid_grant.json", "oauth_error_invalid_grant_described.json"):
        body = json.loads((QBO_FIXTURES / name).read_text())
        with pytest.raises(InvalidGrant) as info:
            interpret_token_answer(400, body, refreshing=True, via="relay")
        assert "invalid_grant" in info.value.reason
        with pytest.raises(AuthorizationFailed):
            interpret_token_answer(400, body, refreshing=False, via="relay")
    with pytest.raises(ServiceError) as denied:
        interpret_token_answer(401, {"error": {"code": "unauthorized"}}, refreshing=True, via="relay")
    assert denied.value.title == "CrocoClick refused the API key"
    with pytest.raises(NetworkError):
        interpret_token_answer(502, {}, refreshing=True, via="relay")
    with pytest.raises(AuthorizationFailed):
        interpret_token_answer(400, {"error": "invalid_client"}, refreshing=False, via="direct")


def test_discovery_documents_match_the_default_endpoints() -> None:
    from crocoqb_desktop import settings

    for name in ("oauth_discovery_production.json", "oauth_discovery_sandbox.json"):
        doc = json.loads((QBO_FIXTURES / name).read_text())
        assert doc["authorization_endpoint"] == settings.INTUIT_AUTH_URL
        assert doc["token_endpoint"] == settings.INTUIT_TOKEN_URL
        assert doc["revocation_endpoint"] == settings.INTUIT_REVOKE_URL
        assert "client_secret_basic" in doc["token_endpoint_auth_methods_supported"]


def test_listener_second_answer_is_refused() -> None:
    """A reload or a second hand-off: the first answer counts, the code is never taken twice."""
    listener = LoopbackListener()
    base = f"http://127.0.0.1:{listener.port}/callback?state={listener.state}&realmId=5"
    try:
        assert _get(base + "&code=first-code")[0] == 200
        status, page = _get(base + "&code=second-code")
        assert status == 410 and "already used" in page
        assert listener.wait(5).code == "first-code"
    finally:
        listener.close()
