"""Problems as data in the real state file: parked together with their problem, cleared together with the
completion, kept across a restart, and the upgrade from a state file written before problems existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from crocoqb_desktop.errors import RecordError
from crocoqb_desktop.sync import problems
from crocoqb_desktop.sync.problems import ProblemError
from crocoqb_desktop.sync.store import _MIGRATIONS, StateStore


def _item(store: StateStore, key: str = "invoice:inv_1"):
    store.enqueue(key, "invoice", key.split(":")[1], "upsert", {"number": "INV-1", "contactId": "c1"}, "rid")
    item = store.outbox_item(key)
    assert item is not None
    return item


def test_park_and_complete_keep_the_outbox_and_the_problem_together(data_home: Path) -> None:
    store = StateStore()
    item = _item(store)
    assert problems.park(store, item, ProblemError("deleted_in_qbo", "gone", fix="resend it",
                                                   actions=("resend", "skip"))) is True
    assert store.outbox_item(item.op_key).status == "parked"
    [p] = problems.list_problems(store)
    assert (p.reason, p.label, p.actions, p.fix) == ("deleted_in_qbo", "INV-1", ("resend", "skip"), "resend it")
    # the same cause again is not new (no second notification); another cause is
    assert problems.park(store, item, ProblemError("deleted_in_qbo", "gone")) is False
    assert [x.op_key for x in problems.take_new(store)] == [item.op_key] and problems.take_new(store) == []
    assert problems.park(store, item, RecordError("QuickBooks refused it")) is True
    store.close()
    store = StateStore()  # a restart keeps it
    [p] = problems.list_problems(store)
    assert p.reason == "rejected" and problems.count_open(store) == 1
    assert problems.complete(store, store.outbox_item(item.op_key)) is True
    assert problems.list_problems(store) == [] and store.outbox_item(item.op_key).status == "done"
    store.close()


def test_kept_failing_and_rechecked_causes_go_back_in_the_queue(data_home: Path) -> None:
    store = StateStore()
    a, b = _item(store, "invoice:inv_a"), _item(store, "invoice:inv_b")
    problems.park(store, a, ProblemError("no_email", "no email"))
    problems.park(store, b, ProblemError("deleted_in_qbo", "deleted", actions=("resend", "skip")))
    assert problems.recheck_due(store) == 0  # not again within a minute: a refused attempt costs requests
    assert problems.recheck_due(store, min_age_s=0) == 1  # the email may have been added; a deletion waits
    assert store.outbox_item(a.op_key).status == "pending" and store.outbox_item(b.op_key).status == "parked"
    problems.set_state(store, b.op_key, "skipped")
    assert [p.op_key for p in problems.list_problems(store)] == [a.op_key]
    assert [p.state for p in problems.find(store, "invoice:inv_b")] == ["skipped"]
    store.close()


def test_upgrade_from_a_state_file_without_problems(data_home: Path) -> None:
    from crocoqb_desktop import paths

    path = paths.state_db_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    for version in (1, 2):
        db.executescript(_MIGRATIONS[version])
    db.execute("PRAGMA user_version=2")
    db.execute("INSERT INTO links VALUES ('payment','pay_1','7',NULL,NULL,'{\"type\": \"Payment\"}','t')")
    db.execute("INSERT INTO links VALUES ('payment','pay_2','7',NULL,NULL,'{\"type\": \"SalesReceipt\"}','t')"
               .replace("'7'", "'8'"))
    db.commit()
    db.close()
    store = StateStore(path)
    assert store.schema_version() >= 3
    assert store.link("invoice_payment", "pay_1").qbo_id == "7"  # a QBO Payment: its own kind now
    assert store.link("payment", "pay_2").qbo_id == "8"
    assert problems.list_problems(store) == []
    store.close()
