"""Fees and payouts (rule 14): what clearing mode costs. 200 card payments with fees (quick: 40) go to
QuickBooks once with `sync.payouts off` and once with `clearing` (each in its own world), then 10 paid
payouts (quick: 4) are booked; and the payouts report (the clearing balance check) is timed.

    .ci/with-keyring .venv/bin/python -m tests.bench --only payouts [--quick]

Both sandboxes run 10x time-compressed (CROCOQB_BENCH_TIME_SCALE) with the app's limiters compressed the
same way, so the figures are bound by QuickBooks' limits as a real company would be, ten times faster.
Clearing mode writes one expense per payment more (the fee): about twice the QuickBooks writes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

QUICK = bool(os.environ.get("CROCOQB_BENCH_QUICK"))
PAYMENTS, PAYOUTS = (40, 4) if QUICK else (200, 10)
TIME_SCALE = float(os.environ.get("CROCOQB_BENCH_TIME_SCALE", "10"))
CARD = {"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"}


def _writes(world: Any) -> int:
    return len([r for r in world.qbo.request_log if r["method"] == "POST" and not r["path"].endswith("/query")])


def _sync() -> Any:
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.app.service import SyncService

    ctx = AppContext.open()
    try:
        return SyncService(ctx).sync_once()
    finally:
        ctx.store.close()


def run(mode: str) -> dict[str, float]:
    from crocoqb_desktop.logging_setup import reset_logging_for_tests
    from crocoqb_desktop.sandbox.demo import DEMO_LOCATION, connect_world, start_demo_world
    from crocoqb_desktop.settings import Settings
    from crocoqb_desktop.sync.mappings import Mappings
    from crocoqb_desktop.sync.store import StateStore

    home = Path(tempfile.mkdtemp(prefix=f"crocoqb-bench-payouts-{mode}-"))
    os.environ["CROCOQB_HOME"] = str(home)
    reset_logging_for_tests()
    world = start_demo_world(home, seed=False, time_scale=TIME_SCALE)
    out: dict[str, float] = {}
    try:
        connect_world()
        Settings().set("sync.payouts", mode)
        store = StateStore()
        Mappings(store).set("payout", "stripe", "1", "Checking")
        store.close()
        contacts = [world.croco.create_contact(DEMO_LOCATION, firstName=f"B{i}", lastName="Payer",
                                               email=f"b{i}@example.com") for i in range(20)]
        per_payout = PAYMENTS // PAYOUTS
        payouts = []
        for n in range(PAYMENTS):
            world.croco.record_payment(DEMO_LOCATION, contact_id=contacts[n % 20]["id"], source_type="checkout",
                                       method=CARD, fee=f"{1 + n % 7}.{n % 100:02d}",
                                       items=[{"name": "Seat", "quantity": 1, "unitPrice": f"{40 + n % 50}.00"}])
            if (n + 1) % per_payout == 0:
                payouts.append(world.croco.create_payout(DEMO_LOCATION, provider="stripe"))
        before = _writes(world)
        started = time.perf_counter()
        result = _sync()
        out["payments"] = time.perf_counter() - started
        assert result.exit_code == 0, result.summary()
        out["payment writes"] = _writes(world) - before
        for payout in payouts:
            world.croco.set_payout_status(DEMO_LOCATION, payout["id"], "paid")
        before = _writes(world)
        started = time.perf_counter()
        result = _sync()
        out["payouts"] = time.perf_counter() - started
        assert result.exit_code == 0, result.summary()
        out["payout writes"] = _writes(world) - before
        if mode == "clearing":
            from crocoqb_desktop.app.connection import QboConnection
            from crocoqb_desktop.app.context import AppContext
            from crocoqb_desktop.app.payouts import payouts_report

            ctx = AppContext.open()
            client = QboConnection(ctx.settings, ctx.store).client()
            started = time.perf_counter()
            report = payouts_report(ctx.settings, ctx.store, client)
            out["report"] = time.perf_counter() - started
            assert report.clearing and not report.drifting, report.clearing
            ctx.store.close()
        return out
    finally:
        world.stop()
        from crocoqb_desktop import keychain

        for name in (keychain.CROCO_API_KEY, keychain.QBO_REFRESH_TOKEN, keychain.QBO_REALM_ID):
            keychain.delete_secret(name)


def main() -> int:
    os.environ["CROCOQB_KEYRING_SERVICE"] = "CrocoQB-bench"
    off, clearing = run("off"), run("clearing")
    print(f"workload: {PAYMENTS} card payments with fees, {PAYOUTS} payouts, sandboxes {TIME_SCALE:g}x compressed")
    print(f"payments, off: {off['payments']:.2f} s, {off['payment writes']:.0f} QuickBooks writes")
    print(f"payments, clearing: {clearing['payments']:.2f} s, {clearing['payment writes']:.0f} QuickBooks writes "
          f"({clearing['payments'] / off['payments']:.2f}x the time of off)")
    print(f"payouts booked, clearing: {clearing['payouts']:.2f} s, {clearing['payout writes']:.0f} writes "
          f"(off: {off['payout writes']:.0f} writes)")
    print(f"payouts report with the clearing check: {clearing['report'] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
