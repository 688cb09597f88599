"""QuickBooks Online Accounting API v3 client (qbo-reference.md sections 2-5, 7).

- Every call: `minorversion=75`, `Accept`/`Content-Type: application/json`, `Authorization: Bearer`.
- Writes carry the caller's `requestid`, the same on every retry of one logical write.
- Money: JSON numbers are parsed as `Decimal` and `Decimal`s are written as JSON numbers (no float).
- Limits, all at once: requests/minute (batches count), requests/second and batches/minute sliding
  windows, at most `max_concurrency` requests in flight; a 429/3001 blocks every thread for `throttle_wait_s`.
- Retries: 401 -> invalidate the token, refresh once, retry; 429/3001 -> wait, retry; 5xx, connection
  errors and timeouts -> backoff with jitter; up to `max_attempts`, then the fault or `NetworkError`.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as url_quote

import requests

from crocoqb_desktop.errors import NetworkError, ProtocolError
from crocoqb_desktop.messages import message
from crocoqb_desktop.net.ratelimit import AnsweredWindowLimiter, ConcurrencyLimiter
from crocoqb_desktop.net.retry import backoff_delay
from crocoqb_desktop.net.session import check_url_allowed, make_session
from crocoqb_desktop.qbo.faults import (
    AuthenticationFault,
    QboFault,
    ThrottledFault,
    fault_from_dict,
    parse_fault,
)
from crocoqb_desktop.qbo.query import build_count, build_select, check_entity

if TYPE_CHECKING:
    from crocoqb_desktop.qbo.tokens import TokenManager

log = logging.getLogger("crocoqb.qbo")

MINOR_VERSION = "75"
MAX_BATCH_ITEMS = 30
#: queries longer than this go as `POST /query` (Content-Type application/text) instead of a long URL
MAX_GET_QUERY_CHARS = 3000

# -- JSON with Decimal ------------------------------------------------------------------------------
_DEC_TAG = "@qbodec" + secrets.token_hex(6) + ":"
_DEC_RE = re.compile('"' + re.escape(_DEC_TAG) + r'(-?[0-9]+(?:\.[0-9]+)?)"')


def _tag_decimals(value: Any) -> tuple[Any, bool]:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("QuickBooks amounts must be finite numbers")
        return _DEC_TAG + format(value, "f"), True
    if isinstance(value, dict):
        found = False
        out = {}
        for k, v in value.items():
            out[k], f = _tag_decimals(v)
            found = found or f
        return out, found
    if isinstance(value, list | tuple):
        found = False
        items = []
        for v in value:
            item, f = _tag_decimals(v)
            items.append(item)
            found = found or f
        return items, found
    return value, False


def dumps(value: Any) -> bytes:
    """JSON for QuickBooks: `Decimal("12.50")` becomes the number `12.50`, never a float or a string."""
    tagged, found = _tag_decimals(value)
    text = json.dumps(tagged, separators=(",", ":"), ensure_ascii=False)
    if found:
        text = _DEC_RE.sub(r"\1", text)
    return text.encode("utf-8")


def loads(data: bytes | str) -> Any:
    """Parse a QuickBooks JSON body: non-integer numbers become `Decimal`."""
    return json.loads(data, parse_float=Decimal)


def _path_segment(value: str) -> str:
    return url_quote(str(value), safe="")


def format_changed_since(when: datetime) -> str:
    """`2025-03-01T14:05:09+00:00`: a naive datetime is taken as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.isoformat(timespec="seconds")


def parse_cdc_answer(result: dict[str, Any], names: list[str]) -> dict[str, list[dict[str, Any]]]:
    """`{"CDCResponse":[{"QueryResponse":[{"<Entity>":[...]}, ...]}]}` -> `{entity: [objects]}`."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for block in result.get("CDCResponse") or []:
        if not isinstance(block, dict):
            continue
        if isinstance(block.get("Fault"), dict):
            raise fault_from_dict(block["Fault"], status=200)
        for qr in block.get("QueryResponse") or []:
            if not isinstance(qr, dict):
                continue
            for key, value in qr.items():
                if isinstance(value, list):
                    out.setdefault(key, []).extend(value)
    return out


def parse_batch_answer(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each `BatchItemResponse` item; a failed one gets `"fault": QboFault` next to its `Fault`."""
    answers = result.get("BatchItemResponse")
    if not isinstance(answers, list):
        raise ProtocolError(message("qbo.batch_no_items", "QuickBooks' batch answer has no BatchItemResponse"))
    out = []
    for answer in answers:
        if not isinstance(answer, dict):
            continue
        if isinstance(answer.get("Fault"), dict):
            answer = dict(answer)
            answer["fault"] = fault_from_dict(answer["Fault"], status=200)
        out.append(answer)
    return out


@dataclass
class _RealmLimits:
    requests: AnsweredWindowLimiter
    batches: AnsweredWindowLimiter
    per_second: AnsweredWindowLimiter
    in_flight: ConcurrencyLimiter


_limits_lock = threading.Lock()
_limits: dict[tuple[Any, ...], _RealmLimits] = {}


def _realm_limits(api_base: str, realm_id: str, per_minute: int, batches_per_minute: int, per_second: int,
                  max_concurrency: int, window_s: float, sleep: Callable[[float], None]) -> _RealmLimits:
    """One set of limiters per company (and per set of limits) in this process. The service counts a
    request as it arrives, and one that arrives early at a window boundary costs a whole throttle wait:
    a request keeps its place until a window after its answer (AnsweredWindowLimiter)."""
    key = (api_base, realm_id, per_minute, batches_per_minute, per_second, max_concurrency, window_s, sleep)
    with _limits_lock:
        limits = _limits.get(key)
        if limits is None:
            limits = _limits[key] = _RealmLimits(
                AnsweredWindowLimiter(per_minute, window_s, sleep=sleep),
                AnsweredWindowLimiter(batches_per_minute, window_s, sleep=sleep),
                # Intuit's 10 requests/second per realm and app: without it a burst of 10 workers meets a
                # throttle (and its 60 s wait) even far below 500/minute
                AnsweredWindowLimiter(per_second, window_s / 60.0, sleep=sleep),
                ConcurrencyLimiter(max(1, int(max_concurrency))),
            )
        return limits


class QboClient:
    def __init__(
        self,
        api_base: str,
        realm_id: str,
        tokens: TokenManager,
        *,
        requests_per_minute: int = 500,
        batches_per_minute: int = 40,
        requests_per_second: int = 10,
        throttle_wait_s: float = 60.0,
        max_concurrency: int = 10,
        timeout: tuple[float, float] = (10.0, 60.0),
        max_attempts: int = 5,
        window_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """`window_s` is the length of the "minute" of both rate windows: tests against a time-compressed
        sandbox shorten it the same way (60 / time_scale) instead of changing the limits; the "second" of
        the per-second limit is `window_s / 60`."""
        if not realm_id:
            raise ValueError("realm_id is required")
        self.api_base = api_base.rstrip("/")
        self.realm_id = str(realm_id)
        self._base = f"{self.api_base}/v3/company/{_path_segment(self.realm_id)}/"
        check_url_allowed(self._base)
        self._tokens = tokens
        self.throttle_wait_s = float(throttle_wait_s)
        self._timeout = timeout
        self._max_attempts = max(1, int(max_attempts))
        self._sleep = sleep
        # QuickBooks' limits are per company and app, not per client object: the connection, the check, a
        # sync and the long-poll push of one process each have a client, so they share one set of limiters
        # (a burst from two of them met a throttle and its 60 s wait on the first sync after Connect)
        limits = _realm_limits(self.api_base, self.realm_id, requests_per_minute, batches_per_minute,
                               requests_per_second, max_concurrency, window_s, sleep)
        self._limiter = limits.requests
        self._batch_limiter = limits.batches
        self._second_limiter = limits.per_second
        #: requests in flight at once (callers size their worker pools on it)
        self.max_concurrency = max(1, int(max_concurrency))
        self._concurrency = limits.in_flight
        self._session = make_session(pool_size=max_concurrency)
        self._session.headers["Accept"] = "application/json"
        #: counters for diagnostics and tests
        self.stats = {"requests": 0, "retries": 0, "throttled": 0, "refreshes_after_401": 0}

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> QboClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport --------------------------------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: Any = None,
        text_body: str | None = None,
        request_id: str | None = None,
        is_batch: bool = False,
    ) -> dict[str, Any]:
        url = self._base + path
        query = {"minorversion": MINOR_VERSION}
        if params:
            query.update(params)
        if request_id is not None:
            query["requestid"] = request_id
        headers: dict[str, str] = {}
        data: bytes | None = None
        if body is not None:
            data = dumps(body)
            headers["Content-Type"] = "application/json"
        elif text_body is not None:
            data = text_body.encode("utf-8")
            headers["Content-Type"] = "application/text"

        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            try:
                # the rate slots are taken once a concurrency slot is held, right before sending
                with self._concurrency.slot():
                    token = self._tokens.access_token()
                    headers["Authorization"] = "Bearer " + token
                    # the per-second slot last: it is the shortest window, taken right before sending
                    limiters = [self._limiter, self._batch_limiter] if is_batch else [self._limiter]
                    limiters.append(self._second_limiter)
                    for limiter in limiters:
                        limiter.acquire()
                    try:
                        self.stats["requests"] += 1
                        response = self._session.request(
                            method, url, params=query, data=data, headers=headers, timeout=self._timeout,
                            allow_redirects=False,
                        )
                    finally:
                        for limiter in limiters:
                            limiter.answered()
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                # ChunkedEncodingError: the connection broke in the middle of the answer; like a timeout,
                # the outcome is uncertain and the retry carries the same requestid
                if attempt >= self._max_attempts:
                    raise NetworkError(
                        message("qbo.unreachable", 'QuickBooks could not be reached ({name}, {attempt} attempts)', name=exc.__class__.__name__, attempt=attempt)
                    ) from None
                self._backoff(attempt, method, path, exc.__class__.__name__)
                continue
            except requests.RequestException as exc:
                raise NetworkError(message("qbo.request_failed", 'QuickBooks request failed ({name})', name=exc.__class__.__name__)) from None

            status = response.status_code
            content = response.content
            tid = response.headers.get("intuit_tid") or response.headers.get("Intuit-Tid")
            if status == 200:
                try:
                    result = loads(content)
                except ValueError:
                    result = None
                if isinstance(result, dict):
                    if "Fault" not in result and "fault" not in result:
                        return result
                    fault: QboFault | None = fault_from_dict(result, status=status, intuit_tid=tid)
                else:
                    fault = parse_fault(status, response.headers.get("Content-Type"), content, intuit_tid=tid)
                    if fault is None:
                        raise ProtocolError(message("qbo.not_json", "QuickBooks answered with something that is not JSON"), status=status,
                                            request_id=tid)
            else:
                fault = parse_fault(status, response.headers.get("Content-Type"), content, intuit_tid=tid)
                if fault is None:  # a 2xx/3xx other than 200
                    raise ProtocolError(message("qbo.unexpected_answer", 'unexpected answer from QuickBooks (HTTP {status})', status=status), status=status,
                                        request_id=tid)

            if isinstance(fault, AuthenticationFault) and not refreshed:
                refreshed = True
                attempt -= 1  # the retry after a refresh is not a failed attempt
                self.stats["refreshes_after_401"] += 1
                self._tokens.invalidate(token)
                log.info("QuickBooks answered 401 to %s %s: renewing the access token", method, path)
                continue
            if isinstance(fault, ThrottledFault):
                self.stats["throttled"] += 1
                self._limiter.block_for(self.throttle_wait_s)
                if attempt >= self._max_attempts:
                    raise fault
                log.warning("QuickBooks throttled %s %s: waiting %.1f s (intuit_tid %s)", method, path,
                            self.throttle_wait_s, tid)
                self.stats["retries"] += 1
                continue
            assert fault is not None
            if status >= 500 and attempt < self._max_attempts:
                self._backoff(attempt, method, path, f"HTTP {status}")
                continue
            raise fault

    def _backoff(self, attempt: int, method: str, path: str, why: str) -> None:
        delay = backoff_delay(attempt)
        self.stats["retries"] += 1
        log.warning("QuickBooks %s %s failed (%s): retry %d in %.1f s", method, path, why, attempt, delay)
        self._sleep(delay)

    @staticmethod
    def _entity_of(result: dict[str, Any], entity: str) -> dict[str, Any]:
        value = result.get(entity)
        if not isinstance(value, dict):
            raise ProtocolError(message("qbo.answer_missing_entity", "QuickBooks' answer has no {entity}", entity=entity))
        return value

    # -- entities ---------------------------------------------------------------------------------
    def get(self, entity: str, entity_id: str) -> dict[str, Any]:
        check_entity(entity)
        result = self._request("GET", f"{entity.lower()}/{_path_segment(entity_id)}")
        return self._entity_of(result, entity)

    def create(self, entity: str, body: dict[str, Any], *, request_id: str) -> dict[str, Any]:
        check_entity(entity)
        result = self._request("POST", entity.lower(), body=body, request_id=request_id)
        return self._entity_of(result, entity)

    def update(self, entity: str, body: dict[str, Any], *, request_id: str, sparse: bool = True) -> dict[str, Any]:
        """Sparse by default: only the fields in `body` change. `Id` and the current `SyncToken` are required."""
        check_entity(entity)
        if not body.get("Id") or body.get("SyncToken") in (None, ""):
            raise ValueError("an update needs Id and SyncToken")
        payload = dict(body)
        payload["sparse"] = bool(sparse)
        result = self._request("POST", entity.lower(), body=payload, request_id=request_id)
        return self._entity_of(result, entity)

    def void(self, entity: str, entity_id: str, sync_token: str, *, request_id: str) -> dict[str, Any]:
        check_entity(entity)
        result = self._request("POST", entity.lower(), params={"operation": "void"},
                               body={"Id": str(entity_id), "SyncToken": str(sync_token)}, request_id=request_id)
        return self._entity_of(result, entity)

    def delete(self, entity: str, entity_id: str, sync_token: str, *, request_id: str) -> dict[str, Any]:
        check_entity(entity)
        result = self._request("POST", entity.lower(), params={"operation": "delete"},
                               body={"Id": str(entity_id), "SyncToken": str(sync_token)}, request_id=request_id)
        return self._entity_of(result, entity)

    # -- queries ----------------------------------------------------------------------------------
    def query(self, sql: str) -> dict[str, Any]:
        """Run one query; returns the `QueryResponse` object (`{}` past the end)."""
        if len(sql) > MAX_GET_QUERY_CHARS:
            result = self._request("POST", "query", text_body=sql)
        else:
            result = self._request("GET", "query", params={"query": sql})
        response = result.get("QueryResponse")
        if not isinstance(response, dict):
            raise ProtocolError(message("qbo.query_no_response", "QuickBooks' answer to a query has no QueryResponse"))
        return response

    def query_all(
        self, entity: str, where: list[str] | None = None, *, page_size: int = 1000, order_by: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every matching object, page by page (STARTPOSITION 1, 1+page_size, ...) until a short page."""
        start = 1
        while True:
            page = self.query(build_select(entity, where, order_by, start, page_size))
            items = page.get(entity) or []
            yield from items
            if len(items) < page_size:
                return
            start += page_size

    def count(self, entity: str, where: list[str] | None = None) -> int:
        response = self.query(build_count(entity, where))
        try:
            return int(response.get("totalCount", 0))
        except (TypeError, ValueError):
            raise ProtocolError(message("qbo.count_no_total", "QuickBooks' count answer has no totalCount")) from None

    def cdc(self, entities: list[str], changed_since: datetime) -> dict[str, list[dict[str, Any]]]:
        """Objects of `entities` changed since `changed_since` (at most 30 days back; deleted ones carry
        `status: "Deleted"`). Returns `{entity: [objects]}` with every asked entity present."""
        names = [check_entity(e) for e in entities]
        if not names:
            return {}
        result = self._request(
            "GET", "cdc", params={"entities": ",".join(names), "changedSince": format_changed_since(changed_since)}
        )
        return parse_cdc_answer(result, names)

    # -- batch ------------------------------------------------------------------------------------
    def batch(self, items: list[dict[str, Any]], *, request_id: str) -> list[dict[str, Any]]:
        """Up to 30 operations in one request. Each answer item keeps its `bId`; a failed item gets
        `"fault": QboFault` (the HTTP status of a batch is 200 even when items fail)."""
        if not items:
            return []
        if len(items) > MAX_BATCH_ITEMS:
            raise ValueError(f"a batch holds at most {MAX_BATCH_ITEMS} items")
        for item in items:
            if "bId" not in item:
                raise ValueError("every batch item needs a bId")
        result = self._request("POST", "batch", body={"BatchItemRequest": items}, request_id=request_id,
                               is_batch=True)
        return parse_batch_answer(result)

    def batch_room(self) -> bool:
        """Whether a batch could be sent now without waiting for the batches-per-minute window."""
        return self._batch_limiter.has_room()

    # -- company ----------------------------------------------------------------------------------
    def company_info(self) -> dict[str, Any]:
        result = self._request("GET", f"companyinfo/{_path_segment(self.realm_id)}")
        return self._entity_of(result, "CompanyInfo")

    def preferences(self) -> dict[str, Any]:
        return self._entity_of(self._request("GET", "preferences"), "Preferences")
