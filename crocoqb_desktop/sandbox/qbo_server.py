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
from datetime import timedelta
from typing import Any

from .base import Request, Response, SandboxServer, WindowCounter
from .qbo_common import (
    QboFault,
    dumps,
    envelope_time,
    invalid_id,
    invalid_query,
    loads,
    new_tid,
    not_found,
    now_local,
    parse_datetime,
    query_parse_error,
    required_missing,
    unsupported_operation,
)
from .qbo_data import READ_ONLY, SINGLETONS, SUPPORTED, URL_ENTITIES, Company, WriteContext
from .qbo_oauth import ACCOUNTING_SCOPE, OAuthError, OAuthState, consent_page, error_page
from .qbo_query import QueryEngine, parse_query
from .xsd_model import load_field_model

log = logging.getLogger(__name__)

_API_RE = re.compile(r"^/v3/company/([^/]+)(?:/.*)?$")
QBO_VERSION = "1925.186"  # any value: recorded answers carry a `Qbo-Version` header ([QBO_API])
# `minorversion`: any value is accepted; < 75 is answered as 75 (ref §2). No answer here depends on it.
CDC_MAX_OBJECTS = 1000  # ref §5
CDC_LOOKBACK = timedelta(days=30)  # ref §5
BATCH_MAX_ITEMS = 30  # ref §3 ([LIMITS] "recommended max 30 payloads per batch")
INJECTION_KINDS = ("429", "500", "503", "timeout", "401")

_THROTTLE_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<IntuitResponse time="{time}" xmlns="http://schema.intuit.com/finance/v3">
    <Fault type="SERVICE">
        <Error code="3001">
            <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>
            <Detail>The request limit was reached.  Try again later</Detail>
        </Error>
    </Fault>
</IntuitResponse>
"""  # throttle_429.xml


def _lower_fault(message: str, detail: str | None, code: str, fault_type: str) -> dict[str, Any]:
    """The lower-case envelope of 401/403 answers (fault_auth_401.json, fault_authorization_403.json)."""
    return {
        "warnings": None,
        "intuitObject": None,
        "fault": {
            "error": [{"message": message, "detail": detail, "code": code, "element": None}],
            "type": fault_type,
        },
        "report": None,
        "queryResponse": None,
        "batchItemResponse": [],
        "attachableResponse": [],
        "syncErrorResponse": None,
        "requestId": None,
        "time": int(time.time() * 1000),
        "status": None,
        "cdcresponse": [],
    }


def _json(data: Any, status: int = 200) -> Response:
    return Response(status, dumps(data), {"Content-Type": "application/json;charset=UTF-8"})


class QboSandbox(SandboxServer):
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
        self._second: dict[str, WindowCounter] = {}
        self.auto_consent = False
        self._injections: list[dict[str, Any]] = []
        self._minute: dict[str, WindowCounter] = {}
        self._batch_minute: dict[str, WindowCounter] = {}
        self._inflight: dict[str, int] = {}
        self._limit_lock = threading.Lock()
        self._replies: dict[tuple[str, str], Response] = {}  # (realm, requestid) -> original answer
        self._local = threading.local()
        self._add_routes()

    # ------------------------------------------------------------------------------------------
    # Python API
    # ------------------------------------------------------------------------------------------
    @property
    def authorize_url(self) -> str:
        return f"{self.url}/connect/oauth2"

    @property
    def token_url(self) -> str:
        return f"{self.url}/oauth2/v1/tokens/bearer"

    @property
    def revoke_url(self) -> str:
        return f"{self.url}/v2/oauth2/tokens/revoke"

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
                    return self._forbidden()
                if request_id:
                    # the same requestid returns the original answer without re-executing (ref §2; per realm)
                    stored = self._replies.get((realm, request_id))
                    if stored is not None:
                        return Response(stored.status, stored.body, dict(stored.headers))
                try:
                    data = handler(request, company)
                    response = data if isinstance(data, Response) else _json(data)
                except QboFault as fault:
                    response = _json(fault.body(), fault.status)
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
                with self._limit_lock:
                    self._inflight[slot] -= 1
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

    def _take_injection(self, path: str) -> str | None:
        with self.lock:
            for inj in self._injections:
                if inj["left"] <= 0:
                    continue
                wanted = inj["path_contains"]
                if (wanted is None and path.startswith("/v3/")) or (wanted is not None and wanted in path):
                    inj["left"] -= 1
                    return str(inj["kind"])
        return None

    def before_request(self, request: Request) -> Response | None:
        kind = self._take_injection(request.path)
        if kind == "429":
            return self._throttled()
        if kind == "500":
            if request.path.startswith("/v3/"):
                return _json(
                    QboFault(
                        "10000",
                        "An application error has occurred while processing your request",
                        "System Failure Error: An unexpected error occurred while accessing or saving "
                        "your data. Please wait a few minutes and try again. If the problem persists, "
                        "contact customer support.",
                        fault_type="SystemFault",
                        status=500,
                    ).body(),
                    500,
                )
            return Response.text(
                "<html><body><h1>500 Internal Server Error</h1></body></html>", 500, "text/html"
            )
        if kind == "503":
            return Response.text(
                "<html><body><h1>503 Service Unavailable</h1>"
                "<p>The server is temporarily unable to service your request.</p></body></html>",
                503,
                "text/html",
            )
        if kind == "401":
            if request.path.startswith("/v3/"):
                return self._unauthorized("Token expired: AB0" + str(int(time.time() * 1000)))
            return Response.json({"error": "invalid_client"}, 401)
        if kind == "timeout":
            self._local.delay = self.timeout_delay_s
        match = _API_RE.match(request.path)
        if match is None:
            return None
        realm = match.group(1)
        with self.lock:
            token, detail = self.oauth.check_access(request.header("Authorization"))
        if detail or token is None:
            return self._unauthorized(detail)
        if token.grant.realm_id != realm or ACCOUNTING_SCOPE not in token.grant.scope.split():
            return self._forbidden()  # ref §7.1: wrong realm / scope -> 403 code 3100
        with self._limit_lock:
            if self._inflight.get(realm, 0) >= self.concurrent_limit:
                return self._throttled()  # >10 concurrent requests per realm (ref §3)
            if self.requests_per_second:
                second = self._second.setdefault(
                    realm, WindowCounter(self.requests_per_second, 1, self.time_scale)
                )
                if not second.hit()[0]:
                    return self._throttled()  # 10 requests/second per realm (ref §3)
            minute = self._minute.setdefault(
                realm, WindowCounter(self.requests_per_minute, 60, self.time_scale)
            )
            is_batch = request.path.rstrip("/").endswith("/batch") and request.method == "POST"
            if is_batch:
                batch = self._batch_minute.setdefault(
                    realm, WindowCounter(self.batches_per_minute, 60, self.time_scale)
                )
                if not batch.hit()[0]:
                    return self._throttled()  # 40 batch requests/minute (ref §3)
            if not minute.hit()[0]:
                return self._throttled()  # 500 requests/minute, batches included (ref §3)
            self._inflight[realm] = self._inflight.get(realm, 0) + 1
            self._local.slot = realm
        if self.latency_s:
            time.sleep(self.latency_s)
        return None

    def _throttled(self) -> Response:
        # XML even when JSON was asked (ref §3, throttle_429.xml)
        return Response.text(_THROTTLE_XML.format(time=envelope_time()), 429, "application/xml")

    def _unauthorized(self, detail: str) -> Response:
        body = _lower_fault(
            "message=AuthenticationFailed; errorCode=003200; statusCode=401", detail, "3200", "AUTHENTICATION"
        )
        return Response(
            401,
            dumps(body),
            {
                "Content-Type": "application/json;charset=UTF-8",
                "WWW-Authenticate": 'Bearer realm="Intuit", error="invalid_token"',
            },
        )

    def _forbidden(self) -> Response:
        body = _lower_fault(
            "message=AuthorizationFailed; errorCode=003100; statusCode=403", None, "3100", "SERVICE"
        )
        return Response(403, dumps(body), {"Content-Type": "application/json;charset=UTF-8"})

    def not_found(self, request: Request) -> Response:
        if request.path.startswith("/v3/"):
            return self._unsupported(request)
        return Response.text(error_page("Page not found."), 404, "text/html; charset=utf-8")

    def method_not_allowed(self, request: Request) -> Response:
        if request.path.startswith("/v3/"):
            return self._unsupported(request)
        return Response.text(error_page("Method not allowed."), 405, "text/html; charset=utf-8")

    def _unsupported(self, request: Request) -> Response:
        # fault_unsupported_operation_500.json: HTTP 400, code "500"
        fault = unsupported_operation(
            f"Operation Could not find resource for relative : {request.path} of full path: "
            f"{self.url}{request.path} is not supported."
        )
        return _json(fault.body(), 400)

    def server_error(self, request: Request, exc: BaseException) -> Response:
        log.error("QBO sandbox bug on %s %s", request.method, request.path, exc_info=exc)
        if request.path.startswith("/v3/"):
            fault = QboFault(
                "10000",
                "An application error has occurred while processing your request",
                f"System Failure Error: {exc.__class__.__name__}",
                fault_type="SystemFault",
                status=500,
            )
            return _json(fault.body(), 500)
        return super().server_error(request, exc)

    # ------------------------------------------------------------------------------------------
    # OAuth endpoints (ref §1)
    # ------------------------------------------------------------------------------------------
    def _html(self, text: str, status: int = 200) -> Response:
        return Response.text(text, status, "text/html; charset=utf-8")

    def _authorize(self, request: Request) -> Response:
        with self.lock:
            ticket, redirect_error, error_text = self.oauth.start_consent(request.query)
            if redirect_error:
                return Response.redirect(redirect_error)
            if ticket is None:
                return self._html(error_page(error_text), 400)
            realms = list(self.companies)
            if self.auto_consent and not realms:
                return self._html(error_page("No QuickBooks company is available."), 400)
            if self.auto_consent:
                url = self.oauth.finish_consent(ticket, True, realms[0] if realms else "", realms)
                assert url is not None
                return Response.redirect(url)
            consent = self.oauth.consents[ticket]
            companies = [
                (r, str(c.objects["CompanyInfo"]["1"].get("CompanyName", r)))
                for r, c in self.companies.items()
            ]
        return self._html(
            consent_page(
                f"{self.url}/connect/oauth2/consent", ticket, consent.client_id, consent.scope, companies
            )
        )

    def _consent(self, request: Request) -> Response:
        form = request.form()
        with self.lock:
            realms = list(self.companies)
            if not realms and form.get("action") == "accept":
                return self._html(error_page("No QuickBooks company is available."), 400)
            url = self.oauth.finish_consent(
                form.get("ticket", ""), form.get("action") == "accept", form.get("realmId", ""), realms
            )
        if url is None:
            return self._html(error_page("This sign-in request has expired. Start again from the app."), 400)
        return Response.redirect(url)

    def _oauth_json(self, body: dict[str, Any], status: int = 200) -> Response:
        return Response.json(body, status, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _token(self, request: Request) -> Response:
        form = request.form()
        hard = (request.header("x-include-refresh-token-hard-expires-in") or "").lower() == "true"
        with self.lock:
            try:
                client = self.oauth.authenticate_client(request.headers, form)
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    if not form.get("code"):
                        return self._oauth_json({"error": "invalid_request"}, 400)
                    return self._oauth_json(self.oauth.exchange_code(client, form, hard))
                if grant_type == "refresh_token":
                    if not form.get("refresh_token"):
                        return self._oauth_json({"error": "invalid_request"}, 400)
                    return self._oauth_json(self.oauth.refresh_grant(client, form, hard))
                return self._oauth_json({"error": "unsupported_grant_type"}, 400)
            except OAuthError as err:
                return self._oauth_json(err.body, err.status)

    def _revoke(self, request: Request) -> Response:
        with self.lock:
            try:
                self.oauth.authenticate_client(request.headers, {})
            except OAuthError as err:
                return self._oauth_json(err.body, err.status)
            token = None
            try:
                data = request.json()
                token = data.get("token") if isinstance(data, dict) else None
            except ValueError:
                token = request.form().get("token")
            if not token:
                return self._oauth_json({"error": "invalid_request"}, 400)
            self.oauth.revoke_token(str(token))
        return Response(200, b"", {})

    def _discovery(self, request: Request) -> Response:
        # oauth_discovery_sandbox.json with this server's URLs
        return Response.json(
            {
                "issuer": "https://oauth.platform.intuit.com/op/v1",
                "authorization_endpoint": self.authorize_url,
                "token_endpoint": self.token_url,
                "userinfo_endpoint": f"{self.url}/v1/openid_connect/userinfo",
                "revocation_endpoint": self.revoke_url,
                "jwks_uri": f"{self.url}/op/v1/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile", "address", "phone"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
            }
        )

    # ------------------------------------------------------------------------------------------
    # API handlers
    # ------------------------------------------------------------------------------------------
    def _entity_of(self, request: Request) -> str:
        entity = URL_ENTITIES.get(request.params["entity"].lower())
        if entity is None:
            raise unsupported_operation(
                f"Operation Could not find resource for relative : {request.path} of full "
                f"path: {self.url}{request.path} is not supported."
            )
        return entity

    def _read(self, request: Request, company: Company) -> dict[str, Any]:
        entity = self._entity_of(request)
        oid = request.params["oid"]
        if entity in SINGLETONS:
            oid = "1"
        elif not oid.isdigit() and not (entity == "TaxCode" and oid in ("TAX", "NON")):
            raise invalid_id(oid)  # fault_invalid_id_2030.json
        return {entity: company.get(entity, oid), "time": envelope_time()}

    def _read_companyinfo(self, request: Request, company: Company) -> dict[str, Any]:
        oid = request.params["oid"]
        if oid not in (company.realm_id, "1"):
            raise invalid_id(oid) if not oid.isdigit() else not_found()
        return {"CompanyInfo": company.get("CompanyInfo", "1"), "time": envelope_time()}

    def _read_preferences(self, request: Request, company: Company) -> dict[str, Any]:
        return {"Preferences": company.get("Preferences", "1"), "time": envelope_time()}

    def _body_json(self, request: Request) -> Any:
        try:
            return loads(request.body or b"null")
        except ValueError as exc:
            raise QboFault(
                "2010",
                "Request has invalid or unsupported property",
                f"Property Name:Failed to parse the JSON request body ({exc}) specified is unsupported "
                "or invalid",
            ) from None

    def _write(self, request: Request, company: Company) -> dict[str, Any]:
        entity = self._entity_of(request)
        operation = request.query.get("operation")
        if entity in READ_ONLY:
            raise unsupported_operation(
                f"Operation {operation or 'create/update'} is not supported for {entity}."
            )
        body = self._body_json(request)
        obj = company.write(entity, body, operation)
        return {entity: obj, "time": envelope_time()}

    def _run_query(self, company: Company, text: str) -> dict[str, Any]:
        if not text or not text.strip():
            raise query_parse_error('Encountered "<EOF>" at line 1, column 0.')
        query = parse_query(text)
        self.queries.validate(query, self.model.entities())
        objects = company.all(query.entity) if query.entity in company.objects else []
        return self.queries.run(query, objects)

    def _query(self, request: Request, company: Company) -> dict[str, Any]:
        if request.method == "POST":  # Content-Type application/text, SELECT as body (ref §2)
            text = request.body.decode("utf-8", errors="replace")
        else:
            text = request.query.get("query", "")
        return {"QueryResponse": self._run_query(company, text), "time": envelope_time()}

    def _cdc(self, request: Request, company: Company) -> dict[str, Any]:
        raw_entities = request.query.get("entities", "")
        since_raw = request.query.get("changedSince", "")
        if not raw_entities.strip():
            raise required_missing("entities")
        if not since_raw.strip():
            raise required_missing("changedSince")
        by_lower = {e.lower(): e for e in self.model.entities()}
        entities: list[str] = []
        for name in raw_entities.split(","):
            entity = by_lower.get(
                name.strip().lower()
            )  # cdc_response.json was asked with `entities=estimate`
            if entity is None:
                raise invalid_query(f"invalid context declaration: {name.strip()}")
            if entity not in entities:
                entities.append(entity)
        try:
            since = parse_datetime(since_raw)
        except ValueError:
            raise QboFault(
                "2010",
                "Request has invalid or unsupported property",
                f"Property Name:changedSince value {since_raw!r} is not a valid date-time",
            ) from None
        if since < now_local() - CDC_LOOKBACK:
            # look-back limited to the last 30 days (ref §5); exact fault wording UNVERIFIED
            raise QboFault(
                "6000",
                "A business validation error has occurred while processing your request",
                "Business Validation Error: changedSince must be within the last 30 days.",
                "changedSince",
            )
        changed: list[tuple[Any, int, str, dict[str, Any]]] = []
        for entity in entities:
            if entity not in company.objects:
                continue
            for updated, obj in company.changed_since(entity, since):
                changed.append((updated, int(obj["Id"]) if str(obj["Id"]).isdigit() else 0, entity, obj))
        changed.sort(key=lambda c: (c[0], c[1]))
        changed = changed[:CDC_MAX_OBJECTS]  # at most 1,000 objects in all (ref §5): oldest first
        responses: list[dict[str, Any]] = []
        for entity in entities:
            objs = [c[3] for c in changed if c[2] == entity]
            responses.append({entity: objs, "startPosition": 1, "maxResults": len(objs)} if objs else {})
        return {"CDCResponse": [{"QueryResponse": responses}], "time": envelope_time()}

    def _batch(self, request: Request, company: Company) -> dict[str, Any]:
        body = self._body_json(request)
        items = body.get("BatchItemRequest") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            raise required_missing("BatchItemRequest")
        if len(items) > BATCH_MAX_ITEMS:
            # UNVERIFIED wording; [LIMITS] caps a batch at 30 payloads
            raise QboFault(
                "6000",
                "A business validation error has occurred while processing your request",
                f"Business Validation Error: a batch may hold at most {BATCH_MAX_ITEMS} items; "
                f"this one has {len(items)}.",
            )
        ctx = WriteContext()
        out: list[dict[str, Any]] = []
        for item in items:
            answer: dict[str, Any]
            bid = item.get("bId") if isinstance(item, dict) else None
            try:
                answer = self._batch_item(item, company, ctx)
            except QboFault as fault:
                f = fault.fault()
                for err in f["Error"]:
                    err.setdefault("element", "")  # batch_response.json
                answer = {"Fault": f}
            # objects created by an item stay invisible to later items (ref §3)
            ctx.hidden.update(ctx.created)
            answer["bId"] = bid
            out.append(answer)
        return {"BatchItemResponse": out, "time": envelope_time()}

    def _batch_item(self, item: Any, company: Company, ctx: WriteContext) -> dict[str, Any]:
        if not isinstance(item, dict):
            raise QboFault(
                "2010",
                "Request has invalid or unsupported property",
                "Property Name:BatchItemRequest items must be objects specified is unsupported or invalid",
            )
        if "Query" in item:
            return {"QueryResponse": self._run_query(company, str(item["Query"]))}
        keys = [k for k in item if k not in ("bId", "operation", "optionsData")]
        if len(keys) != 1:
            raise QboFault(
                "2010",
                "Request has invalid or unsupported property",
                f"Property Name:{','.join(keys) or '(none)'} specified is unsupported or invalid",
            )
        entity = keys[0]
        if entity not in SUPPORTED or entity in READ_ONLY:
            if entity in self.model.entities():
                raise unsupported_operation(f"Operation on {entity} is not supported by this sandbox.")
            raise QboFault(
                "2010",
                "Request has invalid or unsupported property",
                f'Property Name:Unrecognized field "{entity}" specified is unsupported or invalid',
            )
        operation = str(item.get("operation") or "create")
        if operation not in ("create", "update", "delete", "void"):
            raise unsupported_operation(f"Operation {operation} is not supported.")
        payload = item[entity]
        if operation == "update" and isinstance(payload, dict) and "Id" not in payload:
            raise required_missing("Id")
        obj = company.write(entity, payload, operation, ctx)
        return {entity: copy.deepcopy(obj)}
