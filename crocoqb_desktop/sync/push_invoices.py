"""Outbox operations on CrocoClick invoices: create or update the QuickBooks invoice, and void it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from crocoqb_desktop.messages import message, money_value
from crocoqb_desktop.qbo.faults import ObjectNotFoundFault
from crocoqb_desktop.sync import bookkeeper, mapping
from crocoqb_desktop.sync.push_customers import ensure_customer
from crocoqb_desktop.sync.push_shared import check_total, create_document, find_own, qbo_refs, write_back
from crocoqb_desktop.sync.qbo_context import request_id_for

if TYPE_CHECKING:
    from crocoqb_desktop.sync.push import PushEngine
    from crocoqb_desktop.sync.store import OutboxItem


def push_invoice(engine: PushEngine, item: OutboxItem) -> None:
    """Outbox operation invoice/upsert."""
    invoice = item.payload
    company = engine.ctx.company()
    customer_ref = ensure_customer(engine, str(invoice["contactId"]), invoice.get("currency"))
    item_refs = engine.ctx.item_refs(invoice.get("items") or [])
    link = engine.store.link("invoice", item.croco_id)
    probe = mapping.invoice_payload(invoice, customer_ref=customer_ref, item_refs=item_refs, company=company)
    fingerprint = mapping.fingerprint(probe)
    if link is not None and link.fingerprint == fingerprint:
        engine.count("skipped")
        return
    existing = (bookkeeper.linked_document(engine, "Invoice", link, item) if link
                else find_own(engine, "Invoice", item.croco_id, customer_ref, item))
    payload = mapping.invoice_payload(invoice, customer_ref=customer_ref, item_refs=item_refs, company=company,
                                      existing=existing)
    label = message("label.invoice", "invoice {number}", number=invoice.get("number"))
    if existing is None:
        saved = create_document(engine, "Invoice", payload, item, customer_ref)
        done = message("push.invoice_created", "Created invoice {number} in QuickBooks (total {total})",
                       number=invoice.get("number"), total=money_value(saved.get("TotalAmt"), invoice.get("currency")))
    else:
        saved = engine.qbo.update("Invoice", payload, request_id=request_id_for(item.request_id, fingerprint))
        engine.count("updated")
        done = message("push.invoice_updated", "Updated invoice {number} in QuickBooks (total {total})",
                       number=invoice.get("number"), total=money_value(saved.get("TotalAmt"), invoice.get("currency")))
    engine.store.save_link("invoice", item.croco_id, str(saved["Id"]), sync_token=saved.get("SyncToken"),
                           fingerprint=fingerprint, extra={"number": invoice.get("number")})
    engine.store.log("INFO", "to_qbo", done, record_kind="invoice", croco_id=item.croco_id, qbo_id=str(saved["Id"]))
    check_total(engine, label, invoice, saved, item)
    if existing is None:
        write_back(lambda: engine.croco.update_invoice(item.croco_id, {"externalRefs": qbo_refs(
            engine, "quickbooks.invoice_id", str(saved["Id"]))}))


def void_invoice(engine: PushEngine, item: OutboxItem) -> None:
    """Outbox operation invoice/void."""
    store = engine.store
    link = store.link("invoice", item.croco_id)
    if link is None:
        engine.count("skipped")
        return
    try:
        current = engine.qbo.get("Invoice", link.qbo_id)
    except ObjectNotFoundFault:
        # deleted in QuickBooks and voided in CrocoClick: both sides agree, nothing to write
        store.log("INFO", "to_qbo", message(
            "push.void_already_deleted", "Invoice {number} was voided in CrocoClick and is already deleted in "
            "QuickBooks", number=str(item.payload.get("number") or item.croco_id)),
            record_kind="invoice", croco_id=item.croco_id)
        engine.count("skipped")
        return
    if current.get("PrivateNote") == "Voided" and Decimal(str(current.get("TotalAmt", 0))) == 0:
        # already void (also when the bookkeeper voided it first): both sides agree now
        store.save_link("invoice", item.croco_id, link.qbo_id, sync_token=current.get("SyncToken"),
                        fingerprint="void", extra=link.extra)
        engine.count("skipped")
        return
    saved = engine.qbo.void("Invoice", link.qbo_id, str(current["SyncToken"]),
                            request_id=request_id_for(item.request_id, "void"))
    store.save_link("invoice", item.croco_id, link.qbo_id, sync_token=saved.get("SyncToken"),
                    fingerprint="void", extra=link.extra)
    engine.count("updated")
    store.log("INFO", "to_qbo", message("push.invoice_voided", "Voided invoice {number} in QuickBooks",
                                        number=item.payload.get("number")),
              record_kind="invoice", croco_id=item.croco_id, qbo_id=link.qbo_id)
