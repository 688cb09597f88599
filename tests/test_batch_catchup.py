"""Batch catch-up (rule 11) over real HTTP: a backlog goes through QuickBooks `/batch` (the QBO sandbox
enforces its limits and requestid replay), each object once, per-item faults handled one by one, the
write-backs trail; kill -9 during batches loses nothing and writes nothing twice."""

from __future__ import annotations

import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

from crocoqb_desktop.sync.mapping import normalise_email
from tests.plugins.qbo_sandbox_fixtures import QBO_REALM, SandboxApi
from tests.test_crash_recovery import _finish, _start_sync


def _backlog(world, n: int, prefix: str, *, receipts_every: int = 2) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    contacts = [world.contact(f"Client{i}", prefix, f"{prefix.lower()}{i}@example.com") for i in range(n)]
    for i, c in enumerate(contacts):
        world.croco.create_invoice(world.loc, contact_id=c["id"], number=f"{prefix}-{i:04d}", send=True,
                                   items=[{"name": "Service", "quantity": 1, "unitPrice": f"{10 + i}.00"}])
        if i % receipts_every == 0:
            world.croco.record_payment(world.loc, contact_id=c["id"], source_type="order_form",
                                       items=[{"name": "Extra", "quantity": 1, "unitPrice": "5.00"}],
                                       method={"type": "card", "brand": "visa", "last4": "1111"})
    return contacts


def _batches(world) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [r for r in world.qbo.request_log if r["path"].endswith("/batch") and r["status"] == 200]


def _check_once(world, n: int, receipts: int) -> None:  # type: ignore[no-untyped-def]
    customers = world.qbo_objects("Customer")
    emails = Counter(normalise_email((c.get("PrimaryEmailAddr") or {}).get("Address")) for c in customers)
    assert max(emails.values()) == 1
    invoices = Counter(str(i.get("PrivateNote")) for i in world.qbo_objects("Invoice"))
    assert sum(invoices.values()) == n and max(invoices.values()) == 1
    notes = Counter(str(r.get("PrivateNote")) for r in world.qbo_objects("SalesReceipt"))
    assert sum(notes.values()) == receipts and max(notes.values()) == 1


def test_a_backlog_goes_through_batches_each_object_once(world) -> None:  # type: ignore[no-untyped-def]
    assert world.sync().exit_code == 0  # activation
    n = 90
    # one contact's name is taken by a vendor: its customer create fails inside a batch (6240) and is
    # retried alone under the next free name, the other items of that batch stand
    world.qbo.put_entity(world.realm, "Vendor", {"DisplayName": "Client7 Batch"})
    contacts = _backlog(world, n, "Batch")
    result = world.sync()
    assert result.exit_code == 0, result.summary()
    _check_once(world, n, n // 2)
    batches = _batches(world)
    assert batches, "no /batch request was made"
    items = [len(b["body"]["BatchItemRequest"]) for b in batches]
    assert max(items) > 1 and max(items) <= 30
    # creates and look-ups both went through batches
    kinds = Counter(next(k for k in item if k not in ("bId", "operation")) for b in batches
                    for item in b["body"]["BatchItemRequest"])
    assert kinds["Customer"] and kinds["Invoice"] and kinds["Query"]
    # every batch carried its own requestid, and QuickBooks never throttled the app
    assert all(b["query"].get("requestid") for b in batches)
    assert len({b["query"]["requestid"] for b in batches}) == len(batches)
    assert not [r for r in world.qbo.request_log if r["status"] == 429]
    clash = [c for c in world.qbo_objects("Customer")
             if (c.get("PrimaryEmailAddr") or {}).get("Address") == "batch7@example.com"]
    assert len(clash) == 1 and clash[0]["DisplayName"] != "Client7 Batch"
    assert any((item.get("Customer") or {}).get("DisplayName") == "Client7 Batch"
               for b in batches for item in b["body"]["BatchItemRequest"])  # the refused try was batched
    # the write-backs trailed but all arrived, and nothing is left queued
    by_id = {c["id"]: c for c in world.croco.contacts(world.loc)}
    assert all((by_id[c["id"]].get("externalRefs") or {}).get("quickbooks.customer_id") for c in contacts)
    assert all((i.get("externalRefs") or {}).get("quickbooks.invoice_id")
               for i in world.croco.invoices(world.loc) if str(i.get("number", "")).startswith("Batch-"))
    from crocoqb_desktop.sync import writeback
    from crocoqb_desktop.sync.store import StateStore

    store = StateStore()
    try:
        assert writeback.pending(store) == 0
    finally:
        store.close()
    # a second cycle writes nothing
    before = len(world.qbo.request_log)
    assert world.sync().exit_code == 0
    assert not [r for r in world.qbo.request_log[before:] if r["method"] == "POST"]


def test_a_small_backlog_does_not_use_batches(world) -> None:  # type: ignore[no-untyped-def]
    assert world.sync().exit_code == 0
    _backlog(world, 5, "Few")
    assert world.sync().exit_code == 0
    _check_once(world, 5, 3)
    assert not _batches(world)


def test_batch_size_setting_bounds_the_batches(world) -> None:  # type: ignore[no-untyped-def]
    from crocoqb_desktop.settings import Settings

    Settings().set("qbo.batch_size", 10)
    assert world.sync().exit_code == 0
    _backlog(world, 100, "Ten", receipts_every=1000)
    assert world.sync().exit_code == 0
    _check_once(world, 100, 1)
    items = [len(b["body"]["BatchItemRequest"]) for b in _batches(world)]
    assert items and max(items) <= 10


def test_kill9_during_batches_creates_each_object_once(world, data_home: Path) -> None:  # type: ignore[no-untyped-def]
    """A real `sync --once` process is killed (SIGKILL) right after the sandbox answered one of its
    batches, while others are in flight; four times, then a rerun: each object once."""
    assert world.sync().exit_code == 0
    n = 150
    _backlog(world, n, "Kill", receipts_every=3)
    world.qbo.latency_s = 0.1  # batches in flight long enough to be cut
    killed = 0
    for round_no in range(4):
        seen = len([r for r in world.qbo.request_log if r["path"].endswith("/batch")])
        proc = _start_sync(data_home)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if len([r for r in world.qbo.request_log if r["path"].endswith("/batch")]) >= seen + 1 + round_no % 2:
                proc.send_signal(signal.SIGKILL)
                killed += 1
                break
            time.sleep(0.005)
        proc.wait(30)
    assert killed >= 2, "the runs ended before a batch could be cut"
    world.qbo.latency_s = 0.0
    assert _finish(data_home) == 0
    _check_once(world, n, n // 3)


def test_qbo_sandbox_batch_replays_a_requestid(qbo_api: SandboxApi) -> None:
    body = {"BatchItemRequest": [{"bId": "1", "operation": "create", "Customer": {"DisplayName": "Replay One"}},
                                 {"bId": "2", "operation": "create", "Customer": {"DisplayName": "Replay Two"}}]}
    first = qbo_api.ok(qbo_api.post("batch", body, requestid="batch-r1"))
    again = qbo_api.ok(qbo_api.post("batch", body, requestid="batch-r1"))
    assert again == first
    names = [c["DisplayName"] for c in qbo_api.sandbox.entities(QBO_REALM, "Customer")]
    assert names.count("Replay One") == 1 and names.count("Replay Two") == 1
