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
