"""Payouts of the CrocoClick sandbox (tag Payments of the contract): `GET /payouts`,
`GET/PATCH /payouts/{payoutId}`, events `payout.paid` / `payout.failed`, and the admin (test) actions
that create a payout and move it along.

A payout settles the location's *unsettled processor balance movements* of one provider and currency:
each live payment that succeeded with a `paymentMethod.provider` (gross = amount, fee = fee.amount,
net = gross - fee; a payment whose fee is still unknown counts with fee 0), each refund of such a
payment (gross = -amount, fee = -feeReturned or 0, net = gross - fee), plus optional adjustments
given by the caller (gross = net = the amount given, fee 0 or the dispute fee given, as the contract's
PayoutItem says: for a dispute, `amount` includes the dispute fee and `fee` tells which part of it is
a fee). So for a payment fully settled, the nets of its items add up to the payment's `net`
(amount - fee - refunds + feeReturned). Payments without a provider (cash, cheque, manual) and test-mode
payments never appear. `amount` = the sum of the items' net.

Status: pending -> in_transit -> paid | failed (pending may go straight to paid or failed); paid and
failed are final. Only paid and failed emit an event (actor system, data = the payout). A failed
payout's balance returns to the processor: its payment and refund movements become unsettled again,
so the next payout settles them.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from crocoqb_desktop.sandbox.base import Request, Response
from crocoqb_desktop.sandbox.croco_common import _admin_body, _json_body, _Location, _new_id, _snake, iso_ms
from crocoqb_desktop.sandbox.croco_pipeline import CrocoPipeline
from crocoqb_desktop.sandbox.croco_totals import ZERO, fmt_money, to_decimal
from crocoqb_desktop.sandbox.croco_validation import (
    AMOUNT_RE,
    CURRENCY_RE,
    CrocoError,
    bad_request,
    merge_external_refs,
    validate_payment_refs,
)

PAYOUT_STATUSES = ("pending", "in_transit", "paid", "failed")
_NEXT_STATUS = {"pending": ("in_transit", "paid", "failed"), "in_transit": ("paid", "failed")}
ADJUSTMENT_KINDS = ("dispute", "dispute_reversal", "reserve", "other")


class PayoutsMixin(CrocoPipeline):
    """Payouts: Python API, API handlers and admin actions."""

    # Python API ------------------------------------------------------------------------------------
    def payouts(self, location_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(list(self._loc(location_id).payouts.values()))

    def payout(self, location_id: str, payout_id: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._payout(self._loc(location_id), payout_id))

    def unsettled_items(self, location_id: str, provider: str = "stripe", currency: str | None = None
                        ) -> list[dict[str, Any]]:
        """The movements the next payout of `provider` would settle (without adjustments)."""
        with self.lock:
            loc = self._loc(location_id)
            return [item for _key, item in _unsettled(loc, provider, currency or loc.currency)]

    def create_payout(
        self,
        location_id: str,
        *,
        provider: str = "stripe",
        currency: str | None = None,
        adjustments: list[dict[str, Any]] | None = None,
        bank_account_last4: str | None = "6789",
        arrival_date: str | None = None,
        status: str = "pending",
    ) -> dict[str, Any]:
        """The processor groups the unsettled balance of `provider` (plus `adjustments`, each
        {amount, fee?, description?, kind?}) into a payout. 422 when there is nothing to pay out."""
        if status not in ("pending", "in_transit"):
            raise bad_request("a new payout is pending or in_transit", "status", "invalid_enum")
        if not isinstance(provider, str) or not provider:
            raise bad_request("provider is required", "provider", "required")
        if bank_account_last4 is not None and not (
            isinstance(bank_account_last4, str) and len(bank_account_last4) == 4 and bank_account_last4.isdigit()
        ):
            raise bad_request("bankAccountLast4 must be 4 digits", "bankAccountLast4", "invalid_pattern")
        if arrival_date is not None:
            _check_date(arrival_date, "arrivalDate")
        extra = [_adjustment(a, i) for i, a in enumerate(adjustments or [])]
        with self.lock:
            loc = self._loc(location_id)
            currency = currency or loc.currency
            if not isinstance(currency, str) or not CURRENCY_RE.match(currency):
                raise bad_request("currency must be an ISO 4217 code", "currency", "invalid_currency")
            moves = _unsettled(loc, provider, currency)
            if not moves and not extra:
                raise CrocoError(
                    422,
                    "validation_failed",
                    f"no unsettled {provider} balance in {currency} to pay out",
                    [{"field": "provider", "issue": "nothing_to_pay_out"}],
                )
            items = [item for _key, item in moves] + extra
            ms = self._stamp()
            now = datetime.fromtimestamp(ms / 1000, UTC)
            payout: dict[str, Any] = {
                "id": _new_id("po"),
                "amount": fmt_money(sum((to_decimal(i["net"]) for i in items), ZERO)),
                "currency": currency,
                "status": status,
                "provider": provider,
                "bankAccountLast4": bank_account_last4,
                "arrivalDate": arrival_date or (now + timedelta(days=2)).date().isoformat(),
                "items": items,
                "createdAt": iso_ms(ms),
                "updatedAt": iso_ms(ms),
                "externalRefs": {},
            }
            loc.payouts[payout["id"]] = payout
            loc.stamps[payout["id"]] = ms
            loc.payout_moves[payout["id"]] = [key for key, _item in moves]
            loc.settled.update(loc.payout_moves[payout["id"]])
            return copy.deepcopy(payout)

    def set_payout_status(
        self, location_id: str, payout_id: str, status: str, *, arrival_date: str | None = None
    ) -> dict[str, Any]:
        """Move a payout along: in_transit (no event), paid (event payout.paid, final; `arrivalDate`
        becomes the actual day, today unless given) or failed (event payout.failed, final)."""
        if status not in PAYOUT_STATUSES:
            raise bad_request(f"status must be one of {PAYOUT_STATUSES}", "status", "invalid_enum")
        if arrival_date is not None:
            _check_date(arrival_date, "arrivalDate")
        with self.lock:
            loc = self._loc(location_id)
            payout = self._payout(loc, payout_id)
            if status not in _NEXT_STATUS.get(payout["status"], ()):
                raise CrocoError(
                    422,
                    "validation_failed",
                    f"a {payout['status']} payout cannot become {status}",
                    [{"field": "status", "issue": "invalid_transition"}],
                )
            ms = self._stamp()
            payout["status"] = status
            if status == "paid":
                payout["arrivalDate"] = arrival_date or datetime.fromtimestamp(ms / 1000, UTC).date().isoformat()
            elif arrival_date is not None:
                payout["arrivalDate"] = arrival_date
            if status == "failed":  # the balance returns to the processor: settle it again later
                loc.settled.difference_update(loc.payout_moves.get(payout_id, []))
            self._touch(loc, payout, ms, versioned=False)
            if status in ("paid", "failed"):
                self._emit(
                    loc, f"payout.{status}", "payout", payout, {"type": "system", "id": None}, ms
                )
            return copy.deepcopy(payout)

    # HTTP handlers ---------------------------------------------------------------------------------
    def _h_list_payouts(self, request: Request, loc: _Location) -> Response:
        statuses = _status_list(request.query)
        return self._page(
            request, loc, loc.payouts, lambda p: statuses is None or p["status"] in statuses
        )

    def _h_get_payout(self, request: Request, loc: _Location) -> Response:
        return Response.json(self._payout(loc, request.params["payoutId"]))

    def _h_update_payout(self, request: Request, loc: _Location) -> Response:
        payout = self._payout(loc, request.params["payoutId"])
        refs = validate_payment_refs(_json_body(request))
        merged = merge_external_refs(payout["externalRefs"], refs)
        if merged != payout["externalRefs"]:
            payout["externalRefs"] = merged
            self._touch(loc, payout, self._stamp(), versioned=False)
        return Response.json(payout)

    def _a_create_payout(self, request: Request) -> Response:
        body = {_snake(k): v for k, v in _admin_body(request).items()}
        try:
            return Response.json(self.create_payout(request.params["loc"], **body), 201)
        except TypeError as exc:
            raise bad_request(f"bad admin body: {exc}") from None

    def _a_payout_status(self, request: Request) -> dict[str, Any]:
        body = {_snake(k): v for k, v in _admin_body(request).items()}
        if not isinstance(body.get("status"), str):
            raise bad_request("status is required", "status", "required")
        try:
            return self.set_payout_status(request.params["loc"], request.params["id"], **body)
        except TypeError as exc:
            raise bad_request(f"bad admin body: {exc}") from None

    @staticmethod
    def _payout(loc: _Location, payout_id: str) -> dict[str, Any]:
        payout = loc.payouts.get(payout_id)
        if payout is None:
            raise CrocoError(404, "not_found", f"no payout {payout_id} in this location")
        return payout


# ----------------------------------------------------------------------------------------------------
def _unsettled(loc: _Location, provider: str, currency: str) -> list[tuple[str, dict[str, Any]]]:
    """(movement key, PayoutItem) of every unsettled movement, in the order the money moved."""
    moves: list[tuple[int, str, dict[str, Any]]] = []
    for pay in loc.payments.values():
        method = pay["paymentMethod"]
        if (
            pay["status"] == "failed"
            or pay["mode"] != "live"
            or method.get("provider") != provider
            or pay["currency"] != currency
        ):
            continue
        created = loc.stamps.get(pay["id"], 0)
        key = "pay:" + pay["id"]
        if key not in loc.settled:
            gross = to_decimal(pay["amount"])
            fee = to_decimal(pay["fee"]["amount"]) if pay["fee"] else ZERO
            moves.append((created, key, _item("payment", gross, fee, pay["id"], None, None)))
        for n, refund in enumerate(pay["refunds"]):
            key = "ref:" + refund["id"]
            if key in loc.settled:
                continue
            gross = -to_decimal(refund["amount"])
            fee = -to_decimal(refund["feeReturned"]) if refund.get("feeReturned") else ZERO
            moves.append((created + n + 1, key, _item("refund", gross, fee, pay["id"], refund["id"], None)))
    moves.sort(key=lambda m: (m[0], m[1]))
    return [(key, item) for _ms, key, item in moves]


def _item(
    kind: str, gross: Decimal, fee: Decimal, payment_id: str | None, refund_id: str | None,
    description: str | None,
) -> dict[str, Any]:
    return {
        "type": kind,
        "paymentId": payment_id,
        "refundId": refund_id,
        "gross": fmt_money(gross),
        "fee": fmt_money(fee),
        "net": fmt_money(gross - fee) if kind != "adjustment" else fmt_money(gross),
        "description": description,
    }


def _adjustment(raw: Any, index: int) -> dict[str, Any]:
    field = f"adjustments[{index}]"
    if not isinstance(raw, dict) or "amount" not in raw:
        raise bad_request(f"{field} must be an object with an amount", field, "invalid")
    amount = _money(raw["amount"], f"{field}.amount")
    fee = _money(raw.get("fee", "0.00"), f"{field}.fee")
    kind = raw.get("kind", "other")
    if kind not in ADJUSTMENT_KINDS:
        raise bad_request(f"{field}.kind must be one of {ADJUSTMENT_KINDS}", f"{field}.kind", "invalid_enum")
    description = raw.get("description") or {
        "dispute": "Dispute",
        "dispute_reversal": "Dispute reversal",
        "reserve": "Reserve",
        "other": "Adjustment",
    }[kind]
    # the contract's PayoutItem: for an adjustment gross = net; fee is 0 or the dispute fee
    return _item("adjustment", amount, fee, raw.get("paymentId"), None, str(description))


def _money(value: Any, field: str) -> Decimal:
    text = value if isinstance(value, str) else None
    negative = text is not None and text.startswith("-")
    if text is None or not AMOUNT_RE.match(text[1:] if negative else text):
        raise CrocoError(
            422,
            "validation_failed",
            f"{field} must be a decimal string such as '-15.00'",
            [{"field": field, "issue": "invalid_amount"}],
        )
    return to_decimal(text)


def _check_date(text: Any, field: str) -> None:
    try:
        ok = isinstance(text, str) and len(text) == 10 and bool(datetime.strptime(text, "%Y-%m-%d"))
    except ValueError:
        ok = False
    if not ok:
        raise bad_request(f"{field} must be a date YYYY-MM-DD", field, "invalid_date")


def _status_list(query: dict[str, str]) -> set[str] | None:
    raw = query.get("status")
    if raw is None:
        return None
    values = [v.strip() for v in raw.split(",")]
    bad = [v for v in values if v not in PAYOUT_STATUSES]
    if bad:
        raise bad_request(f"status: unknown value {bad[0]!r}", "status", "invalid_enum")
    return set(values)
