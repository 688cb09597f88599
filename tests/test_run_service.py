"""`crocoqb run`: the headless service as a real process (SIGTERM mid-drain: nothing lost, exit 0), the
lock that keeps the window and `run` from syncing one data folder at once, and the long-poll watcher's
fallback when the server does not hold `GET /events?wait=`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from crocoqb_desktop.app.live import LIVE, POLLING
from crocoqb_desktop.app.service_lock import OWNER_RUN, OWNER_WINDOW, ServiceLock, ServiceLockHeld


def _folder(home: Path) -> Path:
    """The data of profile "default" (rule 12: one folder per profile in the data folder)."""
    return home / "profiles" / "default"


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, CROCOQB_HOME=str(home), CROCOQB_KEYRING_SERVICE="CrocoQB-test")


def _start_run(home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "crocoqb_desktop", "run"], env=_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(predicate, timeout: float, step: float = 0.05) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def _invoice_numbers(world) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(str(i.get("DocNumber")) for i in world.qbo_objects("Invoice"))


def test_sigterm_mid_drain_stops_after_the_records_in_flight_and_loses_nothing(world, data_home: Path) -> None:
    n = 80
    world.qbo.latency_s = 0.15  # a drain that lasts long enough to be interrupted
    proc = _start_run(data_home)
    try:
        assert _wait_for(lambda: (_folder(data_home) / "service.lock").exists(), 30)
        for i in range(n):
            contact = world.contact(f"Term{i}", "Run", f"term{i}@example.com")
            world.croco.create_invoice(world.loc, contact_id=contact["id"], number=f"T-{i:03d}", send=True,
                                       items=[{"name": "Service", "quantity": 1, "unitPrice": f"{10 + i}.00"}])
        assert _wait_for(lambda: len(world.qbo_objects("Invoice")) >= 3, 60), "the service pushed nothing"
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert proc.returncode == 0, out
    assert "Stopped." in out
    assert not (_folder(data_home) / "service.lock").exists()
    sent = len(world.qbo_objects("Invoice"))
    assert sent < n, "the drain was over before SIGTERM: nothing was interrupted"
    # what was not sent waits in the outbox; the next start sends it, each invoice once
    world.qbo.latency_s = 0.0
    finish = subprocess.run([sys.executable, "-m", "crocoqb_desktop", "sync", "--once"], env=_env(data_home),
                            capture_output=True, text=True, timeout=300)
    assert finish.returncode == 0, finish.stdout + finish.stderr
    numbers = _invoice_numbers(world)
    assert len(numbers) == n and max(numbers.values()) == 1


def test_window_and_run_never_sync_one_data_folder_at_once(world, data_home: Path) -> None:
    window = ServiceLock(_folder(data_home), OWNER_WINDOW)
    window.acquire()
    try:
        refused = subprocess.run([sys.executable, "-m", "crocoqb_desktop", "run"], env=_env(data_home),
                                 capture_output=True, text=True, timeout=60)
        assert refused.returncode == 2
        assert "CrocoQB window" in refused.stderr and "already syncing" in refused.stderr
        assert "Quit the CrocoQB window" in refused.stderr  # the fix
    finally:
        window.release()
    proc = _start_run(data_home)
    try:
        assert _wait_for(lambda: (_folder(data_home) / "service.lock").exists(), 30)
        with pytest.raises(ServiceLockHeld) as held:
            ServiceLock(_folder(data_home), OWNER_WINDOW).acquire()
        assert held.value.owner == OWNER_RUN and held.value.pid == proc.pid
        assert "crocoqb run" in held.value.message and "Stop `crocoqb run`" in held.value.fix
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out


def test_a_lock_left_by_a_killed_process_is_taken_over(data_home: Path) -> None:
    _folder(data_home).mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    (_folder(data_home) / "service.lock").write_text(f'{{"owner": "run", "pid": {proc.pid}}}')
    try:
        with pytest.raises(ServiceLockHeld):
            ServiceLock(_folder(data_home), OWNER_WINDOW).acquire()
    finally:
        proc.kill()
        proc.wait(10)
    lock = ServiceLock(_folder(data_home), OWNER_WINDOW)
    lock.acquire()
    assert lock.held
    lock.release()
    assert not (_folder(data_home) / "service.lock").exists()


def test_run_without_a_connection_cannot_run(data_home: Path, keychain_clean: None) -> None:
    out = subprocess.run([sys.executable, "-m", "crocoqb_desktop", "run"], env=_env(data_home),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "croco-login" in out.stderr
    assert not (_folder(data_home) / "service.lock").exists()


def test_events_are_pushed_at_once_through_the_service(world) -> None:  # type: ignore[no-untyped-def]
    """In-process HeadlessService: after the first cycle the watcher holds the feed; an invoice sent
    then reaches QuickBooks without waiting for an interval (5 s minimum here)."""
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.app.headless import HeadlessService

    ctx = AppContext.open()
    ctx.settings.set("sync.push_interval_s", 3600)
    ctx.settings.set("sync.poll_interval_s", 3600)
    service = HeadlessService(ctx)
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(service.serve(install_signals=False)))
    thread.start()
    try:
        watcher = service.scheduler.watcher
        assert watcher is not None
        assert _wait_for(lambda: watcher.stats["requests"] >= 1, 30)
        contact = world.contact("Lia", "Fast", "lia@example.com")
        world.croco.create_invoice(world.loc, contact_id=contact["id"], number="LP-1", send=True,
                                   items=[{"name": "Service", "quantity": 1, "unitPrice": "40.00"}])
        assert _wait_for(lambda: _invoice_numbers(world)["LP-1"] == 1, 20)
        assert watcher.state in (LIVE, POLLING)
    finally:
        service.stop()
        thread.join(60)
        ctx.store.close()
    assert codes == [0]
