"""Rule 9, customers merged or made inactive in QuickBooks by a user: re-matched by email among active
customers, else a problem with relink/resend; never a silent loss, never a new duplicate customer.
Over real HTTP against both sandboxes, in a US and a Canadian company."""

from __future__ import annotations

import pytest

from crocoqb_desktop.sync.mapping import normalise_email
from tests.plugins.world_fixtures import qbo_api


def _invoice(world, contact, number):
    tax, rate = getattr(world, "tax", ("Sales tax", 8.875))
    return world.croco.create_invoice(world.loc, contact_id=contact["id"], number=number, send=True, items=[
        {"name": "Coaching session", "quantity": 1, "unitPrice": "100.00", "taxes": [{"name": tax, "rate": rate}]}])


def _docs(world):
    """QuickBooks invoices by their CrocoClick number (Canadian companies number documents themselves)."""
    return {str(i.get("PrivateNote", "")).split("CrocoClick ")[-1].split()[0]: i for i in world.qbo_objects("Invoice")}


def _problems(world):
    from crocoqb_desktop.sync import problems
    from crocoqb_desktop.sync.store import StateStore

    store = StateStore()
    try:
        return problems.list_problems(store)
    finally:
        store.close()


@pytest.fixture(params=["us", "ca"])
def any_world(request):
    world = request.getfixturevalue("world" if request.param == "us" else "world_ca")
    world.tax = ("Sales tax", 8.875) if request.param == "us" else ("HST ON", 13)
    return world


def _linked_customer(world, email):
    return next(c for c in world.qbo_objects("Customer")
                if normalise_email((c.get("PrimaryEmailAddr") or {}).get("Address")) == email)


def test_merged_customer_with_same_email_relinks_and_the_invoice_is_sent(any_world) -> None:
    """The bug found by a bookkeeper: merged customer -> 610 -> the invoice was never sent again, while the
    next sync said '0 failed' with exit 0."""
    w = any_world
    ann = w.contact("Ann", "Lee", "ann@example.com")
    inv1 = _invoice(w, ann, "INV-1")
    assert w.sync().exit_code == 0
    old = _linked_customer(w, "ann@example.com")
    survivor = w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Ann Lee Consulting",
                                                      "PrimaryEmailAddr": {"Address": "Ann@Example.com"}})
    w.qbo.merge_customers(w.realm, old["Id"], survivor["Id"])
    inv2 = _invoice(w, ann, "INV-2")
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    invoices = _docs(w)
    assert invoices[inv2["id"]]["CustomerRef"]["value"] == survivor["Id"]
    assert invoices[inv1["id"]]["CustomerRef"]["value"] == survivor["Id"]  # moved by the merge
    assert len(w.qbo_objects("Invoice")) == 2
    assert len([c for c in w.qbo_objects("Customer") if c.get("Active", True)]) == 1  # no new duplicate
    assert _problems(w) == []
    assert any(e.message_id == "problem.customer_relinked" for e in w.log())


def test_merged_customer_without_an_email_match_is_a_problem_until_relinked(any_world) -> None:
    w = any_world
    ann = w.contact("Ann", "Lee", "ann@example.com")
    _invoice(w, ann, "INV-1")
    assert w.sync().exit_code == 0
    old = _linked_customer(w, "ann@example.com")
    survivor = w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Lee Holdings",
                                                      "PrimaryEmailAddr": {"Address": "accounts@leeholdings.com"}})
    w.qbo.merge_customers(w.realm, old["Id"], survivor["Id"])
    _invoice(w, ann, "INV-2")
    for _ in range(2):  # the next sync does not forget it: still a problem, still exit 1
        result = w.sync()
        assert result.exit_code == 1, result.summary()
        assert result.problems == 1
        [problem] = _problems(w)
        assert problem.reason == "customer_inactive" and problem.kind == "invoice"
        assert problem.label == "INV-2" and set(problem.actions) == {"relink", "resend", "skip"}
    assert len(w.qbo_objects("Invoice")) == 1
    customers = w.qbo_objects("Customer")
    assert len(customers) == 2 and len([c for c in customers if c.get("Active", True)]) == 1  # none created


def test_deactivated_customer_is_a_problem_then_clears_when_made_active_again(world) -> None:
    w = world
    bob = w.contact("Bob", "Ray", "bob@example.com")
    _invoice(w, bob, "INV-1")
    assert w.sync().exit_code == 0
    cust = _linked_customer(w, "bob@example.com")
    qbo_api(w, "POST", "customer", {"Id": cust["Id"], "SyncToken": cust["SyncToken"], "sparse": True,
                                    "Active": False})
    _invoice(w, bob, "INV-2")
    assert w.sync().exit_code == 1
    [problem] = _problems(w)
    assert problem.reason == "customer_inactive"
    cust = w.qbo_objects("Customer")[0]
    qbo_api(w, "POST", "customer", {"Id": cust["Id"], "SyncToken": cust["SyncToken"], "sparse": True,
                                    "Active": True})
    w.sync()  # its QuickBooks poll sees the customer active again: the invoice goes at the next push
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    assert _problems(w) == []
    assert len(w.qbo_objects("Invoice")) == 2
    assert len(w.qbo_objects("Customer")) == 1
