"""CrocoClick -> QuickBooks: change intake from the event feed, then the outbox of QBO writes.

Exactly once: an event becomes an outbox operation in the same transaction that advances the
event cursor; each operation carries a deterministic requestid; before creating anything after an
uncertain outcome, the object is looked up again by a marker the app owns (email for customers,
the CrocoClick id in PrivateNote for transactions). A crash at any point followed by a rerun
creates nothing twice and loses nothing.

This module holds the engine and the drain of the outbox; the work itself is in `push_intake`,
`push_customers`, `push_invoices`, `push_payments` and `push_shared`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crocoqb_desktop.croco.client import CrocoClient
from crocoqb_desktop.croco.errors import CrocoApiError, CrocoNotFound
from crocoqb_desktop.errors import (
    CrocoQBError,
    NetworkError,
    ReconnectNeeded,
    RecordError,
    ServiceError,
)
from crocoqb_desktop.messages import message
from crocoqb_desktop.net.retry import backoff_delay
from crocoqb_desktop.qbo.faults import (
    AuthenticationFault,
    AuthorizationFault,
    ObjectNotFoundFault,
    QboFault,
    StaleObjectFault,
    ThrottledFault,
)
from crocoqb_desktop.sync import bookkeeper, problems, push_customers, push_intake
from crocoqb_desktop.sync.log_labels import outbox_label
from crocoqb_desktop.sync.mapping import marker
from crocoqb_desktop.sync.parallel import Counter, KeyedLocks, group_by, run_groups
from crocoqb_desktop.sync.payouts import PayoutBooker
from crocoqb_desktop.sync.push_intake import ACTIVATED_AT, EVENTS_CURSOR
from crocoqb_desktop.sync.push_invoices import push_invoice, void_invoice
from crocoqb_desktop.sync.push_payments import (
    INVOICE_PAYMENT,
    push_invoice_payment,
    push_refund,
    push_sales_receipt,
)
from crocoqb_desktop.sync.qbo_context import QboContext
from crocoqb_desktop.sync.store import OutboxItem, StateStore

__all__ = ["ACTIVATED_AT", "EVENTS_CURSOR", "INVOICE_PAYMENT", "MAX_ATTEMPTS", "Progress", "PushEngine",
           "PushResult", "marker"]

MAX_ATTEMPTS = 6
Progress = Callable[[str, int, int], None]


@dataclass
class PushResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


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
        #: one contact, one email at a time while its customer is found or created (`push_customers`)
        self.locks = KeyedLocks()
        #: rule 14 (fees and payouts through a clearing account): hooks below, no-ops while "off"
        self.payouts = PayoutBooker(croco, ctx, store, payouts, count=self.count)
        #: set by a stopping service: the records not started yet stay in the outbox
        self.stop: threading.Event | None = None

    def count(self, name: str) -> None:
        """Adds one to the result's counter `name` ("created", "updated", "skipped", "failed")."""
        self._counter.add(self.result, name)

    # -- intake (see `push_intake`) ----------------------------------------------------------------
    def ensure_started(self) -> None:
        """At activation take the feed's head: only what happens afterwards is pushed."""
        push_intake.ensure_started(self)

    def intake(self) -> int:
        """Read new events into the outbox. Returns the number of operations queued."""
        return push_intake.intake(self)

    def _enqueue_event(self, event: dict[str, Any]) -> int:
        return push_intake.enqueue_event(self, event)

    def ensure_customer(self, contact_id: str, currency: str | None) -> dict[str, str]:
        """The QBO customer for a contact as a CustomerRef (see `push_customers.ensure_customer`)."""
        return push_customers.ensure_customer(self, contact_id, currency)

    # -- outbox drain ------------------------------------------------------------------------------
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
        handler = _HANDLERS.get((item.kind, item.action))
        if handler is None:
            self.fail(item, problems.ProblemError("unsupported", message(
                "push.unknown_operation", "unknown operation {kind}/{action}", kind=item.kind, action=item.action),
                                                  actions=("skip",)), permanent=True)
            return
        self.store.mark_attempt(item.id)
        try:
            for attempt in range(3):
                try:
                    handler(self, item)
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
            self.fail(item, exc, permanent=True)
        except QboFault as exc:
            self.fail(item, exc, permanent=not isinstance(exc, ThrottledFault) and not exc.retryable)
        except (NetworkError, ServiceError) as exc:
            self.fail(item, exc, permanent=isinstance(exc, CrocoApiError) and not exc.retryable
                      and not isinstance(exc, CrocoNotFound))

    def fail(self, item: OutboxItem, exc: CrocoQBError, *, permanent: bool) -> None:
        """An operation did not go through: parked as a problem (permanent, or out of attempts), else
        retried later with backoff; logged and counted either way."""
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
        self.count("failed")
        self.result.failures.append(str(failed))


#: what each outbox operation (kind, action) runs
_HANDLERS: dict[tuple[str, str], Callable[[PushEngine, OutboxItem], None]] = {
    ("customer", "update"): push_customers.push_customer_update,
    ("invoice", "upsert"): push_invoice,
    ("invoice", "void"): void_invoice,
    ("payment", "sales_receipt"): push_sales_receipt,
    ("payment", "invoice_payment"): push_invoice_payment,
    ("refund", "refund"): push_refund,
}


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
