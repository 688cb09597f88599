"""CrocoClick -> QuickBooks, end to end over real HTTP against both sandboxes."""

from __future__ import annotations

from decimal import Decimal

from crocoqb_desktop.sync.mapping import normalise_email


def _invoice(world, contact, number="INV-1", **kw):
    items = kw.pop("items", None) or [
        {"name": "Coaching session", "quantity": 2, "unitPrice": "75.00",
         "taxes": [{"name": "Sales tax", "rate": 8.875}]},
        {"name": "Workbook", "quantity": 3, "unitPrice": "19.9900",
         "taxes": [{"name": "Sales tax", "rate": 8.875}]},
    ]
    return world.croco.create_invoice(world.loc, contact_id=contact["id"], number=number, items=items,
                                      send=kw.pop("send", True), **kw)


def test_existing_qbo_customer_is_matched_by_normalised_email_and_updated(world_unconnected) -> None:
    w = world_unconnected
    w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Ann Lee (old)",
                                           "PrimaryEmailAddr": {"Address": " Ann.Lee@Example.com "}})
    from crocoqb_desktop.sandbox.demo import connect_world

    contact = w.contact("Ann", "Lee", "ann.lee@example.com")
    connect_world()
    _invoice(w, contact)
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    customers = [c for c in w.qbo_objects("Customer")
                 if normalise_email((c.get("PrimaryEmailAddr") or {}).get("Address")) == "ann.lee@example.com"]
    assert len(customers) == 1
    assert int(customers[0]["SyncToken"]) >= 1  # sparse-updated, not re-created
    invoices = w.qbo_objects("Invoice")
    assert len(invoices) == 1 and invoices[0]["CustomerRef"]["value"] == customers[0]["Id"]
    # the contact carries the QuickBooks id
    assert w.croco.contacts(w.loc)[0]["externalRefs"]["quickbooks.customer_id"] == customers[0]["Id"]


def test_vendor_with_same_name_does_not_block_the_customer(world) -> None:
    world.qbo.put_entity(world.realm, "Vendor", {"DisplayName": "Karim Benali"})
    karim = world.contact("Karim", "Benali", "karim@example.org")
    _invoice(world, karim)
    result = world.sync()
    assert result.exit_code == 0, result.summary()
    customers = [c for c in world.qbo_objects("Customer") if "Karim" in c["DisplayName"]]
    assert len(customers) == 1
    assert customers[0]["DisplayName"] != "Karim Benali"
    assert any("already used" in e.message for e in world.log())


def test_invoice_with_discount_and_tax_lands_to_the_cent_us(world) -> None:
    alice = world.contact("Alice", "Martin", "alice@example.com")
    inv = _invoice(world, alice, discount={"type": "percentage", "value": "10"})
    assert world.sync().exit_code == 0
    [qbo_inv] = world.qbo_objects("Invoice")
    assert Decimal(str(qbo_inv["TotalAmt"])) == Decimal(inv["totals"]["total"])


def test_invoice_with_discount_and_tax_lands_to_the_cent_canada(world_ca) -> None:
    w = world_ca
    alice = w.contact("Alice", "Tremblay", "alice@example.ca")
    items = [
        {"name": "Atelier", "quantity": 2, "unitPrice": "75.00", "taxes": [{"name": "HST ON", "rate": 13}]},
        {"name": "Cahier", "quantity": 3, "unitPrice": "19.9900", "taxes": [{"name": "HST ON", "rate": 13}]},
    ]
    inv = _invoice(w, alice, items=items, discount={"type": "percentage", "value": "10"})
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    [qbo_inv] = w.qbo_objects("Invoice")
    assert Decimal(str(qbo_inv["TotalAmt"])) == Decimal(inv["totals"]["total"])


def test_edit_updates_the_same_qbo_invoice_and_void_voids_it(world) -> None:
    bob = world.contact("Bob", "Ray", "bob@example.com")
    inv = _invoice(world, bob, number="INV-7")
    assert world.sync().exit_code == 0
    [first] = world.qbo_objects("Invoice")
    world.croco.update_invoice(world.loc, inv["id"], number="INV-7B", dueDate="2027-01-31",
                               items=[{"name": "Coaching session", "quantity": 5, "unitPrice": "80.00"}])
    assert world.sync().exit_code == 0
    [second] = world.qbo_objects("Invoice")
    assert second["Id"] == first["Id"]
    assert int(second["SyncToken"]) > int(first["SyncToken"])
    assert Decimal(str(second["TotalAmt"])) == Decimal("400.00")
    assert second.get("DueDate") == "2027-01-31"
    world.croco.void_invoice(world.loc, inv["id"])
    assert world.sync().exit_code == 0
    [voided] = world.qbo_objects("Invoice")
    assert Decimal(str(voided["TotalAmt"])) == 0


def test_each_payment_kind_becomes_the_right_qbo_object(world) -> None:
    c = world.contact("Chloé", "Dubois", "chloe@example.com")
    inv = _invoice(world, c, number="INV-9")
    sale = [{"name": "Spring workshop", "quantity": 1, "unitPrice": "149.00"}]
    for source in ["order_form", "subscription", "checkout", "calendar", "manual"]:
        world.croco.record_payment(world.loc, contact_id=c["id"], source_type=source, items=sale,
                                   method={"type": "card", "brand": "visa", "last4": "4242"})
    world.croco.record_payment(world.loc, contact_id=c["id"], source_type="order_form", items=sale,
                               status="failed", method={"type": "card"})
    world.croco.record_payment(world.loc, contact_id=c["id"], source_type="invoice", invoice_id=inv["id"],
                               amount=inv["totals"]["total"], method={"type": "cash"})
    result = world.sync()
    assert result.exit_code == 0, result.summary()
    assert len(world.qbo_objects("SalesReceipt")) == 5
    [payment] = world.qbo_objects("Payment")
    assert payment["Line"][0]["LinkedTxn"][0]["TxnId"] == world.qbo_objects("Invoice")[0]["Id"]
    [qbo_inv] = world.qbo_objects("Invoice")
    assert Decimal(str(qbo_inv["Balance"])) == 0
    # a refund becomes a RefundReceipt
    receipt_payment = next(p for p in world.croco.payments(world.loc) if p["sourceType"] == "checkout")
    world.croco.refund_payment(world.loc, receipt_payment["id"], "49.00", reason="partial")
    assert world.sync().exit_code == 0
    [refund] = world.qbo_objects("RefundReceipt")
    assert Decimal(str(refund["TotalAmt"])) == Decimal("49.00")


def test_invoice_sent_before_activation_stays_out(world_unconnected) -> None:
    w = world_unconnected
    early = w.contact("Early", "Bird", "early@example.com")
    _invoice(w, early, number="INV-OLD")
    from crocoqb_desktop.sandbox.demo import connect_world

    connect_world()
    late = w.contact("Late", "Comer", "late@example.com")
    _invoice(w, late, number="INV-NEW")
    assert w.sync().exit_code == 0
    docs = [i.get("PrivateNote", "") for i in w.qbo_objects("Invoice")]
    assert len(docs) == 1


def _qbo_writes(world) -> int:
    return len([r for r in world.qbo.request_log if r["method"] == "POST" and not r["path"].endswith("/query")])


def _croco_writes(world) -> int:
    # data writes only: the token relay (a refresh per process) is not a write to CrocoClick's records
    return len([r for r in world.croco.request_log
                if r["method"] in ("POST", "PATCH") and "/integrations/" not in r["path"]])


def test_rerunning_sync_makes_no_writes(world) -> None:
    c = world.contact("Dan", "Quiet", "dan@example.com")
    _invoice(world, c)
    assert world.sync().exit_code == 0
    qbo_before, croco_before = _qbo_writes(world), _croco_writes(world)
    for _ in range(10):
        assert world.sync().exit_code == 0
    assert _qbo_writes(world) == qbo_before
    assert _croco_writes(world) == croco_before


def test_later_edits_of_a_linked_contact_are_pushed(world) -> None:
    c = world.contact("Eve", "Stone", "eve@example.com")
    _invoice(world, c)
    assert world.sync().exit_code == 0
    [before] = world.qbo_objects("Customer")
    world.croco.update_contact(world.loc, c["id"], lastName="Stone-Martin", phone="+15145550199")
    assert world.sync().exit_code == 0
    [after] = world.qbo_objects("Customer")
    assert after["Id"] == before["Id"]
    assert after.get("FamilyName") == "Stone-Martin"
    assert "5550199" in (after.get("PrimaryPhone") or {}).get("FreeFormNumber", "")


def test_a_sync_the_user_asks_for_retries_deferred_records_now(world) -> None:
    c = world.contact("Wait", "Later", "wait@example.com")
    _invoice(world, c, number="W-1")
    world.qbo.inject("503", 40, path_contains="/invoice")
    first = world.sync()
    assert first.exit_code == 1  # deferred with "will retry"
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.app.service import SyncService

    ctx = AppContext.open()
    try:
        assert ctx.store.outbox_counts()["pending"] == 1
        with world.qbo.lock:  # QuickBooks is healthy again
            world.qbo._injections.clear()
        result = SyncService(ctx).sync_once(retry_now=True)
    finally:
        ctx.store.close()
    assert result.exit_code == 0, result.summary()
    assert len(world.qbo_objects("Invoice")) == 1
