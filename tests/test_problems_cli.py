"""`crocoqb problems`, `crocoqb resolve` and the `problems` count of `status --json`, as real processes
against both sandboxes. Bad input: a clear error, exit 2, nothing changed."""

from __future__ import annotations

import json

import pytest

from crocoqb_desktop.sync.mapping import normalise_email
from tests.test_cli import run_cli


def _merged_away(w):
    """The contact's customer merged into one with another email: its next invoice is a problem."""
    ann = w.contact("Ann", "Lee", "ann@example.com")
    w.croco.create_invoice(w.loc, contact_id=ann["id"], number="INV-1", send=True,
                           items=[{"name": "Coaching", "quantity": 1, "unitPrice": "100.00"}])
    assert w.sync().exit_code == 0
    old = next(c for c in w.qbo_objects("Customer")
               if normalise_email(c["PrimaryEmailAddr"]["Address"]) == "ann@example.com")
    survivor = w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Lee Holdings",
                                                      "PrimaryEmailAddr": {"Address": "ap@leeholdings.com"}})
    w.qbo.merge_customers(w.realm, old["Id"], survivor["Id"])
    inv2 = w.croco.create_invoice(w.loc, contact_id=ann["id"], number="INV-2", send=True,
                                  items=[{"name": "Coaching", "quantity": 1, "unitPrice": "100.00"}])
    assert w.sync().exit_code == 1
    return inv2, old, survivor


@pytest.fixture(params=["us", "ca"])
def any_world(request):
    return request.getfixturevalue("world" if request.param == "us" else "world_ca")


def _state():
    """What a refused command must not change: the problem list, the outbox and the links."""
    import sqlite3

    from crocoqb_desktop import paths

    db = sqlite3.connect(paths.state_db_file())
    try:
        return [db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("problems", "outbox", "links")]
    finally:
        db.close()


def test_problems_json_and_status_count(world, data_home) -> None:
    inv2, _, _ = _merged_away(world)
    listed = run_cli(data_home, "problems", "--json")
    assert listed.returncode == 1, listed.stderr
    [entry] = json.loads(listed.stdout)
    assert entry["croco_id"] == inv2["id"] and entry["kind"] == "invoice" and entry["reason"] == "customer_inactive"
    assert entry["message"] and entry["fix"] and set(entry["actions"]) == {"relink", "resend", "skip"}
    status = run_cli(data_home, "status", "--json")
    assert json.loads(status.stdout)["problems"] == 1
    text = run_cli(data_home, "problems")
    assert "INV-2" in text.stdout and "crocoqb resolve" in text.stdout


def test_bad_input_is_refused_with_exit_2_and_nothing_changes(world, data_home) -> None:
    inv2, old, _ = _merged_away(world)
    inactive = old["Id"]
    before = _state()
    refusals = [
        (("resolve", "inv_doesnotexist", "retry"), "no problem for the CrocoClick id"),
        (("resolve", inv2["id"], "retry"), "does not apply"),
        (("resolve", inv2["id"], "relink"), "relink needs"),
        (("resolve", inv2["id"], "relink", "--qbo-id", "99999"), "no customer with the Id 99999"),
        (("resolve", inv2["id"], "relink", "--qbo-id", inactive), "is inactive"),
        (("resolve", inv2["id"], "skip", "--qbo-id", inactive), "relink only"),
    ]
    for args, said in refusals:
        run = run_cli(data_home, *args)
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert said in run.stderr and "Traceback" not in run.stderr, (args, run.stderr)
        assert _state() == before, args
    assert len(world.qbo_objects("Invoice")) == 1


def test_resolve_relink_sends_the_invoice_to_the_picked_customer(any_world, data_home) -> None:
    world = any_world
    inv2, _, survivor = _merged_away(world)
    run = run_cli(data_home, "resolve", inv2["id"], "relink", "--qbo-id", survivor["Id"])
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Solved" in run.stdout
    invoices = world.qbo_objects("Invoice")
    assert len(invoices) == 2 and all(i["CustomerRef"]["value"] == survivor["Id"] for i in invoices)
    assert len(world.qbo_objects("Customer")) == 2  # no new customer
    assert run_cli(data_home, "problems", "--json").stdout.strip() == "[]"
    assert world.sync().exit_code == 0


def test_resolve_resend_creates_a_new_customer_for_the_contact(any_world, data_home) -> None:
    world = any_world
    inv2, _, _ = _merged_away(world)
    run = run_cli(data_home, "resolve", inv2["id"], "resend")
    assert run.returncode == 0, run.stdout + run.stderr
    active = [c for c in world.qbo_objects("Customer") if c.get("Active", True)]
    assert len(active) == 2  # the survivor and the new customer of the contact
    [new] = [c for c in active if normalise_email(c["PrimaryEmailAddr"]["Address"]) == "ann@example.com"]
    assert any(i["CustomerRef"]["value"] == new["Id"] for i in world.qbo_objects("Invoice"))
    assert world.sync().exit_code == 0
