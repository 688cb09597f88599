"""QuickBooks -> CrocoClick: contacts (initial import, then continuous through CDC), historical
invoices (optional) and review requests on a customer's first fully paid invoice (optional).

Resumable: every record is linked as soon as it is written, and every write carries an
idempotency key derived from the QBO id, so a rerun after a crash replays instead of duplicating.
The app's own writes coming back through CDC compare equal and cause no write (no echo).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import islice
from types import SimpleNamespace
from typing import Any

from crocoqb_desktop.croco.client import CrocoClient
from crocoqb_desktop.croco.errors import CrocoApiError, CrocoConflict, CrocoNotFound, CrocoUnprocessable
from crocoqb_desktop.errors import RecordError, ServiceError
from crocoqb_desktop.messages import Message, message, money_value
from crocoqb_desktop.qbo.query import cmp, eq
from crocoqb_desktop.sync import mapping
from crocoqb_desktop.sync.parallel import Counter, group_by, run_groups
from crocoqb_desktop.sync.qbo_context import QboContext
from crocoqb_desktop.sync.store import StateStore

log = logging.getLogger("crocoqb.sync.pull")

IMPORT_CONTACTS = "pull.contacts_imported"
IMPORT_INVOICES = "pull.invoices_imported"
CDC_SINCE = "pull.cdc_since"
REVIEW_BASELINE = "pull.review_baseline"
CDC_MAX_LOOKBACK = timedelta(days=29)  # Intuit: 30 days at most; keep a margin
CDC_CAP = 1000
CDC_OVERLAP = timedelta(seconds=60)
IMPORT_CHUNK = 1000  # records read from QuickBooks, then written to CrocoClick at once, at a time
Progress = Callable[[str, int, int], None]


@dataclass
class PullResult:
    created: int = 0
    updated: int = 0
    linked: int = 0
    reviews: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


class PullEngine:
    def __init__(self, croco: CrocoClient, ctx: QboContext, store: StateStore, *, import_invoices: bool,
                 review_automation: bool, review_channel: str) -> None:
        self.croco = croco
        self.ctx = ctx
        self.qbo = ctx.client
        self.store = store
        self.import_invoices = import_invoices
        self.review_automation = review_automation
        self.review_channel = review_channel
        self.result = PullResult()
        self._currency: str | None = None
        self._contacts_by_email: dict[str, dict[str, Any]] | None = None
        #: records written to CrocoClick at once during the activation import
        self.workers = int(getattr(self.qbo, "max_concurrency", 1))
        self._counter = Counter()

    def _count(self, name: str) -> None:
        self._counter.add(self.result, name)

    # -- activation -------------------------------------------------------------------------------
    def run_activation(self, progress: Progress | None = None) -> None:
        if self.store.cursor(CDC_SINCE) is None:
            # CDC starts from the moment the import starts: changes during the import are seen again
            self.store.set_cursor(CDC_SINCE, _qbo_time(datetime.now(UTC)))
        if self.store.cursor(IMPORT_CONTACTS) != "done":
            self.import_contacts(progress)
        if self.store.cursor(REVIEW_BASELINE) != "done":
            self._review_baseline()
        if self.import_invoices and self.store.cursor(IMPORT_INVOICES) != "done":
            self.import_historical_invoices(progress)

    def import_contacts(self, progress: Progress | None = None) -> None:
        total = self.qbo.count("Customer")
        # one pass over CrocoClick's contacts instead of one search per customer: the import is
        # bounded by CrocoClick's rate limit, so requests saved are time saved
        self._contacts_by_email = self._contact_email_index()

        def pull(customer: dict[str, Any]) -> None:
            self._index(customer)
            self._pull_customer(customer, initial=True)

        try:
            # several customers are written at once (so CrocoClick's rate limit, not its round trips,
            # bounds the import); customers sharing an email or a contact go one after the other, in order
            self._run_chunked(self.qbo.query_all("Customer"), pull, self._customer_keys,
                              "Importing QuickBooks customers", total, progress)
        finally:
            self._contacts_by_email = None
        self.store.set_cursor(IMPORT_CONTACTS, "done")
        self.store.log("INFO", "to_croco", message("pull.customers_imported", "Initial import of QuickBooks customers "
                                                    "finished ({total} customers)", total=total))

    def import_historical_invoices(self, progress: Progress | None = None) -> None:
        total = self.qbo.count("Invoice")
        tally = SimpleNamespace(imported=0)

        def pull(invoice: dict[str, Any]) -> None:
            if self._import_invoice(invoice):
                self._counter.add(tally, "imported")

        # invoices of one customer go one after the other (its contact is created once)
        self._run_chunked(self.qbo.query_all("Invoice"), pull,
                          lambda inv: [("customer", str((inv.get("CustomerRef") or {}).get("value")))],
                          "Importing QuickBooks invoices", total, progress)
        imported = tally.imported
        self.store.set_cursor(IMPORT_INVOICES, "done")
        self.store.log("INFO", "to_croco", message("pull.invoices_imported", "Imported {imported} past QuickBooks "
                                                    "invoices into CrocoClick", imported=imported))

    def _customer_keys(self, customer: dict[str, Any]) -> list[tuple[str, str]]:
        """What two customers of the import may share: an email, the CrocoClick contact it matches."""
        keys = [("customer", str(customer.get("Id")))]
        email = mapping.normalise_email((customer.get("PrimaryEmailAddr") or {}).get("Address"))
        if email:
            keys.append(("email", email))
            contact = (self._contacts_by_email or {}).get(email)
            if contact is not None:
                keys.append(("contact", str(contact["id"])))
        return keys

    def _run_chunked(self, records: Iterable[dict[str, Any]], pull: Callable[[dict[str, Any]], None],
                     keys: Callable[[dict[str, Any]], list[tuple[str, str]]], label: str, total: int,
                     progress: Progress | None) -> None:
        done = [0]

        def one_done() -> None:
            done[0] += 1
            if progress:
                progress(label, done[0], total)

        for chunk in _chunks(records, IMPORT_CHUNK):
            run_groups(group_by(chunk, keys), pull, workers=self.workers, on_item_done=one_done,
                       thread_name="crocoqb-import")

    # -- continuous -------------------------------------------------------------------------------
    def poll_changes(self) -> None:
        now = datetime.now(UTC)
        since = _parse_time(self.store.cursor(CDC_SINCE)) or now
        floor = now - CDC_MAX_LOOKBACK
        if since > now + CDC_OVERLAP:
            # a time in the future (the clock was wrong, then corrected): changes "since then" would
            # stay unseen until that moment; read the whole look-back window once instead
            self.store.log("WARNING", "to_croco", message(
                "pull.clock_future", "The last QuickBooks check time ({time}) is in the future (the computer's "
                "clock changed); re-reading the last 29 days of changes", time=since.astimezone(UTC)),
                fix=message("pull.clock_future.fix", "Nothing to do: nothing is imported twice. Keep the computer's "
                            "date and time set automatically."))
            window_start, since = floor, now
        elif since < floor:
            self.store.log("WARNING", "to_croco", message("pull.cdc_too_old", "QuickBooks changes older than 30 "
                                                          "days cannot be read; re-reading all customers instead"),
                           fix=message("pull.cdc_too_old.fix", "Nothing to do: CrocoQB re-reads every QuickBooks "
                                       "customer once; nothing is imported twice."))
            self.import_contacts()
            # the cursor restarts from now (as at activation), not from the look-back floor, which
            # moves on and would make every later poll re-read everything again
            window_start, since = floor, now
        else:
            window_start = max(floor, since - CDC_OVERLAP)
        while True:
            # the first window overlaps the previous poll a little (timestamps are per second and
            # clocks differ); what is seen twice compares equal and causes no write
            changes = self.qbo.cdc(["Customer", "Invoice"], window_start)
            customers = changes.get("Customer", [])
            invoices = changes.get("Invoice", [])
            self._apply_changes(customers, invoices)
            newest = max((_updated_dt(o) for o in customers + invoices if _updated_dt(o)), default=None)
            capped = len(customers) + len(invoices) >= CDC_CAP
            if capped and (newest is None or newest <= window_start):
                # 1,000 changes or more share one instant: CDC cannot page past them; read the
                # rest with ordinary queries, which page without a cap
                newest = self._catch_up_by_query(window_start) or newest
                capped = False
            if newest is not None and newest > since:
                since = newest
            self.store.set_cursor(CDC_SINCE, _qbo_time(since))
            if not capped:
                return
            window_start = newest  # the cap was hit: a narrower window, from the newest change seen

    def _apply_changes(self, customers: list[dict[str, Any]], invoices: list[dict[str, Any]]) -> None:
        for customer in sorted(customers, key=_updated_at):
            self._index(customer)
            self._pull_customer(customer, initial=False)
        for invoice in sorted(invoices, key=_updated_at):
            self._pull_invoice_change(invoice)

    def _catch_up_by_query(self, since: datetime) -> datetime | None:
        where = [cmp("MetaData.LastUpdatedTime", ">=", _qbo_time(since))]
        customers = list(self.qbo.query_all("Customer", where + ["Active IN (true, false)"]))
        invoices = list(self.qbo.query_all("Invoice", where))
        self._apply_changes(customers, invoices)
        return max((_updated_dt(o) for o in customers + invoices if _updated_dt(o)), default=None)

    # -- customers --------------------------------------------------------------------------------
    def _index(self, customer: dict[str, Any]) -> None:
        if customer.get("status") == "Deleted":
            self.store.index_customer(str(customer["Id"]), None, "", False, None)
            return
        self.store.index_customer(
            str(customer["Id"]), mapping.normalise_email((customer.get("PrimaryEmailAddr") or {}).get("Address")),
            str(customer.get("DisplayName", "")), bool(customer.get("Active", True)), customer.get("SyncToken"))

    def _pull_customer(self, customer: dict[str, Any], *, initial: bool) -> None:
        qbo_id = str(customer["Id"])
        link = self.store.link_by_qbo("customer", qbo_id)
        try:
            if customer.get("status") == "Deleted" or not customer.get("Active", True):
                if link is not None:
                    self.store.delete_link("customer", link.croco_id)
                    self.store.log("INFO", "to_croco", message(
                        "pull.customer_unlinked", "QuickBooks customer {customer} was deleted or made inactive: "
                        "unlinked (the CrocoClick contact is kept)", customer=customer.get("DisplayName", qbo_id)),
                                   record_kind="customer", croco_id=link.croco_id, qbo_id=qbo_id)
                return
            if customer.get("Job"):
                return  # sub-customers/jobs are projects of a customer, not people to contact
            if link is not None:
                self._update_contact(link.croco_id, customer)
                return
            self._link_or_create_contact(customer, initial=initial)
        except (RecordError, CrocoApiError) as exc:
            self._failed(message("label.qbo_customer", "QuickBooks customer {customer}",
                                 customer=customer.get("DisplayName", qbo_id)), exc, "customer",
                         qbo_id=qbo_id)

    def _link_or_create_contact(self, customer: dict[str, Any], *, initial: bool) -> str:
        qbo_id = str(customer["Id"])
        body = mapping.contact_body_from_customer(customer)
        email = mapping.normalise_email(body.get("email"))
        contact: dict[str, Any] | None = None
        if email and self._contacts_by_email is not None:
            contact = self._contacts_by_email.get(email)
        elif email:
            matches = self.croco.search_contacts(email)
            contact = matches[0] if matches else None
        if contact is not None and self.store.link("customer", str(contact["id"])) is not None:
            # the contact is already linked to another QBO customer with the same email
            self.store.log("WARNING", "to_croco", message(
                "pull.same_email", "QuickBooks customer {customer} has the same email as an already linked customer; "
                "not imported twice", customer=customer.get("DisplayName")), record_kind="customer",
                croco_id=str(contact["id"]), qbo_id=qbo_id,
                fix=message("pull.same_email.fix", "Merge the duplicate customers in QuickBooks if they are the same "
                            "person."))
            return str(contact["id"])
        if contact is None:
            if not body.get("email") and not body.get("phone"):
                raise RecordError(
                    message("pull.no_email_phone", "it has neither an email nor a phone number, which CrocoClick "
                            "needs for a contact"),
                    fix=message("pull.no_email_phone.fix", "Add an email address to this customer in QuickBooks; it "
                                "is imported at the next sync."),
                )
            try:
                contact = self.croco.create_contact(body, idempotency_key=f"qbo-customer-{self.ctx.realm_id}-{qbo_id}")
            except CrocoConflict as exc:  # duplicate email forbidden by the location: link the existing one
                if not exc.existing_id:
                    raise
                contact = self.croco.get_contact(exc.existing_id)
            else:
                self._count("created")
                self.store.log("INFO", "to_croco", message("pull.customer_imported", "Imported QuickBooks customer "
                                                           "{customer} as a new CrocoClick contact",
                                                           customer=customer.get("DisplayName")),
                               record_kind="customer", croco_id=str(contact["id"]),
                               qbo_id=qbo_id)
        else:
            self._count("linked")
            self.store.log("INFO", "to_croco", message("pull.customer_linked", "Linked QuickBooks customer {customer} "
                                                       "to the existing contact {contact} (same email)",
                                                       customer=customer.get("DisplayName"),
                                                       contact=contact.get("displayName")), record_kind="customer",
                           croco_id=str(contact["id"]), qbo_id=qbo_id)
        contact_id = str(contact["id"])
        self._save_customer_link(contact, customer)
        refs = contact.get("externalRefs") or {}
        if refs.get("quickbooks.customer_id") != qbo_id:
            try:
                self.croco.update_contact(contact_id, {"externalRefs": {
                    "quickbooks.customer_id": qbo_id, "quickbooks.realm_id": self.ctx.realm_id}})
            except ServiceError as exc:
                log.info("could not store the QuickBooks id on contact %s: %s", contact_id, exc.message)
        return contact_id

    def _contact_email_index(self) -> dict[str, dict[str, Any]]:
        """Normalised email (primary and additional) -> the oldest contact carrying it."""
        index: dict[str, dict[str, Any]] = {}
        contacts = sorted(self.croco.list_contacts(), key=lambda c: (str(c.get("createdAt", "")), str(c["id"])))
        for contact in contacts:
            for address in [contact.get("email"), *(contact.get("additionalEmails") or [])]:
                email = mapping.normalise_email(address)
                if email and email not in index:
                    index[email] = contact
        return index

    def _save_customer_link(self, contact: dict[str, Any], customer: dict[str, Any]) -> None:
        # the fingerprint is what a push of this contact would send: the echo of this write is a no-op
        probe = mapping.customer_payload(contact, display_name=str(customer.get("DisplayName", "")), currency=None)
        previous = self.store.link("customer", str(contact["id"]))
        extra = dict(previous.extra) if previous else {}
        extra["name"] = customer.get("DisplayName")
        self.store.save_link("customer", str(contact["id"]), str(customer["Id"]),
                             sync_token=customer.get("SyncToken"), fingerprint=mapping.fingerprint(probe),
                             extra=extra)

    def _update_contact(self, contact_id: str, customer: dict[str, Any]) -> None:
        link = self.store.link("customer", contact_id)
        if link is not None and link.sync_token == customer.get("SyncToken"):
            return  # nothing changed since we last saw it
        try:
            contact = self.croco.get_contact(contact_id)
        except CrocoNotFound:
            self.store.delete_link("customer", contact_id)
            return
        changes = mapping.contact_update_from_customer(customer, contact)
        if changes:
            try:
                contact = self.croco.update_contact(contact_id, changes, version=contact.get("version"))
            except CrocoConflict:
                contact = self.croco.get_contact(contact_id)  # changed meanwhile: apply to the fresh copy
                changes = mapping.contact_update_from_customer(customer, contact)
                if changes:
                    contact = self.croco.update_contact(contact_id, changes, version=contact.get("version"))
            self._count("updated")
            self.store.log("INFO", "to_croco", message("pull.contact_updated", "Updated contact {contact} from "
                                                       "QuickBooks ({fields})", contact=contact.get("displayName"),
                                                       fields=", ".join(sorted(changes))),
                           record_kind="customer", croco_id=contact_id,
                           qbo_id=str(customer["Id"]))
        self._save_customer_link(contact, customer)

    def contact_for_customer(self, qbo_customer_id: str) -> str | None:
        link = self.store.link_by_qbo("customer", qbo_customer_id)
        if link is not None:
            return link.croco_id
        customer = self.qbo.get("Customer", qbo_customer_id)
        self._index(customer)
        if not customer.get("Active", True):
            return None
        return self._link_or_create_contact(customer, initial=False)

    # -- invoices ---------------------------------------------------------------------------------
    def _import_invoice(self, invoice: dict[str, Any]) -> bool:
        qbo_id = str(invoice["Id"])
        if self.store.link_by_qbo("invoice", qbo_id) or self.store.link_by_qbo("invoice_import", qbo_id):
            return False  # pushed by this app, or already imported
        try:
            contact_id = self.contact_for_customer(str(invoice["CustomerRef"]["value"]))
            if contact_id is None:
                raise RecordError(message("pull.customer_inactive", "its customer is inactive in QuickBooks"),
                                  fix=message("pull.customer_inactive.fix", "Reactivate the customer in QuickBooks "
                                              "to import this invoice."))
            body = mapping.invoice_body_from_qbo(invoice, contact_id=contact_id, currency=self._home_currency(invoice),
                                                 company=self.ctx.company())
            try:
                created = self.croco.create_invoice(body, idempotency_key=f"qbo-invoice-{self.ctx.realm_id}-{qbo_id}")
            except CrocoConflict as exc:
                if not exc.existing_id:
                    raise
                created = self.croco.get_invoice(exc.existing_id)
            self.store.save_link("invoice_import", str(created["id"]), qbo_id, sync_token=invoice.get("SyncToken"),
                                 extra={"number": created.get("number")})
            self.store.log("INFO", "to_croco", message("pull.invoice_imported", "Imported QuickBooks invoice "
                                                       "{number} (total {total}, paid {paid})",
                                                       number=invoice.get("DocNumber") or qbo_id,
                                                       total=money_value(invoice.get("TotalAmt"), created.get("currency")),
                                                       paid=money_value(created.get("amountPaid"), created.get("currency"))),
                           record_kind="invoice", croco_id=str(created["id"]), qbo_id=qbo_id)
            self._count("created")
            return True
        except (RecordError, CrocoApiError) as exc:
            self._failed(message("label.qbo_invoice", "QuickBooks invoice {number}",
                                 number=invoice.get("DocNumber") or qbo_id), exc, "invoice", qbo_id=qbo_id)
            return False

    def _home_currency(self, invoice: dict[str, Any]) -> str:
        ref = invoice.get("CurrencyRef") or {}
        if ref.get("value"):
            return str(ref["value"])
        if self._currency is None:
            self._currency = self.ctx.company().home_currency
        return self._currency

    def _pull_invoice_change(self, invoice: dict[str, Any]) -> None:
        if invoice.get("status") == "Deleted":
            return
        qbo_id = str(invoice["Id"])
        imported = self.store.link_by_qbo("invoice_import", qbo_id)
        if imported is not None and imported.sync_token != invoice.get("SyncToken"):
            self._refresh_imported_payment(imported.croco_id, invoice)
        if self.review_automation:
            self._maybe_request_review(invoice)

    def _refresh_imported_payment(self, croco_id: str, invoice: dict[str, Any]) -> None:
        paid = Decimal(str(invoice.get("TotalAmt", 0))) - Decimal(str(invoice.get("Balance", 0)))
        try:
            current = self.croco.get_invoice(croco_id)
            if Decimal(str(current.get("amountPaid", "0"))) != paid and current.get("status") != "void":
                self.croco.update_invoice(croco_id, {"amountPaid": f"{paid:.2f}"}, version=current.get("version"))
                self._count("updated")
            self.store.save_link("invoice_import", croco_id, str(invoice["Id"]), sync_token=invoice.get("SyncToken"))
        except CrocoApiError as exc:
            self._failed(message("label.imported_invoice", "imported invoice {number}", number=invoice.get("DocNumber")),
                         exc, "invoice", qbo_id=str(invoice["Id"]))

    # -- review requests --------------------------------------------------------------------------
    def _maybe_request_review(self, invoice: dict[str, Any]) -> None:
        total = Decimal(str(invoice.get("TotalAmt", 0)))
        if total <= 0 or Decimal(str(invoice.get("Balance", total))) != 0:
            return
        customer_id = str(invoice["CustomerRef"]["value"])
        link = self.store.link_by_qbo("customer", customer_id)
        if link is None:
            return
        contact_id = link.croco_id
        if self.store.review_state(contact_id) is not None:
            return  # once per contact, never again
        if self._had_earlier_paid_invoice(customer_id, invoice):
            self.store.set_review_state(contact_id, None, "not_first", "an earlier invoice was already paid")
            return
        croco_invoice = self.store.link_by_qbo("invoice", str(invoice["Id"])) or \
            self.store.link_by_qbo("invoice_import", str(invoice["Id"]))
        body = {"contactId": contact_id, "channel": self.review_channel, "reason": "first_invoice_paid",
                "relatedInvoiceId": croco_invoice.croco_id if croco_invoice else None}
        try:
            created = self.croco.create_review_request(body, idempotency_key=f"review-first-paid-{contact_id}")
            self.store.set_review_state(contact_id, str(invoice["Id"]), "sent", str(created.get("id", "")))
            self._count("reviews")
            self.store.log("INFO", "to_croco", message("pull.review_asked", "Asked {contact} for a review: their "
                                                       "first invoice ({number}) is fully paid", contact=contact_id,
                                                       number=invoice.get("DocNumber") or invoice["Id"]),
                           record_kind="review",
                           croco_id=contact_id, qbo_id=str(invoice["Id"]))
        except CrocoConflict:
            self.store.set_review_state(contact_id, str(invoice["Id"]), "sent", "already requested")
        except CrocoUnprocessable as exc:
            # do-not-disturb or no address on that channel: logged once, not retried forever
            self.store.set_review_state(contact_id, str(invoice["Id"]), "unreachable", exc.message)
            self.store.log("WARNING", "to_croco", message("pull.review_not_sent", "No review request sent to "
                                                          "contact {contact}: {reason}", contact=contact_id,
                                                          reason=exc.message_msg),
                           record_kind="review", croco_id=contact_id, qbo_id=str(invoice["Id"]),
                           fix=message("pull.review_not_sent.fix", "The contact cannot be reached on this channel "
                                       "(do-not-disturb or no address). Change the review channel in the settings, "
                                       "or the contact in CrocoClick."))

    def _review_baseline(self) -> None:
        """At activation: customers who already have a fully paid invoice never get a "first
        invoice paid" review request (their first one was paid before CrocoQB was there)."""
        for invoice in self.qbo.query_all("Invoice", [cmp("Balance", "=", "0")]):
            if Decimal(str(invoice.get("TotalAmt", 0))) <= 0:
                continue
            link = self.store.link_by_qbo("customer", str(invoice["CustomerRef"]["value"]))
            if link is not None and self.store.review_state(link.croco_id) is None:
                self.store.set_review_state(link.croco_id, str(invoice["Id"]), "not_first",
                                            "an invoice was already paid before activation")
        self.store.set_cursor(REVIEW_BASELINE, "done")

    def _had_earlier_paid_invoice(self, customer_id: str, invoice: dict[str, Any]) -> bool:
        for other in self.qbo.query_all("Invoice", [eq("CustomerRef", customer_id)]):
            if str(other["Id"]) == str(invoice["Id"]):
                continue
            if Decimal(str(other.get("TotalAmt", 0))) > 0 and Decimal(str(other.get("Balance", 1))) == 0:
                return True
        return False

    def _failed(self, label: Message, exc: RecordError | CrocoApiError | ServiceError, kind: str, *,
                qbo_id: str | None = None) -> None:
        failed = message("pull.not_imported", "{label} was not imported into CrocoClick: {reason}", label=label,
                         reason=exc.message_msg)
        self._count("failed")
        self.result.failures.append(str(failed))
        self.store.log("ERROR", "to_croco", failed, record_kind=kind, qbo_id=qbo_id, fix=exc.fix_msg)


def _chunks(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


def _updated_at(obj: dict[str, Any]) -> str:
    return str((obj.get("MetaData") or {}).get("LastUpdatedTime", ""))


def _updated_dt(obj: dict[str, Any]) -> datetime | None:
    return _parse_time(_updated_at(obj))


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _qbo_time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


__all__ = ["PullEngine", "PullResult", "json"]
