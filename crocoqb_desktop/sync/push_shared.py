"""What the customer, document and payment pushes share: own-document lookup, creation, checks, write-back."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.errors import ServiceError
from crocoqb_desktop.messages import Message, message, money_value
from crocoqb_desktop.qbo.query import eq
from crocoqb_desktop.sync import mapping, problems
from crocoqb_desktop.sync.mapping import marker
from crocoqb_desktop.sync.qbo_context import request_id_for

if TYPE_CHECKING:
    from crocoqb_desktop.sync.push import PushEngine
    from crocoqb_desktop.sync.store import OutboxItem, StateStore

log = logging.getLogger("crocoqb.sync.push")


def find_own(engine: PushEngine, entity: str, doc_id: str, customer_ref: dict[str, str],
             item: OutboxItem) -> dict[str, Any] | None:
    """After an uncertain outcome (an earlier attempt started but did not finish): the document
    this app already wrote, if any: same customer, and the CrocoClick id in PrivateNote."""
    if item.attempts == 0:
        return None
    wanted = re.compile(r"(^|\W)" + re.escape(marker(doc_id)) + r"($|\W)")
    for found in engine.qbo.query_all(entity, [eq("CustomerRef", customer_ref["value"])]):
        if wanted.search(str(found.get("PrivateNote") or "")):
            return found
    return None


def create_document(engine: PushEngine, entity: str, body: dict[str, Any], item: OutboxItem,
                    customer_ref: dict[str, str]) -> dict[str, Any]:
    """Creates a document of the outbox item in QuickBooks (requestid from `create_id`) and counts it."""
    saved = engine.qbo.create(entity, body, request_id=create_id(engine.store, item, customer_ref))
    engine.count("created")
    return saved


def create_id(store: StateStore, item: OutboxItem, customer_ref: dict[str, str]) -> str:
    """The requestid of a document's creation: deterministic (a retry after an uncertain outcome replays),
    and new once the record was refused as a problem or its customer changed, because QuickBooks replays
    the refusal (e.g. its 610 for a customer merged away) for the same requestid."""
    problem = problems.get(store, item.op_key)
    return request_id_for(item.request_id, customer_ref["value"], problem.updated_at if problem else "")


def check_total(engine: PushEngine, label: Message, doc: dict[str, Any], saved: dict[str, Any],
                item: OutboxItem) -> None:
    """Logs a warning when QuickBooks' total of a document differs from CrocoClick's."""
    expected = mapping.expected_qbo_total(doc)
    actual = Decimal(str(saved.get("TotalAmt", "0")))
    if expected != actual:
        engine.store.log(
            "WARNING", "to_qbo",
            message("push.total_differs", "{label}: QuickBooks total {actual} differs from CrocoClick's "
                    "{expected}", label=label, actual=money_value(actual, doc.get("currency")),
                    expected=money_value(expected, doc.get("currency"))),
            record_kind=item.kind, croco_id=item.croco_id, qbo_id=str(saved.get("Id")),
            fix=message("push.total_differs.fix", "Check the tax codes and rounding settings in QuickBooks for "
                        "this document."),
        )


def qbo_refs(engine: PushEngine, key: str, qbo_id: str) -> dict[str, str | None]:
    """The externalRefs naming a QuickBooks object (`key`, e.g. "quickbooks.invoice_id") and the company."""
    return {key: qbo_id, "quickbooks.realm_id": engine.ctx.realm_id}


def write_back(call: Callable[[], Any]) -> None:
    """Stores the QBO id in CrocoClick's externalRefs (emits no event). Best effort: the local
    link is the source of truth, so a failure here is only logged."""
    try:
        call()
    except ServiceError as exc:
        log.info("could not store the QuickBooks id in CrocoClick: %s", exc.message)
