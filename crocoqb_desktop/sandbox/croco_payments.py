"""CrocoClick sandbox: payments and refunds (tag Payments of the contract)."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

from crocoqb_desktop.sandbox.base import Request, Response
from crocoqb_desktop.sandbox.croco_common import (
    _BOOKKEEPING,
    PAYMENT_METHOD_TYPES,
    PAYMENT_SOURCE_TYPES,
    PAYMENT_STATUSES,
    USER_ACTOR_ID,
    _admin_body,
    _call_kwargs,
    _camel_items,
    _enum_list,
    _json_body,
    _Location,
    _new_id,
    _snake,
    iso_ms,
)
from crocoqb_desktop.sandbox.croco_invoices import InvoicesMixin, _derive_status, _render_items
from crocoqb_desktop.sandbox.croco_totals import fmt_money, round_money, to_decimal
from crocoqb_desktop.sandbox.croco_validation import (
    AMOUNT_RE,
    Checker,
    CrocoError,
    bad_request,
    merge_external_refs,
    validate_payment_refs,
)


class PaymentsMixin(InvoicesMixin):
    """Payments and refunds (a succeeded invoice payment updates its invoice, hence the base)."""

    def payments(self, location_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(list(self._loc(location_id).payments.values()))

    def payment(self, location_id: str, payment_id: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._payment(self._loc(location_id), payment_id))

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
