"""QuickBooks -> CrocoClick, end to end over real HTTP against both sandboxes."""

from __future__ import annotations

from decimal import Decimal

from crocoqb_desktop.sandbox.demo import connect_world
from crocoqb_desktop.settings import Settings
from tests.plugins.world_fixtures import qbo_api


def _customer(world, name: str, email: str) -> dict:
    return qbo_api(world, "POST", "customer", {"DisplayName": name, "PrimaryEmailAddr": {"Address": email}})[
        "Customer"]


def _qbo_invoice(world, customer: dict, amount: str, doc: str) -> dict:
    items = world.qbo_objects("Item")
    service = next(i for i in items if i.get("Type") == "Service")
    return qbo_api(world, "POST", "invoice", {
        "DocNumber": doc, "CustomerRef": {"value": customer["Id"]},
        "Line": [{"Amount": float(amount), "DetailType": "SalesItemLineDetail",
                  "SalesItemLineDetail": {"ItemRef": {"value": service["Id"]}, "Qty": 1,
                                          "UnitPrice": float(amount)}}]})["Invoice"]


def _pay(world, customer: dict, invoice: dict, amount: str) -> dict:
    return qbo_api(world, "POST", "payment", {
        "CustomerRef": {"value": customer["Id"]}, "TotalAmt": float(amount),
        "Line": [{"Amount": float(amount), "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})[
        "Payment"]


def test_initial_import_links_by_email_then_new_and_renamed_customers_flow(world_unconnected) -> None:
    w = world_unconnected
    existing = w.contact("Ann", "Lee", "ann.lee@example.com")
    for i in range(24):
        w.qbo.put_entity(w.realm, "Customer", {"DisplayName": f"Client {i:02d}", "GivenName": "Client",
                                               "FamilyName": f"{i:02d}",
                                               "PrimaryEmailAddr": {"Address": f"client{i}@example.com"}})
    w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Ann Lee", "PrimaryEmailAddr":
                                           {"Address": " Ann.Lee@Example.COM "}})
    connect_world()
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    contacts = w.croco.contacts(w.loc)
    assert len(contacts) == 25  # 24 new + the existing one, linked
    ann = next(c for c in contacts if c["id"] == existing["id"])
    assert ann["externalRefs"]["quickbooks.customer_id"]
    assert sum(1 for c in contacts if c.get("source") == "quickbooks import") == 24
    # added in QuickBooks afterwards: appears after the next sync
    newcomer = _customer(w, "Newcomer Studio", "hello@newcomer.example")
    assert w.sync().exit_code == 0
    assert any(c.get("email") == "hello@newcomer.example" for c in w.croco.contacts(w.loc))
    # its later rename flows too
    qbo_api(w, "POST", "customer", {"Id": newcomer["Id"], "SyncToken": newcomer["SyncToken"], "sparse": True,
                                    "DisplayName": "Newcomer Studio SARL", "CompanyName": "Newcomer Studio SARL"})
    assert w.sync().exit_code == 0
    renamed = next(c for c in w.croco.contacts(w.loc) if c.get("email") == "hello@newcomer.example")
    assert renamed["companyName"] == "Newcomer Studio SARL"
    assert len(w.croco.contacts(w.loc)) == 26


def test_historical_invoices_imported_with_totals_and_paid_amounts(world_unconnected) -> None:
    w = world_unconnected
    Settings().set("sync.import_invoices", "true")
    cust = w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Old Client",
                                                  "PrimaryEmailAddr": {"Address": "old@example.com"}})
    connect_world()
    inv1 = _qbo_invoice(w, cust, "250.00", "1001")
    inv2 = _qbo_invoice(w, cust, "80.00", "1002")
    _pay(w, cust, inv1, "100.00")
    _pay(w, cust, inv2, "80.00")
    # these invoices existed before activation in real life; import runs at the first sync
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    imported = {i["number"]: i for i in w.croco.invoices(w.loc)}
    assert set(imported) == {"1001", "1002"}
    assert Decimal(imported["1001"]["totals"]["total"]) == Decimal("250.00")
    assert Decimal(imported["1001"]["amountPaid"]) == Decimal("100.00")
    assert imported["1002"]["status"] == "paid" and imported["1001"]["origin"] == "import"
    # an edit of an imported invoice in CrocoClick changes nothing in QuickBooks
    qbo_before = [(i["Id"], i["SyncToken"]) for i in w.qbo_objects("Invoice")]
    w.croco.update_invoice(w.loc, imported["1001"]["id"], memo="edited in CrocoClick")
    assert w.sync().exit_code == 0
    assert [(i["Id"], i["SyncToken"]) for i in w.qbo_objects("Invoice")] == qbo_before


def test_without_import_no_invoice_is_imported(world) -> None:
    cust = _customer(world, "Some Client", "some@example.com")
    _qbo_invoice(world, cust, "99.00", "2001")
    assert world.sync().exit_code == 0
    assert world.croco.invoices(world.loc) == []


def test_review_request_on_first_fully_paid_invoice_only(world_unconnected) -> None:
    w = world_unconnected
    settings = Settings()
    settings.set("sync.review_automation", "true")
    # a customer whose invoice was paid before activation gets none
    veteran = w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Veteran",
                                                     "PrimaryEmailAddr": {"Address": "vet@example.com"}})
    old = _qbo_invoice(w, veteran, "50.00", "900")
    _pay(w, veteran, old, "50.00")
    connect_world()
    assert w.sync().exit_code == 0
    first = _customer(w, "First Timer", "first@example.com")
    partial = _customer(w, "Partial Payer", "partial@example.com")
    a = _qbo_invoice(w, first, "120.00", "3001")
    b = _qbo_invoice(w, first, "60.00", "3002")
    p = _qbo_invoice(w, partial, "200.00", "3003")
    v2 = _qbo_invoice(w, veteran, "70.00", "3004")
    assert w.sync().exit_code == 0
    _pay(w, first, a, "120.00")
    _pay(w, partial, p, "50.00")
    _pay(w, veteran, v2, "70.00")
    assert w.sync().exit_code == 0
    requests_sent = w.croco.review_requests(w.loc)
    assert len(requests_sent) == 1
    assert requests_sent[0]["reason"] == "first_invoice_paid"
    _pay(w, first, b, "60.00")
    for _ in range(3):
        assert w.sync().exit_code == 0
    assert len(w.croco.review_requests(w.loc)) == 1


def test_pushed_customer_coming_back_through_cdc_is_no_new_contact(world) -> None:
    c = world.contact("Echo", "Test", "echo@example.com")
    world.croco.create_invoice(world.loc, contact_id=c["id"], number="E-1", send=True,
                               items=[{"name": "A", "quantity": 1, "unitPrice": "10.00"}])
    assert world.sync().exit_code == 0
    assert len(world.qbo_objects("Customer")) == 1
    for _ in range(10):
        assert world.sync().exit_code == 0
    assert len(world.croco.contacts(world.loc)) == 1
    assert len(world.qbo_objects("Customer")) == 1


def test_inactive_customer_unlinks_and_deletes_no_contact(world) -> None:
    cust = _customer(world, "Leaving Soon", "leaving@example.com")
    assert world.sync().exit_code == 0
    contact = next(c for c in world.croco.contacts(world.loc) if c.get("email") == "leaving@example.com")
    current = qbo_api(world, "GET", f"customer/{cust['Id']}")["Customer"]
    qbo_api(world, "POST", "customer", {"Id": cust["Id"], "SyncToken": current["SyncToken"], "sparse": True,
                                        "Active": False})
    assert world.sync().exit_code == 0
    from crocoqb_desktop.sync.store import StateStore

    store = StateStore()
    try:
        assert store.link("customer", contact["id"]) is None
    finally:
        store.close()
    assert any(c["id"] == contact["id"] for c in world.croco.contacts(world.loc))
