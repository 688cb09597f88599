"""Outbox operations on CrocoClick payments: sales receipts, payments of invoices, and refund receipts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crocoqb_desktop.errors import NetworkError
from crocoqb_desktop.messages import message
from crocoqb_desktop.sync import bookkeeper, mapping, problems
from crocoqb_desktop.sync.log_labels import payment_source
from crocoqb_desktop.sync.push_customers import ensure_customer
from crocoqb_desktop.sync.push_shared import check_total, create_document, find_own, qbo_refs, write_back

if TYPE_CHECKING:
    from crocoqb_desktop.sync.mapping_common import QboCompany
    from crocoqb_desktop.sync.push import PushEngine
    from crocoqb_desktop.sync.store import OutboxItem

#: link kind of a CrocoClick invoice payment (a QBO Payment): QBO numbers Payments and SalesReceipts
#: separately, so they cannot share the link kind "payment" (its QBO ids are unique per kind)
INVOICE_PAYMENT = "invoice_payment"


def push_sales_receipt(engine: PushEngine, item: OutboxItem) -> None:
    """Outbox operation payment/sales_receipt: a payment of anything but an invoice."""
    payment = item.payload
    store = engine.store
    if store.link("payment", item.croco_id) is not None:
        engine.count("skipped")
        return
    company = engine.payouts.company_for(payment, engine.ctx.company())
    customer_ref = ensure_customer(engine, str(payment["contactId"]), payment.get("currency"))
    item_refs, method_ref = _sale_refs(engine, payment, company)
    existing = find_own(engine, "SalesReceipt", item.croco_id, customer_ref, item)
    if existing is None:
        body = mapping.sales_receipt_payload(payment, customer_ref=customer_ref, item_refs=item_refs,
                                             company=company, payment_method_ref=method_ref)
        existing = create_document(engine, "SalesReceipt", body, item, customer_ref)
    with store.transaction():
        store.save_link("payment", item.croco_id, str(existing["Id"]), sync_token=existing.get("SyncToken"),
                        extra={"type": "SalesReceipt"})
        engine.payouts.after_payment(payment, company)
    source = str(payment.get("sourceType") or "")
    label = message("label.payment_source", "payment {id} ({source})", id=item.croco_id,
                    source=payment_source(source))
    # `customer` names the record in the log viewer's Record column (not used by the text)
    store.log("INFO", "to_qbo", message("push.sales_receipt", "Recorded {label} as a sales receipt in "
                                        "QuickBooks", label=label, customer=customer_ref.get("name")),
              record_kind="payment", croco_id=item.croco_id, qbo_id=str(existing["Id"]))
    check_total(engine, label, payment, existing, item)
    write_back(lambda: engine.croco.set_payment_external_refs(item.croco_id, qbo_refs(
        engine, "quickbooks.sales_receipt_id", str(existing["Id"]))))


def push_invoice_payment(engine: PushEngine, item: OutboxItem) -> None:
    """Outbox operation payment/invoice_payment: a QBO Payment against the linked invoice."""
    payment = item.payload
    store = engine.store
    if store.link(INVOICE_PAYMENT, item.croco_id) is not None:
        engine.count("skipped")
        return
    invoice_id = str(payment.get("invoiceId") or "")
    invoice_link = store.link("invoice", invoice_id) if invoice_id else None
    if invoice_link is None:
        pending = store.outbox_item(f"invoice:{invoice_id}")
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
    company = engine.payouts.company_for(payment, engine.ctx.company())
    customer_ref = ensure_customer(engine, str(payment["contactId"]), payment.get("currency"))
    method_ref = mapping.payment_method_for(payment.get("paymentMethod") or {}, company)
    existing = find_own(engine, "Payment", item.croco_id, customer_ref, item)
    if existing is None:
        number = str(invoice_link.extra.get("number", invoice_id))
        amount = bookkeeper.open_amount(engine, item, invoice_link.qbo_id, number)
        if amount is None:
            return  # linked to the payment the bookkeeper recorded by hand
        body = mapping.payment_payload({**payment, "amount": str(amount)}, customer_ref=customer_ref,
                                       qbo_invoice_id=invoice_link.qbo_id, company=company,
                                       payment_method_ref=method_ref)
        existing = create_document(engine, "Payment", body, item, customer_ref)
    with store.transaction():
        store.save_link(INVOICE_PAYMENT, item.croco_id, str(existing["Id"]), sync_token=existing.get("SyncToken"),
                        extra={"type": "Payment"})
        engine.payouts.after_payment(payment, company)
    store.log("INFO", "to_qbo", message("push.invoice_payment", "Recorded payment {id} against invoice "
                                        "{number} in QuickBooks", id=item.croco_id,
                                        number=invoice_link.extra.get("number", invoice_id)),
              record_kind="payment", croco_id=item.croco_id, qbo_id=str(existing["Id"]))
    write_back(lambda: engine.croco.set_payment_external_refs(item.croco_id, qbo_refs(
        engine, "quickbooks.payment_id", str(existing["Id"]))))


def push_refund(engine: PushEngine, item: OutboxItem) -> None:
    """Outbox operation refund/refund: a refund receipt for one refund of a payment."""
    payment, refund = item.payload["payment"], item.payload["refund"]
    store = engine.store
    if store.link("refund", item.croco_id) is not None:
        engine.count("skipped")
        return
    company = engine.ctx.company()
    customer_ref = ensure_customer(engine, str(payment["contactId"]), payment.get("currency"))
    item_refs, method_ref = _sale_refs(engine, payment, company)
    existing = find_own(engine, "RefundReceipt", str(refund.get("id")), customer_ref, item)
    if existing is None:
        body = mapping.refund_receipt_payload(payment, refund, customer_ref=customer_ref, item_refs=item_refs,
                                              company=company, payment_method_ref=method_ref,
                                              refund_account_id=engine.payouts.refund_account(payment))
        existing = create_document(engine, "RefundReceipt", body, item, customer_ref)
    with store.transaction():
        store.save_link("refund", item.croco_id, str(existing["Id"]), sync_token=existing.get("SyncToken"))
        engine.payouts.after_refund(payment, refund)
    store.log("INFO", "to_qbo", message("push.refund", "Recorded refund {refund} of payment {payment} as a "
                                        "refund receipt in QuickBooks", refund=refund.get("id"),
                                        payment=payment["id"], customer=customer_ref.get("name")),
              record_kind="refund", croco_id=item.croco_id,
              qbo_id=str(existing["Id"]))


def _sale_refs(engine: PushEngine, payment: dict[str, Any], company: QboCompany
               ) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """The item refs of a payment's lines (the default item without lines) and its payment method ref."""
    lines = payment.get("lineItems") or []
    item_refs = engine.ctx.item_refs(lines) if lines else [engine.ctx.default_item_ref()]
    return item_refs, mapping.payment_method_for(payment.get("paymentMethod") or {}, company)
