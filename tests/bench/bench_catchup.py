"""Batch catch-up (rule 11): a backlog of 1,000 invoices + 1,000 sales receipts (for 1,000 new contacts)
drains in one cycle at time scale 1 (real time) against both sandboxes' real limits and latencies.
Quick: 100 + 100.

    .ci/with-keyring .venv/bin/python -m tests.bench --only catchup [--quick]

The bound is QuickBooks' batch-inclusive one: 40 batches a minute of `qbo.batch_size` (30) operations,
plus the 500 - 40 single requests a minute left, = 1,660 operations a minute (10 requests/s and 10 in
flight allow more than 500 a minute, so they do not bind). An operation is one create or one query
(a batch item or a single request). Goal: QuickBooks operations per minute during the QuickBooks phase
/ 1,660 >= 0.8, and 0 duplicates.

CrocoClick's 100 requests per 10 s (600 a minute) binds first if every QuickBooks id is written back at
once (3 write-backs per contact: 3,000 requests = 5 minutes): the write-backs trail the QuickBooks writes
(queued in the state file) and their own rate is shown against that bound. The contacts the backlog needs
are read 200 per request instead of one by one.
"""

from __future__ import annotations

import os
import sys
import time

from tests.bench.bench_push import BenchWorld

QUICK = bool(os.environ.get("CROCOQB_BENCH_QUICK"))
N = 100 if QUICK else 1000
BATCH_SIZE = 30
BOUND_OPS_PER_MIN = 40 * BATCH_SIZE + (500 - 40)
CROCO_PER_MIN = 600


def main() -> int:
    world = BenchWorld(time_scale=1.0)
    try:
        world.connect()
        first, _, _ = world.sync()  # activation
        assert first.exit_code == 0, first.summary()
        world.croco.call("seed_push", n=N)
        world.settle()  # both services' windows start empty
        qbo_since = world.qbo.call("mark")
        qbo_pos = world.qbo.call("log_position")
        croco_since = world.croco.call("mark")
        result, wall, cpu = world.sync()
        qbo = world.qbo.call("summary", since=qbo_since)
        ops = world.qbo.call("ops_since", mark=qbo_pos)
        writes = world.qbo.call("write_window", since=qbo_since)
        croco = world.croco.call("summary", since=croco_since)
        check = world.qbo.call("check_push")
    finally:
        world.close()
    if result.exit_code != 0:
        print(result.summary(), file=sys.stderr)
        return 1
    duplicates = (check["max_per_email"] - 1) + (check["max_per_invoice_note"] - 1) + \
        (check["max_per_receipt_note"] - 1)
    assert check["customers"] == N and check["invoices"] == N and check["sales_receipts"] == N, check
    # the QuickBooks phase: from the first request of the cycle to the end of its last write (the change
    # check at the end of the cycle comes after the trailing write-backs)
    qbo_minutes = (writes["last_write"] - writes["first"]) / 60.0
    total_ops = ops["batched_ops"] + ops["single_ops"]
    ops_rate = total_ops / qbo_minutes
    croco_minutes = (croco["last"] - croco["first"]) / 60.0
    trail_s = max(0.0, croco["last"] - writes["last_write"])
    print(f"backlog: {N} invoices + {N} sales receipts for {N} new contacts (time scale 1)")
    print(f"cycle wall time: {wall:.1f} s (CPU of the app {cpu:.1f} s)")
    print(f"QuickBooks phase (first request to last write): {qbo_minutes * 60:.1f} s, {qbo['requests']} requests "
          f"({ops['batches']} batches holding {ops['batched_ops']} operations, {ops['single_ops']} single)")
    print(f"QuickBooks operations per minute: {ops_rate:.0f}")
    print(f"throughput / batch-inclusive bound ({BOUND_OPS_PER_MIN}/min): {ops_rate / BOUND_OPS_PER_MIN:.2f} "
          f"(goal >= 0.8)")
    print(f"documents (invoices + receipts) per minute in the QuickBooks phase: {2 * N / qbo_minutes:.0f}")
    print(f"QuickBooks 429s: {ops['throttled']}; peak requests in one minute: {qbo['peak_per_window']}")
    print(f"duplicates: {duplicates}")
    croco_rate = croco["requests"] / croco_minutes if croco_minutes else 0.0
    print(f"CrocoClick: {croco['requests']} requests over {croco_minutes * 60:.1f} s = {croco_rate:.0f}/min, "
          f"{croco_rate / CROCO_PER_MIN:.2f} of its {CROCO_PER_MIN}/min bound; 429s: "
          f"{croco['statuses'].get('429', 0) + croco['statuses'].get(429, 0)}")
    kinds = ", ".join(f"{k} {v}" for k, v in croco["kinds"].items())
    print(f"CrocoClick requests by kind: {kinds}")
    print(f"write-backs trailing the last QuickBooks request by: {trail_s:.1f} s")
    return 0 if duplicates == 0 else 1


if __name__ == "__main__":
    started = time.monotonic()
    raise SystemExit(main())
