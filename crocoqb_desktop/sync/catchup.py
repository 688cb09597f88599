"""Catch-up mode of the push (rule 11): a backlog drains at close to QuickBooks' limits.

When at least `MIN_BACKLOG` operations are due (the laptop was closed for a week), for the drain only:
- the push engine's QuickBooks client becomes a `BatchingClient` (creates and look-ups through `/batch`)
  with enough workers for full batches;
- the contacts the backlog needs are read a page at a time (`GET /contacts`, up to 200 per request)
  instead of one request each, as far as that is cheaper;
- the write-backs of QuickBooks ids into CrocoClick are queued (`writeback`) and trail: CrocoClick's
  100 requests per 10 s would otherwise bind the QuickBooks writes to one write-back each.
Everything else of the push engine is unchanged (same handlers, same exactly-once rules).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.errors import ServiceError
from crocoqb_desktop.sync import writeback
from crocoqb_desktop.sync.batch import BatchingClient

if TYPE_CHECKING:
    from crocoqb_desktop.croco.client import CrocoClient
    from crocoqb_desktop.sync.push import PushEngine
    from crocoqb_desktop.sync.store import OutboxItem, StateStore

log = logging.getLogger("crocoqb.sync.catchup")

CONTACT_PAGE = 200
#: due operations from which a drain is a catch-up: about a minute of single requests (a record costs
#: 2 to 4); below, single requests are as fast and each record is answered sooner
MIN_BACKLOG = 100
#: a page of contacts is read only while it replaces at least this many single reads
MIN_CONTACTS_PER_PAGE = 4


class CatchUpCroco:
    """The push engine's CrocoClick client during a catch-up: contacts from the prefetched pages, and the
    externalRefs-only writes queued to trail. Anything else goes to the client."""

    def __init__(self, croco: CrocoClient, store: StateStore, contacts: dict[str, dict[str, Any]],
                 trailer: writeback.Trailer) -> None:
        self._croco = croco
        self._store = store
        self._contacts = contacts
        self._trailer = trailer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._croco, name)

    def get_contact(self, contact_id: str) -> dict[str, Any]:
        contact = self._contacts.pop(str(contact_id), None)
        return contact if contact is not None else self._croco.get_contact(contact_id)

    def update_contact(self, contact_id: str, body: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return self._maybe_trail("update_contact", contact_id, body, kwargs)

    def update_invoice(self, invoice_id: str, body: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return self._maybe_trail("update_invoice", invoice_id, body, kwargs)

    def set_payment_external_refs(self, payment_id: str, refs: dict[str, Any]) -> dict[str, Any]:
        writeback.queue(self._store, "set_payment_external_refs", payment_id, refs)
        self._trailer.poke()
        return {}

    def _maybe_trail(self, method: str, croco_id: str, body: dict[str, Any], kwargs: dict[str, Any]
                     ) -> dict[str, Any]:
        if set(body) != {"externalRefs"} or kwargs.get("version") is not None:
            return getattr(self._croco, method)(croco_id, body, **kwargs)  # not a write-back
        writeback.queue(self._store, method, croco_id, body["externalRefs"])
        self._trailer.poke()
        return {}


def _contact_ids(items: list[OutboxItem]) -> set[str]:
    ids: set[str] = set()
    for item in items:
        payload = item.payload.get("payment") if item.kind == "refund" else item.payload
        contact_id = (payload or {}).get("contactId") if isinstance(payload, dict) else None
        if item.kind == "customer":
            contact_id = item.croco_id
        if contact_id:
            ids.add(str(contact_id))
    return ids


def prefetch_contacts(croco: CrocoClient, store: StateStore, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """The wanted contacts not linked yet, read a page at a time while pages pay off."""
    missing = {cid for cid in wanted if not _linked(store, cid)}
    found: dict[str, dict[str, Any]] = {}
    if len(missing) < MIN_CONTACTS_PER_PAGE:
        return found
    pages = 0
    try:
        for n, contact in enumerate(croco.list_contacts(limit=CONTACT_PAGE), start=1):
            cid = str(contact.get("id"))
            if cid in missing:
                found[cid] = contact
                missing.discard(cid)
                if not missing:
                    break
            if n % CONTACT_PAGE == 0:  # a page ended: go on only while pages save enough single reads
                pages += 1
                if len(found) < pages * MIN_CONTACTS_PER_PAGE:
                    break
    except ServiceError as exc:  # the single reads still work
        log.info("contacts could not be read by pages: %s", exc.message)
    return found


def _linked(store: StateStore, contact_id: str) -> bool:
    link = store.link("customer", contact_id)
    return link is not None and bool(link.extra.get("pushed"))


@contextmanager
def catch_up(push: PushEngine, croco: CrocoClient, store: StateStore, *, batch_size: int,
             stop: threading.Event | None = None, threshold: int | None = None) -> Iterator[bool]:
    """Around the push engine's drain. Yields whether catch-up mode is on. Write-backs queued by an
    earlier cycle are sent in any case."""
    threshold = threshold if threshold is not None else max(MIN_BACKLOG, 2 * batch_size)
    due = store.due_items(limit=100_000) if batch_size > 1 else []
    if len(due) < threshold:
        yield False
        writeback.flush(croco, store, stop=stop)
        return
    contacts = prefetch_contacts(croco, store, _contact_ids(due))
    trailer = writeback.Trailer(croco, store, stop=stop).start()
    qbo, croco_before, workers = push.qbo, push.croco, push.workers
    batching = BatchingClient(qbo, batch_size)
    push.qbo = batching  # type: ignore[assignment]
    push.croco = CatchUpCroco(croco, store, contacts, trailer)  # type: ignore[assignment]
    push.workers = batching.max_concurrency
    log.info("catch-up: %d operations due, sent through batches of up to %d (%d contacts read by pages)",
             len(due), batching.batch_size, len(contacts))
    try:
        yield True
    finally:
        batching.close()
        push.qbo, push.croco, push.workers = qbo, croco_before, workers
        log.info("catch-up: %d batches (%d operations), %d single requests; write-backs trailing: %d",
                 batching.stats["batches"], batching.stats["batched_ops"], batching.stats["single_ops"],
                 writeback.pending(store))
        trailer.finish()
