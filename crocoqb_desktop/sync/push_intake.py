"""Change intake: CrocoClick events (or a full resync) become outbox operations, with the cursor."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.croco.client import check_invoice, check_payment
from crocoqb_desktop.croco.errors import CrocoCursorExpired
from crocoqb_desktop.errors import ProtocolError
from crocoqb_desktop.messages import message
from crocoqb_desktop.sync import problems
from crocoqb_desktop.sync.qbo_context import request_id_for

if TYPE_CHECKING:
    from crocoqb_desktop.sync.push import PushEngine

EVENTS_CURSOR = "croco.events"
ACTIVATED_AT = "qbo.activated_at"


def ensure_started(engine: PushEngine) -> None:
    """At activation take the feed's head: only what happens afterwards is pushed."""
    store = engine.store
    if store.cursor(EVENTS_CURSOR) is None:
        head = engine.croco.events_head()
        with store.transaction():
            store.set_cursor(EVENTS_CURSOR, str(head["cursor"]))
            if store.cursor(ACTIVATED_AT) is None:
                store.set_cursor(ACTIVATED_AT, _now_iso())


def intake(engine: PushEngine) -> int:
    """Read new events into the outbox. Returns the number of operations queued."""
    ensure_started(engine)
    store = engine.store
    queued = 0
    while True:
        after = store.cursor(EVENTS_CURSOR) or ""
        try:
            page = engine.croco.list_events(after, limit=500)
        except CrocoCursorExpired:
            queued += full_resync(engine)
            continue
        with store.transaction():
            for event in page["data"]:
                if not isinstance(event, dict) or store.event_seen(str(event.get("id"))):
                    continue
                queued += enqueue_event(engine, event)
                store.mark_event_seen(str(event["id"]))
            # the cursor moves only together with the work it implies
            store.set_cursor(EVENTS_CURSOR, str(page["nextCursor"]))
        if not page.get("hasMore"):
            return queued


def full_resync(engine: PushEngine) -> int:
    """The event cursor expired (410): re-read the list endpoints since activation."""
    store, croco = engine.store, engine.croco
    store.log("WARNING", "to_qbo", message("push.feed_expired", "The CrocoClick change feed expired; running "
                                           "a full resync"),
              fix=message("push.feed_expired.fix", "Nothing to do: CrocoQB re-reads invoices and payments "
                          "changed since activation."))
    head = croco.events_head()
    since = store.cursor(ACTIVATED_AT)
    queued = 0
    with store.transaction():
        for invoice in croco.list_invoices(updated_since=since):
            if invoice.get("status") == "draft":
                continue
            kind = "invoice.voided" if invoice.get("status") == "void" else "invoice.updated"
            queued += enqueue_event(engine, {"type": kind, "data": invoice, "id": f"resync-{invoice['id']}"})
        for payment in croco.list_payments(updated_since=since):
            queued += enqueue_event(engine, {"type": "payment.succeeded", "data": payment,
                                             "id": f"resync-{payment['id']}"})
            for refund in payment.get("refunds") or []:
                queued += enqueue_event(engine, {"type": "payment.refunded", "data": payment,
                                                 "refundId": refund.get("id"), "id": "resync"})
        queued += engine.payouts.resync(since)
        store.set_cursor(EVENTS_CURSOR, str(head["cursor"]))
    return queued


def enqueue_event(engine: PushEngine, event: dict[str, Any]) -> int:
    """One event into the outbox (or nowhere, if it is not pushed). Returns the operations queued."""
    store = engine.store
    etype = str(event.get("type"))
    raw = event.get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    rid = str(data.get("id") or event.get("resourceId") or "")
    if not rid:
        return 0
    activated = store.cursor(ACTIVATED_AT) or ""
    if etype.startswith("payout."):
        return engine.payouts.take_event(etype, data)
    try:
        if etype.startswith("invoice."):
            check_invoice(data)
        elif etype.startswith("payment."):
            check_payment(data)
    except ProtocolError as exc:
        # seen, so never silently dropped: queued and parked at once, as a problem
        kind = etype.split(".")[0]
        enqueue(engine, f"{kind}:{rid}", kind, rid, "invalid", data)
        item = store.outbox_item(f"{kind}:{rid}")
        if item is not None:
            engine.fail(item, problems.ProblemError("invalid_data", exc.message_data or exc.message,
                                                    fix=exc.fix_data or exc.fix or None, actions=("skip",)),
                        permanent=True)
        return 0
    if etype.startswith("invoice."):
        if data.get("origin") == "import":
            return 0  # came from QuickBooks: never pushed back
        if store.link("invoice", rid) is None and (data.get("sentAt") or "") < activated:
            return 0  # sent before activation: stays out
        action = "void" if etype == "invoice.voided" or data.get("status") == "void" else "upsert"
        return enqueue(engine, f"invoice:{rid}", "invoice", rid, action, data)
    if etype == "payment.succeeded":
        if data.get("status") == "failed" or data.get("mode") == "test":
            return 0
        if (data.get("paidAt") or "") < activated:
            return 0
        action = "invoice_payment" if data.get("sourceType") == "invoice" else "sales_receipt"
        return enqueue(engine, f"payment:{rid}", "payment", rid, action, data)
    if etype == "payment.refunded":
        refund_id = str(event.get("refundId") or "")
        if data.get("mode") == "test" or (data.get("paidAt") or "") < activated:
            return 0
        refunds = [r for r in data.get("refunds") or [] if not refund_id or r.get("id") == refund_id]
        count = 0
        for refund in refunds:
            payload = {"payment": data, "refund": refund}
            count += enqueue(engine, f"refund:{rid}:{refund.get('id')}", "refund", f"{rid}:{refund.get('id')}",
                             "refund", payload)
        return count
    if etype == "contact.updated" and store.link("customer", rid) is None:
        problems.repend_contact(store, rid)  # e.g. the missing email was added
        return 0
    if etype == "contact.updated" and store.link("customer", rid) is not None:
        return enqueue(engine, f"customer:{rid}", "customer", rid, "update", data)
    return 0


def enqueue(engine: PushEngine, op_key: str, kind: str, croco_id: str, action: str, payload: dict[str, Any]) -> int:
    return int(engine.store.enqueue(op_key, kind, croco_id, action, payload,
                                    request_id_for(op_key, engine.ctx.realm_id)))


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
