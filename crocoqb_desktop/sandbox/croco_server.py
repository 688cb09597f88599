"""The embedded CrocoClick sandbox: a local server implementing `crococlick-api.yaml` exactly.

Used by the demo mode and the tests. Besides the spec's routes it serves only admin routes under
`/_sandbox/` (no auth; refused unless the server is bound to a loopback address) that mirror what
CrocoClick users and customers do in the CrocoClick app, so that scripts and CLI-driven tests can
drive it; the same actions are Python methods (`create_contact`, `create_invoice`,
`record_payment`, ...).

Python API (what other code and tests use): `add_location`, `add_api_key`, `revoke_api_key`,
`set_permissions`, `api_key_id(key)` (the `actor.id` of API writes), `return_page_url`, the user/customer
actions (`create_contact`, `update_contact`, `delete_contact`, `create_invoice`, `send_invoice`,
`update_invoice`, `void_invoice`, `record_payment`, `refund_payment`; fields in the API's camelCase,
snake_case accepted too; errors raise `CrocoError` with `.status`, `.code`, `.details`), readers
(`contacts`, `invoices`, `payments`, `review_requests`, `events`, `event_head`, `contact`, `invoice`,
`payment`, `payouts`, `payout`, `unsettled_items`), payouts (`create_payout`, `set_payout_status`),
test controls (`inject`, `clear_faults`, `timeout_delay_s`, `held_polls`, `expire_events_older_than`,
`advance_time`, `burst_limit`/`daily_limit` set before the first request, `request_log`).

Admin routes (JSON bodies, camelCase or snake_case keys, answers are the resulting resource):
POST /_sandbox/{loc}/contacts, PATCH|DELETE /_sandbox/{loc}/contacts/{id}, POST /_sandbox/{loc}/invoices
(`send: true` to send at once), POST /_sandbox/{loc}/invoices/{id}/send, PATCH /_sandbox/{loc}/invoices/{id},
POST /_sandbox/{loc}/invoices/{id}/void, POST /_sandbox/{loc}/payments,
POST /_sandbox/{loc}/payments/{id}/refund ({amount, reason?, feeReturned?}),
POST /_sandbox/{loc}/payouts ({provider?, currency?, adjustments?: [{amount, fee?, kind?, description?}],
bankAccountLast4?, arrivalDate?, status?}: a payout of the unsettled processor balance, see
croco_payouts.py), POST /_sandbox/{loc}/payouts/{id}/status ({status, arrivalDate?}), GET /_sandbox/{loc}/state,
POST /_sandbox/{loc}/events/expire ({sequence}), POST /_sandbox/faults ({kind, count?, pathContains?}).
Errors use the spec's Error shape.

Choices where the spec leaves room (documented so that clients and tests know what to expect):
- Paths are served at the root (`{url}/contacts`); a `/v1` prefix (`{url}/v1/contacts`, as in the
  production server URL) is accepted too.
- Timestamps have millisecond precision and strictly increase across the sandbox (a write in the
  same millisecond as the previous one gets the next millisecond), so `(updatedAt, id)` keys never
  go backwards and a cursor walk has no gaps.
- Rate limits: 100 requests per sliding 10 s window and 50,000 per sliding 24 h window, per API key
  and location (unauthenticated calls share one bucket per location header). `time_scale`
  compresses both windows (10.0: the 10 s window lasts 1 s). `X-RateLimit-Reset` and `Retry-After`
  are in *real* seconds, rounded up, `Retry-After` at least 1 (the spec demands an integer >= 1),
  so a client that honours `Retry-After` literally never retries too early; at time_scale > 1 it
  may wait slightly longer than strictly needed.
- Idempotency: keys are scoped to (API key, location); only 2xx answers are stored (24 h, sandbox
  clock), so a retry after an error runs again. Same key + same method, path and JSON body
  (compared after parsing) replays the stored answer; anything else is 409 `idempotency_conflict`.
- Unknown fields in `additionalProperties: false` bodies are 400 `invalid_request` (details name the
  field); wrong types, formats, patterns and lengths are 422 `validation_failed` with details.
- A PATCH that changes nothing is a no-op (no new version, no event). A change that only touches
  `externalRefs` bumps `version` and `updatedAt` but emits no event.
- Events: `POST /invoices` (an import) emits one `invoice.sent` (actor `api_key`), the first event of
  any invoice per the spec, whatever the imported status. Refunds do not change the invoice a
  payment paid. An `after` cursor ahead of the head is 400 `invalid_request` (invalid cursor).
- Payments `PATCH` (externalRefs) ignores `If-Match` (payments have no version).
- Long poll (`GET /events?wait=N`): held on a Condition notified at every event commit; `wait` is in
  real seconds (not scaled by `time_scale`); with `types`, held until a *matching* event exists (see
  `_h_events`). The held request is refused at arrival only if the rate limit is already reached and
  is counted when it is answered. `stop()` answers held requests at once (empty page).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import logging
import math
import re
import secrets
import socket
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import requests

from crocoqb_desktop.sandbox.base import Request, Response, SandboxServer, WindowCounter
from crocoqb_desktop.sandbox.croco_payouts import PayoutsMixin
from crocoqb_desktop.sandbox.croco_totals import ZERO, compute_totals, fmt_money, round_money, to_decimal
from crocoqb_desktop.sandbox.croco_validation import (
    AMOUNT_RE,
    Checker,
    CrocoError,
    bad_request,
    is_email,
    merge_external_refs,
    normalise_email,
    validate_contact_write,
    validate_invoice_create,
    validate_invoice_update,
    validate_payment_refs,
    validate_review_create,
)

__all__ = ["CrocoSandbox", "CrocoError", "ALL_PERMISSIONS", "EVENT_TYPES"]

log = logging.getLogger("crocoqb.sandbox.croco")

ALL_PERMISSIONS = [
    "contacts.read",
    "contacts.write",
    "invoices.read",
    "invoices.write",
    "payments.read",
    "payments.write_refs",
    "events.read",
    "reviews.write",
]
EVENT_TYPES = (
    "contact.created",
    "contact.updated",
    "contact.deleted",
    "invoice.sent",
    "invoice.updated",
    "invoice.partially_paid",
    "invoice.paid",
    "invoice.voided",
    "payment.succeeded",
    "payment.failed",
    "payment.refunded",
    "payout.paid",
    "payout.failed",
    "review_request.sent",
)
INVOICE_STATUSES = ("draft", "sent", "partially_paid", "paid", "void")
PAYMENT_STATUSES = ("succeeded", "refunded", "partially_refunded", "failed")
PAYMENT_SOURCE_TYPES = ("order_form", "subscription", "checkout", "calendar", "invoice", "manual")
PAYMENT_METHOD_TYPES = ("card", "bank_debit", "bank_transfer", "wallet", "cash", "cheque", "other")
FAULT_KINDS = ("429", "500", "malformed_json", "wrong_content_type", "timeout", "unknown_enum")

RETENTION_DAYS = 30
DAY_MS = 86_400_000
IDEMPOTENCY_TTL_MS = DAY_MS
REVIEW_WINDOW_MS = 30 * DAY_MS
BURST_LIMIT = 100
BURST_WINDOW_S = 10.0
DAILY_LIMIT = 50_000
DAILY_WINDOW_S = 86_400.0

USER_ACTOR_ID = "usr_sandbox_owner"
STATE_RE = re.compile(r"^cqb1\.(\d{4,5})\.([A-Za-z0-9_~-]{16,128})$")
TIMESTAMP_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$"
)
CURSOR_HEX_RE = re.compile(r"^[0-9a-fA-F]{1,64}$")
_ALPHABET = string.ascii_letters + string.digits

DEFAULT_QBO_AUTHORIZE_URL = "https://appcenter.intuit.com/connect/oauth2"
DEFAULT_QBO_TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
DEFAULT_QBO_REVOKE_URL = "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"
DEFAULT_QBO_API_BASE = {
    "sandbox": "https://sandbox-quickbooks.api.intuit.com",
    "production": "https://quickbooks.api.intuit.com",
}
QBO_SCOPES = ["com.intuit.quickbooks.accounting"]

_CONTACT_KEYS = (
    "id",
    "firstName",
    "lastName",
    "companyName",
    "displayName",
    "email",
    "additionalEmails",
    "phone",
    "address",
    "tags",
    "source",
    "preferredCurrency",
    "dnd",
    "createdAt",
    "updatedAt",
    "deletedAt",
    "version",
    "externalRefs",
)
_BOOKKEEPING = {"updatedAt", "version"}
# fields an invoice status event already explains (no separate invoice.updated for them)
_STATUS_FIELDS = {"status", "amountPaid", "amountDue", "paymentIds", "paidAt", "voidedAt", "sentAt", "billTo"}
_STATUS_EVENT = {
    "sent": "invoice.sent",
    "partially_paid": "invoice.partially_paid",
    "paid": "invoice.paid",
    "void": "invoice.voided",
}


def _rand(n: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(n))


def _new_id(prefix: str) -> str:
    return f"{prefix}_{_rand(10)}"


def iso_ms(ms: int) -> str:
    """RFC 3339 UTC with milliseconds, e.g. 2025-03-01T14:05:09.123Z."""
    whole = datetime.fromtimestamp(ms // 1000, UTC)
    return whole.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"


def parse_timestamp_ms(text: str) -> int | None:
    """An RFC 3339 timestamp as epoch milliseconds (rounded up: `updatedSince` is inclusive)."""
    text = text.strip()
    # an unencoded '+' in a query string arrives as a space
    text = re.sub(r" (\d{2}:\d{2})$", r"+\1", text)
    m = TIMESTAMP_RE.match(text)
    if not m:
        return None
    day, clock, frac, tz = m.groups()
    try:
        dt = datetime.fromisoformat(f"{day}T{clock}{'+00:00' if tz in ('Z', 'z') else tz}")
    except ValueError:
        return None
    frac_ns = int((frac or "0").ljust(9, "0"))
    return int(dt.timestamp()) * 1000 + math.ceil(frac_ns / 1_000_000)


def event_cursor(sequence: int) -> str:
    return f"{sequence:016x}"


@dataclass
class _Location:
    id: str
    name: str
    country: str
    currency: str
    timezone: str
    allow_duplicate_emails: bool
    permissions: list[str]
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    payments: dict[str, dict[str, Any]] = field(default_factory=dict)
    reviews: dict[str, dict[str, Any]] = field(default_factory=dict)
    payouts: dict[str, dict[str, Any]] = field(default_factory=dict)
    settled: set[str] = field(default_factory=set)  # "pay:<id>" / "ref:<id>" movements in a live payout
    payout_moves: dict[str, list[str]] = field(default_factory=dict)  # payout id -> its movement keys
    events: list[dict[str, Any]] = field(default_factory=list)
    stamps: dict[str, int] = field(default_factory=dict)  # record id -> updatedAt in ms
    review_stamps: dict[str, int] = field(default_factory=dict)  # review id -> createdAt in ms
    event_stamps: list[int] = field(default_factory=list)  # parallel to `events`
    emails: dict[str, set[str]] = field(default_factory=dict)  # normalised email -> live contact ids
    next_sequence: int = 1
    min_after: int = 0  # the oldest `after` that can still be served (older -> 410)
    next_invoice_number: int = 1001


@dataclass
class _RouteMeta:
    kind: str  # "api" | "public" | "admin"
    permission: str | None = None


@dataclass
class _Ctx:
    request_id: str
    original_path: str = ""
    meta: _RouteMeta | None = None
    key_id: str | None = None
    location: _Location | None = None
    rate_headers: dict[str, str] = field(default_factory=dict)
    bucket_key: tuple[str, str] | None = None
    count_when_answered: bool = False  # a long poll counts against the rate limit when answered
    unknown_enum: bool = False


@dataclass
class _Bucket:
    burst: WindowCounter
    daily: WindowCounter
    daily_remaining: int


def _ctx(request: Request) -> _Ctx:
    return request.ctx  # type: ignore[attr-defined,no-any-return]


class CrocoSandbox(PayoutsMixin, SandboxServer):
    """A CrocoClick API server on 127.0.0.1 with in-memory data (see the module docstring)."""

    name = "croco-sandbox"

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

    # ------------------------------------------------------------------------------------------------
    # setup
    # ------------------------------------------------------------------------------------------------
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
    def return_page_url(self) -> str:
        return f"{self.url}/oauth/quickbooks/return"

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

    def expire_events_older_than(self, location_id: str, sequence: int) -> None:
        """Drop events with a sequence below `sequence`, as retention would: an `after` cursor older
        than `sequence - 1` then answers 410 `cursor_expired`."""
        with self.lock:
            loc = self._loc(location_id)
            keep = [i for i, e in enumerate(loc.events) if e["sequence"] >= sequence]
            loc.events = [loc.events[i] for i in keep]
            loc.event_stamps = [loc.event_stamps[i] for i in keep]
            loc.min_after = max(loc.min_after, sequence - 1)

    # ------------------------------------------------------------------------------------------------
    # reading state (Python API)
    # ------------------------------------------------------------------------------------------------
    def contacts(self, location_id: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        with self.lock:
            loc = self._loc(location_id)
            return [copy.deepcopy(c) for c in loc.contacts.values() if include_deleted or not c["deletedAt"]]

    def invoices(self, location_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(list(self._loc(location_id).invoices.values()))

    def payments(self, location_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(list(self._loc(location_id).payments.values()))

    def review_requests(self, location_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(list(self._loc(location_id).reviews.values()))

    def events(self, location_id: str) -> list[dict[str, Any]]:
        with self.lock:
            loc = self._loc(location_id)
            self._prune_events(loc)
            return copy.deepcopy(loc.events)

    def event_head(self, location_id: str) -> dict[str, Any]:
        with self.lock:
            seq = self._loc(location_id).next_sequence - 1
            return {"cursor": event_cursor(seq), "sequence": seq, "retentionDays": RETENTION_DAYS}

    def contact(self, location_id: str, contact_id: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._contact(self._loc(location_id), contact_id, allow_deleted=True))

    def invoice(self, location_id: str, invoice_id: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._invoice(self._loc(location_id), invoice_id))

    def payment(self, location_id: str, payment_id: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._payment(self._loc(location_id), payment_id))

    # ------------------------------------------------------------------------------------------------
    # what CrocoClick users and customers do in the app
    # ------------------------------------------------------------------------------------------------
    def create_contact(self, location_id: str, **fields: Any) -> dict[str, Any]:
        """A user adds a contact (ContactWrite fields plus `dnd`); emits contact.created (actor user)."""
        with self.lock:
            loc = self._loc(location_id)
            data = validate_contact_write(_camel_keys(fields), create=True, extra_fields=("dnd",))
            return copy.deepcopy(self._contact_create(loc, data, self._user_actor()))

    def update_contact(self, location_id: str, contact_id: str, **fields: Any) -> dict[str, Any]:
        """A user edits a contact; emits contact.updated (actor user) unless only externalRefs changed."""
        with self.lock:
            loc = self._loc(location_id)
            contact = self._contact(loc, contact_id)
            data = validate_contact_write(_camel_keys(fields), create=False, extra_fields=("dnd",))
            return copy.deepcopy(self._contact_update(loc, contact, data, self._user_actor()))

    def delete_contact(self, location_id: str, contact_id: str) -> dict[str, Any]:
        """A user deletes a contact (soft delete); emits contact.deleted with the last state."""
        with self.lock:
            loc = self._loc(location_id)
            contact = self._contact(loc, contact_id)
            ms = self._stamp()
            _index_emails(loc, contact, None)
            contact["deletedAt"] = iso_ms(ms)
            self._touch(loc, contact, ms)
            self._emit(loc, "contact.deleted", "contact", contact, self._user_actor(), ms)
            return copy.deepcopy(contact)

    def create_invoice(
        self,
        location_id: str,
        *,
        contact_id: str,
        items: list[dict[str, Any]],
        discount: dict[str, Any] | None = None,
        currency: str | None = None,
        number: str | None = None,
        issue_date: str | None = None,
        due_date: str | None = None,
        memo: str | None = None,
        send: bool = False,
        external_refs: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A user creates an invoice (`origin: crococlick`), a draft unless `send`. Drafts emit nothing."""
        with self.lock:
            loc = self._loc(location_id)
            contact = self._contact(loc, contact_id)
            c = Checker()
            checked_items = c.line_items(_camel_items(items), "items")
            checked_discount = c.discount(discount, "discount") if discount is not None else None
            if currency is not None:
                c.pattern(currency, "currency", re.compile(r"^[A-Z]{3}$"), "invalid_currency")
            if number is not None:
                c.string(number, "number", max_length=40, min_length=1)
            if issue_date is not None:
                c.date(issue_date, "issueDate")
            if due_date is not None:
                c.date(due_date, "dueDate")
            c.string(memo, "memo", nullable=True, max_length=4000)
            c.done()
            assert checked_items is not None
            if number is None:
                number = self._next_invoice_number(loc)
            else:
                self._check_number_free(loc, number, None)
            ms = self._stamp()
            inv = self._invoice_new(
                loc,
                ms,
                origin="crococlick",
                status="draft",
                number=number,
                contact=contact,
                issue_date=issue_date or iso_ms(ms)[:10],
                due_date=due_date,
                currency=currency or loc.currency,
                items=checked_items,
                discount=checked_discount,
                memo=memo,
                refs=external_refs or {},
                amount_paid=ZERO,
                keep_tax=False,
            )
            if send:
                inv = self._invoice_update(loc, inv, {"status": "sent"}, self._user_actor())
            return copy.deepcopy(inv)

    def send_invoice(self, location_id: str, invoice_id: str) -> dict[str, Any]:
        """A user sends a draft (emits invoice.sent)."""
        with self.lock:
            loc = self._loc(location_id)
            inv = self._invoice(loc, invoice_id)
            if inv["status"] != "draft":
                raise CrocoError(
                    422,
                    "validation_failed",
                    f"invoice {invoice_id} is not a draft",
                    [{"field": "status", "issue": "invalid_transition"}],
                )
            return copy.deepcopy(self._invoice_update(loc, inv, {"status": "sent"}, self._user_actor()))

    def update_invoice(self, location_id: str, invoice_id: str, **fields: Any) -> dict[str, Any]:
        """A user edits an invoice (number, issueDate/issue_date, dueDate/due_date, items, discount, memo,
        externalRefs); emits invoice.updated with changedFields (nothing for drafts)."""
        with self.lock:
            loc = self._loc(location_id)
            inv = self._invoice(loc, invoice_id)
            body = _camel_keys(fields)
            if "items" in body:
                body["items"] = _camel_items(body["items"])
            if "status" in body or "amountPaid" in body or "notify" in body:
                raise CrocoError(
                    400,
                    "invalid_request",
                    "use send_invoice/void_invoice/record_payment to change the status",
                )
            data = validate_invoice_update(body)
            return copy.deepcopy(self._invoice_update(loc, inv, data, self._user_actor()))

    def void_invoice(self, location_id: str, invoice_id: str) -> dict[str, Any]:
        """A user voids an invoice (emits invoice.voided unless it was a draft)."""
        with self.lock:
            loc = self._loc(location_id)
            inv = self._invoice(loc, invoice_id)
            if inv["status"] == "void":
                raise CrocoError(
                    422,
                    "validation_failed",
                    f"invoice {invoice_id} is already void",
                    [{"field": "status", "issue": "invalid_transition"}],
                )
            return copy.deepcopy(self._invoice_update(loc, inv, {"status": "void"}, self._user_actor()))

    def record_payment(
        self,
        location_id: str,
        *,
        contact_id: str,
        source_type: str,
        items: list[dict[str, Any]] | None = None,
        discount: dict[str, Any] | None = None,
        invoice_id: str | None = None,
        amount: str | None = None,
        method: dict[str, Any] | None = None,
        status: str = "succeeded",
        currency: str | None = None,
        source_name: str | None = None,
        mode: str = "live",
        paid_at: str | None = None,
        fee: Any = None,
        source_id: str | None = None,
        order_id: str | None = None,
        subscription_id: str | None = None,
        failure_reason: str | None = None,
    ) -> dict[str, Any]:
        """A customer pays (or a user records a manual payment). Emits payment.succeeded or
        payment.failed; a succeeded invoice payment also updates the invoice (amountPaid, status)
        and emits invoice.partially_paid / invoice.paid."""
        with self.lock:
            loc = self._loc(location_id)
            return copy.deepcopy(
                self._payment_record(
                    loc,
                    contact_id=contact_id,
                    source_type=source_type,
                    items=items,
                    discount=discount,
                    invoice_id=invoice_id,
                    amount=amount,
                    method=method,
                    status=status,
                    currency=currency,
                    source_name=source_name,
                    mode=mode,
                    paid_at=paid_at,
                    fee=fee,
                    source_id=source_id,
                    order_id=order_id,
                    subscription_id=subscription_id,
                    failure_reason=failure_reason,
                )
            )

    def refund_payment(
        self,
        location_id: str,
        payment_id: str,
        amount: str,
        reason: str | None = None,
        fee_returned: str | None = None,
    ) -> dict[str, Any]:
        """A user refunds (part of) a payment; emits payment.refunded with the new refund's id."""
        with self.lock:
            loc = self._loc(location_id)
            pay = self._payment(loc, payment_id)
            if pay["status"] not in ("succeeded", "partially_refunded"):
                raise CrocoError(
                    422,
                    "validation_failed",
                    f"payment {payment_id} cannot be refunded",
                    [{"field": "status", "issue": "not_refundable"}],
                )
            value = _amount_arg(amount, "amount")
            refundable = to_decimal(pay["amount"]) - to_decimal(pay["amountRefunded"])
            if value <= 0 or value > refundable:
                raise CrocoError(
                    422,
                    "validation_failed",
                    f"refund amount must be between 0.01 and {refundable}",
                    [{"field": "amount", "issue": "out_of_range"}],
                )
            returned = _amount_arg(fee_returned, "feeReturned") if fee_returned is not None else None
            ms = self._stamp()
            refund = {
                "id": _new_id("ref"),
                "amount": fmt_money(value),
                "refundedAt": iso_ms(ms),
                "reason": reason,
                "feeReturned": fmt_money(returned) if returned is not None else None,
            }
            pay["refunds"].append(refund)
            total_refunded = to_decimal(pay["amountRefunded"]) + value
            pay["amountRefunded"] = fmt_money(total_refunded)
            pay["status"] = (
                "refunded" if total_refunded >= to_decimal(pay["amount"]) else "partially_refunded"
            )
            pay["net"] = _payment_net(pay)
            self._touch(loc, pay, ms, versioned=False)
            self._emit(
                loc, "payment.refunded", "payment", pay, self._user_actor(), ms, refund_id=refund["id"]
            )
            return copy.deepcopy(pay)

    # ------------------------------------------------------------------------------------------------
    # routes
    # ------------------------------------------------------------------------------------------------
    def _register_routes(self) -> None:
        api = self._api
        api("GET", "/me", self._h_me, None, ())
        api(
            "GET",
            "/contacts",
            self._h_list_contacts,
            "contacts.read",
            ("updatedSince", "cursor", "limit", "includeDeleted"),
        )
        api("POST", "/contacts", self._h_create_contact, "contacts.write", (), idempotent=True)
        api("GET", "/contacts/search", self._h_search_contacts, "contacts.read", ("email",))
        api("GET", "/contacts/{contactId}", self._h_get_contact, "contacts.read", ())
        api("PATCH", "/contacts/{contactId}", self._h_update_contact, "contacts.write", (), idempotent=True)
        api(
            "GET",
            "/invoices",
            self._h_list_invoices,
            "invoices.read",
            ("updatedSince", "cursor", "limit", "status", "contactId", "origin"),
        )
        api("POST", "/invoices", self._h_create_invoice, "invoices.write", (), idempotent=True)
        api("GET", "/invoices/{invoiceId}", self._h_get_invoice, "invoices.read", ())
        api("PATCH", "/invoices/{invoiceId}", self._h_update_invoice, "invoices.write", (), idempotent=True)
        api(
            "GET",
            "/payments",
            self._h_list_payments,
            "payments.read",
            ("updatedSince", "cursor", "limit", "status", "sourceType", "contactId", "invoiceId", "mode"),
        )
        api("GET", "/payments/{paymentId}", self._h_get_payment, "payments.read", ())
        api(
            "PATCH",
            "/payments/{paymentId}",
            self._h_update_payment,
            "payments.write_refs",
            (),
            idempotent=True,
        )
        api(
            "GET",
            "/payouts",
            self._h_list_payouts,
            "payments.read",
            ("updatedSince", "cursor", "limit", "status"),
        )
        api("GET", "/payouts/{payoutId}", self._h_get_payout, "payments.read", ())
        api(
            "PATCH",
            "/payouts/{payoutId}",
            self._h_update_payout,
            "payments.write_refs",
            (),
            idempotent=True,
        )
        api("GET", "/events", self._h_events, "events.read", ("after", "limit", "wait", "types"))
        api("GET", "/events/head", self._h_events_head, "events.read", ())
        api("POST", "/reviews/requests", self._h_create_review, "reviews.write", (), idempotent=True)
        api("GET", "/integrations/quickbooks/oauth-config", self._h_oauth_config, None, (), locked=False)
        api("POST", "/integrations/quickbooks/token", self._h_token, None, (), locked=False)
        api("POST", "/integrations/quickbooks/revoke", self._h_revoke, None, (), locked=False)
        self._route("GET", "/oauth/quickbooks/return", self._h_return_page, _RouteMeta("public"))

        admin = self._admin
        admin("POST", "/_sandbox/{loc}/contacts", self._a_create_contact)
        admin("PATCH", "/_sandbox/{loc}/contacts/{id}", self._a_update_contact)
        admin("DELETE", "/_sandbox/{loc}/contacts/{id}", self._a_delete_contact)
        admin("POST", "/_sandbox/{loc}/invoices", self._a_create_invoice)
        admin("POST", "/_sandbox/{loc}/invoices/{id}/send", self._a_send_invoice)
        admin("PATCH", "/_sandbox/{loc}/invoices/{id}", self._a_update_invoice)
        admin("POST", "/_sandbox/{loc}/invoices/{id}/void", self._a_void_invoice)
        admin("POST", "/_sandbox/{loc}/payments", self._a_record_payment)
        admin("POST", "/_sandbox/{loc}/payments/{id}/refund", self._a_refund_payment)
        admin("POST", "/_sandbox/{loc}/payouts", self._a_create_payout)
        admin("POST", "/_sandbox/{loc}/payouts/{id}/status", self._a_payout_status)
        admin("GET", "/_sandbox/{loc}/state", self._a_state)
        admin("POST", "/_sandbox/{loc}/events/expire", self._a_expire_events)
        admin("POST", "/_sandbox/faults", self._a_inject)

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

    # ------------------------------------------------------------------------------------------------
    # request pipeline
    # ------------------------------------------------------------------------------------------------
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

    # errors ------------------------------------------------------------------------------------------
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

    # ------------------------------------------------------------------------------------------------
    # handlers: account, contacts
    # ------------------------------------------------------------------------------------------------
    def _h_me(self, request: Request, loc: _Location) -> Response:
        return Response.json(
            {
                "locationId": loc.id,
                "locationName": loc.name,
                "country": loc.country,
                "currency": loc.currency,
                "timezone": loc.timezone,
                "allowDuplicateEmails": loc.allow_duplicate_emails,
                "permissions": list(loc.permissions),
                "keyExpiresAt": None,
            }
        )

    def _h_list_contacts(self, request: Request, loc: _Location) -> Response:
        include_deleted = _bool_param(request.query, "includeDeleted")
        return self._page(request, loc, loc.contacts, lambda c: include_deleted or not c["deletedAt"])

    def _h_create_contact(self, request: Request, loc: _Location) -> Response:
        data = validate_contact_write(_json_body(request), create=True)
        contact = self._contact_create(loc, data, self._api_actor(request))
        location = f"{self.url}{_prefix(request)}/contacts/{contact['id']}"
        return Response.json(contact, 201, {"Location": location, "ETag": _etag(contact)})

    def _h_search_contacts(self, request: Request, loc: _Location) -> Response:
        raw = request.query.get("email")
        if raw is None:
            raise bad_request("the email query parameter is required", "email", "required")
        wanted = normalise_email(raw)
        if wanted is None or len(raw) > 254 or not is_email(raw.strip()):
            raise bad_request("email is not a valid email address", "email", "invalid_email")
        matches = [loc.contacts[cid] for cid in loc.emails.get(wanted, ())]
        matches.sort(key=lambda c: (c["createdAt"], c["id"]))
        return Response.json({"data": copy.deepcopy(matches[:50])})

    def _h_get_contact(self, request: Request, loc: _Location) -> Response:
        contact = self._contact(loc, request.params["contactId"], allow_deleted=True)
        return Response.json(contact, headers={"ETag": _etag(contact)})

    def _h_update_contact(self, request: Request, loc: _Location) -> Response:
        contact = self._contact(loc, request.params["contactId"])
        _check_if_match(request, contact)
        data = validate_contact_write(_json_body(request), create=False)
        contact = self._contact_update(loc, contact, data, self._api_actor(request))
        return Response.json(contact, headers={"ETag": _etag(contact)})

    # ------------------------------------------------------------------------------------------------
    # handlers: invoices, payments
    # ------------------------------------------------------------------------------------------------
    def _h_list_invoices(self, request: Request, loc: _Location) -> Response:
        statuses = _enum_list(request.query, "status", INVOICE_STATUSES)
        contact_id = request.query.get("contactId")
        origin = request.query.get("origin")
        if origin is not None and origin not in ("crococlick", "import"):
            raise bad_request("origin must be crococlick or import", "origin", "invalid_enum")
        return self._page(
            request,
            loc,
            loc.invoices,
            lambda i: (
                (statuses is None or i["status"] in statuses)
                and (contact_id is None or i["contactId"] == contact_id)
                and (origin is None or i["origin"] == origin)
            ),
        )

    def _h_create_invoice(self, request: Request, loc: _Location) -> Response:
        data = validate_invoice_create(_json_body(request))
        contact = loc.contacts.get(data["contactId"])
        if contact is None or contact["deletedAt"]:
            raise CrocoError(
                404,
                "not_found",
                f"no contact {data['contactId']} in this location",
                [{"field": "contactId", "issue": "not_found"}],
            )
        self._check_number_free(loc, data["number"], None)
        amount_paid = to_decimal(data.get("amountPaid", "0"))
        totals = compute_totals(data["items"], data.get("discount"), keep_supplied_tax_amounts=True)
        if "expectedTotal" in data and abs(to_decimal(data["expectedTotal"]) - totals.total) > Decimal(
            "0.01"
        ):
            raise CrocoError(
                422,
                "total_mismatch",
                f"computed total {fmt_money(totals.total)} differs from expectedTotal "
                f"{data['expectedTotal']}",
                [{"field": "expectedTotal", "issue": "mismatch"}],
            )
        _check_paid_status(data["status"], amount_paid, totals.total)
        ms = self._stamp()
        inv = self._invoice_new(
            loc,
            ms,
            origin="import",
            status=data["status"],
            number=data["number"],
            contact=contact,
            issue_date=data["issueDate"],
            due_date=data.get("dueDate"),
            currency=data["currency"],
            items=data["items"],
            discount=data.get("discount"),
            memo=data.get("memo"),
            refs=data.get("externalRefs", {}),
            amount_paid=amount_paid,
            keep_tax=True,
        )
        self._emit(loc, "invoice.sent", "invoice", inv, self._api_actor(request), ms)
        return Response.json(inv, 201, {"ETag": _etag(inv)})

    def _h_get_invoice(self, request: Request, loc: _Location) -> Response:
        inv = self._invoice(loc, request.params["invoiceId"])
        return Response.json(inv, headers={"ETag": _etag(inv)})

    def _h_update_invoice(self, request: Request, loc: _Location) -> Response:
        inv = self._invoice(loc, request.params["invoiceId"])
        _check_if_match(request, inv)
        data = validate_invoice_update(_json_body(request))
        inv = self._invoice_update(loc, inv, data, self._api_actor(request))
        return Response.json(inv, headers={"ETag": _etag(inv)})

    def _h_list_payments(self, request: Request, loc: _Location) -> Response:
        statuses = _enum_list(request.query, "status", PAYMENT_STATUSES)
        sources = _enum_list(request.query, "sourceType", PAYMENT_SOURCE_TYPES)
        contact_id = request.query.get("contactId")
        invoice_id = request.query.get("invoiceId")
        mode = request.query.get("mode", "live")
        if mode not in ("live", "test"):
            raise bad_request("mode must be live or test", "mode", "invalid_enum")
        return self._page(
            request,
            loc,
            loc.payments,
            lambda p: (
                (statuses is None or p["status"] in statuses)
                and (sources is None or p["sourceType"] in sources)
                and (contact_id is None or p["contactId"] == contact_id)
                and (invoice_id is None or p["invoiceId"] == invoice_id)
                and p["mode"] == mode
            ),
        )

    def _h_get_payment(self, request: Request, loc: _Location) -> Response:
        return Response.json(self._payment(loc, request.params["paymentId"]))

    def _h_update_payment(self, request: Request, loc: _Location) -> Response:
        pay = self._payment(loc, request.params["paymentId"])
        refs = validate_payment_refs(_json_body(request))
        merged = merge_external_refs(pay["externalRefs"], refs)
        if merged != pay["externalRefs"]:
            pay["externalRefs"] = merged
            self._touch(loc, pay, self._stamp(), versioned=False)  # externalRefs only: no event
        return Response.json(pay)

    # ------------------------------------------------------------------------------------------------
    # handlers: events, reviews
    # ------------------------------------------------------------------------------------------------
    def _h_events(self, request: Request, loc: _Location) -> Response:
        after_raw = request.query.get("after")
        if after_raw is None:
            raise bad_request(
                "the after query parameter is required (use GET /events/head)", "after", "required"
            )
        if not CURSOR_HEX_RE.match(after_raw):
            raise bad_request("invalid cursor", "after", "invalid_cursor")
        after = int(after_raw, 16)
        limit = _int_param(request.query, "limit", 100, 1, 500)
        wait = _int_param(request.query, "wait", 0, 0, 30) if self.long_poll else 0
        types = _enum_list(request.query, "types", EVENT_TYPES)
        deadline = time.monotonic() + wait
        while True:  # runs under self.lock (see _api); waiting on the condition releases it
            self._prune_events(loc)
            head = loc.next_sequence - 1
            if after > head:
                raise bad_request("invalid cursor: it is ahead of the feed", "after", "invalid_cursor")
            if after < loc.min_after:
                raise CrocoError(
                    410, "cursor_expired", "this cursor is older than the 30-day retention; run a full resync"
                )
            page: list[dict[str, Any]] = []
            has_more = False
            for event in loc.events:
                if event["sequence"] <= after or (types is not None and event["type"] not in types):
                    continue
                if len(page) == limit:
                    has_more = True
                    break
                page.append(event)
            # Long poll with a `types` filter: the request is held while no event *it would return*
            # exists after `after`. Filtering never changes cursor semantics (an empty filtered page
            # keeps nextCursor == after), so answering at once on a non-matching event would make a
            # filtered long poll spin (re-issued with the same `after`, never held again).
            remaining = deadline - time.monotonic()
            if page or remaining <= 0 or self._stopping:
                break
            self.held_polls += 1
            try:
                self._events_cond.wait(remaining)
            finally:
                self.held_polls -= 1
        ctx = _ctx(request)
        if ctx.count_when_answered and ctx.bucket_key is not None:
            self._rate_limit(ctx, ctx.bucket_key, force=True)
        next_cursor = page[-1]["cursor"] if page else after_raw
        return Response.json({"data": copy.deepcopy(page), "nextCursor": next_cursor, "hasMore": has_more})

    def _h_events_head(self, request: Request, loc: _Location) -> Response:
        self._prune_events(loc)
        seq = loc.next_sequence - 1
        return Response.json({"cursor": event_cursor(seq), "sequence": seq, "retentionDays": RETENTION_DAYS})

    def _h_create_review(self, request: Request, loc: _Location) -> Response:
        data = validate_review_create(_json_body(request))
        contact = loc.contacts.get(data["contactId"])
        if contact is None or contact["deletedAt"]:
            raise CrocoError(
                404,
                "not_found",
                f"no contact {data['contactId']} in this location",
                [{"field": "contactId", "issue": "not_found"}],
            )
        related = data["relatedInvoiceId"]
        if related is not None and related not in loc.invoices:
            raise CrocoError(
                404,
                "not_found",
                f"no invoice {related} in this location",
                [{"field": "relatedInvoiceId", "issue": "not_found"}],
            )
        now = self._now_ms()
        for review in loc.reviews.values():
            if (
                review["contactId"] == contact["id"]
                and now - loc.review_stamps[review["id"]] < REVIEW_WINDOW_MS
            ):
                raise CrocoError(
                    409,
                    "duplicate",
                    "a review request was already sent to this contact in the last 30 days",
                    [{"field": "contactId", "issue": "already_requested", "existingId": review["id"]}],
                )
        channel = data["channel"]
        issue = None
        if channel == "email" and not contact["email"]:
            issue = "no_email"
        elif channel == "sms" and not contact["phone"]:
            issue = "no_phone"
        elif contact["dnd"].get(channel):
            issue = "do_not_disturb"
        if issue:
            raise CrocoError(
                422,
                "contact_unreachable",
                f"the contact cannot be reached by {channel}",
                [{"field": "channel", "issue": issue}],
            )
        ms = self._stamp()
        review = {
            "id": _new_id("rvr"),
            "contactId": contact["id"],
            "channel": channel,
            "reason": data["reason"],
            "relatedInvoiceId": related,
            "status": "queued",
            "failureReason": None,
            "createdAt": iso_ms(ms),
            "sentAt": None,
            "externalRefs": data["externalRefs"],
        }
        loc.reviews[review["id"]] = review
        loc.review_stamps[review["id"]] = ms
        answer = copy.deepcopy(review)
        # then the queue sends it
        sent_ms = self._stamp()
        review["status"] = "sent"
        review["sentAt"] = iso_ms(sent_ms)
        self._emit(loc, "review_request.sent", "review_request", review, self._api_actor(request), sent_ms)
        return Response.json(answer, 202)

    # ------------------------------------------------------------------------------------------------
    # handlers: QuickBooks relay (no lock: the outbound call may be slow)
    # ------------------------------------------------------------------------------------------------
    def _h_oauth_config(self, request: Request, loc: _Location) -> Response:
        return Response.json(
            {
                "environment": self.qbo_environment,
                "clientId": self.qbo_client_id,
                "authorizationEndpoint": self.qbo_authorize_url,
                "redirectUri": self.return_page_url,
                "scopes": list(QBO_SCOPES),
                "apiBaseUrl": self.qbo_api_base,
            }
        )

    def _h_token(self, request: Request, loc: _Location) -> Response:
        no_store = {"Cache-Control": "no-store", "Pragma": "no-cache"}

        def oauth_error(error: str, description: str) -> Response:
            return Response.json({"error": error, "error_description": description}, 400, no_store)

        content_type = (request.header("content-type") or "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            return oauth_error("invalid_request", "the body must be application/x-www-form-urlencoded")
        form = request.form()
        grant = form.get("grant_type")
        if grant == "authorization_code":
            if not form.get("code") or not form.get("redirect_uri"):
                return oauth_error("invalid_request", "code and redirect_uri are required")
            if form["redirect_uri"] != self.return_page_url:
                return oauth_error("invalid_grant", "redirect_uri does not match the registered redirect URI")
            data = {"grant_type": grant, "code": form["code"], "redirect_uri": form["redirect_uri"]}
        elif grant == "refresh_token":
            if not form.get("refresh_token"):
                return oauth_error("invalid_request", "refresh_token is required")
            data = {"grant_type": grant, "refresh_token": form["refresh_token"]}
        elif not grant:
            return oauth_error("invalid_request", "grant_type is required")
        else:
            return oauth_error(
                "unsupported_grant_type", "grant_type must be authorization_code or refresh_token"
            )
        try:
            upstream = self._relay.post(
                self.qbo_token_url,
                data=data,
                auth=(self.qbo_client_id, self.qbo_client_secret),
                headers={"Accept": "application/json"},
                timeout=self.relay_timeout_s,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            return self._relay_failed(request, exc.__class__.__name__)
        if upstream.status_code >= 500:
            return self._relay_failed(request, f"HTTP {upstream.status_code}")
        try:
            json.loads(upstream.content.decode("utf-8"))
        except ValueError:
            return self._relay_failed(request, "a response that is not JSON")
        return Response(
            upstream.status_code, upstream.content, {"Content-Type": "application/json", **no_store}
        )

    def _h_revoke(self, request: Request, loc: _Location) -> Response:
        body = _json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("token"), str) or not body["token"]:
            raise bad_request("token is required", "token", "required")
        try:
            upstream = self._relay.post(
                self.qbo_revoke_url,
                json={"token": body["token"]},
                auth=(self.qbo_client_id, self.qbo_client_secret),
                headers={"Accept": "application/json"},
                timeout=self.relay_timeout_s,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            return self._relay_failed(request, exc.__class__.__name__)
        if upstream.status_code >= 300 and upstream.status_code != 400:
            return self._relay_failed(request, f"HTTP {upstream.status_code}")
        return Response(200, b"", {})

    def _relay_failed(self, request: Request, what: str) -> Response:
        return self._error(
            request,
            502,
            "internal",
            f"QuickBooks (Intuit) could not be reached or failed ({what}); retry later",
        )

    def _h_return_page(self, request: Request) -> Response:
        q = request.query
        state = q.get("state", "")
        m = STATE_RE.match(state)
        port = int(m.group(1)) if m else 0
        if m and 1024 <= port <= 65535 and (q.get("code") or q.get("error")):
            if q.get("error"):
                params = {"error": q["error"], "state": state}
            else:
                params = {"code": q["code"], "state": state}
                if q.get("realmId"):
                    params["realmId"] = q["realmId"]
            target = f"http://127.0.0.1:{port}/callback?{urlencode(params)}"
            response = Response.redirect(target)
            response.headers.update({"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
            return response
        return _paste_page(q)

    # ------------------------------------------------------------------------------------------------
    # admin routes
    # ------------------------------------------------------------------------------------------------
    def _a_create_contact(self, request: Request) -> Response:
        return Response.json(self.create_contact(request.params["loc"], **_admin_body(request)), 201)

    def _a_update_contact(self, request: Request) -> dict[str, Any]:
        return self.update_contact(request.params["loc"], request.params["id"], **_admin_body(request))

    def _a_delete_contact(self, request: Request) -> dict[str, Any]:
        return self.delete_contact(request.params["loc"], request.params["id"])

    def _a_create_invoice(self, request: Request) -> Response:
        body = {_snake(k): v for k, v in _admin_body(request).items()}
        return Response.json(_call_kwargs(self.create_invoice, request.params["loc"], body), 201)

    def _a_send_invoice(self, request: Request) -> dict[str, Any]:
        return self.send_invoice(request.params["loc"], request.params["id"])

    def _a_update_invoice(self, request: Request) -> dict[str, Any]:
        return self.update_invoice(request.params["loc"], request.params["id"], **_admin_body(request))

    def _a_void_invoice(self, request: Request) -> dict[str, Any]:
        return self.void_invoice(request.params["loc"], request.params["id"])

    def _a_record_payment(self, request: Request) -> Response:
        body = {_snake(k): v for k, v in _admin_body(request).items()}
        return Response.json(_call_kwargs(self.record_payment, request.params["loc"], body), 201)

    def _a_refund_payment(self, request: Request) -> dict[str, Any]:
        body = {_snake(k): v for k, v in _admin_body(request).items()}
        return _call_kwargs(
            lambda loc, **kw: self.refund_payment(loc, request.params["id"], **kw),
            request.params["loc"],
            body,
        )

    def _a_state(self, request: Request) -> dict[str, Any]:
        loc_id = request.params["loc"]
        loc = self._loc(loc_id)
        return {
            "location": {
                "locationId": loc.id,
                "locationName": loc.name,
                "country": loc.country,
                "currency": loc.currency,
                "timezone": loc.timezone,
                "allowDuplicateEmails": loc.allow_duplicate_emails,
                "permissions": loc.permissions,
            },
            "contacts": self.contacts(loc_id, include_deleted=True),
            "invoices": self.invoices(loc_id),
            "payments": self.payments(loc_id),
            "reviewRequests": self.review_requests(loc_id),
            "payouts": self.payouts(loc_id),
            "events": self.events(loc_id),
            "head": self.event_head(loc_id),
        }

    def _a_expire_events(self, request: Request) -> dict[str, Any]:
        body = _admin_body(request)
        if not isinstance(body.get("sequence"), int):
            raise bad_request("sequence (integer) is required", "sequence", "required")
        self.expire_events_older_than(request.params["loc"], body["sequence"])
        return self.event_head(request.params["loc"])

    def _a_inject(self, request: Request) -> dict[str, Any]:
        body = _admin_body(request)
        try:
            self.inject(
                str(body.get("kind")),
                int(body.get("count", 1)),
                path_contains=body.get("pathContains", body.get("path_contains")),
            )
        except ValueError as exc:
            raise bad_request(str(exc)) from None
        return {"ok": True}

    # ------------------------------------------------------------------------------------------------
    # the data model
    # ------------------------------------------------------------------------------------------------
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
    def _contact(loc: _Location, contact_id: str, *, allow_deleted: bool = False) -> dict[str, Any]:
        contact = loc.contacts.get(contact_id)
        if contact is None or (contact["deletedAt"] and not allow_deleted):
            raise CrocoError(404, "not_found", f"no contact {contact_id} in this location")
        return contact

    @staticmethod
    def _invoice(loc: _Location, invoice_id: str) -> dict[str, Any]:
        inv = loc.invoices.get(invoice_id)
        if inv is None:
            raise CrocoError(404, "not_found", f"no invoice {invoice_id} in this location")
        return inv

    @staticmethod
    def _payment(loc: _Location, payment_id: str) -> dict[str, Any]:
        pay = loc.payments.get(payment_id)
        if pay is None:
            raise CrocoError(404, "not_found", f"no payment {payment_id} in this location")
        return pay

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

    # contacts ----------------------------------------------------------------------------------------
    def _contact_create(self, loc: _Location, data: dict[str, Any], actor: dict[str, Any]) -> dict[str, Any]:
        contact: dict[str, Any] = {
            "id": _new_id("con"),
            "firstName": None,
            "lastName": None,
            "companyName": None,
            "displayName": "",
            "email": None,
            "additionalEmails": [],
            "phone": None,
            "address": {
                "line1": None,
                "line2": None,
                "city": None,
                "region": None,
                "postalCode": None,
                "country": None,
            },
            "tags": [],
            "source": None,
            "preferredCurrency": None,
            "dnd": {"email": False, "sms": False},
            "createdAt": "",
            "updatedAt": "",
            "deletedAt": None,
            "version": 1,
            "externalRefs": {},
        }
        _apply_contact_fields(contact, data)
        self._check_duplicate_email(loc, contact, None)
        ms = self._stamp()
        contact["createdAt"] = contact["updatedAt"] = iso_ms(ms)
        loc.contacts[contact["id"]] = contact
        _index_emails(loc, None, contact)
        loc.stamps[contact["id"]] = ms
        self._emit(loc, "contact.created", "contact", contact, actor, ms)
        return contact

    def _contact_update(
        self, loc: _Location, contact: dict[str, Any], data: dict[str, Any], actor: dict[str, Any]
    ) -> dict[str, Any]:
        updated = copy.deepcopy(contact)
        _apply_contact_fields(updated, data)
        changed = sorted(k for k in _CONTACT_KEYS if k not in _BOOKKEEPING and updated[k] != contact[k])
        if not changed:
            return contact
        if {"email", "additionalEmails"} & set(changed):
            self._check_duplicate_email(loc, updated, contact["id"])
        ms = self._stamp()
        self._touch(loc, updated, ms)
        loc.contacts[contact["id"]] = updated
        _index_emails(loc, contact, updated)
        if changed != ["externalRefs"]:
            self._emit(loc, "contact.updated", "contact", updated, actor, ms, changed_fields=changed)
        return updated

    def _check_duplicate_email(self, loc: _Location, contact: dict[str, Any], exclude_id: str | None) -> None:
        if loc.allow_duplicate_emails:
            return
        clashes = {cid for email in _contact_emails(contact) for cid in loc.emails.get(email, ())}
        clashes.discard(exclude_id)  # type: ignore[arg-type]
        if clashes:
            oldest = min((loc.contacts[cid] for cid in clashes), key=lambda c: (c["createdAt"], c["id"]))
            raise CrocoError(
                409,
                "duplicate",
                "a contact with this email already exists in this location",
                [{"field": "email", "issue": "not_unique", "existingId": oldest["id"]}],
            )

    # invoices ----------------------------------------------------------------------------------------
    def _next_invoice_number(self, loc: _Location) -> str:
        taken = {inv["number"] for inv in loc.invoices.values()}
        while f"INV-{loc.next_invoice_number}" in taken:
            loc.next_invoice_number += 1
        number = f"INV-{loc.next_invoice_number}"
        loc.next_invoice_number += 1
        return number

    @staticmethod
    def _check_number_free(loc: _Location, number: str, exclude_id: str | None) -> None:
        for inv in loc.invoices.values():
            if inv["number"] == number and inv["id"] != exclude_id:
                raise CrocoError(
                    409,
                    "duplicate",
                    f"an invoice with number {number} already exists",
                    [{"field": "number", "issue": "not_unique", "existingId": inv["id"]}],
                )

    def _invoice_new(
        self,
        loc: _Location,
        ms: int,
        *,
        origin: str,
        status: str,
        number: str,
        contact: dict[str, Any],
        issue_date: str,
        due_date: str | None,
        currency: str,
        items: list[dict[str, Any]],
        discount: dict[str, Any] | None,
        memo: str | None,
        refs: dict[str, str],
        amount_paid: Decimal,
        keep_tax: bool,
    ) -> dict[str, Any]:
        rendered, totals = _render_items(items, discount, keep_tax, [])
        now = iso_ms(ms)
        inv: dict[str, Any] = {
            "id": _new_id("inv"),
            "number": number,
            "status": status,
            "origin": origin,
            "issueDate": issue_date,
            "dueDate": due_date,
            "currency": currency,
            "contactId": contact["id"],
            "billTo": _bill_to(contact),
            "items": rendered,
            "discount": copy.deepcopy(discount),
            "totals": totals,
            "amountPaid": fmt_money(amount_paid),
            "amountDue": fmt_money(to_decimal(totals["total"]) - amount_paid),
            "paymentIds": [],
            "memo": memo,
            "sentAt": None,
            "paidAt": now if status == "paid" else None,
            "voidedAt": now if status == "void" else None,
            "createdAt": now,
            "updatedAt": now,
            "version": 1,
            "externalRefs": dict(refs),
        }
        loc.invoices[inv["id"]] = inv
        loc.stamps[inv["id"]] = ms
        return inv

    def _invoice_update(
        self,
        loc: _Location,
        inv: dict[str, Any],
        data: dict[str, Any],
        actor: dict[str, Any],
        *,
        paid_at: str | None = None,
    ) -> dict[str, Any]:
        """Apply an edit (API PATCH or user action), derive the status, emit the events."""
        before = inv
        new = copy.deepcopy(inv)
        status_before = inv["status"]
        if ("items" in data or "discount" in data) and status_before in ("paid", "void"):
            raise CrocoError(
                422,
                "invoice_locked",
                f"a {status_before} invoice's items and discount cannot change",
                [{"field": "items" if "items" in data else "discount", "issue": "locked"}],
            )
        if "amountPaid" in data and inv["origin"] != "import":
            raise CrocoError(
                422,
                "validation_failed",
                "amountPaid can only be written on imported invoices",
                [{"field": "amountPaid", "issue": "import_only"}],
            )
        target = data.get("status")
        if target == "sent" and status_before == "void":
            raise CrocoError(
                422,
                "validation_failed",
                "a void invoice cannot be sent",
                [{"field": "status", "issue": "invalid_transition"}],
            )
        if "number" in data and data["number"] != inv["number"]:
            self._check_number_free(loc, data["number"], inv["id"])
            new["number"] = data["number"]
        for key in ("issueDate", "dueDate", "memo"):
            if key in data:
                new[key] = data[key]
        if "externalRefs" in data:
            new["externalRefs"] = merge_external_refs(inv["externalRefs"], data["externalRefs"])
        keep_tax = inv["origin"] == "import"
        if "items" in data or "discount" in data:
            items = data.get("items", inv["items"])
            discount = data["discount"] if "discount" in data else inv["discount"]
            new["items"], new["totals"] = _render_items(items, discount, keep_tax, inv["items"])
            new["discount"] = copy.deepcopy(discount)
        if "amountPaid" in data:
            new["amountPaid"] = fmt_money(to_decimal(data["amountPaid"]))
        ms = self._stamp()
        if target == "sent" and status_before == "draft":
            new["status"] = "sent"
            new["sentAt"] = iso_ms(ms)
            new["billTo"] = _bill_to(loc.contacts[inv["contactId"]])
        if target == "void" and status_before != "void":
            new["status"] = "void"
            new["voidedAt"] = iso_ms(ms)
        total = to_decimal(new["totals"]["total"])
        paid = to_decimal(new["amountPaid"])
        if paid > total:
            raise CrocoError(
                422,
                "validation_failed",
                "the invoice total would be below the amount already paid",
                [
                    {
                        "field": "amountPaid" if "amountPaid" in data else "items",
                        "issue": "total_below_amount_paid",
                    }
                ],
            )
        new["status"] = _derive_status(new)
        if new["status"] == "paid" and status_before != "paid":
            new["paidAt"] = paid_at or iso_ms(ms)
        elif new["status"] in ("sent", "partially_paid") and new["paidAt"] is not None:
            new["paidAt"] = None
        new["amountDue"] = fmt_money(total - paid)
        changed = sorted(k for k in new if k not in _BOOKKEEPING and new[k] != before[k])
        if not changed:
            return inv
        self._touch(loc, new, ms)
        loc.invoices[inv["id"]] = new
        self._invoice_events(loc, status_before, new, changed, actor, ms, payment=False)
        return new

    def _invoice_events(
        self,
        loc: _Location,
        status_before: str,
        inv: dict[str, Any],
        changed: list[str],
        actor: dict[str, Any],
        ms: int,
        *,
        payment: bool,
    ) -> None:
        if status_before == "draft" and inv["status"] == "draft":
            return  # drafts never emit events
        if changed == ["externalRefs"]:
            return  # a sync app writing its own ids back never sees its echo
        status_event = None
        if status_before == "draft":
            if inv["status"] == "void":
                return  # voiding a draft nobody received
            status_event = "invoice.sent"
        elif inv["status"] != status_before:
            status_event = _STATUS_EVENT.get(inv["status"]) if inv["status"] != "sent" else None
        elif payment and inv["status"] == "partially_paid":
            status_event = "invoice.partially_paid"
        rest = [f for f in changed if f not in _STATUS_FIELDS] if status_event else changed
        if rest and status_before != "draft":
            self._emit(loc, "invoice.updated", "invoice", inv, actor, ms, changed_fields=changed)
        if status_event:
            self._emit(loc, status_event, "invoice", inv, actor, ms)

    # payments ----------------------------------------------------------------------------------------
    def _payment_record(
        self,
        loc: _Location,
        *,
        contact_id: str,
        source_type: str,
        items: list[dict[str, Any]] | None,
        discount: dict[str, Any] | None,
        invoice_id: str | None,
        amount: str | None,
        method: dict[str, Any] | None,
        status: str,
        currency: str | None,
        source_name: str | None,
        mode: str,
        paid_at: str | None,
        fee: Any,
        source_id: str | None,
        order_id: str | None,
        subscription_id: str | None,
        failure_reason: str | None,
    ) -> dict[str, Any]:
        if source_type not in PAYMENT_SOURCE_TYPES:
            raise bad_request(
                f"source_type must be one of {PAYMENT_SOURCE_TYPES}", "sourceType", "invalid_enum"
            )
        if status not in ("succeeded", "failed"):
            raise bad_request("status must be succeeded or failed (use refund_payment for refunds)", "status")
        if mode not in ("live", "test"):
            raise bad_request("mode must be live or test", "mode", "invalid_enum")
        contact = self._contact(loc, contact_id)
        inv = None
        c = Checker()
        if source_type == "invoice":
            if invoice_id is None:
                raise bad_request("invoice payments need invoice_id", "invoiceId", "required")
            inv = self._invoice(loc, invoice_id)
            if inv["contactId"] != contact_id:
                raise bad_request("the invoice belongs to another contact", "contactId", "mismatch")
            if inv["status"] not in ("sent", "partially_paid"):
                raise CrocoError(
                    422,
                    "validation_failed",
                    f"a {inv['status']} invoice cannot be paid",
                    [{"field": "invoiceId", "issue": "not_payable"}],
                )
            due = to_decimal(inv["amountDue"])
            value = _amount_arg(amount, "amount") if amount is not None else due
            if value <= 0 or value > due:
                raise CrocoError(
                    422,
                    "validation_failed",
                    f"amount must be between 0.01 and {due}",
                    [{"field": "amount", "issue": "out_of_range"}],
                )
            if currency is not None and currency != inv["currency"]:
                raise bad_request("the payment currency must be the invoice currency", "currency", "mismatch")
            currency = inv["currency"]
            line_items: list[dict[str, Any]] = []
            totals = {
                "subtotal": fmt_money(value),
                "discountTotal": "0.00",
                "taxTotal": "0.00",
                "total": fmt_money(value),
            }
            discount = None
        else:
            if invoice_id is not None:
                raise bad_request("invoice_id is only for source_type invoice", "invoiceId")
            checked = c.line_items(_camel_items(items), "items")
            checked_discount = c.discount(discount, "discount") if discount is not None else None
            c.done()
            assert checked is not None
            line_items, totals = _render_items(checked, checked_discount, False, [])
            discount = checked_discount
            value = to_decimal(totals["total"])
            if amount is not None and _amount_arg(amount, "amount") != value:
                raise CrocoError(
                    422,
                    "total_mismatch",
                    f"amount {amount} differs from the items' total {value}",
                    [{"field": "amount", "issue": "mismatch"}],
                )
            currency = currency or loc.currency
        fee_obj = _fee_arg(fee)
        ms = self._stamp()
        pay: dict[str, Any] = {
            "id": _new_id("pay"),
            "contactId": contact["id"],
            "amount": fmt_money(value),
            "currency": currency,
            "status": status,
            "failureReason": (failure_reason or "card_declined") if status == "failed" else None,
            "sourceType": source_type,
            "sourceName": source_name,
            "sourceId": source_id,
            "invoiceId": invoice_id if inv is not None else None,
            "orderId": order_id or (_new_id("ord") if source_type in ("order_form", "checkout") else None),
            "subscriptionId": subscription_id or (_new_id("sub") if source_type == "subscription" else None),
            "paymentMethod": _method_arg(method, source_type),
            "paidAt": None if status == "failed" else (paid_at or iso_ms(ms)),
            "lineItems": line_items,
            "discount": copy.deepcopy(discount),
            "totals": totals,
            "fee": fee_obj,
            "net": None,
            "amountRefunded": "0.00",
            "refunds": [],
            "mode": mode,
            "createdAt": iso_ms(ms),
            "updatedAt": iso_ms(ms),
            "externalRefs": {},
        }
        pay["net"] = _payment_net(pay)
        loc.payments[pay["id"]] = pay
        loc.stamps[pay["id"]] = ms
        actor = _payer_actor(source_type, contact["id"])
        self._emit(
            loc, "payment.failed" if status == "failed" else "payment.succeeded", "payment", pay, actor, ms
        )
        if inv is not None and status == "succeeded":
            self._invoice_paid(loc, inv, pay, actor)
        return pay

    def _invoice_paid(
        self, loc: _Location, inv: dict[str, Any], pay: dict[str, Any], actor: dict[str, Any]
    ) -> None:
        new = copy.deepcopy(inv)
        paid = to_decimal(inv["amountPaid"]) + to_decimal(pay["amount"])
        new["amountPaid"] = fmt_money(paid)
        new["amountDue"] = fmt_money(to_decimal(inv["totals"]["total"]) - paid)
        new["paymentIds"].append(pay["id"])
        new["status"] = _derive_status(new)
        if new["status"] == "paid":
            new["paidAt"] = pay["paidAt"]
        ms = self._stamp()
        changed = sorted(k for k in new if k not in _BOOKKEEPING and new[k] != inv[k])
        self._touch(loc, new, ms)
        loc.invoices[inv["id"]] = new
        self._invoice_events(loc, inv["status"], new, changed, actor, ms, payment=True)

    # lists -------------------------------------------------------------------------------------------
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


# ----------------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------------
def _is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def _prefix(request: Request) -> str:
    return "/v1" if _ctx(request).original_path.startswith("/v1/") else ""


def _json_body(request: Request) -> Any:
    if not request.body:
        raise bad_request("a JSON request body is required")
    try:
        return json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise bad_request("the request body is not valid JSON") from None


def _admin_body(request: Request) -> dict[str, Any]:
    if not request.body:
        return {}
    body = _json_body(request)
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    return body


def _call_kwargs(func: Callable[..., Any], location_id: str, body: dict[str, Any]) -> Any:
    try:
        return func(location_id, **body)
    except TypeError as exc:  # an unknown or missing keyword in an admin body
        raise bad_request(str(exc)) from None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _camel_keys(fields: dict[str, Any]) -> dict[str, Any]:
    return {_camel(k): v for k, v in fields.items()}


def _camel_items(items: Any) -> Any:
    """Line items given with snake_case keys (unit_price, product_id, ...) in the API's camelCase."""
    if not isinstance(items, list):
        return items
    out = []
    for item in items:
        if isinstance(item, dict):
            item = _camel_keys(item)
            if isinstance(item.get("taxes"), list):
                item["taxes"] = [_camel_keys(t) if isinstance(t, dict) else t for t in item["taxes"]]
        out.append(item)
    return out


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def _etag(record: dict[str, Any]) -> str:
    return f'"{record["version"]}"'


def _check_if_match(request: Request, record: dict[str, Any]) -> None:
    raw = request.header("if-match")
    if raw is None:
        return
    value = raw.strip()
    if value == "*":
        return
    m = re.match(r'^(?:W/)?"?(\d+)"?$', value)
    if not m:
        raise bad_request('If-Match must be a quoted version such as "7"', "If-Match", "invalid")
    if int(m.group(1)) != record["version"]:
        raise CrocoError(
            409,
            "version_conflict",
            f"the record changed (version {record['version']}, If-Match {value}); "
            "re-read it and apply your change again",
            [{"field": "version", "issue": "stale"}],
        )


def _fingerprint(request: Request) -> str:
    try:
        canonical = json.dumps(
            json.loads(request.body.decode("utf-8") or "null"), sort_keys=True, separators=(",", ":")
        ).encode("utf-8")
    except (ValueError, UnicodeDecodeError):
        canonical = request.body
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode() + canonical)
    return digest.hexdigest()


def _int_param(query: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d{1,9}", raw) or not low <= int(raw) <= high:
        raise bad_request(f"{name} must be between {low} and {high}", name, "out_of_range")
    return int(raw)


def _bool_param(query: dict[str, str], name: str) -> bool:
    raw = query.get(name)
    if raw is None:
        return False
    if raw not in ("true", "false"):
        raise bad_request(f"{name} must be true or false", name, "invalid_boolean")
    return raw == "true"


def _enum_list(query: dict[str, str], name: str, allowed: tuple[str, ...]) -> set[str] | None:
    raw = query.get(name)
    if raw is None:
        return None
    values = [v.strip() for v in raw.split(",")]
    bad = [v for v in values if v not in allowed]
    if bad:
        raise bad_request(f"{name}: unknown value {bad[0]!r}", name, "invalid_enum")
    return set(values)


def _encode_cursor(key: tuple[int, str], fingerprint: str) -> str:
    raw = json.dumps({"u": key[0], "i": key[1], "f": fingerprint}, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode_cursor(text: str, fingerprint: str) -> tuple[int, str]:
    try:
        padded = text + "=" * (-len(text) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        key = (int(data["u"]), str(data["i"]))
        same_filters = data["f"] == fingerprint
    except (ValueError, KeyError, TypeError, UnicodeError):
        raise bad_request("invalid cursor", "cursor", "invalid_cursor") from None
    if not same_filters:
        raise bad_request(
            "invalid cursor: keep the other filters identical while paging", "cursor", "filters_changed"
        )
    return key


def _contact_emails(contact: dict[str, Any]) -> set[str]:
    emails = [contact.get("email"), *(contact.get("additionalEmails") or [])]
    return {n for n in (normalise_email(e) for e in emails) if n}


def _index_emails(loc: _Location, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
    """Keep `loc.emails` (normalised email -> ids of live contacts) in step with a contact change."""
    if old is not None:
        for email in _contact_emails(old):
            ids = loc.emails.get(email)
            if ids is not None:
                ids.discard(old["id"])
                if not ids:
                    del loc.emails[email]
    if new is not None and not new["deletedAt"]:
        for email in _contact_emails(new):
            loc.emails.setdefault(email, set()).add(new["id"])


def _display_name(contact: dict[str, Any]) -> str:
    if contact.get("companyName"):
        return str(contact["companyName"])
    name = " ".join(p for p in (contact.get("firstName"), contact.get("lastName")) if p)
    if name:
        return name
    return str(contact.get("email") or contact.get("phone") or "")


def _apply_contact_fields(contact: dict[str, Any], data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key == "externalRefs":
            contact["externalRefs"] = merge_external_refs(contact["externalRefs"], value)
        elif key == "dnd":
            contact["dnd"] = {**contact["dnd"], **value}
        elif key in ("additionalEmails", "tags"):
            contact[key] = list(value)
        elif key == "address":
            contact["address"] = dict(value)
        else:
            contact[key] = value
    contact["displayName"] = _display_name(contact)


def _bill_to(contact: dict[str, Any]) -> dict[str, Any]:
    return {"name": contact["displayName"], "email": contact["email"], "address": dict(contact["address"])}


def _render_items(
    items: list[dict[str, Any]],
    discount: dict[str, Any] | None,
    keep_tax: bool,
    old_items: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Line items as the API returns them (ids, tax amounts, lineSubtotal) plus the Totals object."""
    totals = compute_totals(items, discount, keep_supplied_tax_amounts=keep_tax)
    old_ids = {item["id"] for item in old_items}
    used: set[str] = set()
    out = []
    for item, line in zip(items, totals.lines, strict=True):
        item_id = item.get("id")
        if not isinstance(item_id, str) or item_id not in old_ids or item_id in used:
            item_id = _new_id("li")
        used.add(item_id)
        taxes = [
            {
                "taxId": tax.get("taxId"),
                "name": tax["name"],
                "rate": tax["rate"],
                "amount": fmt_money(amount),
                "inclusive": bool(tax.get("inclusive", False)),
            }
            for tax, amount in zip(item.get("taxes") or [], line.tax_amounts, strict=True)
        ]
        out.append(
            {
                "id": item_id,
                "productId": item.get("productId"),
                "sku": item.get("sku"),
                "name": item["name"],
                "description": item.get("description"),
                "quantity": item["quantity"],
                "unitPrice": item["unitPrice"],
                "taxes": taxes,
                "lineSubtotal": fmt_money(line.line_subtotal),
            }
        )
    return out, totals.as_json()


def _derive_status(inv: dict[str, Any]) -> str:
    status = str(inv["status"])
    if status in ("draft", "void"):
        return status
    paid = to_decimal(inv["amountPaid"])
    total = to_decimal(inv["totals"]["total"])
    if paid > 0 and paid >= total:
        return "paid"
    if paid > 0:
        return "partially_paid"
    return "paid" if status == "paid" and total == 0 else "sent"


def _check_paid_status(status: str, paid: Decimal, total: Decimal) -> None:
    """On import, the stated status must agree with amountPaid (paid/partially_paid are derived)."""
    issue = None
    if paid > total:
        issue = ("amountPaid", "exceeds_total")
    elif status == "paid" and paid != total:
        issue = ("amountPaid", "must_equal_total_when_paid")
    elif status == "partially_paid" and not 0 < paid < total:
        issue = ("amountPaid", "must_be_between_zero_and_total_when_partially_paid")
    elif status == "sent" and paid != 0:
        issue = ("status", "inconsistent_with_amount_paid")
    if issue:
        raise CrocoError(
            422,
            "validation_failed",
            "status and amountPaid disagree",
            [{"field": issue[0], "issue": issue[1]}],
        )


def _amount_arg(value: Any, name: str) -> Decimal:
    if not isinstance(value, str) or not AMOUNT_RE.match(value):
        raise CrocoError(
            422,
            "validation_failed",
            f"{name} must be a decimal string such as '12.50'",
            [{"field": name, "issue": "invalid_amount"}],
        )
    return round_money(to_decimal(value))


def _fee_arg(fee: Any) -> dict[str, Any] | None:
    if fee is None:
        return None
    if isinstance(fee, str):
        return {"amount": fmt_money(_amount_arg(fee, "fee")), "description": None}
    if isinstance(fee, dict) and "amount" in fee:
        return {
            "amount": fmt_money(_amount_arg(fee["amount"], "fee.amount")),
            "description": fee.get("description"),
        }
    raise bad_request("fee must be an amount string or {amount, description}", "fee")


def _method_arg(method: dict[str, Any] | None, source_type: str) -> dict[str, Any]:
    if method is None:
        if source_type == "manual":
            return {"type": "cash", "brand": None, "last4": None, "provider": None}
        return {"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"}
    if method.get("type") not in PAYMENT_METHOD_TYPES:
        raise bad_request(
            f"method.type must be one of {PAYMENT_METHOD_TYPES}", "paymentMethod.type", "invalid_enum"
        )
    last4 = method.get("last4")
    if last4 is not None and not re.fullmatch(r"\d{4}", str(last4)):
        raise bad_request("method.last4 must be 4 digits", "paymentMethod.last4")
    return {
        "type": method["type"],
        "brand": method.get("brand"),
        "last4": last4,
        "provider": method.get("provider"),
    }


def _payment_net(pay: dict[str, Any]) -> str | None:
    if pay["fee"] is None:
        return None
    net = to_decimal(pay["amount"]) - to_decimal(pay["fee"]["amount"]) - to_decimal(pay["amountRefunded"])
    for refund in pay["refunds"]:
        if refund.get("feeReturned"):
            net += to_decimal(refund["feeReturned"])
    return fmt_money(net)


def _payer_actor(source_type: str, contact_id: str) -> dict[str, Any]:
    if source_type == "manual":
        return {"type": "user", "id": USER_ACTOR_ID}
    if source_type == "subscription":
        return {"type": "system", "id": None}
    return {"type": "customer", "id": contact_id}


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


def _paste_page(query: dict[str, str]) -> Response:
    """The return page's fallback: code and realmId shown as text for the user to paste."""
    code, realm, error = query.get("code"), query.get("realmId"), query.get("error")
    esc = html.escape
    if error:
        body = (
            f"<h1>QuickBooks authorization failed</h1><p>QuickBooks answered: <code>{esc(error)}</code>.</p>"
            "<p>Go back to CrocoQB and try connecting again.</p>"
        )
        status = 200
    elif code:
        body = (
            "<h1>Almost done: copy these into CrocoQB</h1>"
            "<p>CrocoQB could not be reached automatically. Paste the values below into the app.</p>"
            f'<p>Authorization code:<br><input id="code" readonly size="60" value="{esc(code)}">'
            f"<br><code>{esc(code)}</code></p>"
            f'<p>Company ID (realmId):<br><input id="realmId" readonly size="30" value="{esc(realm or "")}">'
            f"<br><code>{esc(realm or '')}</code></p>"
            "<p>The code works once and expires in a few minutes.</p>"
        )
        status = 200
    else:
        body = "<h1>Nothing to do here</h1><p>This page receives the answer from QuickBooks sign-in.</p>"
        status = 400
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>CrocoClick - QuickBooks</title>'
        f"</head><body>{body}</body></html>"
    )
    return Response.text(
        page,
        status,
        "text/html; charset=utf-8",
        {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
