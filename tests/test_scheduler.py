"""The in-process scheduler: job options, runs, pause/resume, rescheduling, resume-from-sleep catch-up,
and "one sync at a time" shared with Sync now through the engine's lock."""

from __future__ import annotations

import threading
import time

from crocoqb_desktop.app.scheduler import (
    GAP_JOB,
    MISFIRE_GRACE_S,
    POLL_JOB,
    PUSH_JOB,
    SyncScheduler,
)


class Recorder:
    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.lock = threading.Lock()
        self.event = threading.Event()

    def __call__(self, reason: str) -> None:
        with self.lock:
            self.reasons.append(reason)
        self.event.set()

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.reasons) >= count:
                    return True
            time.sleep(0.01)
        return False


def test_jobs_are_created_with_safe_options() -> None:
    scheduler = SyncScheduler(Recorder(), push_interval_s=60, poll_interval_s=300, first_run_delay_s=60)
    scheduler.start()
    try:
        for job_id, interval in ((PUSH_JOB, 60), (POLL_JOB, 300)):
            options = scheduler.job_options(job_id)
            assert options == {"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_S,
                               "interval_s": interval}
        assert scheduler.job_options(GAP_JOB)["interval_s"] == 30
        assert scheduler.next_run_time() is not None
    finally:
        scheduler.shutdown()


def test_push_job_runs_on_schedule_and_pause_stops_it() -> None:
    runs = Recorder()
    scheduler = SyncScheduler(runs, push_interval_s=1, poll_interval_s=3600, first_run_delay_s=0.05)
    scheduler.start()
    try:
        assert runs.wait_for(2, timeout=5), runs.reasons
        assert set(runs.reasons) == {"push"}
        scheduler.pause()
        assert scheduler.paused and scheduler.next_run_time() is None
        time.sleep(0.3)  # a run already started may finish
        count = len(runs.reasons)
        time.sleep(1.6)
        assert len(runs.reasons) == count  # nothing while paused
        scheduler.resume()
        assert runs.wait_for(count + 1, timeout=5)  # the missed run happens once after resuming
    finally:
        scheduler.shutdown()


def test_reschedule_applies_new_intervals() -> None:
    scheduler = SyncScheduler(Recorder(), push_interval_s=60, poll_interval_s=300, first_run_delay_s=60)
    scheduler.start()
    try:
        scheduler.reschedule(push_interval_s=15, poll_interval_s=900)
        assert scheduler.job_options(PUSH_JOB)["interval_s"] == 15
        assert scheduler.job_options(POLL_JOB)["interval_s"] == 900
        assert scheduler.push_interval_s == 15 and scheduler.poll_interval_s == 900
    finally:
        scheduler.shutdown()


def test_wall_clock_gap_triggers_a_catch_up_run() -> None:
    runs = Recorder()
    now = [1_000_000.0]
    resumed: list[float] = []
    scheduler = SyncScheduler(runs, push_interval_s=3600, poll_interval_s=3600, first_run_delay_s=3600,
                              wall_clock=lambda: now[0], on_resume_from_sleep=resumed.append)
    scheduler.start()
    try:
        now[0] += 30  # a normal tick
        assert scheduler.check_wall_clock_gap() is False
        now[0] += 2 * 3600  # the laptop slept two hours
        assert scheduler.check_wall_clock_gap() is True
        assert runs.reasons == ["catch-up"]
        assert resumed == [7200]
        now[0] += 31
        assert scheduler.check_wall_clock_gap() is False
        # paused: the gap is noticed but no sync runs
        scheduler.pause()
        now[0] += 5000
        assert scheduler.check_wall_clock_gap() is True
        assert runs.reasons == ["catch-up"]
    finally:
        scheduler.shutdown()


def test_time_spent_paused_is_not_taken_for_sleep() -> None:
    runs = Recorder()
    now = [1_000.0]
    scheduler = SyncScheduler(runs, push_interval_s=3600, poll_interval_s=3600, first_run_delay_s=3600,
                              wall_clock=lambda: now[0])
    scheduler.start(paused=True)
    try:
        now[0] += 10_000
        scheduler.resume()
        now[0] += 30
        assert scheduler.check_wall_clock_gap() is False
    finally:
        scheduler.shutdown()


def test_a_failing_run_does_not_stop_the_schedule() -> None:
    calls: list[str] = []

    def run(reason: str) -> None:
        calls.append(reason)
        raise RuntimeError("boom")

    scheduler = SyncScheduler(run, push_interval_s=0.5, poll_interval_s=3600, first_run_delay_s=0.05)
    scheduler.start()
    try:
        deadline = time.monotonic() + 5
        while len(calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(calls) >= 2
    finally:
        scheduler.shutdown()


def test_scheduled_run_and_sync_now_share_the_engine_lock(tmp_path) -> None:
    """The engine's run_cycle lock: a second cycle while one runs raises SyncBusy (the GUI shows
    "already syncing"); the scheduler keeps running."""
    from crocoqb_desktop.sync import engine

    entered = threading.Event()
    release = threading.Event()
    outcomes: list[str] = []

    def fake_cycle(*args, **kwargs):
        entered.set()
        release.wait(5)
        return engine.SyncResult()

    original = engine._cycle
    engine._cycle = fake_cycle
    try:
        def run(reason: str) -> None:
            try:
                engine.run_cycle(None, None, None, engine.SyncOptions(), lock_path=tmp_path / "sync.lock")
                outcomes.append(f"{reason}:done")
            except engine.SyncBusy:
                outcomes.append(f"{reason}:busy")

        scheduler = SyncScheduler(run, push_interval_s=3600, poll_interval_s=3600, first_run_delay_s=0.01)
        scheduler.start()
        try:
            assert entered.wait(5)
            run("manual")  # "Sync now" while the scheduled push runs
            release.set()
            deadline = time.monotonic() + 5
            while len(outcomes) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert sorted(outcomes) == ["manual:busy", "push:done"]
        finally:
            scheduler.shutdown()
    finally:
        engine._cycle = original
