"""The user's answer to a problem (design rule 9): retry, resend, relink or skip.

Every input is checked before anything changes (unknown id, an action that does not apply, a customer
that does not exist, is inactive or has another currency): a refused answer changes nothing. An accepted
one changes the record's state in one transaction; the record is then sent by the next cycle (the CLI
and the GUI run one at once), and its problem clears only when it is in QuickBooks.
"""

from __future__ import annotations

from typing import Any

from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.qbo.faults import ObjectNotFoundFault, QboFault
from crocoqb_desktop.sync import mapping, problems
from crocoqb_desktop.sync.bookkeeper import ALLOW_NEW_CUSTOMER, contact_of
from crocoqb_desktop.sync.problems import Problem
from crocoqb_desktop.sync.store import OutboxItem, StateStore, _dumps, utc_now_iso

RECORD_GONE = message("resolve.record_gone", "the record of this problem is no longer known")


class ResolveRefused(CrocoQBError):
    """The answer cannot apply; nothing was changed."""

    title = "Nothing was changed"
    exit_code = 2


def pick(store: StateStore, croco_id: str) -> Problem:
    """The problem the user means by a CrocoClick id (or `kind:id` when one id has several)."""
    found = problems.find(store, croco_id.strip())
    if not found:
        raise ResolveRefused(
            message("resolve.unknown_id", "there is no problem for the CrocoClick id {id}", id=croco_id),
            fix=message("resolve.unknown_id.fix", "Run `crocoqb problems` to see the records that need you."))
    open_ones = [p for p in found if p.state == "open"]
    if len(open_ones) > 1:
        raise ResolveRefused(
            message("resolve.ambiguous", "the CrocoClick id {id} has several problems ({kinds})", id=croco_id,
                    kinds=", ".join(p.kind for p in open_ones)),
            fix=message("resolve.ambiguous.fix", "Name the one you mean as kind:id, e.g. {example}.",
                        example=f"{open_ones[0].kind}:{croco_id}"))
    return open_ones[0] if open_ones else found[0]


def check(problem: Problem, action: str, qbo_id: str | None) -> None:
    if action not in problems.ACTIONS or action not in problem.actions:
        raise ResolveRefused(
            message("resolve.action_does_not_apply", "{action} does not apply to this problem ({reason})",
                    action=action, reason=problem.reason),
            fix=message("resolve.action_does_not_apply.fix", "Use one of: {actions}.",
                        actions=", ".join(problem.actions)))
    if action == "relink" and not qbo_id:
        raise ResolveRefused(message("resolve.relink_needs_id", "relink needs the QuickBooks customer to use"),
                             fix=message("resolve.relink_needs_id.fix", "Add --qbo-id with the customer's Id."))
    if action != "relink" and qbo_id:
        raise ResolveRefused(message("resolve.qbo_id_unused", "--qbo-id applies to relink only"),
                             fix=message("resolve.qbo_id_unused.fix", "Leave --qbo-id out for {action}.",
                                         action=action))


def relink_target(qbo: Any, company: mapping.QboCompany, item: OutboxItem, qbo_id: str) -> dict[str, Any]:
    """The customer the user picked, checked: it exists, is active and takes the document's currency."""
    try:
        customer = qbo.get("Customer", str(qbo_id).strip())
    except (ObjectNotFoundFault, QboFault) as exc:
        if isinstance(exc, QboFault) and not isinstance(exc, ObjectNotFoundFault) and exc.status != 400:
            raise
        raise ResolveRefused(
            message("resolve.no_such_customer", "QuickBooks has no customer with the Id {id}", id=qbo_id),
            fix=message("resolve.pick_customer.fix", "Pick an active customer (the app searches them by name "
                        "or email), or find its Id in QuickBooks.")) from None
    if not customer.get("Active", True):
        raise ResolveRefused(
            message("resolve.customer_inactive", "the QuickBooks customer {name} is inactive",
                    name=str(customer.get("DisplayName", qbo_id))),
            fix=message("resolve.pick_customer.fix", "Pick an active customer (the app searches them by name "
                        "or email), or find its Id in QuickBooks."))
    payload = item.payload.get("payment") if item.kind == "refund" else item.payload
    wanted = str((payload or {}).get("currency") or company.home_currency).upper()
    has = str((customer.get("CurrencyRef") or {}).get("value") or company.home_currency).upper()
    if company.multicurrency and wanted != has:
        raise ResolveRefused(
            message("resolve.customer_currency", "the QuickBooks customer {name} is in {has}, this record in "
                    "{wanted}", name=str(customer.get("DisplayName", qbo_id)), has=has, wanted=wanted),
            fix=message("resolve.customer_currency.fix", "Pick a customer in {wanted}.", wanted=wanted))
    return customer


def apply(store: StateStore, problem: Problem, action: str, customer: dict[str, Any] | None = None) -> Message:
    """Changes the record's state for `action` (already checked). Returns what was done, for the log."""
    if problem.kind == "payout":
        return _apply_payout(store, problem, action)
    item = store.outbox_item(problem.op_key)
    if item is None:
        raise ResolveRefused(RECORD_GONE)
    label = f"{problem.kind} {problem.label}"
    with store.transaction():
        if action == "skip":
            problems.set_state(store, problem.op_key, "skipped")
            done = message("resolve.skipped", "{label} is left out of QuickBooks by your choice; a later change "
                           "in CrocoClick brings it back", label=label)
        else:
            if action == "resend":
                _resend(store, problem, item)
                done = message("resolve.resend", "{label} will be sent to QuickBooks again", label=label)
            elif action == "relink":
                assert customer is not None
                _relink(store, item, customer)
                done = message("resolve.relinked", "{label}: the contact is now linked to the QuickBooks customer "
                               "{name}", label=label, name=str(customer.get("DisplayName", "")))
            else:
                done = message("resolve.retry", "{label} will be tried again now", label=label)
            store.execute("UPDATE outbox SET status='pending', next_attempt_at=0, updated_at=? WHERE op_key=?",
                          (utc_now_iso(), problem.op_key))
        store.log("INFO", "to_qbo", done, record_kind=problem.kind, croco_id=problem.croco_id)
    return done


def _resend(store: StateStore, problem: Problem, item: OutboxItem) -> None:
    if problem.reason in {"deleted_in_qbo", "voided_in_qbo"}:
        store.delete_link(item.kind, item.croco_id)  # a new document is created and linked
        if item.kind == "payment":
            store.delete_link("invoice_payment", item.croco_id)
    elif problem.reason == "paid_in_qbo":
        payload = {**item.payload, "_apply_open_only": True}  # only what is still open: never overpay
        store.execute("UPDATE outbox SET payload=? WHERE op_key=?", (_dumps(payload), item.op_key))
    else:
        contact_id = contact_of(item)
        if contact_id:  # a new customer may be created for this contact
            store.delete_link("customer", contact_id)
            store.set_cursor(ALLOW_NEW_CUSTOMER + contact_id, utc_now_iso())


def _relink(store: StateStore, item: OutboxItem, customer: dict[str, Any]) -> None:
    contact_id = contact_of(item)
    if not contact_id:
        raise ResolveRefused(message("resolve.no_contact", "this record has no contact to link"))
    store.save_link("customer", contact_id, str(customer["Id"]), sync_token=customer.get("SyncToken"),
                    extra={"name": customer.get("DisplayName", ""), "pushed": True})
    store.index_customer(str(customer["Id"]), mapping.normalise_email(
        (customer.get("PrimaryEmailAddr") or {}).get("Address")), str(customer.get("DisplayName", "")), True,
        customer.get("SyncToken"))
    # the contact's other records waiting on its customer go again too
    for other in problems.list_problems(store):
        if other.op_key != item.op_key and other.reason in {"customer_inactive", "customer_ambiguous", "no_email"}:
            other_item = store.outbox_item(other.op_key)
            if other_item is not None and contact_of(other_item) == contact_id:
                store.execute("UPDATE outbox SET status='pending', next_attempt_at=0 WHERE op_key=?",
                              (other.op_key,))



def _apply_payout(store: StateStore, problem: Problem, action: str) -> Message:
    """A payout waits for an account to map (rule 14): `retry` books it now if the account is mapped
    (a waiting payout is tried at every cycle anyway); `skip` leaves it to be recorded by hand."""
    from crocoqb_desktop.sync.payout_store import PayoutStore

    data = PayoutStore(store)
    row = data.payout(problem.croco_id)
    if row is None:
        raise ResolveRefused(RECORD_GONE)
    label = f"payout {problem.label}"
    with store.transaction():
        if action == "skip":
            problems.set_state(store, problem.op_key, "skipped")
            data.set_state(row.id, "manual", message(
                "resolve.payout_skipped", "left to be recorded by hand in QuickBooks by your choice"))
            done = message("resolve.payout_skipped.log", "{label} is left out: record it in QuickBooks by hand",
                           label=label)
        else:
            done = message("resolve.retry", "{label} will be tried again now", label=label)
        store.log("INFO", "to_qbo", done, record_kind="payout", croco_id=problem.croco_id)
    return done
