"""The QuickBooks customer of a CrocoClick contact: link, match by email, create, and contact updates."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.errors import RecordError
from crocoqb_desktop.messages import message
from crocoqb_desktop.qbo.faults import DuplicateNameFault, ObjectNotFoundFault, QboFault
from crocoqb_desktop.qbo.query import eq
from crocoqb_desktop.sync import bookkeeper, mapping, problems
from crocoqb_desktop.sync.push_shared import qbo_refs, write_back
from crocoqb_desktop.sync.qbo_context import ref, request_id_for

if TYPE_CHECKING:
    from crocoqb_desktop.sync.push import PushEngine
    from crocoqb_desktop.sync.store import Link, OutboxItem


def ensure_customer(engine: PushEngine, contact_id: str, currency: str | None) -> dict[str, str]:
    """The QBO customer for a contact: linked, else matched by normalised email (and
    sparse-updated), else created with a unique DisplayName. Returns a CustomerRef.

    Safe with concurrent operations: one contact at a time, and one email at a time while a
    customer is looked up and created, so that two contacts with one email get one customer."""
    pushed = _pushed_ref(engine.store.link("customer", contact_id))
    if pushed is not None:
        return pushed
    with engine.locks.hold(("contact", contact_id)):
        return _ensure_customer(engine, contact_id, currency)


def _pushed_ref(link: Link | None) -> dict[str, str] | None:
    """The CustomerRef of a link the app already pushed the contact's details to, else None."""
    if link is not None and link.extra.get("pushed"):
        return {"value": link.qbo_id, "name": link.extra.get("name", "")}
    return None


def _ensure_customer(engine: PushEngine, contact_id: str, currency: str | None) -> dict[str, str]:
    store = engine.store
    link = store.link("customer", contact_id)
    pushed = _pushed_ref(link)
    if pushed is not None:
        return pushed
    contact = engine.croco.get_contact(contact_id)
    if not engine.ctx.company().multicurrency:
        currency = None  # single-currency company: customers carry the home currency implicitly
    if link is not None:
        # linked by the QuickBooks import: on its first billable action the customer gets the
        # contact's details (a sparse update of the fields the app owns)
        customer = engine.qbo.get("Customer", link.qbo_id)
        if customer.get("Active", True):
            customer = _update_matched(engine, contact, customer, currency)
            _link_customer(engine, contact, customer)
            return ref(customer, "DisplayName")
        store.delete_link("customer", contact_id)
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
    with engine.locks.hold(("email", email)):
        gone = bookkeeper.previous_customer_gone(engine, contact, link.qbo_id if link else None)
        found = _find_customer(engine, contact, email)
        if found is None and gone is not None:
            raise bookkeeper.customer_problem(contact, gone)  # never a silent new duplicate
        if found is not None and gone is not None:
            bookkeeper.no_guess_after_merge(engine, contact, email, gone)  # several survivors: the user picks
            customer = _update_matched(engine, contact, found, currency)
            bookkeeper.matched_after_merge(engine, contact, gone, customer)
        elif found is not None:
            customer = _update_matched(engine, contact, found, currency)
            store.log("INFO", "to_qbo", message("push.customer_matched", "Matched contact {contact} to the "
                                                "QuickBooks customer {customer} by email",
                                                contact=_name(contact), customer=customer["DisplayName"]),
                      record_kind="customer", croco_id=contact_id, qbo_id=str(customer["Id"]))
        else:
            customer = _create_customer(engine, contact, currency)
            store.delete_cursor(bookkeeper.ALLOW_NEW_CUSTOMER + contact_id)
        _link_customer(engine, contact, customer)
    return ref(customer, "DisplayName")


def _update_matched(engine: PushEngine, contact: dict[str, Any], customer: dict[str, Any], currency: str | None
                    ) -> dict[str, Any]:
    body = mapping.customer_payload(contact, display_name=customer["DisplayName"], currency=currency,
                                    existing=customer)
    if not _changes(body, customer):
        return customer
    updated = engine.qbo.update("Customer", body, request_id=request_id_for(
        "cust-upd", engine.ctx.realm_id, contact["id"], mapping.fingerprint(body)))
    engine.count("updated")
    engine.store.log("INFO", "to_qbo", message("push.customer_updated_from_contact", "Updated the QuickBooks "
                                               "customer {customer} from the CrocoClick contact",
                                               customer=updated["DisplayName"]),
                     record_kind="customer", croco_id=str(contact["id"]), qbo_id=str(updated["Id"]))
    return updated


def _find_customer(engine: PushEngine, contact: dict[str, Any], email: str) -> dict[str, Any] | None:
    qbo = engine.qbo
    refs = contact.get("externalRefs") or {}
    known = refs.get("quickbooks.customer_id")
    if known and refs.get("quickbooks.realm_id") in (None, engine.ctx.realm_id):
        try:
            found = qbo.get("Customer", str(known))
            if found.get("Active", True):
                return found
        except ObjectNotFoundFault:
            pass
        except QboFault as exc:
            if exc.status != 400:
                raise
    ids = engine.store.customers_by_email(email)
    if ids:
        return qbo.get("Customer", ids[0])
    # Exact match on the address as CrocoClick has it (QBO compares literally): finds what an
    # interrupted earlier run created, and most customers typed the same way.
    raw = (contact.get("email") or "").strip()
    for candidate in dict.fromkeys([raw, email]):
        rows = [c for c in qbo.query_all("Customer", [eq("PrimaryEmailAddr", candidate)])
                if mapping.normalise_email((c.get("PrimaryEmailAddr") or {}).get("Address")) == email]
        if rows:
            return min(rows, key=lambda c: int(c["Id"]) if str(c["Id"]).isdigit() else 0)
    return None


def _create_customer(engine: PushEngine, contact: dict[str, Any], currency: str | None) -> dict[str, Any]:
    candidates = mapping.display_name_candidates(contact)
    last_exc: DuplicateNameFault | None = None
    for name in candidates:
        body = mapping.customer_payload(contact, display_name=name, currency=currency)
        try:
            # after the user's "resend" the create must not replay the first creation (a customer since
            # merged away): the flag's time makes it a new request
            again = engine.store.cursor(bookkeeper.ALLOW_NEW_CUSTOMER + str(contact["id"]))
            parts = ("cust-new", engine.ctx.realm_id, contact["id"], name) + ((again,) if again else ())
            customer = engine.qbo.create("Customer", body, request_id=request_id_for(*parts))
        except DuplicateNameFault as exc:
            last_exc = exc
            continue
        engine.count("created")
        if name == candidates[0]:
            created = message("push.customer_created", "Created the QuickBooks customer {name}", name=name)
        else:
            created = message("push.customer_created.renamed", "Created the QuickBooks customer {name} (the name "
                              "'{wanted}' is already used by another customer, vendor or employee in QuickBooks, "
                              "so it was created as '{name}')", name=name, wanted=candidates[0])
        engine.store.log("INFO", "to_qbo", created,
                         record_kind="customer", croco_id=contact["id"], qbo_id=str(customer["Id"]))
        return customer
    raise RecordError(
        message("push.no_free_name", "no free customer name was found for {contact} in QuickBooks",
                contact=_name(contact)),
        fix=message("push.no_free_name.fix", "Rename the contact in CrocoClick or the clashing customer, vendor "
                    "or employee in QuickBooks."),
    ) from last_exc


def _link_customer(engine: PushEngine, contact: dict[str, Any], customer: dict[str, Any]) -> None:
    store = engine.store
    contact_id = str(contact["id"])
    body = mapping.customer_payload(contact, display_name=customer["DisplayName"], currency=None)
    with store.transaction():
        store.save_link("customer", contact_id, str(customer["Id"]), sync_token=customer.get("SyncToken"),
                        fingerprint=mapping.fingerprint(body),
                        extra={"name": customer["DisplayName"], "pushed": True})
        store.index_customer(str(customer["Id"]),
                             mapping.normalise_email((customer.get("PrimaryEmailAddr") or {}).get("Address")),
                             customer["DisplayName"], bool(customer.get("Active", True)),
                             customer.get("SyncToken"))
    refs = contact.get("externalRefs") or {}
    if refs.get("quickbooks.customer_id") != str(customer["Id"]):
        write_back(lambda: engine.croco.update_contact(contact_id, {"externalRefs": qbo_refs(
            engine, "quickbooks.customer_id", str(customer["Id"]))}))


def push_customer_update(engine: PushEngine, item: OutboxItem) -> None:
    """Outbox operation customer/update: a linked contact's changed details onto its customer."""
    link = engine.store.link("customer", item.croco_id)
    if link is None:
        return
    contact = item.payload
    existing = engine.qbo.get("Customer", link.qbo_id)
    probe = mapping.customer_payload(contact, display_name=existing["DisplayName"], currency=None)
    fingerprint = mapping.fingerprint(probe)
    if fingerprint == link.fingerprint:
        engine.count("skipped")
        return
    body = mapping.customer_payload(contact, display_name=existing["DisplayName"], currency=None,
                                    existing=existing)
    if _changes(body, existing):
        updated = engine.qbo.update("Customer", body, request_id=request_id_for(item.request_id, fingerprint))
        engine.count("updated")
        engine.store.log("INFO", "to_qbo", message("push.customer_updated", "Updated the QuickBooks customer "
                                                   "{customer}", customer=updated["DisplayName"]),
                         record_kind="customer", croco_id=item.croco_id, qbo_id=link.qbo_id)
        existing = updated
    engine.store.save_link("customer", item.croco_id, link.qbo_id, sync_token=existing.get("SyncToken"),
                           fingerprint=fingerprint, extra=link.extra)


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
