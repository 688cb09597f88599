"""The CrocoClick sandbox's state: setup, clock, look-ups, events commit, list pages (no routes)."""

from __future__ import annotations

import copy
import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from crocoqb_desktop.sandbox.base import Request, Response, SandboxServer
from crocoqb_desktop.sandbox.croco_common import (
    ALL_PERMISSIONS,
    BURST_LIMIT,
    DAILY_LIMIT,
    DAY_MS,
    DEFAULT_QBO_API_BASE,
    DEFAULT_QBO_AUTHORIZE_URL,
    DEFAULT_QBO_REVOKE_URL,
    DEFAULT_QBO_TOKEN_URL,
    EVENT_TYPES,
    FAULT_KINDS,
    RETENTION_DAYS,
    USER_ACTOR_ID,
    _Bucket,
    _ctx,
    _decode_cursor,
    _encode_cursor,
    _int_param,
    _Location,
    _rand,
    _RouteMeta,
    event_cursor,
    iso_ms,
    parse_timestamp_ms,
)
from crocoqb_desktop.sandbox.croco_validation import (
    CrocoError,
    bad_request,
)


class CrocoCore(SandboxServer):
    """State and helpers shared by every resource mixin; `CrocoSandbox` assembles them."""

    def __init__(
        self,
        *,
        time_scale: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
        qbo_authorize_url: str | None = None,
        qbo_token_url: str | None = None,
        qbo_revoke_url: str | None = None,
        qbo_api_base: str | None = None,
        qbo_client_id: str = "crocoqb-relay-client",
        qbo_client_secret: str = "relay-secret",
        qbo_environment: str = "sandbox",
    ) -> None:
        super().__init__(host=host, port=port)
        if time_scale <= 0:
            raise ValueError("time_scale must be > 0")
        if qbo_environment not in ("sandbox", "production"):
            raise ValueError("qbo_environment must be 'sandbox' or 'production'")
        self.time_scale = time_scale
        self.qbo_authorize_url = qbo_authorize_url or DEFAULT_QBO_AUTHORIZE_URL
        self.qbo_token_url = qbo_token_url or DEFAULT_QBO_TOKEN_URL
        self.qbo_revoke_url = qbo_revoke_url or DEFAULT_QBO_REVOKE_URL
        self.qbo_api_base = qbo_api_base or DEFAULT_QBO_API_BASE[qbo_environment]
        self.qbo_client_id = qbo_client_id
        self.qbo_client_secret = qbo_client_secret
        self.qbo_environment = qbo_environment
        self.burst_limit = BURST_LIMIT
        self.daily_limit = DAILY_LIMIT
        self.timeout_delay_s = 2.0
        self.relay_timeout_s = 15.0
        self.request_log: list[dict[str, Any]] = []
        self._locations: dict[str, _Location] = {}
        self._keys: dict[str, set[str]] = {}  # api key -> location ids
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._buckets_lock = threading.Lock()
        self._faults: list[list[Any]] = []  # [kind, remaining, path_contains]
        self._faults_lock = threading.Lock()
        self._idempotency: dict[tuple[str, str, str], tuple[str, int, Response]] = {}
        self._last_ms = 0
        self._clock_offset_ms = 0
        self._meta: dict[Any, _RouteMeta] = {}
        # notified (under self.lock) on every event commit and on stop: wakes held long polls
        self._events_cond = threading.Condition(self.lock)
        self._stopping = False
        self.held_polls = 0  # long polls being held right now (read by tests)
        #: False: behave like a server without long-poll support (`wait` is ignored: answers at once)
        self.long_poll = True
        self._relay = requests.Session()
        self._relay.trust_env = False  # never send the client secret through an environment proxy
        self._register_routes()

    def _register_routes(self) -> None:
        """Filled by the assembled server (`CrocoSandbox`)."""

    def add_location(
        self,
        location_id: str,
        *,
        name: str,
        country: str = "US",
        currency: str = "USD",
        timezone: str = "America/New_York",
        allow_duplicate_emails: bool = False,
        permissions: list[str] | None = None,
    ) -> None:
        perms = list(ALL_PERMISSIONS if permissions is None else permissions)
        unknown = [p for p in perms if p not in ALL_PERMISSIONS]
        if unknown:
            raise ValueError(f"unknown permissions: {unknown}")
        with self.lock:
            self._locations[location_id] = _Location(
                location_id, name, country, currency, timezone, allow_duplicate_emails, perms
            )

    def add_api_key(self, api_key: str, location_ids: list[str]) -> None:
        with self.lock:
            for loc in location_ids:
                if loc not in self._locations:
                    raise KeyError(f"unknown location {loc}")
            self._keys.setdefault(api_key, set()).update(location_ids)

    def revoke_api_key(self, api_key: str) -> None:
        """The key stops working (401), as when a user deletes it in CrocoClick."""
        with self.lock:
            self._keys.pop(api_key, None)

    def set_permissions(self, location_id: str, permissions: list[str]) -> None:
        with self.lock:
            self._loc(location_id).permissions = list(permissions)

    @staticmethod
    def api_key_id(api_key: str) -> str:
        """The public id of an API key (what events carry as `actor.id`; never the key itself)."""
        return "key_" + hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:12]

    def start(self) -> str:
        url = super().start()
        # base.py writes headers and body in two sends: with Nagle on, a keep-alive client (any
        # requests.Session) waits ~40 ms per call on the delayed ACK. The attribute is read per connection.
        assert self._httpd is not None
        self._httpd.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        return url

    def stop(self) -> None:
        with self.lock:  # held long polls answer (an empty page) at once
            self._stopping = True
            self._events_cond.notify_all()
        httpd = self._httpd
        if httpd is not None:
            # serve_forever() notices a shutdown only every 0.5 s; wake its selector with empty
            # connections so that stopping a sandbox takes milliseconds (tests start hundreds).
            waiter = threading.Thread(target=httpd.shutdown, daemon=True)
            waiter.start()
            host, port = httpd.server_address[:2]
            address = (str(host), int(port))
            while waiter.is_alive():
                try:
                    socket.create_connection(address, timeout=0.2).close()
                except OSError:
                    pass
                waiter.join(0.005)
        super().stop()
        self._relay.close()

    @property
    def api_base(self) -> str:
        """The value for the app's `croco.api_base` setting."""
        return self.url

    def inject(self, kind: str, count: int = 1, *, path_contains: str | None = None) -> None:
        """The next `count` requests whose path contains `path_contains` (any path if None; never the
        `/_sandbox/` admin routes) fail as `kind` (see FAULT_KINDS)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        if count < 1:
            raise ValueError("count must be >= 1")
        with self._faults_lock:
            self._faults.append([kind, count, path_contains])

    def clear_faults(self) -> None:
        with self._faults_lock:
            self._faults.clear()

    def advance_time(self, seconds: float) -> None:
        """Move the sandbox's wall clock forward (retention, idempotency and review windows)."""
        with self.lock:
            self._clock_offset_ms += int(seconds * 1000)

    def _now_ms(self) -> int:
        return int(time.time() * 1000) + self._clock_offset_ms

    def _stamp(self) -> int:
        """A strictly increasing millisecond timestamp (call under the lock)."""
        ms = max(self._now_ms(), self._last_ms + 1)
        self._last_ms = ms
        return ms

    def _loc(self, location_id: str) -> _Location:
        loc = self._locations.get(location_id)
        if loc is None:
            raise CrocoError(404, "not_found", f"no location {location_id}")
        return loc

    @staticmethod
    def _contact(loc: _Location, contact_id: str, *, allow_deleted: bool = False,
                 field: str | None = None) -> dict[str, Any]:
        """`field`: the request body field that named the contact (the 404 then says which)."""
        contact = loc.contacts.get(contact_id)
        return _found(None if contact is None or (contact["deletedAt"] and not allow_deleted) else contact,
                      "contact", contact_id, field)

    @staticmethod
    def _invoice(loc: _Location, invoice_id: str) -> dict[str, Any]:
        return _found(loc.invoices.get(invoice_id), "invoice", invoice_id)

    @staticmethod
    def _payment(loc: _Location, payment_id: str) -> dict[str, Any]:
        return _found(loc.payments.get(payment_id), "payment", payment_id)

    @staticmethod
    def _user_actor() -> dict[str, Any]:
        return {"type": "user", "id": USER_ACTOR_ID}

    @staticmethod
    def _api_actor(request: Request) -> dict[str, Any]:
        return {"type": "api_key", "id": _ctx(request).key_id}

    @staticmethod
    def _touch(loc: _Location, record: dict[str, Any], ms: int, *, versioned: bool = True) -> None:
        record["updatedAt"] = iso_ms(ms)
        loc.stamps[record["id"]] = ms
        if versioned:
            record["version"] += 1

    def _emit(
        self,
        loc: _Location,
        event_type: str,
        resource_type: str,
        resource: dict[str, Any],
        actor: dict[str, Any],
        ms: int,
        *,
        changed_fields: list[str] | None = None,
        refund_id: str | None = None,
    ) -> None:
        assert event_type in EVENT_TYPES
        seq = loc.next_sequence
        loc.next_sequence += 1
        event: dict[str, Any] = {
            "id": "evt_" + _rand(16),
            "cursor": event_cursor(seq),
            "sequence": seq,
            "type": event_type,
            "occurredAt": iso_ms(ms),
            "resourceType": resource_type,
            "resourceId": resource["id"],
        }
        if event_type == "payment.refunded":
            event["refundId"] = refund_id
        if event_type.endswith(".updated"):
            event["changedFields"] = list(changed_fields or [])
        event["actor"] = dict(actor)
        event["data"] = copy.deepcopy(resource)
        loc.events.append(event)
        loc.event_stamps.append(ms)
        self._events_cond.notify_all()

    def _prune_events(self, loc: _Location) -> None:
        cutoff = self._now_ms() - RETENTION_DAYS * DAY_MS
        drop = 0
        while drop < len(loc.events) and loc.event_stamps[drop] < cutoff:
            drop += 1
        if drop:
            loc.min_after = max(loc.min_after, loc.events[drop - 1]["sequence"])
            del loc.events[:drop]
            del loc.event_stamps[:drop]

    def _page(
        self,
        request: Request,
        loc: _Location,
        collection: dict[str, dict[str, Any]],
        keep: Callable[[dict[str, Any]], bool],
    ) -> Response:
        q = request.query
        limit = _int_param(q, "limit", 50, 1, 200)
        since = None
        if "updatedSince" in q:
            since = parse_timestamp_ms(q["updatedSince"])
            if since is None:
                raise bad_request(
                    "updatedSince must be an RFC 3339 date-time", "updatedSince", "invalid_date_time"
                )
        fingerprint = hashlib.sha256(
            json.dumps(sorted((k, v) for k, v in q.items() if k not in ("cursor", "limit"))).encode("utf-8")
        ).hexdigest()[:12]
        start: tuple[int, str] | None = None
        if "cursor" in q:
            start = _decode_cursor(q["cursor"], fingerprint)
        keyed = sorted(
            (loc.stamps[r["id"]], r["id"])
            for r in collection.values()
            if keep(r) and (since is None or loc.stamps[r["id"]] >= since)
        )
        if start is not None:
            keyed = [k for k in keyed if k > start]
        page = keyed[:limit]
        has_more = len(keyed) > limit
        next_cursor = _encode_cursor(page[-1], fingerprint) if has_more else None
        return Response.json(
            {
                "data": [copy.deepcopy(collection[rid]) for _, rid in page],
                "nextCursor": next_cursor,
                "hasMore": has_more,
            }
        )


def _found(record: dict[str, Any] | None, kind: str, record_id: str, field: str | None = None) -> dict[str, Any]:
    if record is None:
        details = [{"field": field, "issue": "not_found"}] if field else None
        raise CrocoError(404, "not_found", f"no {kind} {record_id} in this location", details)
    return record
