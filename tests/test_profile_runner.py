"""Every profile on its own schedule in one process (rule 12): the real SyncScheduler per profile
(intervals shortened for the test), two profiles against two pairs of sandboxes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crocoqb_desktop import paths
from crocoqb_desktop.app.profile_runner import ProfileRunner, RunRecord
from crocoqb_desktop.app.scheduler import SyncScheduler
from crocoqb_desktop.errors import ReconnectNeeded
from tests.plugins.profile_fixtures import invoice_numbers, sale
from tests.plugins.world_fixtures import World


def fast_scheduler(run: Callable[[str], Any], **_: Any) -> SyncScheduler:  # interval polling, no long-poll
    return SyncScheduler(run, push_interval_s=0.5, poll_interval_s=1.5, first_run_delay_s=0.0)


def wait_for(condition: Callable[[], bool], what: str, limit_s: float = 90.0) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.1)


def test_each_profile_syncs_on_its_own_schedule_and_a_revoked_one_stops_only_itself(
        two_worlds: dict[str, World]) -> None:
    north, south = two_worlds["north"], two_worlds["south"]
    records: list[RunRecord] = []
    runner = ProfileRunner(["north", "south"], scheduler_factory=fast_scheduler, on_run=records.append)
    try:
        runner.start()
        sale(north, "Nora", "North", "N-1")
        sale(south, "Sam", "South", "S-1")
        wait_for(lambda: invoice_numbers(north) == ["N-1"] and invoice_numbers(south) == ["S-1"], "both pushed")

        # north's grant is revoked in QuickBooks: north stops and waits for its user, south goes on
        north.qbo.revoke_grant(north.realm)
        sale(north, "Ned", "North", "N-2")
        sale(south, "Sue", "South", "S-2")
        wait_for(lambda: runner.workers["north"].status()["quickbooks"]["state"] == "reconnect_needed",
                 "north asks for a reconnect")
        failed = [r for r in records if r.profile == "north" and r.result and r.result.exit_code == 2]
        assert failed and isinstance(failed[-1].result.error, ReconnectNeeded)  # type: ignore[union-attr]
        wait_for(lambda: invoice_numbers(south) == ["S-1", "S-2"], "south keeps syncing")
        sale(south, "Sol", "South", "S-3")
        wait_for(lambda: invoice_numbers(south) == ["S-1", "S-2", "S-3"], "south keeps syncing after")
        assert invoice_numbers(north) == ["N-1"]  # nothing of north went anywhere
        assert "Ned North" not in [c["DisplayName"] for c in south.qbo_objects("Customer")]
        assert runner.workers["south"].status()["quickbooks"]["state"] == "connected"
    finally:
        runner.stop()

    # one sync per profile at a time: each profile's runs never overlap
    for name in ("north", "south"):
        runs = sorted((r for r in records if r.profile == name), key=lambda r: r.started)
        assert len(runs) >= 2
        for before, after in zip(runs, runs[1:], strict=False):
            assert after.started >= before.ended, f"two {name} syncs overlapped"


def test_sync_all_now_runs_the_profiles_side_by_side(two_worlds: dict[str, World]) -> None:
    north, south = two_worlds["north"], two_worlds["south"]
    runner = ProfileRunner(["north", "south"])
    try:
        for i in range(3):
            sale(north, "Nina", f"North{i}", f"N-{i}")
            sale(south, "Sara", f"South{i}", f"S-{i}")
        records = runner.sync_all_now()
        # neither was turned away as "a sync is already running" by the other profile's sync
        assert {n: r and r.result and r.result.exit_code for n, r in records.items()} == {"north": 0, "south": 0}
        assert invoice_numbers(north) == ["N-0", "N-1", "N-2"] and invoice_numbers(south) == ["S-0", "S-1", "S-2"]
        with paths.profile_scope("south"):
            assert paths.data_dir().name == "south"
    finally:
        runner.stop()


# -- `crocoqb run`: every profile, or the one named -----------------------------------------------
def _run(home: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, CROCOQB_HOME=str(home), CROCOQB_KEYRING_SERVICE="CrocoQB-test")
    env.pop("CROCOQB_PROFILE", None)
    return subprocess.Popen([sys.executable, "-m", "crocoqb_desktop", *args, "run"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    return proc.returncode, out


def _lock(home: Path, name: str) -> Path:
    return home / "profiles" / name / "service.lock"


def test_run_serves_every_profile_and_a_named_one_alone(two_worlds: dict[str, World], data_home: Path) -> None:
    north, south = two_worlds["north"], two_worlds["south"]
    proc = _run(data_home)
    try:
        wait_for(lambda: _lock(data_home, "north").exists() and _lock(data_home, "south").exists(),
                 "both profiles served")
        sale(north, "Nora", "North", "N-1")
        sale(south, "Sam", "South", "S-1")
        wait_for(lambda: invoice_numbers(north) == ["N-1"] and invoice_numbers(south) == ["S-1"], "both pushed")
    finally:
        code, out = _stop(proc)
    assert code == 0, out
    assert "profile default does not run" in out  # never set up: reported, the others run
    assert not _lock(data_home, "north").exists() and not _lock(data_home, "south").exists()

    proc = _run(data_home, "--profile", "south")
    try:
        wait_for(lambda: _lock(data_home, "south").exists(), "south served")
        assert not _lock(data_home, "north").exists()  # north is not this process's
        sale(south, "Sue", "South", "S-2")
        wait_for(lambda: invoice_numbers(south) == ["S-1", "S-2"], "south pushed")
    finally:
        code, out = _stop(proc)
    assert code == 0, out
