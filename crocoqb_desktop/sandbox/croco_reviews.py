"""CrocoClick sandbox: review requests (tag Reviews of the contract)."""

from __future__ import annotations

import copy
from typing import Any

from crocoqb_desktop.sandbox.base import Request, Response
from crocoqb_desktop.sandbox.croco_common import (
    REVIEW_WINDOW_MS,
    _json_body,
    _Location,
    _new_id,
    iso_ms,
)
from crocoqb_desktop.sandbox.croco_pipeline import CrocoPipeline
from crocoqb_desktop.sandbox.croco_validation import (
    CrocoError,
    validate_review_create,
)


class ReviewsMixin(CrocoPipeline):
    """Review requests."""

    def review_requests(self, location_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(list(self._loc(location_id).reviews.values()))

    def _h_create_review(self, request: Request, loc: _Location) -> Response:
        data = validate_review_create(_json_body(request))
        contact = self._contact(loc, data["contactId"], field="contactId")
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
