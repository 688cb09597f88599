"""kill -9 of a real `crocoqb sync --once` process at random points, then a rerun: nothing is
created twice and nothing is lost. CROCOQB_LONG_TESTS=1 runs the long version (50+ kills)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from crocoqb_desktop.sync.mapping import normalise_email
from tests.plugins.world_fixtures import qbo_api

LONG = os.environ.get("CROCOQB_LONG_TESTS") == "1"


def _start_sync(home: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CROCOQB_HOME=str(home), CROCOQB_KEYRING_SERVICE="CrocoQB-test")
    return subprocess.Popen([sys.executable, "-m", "crocoqb_desktop", "sync", "--once"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_runs(home: Path, kills: int, window: tuple[float, float], seed: int) -> int:
    rng = random.Random(seed)
    killed = 0
    for _ in range(kills):
        proc = _start_sync(home)
        time.sleep(rng.uniform(*window))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(30)
    return killed


def _finish(home: Path) -> int:
    env = dict(os.environ, CROCOQB_HOME=str(home), CROCOQB_KEYRING_SERVICE="CrocoQB-test")
    out = subprocess.run([sys.executable, "-m", "crocoqb_desktop", "sync", "--once"], env=env,
                         capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        print(out.stdout, out.stderr)
        log = subprocess.run([sys.executable, "-m", "crocoqb_desktop", "log", "--level", "WARNING"], env=env,
                             capture_output=True, text=True, timeout=60)
        print(log.stdout[-5000:])
    return out.returncode


def test_kill9_during_a_200_invoice_push_creates_each_object_once(world, data_home: Path) -> None:
    n = 200
    contacts = [world.contact(f"Client{i}", "Crash", f"crash{i}@example.com") for i in range(n)]
    for i, c in enumerate(contacts):
        world.croco.create_invoice(world.loc, contact_id=c["id"], number=f"K-{i:04d}", send=True,
                                   items=[{"name": "Service", "quantity": 1, "unitPrice": f"{10 + i}.00"}])
        if i % 4 == 0:
            world.croco.record_payment(world.loc, contact_id=c["id"], source_type="order_form",
                                       items=[{"name": "Extra", "quantity": 1, "unitPrice": "5.00"}],
                                       method={"type": "card", "brand": "visa", "last4": "1111"})
    kills = 50 if LONG else 8
    killed = _kill_runs(data_home, kills, (0.4, 3.0), seed=1234)
    assert killed >= 1
    assert _finish(data_home) == 0
    customers = world.qbo_objects("Customer")
    emails = Counter(normalise_email((c.get("PrimaryEmailAddr") or {}).get("Address")) for c in customers)
    assert len(customers) == n and max(emails.values()) == 1
    invoices = world.qbo_objects("Invoice")
    numbers = Counter(i.get("PrivateNote", "").split()[1] if i.get("PrivateNote") else i["Id"] for i in invoices)
    assert len(invoices) == n, f"{len(invoices)} invoices after {killed} kills"
    assert max(numbers.values()) == 1
    assert len(world.qbo_objects("SalesReceipt")) == n // 4


def test_kill9_during_the_import_of_2000_customers_imports_each_once(world_unconnected, data_home: Path) -> None:
    w = world_unconnected
    for i in range(2000):
        w.qbo.put_entity(w.realm, "Customer", {"DisplayName": f"Imported {i:04d}",
                                               "PrimaryEmailAddr": {"Address": f"imp{i}@example.com"}})
    from crocoqb_desktop.sandbox.demo import connect_world

    connect_world()
    kills = 20 if LONG else 5
    killed = _kill_runs(data_home, kills, (0.5, 4.0), seed=99)
    assert killed >= 1
    assert _finish(data_home) == 0
    contacts = w.croco.contacts(w.loc)
    emails = Counter(c["email"] for c in contacts)
    assert len(contacts) == 2000 and max(emails.values()) == 1


def _open_problems() -> list:
    from crocoqb_desktop.sync import problems
    from crocoqb_desktop.sync.store import StateStore

    store = StateStore()
    try:
        return problems.list_problems(store)
    finally:
        store.close()


def test_kill9_during_resolve_and_its_sync_loses_nothing_and_creates_nothing_twice(world, data_home: Path) -> None:
    """Problems of two kinds (customers merged away with no email match, invoices deleted in QuickBooks) are
    answered with `crocoqb resolve ... resend`, each process killed at a random point (while it applies the
    answer or during the sync it runs), then answered again until none is left: every invoice is in QuickBooks
    exactly once, every contact has exactly one active customer, no problem is left or lost."""
    n = 10
    contacts = [world.contact(f"Client{i}", "Merged", f"merged{i}@example.com") for i in range(n)]
    firsts = [world.croco.create_invoice(world.loc, contact_id=c["id"], number=f"A-{i:03d}", send=True,
                                         items=[{"name": "Service", "quantity": 1, "unitPrice": f"{20 + i}.00"}])
              for i, c in enumerate(contacts)]
    assert world.sync().exit_code == 0
    holding = world.qbo.put_entity(world.realm, "Customer", {"DisplayName": "Holding Co",
                                                             "PrimaryEmailAddr": {"Address": "ap@holding.example"}})
    for customer in [c for c in world.qbo_objects("Customer") if c["Id"] != holding["Id"]]:
        world.qbo.merge_customers(world.realm, customer["Id"], holding["Id"])
    for inv in firsts[: n // 2]:
        [doc] = [d for d in world.qbo_objects("Invoice") if inv["id"] in str(d.get("PrivateNote"))]
        qbo_api(world, "POST", "invoice?operation=delete", {"Id": doc["Id"], "SyncToken": doc["SyncToken"]})
        world.croco.update_invoice(world.loc, inv["id"], memo="changed after the deletion")
    seconds = [world.croco.create_invoice(world.loc, contact_id=c["id"], number=f"B-{i:03d}", send=True,
                                          items=[{"name": "Service", "quantity": 2, "unitPrice": "15.00"}])
               for i, c in enumerate(contacts)]
    assert world.sync().exit_code == 1
    assert len(_open_problems()) == n + n // 2
    env = dict(os.environ, CROCOQB_HOME=str(data_home), CROCOQB_KEYRING_SERVICE="CrocoQB-test")
    rng = random.Random(4711)
    killed = 0
    for problem in _open_problems():
        proc = subprocess.Popen([sys.executable, "-m", "crocoqb_desktop", "resolve", problem.croco_id, "resend"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(30)
    assert killed >= 1
    for _ in range(4):  # answer what is left (a killed answer may not have been applied), then sync
        for problem in _open_problems():
            subprocess.run([sys.executable, "-m", "crocoqb_desktop", "resolve", problem.croco_id, "resend"],
                           env=env, capture_output=True, timeout=120)
        if not _open_problems():
            break
    assert _finish(data_home) == 0
    assert _open_problems() == []
    live = world.qbo_objects("Invoice")
    markers = Counter(i.get("PrivateNote", "").split()[1] for i in live)
    assert sorted(markers) == sorted(inv["id"] for inv in firsts + seconds), f"after {killed} kills"
    assert max(markers.values()) == 1
    active = [c for c in world.qbo_objects("Customer") if c.get("Active", True)]
    emails = Counter(normalise_email((c.get("PrimaryEmailAddr") or {}).get("Address")) for c in active)
    assert len(active) == n + 1 and max(emails.values()) == 1
