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

from typing import Any

from crocoqb_desktop.sandbox.base import Request, Response
from crocoqb_desktop.sandbox.croco_common import (
    ALL_PERMISSIONS,
    EVENT_TYPES,
    _admin_body,
    _Location,
    _RouteMeta,
)
from crocoqb_desktop.sandbox.croco_contacts import ContactsMixin
from crocoqb_desktop.sandbox.croco_events import EventsMixin
from crocoqb_desktop.sandbox.croco_payments import PaymentsMixin
from crocoqb_desktop.sandbox.croco_payouts import PayoutsMixin
from crocoqb_desktop.sandbox.croco_relay import RelayMixin
from crocoqb_desktop.sandbox.croco_reviews import ReviewsMixin
from crocoqb_desktop.sandbox.croco_validation import CrocoError, bad_request

__all__ = ["CrocoSandbox", "CrocoError", "ALL_PERMISSIONS", "EVENT_TYPES"]


class CrocoSandbox(ContactsMixin, PaymentsMixin, PayoutsMixin, EventsMixin, ReviewsMixin, RelayMixin):
    """A CrocoClick API server on 127.0.0.1 with in-memory data (see the module docstring). The state
    and request pipeline live in croco_core.py / croco_pipeline.py, each resource in its own mixin."""

    name = "croco-sandbox"

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
