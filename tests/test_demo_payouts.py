"""The demo world produces payouts from its card payments (with Stripe fees) every few minutes."""

from __future__ import annotations

import time
from decimal import Decimal

from crocoqb_desktop.sandbox.demo import stripe_fee


def _people(w) -> None:
    for first in ("Alice", "Bruno", "Chloé"):
        w.contact(first, "Demo", f"{first.lower()}@example.com")


def test_pay_out_moves_payouts_along_and_settles_the_card_balance(world_unconnected) -> None:
    w = world_unconnected
    _people(w)
    assert w.demo.pay_out() is None  # no card payment yet: nothing to pay out
    w.demo.add_activity(3)  # round 3 also refunds part of the workshop
    first = w.demo.pay_out()
    assert first is not None and first["status"] == "pending" and first["provider"] == "stripe"
    payments = w.croco.payments(w.loc)
    assert all(p["fee"] and p["paymentMethod"]["provider"] == "stripe" for p in payments)
    assert [i["type"] for i in first["items"]] == ["payment", "payment", "refund"]
    assert Decimal(first["amount"]) == sum(Decimal(p["net"]) for p in payments)
    assert stripe_fee("149.00") == "4.62"

    assert w.demo.pay_out() is None  # nothing new: the first payout leaves the processor
    assert w.croco.payout(w.loc, first["id"])["status"] == "in_transit"
    w.demo.add_activity(4)
    second = w.demo.pay_out()
    assert second is not None and len(second["items"]) == 2
    assert w.croco.payout(w.loc, first["id"])["status"] == "paid"
    paid = [e for e in w.croco.events(w.loc) if e["type"] == "payout.paid"]
    assert [e["resourceId"] for e in paid] == [first["id"]]


def test_the_activity_thread_produces_paid_payouts(world_unconnected) -> None:
    w = world_unconnected
    _people(w)
    w.demo.start_activity_thread(every_s=0.05, rounds=2, payout_every_s=0.1)
    deadline = time.monotonic() + 20
    while not any(e["type"] == "payout.paid" for e in w.croco.events(w.loc)):
        assert time.monotonic() < deadline, "no payout reached the bank"
        time.sleep(0.05)
