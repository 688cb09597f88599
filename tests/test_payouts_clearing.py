"""Rule 14 end to end against both sandboxes (real HTTP, real state file): payments with fees, refunds,
a dispute and payouts; the bank gets exactly one Transfer per payout, the fees account the fees less
the fees given back, and the clearing account ends at 0. Reruns write nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from crocoqb_desktop.settings import Settings
from crocoqb_desktop.sync.mappings import Mappings
from crocoqb_desktop.sync.payout_store import PayoutStore
from crocoqb_desktop.sync.store import StateStore
from tests.plugins.world_fixtures import World

WRITTEN = ("SalesReceipt", "RefundReceipt", "Purchase", "Deposit", "Transfer", "Account", "Customer")


def _setup_clearing(w: World) -> dict[str, str]:
    """clearing on, the payout bank (Checking) and an adjustment account mapped by the user."""
    Settings().set("sync.payouts", "clearing")
    disputes = w.qbo.put_entity(w.realm, "Account", {"Name": "Chargebacks", "AccountType": "Expense"})
    checking = next(a for a in w.qbo_objects("Account") if a["Name"] == "Checking")
    store = StateStore()
    try:
        maps = Mappings(store)
        maps.set("payout", "stripe", checking["Id"], "Checking")
        maps.set("adjustment", "stripe", disputes["Id"], "Chargebacks")
    finally:
        store.close()
    return {"bank": checking["Id"], "disputes": disputes["Id"]}


def _payout(w: World, **kwargs: Any) -> dict[str, Any]:
    payout = w.croco.create_payout(w.loc, provider="stripe", **kwargs)
    return w.croco.set_payout_status(w.loc, payout["id"], "paid")


def _amounts(objs: list[dict[str, Any]], key: str = "TotalAmt") -> list[Decimal]:
    return sorted(Decimal(str(o[key])) for o in objs)


def _by_account(w: World, entity: str, detail: str, account_id: str) -> Decimal:
    total = Decimal(0)
    for obj in w.qbo_objects(entity):
        for line in obj.get("Line") or []:
            if (line.get(detail) or {}).get("AccountRef", {}).get("value") == account_id:
                total += Decimal(str(line["Amount"]))
    return total


def _balance(w: World, account_id: str) -> Decimal:
    return Decimal(str(next(a for a in w.qbo_objects("Account") if a["Id"] == account_id)["CurrentBalance"]))


@pytest.mark.parametrize("country", ["US", "CA"])
def test_twenty_payments_three_refunds_a_dispute_three_payouts(country: str, request: pytest.FixtureRequest) -> None:
    ca = country == "CA"
    w: World = request.getfixturevalue("world_ca" if ca else "world")
    accounts = _setup_clearing(w)
    contacts = [w.contact(f"Client{i}", "Payout", f"payout{i}@example.com") for i in range(5)]
    payments: list[dict[str, Any]] = []
    fees = Decimal(0)
    returned = Decimal(0)

    def pay(i: int) -> dict[str, Any]:
        nonlocal fees
        taxes = [{"name": "HST ON", "rate": 13}] if ca else []
        price = f"{40 + i * 7}.{(i * 13) % 100:02d}"
        fee = (Decimal(price) * Decimal("0.029") + Decimal("0.30")).quantize(Decimal("0.01"))
        payment = w.croco.record_payment(
            w.loc, contact_id=contacts[i % 5]["id"], source_type="order_form",
            items=[{"name": "Workshop seat", "quantity": 1, "unitPrice": price, "taxes": taxes}],
            method={"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"},
            fee={"amount": str(fee), "description": "Stripe processing fee"})
        fees += fee
        payments.append(payment)
        return payment

    # a cash payment is not a processor's: unaffected (rule 14)
    cash = w.croco.record_payment(w.loc, contact_id=contacts[0]["id"], source_type="manual", method={"type": "cash"},
                                  items=[{"name": "Coffee", "quantity": 1, "unitPrice": "15.00",
                                          "taxes": [{"name": "HST ON", "rate": 13}] if ca else []}])
    for i in range(8):
        pay(i)
    assert (result := w.sync()).exit_code == 0, result.summary()
    first = _payout(w)
    assert (result := w.sync()).exit_code == 0, result.summary()

    for i in range(8, 15):
        pay(i)
    w.croco.refund_payment(w.loc, payments[2]["id"], "20.00", reason="Partial refund")
    w.croco.refund_payment(w.loc, payments[9]["id"], payments[9]["amount"], reason="Cancelled",
                           fee_returned=payments[9]["fee"]["amount"])
    returned += Decimal(payments[9]["fee"]["amount"])
    assert (result := w.sync()).exit_code == 0, result.summary()
    second = _payout(w, adjustments=[{"amount": "-35.00", "kind": "dispute", "paymentId": payments[4]["id"]}])
    for i in range(15, 20):
        pay(i)
    w.croco.refund_payment(w.loc, payments[16]["id"], "10.00")
    # the last payout arrives in the same cycle as the payments it settles: booked once they are in
    third = _payout(w)
    assert (result := w.sync()).exit_code == 0, result.summary()

    transfers = w.qbo_objects("Transfer")
    assert _amounts(transfers, "Amount") == sorted(Decimal(p["amount"]) for p in (first, second, third))
    assert {t["ToAccountRef"]["value"] for t in transfers} == {accounts["bank"]}
    clearing_id = {t["FromAccountRef"]["value"] for t in transfers}.pop()
    clearing = next(a for a in w.qbo_objects("Account") if a["Id"] == clearing_id)
    assert clearing["Name"] == "CrocoClick Payments - stripe" and clearing["AccountType"] == "Bank"
    fees_id = next(a["Id"] for a in w.qbo_objects("Account") if a["Name"] == "Merchant fees")
    assert _by_account(w, "Purchase", "AccountBasedExpenseLineDetail", fees_id) \
        - _by_account(w, "Deposit", "DepositLineDetail", fees_id) == fees - returned
    assert _by_account(w, "Purchase", "AccountBasedExpenseLineDetail", accounts["disputes"]) == Decimal("35.00")
    assert _balance(w, clearing_id) == 0
    receipts = w.qbo_objects("SalesReceipt")
    assert len(receipts) == 21
    cash_receipt = next(r for r in receipts if f"CrocoClick {cash['id']}" in r["PrivateNote"])
    assert cash_receipt["DepositToAccountRef"]["value"] != clearing_id
    assert sum(r["DepositToAccountRef"]["value"] == clearing_id for r in receipts) == 20
    refunds = w.qbo_objects("RefundReceipt")
    assert len(refunds) == 3 and {r["DepositToAccountRef"]["value"] for r in refunds} == {clearing_id}
    assert len(w.qbo_objects("Purchase")) == 20 + 1  # 20 fees + the dispute
    assert len(w.qbo_objects("Deposit")) == 1  # the fee given back

    store = StateStore()
    try:
        rows = {p.id: p.state for p in PayoutStore(store).payouts()}
        assert rows == {first["id"]: "booked", second["id"]: "booked", third["id"]: "booked"}
    finally:
        store.close()

    # reruns write nothing
    before = {e: len(w.qbo_objects(e)) for e in WRITTEN}
    for _ in range(2):
        assert (result := w.sync()).exit_code == 0 and result.created == 0, result.summary()
    assert {e: len(w.qbo_objects(e)) for e in WRITTEN} == before


def test_off_leaves_processor_payments_as_before(world: World) -> None:
    c = world.contact("Olive", "Off", "olive@example.com")
    world.croco.record_payment(world.loc, contact_id=c["id"], source_type="order_form",
                               items=[{"name": "Seat", "quantity": 1, "unitPrice": "50.00"}],
                               method={"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"},
                               fee={"amount": "1.75"})
    assert world.sync().exit_code == 0
    payout = _payout(world)
    assert world.sync().exit_code == 0
    [receipt] = world.qbo_objects("SalesReceipt")
    undeposited = next(a for a in world.qbo_objects("Account") if a.get("AccountSubType") == "UndepositedFunds")
    assert receipt["DepositToAccountRef"]["value"] == undeposited["Id"]
    for entity in ("Purchase", "Deposit", "Transfer"):
        assert world.qbo_objects(entity) == []
    assert not any("Payments" in a["Name"] or a["Name"] == "Merchant fees" for a in world.qbo_objects("Account"))
    store = StateStore()
    try:
        assert PayoutStore(store).payout(payout["id"]) is None
    finally:
        store.close()
