"""CrocoClick sandbox: the event feed (tag Events of the contract), long poll included."""

from __future__ import annotations

import copy
import time
from typing import Any

from crocoqb_desktop.sandbox.base import Request, Response
from crocoqb_desktop.sandbox.croco_common import (
    CURSOR_HEX_RE,
    EVENT_TYPES,
    RETENTION_DAYS,
    _admin_body,
    _enum_list,
    _int_param,
    _Location,
    event_cursor,
)
from crocoqb_desktop.sandbox.croco_pipeline import CrocoPipeline
from crocoqb_desktop.sandbox.croco_validation import (
    CrocoError,
    bad_request,
)


class EventsMixin(CrocoPipeline):
    """The feed: readers, `GET /events` (long poll) and `/events/head`, retention."""

    def events(self, location_id: str) -> list[dict[str, Any]]:
        with self.lock:
            loc = self._loc(location_id)
            self._prune_events(loc)
            return copy.deepcopy(loc.events)

    def event_head(self, location_id: str) -> dict[str, Any]:
        with self.lock:
            seq = self._loc(location_id).next_sequence - 1
            return {"cursor": event_cursor(seq), "sequence": seq, "retentionDays": RETENTION_DAYS}

    def expire_events_older_than(self, location_id: str, sequence: int) -> None:
        """Drop events with a sequence below `sequence`, as retention would: an `after` cursor older
        than `sequence - 1` then answers 410 `cursor_expired`."""
        with self.lock:
            loc = self._loc(location_id)
            keep = [i for i, e in enumerate(loc.events) if e["sequence"] >= sequence]
            loc.events = [loc.events[i] for i in keep]
            loc.event_stamps = [loc.event_stamps[i] for i in keep]
            loc.min_after = max(loc.min_after, sequence - 1)

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
        next_cursor = page[-1]["cursor"] if page else after_raw
        return Response.json({"data": copy.deepcopy(page), "nextCursor": next_cursor, "hasMore": has_more})

    def _h_events_head(self, request: Request, loc: _Location) -> Response:
        self._prune_events(loc)
        seq = loc.next_sequence - 1
        return Response.json({"cursor": event_cursor(seq), "sequence": seq, "retentionDays": RETENTION_DAYS})

    def _a_expire_events(self, request: Request) -> dict[str, Any]:
        body = _admin_body(request)
        if not isinstance(body.get("sequence"), int):
            raise bad_request("sequence (integer) is required", "sequence", "required")
        self.expire_events_older_than(request.params["loc"], body["sequence"])
        return self.event_head(request.params["loc"])
