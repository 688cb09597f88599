"""Rule 14 engine cases against both sandboxes: a payout waits (pending, not an error) for its items and
accounts; an uncertain Transfer write is found again, not repeated; a failed payout reverses its
Transfer; the payouts report shows a drift when a booked transaction is edited in QuickBooks; kill -9
of `crocoqb sync --once` during payout booking books each payout exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from crocoqb_desktop.settings import Settings
from crocoqb_desktop.sync.mappings import Mappings
from crocoqb_desktop.sync.payout_store import PayoutStore
from crocoqb_desktop.sync.store import StateStore
from tests.plugins.world_fixtures import World, qbo_api

CARD = {"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"}


def _clearing(w: World, *, payout_bank: bool = True) -> None:
    Settings().set("sync.payouts", "clearing")
    if payout_bank:
        _map("payout", "1")  # Checking


def _map(kind: str, qbo_id: str) -> None:
    store = StateStore()
    try:
        Mappings(store).set(kind, "stripe", qbo_id)
    finally:
        store.close()


def _pay(w: World, contact: dict[str, Any], price: str, fee: str = "1.00") -> dict[str, Any]:
    return w.croco.record_payment(w.loc, contact_id=contact["id"], source_type="checkout", method=CARD,
                                  items=[{"name": "Seat", "quantity": 1, "unitPrice": price}], fee=fee)


def _paid(w: World, **kwargs: Any) -> dict[str, Any]:
    payout = w.croco.create_payout(w.loc, provider="stripe", **kwargs)
    return w.croco.set_payout_status(w.loc, payout["id"], "paid")


def _state(payout_id: str) -> tuple[str, str | None]:
    store = StateStore()
    try:
        row = PayoutStore(store).payout(payout_id)
        assert row is not None
        return row.state, row.detail
    finally:
        store.close()


def _problems() -> list[Any]:
    from crocoqb_desktop.sync import problems

    store = StateStore()
    try:
        return problems.list_problems(store)
    finally:
        store.close()


def _clearing_balance(w: World) -> Decimal:
    acct = next(a for a in w.qbo_objects("Account") if a["Name"] == "CrocoClick Payments - stripe")
    return Decimal(str(acct["CurrentBalance"]))


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CROCOQB_HOME=str(home), CROCOQB_KEYRING_SERVICE="CrocoQB-test")
    return subprocess.run([sys.executable, "-m", "crocoqb_desktop", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def test_payout_waits_for_its_payments_and_its_bank_account(world: World) -> None:
    _clearing(world, payout_bank=False)
    ok = world.contact("Ann", "Ok", "ann@example.com")
    nomail = world.contact("No", "Mail", None, phone="+1 555 0100")
    _pay(world, ok, "80.00", "2.62")
    stuck = _pay(world, nomail, "20.00", "0.88")
    payout = _paid(world)
    result = world.sync()
    assert result.exit_code == 1  # the payment without an email failed, as before
    state, detail = _state(payout["id"])
    assert state == "waiting" and detail and stuck["id"] in detail
    assert world.qbo_objects("Transfer") == []
    errors = [e for e in world.log("ERROR") if e.record_kind == "payout"]
    assert errors == []  # waiting for a payment is not an error
    # the contact gets an email; its payment is sent again: now the payout waits for its bank account
    world.croco.update_contact(world.loc, nomail["id"], email="nomail@example.com")
    store = StateStore()
    try:
        item = store.outbox_item(f"payment:{stuck['id']}")
        assert item is not None and item.status == "parked"
        store.enqueue(item.op_key, item.kind, item.croco_id, item.action, item.payload, item.request_id)
    finally:
        store.close()
    # an account to map is the user's to answer: a problem naming the payout (exit 1), not an error row
    assert world.sync().exit_code == 1
    state, detail = _state(payout["id"])
    assert state == "waiting" and detail and "bank account" in detail
    [problem] = _problems()
    assert (problem.kind, problem.croco_id, problem.reason) == ("payout", payout["id"], "payout_no_bank")
    assert set(problem.actions) == {"retry", "skip"} and "map set payout stripe" in (problem.fix or "")
    assert [e for e in world.log("ERROR") if e.record_kind == "payout"] == []
    [told] = [e for e in world.log("WARNING") if e.record_kind == "payout"]
    assert told.message_id == "payouts.no_bank"
    assert world.sync().exit_code == 1
    assert len([e for e in world.log("WARNING") if e.record_kind == "payout"]) == 1  # said once, not every cycle
    _map("payout", "1")
    assert world.sync().exit_code == 0
    assert _state(payout["id"]) == ("booked", None)
    assert _problems() == []  # cleared by itself once mapped and booked
    [transfer] = world.qbo_objects("Transfer")
    assert Decimal(str(transfer["Amount"])) == Decimal(payout["amount"]) == Decimal("96.50")
    assert _clearing_balance(world) == 0


def test_uncertain_transfer_write_is_found_again(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from crocoqb_desktop.qbo.client import QboClient

    monkeypatch.setitem(QboClient.__init__.__kwdefaults__, "timeout", (2.0, 0.4))
    _clearing(world)
    c = world.contact("Tim", "Eout", "tim@example.com")
    _pay(world, c, "50.00")
    assert world.sync().exit_code == 0
    payout = _paid(world)
    world.qbo.timeout_delay_s = 1.0
    world.qbo.inject("timeout", 8, path_contains="/transfer")  # applied, answered after the client gave up
    world.sync()
    time.sleep(1.2)
    assert len(world.qbo_objects("Transfer")) == 1  # QuickBooks has it, the app does not know yet
    for _ in range(3):
        world.sync()
        if _state(payout["id"])[0] == "booked":
            break
    assert _state(payout["id"]) == ("booked", None)
    assert len(world.qbo_objects("Transfer")) == 1
    assert _clearing_balance(world) == 0


def test_failed_payouts_book_nothing_or_reverse_their_transfer(world: World) -> None:
    _clearing(world)
    _map("adjustment", "9")  # Cost of Goods Sold
    c = world.contact("Fay", "Led", "fay@example.com")
    _pay(world, c, "100.00", "3.20")
    assert world.sync().exit_code == 0
    # failed before it was paid: nothing to book
    pending = world.croco.create_payout(world.loc, provider="stripe")
    world.croco.set_payout_status(world.loc, pending["id"], "failed")
    assert world.sync().exit_code == 0
    assert _state(pending["id"])[0] == "failed" and world.qbo_objects("Transfer") == []
    # its payment is settled by the next payout, with a reserve held back
    paid = _paid(world, adjustments=[{"amount": "-10.00", "kind": "reserve"}])
    assert world.sync().exit_code == 0
    assert _state(paid["id"])[0] == "booked" and _clearing_balance(world) == 0
    # the bank sends it back after it was booked (payout.failed after payout.paid): reversed
    from crocoqb_desktop.app.connection import QboConnection
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.sync.payouts import PayoutBooker
    from crocoqb_desktop.sync.qbo_context import QboContext

    ctx = AppContext.open()
    try:
        qctx = QboContext(QboConnection(ctx.settings, ctx.store).client(), ctx.store)
        booker = PayoutBooker(ctx.croco_client(), qctx, ctx.store, "clearing")
        booker.take_event("payout.failed", {**paid, "status": "failed"})
        booker.run()
        booker.run()  # twice: nothing more
    finally:
        ctx.store.close()
    assert _state(paid["id"])[0] == "reversed"
    transfers = world.qbo_objects("Transfer")
    assert len(transfers) == 2 and transfers[1]["ToAccountRef"] == transfers[0]["FromAccountRef"]
    assert _clearing_balance(world) == Decimal("96.80")  # what the processor holds again
    assert world.sync().exit_code == 0 and len(world.qbo_objects("Transfer")) == 2


def test_payouts_report_shows_a_drift_after_an_edit_in_quickbooks(world: World, data_home: Path) -> None:
    _clearing(world)
    c = world.contact("Dee", "Rift", "dee@example.com")
    _pay(world, c, "60.00", "2.04")
    _pay(world, c, "40.00", "1.46")
    assert world.sync().exit_code == 0
    out = _cli(data_home, "payouts", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(out.stdout)
    [clearing] = report["clearing"]
    assert report["balanced"] is True and Decimal(clearing["balance"]) == Decimal("96.50")
    assert Decimal(clearing["not_paid_out"]) == Decimal("96.50")
    # the bookkeeper changes a fee in QuickBooks
    fee = world.qbo_objects("Purchase")[0]
    line = fee["Line"][0]
    qbo_api(world, "POST", "purchase", {"Id": fee["Id"], "SyncToken": fee["SyncToken"], "sparse": True, "Line": [
        {"DetailType": line["DetailType"], "Amount": "5.00",
         "AccountBasedExpenseLineDetail": {"AccountRef": line["AccountBasedExpenseLineDetail"]["AccountRef"]}}]})
    out = _cli(data_home, "payouts", "--json")
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert report["balanced"] is False and Decimal(report["clearing"][0]["drift"]) != 0
    text = _cli(data_home, "payouts")
    assert "DRIFT" in text.stdout and "changed or deleted in QuickBooks" in text.stdout


def test_kill9_during_payout_booking_books_each_payout_once(world: World, data_home: Path) -> None:
    """30 payouts (2 payments and a dispute each) whose payments are already in QuickBooks: only the
    payout booking is left when `crocoqb sync --once` is killed, later and later each run (QuickBooks
    answering in 30 ms, so that the booking lasts long enough for kills to land in it)."""
    _clearing(world)
    _map("adjustment", "9")
    contacts = [world.contact(f"K{i}", "Nine", f"k{i}@example.com") for i in range(4)]
    payouts = []
    for n in range(30):
        for i in range(2):
            _pay(world, contacts[(n + i) % 4], f"{30 + n}.{i}0", "0.99")
        payouts.append(world.croco.create_payout(world.loc, provider="stripe",
                                                 adjustments=[{"amount": f"-{n + 1}.00", "kind": "dispute"}]))
    assert world.sync().exit_code == 0
    started = time.monotonic()
    assert _cli(data_home, "sync", "--once").returncode == 0  # a cycle with nothing to do: the start-up time
    idle = time.monotonic() - started
    for created in payouts:
        world.croco.set_payout_status(world.loc, created["id"], "paid")
    world.qbo.latency_s = 0.03  # QuickBooks answers like over the internet: the booking takes a few seconds
    env = dict(os.environ, CROCOQB_HOME=str(data_home), CROCOQB_KEYRING_SERVICE="CrocoQB-test")
    partial, kills, delay = 0, 0, idle * 0.6
    rng = random.Random(16)
    while len(world.qbo_objects("Transfer")) < len(payouts) and kills < 80:
        proc = subprocess.Popen([sys.executable, "-m", "crocoqb_desktop", "sync", "--once"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(30)
        booked = len(world.qbo_objects("Transfer"))
        partial += 0 < booked < len(payouts)
        delay += rng.uniform(0.1, 0.3)
    world.qbo.latency_s = 0.0
    out = _cli(data_home, "sync", "--once")
    assert out.returncode == 0, out.stdout + out.stderr
    transfers = world.qbo_objects("Transfer")
    assert sorted(Decimal(str(t["Amount"])) for t in transfers) == sorted(Decimal(p["amount"]) for p in payouts)
    notes = [t["PrivateNote"].split()[1] for t in transfers + world.qbo_objects("Purchase")]
    assert len(notes) == len(set(notes))  # each fee, adjustment and transfer once
    assert len(world.qbo_objects("Purchase")) == 60 + 30
    assert _clearing_balance(world) == 0
    assert {_state(p["id"])[0] for p in payouts} == {"booked"}
    print(f"{kills} kills from {idle * 0.6:.2f} s on, {partial} left the payouts half booked")
    assert partial >= 1, "no kill landed during the payout booking"


def test_check_shows_the_processor_accounts_and_what_is_missing(world: World, capsys: pytest.CaptureFixture[str]
                                                                ) -> None:
    from crocoqb_desktop import cli

    c = world.contact("Chuck", "Eck", "chuck@example.com")
    _pay(world, c, "25.00", "1.03")

    def provider_rows() -> dict[str, dict[str, Any]]:
        assert cli.main(["check", "--json"]) in (0, 1)
        report = json.loads(capsys.readouterr().out)
        return {r["kind"]: r for r in report["mappings"] if r["source"] == "stripe"}

    off = provider_rows()
    assert {r["status"] for r in off.values()} == {"info"}  # off: nothing needed
    Settings().set("sync.payouts", "clearing")
    rows = provider_rows()
    assert rows["clearing"]["status"] == "info" and "CrocoClick Payments - stripe" in rows["clearing"]["message"]
    assert "created at the first stripe payment" in rows["fees"]["message"]
    assert rows["payout"]["status"] == "warning" and "map set payout stripe" in rows["payout"]["fix"]
    assert rows["adjustment"]["status"] == "warning"
    _map("payout", "1")
    assert world.sync().exit_code == 0  # the first payment creates the clearing and fees accounts
    rows = provider_rows()
    assert {k: (r["status"], r["qbo_name"]) for k, r in rows.items() if k != "adjustment"} == {
        "clearing": ("ok", "CrocoClick Payments - stripe"), "fees": ("ok", "Merchant fees"), "payout": ("ok", "Checking")}


def test_invoice_payment_goes_through_clearing(world: World) -> None:
    _clearing(world)
    c = world.contact("Ivy", "Voice", "ivy@example.com")
    invoice = world.croco.create_invoice(world.loc, contact_id=c["id"], number="INV-77", send=True,
                                         items=[{"name": "Coaching", "quantity": 2, "unitPrice": "60.00"}])
    assert world.sync().exit_code == 0
    world.croco.record_payment(world.loc, contact_id=c["id"], source_type="invoice", invoice_id=invoice["id"],
                               amount=invoice["totals"]["total"], method=CARD, fee="3.78")
    assert world.sync().exit_code == 0
    clearing = next(a for a in world.qbo_objects("Account") if a["Name"] == "CrocoClick Payments - stripe")
    [payment] = world.qbo_objects("Payment")
    assert payment["DepositToAccountRef"]["value"] == clearing["Id"]
    [fee] = world.qbo_objects("Purchase")
    assert Decimal(str(fee["TotalAmt"])) == Decimal("3.78")
    assert _clearing_balance(world) == Decimal("116.22")
    payout = _paid(world)
    assert world.sync().exit_code == 0
    assert _state(payout["id"])[0] == "booked" and _clearing_balance(world) == 0


def test_switching_on_never_rebooks_and_a_mixed_payout_is_left_to_the_user(world: World) -> None:
    c = world.contact("Mo", "Mixed", "mo@example.com")
    before = _pay(world, c, "30.00", "1.17")  # booked while clearing is off: stays as it is
    assert world.sync().exit_code == 0
    _clearing(world)
    after = _pay(world, c, "45.00", "1.61")
    assert world.sync().exit_code == 0
    clearing = next(a for a in world.qbo_objects("Account") if a["Name"] == "CrocoClick Payments - stripe")
    receipts = {r["PrivateNote"].split()[1]: r for r in world.qbo_objects("SalesReceipt")}
    assert receipts[before["id"]]["DepositToAccountRef"]["value"] != clearing["Id"]  # never moved
    assert receipts[after["id"]]["DepositToAccountRef"]["value"] == clearing["Id"]
    assert _clearing_balance(world) == Decimal("43.39")
    # a payout that settles a payment booked before clearing was on cannot be one transfer from clearing
    mixed = _paid(world)
    assert world.sync().exit_code == 0
    state, detail = _state(mixed["id"])
    assert (state, before["id"] in (detail or "")) == ("manual", True), detail
    assert world.qbo_objects("Transfer") == []
    [warning] = [e for e in world.log("WARNING") if e.message_id == "payouts.manual"]
    assert warning.fix and "transfer" in warning.fix
    assert world.sync().exit_code == 0 and len([e for e in world.log("WARNING") if e.message_id == "payouts.manual"]) == 1


def test_expired_feed_still_books_the_payout(world: World) -> None:
    """The laptop was closed past the feed's retention: the full resync reads the paid payouts too."""
    _clearing(world)
    c = world.contact("Rey", "Sync", "rey@example.com")
    _pay(world, c, "70.00", "2.33")
    assert world.sync().exit_code == 0
    payout = _paid(world)
    head = world.croco.event_head(world.loc)["sequence"]
    world.croco.expire_events_older_than(world.loc, head + 1)  # the payout.paid event is gone too
    assert world.sync().exit_code == 0
    assert any("change feed expired" in e.message for e in world.log())  # the full resync ran
    assert _state(payout["id"])[0] == "booked"
    [transfer] = world.qbo_objects("Transfer")
    assert Decimal(str(transfer["Amount"])) == Decimal("67.67") and _clearing_balance(world) == 0
    assert world.sync().exit_code == 0 and len(world.qbo_objects("Transfer")) == 1
