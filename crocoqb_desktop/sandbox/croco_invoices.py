"""CrocoClick sandbox: invoices (tag Invoices of the contract)."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

from crocoqb_desktop.sandbox.base import Request, Response
from crocoqb_desktop.sandbox.croco_common import (
    _BOOKKEEPING,
    INVOICE_STATUSES,
    _admin_body,
    _call_kwargs,
    _camel_items,
    _camel_keys,
    _check_if_match,
    _enum_list,
    _etag,
    _json_body,
    _Location,
    _new_id,
    _snake,
    iso_ms,
)
from crocoqb_desktop.sandbox.croco_contacts import _bill_to
from crocoqb_desktop.sandbox.croco_pipeline import CrocoPipeline
from crocoqb_desktop.sandbox.croco_totals import ZERO, compute_totals, fmt_money, to_decimal
from crocoqb_desktop.sandbox.croco_validation import (
    Checker,
    CrocoError,
    bad_request,
    merge_external_refs,
    validate_invoice_create,
    validate_invoice_update,
)

# fields an invoice status event already explains (no separate invoice.updated for them)
_STATUS_FIELDS = {"status", "amountPaid", "amountDue", "paymentIds", "paidAt", "voidedAt", "sentAt", "billTo"}


_STATUS_EVENT = {
    "sent": "invoice.sent",
    "partially_paid": "invoice.partially_paid",
    "paid": "invoice.paid",
    "void": "invoice.voided",
}



class InvoicesMixin(CrocoPipeline):
    """Invoices: Python API (user actions), API handlers, admin actions and the data model."""

    def invoices(self, location_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(list(self._loc(location_id).invoices.values()))

    def invoice(self, location_id: str, invoice_id: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._invoice(self._loc(location_id), invoice_id))

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
        contact = self._contact(loc, data["contactId"], field="contactId")
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

    def _a_create_invoice(self, request: Request) -> Response:
        body = {_snake(k): v for k, v in _admin_body(request).items()}
        return Response.json(_call_kwargs(self.create_invoice, request.params["loc"], body), 201)

    def _a_send_invoice(self, request: Request) -> dict[str, Any]:
        return self.send_invoice(request.params["loc"], request.params["id"])

    def _a_update_invoice(self, request: Request) -> dict[str, Any]:
        return self.update_invoice(request.params["loc"], request.params["id"], **_admin_body(request))

    def _a_void_invoice(self, request: Request) -> dict[str, Any]:
        return self.void_invoice(request.params["loc"], request.params["id"])

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
