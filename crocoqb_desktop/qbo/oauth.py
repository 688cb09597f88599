"""Intuit OAuth 2.0 for a desktop app, in the two modes of design-notes section 2.

Relay mode (default): CrocoClick is the registered Intuit app. The app reads
`GET /integrations/quickbooks/oauth-config`, opens the system browser at the authorization URL with
`state = cqb1.<port>.<nonce>`, and listens on 127.0.0.1:<port>. Intuit redirects to CrocoClick's HTTPS
return page, which hands the code to `http://127.0.0.1:<port>/callback`. The code is exchanged, and
tokens refreshed and revoked, through CrocoClick's token relay (authenticated with the CrocoClick key).

Direct mode: the company's own Intuit keys (client id in settings, secret in the keychain); Intuit's
endpoints with HTTP Basic client authentication; the redirect URI is usually
`http://localhost:<port>/callback` (accepted by Intuit for sandbox keys).

Both modes always expose the URL as text and accept a pasted redirect URL, or a bare code and company
id, when the browser hand-off cannot happen.
"""

from __future__ import annotations

import hmac
import html
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import requests
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

from crocoqb_desktop.errors import CrocoQBError, NetworkError, ProtocolError, ServiceError
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.net.retry import backoff_delay
from crocoqb_desktop.net.session import USER_AGENT, check_url_allowed, make_session
from crocoqb_desktop.qbo.tokens import InvalidGrant, reconnect_reason
from crocoqb_desktop.redaction import register_secret
from crocoqb_desktop.settings import is_loopback_host

log = logging.getLogger("crocoqb.qbo.oauth")
# requests-oauthlib logs request bodies and tokens at DEBUG: never let that reach any handler
logging.getLogger("requests_oauthlib").setLevel(logging.WARNING)
logging.getLogger("oauthlib").setLevel(logging.WARNING)

SCOPE_ACCOUNTING = "com.intuit.quickbooks.accounting"
STATE_PREFIX = "cqb1"
CALLBACK_PATH = "/callback"
_STATE_RE = re.compile(r"^cqb1\.(\d{4,5})\.([A-Za-z0-9_-]{16,128})$")
RELAY_TIMEOUT = (10.0, 60.0)


class AuthorizationFailed(CrocoQBError):  # noqa: N818 - reads better at call sites
    title = message("oauth.authorization_failed.title", "QuickBooks was not connected")
    fix = message("oauth.authorization_failed.fix", "Press Connect again (or run `crocoqb connect`) and accept the access in QuickBooks.")


# -- state ----------------------------------------------------------------------------------------
def make_state(port: int) -> str:
    """`cqb1.<port>.<nonce>`: the port tells CrocoClick's return page where to hand the code back;
    the nonce (43 URL-safe characters, 256 bits) ties the answer to this attempt."""
    if not 1024 <= port <= 65535:
        raise ValueError("the loopback port must be 1024-65535")
    return f"{STATE_PREFIX}.{port}.{secrets.token_urlsafe(32)}"


def state_port(state: str) -> int | None:
    m = _STATE_RE.match(state or "")
    return int(m.group(1)) if m else None


def states_match(expected: str | None, got: str | None) -> bool:
    if not expected or not got:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), got.encode("utf-8"))


@dataclass(frozen=True)
class CallbackResult:
    """What came back from the authorization step (a callback or a paste)."""

    code: str | None
    realm_id: str | None
    state: str | None = None
    error: str | None = None
    error_description: str | None = None

    def raise_for_error(self) -> None:
        if self.error:
            raise AuthorizationFailed(_error_text(self.error, self.error_description))
        if not self.code:
            raise AuthorizationFailed(message("oauth.no_code", "QuickBooks' answer did not contain an authorization code"))
        if not self.realm_id:
            raise AuthorizationFailed(
                message("oauth.no_realm", "QuickBooks' answer did not say which company was chosen (no realmId)"),
                fix=message("oauth.no_realm.fix", "Connect again, or paste the whole address of the page you landed on (it has realmId in it)."),
            )


def _error_text(error: str, description: str | None) -> Message:
    if error == "access_denied":
        return message("oauth.access_denied", "the access was declined in QuickBooks")
    if description:
        return message("oauth.answered.detail", "QuickBooks answered '{error}': {description}", error=error,
                       description=description)
    return message("oauth.answered", "QuickBooks answered '{error}'", error=error)


# -- the browser hand-off ----------------------------------------------------------------------------
_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>CrocoQB</title>
<style>body{{font-family:system-ui,sans-serif;margin:3em auto;max-width:34em;padding:0 1em;color:#222}}
h1{{font-size:1.4em}} .ok{{color:#17803d}} .err{{color:#b42318}} hr{{border:0;border-top:1px solid #ddd;margin:2em 0}}</style>
</head><body>
{blocks}
</body></html>
"""

_TEXTS = {
    "ok": {
        "en": ("CrocoQB is connected to QuickBooks", "You can close this tab and go back to CrocoQB."),
        "fr": ("CrocoQB est connecté à QuickBooks", "Vous pouvez fermer cet onglet et revenir à CrocoQB."),
    },
    "error": {
        "en": ("QuickBooks was not connected", "Go back to CrocoQB and try again."),
        "fr": ("QuickBooks n’a pas été connecté", "Revenez à CrocoQB et réessayez."),
    },
    "wrong_state": {
        "en": ("This sign-in does not belong to this CrocoQB window",
               "Start the connection again from CrocoQB and use the new page it opens."),
        "fr": ("Cette connexion ne correspond pas à cette fenêtre de CrocoQB",
               "Relancez la connexion depuis CrocoQB et utilisez la nouvelle page qu’il ouvre."),
    },
    "used": {
        "en": ("This sign-in was already used", "You can close this tab."),
        "fr": ("Cette connexion a déjà été utilisée", "Vous pouvez fermer cet onglet."),
    },
}

_REASONS_FR = {"access_denied": "l’accès a été refusé dans QuickBooks"}


def render_page(kind: str, *, error: str | None = None, description: str | None = None,
                accept_language: str | None = None) -> str:
    """The short bilingual page shown in the browser (English and French; preferred language first)."""
    langs = ["en", "fr"]
    if accept_language and accept_language.strip().lower().startswith("fr"):
        langs.reverse()
    css = "ok" if kind == "ok" else "err"
    blocks = []
    for lang in langs:
        title, body = _TEXTS[kind][lang]
        detail = ""
        if error:
            reason = _REASONS_FR.get(error) if lang == "fr" else None
            reason = reason or str(_error_text(error, description))
            detail = f"<p>{html.escape(reason)}</p>"
        blocks.append(
            f'<section lang="{lang}"><h1 class="{css}">{html.escape(title)}</h1>{detail}'
            f"<p>{html.escape(body)}</p></section>"
        )
    return _PAGE.format(blocks="\n<hr>\n".join(blocks))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = os.name != "nt"  # on Windows SO_REUSEADDR would let another program share the port


class LoopbackListener:
    """Receives the one authorization answer on http://127.0.0.1:<port><path>.

    Binds 127.0.0.1 only (never all interfaces), on an ephemeral port unless one is given; single
    use: the first answer carrying the exact `state` ends it; answers with another state get an error
    page and are ignored; other paths get 404.
    """

    def __init__(self, *, port: int = 0, path: str = CALLBACK_PATH, state: str | None = None) -> None:
        listener = self
        self.path = path
        self._result: CallbackResult | None = None
        self._done = threading.Event()
        self._answer_lock = threading.Lock()
        self._closed = False

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # the URL carries the code
                return

            def do_GET(self) -> None:  # noqa: N802
                listener._handle(self)

            def do_HEAD(self) -> None:  # noqa: N802
                self._reply(405, "")

            def do_POST(self) -> None:  # noqa: N802
                self._reply(405, "")

            def _reply(self, status: int, body: str) -> None:
                listener._send(self, status, body)

        try:
            self._server = _Server(("127.0.0.1", port), Handler)
        except OSError as exc:
            raise AuthorizationFailed(
                message("oauth.cannot_listen", "CrocoQB could not listen on 127.0.0.1 port {port} for QuickBooks' answer ({strerror})", port=str(port or 'any'), strerror=exc.strerror or exc.__class__.__name__),
                fix=message("oauth.cannot_listen.fix", "Close the program using that port, or change qbo.redirect_uri, then connect again."),
            ) from None
        self.port: int = int(self._server.server_address[1])
        self.state = state or make_state(self.port)
        register_secret(self.state)
        self._thread = threading.Thread(target=self._serve, name="qbo-oauth-listener", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            self._server.serve_forever(poll_interval=0.1)
        except Exception:  # pragma: no cover - the socket was closed under us
            pass

    @property
    def redirect_target(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def _send(self, handler: BaseHTTPRequestHandler, status: int, body: str) -> None:
        data = body.encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Cache-Control", "no-store")
        handler.send_header("Referrer-Policy", "no-referrer")
        handler.send_header("X-Content-Type-Options", "nosniff")
        handler.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        handler.send_header("Connection", "close")
        handler.end_headers()
        if handler.command != "HEAD" and data:
            handler.wfile.write(data)
        handler.close_connection = True

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        lang = handler.headers.get("Accept-Language")
        if split.path != self.path:
            self._send(handler, 404, "")
            return
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        with self._answer_lock:  # two answers at once: only the first one counts
            if self._done.is_set():
                self._send(handler, 410, render_page("used", accept_language=lang))
                return
            if not states_match(self.state, query.get("state")):
                log.warning("ignored an authorization answer with an unknown state")
                self._send(handler, 400, render_page("wrong_state", accept_language=lang))
                return
            register_secret(query.get("code"))
            result = CallbackResult(
                code=query.get("code") or None,
                realm_id=query.get("realmId") or None,
                state=query.get("state"),
                error=query.get("error") or None,
                error_description=query.get("error_description") or None,
            )
            if result.error or not result.code:
                error = result.error or "missing_code"
                self._send(handler, 400, render_page("error", error=error, description=result.error_description,
                                                      accept_language=lang))
            else:
                self._send(handler, 200, render_page("ok", accept_language=lang))
            self._result = result
            self._done.set()

    def wait(self, timeout_s: float) -> CallbackResult:
        """Block until the answer arrives; raises AuthorizationFailed after `timeout_s`."""
        try:
            if not self._done.wait(timeout_s):
                raise AuthorizationFailed(
                    message("oauth.timeout", 'no answer from QuickBooks within {timeout_s} seconds', timeout_s=int(timeout_s)),
                    title=message("oauth.timeout.title", "QuickBooks sign-in timed out"),
                    fix=message("oauth.timeout.fix", "Connect again and finish the sign-in in the browser, or use the paste option "
                    "(copy the address of the page you land on)."),
                )
            assert self._result is not None
            return self._result
        finally:
            self.close()

    def close(self) -> None:
        """Stops listening (synchronously: the port is free when this returns). Never call it from a
        request handler (it waits for the serving loop, which runs the handlers' dispatch)."""
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> LoopbackListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_LABELLED_CODE = re.compile(r"(?i)\bcode\b[\s:=]{1,5}([A-Za-z0-9._~+/-]{6,})")
_LABELLED_REALM = re.compile(r"(?i)(?:\brealm\s*-?_?id|\bcompany\s*id)\b[^0-9\n]{0,20}\n?[^0-9\n]{0,5}(\d{3,})")


def parse_pasted(text: str, *, expected_state: str | None = None) -> CallbackResult:
    """A pasted redirect URL (`...?code=..&state=..&realmId=..`), a query string, labelled text
    (`Code: ...  Realm ID: ...`) or a bare `CODE REALMID` pair. A state, when present, must match."""
    text = (text or "").strip()
    if not text:
        raise AuthorizationFailed(message("oauth.nothing_pasted", "nothing was pasted"), fix=message("oauth.nothing_pasted.fix", "Paste the address of the page you landed on."))
    query: dict[str, str] | None = None
    raw: str | None = None
    if "://" in text:
        split = urlsplit(text)
        raw = split.query or split.fragment
    elif "?" in text:
        raw = text.split("?", 1)[1]
    elif "=" in text and not re.search(r"\s", text):
        raw = text
    if raw is not None:
        query = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
    if query is not None and ("code" in query or "error" in query):
        state = query.get("state")
        if state and expected_state and not states_match(expected_state, state):
            raise AuthorizationFailed(
                message("oauth.paste_other_attempt", "the pasted address belongs to another connection attempt"),
                fix=message("oauth.paste_other_attempt.fix", "Start the connection again and paste the address from that attempt."),
            )
        register_secret(query.get("code"))
        return CallbackResult(
            code=query.get("code") or None,
            realm_id=query.get("realmId") or query.get("realm_id") or None,
            state=state,
            error=query.get("error") or None,
            error_description=query.get("error_description") or None,
        )
    code_m = _LABELLED_CODE.search(text)
    realm_m = _LABELLED_REALM.search(text)
    if code_m:
        realm = realm_m.group(1) if realm_m else None
        register_secret(code_m.group(1))
        return CallbackResult(code=code_m.group(1), realm_id=realm)
    tokens = [t for t in re.split(r"[\s,;]+", text) if t]
    if len(tokens) == 2:
        digits = [t for t in tokens if t.isdigit()]
        if len(digits) == 1:
            code = tokens[0] if tokens[1] == digits[0] else tokens[1]
            register_secret(code)
            return CallbackResult(code=code, realm_id=digits[0])
    raise AuthorizationFailed(
        message("oauth.paste_unrecognised", "the pasted text is neither the address of the page QuickBooks sent you to nor a code and company id"),
        fix=message("oauth.paste_unrecognised.fix", "Paste the whole address (it contains code=, state= and realmId=), or the code then the company id "
        "separated by a space."),
    )


# -- modes ------------------------------------------------------------------------------------------
class OAuthMode(Protocol):
    """What the connection service needs from either mode."""

    name: str

    def listener_address(self) -> tuple[int, str]:
        """(port, path) to listen on; port 0 = any free port."""
        ...

    def redirect_uri(self, port: int) -> str: ...

    def authorization_url(self, state: str, redirect_uri: str) -> str: ...

    def exchange_code(self, code: str, redirect_uri: str) -> dict[str, Any]: ...

    def refresh(self, refresh_token: str) -> dict[str, Any]: ...

    def revoke(self, token: str) -> None: ...

    def api_base(self) -> str | None: ...

    def close(self) -> None:
        """Releases HTTP connections (a mode object is cheap; build one per operation)."""
        ...


def _authorization_url(auth_url: str, client_id: str, redirect_uri: str, scopes: list[str], state: str) -> str:
    check_url_allowed(auth_url)
    with _loopback_http_allowed(auth_url):
        session = OAuth2Session(client_id, redirect_uri=redirect_uri, scope=scopes, state=state)
        try:
            url, _ = session.authorization_url(auth_url)
        finally:
            session.close()
    return str(url)


_env_lock = threading.Lock()


@contextmanager
def _loopback_http_allowed(*urls: str) -> Iterator[None]:
    """oauthlib refuses plain http everywhere; the sandbox runs on http://127.0.0.1. Allow it for the
    duration of one call when (and only when) every URL involved is https or loopback http."""
    needs = False
    for url in urls:
        parsed = urlsplit(url)
        if parsed.scheme == "http":
            if not is_loopback_host(parsed.hostname):
                raise ProtocolError(message("oauth.plain_http", 'refusing plain http to {hostname}', hostname=parsed.hostname))
            needs = True
    if not needs:
        yield
        return
    with _env_lock:
        previous = os.environ.get("OAUTHLIB_INSECURE_TRANSPORT")
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)
            else:
                os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = previous


def interpret_token_answer(status: int, body: dict[str, Any], *, refreshing: bool, via: str) -> dict[str, Any]:
    """Map a token endpoint's answer (Intuit's, possibly through the relay) to a result or an error."""
    if status == 200 and isinstance(body, dict) and body.get("access_token"):
        for key in ("access_token", "refresh_token", "id_token"):
            if isinstance(body.get(key), str):
                register_secret(body[key])
        return body
    error = str(body.get("error") or "") if isinstance(body, dict) else ""
    description = body.get("error_description") if isinstance(body, dict) else None
    description = str(description) if description else None
    if status == 400 and error == "invalid_grant":
        if refreshing:
            raise InvalidGrant(reconnect_reason(error, description))
        raise AuthorizationFailed(
            message("oauth.code_refused", "QuickBooks refused the authorization code (invalid_grant): it expired or was already used"),
        )
    if status == 400 and error:
        raise AuthorizationFailed(message("oauth.token_refused", 'the token request was refused ({error})', error=_error_text(error, description)),
                                  fix=message("oauth.token_refused.fix", "Check the QuickBooks app settings (client id, secret, redirect URI), "
                                  "then connect again."))
    if via == "relay" and status == 401:
        raise ServiceError(message("oauth.relay_key_refused", "CrocoClick refused the API key while connecting to QuickBooks"), status=401,
                           title=message("oauth.relay_key_refused.title", "CrocoClick refused the API key"),
                           fix=message("oauth.relay_key_refused.fix", "Run `crocoqb croco-login` (or open the CrocoClick card) with a valid API key."))
    if via == "relay" and status == 403:
        raise ServiceError(message("oauth.relay_forbidden", "CrocoClick refused access to this location's QuickBooks connection"), status=403,
                           title=message("oauth.relay_forbidden.title", "CrocoClick refused access"),
                           fix=message("oauth.relay_forbidden.fix", "Check the location id and the API key's permissions in CrocoClick."))
    if status == 401:
        raise AuthorizationFailed(message("oauth.client_refused", "Intuit refused the client id or secret (invalid_client)"),
                                  fix=message("oauth.client_refused.fix", "Check qbo.client_id and the client secret stored in the keychain."))
    if status == 429 or status >= 500:
        if via == "relay":
            raise NetworkError(message("oauth.relay_down", "CrocoClick's QuickBooks relay is unavailable right now "
                                       "(HTTP {status})", status=status), status=status)
        raise NetworkError(message("oauth.signin_down", "QuickBooks' sign-in service is unavailable right now "
                                   "(HTTP {status})", status=status), status=status)
    raise ProtocolError(message("oauth.token_unexpected", 'unexpected answer from the token endpoint (HTTP {status})', status=status), status=status)


def _with_retries(call: Callable[[], dict[str, Any]], attempts: int = 3,
                  sleep: Callable[[float], None] = time.sleep) -> dict[str, Any]:
    """A refresh is safe to retry (the old refresh token stays valid for a while after rotation)."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except NetworkError:
            if attempt >= attempts:
                raise
            sleep(backoff_delay(attempt, base_s=0.5, cap_s=5.0))
    raise AssertionError("unreachable")


# -- relay ------------------------------------------------------------------------------------------
class RelayApi(Protocol):
    """CrocoClick's QuickBooks relay (crococlick-api.yaml, tag QuickBooks)."""

    def oauth_config(self) -> dict[str, Any]: ...

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]: ...

    def revoke(self, token: str) -> None: ...


class HttpRelayApi:
    """The three relay operations over HTTP with the CrocoClick key (`Authorization: Bearer`,
    `X-Location-Id`). Kept tiny: the CrocoClick client may provide the same Protocol later."""

    def __init__(self, api_base: str, api_key: str, location_id: str, *,
                 timeout: tuple[float, float] = RELAY_TIMEOUT) -> None:
        register_secret(api_key)
        self.api_base = api_base.rstrip("/")
        self._headers = {"Authorization": f"Bearer {api_key}", "X-Location-Id": location_id,
                         "Accept": "application/json"}
        self._timeout = timeout
        self._session = make_session(pool_size=2)

    def close(self) -> None:
        self._session.close()

    def _post(self, path: str, **kwargs: Any) -> requests.Response:
        return self._call("POST", path, **kwargs)

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return self._session.request(method, self.api_base + path, headers=self._headers,
                                         timeout=self._timeout, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            raise NetworkError(message("oauth.relay_unreachable", 'CrocoClick could not be reached ({name})', name=exc.__class__.__name__)) from None

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _raise_for(self, response: requests.Response, what: Message) -> None:
        status = response.status_code
        if status == 401:
            raise ServiceError(message("oauth.relay_api_key", 'CrocoClick refused the API key ({what})', what=what), status=401,
                               title=message("oauth.relay_api_key.title", "CrocoClick refused the API key"),
                               fix=message("oauth.relay_api_key.fix", "Run `crocoqb croco-login` (or open the CrocoClick card) with a valid API key."))
        if status == 403:
            raise ServiceError(message("oauth.relay_access", 'CrocoClick refused access to this location ({what})', what=what), status=403,
                               title=message("oauth.relay_access.title", "CrocoClick refused access"),
                               fix=message("oauth.relay_access.fix", "Check the location id and the API key's permissions in CrocoClick."))
        if status == 429 or status >= 500:
            raise NetworkError(message("oauth.relay_unavailable", 'CrocoClick is unavailable right now ({what}, HTTP {status})', what=what, status=status), status=status)
        raise ProtocolError(message("oauth.relay_unexpected", 'unexpected answer from CrocoClick ({what}, HTTP {status})', what=what, status=status), status=status)

    def oauth_config(self) -> dict[str, Any]:
        response = self._call("GET", "/integrations/quickbooks/oauth-config")
        if response.status_code != 200:
            self._raise_for(response, message("oauth.what.settings", "QuickBooks settings"))
        return self._json(response)

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        response = self._post("/integrations/quickbooks/token", data=form)
        return response.status_code, self._json(response)

    def revoke(self, token: str) -> None:
        response = self._post("/integrations/quickbooks/revoke", json={"token": token})
        if response.status_code != 200:
            self._raise_for(response, message("oauth.what.revoking", "revoking the QuickBooks authorization"))


class RelayOAuth:
    """Relay mode: parameters and token calls through CrocoClick."""

    name = "relay"

    def __init__(self, relay: RelayApi, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.relay = relay
        self._config: dict[str, Any] | None = None
        self._sleep = sleep

    def config(self) -> dict[str, Any]:
        if self._config is None:
            cfg = self.relay.oauth_config()
            missing = [k for k in ("clientId", "authorizationEndpoint", "redirectUri") if not cfg.get(k)]
            if missing:
                raise ProtocolError(message("oauth.relay_config_incomplete", "CrocoClick's QuickBooks settings are "
                                            "incomplete ({missing})", missing=", ".join(missing)))
            check_url_allowed(str(cfg["authorizationEndpoint"]))
            if cfg.get("apiBaseUrl"):
                check_url_allowed(str(cfg["apiBaseUrl"]))
            self._config = cfg
        return self._config

    def listener_address(self) -> tuple[int, str]:
        return 0, CALLBACK_PATH

    def redirect_uri(self, port: int) -> str:
        return str(self.config()["redirectUri"])

    def authorization_url(self, state: str, redirect_uri: str) -> str:
        cfg = self.config()
        scopes = [str(s) for s in (cfg.get("scopes") or [SCOPE_ACCOUNTING])]
        return _authorization_url(str(cfg["authorizationEndpoint"]), str(cfg["clientId"]), redirect_uri, scopes,
                                  state)

    def exchange_code(self, code: str, redirect_uri: str) -> dict[str, Any]:
        register_secret(code)
        status, body = self.relay.token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri})
        return interpret_token_answer(status, body, refreshing=False, via="relay")

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        def call() -> dict[str, Any]:
            status, body = self.relay.token({"grant_type": "refresh_token", "refresh_token": refresh_token})
            return interpret_token_answer(status, body, refreshing=True, via="relay")

        return _with_retries(call, sleep=self._sleep)

    def revoke(self, token: str) -> None:
        self.relay.revoke(token)

    def api_base(self) -> str | None:
        base = self.config().get("apiBaseUrl")
        return str(base).rstrip("/") if base else None

    def close(self) -> None:
        close = getattr(self.relay, "close", None)
        if callable(close):
            close()


# -- direct -----------------------------------------------------------------------------------------
class DirectOAuth:
    """Direct mode: the company's own Intuit app keys, HTTP Basic client authentication."""

    name = "direct"

    def __init__(self, *, client_id: str, client_secret: str, auth_url: str, token_url: str, revoke_url: str,
                 redirect_uri: str = "", api_base: str | None = None, scopes: list[str] | None = None,
                 timeout: tuple[float, float] = RELAY_TIMEOUT, sleep: Callable[[float], None] = time.sleep) -> None:
        if not client_id or not client_secret:
            raise AuthorizationFailed(
                message("oauth.direct_keys_missing", "direct mode needs your Intuit app's client id (setting qbo.client_id) and client secret "
                "(in the keychain)"),
                title=message("oauth.direct_keys_missing.title", "QuickBooks app keys missing"),
                fix=message("oauth.direct_keys_missing.fix", "Set qbo.client_id and store the secret, or switch back with `crocoqb config set qbo.oauth relay`."),
            )
        register_secret(client_secret)
        for url in (auth_url, token_url, revoke_url):
            check_url_allowed(url)
        self.client_id = client_id
        self._secret = client_secret
        self.auth_url, self.token_url, self.revoke_url = auth_url, token_url, revoke_url
        self._redirect_uri = redirect_uri.strip()
        self._api_base = api_base.rstrip("/") if api_base else None
        self.scopes = scopes or [SCOPE_ACCOUNTING]
        self._timeout = timeout
        self._sleep = sleep

    def listener_address(self) -> tuple[int, str]:
        if self._redirect_uri:
            parsed = urlsplit(self._redirect_uri)
            if parsed.scheme == "http" and is_loopback_host(parsed.hostname) and parsed.port:
                return parsed.port, parsed.path or "/"
        return 0, CALLBACK_PATH

    def redirect_uri(self, port: int) -> str:
        return self._redirect_uri or f"http://localhost:{port}{CALLBACK_PATH}"

    def authorization_url(self, state: str, redirect_uri: str) -> str:
        return _authorization_url(self.auth_url, self.client_id, redirect_uri, self.scopes, state)

    def _token_call(self, refreshing: bool, redirect_uri: str | None = None, **kwargs: Any) -> dict[str, Any]:
        captured: dict[str, Any] = {}

        def capture(response: requests.Response) -> requests.Response:
            captured["status"] = response.status_code
            try:
                captured["body"] = response.json()
            except ValueError:
                captured["body"] = {}
            if response.status_code != 200:
                # stop before oauthlib parses it: our mapping knows the status, oauthlib does not
                raise _TokenAnswer(response.status_code, captured["body"])
            return response

        # no scope on the token session: nothing extra is sent on refresh, and no scope check on the answer
        session = OAuth2Session(self.client_id, redirect_uri=redirect_uri)
        session.headers["User-Agent"] = USER_AGENT
        hook = "refresh_token_response" if refreshing else "access_token_response"
        session.register_compliance_hook(hook, capture)
        auth = HTTPBasicAuth(self.client_id, self._secret)
        try:
            with _loopback_http_allowed(self.token_url):
                if refreshing:
                    token = session.refresh_token(self.token_url, auth=auth, timeout=self._timeout, **kwargs)
                else:
                    token = session.fetch_token(self.token_url, auth=auth, timeout=self._timeout,
                                                include_client_id=False, **kwargs)
        except _TokenAnswer as answer:
            return interpret_token_answer(answer.status, answer.body, refreshing=refreshing, via="direct")
        except requests.RequestException as exc:
            raise NetworkError(message("oauth.signin_unreachable", "QuickBooks' sign-in service could not be reached ({name})", name=exc.__class__.__name__)) \
                from None
        except Warning as exc:  # oauthlib: "Scope has changed"
            raise AuthorizationFailed(message("oauth.scope_changed", 'QuickBooks granted other permissions than asked ({exc})', exc=str(exc))) from None
        except Exception as exc:  # oauthlib errors on a 200 without a token, etc.
            raise ProtocolError(message("oauth.token_endpoint_unexpected", "unexpected answer from QuickBooks' token endpoint ({name})", name=exc.__class__.__name__)) \
                from None
        finally:
            session.close()
        body = dict(captured.get("body") or token)
        return interpret_token_answer(200, body, refreshing=refreshing, via="direct")

    def exchange_code(self, code: str, redirect_uri: str) -> dict[str, Any]:
        register_secret(code)
        return self._token_call(False, redirect_uri=redirect_uri, code=code)

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        return _with_retries(lambda: self._token_call(True, refresh_token=refresh_token), sleep=self._sleep)

    def revoke(self, token: str) -> None:
        session = make_session(pool_size=1)
        try:
            response = session.post(self.revoke_url, json={"token": token}, timeout=self._timeout,
                                    auth=HTTPBasicAuth(self.client_id, self._secret),
                                    headers={"Accept": "application/json"}, allow_redirects=False)
        except requests.RequestException as exc:
            raise NetworkError(message("oauth.revoke_unreachable", "QuickBooks' sign-in service could not be reached ({name})", name=exc.__class__.__name__)) \
                from None
        finally:
            session.close()
        if response.status_code == 200:
            return
        if response.status_code == 400:  # already invalid: nothing left to revoke
            log.info("QuickBooks said the token was already invalid when revoking it")
            return
        if response.status_code == 429 or response.status_code >= 500:
            raise NetworkError(message("oauth.revoke_unavailable", "QuickBooks' sign-in service is unavailable (HTTP {status})", status=response.status_code),
                               status=response.status_code)
        raise ServiceError(message("oauth.revoke_refused", 'QuickBooks refused to revoke the authorization (HTTP {status})', status=response.status_code),
                           status=response.status_code)

    def api_base(self) -> str | None:
        return self._api_base

    def close(self) -> None:
        return None


class _TokenAnswer(Exception):  # noqa: N818 - internal control flow
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.status = status
        self.body = body if isinstance(body, dict) else {}
