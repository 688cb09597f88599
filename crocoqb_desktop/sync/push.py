"""CrocoClick -> QuickBooks: change intake from the event feed, then the outbox of QBO writes.

Exactly once: an event becomes an outbox operation in the same transaction that advances the
event cursor; each operation carries a deterministic requestid; before creating anything after an
uncertain outcome, the object is looked up again by a marker the app owns (email for customers,
the CrocoClick id in PrivateNote for transactions). A crash at any point followed by a rerun
creates nothing twice and loses nothing.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crocoqb_desktop.croco.client import CrocoClient, check_invoice, check_payment
from crocoqb_desktop.croco.errors import CrocoApiError, CrocoCursorExpired, CrocoNotFound
from crocoqb_desktop.errors import (
    CrocoQBError,
    NetworkError,
    ProtocolError,
    ReconnectNeeded,
    RecordError,
    ServiceError,
)
from crocoqb_desktop.net.retry import backoff_delay
from crocoqb_desktop.qbo.faults import (
    AuthenticationFault,
    AuthorizationFault,
    DuplicateNameFault,
    ObjectNotFoundFault,
    QboFault,
    StaleObjectFault,
    ThrottledFault,
)
from crocoqb_desktop.qbo.query import eq
from crocoqb_desktop.sync import mapping
from crocoqb_desktop.sync.parallel import Counter, KeyedLocks, group_by, run_groups
from crocoqb_desktop.sync.qbo_context import QboContext, ref, request_id_for
from crocoqb_desktop.sync.store import OutboxItem, StateStore

log = logging.getLogger("crocoqb.sync.push")

EVENTS_CURSOR = "croco.events"
ACTIVATED_AT = "qbo.activated_at"
MAX_ATTEMPTS = 6
Progress = Callable[[str, int, int], None]


@dataclass
class PushResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


def marker(croco_id: str) -> str:
    """Text the app writes into QBO PrivateNote to find its own documents again."""
    return f"CrocoClick {croco_id}"


class PushEngine:
    def __init__(self, croco: CrocoClient, ctx: QboContext, store: StateStore) -> None:
        self.croco = croco
        self.ctx = ctx
        self.qbo = ctx.client
        self.store = store
        self.result = PushResult()
        #: outbox items sent at once (QuickBooks allows 10 requests in flight per company)
        self.workers = int(getattr(self.qbo, "max_concurrency", 1))
        self._counter = Counter()
        self._locks = KeyedLocks()
        #: set by a stopping service: the records not started yet stay in the outbox
        self.stop: threading.Event | None = None

    def _count(self, name: str) -> None:
        self._counter.add(self.result, name)

    # ============================================================================================
    # Intake
    # ============================================================================================
    def ensure_started(self) -> None:
        """At activation take the feed's head: only what happens afterwards is pushed."""
        if self.store.cursor(EVENTS_CURSOR) is None:
            head = self.croco.events_head()
            with self.store.transaction():
                self.store.set_cursor(EVENTS_CURSOR, str(head["cursor"]))
                if self.store.cursor(ACTIVATED_AT) is None:
                    self.store.set_cursor(ACTIVATED_AT, _now_iso())

    def intake(self) -> int:
        """Read new events into the outbox. Returns the number of operations queued."""
        self.ensure_started()
        queued = 0
        while True:
            after = self.store.cursor(EVENTS_CURSOR) or ""
            try:
                page = self.croco.list_events(after, limit=500)
            except CrocoCursorExpired:
                queued += self._full_resync()
                continue
            with self.store.transaction():
                for event in page["data"]:
                    if not isinstance(event, dict) or self.store.event_seen(str(event.get("id"))):
                        continue
                    queued += self._enqueue_event(event)
                    self.store.mark_event_seen(str(event["id"]))
                # the cursor moves only together with the work it implies
                self.store.set_cursor(EVENTS_CURSOR, str(page["nextCursor"]))
            if not page.get("hasMore"):
                return queued

    def _full_resync(self) -> int:
        """The event cursor expired (410): re-read the list endpoints since activation."""
        self.store.log("WARNING", "to_qbo", "The CrocoClick change feed expired; running a full resync",
                       fix="Nothing to do: CrocoQB re-reads invoices and payments changed since activation.")
        head = self.croco.events_head()
        since = self.store.cursor(ACTIVATED_AT)
        queued = 0
        with self.store.transaction():
            for invoice in self.croco.list_invoices(updated_since=since):
                if invoice.get("status") == "draft":
                    continue
                kind = "invoice.voided" if invoice.get("status") == "void" else "invoice.updated"
                queued += self._enqueue_event({"type": kind, "data": invoice, "id": f"resync-{invoice['id']}"})
            for payment in self.croco.list_payments(updated_since=since):
                queued += self._enqueue_event({"type": "payment.succeeded", "data": payment,
                                               "id": f"resync-{payment['id']}"})
                for refund in payment.get("refunds") or []:
                    queued += self._enqueue_event({"type": "payment.refunded", "data": payment,
                                                   "refundId": refund.get("id"), "id": "resync"})
            self.store.set_cursor(EVENTS_CURSOR, str(head["cursor"]))
        return queued

    def _enqueue_event(self, event: dict[str, Any]) -> int:
        etype = str(event.get("type"))
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        rid = str(data.get("id") or event.get("resourceId") or "")
        if not rid:
            return 0
        activated = self.store.cursor(ACTIVATED_AT) or ""
        try:
            if etype.startswith("invoice."):
                check_invoice(data)
            elif etype.startswith("payment."):
                check_payment(data)
        except ProtocolError as exc:
            self.store.log("ERROR", "to_qbo", exc.message, record_kind=etype.split(".")[0], croco_id=rid,
                           fix=exc.fix or None)
            self._count("failed")
            self.result.failures.append(exc.message)
            return 0
        if etype.startswith("invoice."):
            if data.get("origin") == "import":
                return 0  # came from QuickBooks: never pushed back
            if self.store.link("invoice", rid) is None and (data.get("sentAt") or "") < activated:
                return 0  # sent before activation: stays out
            action = "void" if etype == "invoice.voided" or data.get("status") == "void" else "upsert"
            return self._enqueue(f"invoice:{rid}", "invoice", rid, action, data)
        if etype == "payment.succeeded":
            if data.get("status") == "failed" or data.get("mode") == "test":
                return 0
            if (data.get("paidAt") or "") < activated:
                return 0
            action = "invoice_payment" if data.get("sourceType") == "invoice" else "sales_receipt"
            return self._enqueue(f"payment:{rid}", "payment", rid, action, data)
        if etype == "payment.refunded":
            refund_id = str(event.get("refundId") or "")
            if data.get("mode") == "test" or (data.get("paidAt") or "") < activated:
                return 0
            refunds = [r for r in data.get("refunds") or [] if not refund_id or r.get("id") == refund_id]
            count = 0
            for refund in refunds:
                payload = {"payment": data, "refund": refund}
                count += self._enqueue(f"refund:{rid}:{refund.get('id')}", "refund", f"{rid}:{refund.get('id')}",
                                       "refund", payload)
            return count
        if etype == "contact.updated" and self.store.link("customer", rid) is not None:
            return self._enqueue(f"customer:{rid}", "customer", rid, "update", data)
        return 0

    def _enqueue(self, op_key: str, kind: str, croco_id: str, action: str, payload: dict[str, Any]) -> int:
        return int(self.store.enqueue(op_key, kind, croco_id, action, payload,
                                      request_id_for(op_key, self.ctx.realm_id)))

    # ============================================================================================
    # Outbox drain
    # ============================================================================================
    def drain(self, progress: Progress | None = None) -> PushResult:
        """Sends every due operation. Operations of one contact (its invoices, payments, refunds and
        updates: they share its QuickBooks customer) and a payment with the invoice it pays run in order;
        the others run at once, up to `workers`. Each operation keeps its own outbox row, attempt mark
        and outcome, so concurrency changes nothing to exactly-once."""
        items = self.store.due_items(limit=100_000)
        total = len(items)
        done = [0]

        def item_done() -> None:
            done[0] += 1
            if progress:
                progress("Sending to QuickBooks", done[0], total)

        run_groups(group_by(items, _dependency_keys), self._run_item, workers=self.workers,
                   on_item_done=item_done, thread_name="crocoqb-push")
        return self.result

    def _run_item(self, item: OutboxItem) -> None:
        if self.stop is not None and self.stop.is_set():
            return
        handler = {
            ("customer", "update"): self._push_customer_update,
            ("invoice", "upsert"): self._push_invoice,
            ("invoice", "void"): self._void_invoice,
            ("payment", "sales_receipt"): self._push_sales_receipt,
            ("payment", "invoice_payment"): self._push_invoice_payment,
            ("refund", "refund"): self._push_refund,
        }.get((item.kind, item.action))
        if handler is None:
            self.store.park(item.id, f"unknown operation {item.kind}/{item.action}", None)
            return
        self.store.mark_attempt(item.id)
        try:
            for attempt in range(3):
                try:
                    handler(item)
                    break
                except StaleObjectFault:
                    # 5010: someone changed it meanwhile: re-read and re-apply
                    if attempt == 2:
                        raise
            self.store.complete(item.id)
        except (ReconnectNeeded, AuthenticationFault, AuthorizationFault):
            raise  # stops the cycle; the item stays pending
        except (RecordError, ObjectNotFoundFault) as exc:
            self._fail(item, exc, permanent=True)
        except QboFault as exc:
            self._fail(item, exc, permanent=not isinstance(exc, ThrottledFault) and not exc.retryable)
        except (NetworkError, ServiceError) as exc:
            self._fail(item, exc, permanent=isinstance(exc, CrocoApiError) and not exc.retryable
                       and not isinstance(exc, CrocoNotFound))

    def _fail(self, item: OutboxItem, exc: CrocoQBError, *, permanent: bool) -> None:
        label = _label(item)
        fix = exc.fix or None
        message = f"{label} was not sent to QuickBooks: {exc.message}"
        if permanent or item.attempts + 1 >= MAX_ATTEMPTS:
            self.store.park(item.id, exc.message, fix)
            self.store.log("ERROR", "to_qbo", message, record_kind=item.kind, croco_id=item.croco_id, fix=fix)
        else:
            self.store.retry_later(item.id, exc.message, fix, backoff_delay(item.attempts + 1, base_s=30, cap_s=3600))
            self.store.log("WARNING", "to_qbo", message + " (will retry)", record_kind=item.kind,
                           croco_id=item.croco_id, fix=fix)
        self._count("failed")
        self.result.failures.append(message)

    # -- customers --------------------------------------------------------------------------------
    def ensure_customer(self, contact_id: str, currency: str | None) -> dict[str, str]:
        """The QBO customer for a contact: linked, else matched by normalised email (and
        sparse-updated), else created with a unique DisplayName. Returns a CustomerRef.

        Safe with concurrent operations: one contact at a time, and one email at a time while a
        customer is looked up and created, so that two contacts with one email get one customer."""
        link = self.store.link("customer", contact_id)
        if link is not None and link.extra.get("pushed"):
            return {"value": link.qbo_id, "name": link.extra.get("name", "")}
        with self._locks.hold(("contact", contact_id)):
            return self._ensure_customer(contact_id, currency)

    def _ensure_customer(self, contact_id: str, currency: str | None) -> dict[str, str]:
        link = self.store.link("customer", contact_id)
        if link is not None and link.extra.get("pushed"):
            return {"value": link.qbo_id, "name": link.extra.get("name", "")}
        contact = self.croco.get_contact(contact_id)
        if not self.ctx.company().multicurrency:
            currency = None  # single-currency company: customers carry the home currency implicitly
        if link is not None:
            # linked by the QuickBooks import: on its first billable action the customer gets the
            # contact's details (a sparse update of the fields the app owns)
            customer = self.qbo.get("Customer", link.qbo_id)
            if customer.get("Active", True):
                customer = self._update_matched(contact, customer, currency)
                self._link_customer(contact, customer)
                return ref(customer, "DisplayName")
            self.store.delete_link("customer", contact_id)
        email = mapping.normalise_email(contact.get("email"))
        if not email:
            raise RecordError(
                f"the contact {contact.get('displayName') or contact_id} has no email address, so it cannot be "
                "matched to a QuickBooks customer without risking a duplicate",
                fix="Add an email address to this contact in CrocoClick, then press Sync now.",
            )
        with self._locks.hold(("email", email)):
            customer = self._find_customer(contact, email)
            if customer is not None:
                customer = self._update_matched(contact, customer, currency)
                self.store.log("INFO", "to_qbo", f"Matched contact {_name(contact)} to the QuickBooks customer "
                               f"{customer['DisplayName']} by email", record_kind="customer", croco_id=contact_id,
                               qbo_id=str(customer["Id"]))
            else:
                customer = self._create_customer(contact, currency)
            self._link_customer(contact, customer)
        return ref(customer, "DisplayName")

    def _update_matched(self, contact: dict[str, Any], customer: dict[str, Any], currency: str | None
                        ) -> dict[str, Any]:
        body = mapping.customer_payload(contact, display_name=customer["DisplayName"], currency=currency,
                                        existing=customer)
        if not _changes(body, customer):
            return customer
        updated = self.qbo.update("Customer", body, request_id=request_id_for(
            "cust-upd", self.ctx.realm_id, contact["id"], mapping.fingerprint(body)))
        self._count("updated")
        self.store.log("INFO", "to_qbo", f"Updated the QuickBooks customer {updated['DisplayName']} from the "
                       "CrocoClick contact", record_kind="customer", croco_id=str(contact["id"]),
                       qbo_id=str(updated["Id"]))
        return updated

    def _find_customer(self, contact: dict[str, Any], email: str) -> dict[str, Any] | None:
        refs = contact.get("externalRefs") or {}
        known = refs.get("quickbooks.customer_id")
        if known and refs.get("quickbooks.realm_id") in (None, self.ctx.realm_id):
            try:
                found = self.qbo.get("Customer", str(known))
                if found.get("Active", True):
                    return found
            except ObjectNotFoundFault:
                pass
            except QboFault as exc:
                if exc.status != 400:
                    raise
        ids = self.store.customers_by_email(email)
        if ids:
            return self.qbo.get("Customer", ids[0])
        # Exact match on the address as CrocoClick has it (QBO compares literally): finds what an
        # interrupted earlier run created, and most customers typed the same way.
        raw = (contact.get("email") or "").strip()
        for candidate in dict.fromkeys([raw, email]):
            rows = [c for c in self.qbo.query_all("Customer", [eq("PrimaryEmailAddr", candidate)])
                    if mapping.normalise_email((c.get("PrimaryEmailAddr") or {}).get("Address")) == email]
            if rows:
                return min(rows, key=lambda c: int(c["Id"]) if str(c["Id"]).isdigit() else 0)
        return None

    def _create_customer(self, contact: dict[str, Any], currency: str | None) -> dict[str, Any]:
        candidates = mapping.display_name_candidates(contact)
        last_exc: DuplicateNameFault | None = None
        for name in candidates:
            body = mapping.customer_payload(contact, display_name=name, currency=currency)
            try:
                customer = self.qbo.create("Customer", body,
                                           request_id=request_id_for("cust-new", self.ctx.realm_id, contact["id"], name))
            except DuplicateNameFault as exc:
                last_exc = exc
                continue
            self._count("created")
            note = "" if name == candidates[0] else (
                f" (the name '{candidates[0]}' is already used by another customer, vendor or employee in "
                f"QuickBooks, so it was created as '{name}')")
            self.store.log("INFO", "to_qbo", f"Created the QuickBooks customer {name}{note}",
                           record_kind="customer", croco_id=contact["id"], qbo_id=str(customer["Id"]))
            return customer
        raise RecordError(
            f"no free customer name was found for {_name(contact)} in QuickBooks",
            fix="Rename the contact in CrocoClick or the clashing customer, vendor or employee in QuickBooks.",
        ) from last_exc

    def _link_customer(self, contact: dict[str, Any], customer: dict[str, Any]) -> None:
        contact_id = str(contact["id"])
        body = mapping.customer_payload(contact, display_name=customer["DisplayName"], currency=None)
        with self.store.transaction():
            self.store.save_link("customer", contact_id, str(customer["Id"]), sync_token=customer.get("SyncToken"),
                                 fingerprint=mapping.fingerprint(body),
                                 extra={"name": customer["DisplayName"], "pushed": True})
            self.store.index_customer(str(customer["Id"]),
                                      mapping.normalise_email((customer.get("PrimaryEmailAddr") or {}).get("Address")),
                                      customer["DisplayName"], bool(customer.get("Active", True)),
                                      customer.get("SyncToken"))
        refs = contact.get("externalRefs") or {}
        if refs.get("quickbooks.customer_id") != str(customer["Id"]):
            self._write_back(lambda: self.croco.update_contact(contact_id, {"externalRefs": {
                "quickbooks.customer_id": str(customer["Id"]), "quickbooks.realm_id": self.ctx.realm_id}}))

    def _push_customer_update(self, item: OutboxItem) -> None:
        link = self.store.link("customer", item.croco_id)
        if link is None:
            return
        contact = item.payload
        existing = self.qbo.get("Customer", link.qbo_id)
        probe = mapping.customer_payload(contact, display_name=existing["DisplayName"], currency=None)
        fingerprint = mapping.fingerprint(probe)
        if fingerprint == link.fingerprint:
            self._count("skipped")
            return
        body = mapping.customer_payload(contact, display_name=existing["DisplayName"], currency=None,
                                        existing=existing)
        if _changes(body, existing):
            updated = self.qbo.update("Customer", body, request_id=request_id_for(item.request_id, fingerprint))
            self._count("updated")
            self.store.log("INFO", "to_qbo", f"Updated the QuickBooks customer {updated['DisplayName']}",
                           record_kind="customer", croco_id=item.croco_id, qbo_id=link.qbo_id)
            existing = updated
        self.store.save_link("customer", item.croco_id, link.qbo_id, sync_token=existing.get("SyncToken"),
                             fingerprint=fingerprint, extra=link.extra)

    # -- invoices ---------------------------------------------------------------------------------
    def _push_invoice(self, item: OutboxItem) -> None:
        invoice = item.payload
        company = self.ctx.company()
        customer_ref = self.ensure_customer(str(invoice["contactId"]), invoice.get("currency"))
        item_refs = self.ctx.item_refs(invoice.get("items") or [])
        link = self.store.link("invoice", item.croco_id)
        probe = mapping.invoice_payload(invoice, customer_ref=customer_ref, item_refs=item_refs, company=company)
        fingerprint = mapping.fingerprint(probe)
        if link is not None and link.fingerprint == fingerprint:
            self._count("skipped")
            return
        existing = self.qbo.get("Invoice", link.qbo_id) if link else self._find_own("Invoice", item.croco_id, customer_ref, item)
        if existing is not None and existing.get("PrivateNote") == "Voided":
            self._count("skipped")
            return
        payload = mapping.invoice_payload(invoice, customer_ref=customer_ref, item_refs=item_refs, company=company,
                                          existing=existing)
        label = f"invoice {invoice.get('number')}"
        if existing is None:
            saved = self.qbo.create("Invoice", payload, request_id=item.request_id)
            self._count("created")
            verb = "Created"
        else:
            saved = self.qbo.update("Invoice", payload, request_id=request_id_for(item.request_id, fingerprint))
            self._count("updated")
            verb = "Updated"
        self.store.save_link("invoice", item.croco_id, str(saved["Id"]), sync_token=saved.get("SyncToken"),
                             fingerprint=fingerprint, extra={"number": invoice.get("number")})
        self.store.log("INFO", "to_qbo", f"{verb} {label} in QuickBooks (total {saved.get('TotalAmt')})",
                       record_kind="invoice", croco_id=item.croco_id, qbo_id=str(saved["Id"]))
        self._check_total(label, invoice, saved, item)
        if existing is None:
            self._write_back(lambda: self.croco.update_invoice(item.croco_id, {"externalRefs": {
                "quickbooks.invoice_id": str(saved["Id"]), "quickbooks.realm_id": self.ctx.realm_id}}))

    def _void_invoice(self, item: OutboxItem) -> None:
        link = self.store.link("invoice", item.croco_id)
        if link is None:
            self._count("skipped")
            return
        current = self.qbo.get("Invoice", link.qbo_id)
        if current.get("PrivateNote") == "Voided" and Decimal(str(current.get("TotalAmt", 0))) == 0:
            self._count("skipped")
            return
        saved = self.qbo.void("Invoice", link.qbo_id, str(current["SyncToken"]),
                              request_id=request_id_for(item.request_id, "void"))
        self.store.save_link("invoice", item.croco_id, link.qbo_id, sync_token=saved.get("SyncToken"),
                             fingerprint="void", extra=link.extra)
        self._count("updated")
        self.store.log("INFO", "to_qbo", f"Voided invoice {item.payload.get('number')} in QuickBooks",
                       record_kind="invoice", croco_id=item.croco_id, qbo_id=link.qbo_id)

    # -- payments ---------------------------------------------------------------------------------
    def _push_sales_receipt(self, item: OutboxItem) -> None:
        payment = item.payload
        if self.store.link("payment", item.croco_id) is not None:
            self._count("skipped")
            return
        company = self.ctx.company()
        customer_ref = self.ensure_customer(str(payment["contactId"]), payment.get("currency"))
        lines = payment.get("lineItems") or []
        item_refs = self.ctx.item_refs(lines) if lines else [self.ctx.default_item_ref()]
        method_ref = mapping.payment_method_for(payment.get("paymentMethod") or {}, company)
        existing = self._find_own("SalesReceipt", item.croco_id, customer_ref, item)
        if existing is None:
            body = mapping.sales_receipt_payload(payment, customer_ref=customer_ref, item_refs=item_refs,
                                                 company=company, payment_method_ref=method_ref)
            existing = self.qbo.create("SalesReceipt", body, request_id=item.request_id)
            self._count("created")
        self.store.save_link("payment", item.croco_id, str(existing["Id"]), sync_token=existing.get("SyncToken"),
                             extra={"type": "SalesReceipt"})
        label = f"payment {item.croco_id} ({payment.get('sourceType')})"
        self.store.log("INFO", "to_qbo", f"Recorded {label} as a sales receipt in QuickBooks",
                       record_kind="payment", croco_id=item.croco_id, qbo_id=str(existing["Id"]))
        self._check_total(label, payment, existing, item)
        self._write_back(lambda: self.croco.set_payment_external_refs(item.croco_id, {
            "quickbooks.sales_receipt_id": str(existing["Id"]), "quickbooks.realm_id": self.ctx.realm_id}))

    def _push_invoice_payment(self, item: OutboxItem) -> None:
        payment = item.payload
        if self.store.link("payment", item.croco_id) is not None:
            self._count("skipped")
            return
        invoice_id = str(payment.get("invoiceId") or "")
        invoice_link = self.store.link("invoice", invoice_id) if invoice_id else None
        if invoice_link is None:
            pending = self.store.outbox_item(f"invoice:{invoice_id}")
            if pending is not None and pending.status == "pending":
                raise NetworkError("its invoice is not in QuickBooks yet", retryable=True)
            raise RecordError(
                f"the invoice {invoice_id or '(none)'} it pays is not in QuickBooks (it was sent before the "
                "integration was activated, or it failed to sync)",
                fix="Create that invoice in QuickBooks and record the payment there, or fix the invoice's "
                "error in the log and press Sync now.",
            )
        company = self.ctx.company()
        customer_ref = self.ensure_customer(str(payment["contactId"]), payment.get("currency"))
        method_ref = mapping.payment_method_for(payment.get("paymentMethod") or {}, company)
        existing = self._find_own("Payment", item.croco_id, customer_ref, item)
        if existing is None:
            body = mapping.payment_payload(payment, customer_ref=customer_ref, qbo_invoice_id=invoice_link.qbo_id,
                                           company=company, payment_method_ref=method_ref)
            existing = self.qbo.create("Payment", body, request_id=item.request_id)
            self._count("created")
        self.store.save_link("payment", item.croco_id, str(existing["Id"]), sync_token=existing.get("SyncToken"),
                             extra={"type": "Payment"})
        self.store.log("INFO", "to_qbo", f"Recorded payment {item.croco_id} against invoice "
                       f"{invoice_link.extra.get('number', invoice_id)} in QuickBooks",
                       record_kind="payment", croco_id=item.croco_id, qbo_id=str(existing["Id"]))
        self._write_back(lambda: self.croco.set_payment_external_refs(item.croco_id, {
            "quickbooks.payment_id": str(existing["Id"]), "quickbooks.realm_id": self.ctx.realm_id}))

    def _push_refund(self, item: OutboxItem) -> None:
        payment, refund = item.payload["payment"], item.payload["refund"]
        if self.store.link("refund", item.croco_id) is not None:
            self._count("skipped")
            return
        company = self.ctx.company()
        customer_ref = self.ensure_customer(str(payment["contactId"]), payment.get("currency"))
        lines = payment.get("lineItems") or []
        item_refs = self.ctx.item_refs(lines) if lines else [self.ctx.default_item_ref()]
        method_ref = mapping.payment_method_for(payment.get("paymentMethod") or {}, company)
        existing = self._find_own("RefundReceipt", str(refund.get("id")), customer_ref, item)
        if existing is None:
            body = mapping.refund_receipt_payload(payment, refund, customer_ref=customer_ref, item_refs=item_refs,
                                                  company=company, payment_method_ref=method_ref)
            existing = self.qbo.create("RefundReceipt", body, request_id=item.request_id)
            self._count("created")
        self.store.save_link("refund", item.croco_id, str(existing["Id"]), sync_token=existing.get("SyncToken"))
        self.store.log("INFO", "to_qbo", f"Recorded refund {refund.get('id')} of payment {payment['id']} as a "
                       "refund receipt in QuickBooks", record_kind="refund", croco_id=item.croco_id,
                       qbo_id=str(existing["Id"]))

    # -- helpers ----------------------------------------------------------------------------------
    def _find_own(self, entity: str, doc_id: str, customer_ref: dict[str, str],
                  item: OutboxItem) -> dict[str, Any] | None:
        """After an uncertain outcome (an earlier attempt started but did not finish): the document
        this app already wrote, if any: same customer, and the CrocoClick id in PrivateNote."""
        if item.attempts == 0:
            return None
        wanted = re.compile(r"(^|\W)" + re.escape(marker(doc_id)) + r"($|\W)")
        for found in self.qbo.query_all(entity, [eq("CustomerRef", customer_ref["value"])]):
            if wanted.search(str(found.get("PrivateNote") or "")):
                return found
        return None

    def _check_total(self, label: str, doc: dict[str, Any], saved: dict[str, Any], item: OutboxItem) -> None:
        expected = mapping.expected_qbo_total(doc)
        actual = Decimal(str(saved.get("TotalAmt", "0")))
        if expected != actual:
            self.store.log(
                "WARNING", "to_qbo",
                f"{label}: QuickBooks total {actual} differs from CrocoClick's {expected}",
                record_kind=item.kind, croco_id=item.croco_id, qbo_id=str(saved.get("Id")),
                fix="Check the tax codes and rounding settings in QuickBooks for this document.",
            )

    def _write_back(self, call: Callable[[], Any]) -> None:
        """Stores the QBO id in CrocoClick's externalRefs (emits no event). Best effort: the local
        link is the source of truth, so a failure here is only logged."""
        try:
            call()
        except ServiceError as exc:
            log.info("could not store the QuickBooks id in CrocoClick: %s", exc.message)


def _dependency_keys(item: OutboxItem) -> list[str]:
    """What an operation shares with others (see `drain`): its contact, its invoice, its payment."""
    payload = item.payload
    keys: list[str] = []
    if item.kind == "customer":
        keys.append(f"contact:{item.croco_id}")
    elif item.kind == "invoice":
        keys += [f"contact:{payload.get('contactId')}", f"invoice:{item.croco_id}"]
    elif item.kind == "payment":
        keys += [f"contact:{payload.get('contactId')}", f"payment:{item.croco_id}"]
        if payload.get("invoiceId"):
            keys.append(f"invoice:{payload['invoiceId']}")
    elif item.kind == "refund":
        payment = payload.get("payment") or {}
        keys += [f"contact:{payment.get('contactId')}", f"payment:{payment.get('id')}"]
    return keys


def _changes(body: dict[str, Any], existing: dict[str, Any]) -> bool:
    for key, value in body.items():
        if key in {"Id", "SyncToken", "sparse"}:
            continue
        if _norm(existing.get(key)) != _norm(value):
            return True
    return False


def _norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items() if k not in {"Id", "Lat", "Long", "name"}}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def _label(item: OutboxItem) -> str:
    if item.kind == "invoice":
        return f"Invoice {item.payload.get('number') or item.croco_id}"
    if item.kind == "payment":
        return f"Payment {item.croco_id}"
    if item.kind == "refund":
        return f"Refund {item.croco_id}"
    return f"Contact {item.payload.get('displayName') or item.croco_id}"


def _name(contact: dict[str, Any]) -> str:
    return str(contact.get("displayName") or contact.get("email") or contact.get("id"))


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
