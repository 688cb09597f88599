"""The CrocoClick sandbox's request pipeline: routing, auth, rate limits, faults, idempotency, errors."""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from crocoqb_desktop.sandbox.base import Request, Response, WindowCounter
from crocoqb_desktop.sandbox.croco_common import (
    BURST_WINDOW_S,
    DAILY_WINDOW_S,
    IDEMPOTENCY_TTL_MS,
    _Bucket,
    _Ctx,
    _ctx,
    _fingerprint,
    _is_loopback,
    _Location,
    _rand,
    _RouteMeta,
)
from crocoqb_desktop.sandbox.croco_core import CrocoCore
from crocoqb_desktop.sandbox.croco_validation import (
    CrocoError,
    bad_request,
)

log = logging.getLogger("crocoqb.sandbox.croco")


class CrocoPipeline(CrocoCore):
    """Routes (`_api`, `_admin`) and what every request goes through before and after its handler."""

    def _route(
        self, method: str, pattern: str, handler: Callable[[Request], Response], meta: _RouteMeta
    ) -> None:
        self._meta[handler] = meta
        self.router.add(method, pattern, handler)

    def _api(
        self,
        method: str,
        pattern: str,
        handler: Callable[[Request, _Location], Response],
        permission: str | None,
        query: tuple[str, ...],
        *,
        idempotent: bool = False,
        locked: bool = True,
    ) -> None:
        allowed = frozenset(query)

        def wrapped(request: Request) -> Response:
            unknown = sorted(k for k in request.query if k not in allowed)
            if unknown:
                raise bad_request(f"unknown query parameter: {unknown[0]}", unknown[0], "unknown_parameter")
            loc = _ctx(request).location
            assert loc is not None
            if not locked:
                return handler(request, loc)
            with self.lock:
                if idempotent and request.header("idempotency-key") is not None:
                    return self._idempotent(request, loc, handler)
                return handler(request, loc)

        self._route(method, pattern, wrapped, _RouteMeta("api", permission))

    def _admin(self, method: str, pattern: str, handler: Callable[[Request], Any]) -> None:
        def wrapped(request: Request) -> Response:
            with self.lock:
                result = handler(request)
            return result if isinstance(result, Response) else Response.json(result)

        self._route(method, pattern, wrapped, _RouteMeta("admin"))

    def dispatch(self, request: Request) -> Response:
        ctx = _Ctx(request_id="req_" + _rand(16), original_path=request.path)
        request.ctx = ctx  # type: ignore[attr-defined]
        if request.path == "/v1" or request.path.startswith("/v1/"):
            request.path = request.path[3:] or "/"
        response = super().dispatch(request)
        return self._finish(request, response)

    def before_request(self, request: Request) -> Response | None:
        ctx = _ctx(request)
        handler, _params, _exists = self.router.match(request.method, request.path)
        if handler is None:
            return None  # 404 / 405 from the base class
        meta = self._meta[handler]
        ctx.meta = meta
        if meta.kind == "admin":
            if not _is_loopback(self._host):
                return self._error(request, 403, "forbidden", "admin routes are served on loopback only")
            return None
        if meta.kind == "api":
            early = self._authenticate(request, meta)
            if early is not None:
                return early
        return self._apply_fault(request)

    def _authenticate(self, request: Request, meta: _RouteMeta) -> Response | None:
        ctx = _ctx(request)
        auth = request.header("authorization") or ""
        m = re.match(r"^Bearer\s+(\S+)\s*$", auth, re.IGNORECASE)
        key = m.group(1) if m else None
        location_id = request.header("x-location-id")
        with self.lock:
            known = key is not None and key in self._keys
            key_locations = set(self._keys.get(key or "", ()))
            loc = self._locations.get(location_id or "")
        key_id = self.api_key_id(key) if known and key else None
        ctx.bucket_key = (key_id or "anonymous", location_id or "")
        # a long poll (`GET /events?wait=N`, N > 0) counts once, when it is answered: here it is only
        # refused if the limit is already reached
        ctx.count_when_answered = (
            request.path == "/events" and request.query.get("wait", "0") not in ("", "0") and known
        )
        limited = self._rate_limit(ctx, ctx.bucket_key, count=not ctx.count_when_answered)
        if limited is not None:
            ctx.count_when_answered = False  # refused at once: like any 429, it does not count
            return limited
        if not known:
            message = "missing API key" if not auth else "invalid or revoked API key"
            return self._error(request, 401, "unauthenticated", message)
        ctx.key_id = key_id
        if not location_id:
            return self._error(
                request,
                400,
                "invalid_request",
                "the X-Location-Id header is required",
                [{"field": "X-Location-Id", "issue": "required"}],
            )
        if len(location_id) > 64:
            return self._error(
                request,
                400,
                "invalid_request",
                "X-Location-Id is too long",
                [{"field": "X-Location-Id", "issue": "too_long"}],
            )
        if loc is None or location_id not in key_locations:
            return self._error(request, 403, "forbidden", "this API key is not valid for this location")
        if meta.permission and meta.permission not in loc.permissions:
            return self._error(
                request, 403, "forbidden", f"this API key lacks the {meta.permission} permission"
            )
        ctx.location = loc
        return None

    def _rate_limit(
        self, ctx: _Ctx, bucket_key: tuple[str, str], *, count: bool = True, force: bool = False
    ) -> Response | None:
        """Count one request (or with `count=False` only check that one more would be allowed;
        with `force=True` count it even over the limit: a held long poll being answered)."""
        with self._buckets_lock:
            bucket = self._buckets.get(bucket_key)
            if bucket is None:
                bucket = _Bucket(
                    WindowCounter(self.burst_limit, BURST_WINDOW_S, self.time_scale),
                    WindowCounter(self.daily_limit, DAILY_WINDOW_S, self.time_scale),
                    self.daily_limit,
                )
                self._buckets[bucket_key] = bucket
        allowed, remaining, reset = bucket.burst.hit(count=count, force=force)
        wait = reset
        if allowed:
            daily_ok, daily_remaining, daily_reset = bucket.daily.hit(count=count, force=force)
            bucket.daily_remaining = daily_remaining
            if not daily_ok:
                allowed, wait = False, daily_reset
        ctx.rate_headers = {
            "X-RateLimit-Limit": str(bucket.burst.limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(max(0, math.ceil(reset))),
            "X-RateLimit-Daily-Remaining": str(bucket.daily_remaining),
        }
        if allowed:
            return None
        retry_after = str(max(1, math.ceil(wait)))
        return self._error_ctx(
            ctx,
            429,
            "rate_limited",
            "rate limit exceeded; wait Retry-After seconds",
            headers={"Retry-After": retry_after},
        )

    def _take_fault(self, path: str) -> str | None:
        with self._faults_lock:
            for entry in self._faults:
                kind, _remaining, needle = entry
                if needle is None or needle in path:
                    entry[1] -= 1
                    if entry[1] <= 0:
                        self._faults.remove(entry)
                    return str(kind)
        return None

    def _apply_fault(self, request: Request) -> Response | None:
        kind = self._take_fault(_ctx(request).original_path)
        if kind is None:
            return None
        if kind == "429":
            return self._error(
                request,
                429,
                "rate_limited",
                "rate limit exceeded; wait Retry-After seconds",
                headers={"Retry-After": "1", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"},
            )
        if kind == "500":
            return self._error(request, 500, "internal", "internal error (injected)")
        if kind == "malformed_json":
            return Response(200, b'{"data": [{"id": "con_', {"Content-Type": "application/json"})
        if kind == "wrong_content_type":
            return Response.text(
                "<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>",
                200,
                "text/html; charset=utf-8",
            )
        if kind == "timeout":
            time.sleep(self.timeout_delay_s)
            return None
        _ctx(request).unknown_enum = True
        return None

    def _finish(self, request: Request, response: Response) -> Response:
        ctx = _ctx(request)
        if ctx.count_when_answered and ctx.bucket_key is not None:
            # a long poll counts now, when it is answered (whatever the answer), with fresh headers
            self._rate_limit(ctx, ctx.bucket_key, force=True)
        response.headers["X-Request-Id"] = ctx.request_id
        for name, value in ctx.rate_headers.items():
            response.headers.setdefault(name, value)
        if ctx.unknown_enum and 200 <= response.status < 300:
            response = _with_unknown_enum(response)
        if not (ctx.meta is not None and ctx.meta.kind == "admin"):
            self.request_log.append(_log_entry(request, response, ctx))
        return response

    def _idempotent(
        self, request: Request, loc: _Location, handler: Callable[[Request, _Location], Response]
    ) -> Response:
        key = request.header("idempotency-key") or ""
        if not 8 <= len(key) <= 128:
            raise bad_request(
                "Idempotency-Key must be 8 to 128 characters", "Idempotency-Key", "invalid_length"
            )
        ctx = _ctx(request)
        store_key = (ctx.key_id or "", loc.id, key)
        fingerprint = _fingerprint(request)
        now = self._now_ms()
        for k in [k for k, (_, exp, _) in self._idempotency.items() if exp <= now]:
            del self._idempotency[k]
        stored = self._idempotency.get(store_key)
        if stored is not None:
            if stored[0] != fingerprint:
                raise CrocoError(
                    409,
                    "idempotency_conflict",
                    "this Idempotency-Key was already used with a different request",
                )
            original = stored[2]
            return Response(original.status, original.body, dict(original.headers))
        response = handler(request, loc)
        if 200 <= response.status < 300:
            self._idempotency[store_key] = (
                fingerprint,
                now + IDEMPOTENCY_TTL_MS,
                Response(response.status, response.body, dict(response.headers)),
            )
        return response

    def _error(
        self,
        request: Request,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        return self._error_ctx(_ctx(request), status, code, message, details, headers)

    @staticmethod
    def _error_ctx(
        ctx: _Ctx,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        error: dict[str, Any] = {"code": code, "message": message, "requestId": ctx.request_id}
        if details:
            error["details"] = details
        return Response.json({"error": error}, status, headers)

    def not_found(self, request: Request) -> Response:
        return self._error(request, 404, "not_found", f"no such route: {request.method} {request.path}")

    def method_not_allowed(self, request: Request) -> Response:
        return self._error(request, 405, "invalid_request", f"method {request.method} not allowed here")

    def server_error(self, request: Request, exc: BaseException) -> Response:
        if isinstance(exc, CrocoError):
            return self._error(request, exc.status, exc.code, exc.message, exc.details, exc.headers)
        log.error("sandbox handler failed: %s", exc.__class__.__name__, exc_info=exc)
        return self._error(request, 500, "internal", f"internal error ({exc.__class__.__name__})")


def _with_unknown_enum(response: Response) -> Response:
    """The 'unknown_enum' fault: one record of the answer carries an enum value the spec lacks."""
    try:
        body = json.loads(response.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return response
    target = body
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        if not body["data"]:
            return response
        target = body["data"][0]
    if not isinstance(target, dict):
        return response
    if "sequence" in target and "type" in target:
        target["type"] = "invoice.disputed"
    elif "origin" in target and "status" in target:
        target["status"] = "disputed"
    elif "sourceType" in target:
        target["status"] = "disputed"
    elif "provider" in target and "arrivalDate" in target:
        target["status"] = "reversed"
    elif "channel" in target and "status" in target:
        target["status"] = "bounced"
    elif "permissions" in target:
        target["permissions"] = [*target["permissions"], "contacts.export"]
    elif "environment" in target:
        target["environment"] = "staging"
    return Response(
        response.status, json.dumps(body, separators=(",", ":")).encode("utf-8"), dict(response.headers)
    )


_SECRET_FORM_FIELDS = ("code", "refresh_token", "access_token", "token", "client_secret")


def _log_entry(request: Request, response: Response, ctx: _Ctx) -> dict[str, Any]:
    headers = {}
    for name, value in request.headers.items():
        if name == "authorization":
            value = "Bearer ***" if value.lower().startswith("bearer ") else "***"
        headers[name] = value
    query = {k: ("***" if k in _SECRET_FORM_FIELDS else v) for k, v in request.query.items()}
    body: str | None = request.body.decode("utf-8", errors="replace") if request.body else None
    if body is not None and request.path.startswith("/integrations/quickbooks/"):
        body = _mask_secrets(body)
    return {
        "method": request.method,
        "path": ctx.original_path,
        "query": query,
        "status": response.status,
        "headers": headers,
        "body": body,
        "requestId": ctx.request_id,
    }


def _mask_secrets(body: str) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return json.dumps({k: ("***" if k in _SECRET_FORM_FIELDS else v) for k, v in data.items()})
    from urllib.parse import parse_qsl

    pairs = parse_qsl(body, keep_blank_values=True)
    return urlencode([(k, "***" if k in _SECRET_FORM_FIELDS else v) for k, v in pairs])
