"""Mappings as data (rule 10, rule 14): the store and `crocoqb map list|set|unset` against both sandboxes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crocoqb_desktop import cli
from crocoqb_desktop.sync.mappings import MappingInputError, Mappings
from crocoqb_desktop.sync.store import StateStore


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def writes(world) -> list[dict]:
    return [r for r in world.qbo.request_log if r["method"] == "POST" and not r["path"].endswith("/query")]


def stored(world) -> list[dict]:
    store = StateStore()
    try:
        return [m.as_dict() for m in Mappings(store).all()]
    finally:
        store.close()


# -- the store ------------------------------------------------------------------------------------
def test_user_mapping_wins_over_automatic_and_survives_reopening(data_home: Path) -> None:
    store = StateStore()
    maps = Mappings(store)
    maps.set("tax", "HST ON", "3", "HST ON", set_by="auto")
    assert maps.get("tax", "hst  on").set_by == "auto"  # type: ignore[union-attr]
    maps.set("tax", "HST ON", "7", "HST (user)")
    kept = maps.set("tax", "HST ON", "3", "HST ON", set_by="auto")  # the engine's match never replaces it
    assert kept is not None and kept.qbo_id == "7" and kept.set_by == "user"
    maps.set("clearing", " Stripe ", "12", "CrocoClick Payments - stripe")
    store.close()

    store = StateStore()  # a restart: the same file, migrated once
    assert store.schema_version() >= 4
    maps = Mappings(store)
    assert maps.target("tax", "HST ON") == "7"
    assert maps.get("clearing", "stripe").source == "stripe"  # type: ignore[union-attr]
    assert [m.kind for m in maps.all()] == ["tax", "clearing"]
    assert maps.unset("tax", "HST ON") and not maps.unset("tax", "HST ON")
    assert maps.get("tax", "HST ON") is None
    with pytest.raises(MappingInputError):
        maps.set("colour", "x", "1")
    with pytest.raises(MappingInputError):
        maps.set("deposit", "paypal_thing", "1")
    store.close()


# -- the CLI: accounts ----------------------------------------------------------------------------
def test_map_set_accounts_checks_type_and_activity_and_changes_nothing_on_bad_input(world, capsys) -> None:
    expense = world.qbo.put_entity(world.realm, "Account", {"Name": "Merchant fees", "AccountType": "Expense"})
    old = world.qbo.put_entity(world.realm, "Account", {"Name": "Old bank", "AccountType": "Bank"})
    world.qbo.put_entity(world.realm, "Account", dict(old, Active=False))
    before = len(writes(world))

    code, out, err = run(capsys, "map", "set", "deposit", "checkout", "1")
    assert code == 0, err
    assert "Checking" in out
    code, out, err = run(capsys, "map", "set", "fees", "Stripe", expense["Id"])
    assert code == 0, err
    code, out, err = run(capsys, "map", "set", "clearing", "stripe", "10")
    assert code == 0, err

    bad = [
        (("deposit", "checkout", "9"), "Cost of Goods Sold"),  # an expense-side account as deposit account
        (("clearing", "stripe", expense["Id"]), "Bank"),  # fees account as clearing account
        (("payout", "stripe", old["Id"]), "inactive"),
        (("fees", "stripe", "9999"), "no Account with Id 9999"),
        (("deposit", "paypal", "1"), "not a CrocoClick payment source type"),
        (("colour", "x", "1"), "not a kind of mapping"),
    ]
    for args, said in bad:
        code, out, err = run(capsys, "map", "set", *args)
        assert code == 2, (args, out, err)
        assert said in err and "What to do:" in err and "Traceback" not in err, (args, err)
    assert len(writes(world)) == before  # nothing written to QuickBooks, ever

    code, out, _ = run(capsys, "map", "list", "--json")
    listed = json.loads(out)
    assert code == 0
    assert {(m["kind"], m["source"], m["qbo_id"], m["set_by"]) for m in listed} == {
        ("deposit", "checkout", "1", "user"), ("fees", "stripe", expense["Id"], "user"),
        ("clearing", "stripe", "10", "user")}
    assert stored(world) == listed

    code, out, err = run(capsys, "map", "unset", "fees", "stripe")
    assert code == 0, err
    code, out, err = run(capsys, "map", "unset", "fees", "stripe")
    assert code == 2 and "no fees mapping" in err
    assert {m["kind"] for m in stored(world)} == {"deposit", "clearing"}


def test_map_set_item_needs_an_active_item(world, capsys) -> None:
    item = world.qbo.put_entity(world.realm, "Item", {"Name": "Workshop seat", "Type": "Service",
                                                      "IncomeAccountRef": {"value": "2"}})
    gone = world.qbo.put_entity(world.realm, "Item", {"Name": "Old seat", "Type": "Service",
                                                      "IncomeAccountRef": {"value": "2"}})
    world.qbo.put_entity(world.realm, "Item", dict(gone, Active=False))
    code, out, err = run(capsys, "map", "set", "item", "Spring workshop", item["Id"])
    assert code == 0, err
    code, out, err = run(capsys, "map", "set", "item", "prod_42", gone["Id"])
    assert code == 2 and "inactive" in err
    code, out, err = run(capsys, "map", "set", "item", "prod_42", "1")
    assert code == 0, err
    assert [(m["source"], m["qbo_name"]) for m in stored(world)] == [("prod_42", "Services"),
                                                                     ("Spring workshop", "Workshop seat")]


# -- the CLI: taxes (Canada: real tax codes) ------------------------------------------------------
def test_map_set_tax_checks_the_rate_against_crococlick(world_ca, capsys) -> None:
    w = world_ca
    ann = w.contact("Ann", "Lee", "ann@example.ca")
    w.croco.create_invoice(w.loc, contact_id=ann["id"], number="INV-1", send=True, items=[
        {"name": "Coaching", "quantity": 1, "unitPrice": "100.00", "taxes": [{"name": "HST ON", "rate": 13}]},
        {"name": "Book", "quantity": 1, "unitPrice": "20.00",
         "taxes": [{"name": "GST", "rate": 5}, {"name": "QST", "rate": 9.975}]},
    ])
    code, out, err = run(capsys, "map", "set", "tax", "HST ON", "2")  # GST 5 %
    assert code == 2 and "5%" in err and "13%" in err, err
    code, out, err = run(capsys, "map", "set", "tax", "PST BC", "3")
    assert code == 2 and "no tax named 'PST BC'" in err, err
    code, out, err = run(capsys, "map", "set", "tax", "TAX", "3")
    assert code == 2
    assert stored(w) == []
    code, out, err = run(capsys, "map", "set", "tax", "hst on", "3")
    assert code == 0, err
    code, out, err = run(capsys, "map", "set", "tax", "GST + QST", "4")
    assert code == 0, err
    assert [(m["source"], m["qbo_id"], m["qbo_name"]) for m in stored(w)] == [
        ("GST + QST", "4", "GST/QST QC - 9.975"), ("hst on", "3", "HST ON")]


def test_mappings_table_arrives_by_migration_and_older_data_is_kept(data_home: Path) -> None:
    """A state file written before mappings existed (schema 2) is upgraded in place: its links stay, the
    mappings table appears; mappings then survive every later opening."""
    import sqlite3

    from crocoqb_desktop import paths
    from crocoqb_desktop.sync import store as store_module

    path = paths.state_db_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for version in (1, 2):
        for statement in store_module._MIGRATIONS[version].split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute("INSERT INTO links (kind, croco_id, qbo_id, updated_at) VALUES ('customer', 'con_1', '42', 'x')")
    conn.execute("PRAGMA user_version=2")
    conn.commit()
    conn.close()

    store = StateStore(path)
    assert store.schema_version() >= 4
    assert store.link("customer", "con_1").qbo_id == "42"  # type: ignore[union-attr]
    Mappings(store).set("deposit", "checkout", "1", "Checking")
    store.close()
    store = StateStore(path)
    assert Mappings(store).target("deposit", "checkout") == "1"
    store.close()


def test_two_active_items_sharing_a_name_are_never_guessed(data_home: Path) -> None:
    """Sub-items of different parents may share a name in QuickBooks ("Mugs:Large", "Shirts:Large"; the
    sandbox keeps item names unique, so the lists are given to the engine's context directly)."""
    from crocoqb_desktop.qbo.client import QboClient
    from crocoqb_desktop.sync.mapping_common import MappingError
    from crocoqb_desktop.sync.qbo_context import QboContext

    store = StateStore()
    client = QboClient("http://127.0.0.1:9", "1", tokens=None)  # type: ignore[arg-type]  # never called
    ctx = QboContext(client, store)
    large = [{"Id": "11", "Name": "Large", "FullyQualifiedName": "Mugs:Large", "Active": True},
             {"Id": "12", "Name": "Large", "FullyQualifiedName": "Shirts:Large", "Active": True}]
    ctx.prime(None, large + [{"Id": "13", "Name": "Small", "Active": True}], None)  # type: ignore[arg-type]
    item, how = ctx.item_choice({"name": "Small"})
    assert (item["Id"], how) == ("13", "name")  # type: ignore[index]
    with pytest.raises(MappingError) as caught:
        ctx.item_choice({"name": "Large"})
    assert "'Mugs:Large' (Id 11), 'Shirts:Large' (Id 12)" in caught.value.message
    Mappings(store).set("item", "Large", "12", "Shirts:Large")
    item, how = ctx.item_choice({"name": "Large"})
    assert (item["Id"], how) == ("12", "mapping")  # type: ignore[index]
    store.close()
