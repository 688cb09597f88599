"""Relay mode: CrocoClick is the registered Intuit app and relays the token calls."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

import requests

from crocoqb_desktop.errors import NetworkError, ProtocolError, ServiceError
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.net.session import check_url_allowed, make_session
from crocoqb_desktop.qbo.oauth_answer import CALLBACK_PATH, SCOPE_ACCOUNTING
from crocoqb_desktop.qbo.oauth_mode import (
    RELAY_TIMEOUT,
    build_authorization_url,
    interpret_token_answer,
    with_retries,
)
from crocoqb_desktop.redaction import register_secret


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
        return build_authorization_url(str(cfg["authorizationEndpoint"]), str(cfg["clientId"]), redirect_uri,
                                       scopes, state)

    def exchange_code(self, code: str, redirect_uri: str) -> dict[str, Any]:
        register_secret(code)
        status, body = self.relay.token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri})
        return interpret_token_answer(status, body, refreshing=False, via="relay")

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        def call() -> dict[str, Any]:
            status, body = self.relay.token({"grant_type": "refresh_token", "refresh_token": refresh_token})
            return interpret_token_answer(status, body, refreshing=True, via="relay")

        return with_retries(call, sleep=self._sleep)

    def revoke(self, token: str) -> None:
        self.relay.revoke(token)

    def api_base(self) -> str | None:
        base = self.config().get("apiBaseUrl")
        return str(base).rstrip("/") if base else None

    def close(self) -> None:
        close = getattr(self.relay, "close", None)
        if callable(close):
            close()
