"""How the sync log names records and payment sources inside its messages (words to translate)."""

from __future__ import annotations

from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.sync.store import OutboxItem

#: how CrocoClick's payment sources read inside a message
_SOURCES = {
    "order_form": message("label.source.order_form", "order form"),
    "subscription": message("label.source.subscription", "subscription"),
    "checkout": message("label.source.checkout", "checkout"),
    "calendar": message("label.source.calendar", "booking"),
    "invoice": message("label.source.invoice", "invoice"),
    "manual": message("label.source.manual", "manual"),
}


def outbox_label(item: OutboxItem) -> Message:
    """"Invoice INV-7", "Contact Alice Martin": the record an outbox operation is about."""
    if item.kind == "invoice":
        return message("label.invoice.cap", "Invoice {number}", number=item.payload.get("number") or item.croco_id)
    if item.kind == "payment":
        return message("label.payment.cap", "Payment {id}", id=item.croco_id)
    if item.kind == "refund":
        return message("label.refund.cap", "Refund {id}", id=item.croco_id)
    return message("label.contact.cap", "Contact {name}", name=item.payload.get("displayName") or item.croco_id)


def payment_source(source: str) -> Message | str:
    return _SOURCES.get(source, source)
