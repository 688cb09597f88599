"""Seconds, not minutes (rule 11): `crocoqb run` as a real process, real time (time scale 1), both
sandboxes in their own processes with their real limits and latencies (QBO 300 ms, CrocoClick 150 ms).

    .ci/with-keyring .venv/bin/python -m tests.bench --only live [--quick]

- CrocoClick requests per idle minute while `run` waits (goal: no more than 3): the held long poll
  (`GET /events?wait=25`) is answered empty every 25 s; the QuickBooks change check (CDC, every
  `sync.poll_interval_s` = 60 s) does not read the feed while the long poll is live.
- Event -> QuickBooks latency: 20 invoices (quick: 5), each for a new contact, sent 3 s apart; from the
  commit of the invoice in CrocoClick to its appearance in QuickBooks (polled every 50 ms): p50, p95,
  max (goal: p95 under 5 s; the anchors are "up to 5 minutes" and Zapier's 1-15 minutes).
- `run` stops on SIGTERM with exit code 0.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import threading
import time

from tests.bench.bench_push import BenchWorld

QUICK = bool(os.environ.get("CROCOQB_BENCH_QUICK"))
INVOICES = 5 if QUICK else 20
GAP_S = 3.0
IDLE_S = 60.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    world = BenchWorld(time_scale=1.0)
    proc: subprocess.Popen[str] | None = None
    try:
        world.connect()
        first, _, _ = world.sync()
        assert first.exit_code == 0, first.summary()
        env = dict(os.environ)
        proc = subprocess.Popen([sys.executable, "-m", "crocoqb_desktop", "run"], env=env, text=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while world.croco.call("held_polls") < 1:  # the first cycle is over and the long poll is held
            assert time.monotonic() < deadline and proc.poll() is None, "crocoqb run did not start"
            time.sleep(0.1)
        time.sleep(2.0)
        qbo_since = world.qbo.call("mark")
        idle_start = time.monotonic()
        time.sleep(IDLE_S)
        idle = world.croco.call("requests_between", start=idle_start, end=idle_start + IDLE_S)
        qbo_idle = world.qbo.call("summary", since=qbo_since)

        sent: dict[str, float] = {}
        seen: dict[str, float] = {}
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                now = time.monotonic()
                for number in world.qbo.call("doc_numbers"):
                    if number in sent and number not in seen:
                        seen[number] = now
                time.sleep(0.05)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        for i in range(INVOICES):
            number = f"LIVE-{i:03d}"
            sent[number] = world.croco.call("send_invoice", number=number)
            time.sleep(GAP_S)
        deadline = time.monotonic() + 120
        while len(seen) < INVOICES and time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        watcher.join(5)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
        code = proc.returncode
        proc = None
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
        world.close()
    assert len(seen) == INVOICES, f"only {len(seen)} of {INVOICES} invoices reached QuickBooks"
    latencies = [seen[n] - sent[n] for n in sent]
    print(f"invoices sent {GAP_S:g} s apart while crocoqb run runs: {INVOICES}")
    print(f"event -> QuickBooks latency p50: {statistics.median(latencies):.2f} s")
    print(f"event -> QuickBooks latency p95: {_percentile(latencies, 0.95):.2f} s (goal < 5 s)")
    print(f"event -> QuickBooks latency max: {max(latencies):.2f} s")
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(idle["kinds"].items()))
    print(f"CrocoClick requests in one idle minute: {idle['requests']} (goal <= 3; {kinds or 'none'})")
    qbo_kinds = ", ".join(f"{k} {v}" for k, v in (qbo_idle.get("kinds") or {}).items())
    print(f"QuickBooks requests during the idle minute: {qbo_idle.get('requests', 0)} ({qbo_kinds or 'none'})")
    print(f"crocoqb run exit code after SIGTERM: {code}")
    if code != 0:
        print(err[-2000:], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
