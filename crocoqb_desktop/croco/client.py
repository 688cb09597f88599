"""CrocoClick API client: every operation of crococlick-api.yaml that the app uses.

- Auth headers (`Authorization: Bearer`, `X-Location-Id`) on every call.
- Cursor pagination exposed as iterators; money stays a decimal string / `Decimal` (never float).
- `Idempotency-Key` on writes (the caller passes a stable key so retries are replays), `If-Match`
  on updates.
- Client-side rate limiter (100 requests / 10 s by default), `Retry-After` honoured on 429,
  backoff with jitter on 5xx and timeouts, and the error model mapped to typed exceptions.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import requests

from crocoqb_desktop.croco.errors import (
    CrocoApiError,
    CrocoRateLimited,
    CrocoServerError,
    error_for_status,
)
from crocoqb_desktop.errors import NetworkError, ProtocolError
from crocoqb_desktop.messages import message
from crocoqb_desktop.net.ratelimit import AnsweredWindowLimiter
from crocoqb_desktop.net.retry import backoff_delay, parse_retry_after
from crocoqb_desktop.net.session import make_session
from crocoqb_desktop.redaction import register_secret

log = logging.getLogger("crocoqb.croco")

# Enum values the app understands; anything else is reported as a protocol error for that record.
INVOICE_STATUSES = {"draft", "sent", "partially_paid", "paid", "void"}
PAYMENT_STATUSES = {"succeeded", "refunded", "partially_refunded", "failed"}
PAYMENT_SOURCES = {"order_form", "subscription", "checkout", "calendar", "invoice", "manual"}
PAYOUT_STATUSES = {"pending", "in_transit", "paid", "failed"}
PAYOUT_ITEM_TYPES = {"payment", "refund", "adjustment"}
EVENT_TYPES = {
    "contact.created", "contact.updated", "contact.deleted", "invoice.sent", "invoice.updated",
    "invoice.partially_paid", "invoice.paid", "invoice.voided", "payment.succeeded", "payment.failed",
    "payment.refunded", "payout.paid", "payout.failed", "review_request.sent",
}
EVENT_RESOURCE_TYPES = {"contact", "invoice", "payment", "payout", "review_request"}
MAX_EVENTS_WAIT_S = 30  # the contract's bound for `GET /events?wait=`


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


class CrocoClient:
    def __init__(
        self,
        api_base: str,
        api_key: str,
        location_id: str,
        *,
        requests_per_10s: int = 100,
        timeout: tuple[float, float] = (10.0, 30.0),
        max_attempts: int = 5,
        max_retry_wait_s: float = 120.0,
        window_s: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """`window_s` is the length of the "10 s" rate window: tests against a time-compressed sandbox
        shorten it the same way (10 / time_scale) instead of changing the limit."""
        register_secret(api_key)
        self.api_base = api_base.rstrip("/")
        self.location_id = location_id
        self._api_key = api_key
        self._timeout = timeout
        self._max_attempts = max_attempts
        self._max_retry_wait_s = max_retry_wait_s
        self._sleep = sleep
        # the service counts requests as they arrive, and one that arrives early at a window boundary
        # costs a whole Retry-After: a request keeps its place until a window after its answer. One
        # request per window is left to the app's other calls with the same key, which this limiter
        # does not see (the QuickBooks token relay at the start of a sync, the account check).
        self._limiter = AnsweredWindowLimiter(max(1, requests_per_10s - 1), window_s, sleep=sleep)
        self._session = make_session()

    def close(self) -> None:
        self._session.close()

    # -- transport --------------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self._api_key}",
            "X-Location-Id": self.location_id,
            "Accept": "application/json",
        }

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        idempotency_key: str | None = None,
        if_match: int | str | None = None,
        raw_status: bool = False,
        read_timeout: float | None = None,
    ) -> Any:
        """One logical call, retried on 429/5xx/timeouts. Returns parsed JSON (Decimal numbers).

        With `raw_status`, returns `(status, body)` for 2xx-4xx answers instead of raising (the
        token relay must pass Intuit's answer through verbatim). `read_timeout` replaces the default
        read timeout for this call (a long poll is held by the server up to its `wait`).
        """
        timeout = self._timeout if read_timeout is None else (self._timeout[0], read_timeout)
        url = f"{self.api_base}{path}"
        headers = self._headers()
        data: bytes | None = None
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(json_body, default=_json_default).encode("utf-8")
        elif form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        if if_match is not None:
            headers["If-Match"] = f'"{if_match}"'
        attempt = 0
        while True:
            attempt += 1
            self._limiter.acquire()
            try:
                response = self._session.request(
                    method, url, params=params, data=data if form is None else form,
                    headers=headers, timeout=timeout,
                )
            except (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                # ChunkedEncodingError: the connection broke in the middle of the answer (uncertain outcome;
                # writes carry an Idempotency-Key, so the retry is a replay)
                kind = "timed out" if isinstance(exc, requests.Timeout) else "could not connect"
                if attempt < self._max_attempts:
                    self._sleep(backoff_delay(attempt))
                    continue
                raise NetworkError(
                    f"CrocoClick {kind} ({method} {path}) after {attempt} attempts",
                    title="Cannot reach CrocoClick",
                ) from None
            except requests.RequestException as exc:  # never a raw requests error out of the client
                raise NetworkError(f"CrocoClick request failed ({method} {path}: {exc.__class__.__name__})",
                                   title="Cannot reach CrocoClick") from None
            finally:
                self._limiter.answered()
            status = response.status_code
            if status == 429 or status >= 500:
                if attempt < self._max_attempts:
                    if status == 429:
                        wait = parse_retry_after(response.headers.get("Retry-After"), 10.0)
                        wait = min(wait, self._max_retry_wait_s)
                        self._limiter.block_for(wait)
                        log.info("CrocoClick rate limit reached; waiting %.1f s", wait)
                    else:
                        self._sleep(backoff_delay(attempt))
                    continue
            if raw_status and status in (200, 400):
                return status, self._parse_json(response, method, path, allow_empty=True)
            if status >= 400:
                raise self._error(response, method, path)
            if status == 204 or not response.content:
                return None
            return self._parse_json(response, method, path)

    @staticmethod
    def _parse_json(response: requests.Response, method: str, path: str, allow_empty: bool = False) -> Any:
        if allow_empty and not response.content:
            return None
        ctype = response.headers.get("Content-Type", "")
        if "json" not in ctype.lower():
            raise ProtocolError(
                f"CrocoClick answered {method} {path} with '{ctype or 'no content type'}' instead of JSON",
                status=response.status_code,
            )
        try:
            return json.loads(response.content.decode("utf-8"), parse_float=Decimal)
        except (ValueError, UnicodeDecodeError):
            raise ProtocolError(
                f"CrocoClick answered {method} {path} with malformed JSON", status=response.status_code
            ) from None

    def _error(self, response: requests.Response, method: str, path: str) -> CrocoApiError:
        status = response.status_code
        code = None
        message = f"HTTP {status}"
        details: list[dict[str, Any]] = []
        request_id = response.headers.get("X-Request-Id")
        try:
            body = json.loads(response.content.decode("utf-8"))
            err = body.get("error", {}) if isinstance(body, dict) else {}
            code = err.get("code")
            message = str(err.get("message") or message)
            details = [d for d in err.get("details") or [] if isinstance(d, dict)]
            request_id = err.get("requestId") or request_id
        except (ValueError, UnicodeDecodeError, AttributeError):
            pass
        cls = error_for_status(status)
        if status == 401:
            text = f"CrocoClick refused the API key ({status}): {message}"
        elif status == 429:
            text = f"CrocoClick kept answering 'too many requests' to {method} {path}"
        elif status >= 500:
            text = f"CrocoClick failed to answer {method} {path} ({status}: {message})"
        else:
            text = f"CrocoClick {method} {path} failed ({status} {code or ''}): {message}".replace("  ", " ")
        return cls(
            text, status=status, code=code, request_id=request_id, details=details,
            retryable=isinstance(cls, type) and issubclass(cls, CrocoRateLimited | CrocoServerError),
        )

    def _paged(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Follow `nextCursor` to the end; yields each record once (de-duplicated by id)."""
        seen: set[str] = set()
        query = {k: v for k, v in params.items() if v is not None}
        while True:
            page = self.request("GET", path, params=query)
            if not isinstance(page, dict) or not isinstance(page.get("data"), list):
                raise ProtocolError(f"CrocoClick answered GET {path} without a data list")
            for record in page["data"]:
                rid = record.get("id") if isinstance(record, dict) else None
                if rid is None or rid in seen:
                    continue
                seen.add(rid)
                yield record
            cursor = page.get("nextCursor")
            if not page.get("hasMore") or not cursor:
                return
            query["cursor"] = cursor

    # -- account ----------------------------------------------------------------------------------
    def me(self) -> dict[str, Any]:
        return self.request("GET", "/me")

    # -- contacts ---------------------------------------------------------------------------------
    def list_contacts(
        self, *, updated_since: str | None = None, include_deleted: bool = False, limit: int = 200
    ) -> Iterator[dict[str, Any]]:
        return self._paged("/contacts", {
            "updatedSince": updated_since, "limit": limit,
            "includeDeleted": "true" if include_deleted else None,
        })

    def search_contacts(self, email: str) -> list[dict[str, Any]]:
        return list(self.request("GET", "/contacts/search", params={"email": email})["data"])

    def get_contact(self, contact_id: str) -> dict[str, Any]:
        return self.request("GET", f"/contacts/{contact_id}")

    def create_contact(self, body: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        return self.request("POST", "/contacts", json_body=body, idempotency_key=idempotency_key)

    def update_contact(
        self, contact_id: str, body: dict[str, Any], *, version: int | None = None
    ) -> dict[str, Any]:
        return self.request("PATCH", f"/contacts/{contact_id}", json_body=body, if_match=version)

    # -- invoices ---------------------------------------------------------------------------------
    def list_invoices(
        self,
        *,
        updated_since: str | None = None,
        status: list[str] | None = None,
        origin: str | None = None,
        contact_id: str | None = None,
        limit: int = 200,
    ) -> Iterator[dict[str, Any]]:
        return self._paged("/invoices", {
            "updatedSince": updated_since, "limit": limit, "status": ",".join(status) if status else None,
            "origin": origin, "contactId": contact_id,
        })

    def get_invoice(self, invoice_id: str) -> dict[str, Any]:
        return check_invoice(self.request("GET", f"/invoices/{invoice_id}"))

    def create_invoice(self, body: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        return self.request("POST", "/invoices", json_body=body, idempotency_key=idempotency_key)

    def update_invoice(
        self, invoice_id: str, body: dict[str, Any], *, version: int | None = None
    ) -> dict[str, Any]:
        return self.request("PATCH", f"/invoices/{invoice_id}", json_body=body, if_match=version)

    # -- payments ---------------------------------------------------------------------------------
    def list_payments(
        self,
        *,
        updated_since: str | None = None,
        status: list[str] | None = None,
        source_type: list[str] | None = None,
        invoice_id: str | None = None,
        mode: str | None = None,
        limit: int = 200,
    ) -> Iterator[dict[str, Any]]:
        return self._paged("/payments", {
            "updatedSince": updated_since, "limit": limit, "status": ",".join(status) if status else None,
            "sourceType": ",".join(source_type) if source_type else None, "invoiceId": invoice_id,
            "mode": mode,
        })

    def get_payment(self, payment_id: str) -> dict[str, Any]:
        return check_payment(self.request("GET", f"/payments/{payment_id}"))

    def set_payment_external_refs(self, payment_id: str, refs: dict[str, str | None]) -> dict[str, Any]:
        return self.request("PATCH", f"/payments/{payment_id}", json_body={"externalRefs": refs})

    # -- payouts ----------------------------------------------------------------------------------
    def list_payouts(
        self, *, updated_since: str | None = None, status: list[str] | None = None, limit: int = 200
    ) -> Iterator[dict[str, Any]]:
        for payout in self._paged("/payouts", {
            "updatedSince": updated_since, "limit": limit, "status": ",".join(status) if status else None,
        }):
            yield check_payout(payout)

    def get_payout(self, payout_id: str) -> dict[str, Any]:
        return check_payout(self.request("GET", f"/payouts/{payout_id}"))

    def set_payout_external_refs(self, payout_id: str, refs: dict[str, str | None]) -> dict[str, Any]:
        return self.request("PATCH", f"/payouts/{payout_id}", json_body={"externalRefs": refs})

    # -- events -----------------------------------------------------------------------------------
    def events_head(self) -> dict[str, Any]:
        return self.request("GET", "/events/head")

    def list_events(
        self, after: str, *, limit: int = 500, types: list[str] | None = None, wait: int = 0
    ) -> dict[str, Any]:
        """One page of the feed after `after`. With `wait` (1-30 s) a long poll: the server answers as
        soon as an event exists, else with an empty page after `wait` seconds; the read timeout is
        then `wait` + 10 s so that a held request is not taken for a dead connection."""
        if not 0 <= wait <= MAX_EVENTS_WAIT_S:
            raise ValueError(f"wait must be between 0 and {MAX_EVENTS_WAIT_S} seconds")
        params: dict[str, Any] = {"after": after, "limit": limit}
        if types:
            params["types"] = ",".join(types)
        if wait:
            params["wait"] = wait
        page = self.request("GET", "/events", params=params, read_timeout=wait + 10.0 if wait else None)
        if not isinstance(page, dict) or not isinstance(page.get("data"), list) or not page.get("nextCursor"):
            raise ProtocolError("CrocoClick answered GET /events without data and nextCursor")
        return page

    # -- reviews ----------------------------------------------------------------------------------
    def create_review_request(self, body: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        return self.request("POST", "/reviews/requests", json_body=body, idempotency_key=idempotency_key)

    # -- QuickBooks relay (RelayApi protocol of qbo.oauth) -------------------------------------------
    def oauth_config(self) -> dict[str, Any]:
        return self.request("GET", "/integrations/quickbooks/oauth-config")

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        status, body = self.request("POST", "/integrations/quickbooks/token", form=form, raw_status=True)
        return status, body if isinstance(body, dict) else {}

    def revoke(self, token: str) -> None:
        self.request("POST", "/integrations/quickbooks/revoke", json_body={"token": token})


def _check_enum(record: Any, kind: str, field: str, allowed: set[str]) -> None:
    if not isinstance(record, dict):
        raise ProtocolError(f"CrocoClick sent a {kind} that is not an object")
    value = record.get(field)
    if not isinstance(value, str) or value not in allowed:
        raise ProtocolError(
            f"CrocoClick sent {kind} {record.get('id', '?')} with {field} '{value}', which this version of "
            "CrocoQB does not know",
            fix="Update CrocoQB to the latest version, then change the record in CrocoClick (any edit) so it is sent again.",
        )


def _check_contact(record: dict[str, Any], kind: str) -> None:
    value = record.get("contactId")
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError(
            f"CrocoClick sent {kind} {record.get('id', '?')} without the contact it belongs to",
            fix=f"Open the {kind} in CrocoClick and check its contact; it is synced at its next change.",
        )


def check_invoice(record: Any) -> dict[str, Any]:
    """Refuses an invoice whose status the app does not understand (rather than guessing), or that
    names no contact (every invoice has one: without it there is no customer to bill)."""
    _check_enum(record, "invoice", "status", INVOICE_STATUSES)
    _check_contact(record, "invoice")
    return record


def check_payment(record: Any) -> dict[str, Any]:
    _check_enum(record, "payment", "status", PAYMENT_STATUSES)
    _check_enum(record, "payment", "sourceType", PAYMENT_SOURCES)
    _check_contact(record, "payment")
    return record


def check_payout(record: Any) -> dict[str, Any]:
    """Refuses a payout whose status or item types the app does not understand (money it cannot
    account for must not be booked by guess)."""
    _check_enum(record, "payout", "status", PAYOUT_STATUSES)
    items = record.get("items")
    if not isinstance(items, list):
        raise ProtocolError(message("croco.payout_without_items",
                                    "CrocoClick sent payout {payout_id} without its items",
                                    payout_id=str(record.get("id", "?"))))
    for item in items:
        _check_enum(item, "payout item", "type", PAYOUT_ITEM_TYPES)
    return record


def _json_default(value: Any) -> Any:
    # Money travels as strings (the caller formats Amounts); a Decimal left in a body is a JSON
    # number field (quantity, tax rate). float's shortest repr gives back the same digits.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")
