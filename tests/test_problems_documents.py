"""Rule 9, documents the bookkeeper deleted, voided or paid by hand in QuickBooks: a problem, never a
silent re-creation, un-void or overpayment; and the user's answers resend and skip. Over real HTTP
against both sandboxes, in a US and a Canadian company."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.plugins.world_fixtures import qbo_api


@pytest.fixture(params=["us", "ca"])
def any_world(request):
    world = request.getfixturevalue("world" if request.param == "us" else "world_ca")
    world.tax = ("Sales tax", 8.875) if request.param == "us" else ("HST ON", 13)
    return world


def _invoice(world, contact, number):
    tax, rate = world.tax
    return world.croco.create_invoice(world.loc, contact_id=contact["id"], number=number, send=True, items=[
        {"name": "Coaching session", "quantity": 1, "unitPrice": "100.00", "taxes": [{"name": tax, "rate": rate}]}])


def _problems(include_skipped=False):
    from crocoqb_desktop.sync import problems
    from crocoqb_desktop.sync.store import StateStore

    store = StateStore()
    try:
        return problems.list_problems(store, include_skipped=include_skipped)
    finally:
        store.close()


def _resolve(croco_id, action, qbo_id=None):
    from crocoqb_desktop.sync import resolve
    from crocoqb_desktop.sync.store import StateStore

    store = StateStore()
    try:
        problem = resolve.pick(store, croco_id)
        resolve.check(problem, action, qbo_id)
        resolve.apply(store, problem, action)
    finally:
        store.close()


def _live(world, entity):
    return world.qbo_objects(entity)


def _one_invoice_synced(w):
    ann = w.contact("Ann", "Lee", "ann@example.com")
    inv = _invoice(w, ann, "INV-1")
    assert w.sync().exit_code == 0
    [qbo_inv] = _live(w, "Invoice")
    return ann, inv, qbo_inv


def test_deleted_in_qbo_is_a_problem_then_resend_creates_it_again(any_world) -> None:
    w = any_world
    _, inv, qbo_inv = _one_invoice_synced(w)
    qbo_api(w, "POST", "invoice?operation=delete", {"Id": qbo_inv["Id"], "SyncToken": qbo_inv["SyncToken"]})
    result = w.sync()  # CDC lists it deleted: a problem at once
    assert result.exit_code == 1 and result.problems == 1
    [problem] = _problems()
    assert (problem.reason, problem.croco_id, set(problem.actions)) == ("deleted_in_qbo", inv["id"], {"resend", "skip"})
    w.croco.update_invoice(w.loc, inv["id"], memo="Changed after the deletion")
    assert w.sync().exit_code == 1
    assert _live(w, "Invoice") == []  # never re-created on its own
    [problem] = _problems()
    assert problem.reason == "deleted_in_qbo"
    _resolve(inv["id"], "resend")
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    [again] = _live(w, "Invoice")
    assert again["Id"] != qbo_inv["Id"] and Decimal(str(again["TotalAmt"])) == Decimal(inv["totals"]["total"])
    assert _problems() == []


def test_voided_in_qbo_is_a_problem_and_clears_when_voided_in_crococlick(any_world) -> None:
    w = any_world
    _, inv, qbo_inv = _one_invoice_synced(w)
    qbo_api(w, "POST", "invoice?operation=void", {"Id": qbo_inv["Id"], "SyncToken": qbo_inv["SyncToken"]})
    assert w.sync().exit_code == 1
    [problem] = _problems()
    assert problem.reason == "voided_in_qbo"
    w.croco.update_invoice(w.loc, inv["id"], memo="edited")
    assert w.sync().exit_code == 1
    [still] = _live(w, "Invoice")
    assert Decimal(str(still["TotalAmt"])) == 0 and still["PrivateNote"] == "Voided"  # never un-voided
    w.croco.void_invoice(w.loc, inv["id"])
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    assert _problems() == [] and len(_live(w, "Invoice")) == 1


def test_skip_leaves_it_out_until_a_later_change_in_crococlick(any_world) -> None:
    w = any_world
    _, inv, qbo_inv = _one_invoice_synced(w)
    qbo_api(w, "POST", "invoice?operation=delete", {"Id": qbo_inv["Id"], "SyncToken": qbo_inv["SyncToken"]})
    assert w.sync().exit_code == 1
    _resolve(inv["id"], "skip")
    result = w.sync()
    assert result.exit_code == 0 and result.problems == 0
    assert _problems() == [] and [p.state for p in _problems(include_skipped=True)] == ["skipped"]
    assert any(e.message_id == "resolve.skipped" for e in w.log())  # it stays visible in the log
    w.croco.update_invoice(w.loc, inv["id"], memo="changed again")
    assert w.sync().exit_code == 1
    [back] = _problems()
    assert back.reason == "deleted_in_qbo" and back.state == "open"
    assert _live(w, "Invoice") == []


def _manual_payment(w, qbo_inv, amount, note=None):
    body = {"CustomerRef": qbo_inv["CustomerRef"], "TotalAmt": str(amount),
            "Line": [{"Amount": str(amount), "LinkedTxn": [{"TxnId": qbo_inv["Id"], "TxnType": "Invoice"}]}]}
    if note:
        body["PrivateNote"] = note
    return qbo_api(w, "POST", "payment", body)["Payment"]


def test_payment_recorded_by_hand_is_linked_not_recorded_twice(any_world) -> None:
    w = any_world
    ann, inv, qbo_inv = _one_invoice_synced(w)
    manual = _manual_payment(w, qbo_inv, qbo_inv["TotalAmt"])
    w.croco.record_payment(w.loc, contact_id=ann["id"], source_type="invoice", invoice_id=inv["id"],
                           amount=inv["totals"]["total"], method={"type": "cash"})
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    [payment] = _live(w, "Payment")  # no second payment
    assert payment["Id"] == manual["Id"] and Decimal(str(payment["UnappliedAmt"])) == 0
    assert Decimal(str(_live(w, "Invoice")[0]["Balance"])) == 0
    assert any(e.message_id == "problem.payment_linked_manual" for e in w.log())


def test_partly_paid_by_hand_is_a_problem_and_resend_pays_only_what_is_open(any_world) -> None:
    w = any_world
    ann, inv, qbo_inv = _one_invoice_synced(w)
    _manual_payment(w, qbo_inv, "40.00")
    w.croco.record_payment(w.loc, contact_id=ann["id"], source_type="invoice", invoice_id=inv["id"],
                           amount=inv["totals"]["total"], method={"type": "cash"})
    assert w.sync().exit_code == 1
    [problem] = _problems()
    assert problem.reason == "paid_in_qbo" and set(problem.actions) == {"resend", "skip"}
    assert len(_live(w, "Payment")) == 1  # never overpaid
    _resolve(problem.croco_id, "resend")
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    payments = _live(w, "Payment")
    assert len(payments) == 2 and all(Decimal(str(p["UnappliedAmt"])) == 0 for p in payments)
    assert sum(Decimal(str(p["TotalAmt"])) for p in payments) == Decimal(str(qbo_inv["TotalAmt"]))
    assert Decimal(str(_live(w, "Invoice")[0]["Balance"])) == 0


@pytest.mark.parametrize("entity", ["SalesReceipt", "Payment"])
def test_payment_deleted_in_qbo_is_a_problem_then_resend_records_it_again(any_world, entity) -> None:
    w = any_world
    ann, inv, qbo_inv = _one_invoice_synced(w)
    if entity == "Payment":
        pay = w.croco.record_payment(w.loc, contact_id=ann["id"], source_type="invoice", invoice_id=inv["id"],
                                     amount=inv["totals"]["total"], method={"type": "cash"})
    else:
        pay = w.croco.record_payment(w.loc, contact_id=ann["id"], source_type="checkout", method={"type": "cash"},
                                     items=[{"name": "Workshop", "quantity": 1, "unitPrice": "50.00"}])
    assert w.sync().exit_code == 0
    [doc] = _live(w, entity)
    qbo_api(w, "POST", f"{entity.lower()}?operation=delete", {"Id": doc["Id"], "SyncToken": doc["SyncToken"]})
    result = w.sync()
    assert result.exit_code == 1 and result.problems == 1
    [problem] = _problems()
    assert (problem.kind, problem.croco_id, problem.reason) == ("payment", pay["id"], "deleted_in_qbo")
    assert _live(w, entity) == []  # never re-recorded on its own
    _resolve(pay["id"], "resend")
    result = w.sync()
    assert result.exit_code == 0, result.summary()
    [again] = _live(w, entity)
    assert again["Id"] != doc["Id"] and Decimal(str(again["TotalAmt"])) == Decimal(str(doc["TotalAmt"]))
    assert _problems() == []
