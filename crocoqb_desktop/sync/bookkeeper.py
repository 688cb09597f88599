"""What a QuickBooks user changed under the app's feet (design rule 9): merged or deactivated customers,
deleted or voided documents, payments recorded by hand. Each case either resolves itself safely (one
active customer with the contact's email, one matching unlinked payment) or becomes a problem; the app
never re-creates, un-voids or overpays on its own."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.messages import message
from crocoqb_desktop.qbo.faults import ObjectNotFoundFault
from crocoqb_desktop.qbo.query import eq
from crocoqb_desktop.sync import mapping, problems
from crocoqb_desktop.sync.problems import ProblemError, inactive_item_problem, park
from crocoqb_desktop.sync.qbo_context import _item_name

if TYPE_CHECKING:
    from crocoqb_desktop.sync.push import PushEngine
    from crocoqb_desktop.sync.store import Link, OutboxItem, StateStore

#: cursor flag set by the `resend` action of a customer problem: a new customer may be created
ALLOW_NEW_CUSTOMER = "problems.allow_new_customer:"
MANUAL_PAYMENT_DAYS = 3
REINDEXED = "problems.reindexed_after:"


def contact_of(item: OutboxItem) -> str | None:
    payload = item.payload
    if item.kind == "customer":
        return item.croco_id
    if item.kind == "refund":
        payload = payload.get("payment") or {}
    value = payload.get("contactId")
    return str(value) if value else None


# -- customers --------------------------------------------------------------------------------------
def customer_gone(engine: PushEngine, item: OutboxItem) -> bool:
    """After a 610 on a write: True if the operation's linked customer is now inactive (merged away or
    deactivated) or gone. The link is kept but marked not pushed, so the next attempt checks it again
    and re-matches by email among active customers (see `previous_customer_gone`)."""
    contact_id = contact_of(item)
    link = engine.store.link("customer", contact_id) if contact_id else None
    if contact_id is None or link is None:
        return False
    try:
        customer = engine.qbo.get("Customer", link.qbo_id)
    except ObjectNotFoundFault:
        customer = None
    if customer is not None and customer.get("Active", True):
        return False
    engine.store.save_link("customer", contact_id, link.qbo_id, sync_token=link.sync_token,
                           fingerprint=link.fingerprint, extra={**link.extra, "pushed": False})
    return True


def previous_customer_gone(engine: PushEngine, contact: dict[str, Any], previous_id: str | None
                           ) -> dict[str, Any] | None:
    """The customer the contact was linked to, if it is now inactive or deleted (else None). A contact
    whose customer was merged away must not silently get a brand-new customer: it is re-matched among
    active customers by email, or becomes a problem."""
    contact_id = str(contact["id"])
    if engine.store.cursor(ALLOW_NEW_CUSTOMER + contact_id):
        return None
    refs = contact.get("externalRefs") or {}
    if previous_id is None and refs.get("quickbooks.realm_id") in (None, engine.ctx.realm_id):
        previous_id = refs.get("quickbooks.customer_id")
    if not previous_id:
        return None
    try:
        customer = engine.qbo.get("Customer", str(previous_id))
    except ObjectNotFoundFault:
        return {"Id": str(previous_id), "DisplayName": str(previous_id), "Active": False}
    if customer.get("Active", True):
        return None
    once = REINDEXED + str(customer["Id"])
    if not engine.store.cursor(once):  # once per customer gone; CDC keeps the index fresh afterwards
        _reindex_active_customers(engine)
        engine.store.set_cursor(once, "done")
    engine.store.index_customer(str(customer["Id"]), mapping.normalise_email(
        (customer.get("PrimaryEmailAddr") or {}).get("Address")), str(customer.get("DisplayName", "")), False,
        customer.get("SyncToken"))
    return customer


def _reindex_active_customers(engine: PushEngine) -> None:
    """A merge or deactivation was seen: the local email index (QuickBooks compares emails literally, the
    app normalises them) is refreshed from the active customers, so the re-match sees the survivor even
    before the next CDC poll. Rare (once per merged customer) and a few pages for a small business."""
    with engine.store.transaction():
        for c in engine.qbo.query_all("Customer"):
            engine.store.index_customer(str(c["Id"]), mapping.normalise_email(
                (c.get("PrimaryEmailAddr") or {}).get("Address")), str(c.get("DisplayName", "")),
                bool(c.get("Active", True)), c.get("SyncToken"))


def customer_problem(contact: dict[str, Any], gone: dict[str, Any]) -> ProblemError:
    name = str(contact.get("displayName") or contact.get("email") or contact.get("id"))
    return ProblemError(
        "customer_inactive",
        message("problem.customer_inactive", "the QuickBooks customer {customer} of the contact {contact} was "
                "merged or made inactive in QuickBooks, and no active customer has the email {email}",
                customer=str(gone.get("DisplayName", "")), contact=name, email=str(contact.get("email") or "")),
        fix=message("problem.customer_inactive.fix", "Choose the QuickBooks customer to use for this contact "
                    "(Relink), or let CrocoQB create a new one (Resend)."),
        actions=("relink", "resend", "skip"), qbo_id=str(gone.get("Id")))


def no_guess_after_merge(engine: PushEngine, contact: dict[str, Any], email: str, gone: dict[str, Any]) -> None:
    """The contact's customer was merged away or deactivated and several ACTIVE customers have its email:
    never a guess between equal candidates (rule 10) but a problem where the user picks one (relink)."""
    survivors = []
    for qbo_id in engine.store.customers_by_email(email):
        try:
            customer = engine.qbo.get("Customer", qbo_id)
        except ObjectNotFoundFault:
            continue
        if customer.get("Active", True) and str(customer.get("Id")) != str(gone.get("Id")):
            survivors.append(customer)
    if len(survivors) < 2:
        return
    name = str(contact.get("displayName") or contact.get("email") or contact.get("id"))
    raise ProblemError(
        "customer_ambiguous",
        message("problem.customer_ambiguous", "the QuickBooks customer {customer} of the contact {contact} was "
                "merged or made inactive, and {count} active customers have the email {email}: {customers}",
                customer=str(gone.get("DisplayName", "")), contact=name, count=len(survivors),
                email=str(contact.get("email") or ""),
                customers=", ".join(f"{c.get('DisplayName')} (Id {c.get('Id')})" for c in survivors)),
        fix=message("problem.customer_ambiguous.fix", "Choose which QuickBooks customer to use for this contact "
                    "(Relink), or merge the duplicates in QuickBooks; it is then sent by itself."),
        actions=("relink", "skip"), qbo_id=str(gone.get("Id")))


def matched_after_merge(engine: PushEngine, contact: dict[str, Any], gone: dict[str, Any],
                        customer: dict[str, Any]) -> None:
    engine.store.delete_cursor(ALLOW_NEW_CUSTOMER + str(contact["id"]))
    engine.store.log("INFO", "to_qbo", message(
        "problem.customer_relinked", "The QuickBooks customer {old} was merged or made inactive; the contact "
        "{contact} is now linked to the active customer {new}, which has the same email",
        old=str(gone.get("DisplayName", "")), contact=str(contact.get("displayName") or contact["id"]),
        new=str(customer.get("DisplayName", ""))),
        record_kind="customer", croco_id=str(contact["id"]), qbo_id=str(customer["Id"]))


# -- documents --------------------------------------------------------------------------------------
def linked_document(engine: PushEngine, entity: str, link: Link, item: OutboxItem) -> dict[str, Any]:
    """The QuickBooks document a record is linked to; a problem if the bookkeeper deleted or voided it
    (the app never re-creates or un-voids on its own)."""
    try:
        doc = engine.qbo.get(entity, link.qbo_id)
    except ObjectNotFoundFault:
        linked_document_state(link, deleted=True)
        raise  # not reached: the line above raises the problem
    if is_voided(doc) and link.fingerprint != "void":
        linked_document_state(link, deleted=False)
    return doc


def is_voided(doc: dict[str, Any]) -> bool:
    return doc.get("PrivateNote") == "Voided" and Decimal(str(doc.get("TotalAmt", 0))) == 0


# -- payments of invoices ---------------------------------------------------------------------------
def open_amount(engine: PushEngine, item: OutboxItem, qbo_invoice_id: str, number: str) -> Decimal | None:
    """How much of a CrocoClick invoice payment QuickBooks can still take (never overpay): the payment's
    amount when the invoice is open for it; None when a matching payment recorded by hand was linked
    instead. A problem when the invoice was paid (or partly paid) in QuickBooks otherwise."""
    payment = item.payload
    amount = Decimal(str(payment.get("amount") or "0"))
    try:
        invoice = engine.qbo.get("Invoice", qbo_invoice_id)
    except ObjectNotFoundFault:
        raise ProblemError(
            "deleted_in_qbo",
            message("problem.paid_invoice_deleted", "invoice {number} it pays was deleted in QuickBooks", number=number),
            fix=message("problem.paid_invoice_deleted.fix", "Resend the invoice first (Needs attention), then Retry "
                        "this payment; or Skip it."),
            actions=("retry", "skip"), qbo_id=qbo_invoice_id) from None
    balance = Decimal(str(invoice.get("Balance", amount)))
    if amount <= balance:
        return amount
    manual = _matching_manual_payment(engine, invoice, amount, str(payment.get("paidAt") or ""))
    if manual is not None:
        engine.store.save_link("invoice_payment", item.croco_id, str(manual["Id"]), sync_token=manual.get("SyncToken"),
                               extra={"type": "Payment", "manual": True})
        engine.store.log("INFO", "to_qbo", message(
            "problem.payment_linked_manual", "Payment {payment} of invoice {number} was already recorded by hand "
            "in QuickBooks: linked to that payment, none created", payment=item.croco_id, number=number),
            record_kind="payment", croco_id=item.croco_id, qbo_id=str(manual["Id"]))
        return None
    if payment.get("_apply_open_only") and balance > 0:
        return balance
    raise ProblemError(
        "paid_in_qbo",
        message("problem.paid_in_qbo", "invoice {number} is already paid in QuickBooks (open balance {balance}), "
                "so payment {payment} of {amount} would overpay it", number=number, balance=balance,
                payment=item.croco_id, amount=amount),
        fix=message("problem.paid_in_qbo.fix", "Check the payments recorded on this invoice in QuickBooks. Resend "
                    "records only what is still open; Skip leaves this payment out."),
        actions=("resend", "skip") if balance > 0 else ("skip",), qbo_id=qbo_invoice_id)


def _matching_manual_payment(engine: PushEngine, invoice: dict[str, Any], amount: Decimal, paid_at: str
                             ) -> dict[str, Any] | None:
    """Exactly one QuickBooks Payment on this invoice, not linked to anything, same amount, within 3 days."""
    try:
        paid_day = date.fromisoformat(paid_at[:10])
    except ValueError:
        paid_day = None
    found = []
    customer_id = str((invoice.get("CustomerRef") or {}).get("value", ""))
    for pay in engine.qbo.query_all("Payment", [eq("CustomerRef", customer_id)]):
        applied = [ln for ln in pay.get("Line") or [] for lt in ln.get("LinkedTxn") or []
                   if lt.get("TxnType") == "Invoice" and str(lt.get("TxnId")) == str(invoice["Id"])]
        if not applied or Decimal(str(pay.get("TotalAmt", 0))) != amount:
            continue
        if engine.store.link_by_qbo("invoice_payment", str(pay["Id"])) is not None:
            continue
        if "CrocoClick " in str(pay.get("PrivateNote") or ""):
            continue  # written by this app for another record
        if paid_day is not None:
            try:
                day = date.fromisoformat(str(pay.get("TxnDate", ""))[:10])
            except ValueError:
                continue
            if abs(day - paid_day) > timedelta(days=MANUAL_PAYMENT_DAYS):
                continue
        found.append(pay)
    return found[0] if len(found) == 1 else None


# -- seen through CDC -------------------------------------------------------------------------------
def customers_changed_in_qbo(store: StateStore, customers: list[dict[str, Any]]) -> None:
    """A customer made active again: the records that were waiting on it go again now."""
    for customer in customers:
        if customer.get("status") != "Deleted" and customer.get("Active", True):
            problems.repend_customer(store, str(customer.get("Id")))


def payments_changed_in_qbo(store: StateStore, receipts: list[dict[str, Any]], payments: list[dict[str, Any]]
                            ) -> None:
    """CDC lists a sales receipt or an invoice payment the app recorded as deleted or voided by a QuickBooks
    user: the CrocoClick payment is no longer in the books, so it becomes a problem (resend or skip)."""
    for kind, docs in (("payment", receipts), ("invoice_payment", payments)):
        for doc in docs:
            deleted = doc.get("status") == "Deleted"
            if not deleted and not is_voided(doc):
                continue
            link = store.link_by_qbo(kind, str(doc.get("Id")))
            item = store.outbox_item(f"payment:{link.croco_id}") if link else None
            if link is None or item is None or item.status != "done":
                continue
            label = item.croco_id
            park(store, item, ProblemError(
                "deleted_in_qbo" if deleted else "voided_in_qbo",
                message("problem.payment_deleted_in_qbo", "payment {label} was deleted in QuickBooks", label=label)
                if deleted else
                message("problem.payment_voided_in_qbo", "payment {label} was voided in QuickBooks", label=label),
                fix=message("problem.payment_removed.fix", "Resend to record it again in QuickBooks, or Skip to "
                            "leave it out of the books."),
                actions=("resend", "skip"), qbo_id=link.qbo_id))
            store.log("WARNING", "to_croco", message("problem.payment_removed", "Payment {label} was removed from "
                                                     "QuickBooks by a user: it needs your choice", label=label),
                      record_kind="payment", croco_id=link.croco_id, qbo_id=link.qbo_id)


def documents_changed_in_qbo(store: StateStore, invoices: list[dict[str, Any]]) -> None:
    """CDC lists an invoice the app pushed as deleted or voided by a QuickBooks user: the CrocoClick record
    is no longer in the books as it is, so it becomes a problem now (not only at its next change)."""
    for doc in invoices:
        link = store.link_by_qbo("invoice", str(doc.get("Id")))
        if link is None or link.fingerprint == "void":
            continue  # not ours, or voided by the app itself
        deleted = doc.get("status") == "Deleted"
        if not deleted and not is_voided(doc):
            continue
        item = store.outbox_item(f"invoice:{link.croco_id}")
        if item is None or item.status != "done":
            continue  # pending: its handler finds out; parked: already a problem
        try:
            linked_document_state(link, deleted=deleted)
        except ProblemError as exc:
            park(store, item, exc)
            store.log("WARNING", "to_croco", exc.message_data or exc.message, record_kind="invoice",
                      croco_id=link.croco_id, qbo_id=link.qbo_id, fix=exc.fix_data or exc.fix or None)


def linked_document_state(link: Link, *, deleted: bool) -> None:
    label = str(link.extra.get("number") or link.croco_id)
    if deleted:
        raise ProblemError(
            "deleted_in_qbo",
            message("problem.deleted_in_qbo.cdc", "{label} was deleted in QuickBooks but is still in CrocoClick",
                    label=label),
            fix=message("problem.deleted_in_qbo.fix", "Resend to create it again in QuickBooks, or Skip to "
                        "leave it out of the books."),
            actions=("resend", "skip"), qbo_id=link.qbo_id)
    raise ProblemError(
        "voided_in_qbo",
        message("problem.voided_in_qbo", "{label} was voided in QuickBooks but is still open in CrocoClick",
                label=label),
        fix=message("problem.voided_in_qbo.fix", "Void it in CrocoClick too (it then clears), Resend to "
                    "create it again in QuickBooks, or Skip."),
        actions=("resend", "skip"), qbo_id=link.qbo_id)


# -- items ------------------------------------------------------------------------------------------
def raise_if_inactive_item(engine: PushEngine, item: OutboxItem) -> None:
    """After a 610 that is not about the customer: a problem naming the item the bookkeeper made inactive
    (the app never re-creates or reactivates it on its own); nothing if no item is inactive."""
    payload = item.payload.get("payment") if item.kind == "refund" else item.payload
    lines = (payload or {}).get("items") or (payload or {}).get("lineItems") or []
    names = dict.fromkeys(_item_name(str(line.get("name") or "")) for line in lines if isinstance(line, dict))
    names.setdefault(engine.ctx.default_item_name(), None)  # free-text lines go to the default item
    for name in names:
        found = list(engine.qbo.query_all("Item", [eq("Name", name), "Active IN (true, false)"]))
        if found and not any(i.get("Active", True) for i in found):
            raise inactive_item_problem(name, str(found[0].get("Id")))
