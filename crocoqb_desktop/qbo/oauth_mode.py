"""What an OAuth mode offers, and the token-call parts relay and direct mode share."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol
from urllib.parse import urlsplit

from requests_oauthlib import OAuth2Session

from crocoqb_desktop.errors import NetworkError, ProtocolError, ServiceError
from crocoqb_desktop.messages import message
from crocoqb_desktop.net.retry import backoff_delay
from crocoqb_desktop.net.session import check_url_allowed
from crocoqb_desktop.qbo.oauth_answer import AuthorizationFailed, error_text
from crocoqb_desktop.qbo.tokens import InvalidGrant, reconnect_reason
from crocoqb_desktop.redaction import register_secret
from crocoqb_desktop.settings import is_loopback_host

# requests-oauthlib logs request bodies and tokens at DEBUG: never let that reach any handler
logging.getLogger("requests_oauthlib").setLevel(logging.WARNING)
logging.getLogger("oauthlib").setLevel(logging.WARNING)

RELAY_TIMEOUT = (10.0, 60.0)


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


def build_authorization_url(auth_url: str, client_id: str, redirect_uri: str, scopes: list[str], state: str) -> str:
    check_url_allowed(auth_url)
    with loopback_http_allowed(auth_url):
        session = OAuth2Session(client_id, redirect_uri=redirect_uri, scope=scopes, state=state)
        try:
            url, _ = session.authorization_url(auth_url)
        finally:
            session.close()
    return str(url)


_env_lock = threading.Lock()


@contextmanager
def loopback_http_allowed(*urls: str) -> Iterator[None]:
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
        raise AuthorizationFailed(message("oauth.token_refused", 'the token request was refused ({error})', error=error_text(error, description)),
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


def with_retries(call: Callable[[], dict[str, Any]], attempts: int = 3,
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

