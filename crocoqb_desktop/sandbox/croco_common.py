"""Shared pieces of the CrocoClick sandbox: constants, the in-memory location, request helpers."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from crocoqb_desktop.sandbox.base import Request, WindowCounter
from crocoqb_desktop.sandbox.croco_validation import (
    CrocoError,
    bad_request,
)

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


_BOOKKEEPING = {"updatedAt", "version"}


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
