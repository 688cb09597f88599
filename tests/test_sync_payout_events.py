"""The sync engine's intake reads `payout.*` events without failing and, for now, queues nothing for
them (booking payouts is issue 16's work)."""

from __future__ import annotations


def _qbo_writes(world) -> int:
    return len([r for r in world.qbo.request_log if r["method"] == "POST" and not r["path"].endswith("/query")])


def test_payout_events_are_skipped_quietly(world) -> None:
    from crocoqb_desktop.sync.push import EVENTS_CURSOR
    from crocoqb_desktop.sync.store import StateStore

    c = world.contact("Paula", "Out", "paula@example.com")
    sale = [{"name": "Workshop", "quantity": 1, "unitPrice": "80.00"}]
    world.croco.record_payment(world.loc, contact_id=c["id"], source_type="order_form", items=sale, fee="2.62")
    assert world.sync().exit_code == 0
    writes = _qbo_writes(world)
    paid = world.croco.create_payout(world.loc)
    world.croco.set_payout_status(world.loc, paid["id"], "paid")
    world.croco.record_payment(world.loc, contact_id=c["id"], source_type="checkout", items=sale, fee="2.62")
    failed = world.croco.create_payout(world.loc)
    world.croco.set_payout_status(world.loc, failed["id"], "failed")
    types = [e["type"] for e in world.croco.events(world.loc)]
    assert "payout.paid" in types and "payout.failed" in types

    result = world.sync()
    assert result.exit_code == 0, result.summary()
    assert not result.failures
    assert len(world.qbo_objects("SalesReceipt")) == 2  # the payment between the payouts still syncs
    assert _qbo_writes(world) > writes
    assert world.log("ERROR") == []
    store = StateStore()
    try:  # the feed moved past the payout events: they are not read again and again
        assert store.cursor(EVENTS_CURSOR) == world.croco.event_head(world.loc)["cursor"]
    finally:
        store.close()
