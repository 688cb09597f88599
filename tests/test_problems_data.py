"""Problems that come from the data (no email, a tax QuickBooks has no code for): visible at once, cleared
by themselves once the cause is gone, or by `retry`. US and Canadian companies, real HTTP."""

from __future__ import annotations

import pytest

from tests.test_cli import run_cli


@pytest.fixture(params=["us", "ca"])
def any_world(request):
    world = request.getfixturevalue("world" if request.param == "us" else "world_ca")
    world.tax = ("Sales tax", 8.875) if request.param == "us" else ("HST ON", 13)
    return world


def _problems():
    from crocoqb_desktop.sync import problems
    from crocoqb_desktop.sync.store import StateStore

    store = StateStore()
    try:
        return problems.list_problems(store)
    finally:
        store.close()


def _invoice(w, contact, number, tax=None):
    name, rate = tax or w.tax
    return w.croco.create_invoice(w.loc, contact_id=contact["id"], number=number, send=True, items=[
        {"name": "Coaching session", "quantity": 1, "unitPrice": "100.00", "taxes": [{"name": name, "rate": rate}]}])


def test_no_email_is_a_problem_that_clears_itself_when_the_email_is_added(any_world) -> None:
    w = any_world
    zoe = w.contact("Zoé", "Martin", None, phone="+15145550101")
    _invoice(w, zoe, "INV-1")
    result = w.sync()
    assert result.exit_code == 1 and result.problems == 1
    [problem] = _problems()
    assert problem.reason == "no_email" and set(problem.actions) == {"retry", "relink", "skip"}
    assert w.qbo_objects("Invoice") == [] and w.qbo_objects("Customer") == []
    assert w.sync().exit_code == 1  # still there, still exit 1: never a silent "0 failed"
    w.croco.update_contact(w.loc, zoe["id"], email="zoe@example.com")
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    assert _problems() == [] and len(w.qbo_objects("Invoice")) == 1
    assert any(e.message_id == "problem.cleared" for e in w.log())


def test_unmapped_tax_is_a_problem_retry_keeps_it_and_a_fix_in_crococlick_clears_it(any_world, data_home) -> None:
    w = any_world
    ann = w.contact("Ann", "Lee", "ann@example.com")
    inv = _invoice(w, ann, "INV-1", tax=("Levy", 3.3))
    result = w.sync()
    if w.tax[0] == "Sales tax":  # a US company on automated sales tax takes any rate as an override
        assert result.exit_code == 0 and not result.problems
        return
    [problem] = _problems()
    assert problem.reason == "unmapped_tax" and "retry" in problem.actions
    run = run_cli(data_home, "resolve", inv["id"], "retry")
    assert run.returncode == 1 and "Still needs your attention" in run.stdout
    [again] = _problems()
    assert again.reason == "unmapped_tax"
    tax, rate = w.tax
    w.croco.update_invoice(w.loc, inv["id"], items=[{"name": "Coaching session", "quantity": 1, "unitPrice": "100.00",
                                                     "taxes": [{"name": tax, "rate": rate}]}])
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    assert _problems() == [] and len(w.qbo_objects("Invoice")) == 1


def test_retry_of_a_customer_problem_after_the_bookkeeper_reactivates_it(any_world, data_home) -> None:
    from tests.plugins.world_fixtures import qbo_api

    w = any_world
    bob = w.contact("Bob", "Ray", "bob@example.com")
    _invoice(w, bob, "INV-1")
    assert w.sync().exit_code == 0
    [cust] = w.qbo_objects("Customer")
    qbo_api(w, "POST", "customer", {"Id": cust["Id"], "SyncToken": cust["SyncToken"], "sparse": True, "Active": False})
    inv2 = _invoice(w, bob, "INV-2")
    assert w.sync().exit_code == 1
    refused = run_cli(data_home, "resolve", inv2["id"], "retry")
    assert refused.returncode == 2  # retry does not apply: the customer is still inactive; relink or resend
    [cust] = w.qbo_objects("Customer")
    qbo_api(w, "POST", "customer", {"Id": cust["Id"], "SyncToken": cust["SyncToken"], "sparse": True, "Active": True})
    run = run_cli(data_home, "resolve", inv2["id"], "relink", "--qbo-id", cust["Id"])
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(w.qbo_objects("Invoice")) == 2 and len(w.qbo_objects("Customer")) == 1
    assert w.sync().exit_code == 0


def test_item_made_inactive_is_a_problem_naming_it_until_made_active_again(any_world, data_home) -> None:
    from tests.plugins.world_fixtures import qbo_api

    w = any_world
    ann = w.contact("Ann", "Lee", "ann@example.com")
    _invoice(w, ann, "INV-1")
    assert w.sync().exit_code == 0
    # a free-text line goes to the default item (rule of issue 12), with its name in the description
    [item] = [i for i in w.qbo_objects("Item") if i.get("Name") == "CrocoClick sale"]
    qbo_api(w, "POST", "item", {"Id": item["Id"], "SyncToken": item["SyncToken"], "sparse": True, "Active": False})
    _invoice(w, ann, "INV-2")
    result = w.sync()
    assert result.exit_code == 1 and result.problems == 1
    [problem] = _problems()
    assert problem.reason == "unmapped_item" and "'CrocoClick sale' is inactive" in problem.message
    assert len(w.qbo_objects("Invoice")) == 1
    assert len([i for i in w.qbo_objects("Item") if "CrocoClick" in i.get("Name", "")]) == 1  # not re-created
    item = next(i for i in w.qbo_objects("Item") if i["Id"] == item["Id"])
    qbo_api(w, "POST", "item", {"Id": item["Id"], "SyncToken": item["SyncToken"], "sparse": True, "Active": True})
    # tried again by itself within a minute, or at once with Retry
    run = run_cli(data_home, "resolve", problem.croco_id, "retry")
    assert run.returncode == 0, run.stdout + run.stderr
    assert _problems() == [] and len(w.qbo_objects("Invoice")) == 2
    assert w.sync().exit_code == 0


def test_sync_now_tries_such_records_again_at_once(world, data_home) -> None:
    from tests.plugins.world_fixtures import qbo_api

    w = world
    w.tax = ("Sales tax", 8.875)
    ann = w.contact("Ann", "Lee", "ann@example.com")
    _invoice(w, ann, "INV-1")
    assert w.sync().exit_code == 0
    [item] = [i for i in w.qbo_objects("Item") if i.get("Name") == "CrocoClick sale"]
    qbo_api(w, "POST", "item", {"Id": item["Id"], "SyncToken": item["SyncToken"], "sparse": True, "Active": False})
    _invoice(w, ann, "INV-2")
    assert w.sync().exit_code == 1
    item = next(i for i in w.qbo_objects("Item") if i["Id"] == item["Id"])
    qbo_api(w, "POST", "item", {"Id": item["Id"], "SyncToken": item["SyncToken"], "sparse": True, "Active": True})
    run = run_cli(data_home, "sync", "--once")  # what "Sync now" does
    assert run.returncode == 0, run.stdout + run.stderr
    assert _problems() == [] and len(w.qbo_objects("Invoice")) == 2
