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
from crocoqb_desktop.messages import Message, message, money_value
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
from crocoqb_desktop.sync import bookkeeper, mapping, problems
from crocoqb_desktop.sync.log_labels import outbox_label, payment_source
from crocoqb_desktop.sync.parallel import Counter, KeyedLocks, group_by, run_groups
from crocoqb_desktop.sync.payouts import PayoutBooker
from crocoqb_desktop.sync.qbo_context import QboContext, ref, request_id_for
from crocoqb_desktop.sync.store import OutboxItem, StateStore

log = logging.getLogger("crocoqb.sync.push")

EVENTS_CURSOR = "croco.events"
#: link kind of a CrocoClick invoice payment (a QBO Payment): QBO numbers Payments and SalesReceipts
#: separately, so they cannot share the link kind "payment" (its QBO ids are unique per kind)
INVOICE_PAYMENT = "invoice_payment"
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
    def __init__(self, croco: CrocoClient, ctx: QboContext, store: StateStore, *, payouts: str = "off") -> None:
        self.croco = croco
        self.ctx = ctx
        self.qbo = ctx.client
        self.store = store
        self.result = PushResult()
        #: outbox items sent at once (QuickBooks allows 10 requests in flight per company)
        self.workers = int(getattr(self.qbo, "max_concurrency", 1))
        self._counter = Counter()
        self._locks = KeyedLocks()
        #: rule 14 (fees and payouts through a clearing account): hooks below, no-ops while "off"
        self.payouts = PayoutBooker(croco, ctx, store, payouts, count=self._count)
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
        self.store.log("WARNING", "to_qbo", message("push.feed_expired", "The CrocoClick change feed expired; running "
                                                    "a full resync"),
                       fix=message("push.feed_expired.fix", "Nothing to do: CrocoQB re-reads invoices and payments "
                                   "changed since activation."))
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
            queued += self.payouts.resync(since)
            self.store.set_cursor(EVENTS_CURSOR, str(head["cursor"]))
        return queued

    def _enqueue_event(self, event: dict[str, Any]) -> int:
        etype = str(event.get("type"))
        raw = event.get("data")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        rid = str(data.get("id") or event.get("resourceId") or "")
        if not rid:
            return 0
        activated = self.store.cursor(ACTIVATED_AT) or ""
        if etype.startswith("payout."):
            return self.payouts.take_event(etype, data)
        try:
            if etype.startswith("invoice."):
                check_invoice(data)
            elif etype.startswith("payment."):
                check_payment(data)
        except ProtocolError as exc:
            # seen, so never silently dropped: queued and parked at once, as a problem
            kind = etype.split(".")[0]
            self._enqueue(f"{kind}:{rid}", kind, rid, "invalid", data)
            item = self.store.outbox_item(f"{kind}:{rid}")
            if item is not None:
                self._fail(item, problems.ProblemError("invalid_data", exc.message_data or exc.message,
                                                       fix=exc.fix_data or exc.fix or None, actions=("skip",)),
                           permanent=True)
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
        if etype == "contact.updated" and self.store.link("customer", rid) is None:
            problems.repend_contact(self.store, rid)  # e.g. the missing email was added
            return 0
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
        problems.recheck_due(self.store)
        items = self.store.due_items(limit=100_000)
        total = len(items)
        done = [0]

        def item_done() -> None:
            done[0] += 1
            if progress:
                progress("Sending to QuickBooks", done[0], total)

        run_groups(group_by(items, _dependency_keys), self._run_item, workers=self.workers,
                   on_item_done=item_done, thread_name="crocoqb-push")
        self.payouts.run()  # fees and payouts once the payments they settle are in QuickBooks
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
            self._fail(item, problems.ProblemError("unsupported", message(
                "push.unknown_operation", "unknown operation {kind}/{action}", kind=item.kind, action=item.action),
                                                   actions=("skip",)), permanent=True)
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
                except ObjectNotFoundFault:
                    # 610 on a write: the linked customer may have been merged or deactivated
                    if attempt == 2 or not bookkeeper.customer_gone(self, item):
                        bookkeeper.raise_if_inactive_item(self, item)  # a problem naming it, if so
                        raise
            problems.complete(self.store, item)
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
        label = outbox_label(item)
        fix = str(exc.fix) or None
        failed = message("push.not_sent", "{label} was not sent to QuickBooks: {reason}", label=label,
                         reason=exc.message_msg)
        if permanent or item.attempts + 1 >= MAX_ATTEMPTS:
            problems.park(self.store, item, exc, exhausted=not permanent)
            self.store.log("ERROR", "to_qbo", failed, record_kind=item.kind, croco_id=item.croco_id, fix=exc.fix_msg)
        else:
            self.store.retry_later(item.id, exc.message, fix, backoff_delay(item.attempts + 1, base_s=30, cap_s=3600))
            self.store.log("WARNING", "to_qbo", message("push.not_sent.retry", "{label} was not sent to QuickBooks: "
                                                        "{reason} (will retry)", label=label, reason=exc.message_msg),
                           record_kind=item.kind, croco_id=item.croco_id, fix=exc.fix_msg)
        self._count("failed")
        self.result.failures.append(str(failed))

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
            raise problems.ProblemError(
                "no_email",
                message("push.contact_no_email", "the contact {name} has no email address, so it cannot be matched "
                        "to a QuickBooks customer without risking a duplicate",
                        name=contact.get("displayName") or contact_id),
                fix=message("push.contact_no_email.fix", "Add an email address to this contact in CrocoClick, then "
                            "press Sync now."),
                actions=("retry", "relink", "skip"),
            )
        with self._locks.hold(("email", email)):
            gone = bookkeeper.previous_customer_gone(self, contact, link.qbo_id if link else None)
            found = self._find_customer(contact, email)
            if found is None and gone is not None:
                raise bookkeeper.customer_problem(contact, gone)  # never a silent new duplicate
            if found is not None and gone is not None:
                bookkeeper.no_guess_after_merge(self, contact, email, gone)  # several survivors: the user picks
                customer = self._update_matched(contact, found, currency)
                bookkeeper.matched_after_merge(self, contact, gone, customer)
            elif found is not None:
                customer = self._update_matched(contact, found, currency)
                self.store.log("INFO", "to_qbo", message("push.customer_matched", "Matched contact {contact} to the "
                                                         "QuickBooks customer {customer} by email",
                                                         contact=_name(contact), customer=customer["DisplayName"]),
                               record_kind="customer", croco_id=contact_id, qbo_id=str(customer["Id"]))
            else:
                customer = self._create_customer(contact, currency)
                self.store.delete_cursor(bookkeeper.ALLOW_NEW_CUSTOMER + contact_id)
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
        self.store.log("INFO", "to_qbo", message("push.customer_updated_from_contact", "Updated the QuickBooks "
                                                 "customer {customer} from the CrocoClick contact",
                                                 customer=updated["DisplayName"]),
                       record_kind="customer", croco_id=str(contact["id"]), qbo_id=str(updated["Id"]))
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
                # after the user's "resend" the create must not replay the first creation (a customer since
                # merged away): the flag's time makes it a new request
                again = self.store.cursor(bookkeeper.ALLOW_NEW_CUSTOMER + str(contact["id"]))
                parts = ("cust-new", self.ctx.realm_id, contact["id"], name) + ((again,) if again else ())
                customer = self.qbo.create("Customer", body, request_id=request_id_for(*parts))
            except DuplicateNameFault as exc:
                last_exc = exc
                continue
            self._count("created")
            if name == candidates[0]:
                created = message("push.customer_created", "Created the QuickBooks customer {name}", name=name)
            else:
                created = message("push.customer_created.renamed", "Created the QuickBooks customer {name} (the name "
                                  "'{wanted}' is already used by another customer, vendor or employee in QuickBooks, "
                                  "so it was created as '{name}')", name=name, wanted=candidates[0])
            self.store.log("INFO", "to_qbo", created,
                           record_kind="customer", croco_id=contact["id"], qbo_id=str(customer["Id"]))
            return customer
        raise RecordError(
            message("push.no_free_name", "no free customer name was found for {contact} in QuickBooks",
                    contact=_name(contact)),
            fix=message("push.no_free_name.fix", "Rename the contact in CrocoClick or the clashing customer, vendor "
                        "or employee in QuickBooks."),
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
            self.store.log("INFO", "to_qbo", message("push.customer_updated", "Updated the QuickBooks customer "
                                                     "{customer}", customer=updated["DisplayName"]),
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
        existing = (bookkeeper.linked_document(self, "Invoice", link, item) if link
                    else self._find_own("Invoice", item.croco_id, customer_ref, item))
        payload = mapping.invoice_payload(invoice, customer_ref=customer_ref, item_refs=item_refs, company=company,
                                          existing=existing)
        label = message("label.invoice", "invoice {number}", number=invoice.get("number"))
        if existing is None:
            saved = self.qbo.create("Invoice", payload, request_id=_create_id(self.store, item, customer_ref))
            self._count("created")
            done = message("push.invoice_created", "Created invoice {number} in QuickBooks (total {total})",
                           number=invoice.get("number"), total=money_value(saved.get("TotalAmt"), invoice.get("currency")))
        else:
            saved = self.qbo.update("Invoice", payload, request_id=request_id_for(item.request_id, fingerprint))
            self._count("updated")
            done = message("push.invoice_updated", "Updated invoice {number} in QuickBooks (total {total})",
                           number=invoice.get("number"), total=money_value(saved.get("TotalAmt"), invoice.get("currency")))
        self.store.save_link("invoice", item.croco_id, str(saved["Id"]), sync_token=saved.get("SyncToken"),
                             fingerprint=fingerprint, extra={"number": invoice.get("number")})
        self.store.log("INFO", "to_qbo", done, record_kind="invoice", croco_id=item.croco_id, qbo_id=str(saved["Id"]))
        self._check_total(label, invoice, saved, item)
        if existing is None:
            self._write_back(lambda: self.croco.update_invoice(item.croco_id, {"externalRefs": {
                "quickbooks.invoice_id": str(saved["Id"]), "quickbooks.realm_id": self.ctx.realm_id}}))

    def _void_invoice(self, item: OutboxItem) -> None:
        link = self.store.link("invoice", item.croco_id)
        if link is None:
            self._count("skipped")
            return
        try:
            current = self.qbo.get("Invoice", link.qbo_id)
        except ObjectNotFoundFault:
            # deleted in QuickBooks and voided in CrocoClick: both sides agree, nothing to write
            self.store.log("INFO", "to_qbo", message(
                "push.void_already_deleted", "Invoice {number} was voided in CrocoClick and is already deleted in "
                "QuickBooks", number=str(item.payload.get("number") or item.croco_id)),
                record_kind="invoice", croco_id=item.croco_id)
            self._count("skipped")
            return
        if current.get("PrivateNote") == "Voided" and Decimal(str(current.get("TotalAmt", 0))) == 0:
            # already void (also when the bookkeeper voided it first): both sides agree now
            self.store.save_link("invoice", item.croco_id, link.qbo_id, sync_token=current.get("SyncToken"),
                                 fingerprint="void", extra=link.extra)
            self._count("skipped")
            return
        saved = self.qbo.void("Invoice", link.qbo_id, str(current["SyncToken"]),
                              request_id=request_id_for(item.request_id, "void"))
        self.store.save_link("invoice", item.croco_id, link.qbo_id, sync_token=saved.get("SyncToken"),
                             fingerprint="void", extra=link.extra)
        self._count("updated")
        self.store.log("INFO", "to_qbo", message("push.invoice_voided", "Voided invoice {number} in QuickBooks",
                                                 number=item.payload.get("number")),
                       record_kind="invoice", croco_id=item.croco_id, qbo_id=link.qbo_id)

    # -- payments ---------------------------------------------------------------------------------
    def _push_sales_receipt(self, item: OutboxItem) -> None:
        payment = item.payload
        if self.store.link("payment", item.croco_id) is not None:
            self._count("skipped")
            return
        company = self.payouts.company_for(payment, self.ctx.company())
        customer_ref = self.ensure_customer(str(payment["contactId"]), payment.get("currency"))
        lines = payment.get("lineItems") or []
        item_refs = self.ctx.item_refs(lines) if lines else [self.ctx.default_item_ref()]
        method_ref = mapping.payment_method_for(payment.get("paymentMethod") or {}, company)
        existing = self._find_own("SalesReceipt", item.croco_id, customer_ref, item)
        if existing is None:
            body = mapping.sales_receipt_payload(payment, customer_ref=customer_ref, item_refs=item_refs,
                                                 company=company, payment_method_ref=method_ref)
            existing = self.qbo.create("SalesReceipt", body, request_id=_create_id(self.store, item, customer_ref))
            self._count("created")
        with self.store.transaction():
            self.store.save_link("payment", item.croco_id, str(existing["Id"]), sync_token=existing.get("SyncToken"),
                                 extra={"type": "SalesReceipt"})
            self.payouts.after_payment(payment, company)
        source = str(payment.get("sourceType") or "")
        label = message("label.payment_source", "payment {id} ({source})", id=item.croco_id,
                        source=payment_source(source))
        # `customer` names the record in the log viewer's Record column (not used by the text)
        self.store.log("INFO", "to_qbo", message("push.sales_receipt", "Recorded {label} as a sales receipt in "
                                                 "QuickBooks", label=label, customer=customer_ref.get("name")),
                       record_kind="payment", croco_id=item.croco_id, qbo_id=str(existing["Id"]))
        self._check_total(label, payment, existing, item)
        self._write_back(lambda: self.croco.set_payment_external_refs(item.croco_id, {
            "quickbooks.sales_receipt_id": str(existing["Id"]), "quickbooks.realm_id": self.ctx.realm_id}))

    def _push_invoice_payment(self, item: OutboxItem) -> None:
        payment = item.payload
        if self.store.link(INVOICE_PAYMENT, item.croco_id) is not None:
            self._count("skipped")
            return
        invoice_id = str(payment.get("invoiceId") or "")
        invoice_link = self.store.link("invoice", invoice_id) if invoice_id else None
        if invoice_link is None:
            pending = self.store.outbox_item(f"invoice:{invoice_id}")
            if pending is not None and pending.status == "pending":
                raise NetworkError(message("push.invoice_pending", "its invoice is not in QuickBooks yet"),
                                   retryable=True)
            raise problems.ProblemError(
                "invoice_not_in_qbo",
                message("push.invoice_missing", "the invoice {invoice} it pays is not in QuickBooks (it was sent "
                        "before the integration was activated, or it failed to sync)",
                        invoice=invoice_id or "(none)"),
                fix=message("push.invoice_missing.fix", "Create that invoice in QuickBooks and record the payment "
                            "there, or fix the invoice's error in the log and press Sync now."),
            )
        company = self.payouts.company_for(payment, self.ctx.company())
        customer_ref = self.ensure_customer(str(payment["contactId"]), payment.get("currency"))
        method_ref = mapping.payment_method_for(payment.get("paymentMethod") or {}, company)
        existing = self._find_own("Payment", item.croco_id, customer_ref, item)
        if existing is None:
            number = str(invoice_link.extra.get("number", invoice_id))
            amount = bookkeeper.open_amount(self, item, invoice_link.qbo_id, number)
            if amount is None:
                return  # linked to the payment the bookkeeper recorded by hand
            body = mapping.payment_payload({**payment, "amount": str(amount)}, customer_ref=customer_ref,
                                           qbo_invoice_id=invoice_link.qbo_id, company=company,
                                           payment_method_ref=method_ref)
            existing = self.qbo.create("Payment", body, request_id=_create_id(self.store, item, customer_ref))
            self._count("created")
        with self.store.transaction():
            self.store.save_link(INVOICE_PAYMENT, item.croco_id, str(existing["Id"]), sync_token=existing.get("SyncToken"),
                                 extra={"type": "Payment"})
            self.payouts.after_payment(payment, company)
        self.store.log("INFO", "to_qbo", message("push.invoice_payment", "Recorded payment {id} against invoice "
                                                 "{number} in QuickBooks", id=item.croco_id,
                                                 number=invoice_link.extra.get("number", invoice_id)),
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
                                                  company=company, payment_method_ref=method_ref,
                                                  refund_account_id=self.payouts.refund_account(payment))
            existing = self.qbo.create("RefundReceipt", body, request_id=_create_id(self.store, item, customer_ref))
            self._count("created")
        with self.store.transaction():
            self.store.save_link("refund", item.croco_id, str(existing["Id"]), sync_token=existing.get("SyncToken"))
            self.payouts.after_refund(payment, refund)
        self.store.log("INFO", "to_qbo", message("push.refund", "Recorded refund {refund} of payment {payment} as a "
                                                 "refund receipt in QuickBooks", refund=refund.get("id"),
                                                 payment=payment["id"], customer=customer_ref.get("name")),
                       record_kind="refund", croco_id=item.croco_id,
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

    def _check_total(self, label: Message, doc: dict[str, Any], saved: dict[str, Any], item: OutboxItem) -> None:
        expected = mapping.expected_qbo_total(doc)
        actual = Decimal(str(saved.get("TotalAmt", "0")))
        if expected != actual:
            self.store.log(
                "WARNING", "to_qbo",
                message("push.total_differs", "{label}: QuickBooks total {actual} differs from CrocoClick's "
                        "{expected}", label=label, actual=money_value(actual, doc.get("currency")),
                        expected=money_value(expected, doc.get("currency"))),
                record_kind=item.kind, croco_id=item.croco_id, qbo_id=str(saved.get("Id")),
                fix=message("push.total_differs.fix", "Check the tax codes and rounding settings in QuickBooks for "
                            "this document."),
            )

    def _write_back(self, call: Callable[[], Any]) -> None:
        """Stores the QBO id in CrocoClick's externalRefs (emits no event). Best effort: the local
        link is the source of truth, so a failure here is only logged."""
        try:
            call()
        except ServiceError as exc:
            log.info("could not store the QuickBooks id in CrocoClick: %s", exc.message)


def _create_id(store: StateStore, item: OutboxItem, customer_ref: dict[str, str]) -> str:
    """The requestid of a document's creation: deterministic (a retry after an uncertain outcome replays),
    and new once the record was refused as a problem or its customer changed, because QuickBooks replays
    the refusal (e.g. its 610 for a customer merged away) for the same requestid."""
    problem = problems.get(store, item.op_key)
    return request_id_for(item.request_id, customer_ref["value"], problem.updated_at if problem else "")


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


def _name(contact: dict[str, Any]) -> str:
    return str(contact.get("displayName") or contact.get("email") or contact.get("id"))


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
