"""Embedded QuickBooks Online sandbox: Intuit OAuth 2.0 + the Accounting API v3, on 127.0.0.1.

It behaves like the real service as described in `../shared/docs/qbo-reference.md` ("ref §N") and
the recorded payloads of `../shared/fixtures/qbo/` (cited by file name), so that a client that works
against it works against QBO unchanged. Company data and write rules live in `qbo_data`, the query
language in `qbo_query`, OAuth in `qbo_oauth`, and the field model in `xsd_model` (Intuit's XSD).

Endpoints (`url` = the started server's base URL):
- `GET {url}/connect/oauth2` consent page (form posting to `{url}/connect/oauth2/consent` with fields
  `ticket`, `realmId`, `action=accept|cancel`); `POST {url}/oauth2/v1/tokens/bearer`;
  `POST {url}/v2/oauth2/tokens/revoke`; `GET {url}/.well-known/openid-sandbox-configuration`.
- `{url}/v3/company/{realmId}/{entity}[/{id}]`, `/query`, `/cdc`, `/batch`, `/companyinfo/{realmId}`,
  `/preferences`.
- Modules: OAuth endpoints `qbo_oauth_routes`, API handlers `qbo_api_routes`, limits `qbo_limits`,
  fault answers and injections `qbo_fault_answers`; this one wires them into the server.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from .base import Request, Response
from .qbo_api_routes import BATCH_MAX_ITEMS, CDC_LOOKBACK, CDC_MAX_OBJECTS, ApiRoutes
from .qbo_common import QboFault, dumps, loads, new_tid
from .qbo_data import SUPPORTED, Company
from .qbo_fault_answers import (
    INJECTION_KINDS,
    forbidden,
    injected_failure,
    json_response,
    page_not_found,
    system_fault,
    take_injection,
    throttled,
    unauthorized,
)
from .qbo_limits import RealmLimits
from .qbo_oauth import ACCOUNTING_SCOPE, OAuthState
from .qbo_oauth_routes import OAuthRoutes
from .qbo_query import QueryEngine
from .xsd_model import load_field_model

__all__ = ["BATCH_MAX_ITEMS", "CDC_LOOKBACK", "CDC_MAX_OBJECTS", "INJECTION_KINDS", "QBO_VERSION", "QboSandbox"]

log = logging.getLogger(__name__)

_API_RE = re.compile(r"^/v3/company/([^/]+)(?:/.*)?$")
QBO_VERSION = "1925.186"  # any value: recorded answers carry a `Qbo-Version` header ([QBO_API])
# `minorversion`: any value is accepted; < 75 is answered as 75 (ref §2). No answer here depends on it.


class QboSandbox(OAuthRoutes, ApiRoutes):
    """See the module docstring. Public knobs besides the constructor arguments: `timeout_delay_s`,
    `latency_s` (every API request sleeps that long, holding its concurrency slot), `requests_per_minute`,
    `concurrent_limit`, `batches_per_minute`, `requests_per_second` (None = off; set before the first
    request of a realm), `auto_consent`
    (the authorize URL redirects at once with a code for the first company).

    `request_log`: one dict per API (/v3/) request: method, path, query, status, and body (the request
    JSON parsed with plain floats, or None). It never holds tokens (they travel in headers)."""

    name = "qbo-sandbox"

    def __init__(
        self,
        *,
        time_scale: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
        access_token_ttl_s: int = 3600,
        refresh_grace_s: float = 0.0,
    ) -> None:
        super().__init__(host, port)
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.time_scale = time_scale
        self.model = load_field_model()
        self.queries = QueryEngine(self.model)
        self.oauth = OAuthState(time_scale, access_token_ttl_s, refresh_grace_s)
        self.companies: dict[str, Company] = {}
        self.request_log: list[dict[str, Any]] = []
        self.timeout_delay_s = 5.0
        self.latency_s = 0.0
        self.requests_per_minute = 500  # ref §3 [LIMITS]
        self.concurrent_limit = 10  # ref §3
        self.batches_per_minute = 40  # ref §3
        #: 10 requests per second per realm and app (ref §3, Intuit's current limits page); None = off
        self.requests_per_second: int | None = 10
        self.auto_consent = False
        self._injections: list[dict[str, Any]] = []
        self.limits = RealmLimits()
        self._replies: dict[tuple[str, str], Response] = {}  # (realm, requestid) -> original answer
        self._local = threading.local()
        self._add_routes()

    # ------------------------------------------------------------------------------------------
    # Python API
    # ------------------------------------------------------------------------------------------
    @property
    def api_base(self) -> str:
        return self.url

    @property
    def refresh_count(self) -> int:
        """Token requests with grant_type=refresh_token from an authenticated client (failed ones too)."""
        return self.oauth.refresh_count

    @property
    def exchange_count(self) -> int:
        """Token requests with grant_type=authorization_code from an authenticated client
        (failed ones too)."""
        return self.oauth.exchange_count

    def add_company(
        self,
        realm_id: str,
        *,
        preset: str = "us",
        name: str = "Croco Demo Co",
        custom_txn_numbers: bool | None = None,
        multicurrency: bool = False,
    ) -> None:
        """A new company. "us": USD, automated sales tax (PartnerTaxEnabled), CustomTxnNumbers on.
        "ca": CAD, GST/HST/QST tax codes, no AST, CustomTxnNumbers off (QBO numbers the documents)."""
        with self.lock:
            self.companies[str(realm_id)] = Company(
                str(realm_id),
                self.model,
                preset=preset,
                name=name,
                custom_txn_numbers=custom_txn_numbers,
                multicurrency=multicurrency,
            )

    def register_client(self, client_id: str, client_secret: str, redirect_uris: list[str]) -> None:
        """Registers (or replaces) an app's keys and its exact redirect URIs."""
        with self.lock:
            self.oauth.register_client(client_id, client_secret, redirect_uris)

    def issue_tokens(self, client_id: str, realm_id: str) -> dict[str, Any]:
        """A grant minted without the browser; the Intuit-shaped token response."""
        with self.lock:
            if client_id not in self.oauth.clients:
                raise KeyError(f"unknown client {client_id!r}")
            if realm_id not in self.companies:
                raise KeyError(f"unknown realm {realm_id!r}")
            return self.oauth.mint(self.oauth.new_grant(client_id, realm_id))

    def revoke_grant(self, realm_id: str) -> None:
        """The user disconnected the app in QuickBooks: every token of the realm stops working."""
        with self.lock:
            self.oauth.revoke_realm(realm_id)

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.oauth.expire_access_tokens()

    def entities(self, realm_id: str, entity: str, include_inactive: bool = True) -> list[dict[str, Any]]:
        """Deep copies of the stored objects (Decimal amounts), by numeric Id."""
        with self.lock:
            objs = self.companies[realm_id].all(entity)
            if not include_inactive:
                objs = [o for o in objs if o.get("Active", True) is not False]
            objs.sort(key=lambda o: (0, int(o["Id"])) if str(o["Id"]).isdigit() else (1, str(o["Id"])))
            return copy.deepcopy(objs)

    def merge_customers(self, realm_id: str, from_id: str, into_id: str) -> dict[str, Any]:
        """A QuickBooks user merged customer `from_id` into `into_id` (sandbox/qbo_merge.py)."""
        from .qbo_merge import merge_customers

        with self.lock:
            return copy.deepcopy(merge_customers(self.companies[realm_id], from_id, into_id))

    def put_entity(self, realm_id: str, entity: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Seeds an object directly (no token, no SyncToken check), through the same validation and
        money math as the API; an `Id` replaces that object, supplied `MetaData` times are kept.
        Raises QboFault when QBO would refuse the object."""
        if entity not in SUPPORTED:
            raise KeyError(f"unsupported entity {entity!r}")
        with self.lock:
            stored = self.companies[realm_id].write(entity, loads(dumps(obj)), None, seeding=True)
            return copy.deepcopy(stored)

    def inject(self, kind: str, count: int = 1, *, path_contains: str | None = None) -> None:
        """The next `count` matching requests fail: "429" (XML throttle body), "500", "503", "401" (token
        expired body) or "timeout" (the request is applied, then answered after `timeout_delay_s`).
        Without `path_contains` only API requests (/v3/) match; with it, any path containing it."""
        if kind not in INJECTION_KINDS:
            raise ValueError(f"unknown injection {kind!r}; use one of {INJECTION_KINDS}")
        with self.lock:
            self._injections.append({"kind": kind, "left": count, "path_contains": path_contains})

    def start(self) -> str:
        url = super().start()
        if self._httpd is not None:
            # headers and body leave in two writes: without TCP_NODELAY each keep-alive answer waits ~40 ms
            self._httpd.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        return url

    def stop(self) -> None:
        """Like the base, but wakes the serve loop so stopping takes milliseconds, not its 0.5 s poll."""
        httpd = self._httpd
        if httpd is None:
            return
        stopper = threading.Thread(target=httpd.shutdown, daemon=True)
        stopper.start()
        host, port = httpd.server_address[:2]
        while stopper.is_alive():
            try:
                socket.create_connection((str(host), int(port)), timeout=0.2).close()
            except OSError:
                pass
            stopper.join(0.02)
        httpd.server_close()
        self._httpd = None

    # ------------------------------------------------------------------------------------------
    # routes
    # ------------------------------------------------------------------------------------------
    def _add_routes(self) -> None:
        r = self.router
        r.add("GET", "/connect/oauth2", self._authorize)
        r.add("POST", "/connect/oauth2/consent", self._consent)
        r.add("POST", "/oauth2/v1/tokens/bearer", self._token)
        r.add("POST", "/v2/oauth2/tokens/revoke", self._revoke)
        r.add("GET", "/.well-known/openid-sandbox-configuration", self._discovery)
        r.add("GET", "/.well-known/openid_configuration", self._discovery)
        base = "/v3/company/{realm}"
        r.add("GET", f"{base}/query", self._api(self._query))
        r.add("POST", f"{base}/query", self._api(self._query))
        r.add("GET", f"{base}/cdc", self._api(self._cdc))
        r.add("POST", f"{base}/batch", self._api(self._batch, write=True))
        r.add("GET", f"{base}/companyinfo/{{oid}}", self._api(self._read_companyinfo))
        r.add("GET", f"{base}/preferences", self._api(self._read_preferences))
        r.add("POST", f"{base}/{{entity}}", self._api(self._write, write=True))
        r.add("GET", f"{base}/{{entity}}/{{oid}}", self._api(self._read))

    def _api(
        self, handler: Callable[[Request, Company], Any], write: bool = False
    ) -> Callable[[Request], Response]:
        """Runs an API handler under the data lock; QboFault -> Fault body; requestid replay for writes."""

        def run(request: Request) -> Response:
            realm = request.params["realm"]
            request_id = request.query.get("requestid") if write else None
            with self.lock:
                company = self.companies.get(realm)
                if company is None:
                    return forbidden()
                if request_id:
                    # the same requestid returns the original answer without re-executing (ref §2; per realm)
                    stored = self._replies.get((realm, request_id))
                    if stored is not None:
                        return Response(stored.status, stored.body, dict(stored.headers))
                try:
                    data = handler(request, company)
                    response = data if isinstance(data, Response) else json_response(data)
                except QboFault as fault:
                    response = json_response(fault.body(), fault.status)
                if request_id:
                    self._replies[(realm, request_id)] = Response(
                        response.status, response.body, dict(response.headers)
                    )
                return response

        return run

    # ------------------------------------------------------------------------------------------
    # request pipeline: injection -> auth -> limits (ref §1, §3)
    # ------------------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        tid = new_tid()
        self._local.slot = None
        self._local.delay = 0.0
        try:
            response = super().dispatch(request)
            delay = self._local.delay
            if delay:
                time.sleep(delay)  # the write was applied; the answer comes too late ("timeout")
        finally:
            slot = self._local.slot
            if slot is not None:
                self.limits.release(slot)
        response.headers.setdefault("intuit_tid", tid)  # every answer (ref §1.6, §2)
        response.headers.setdefault("Intuit-Tid", tid)
        if response.headers.get("Content-Type", "").startswith(
            "application/json"
        ) and request.path.startswith("/v3/"):
            response.headers.setdefault("Qbo-Version", QBO_VERSION)
        if request.path.startswith("/v3/"):
            body: Any = None
            if request.body:
                try:  # plain JSON (floats), so that tests can json.dumps() the log
                    body = json.loads(request.body)
                except ValueError:
                    body = None
            with self.lock:
                self.request_log.append(
                    {
                        "method": request.method,
                        "path": request.path,
                        "query": dict(request.query),
                        "status": response.status,
                        "body": body,
                    }
                )
        return response

    def before_request(self, request: Request) -> Response | None:
        with self.lock:
            kind = take_injection(self._injections, request.path)
        failure = injected_failure(kind, request.path)
        if failure is not None:
            return failure
        if kind == "timeout":
            self._local.delay = self.timeout_delay_s
        match = _API_RE.match(request.path)
        if match is None:
            return None
        realm = match.group(1)
        with self.lock:
            token, detail = self.oauth.check_access(request.header("Authorization"))
        if detail or token is None:
            return unauthorized(detail)
        if token.grant.realm_id != realm or ACCOUNTING_SCOPE not in token.grant.scope.split():
            return forbidden()  # ref §7.1: wrong realm / scope -> 403 code 3100
        admitted = self.limits.admit(
            realm,
            is_batch=request.path.rstrip("/").endswith("/batch") and request.method == "POST",
            concurrent_limit=self.concurrent_limit,
            requests_per_second=self.requests_per_second,
            requests_per_minute=self.requests_per_minute,
            batches_per_minute=self.batches_per_minute,
            time_scale=self.time_scale,
        )
        if not admitted:
            return throttled()
        self._local.slot = realm
        if self.latency_s:
            time.sleep(self.latency_s)
        return None

    def not_found(self, request: Request) -> Response:
        return page_not_found(request.path, self.url)

    def method_not_allowed(self, request: Request) -> Response:
        return page_not_found(request.path, self.url, method_not_allowed=True)

    def server_error(self, request: Request, exc: BaseException) -> Response:
        log.error("QBO sandbox bug on %s %s", request.method, request.path, exc_info=exc)
        if request.path.startswith("/v3/"):
            return system_fault(exc.__class__.__name__)
        return super().server_error(request, exc)
