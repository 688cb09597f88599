"""Direct mode: the company's own Intuit app keys, with HTTP Basic client authentication."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

from crocoqb_desktop.errors import NetworkError, ProtocolError, ServiceError
from crocoqb_desktop.messages import message
from crocoqb_desktop.net.session import USER_AGENT, check_url_allowed, make_session
from crocoqb_desktop.qbo.oauth_answer import CALLBACK_PATH, SCOPE_ACCOUNTING, AuthorizationFailed
from crocoqb_desktop.qbo.oauth_mode import (
    RELAY_TIMEOUT,
    build_authorization_url,
    interpret_token_answer,
    loopback_http_allowed,
    with_retries,
)
from crocoqb_desktop.redaction import register_secret
from crocoqb_desktop.settings import is_loopback_host

log = logging.getLogger("crocoqb.qbo.oauth")


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
        return build_authorization_url(self.auth_url, self.client_id, redirect_uri, self.scopes, state)

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
            with loopback_http_allowed(self.token_url):
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
        return with_retries(lambda: self._token_call(True, refresh_token=refresh_token), sleep=self._sleep)

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
