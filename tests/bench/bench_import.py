"""Import throughput against the rate-limit bound: the activation sync imports 10,000 QuickBooks customers
and 5,000 QuickBooks invoices ("Import invoices" on) into CrocoClick (quick: 1,000 + 500).

    .ci/with-keyring .venv/bin/python -m tests.bench --only import [--quick]

Same world as bench_push (sandboxes in their own processes, real limits and latencies time-compressed by
CROCOQB_BENCH_TIME_SCALE, with the app's limiters compressed the same way). One customer in ten already
exists in CrocoClick (same email, typed differently): it is linked, not created.

Why 10x by default (push: 20x): the CrocoClick sandbox's own cost per write grows with what it holds (each
write scans every stored idempotency key, each invoice every invoice number, under its global lock): by the
end of 15,000 writes a POST /invoices takes ~70 ms of real time, so at 20x the sandbox, not the app, caps the
invoice phase (~260 of the 600 compressed requests per minute). The line "sandbox time per request" shows it.

The bound: CrocoClick's 100 requests per 10 s (600 per minute). Every imported record needs at least one
CrocoClick write (a new contact, the QuickBooks id written on an existing contact, a new invoice), so at
most 600 records per minute can be imported, whatever the app does; QuickBooks is read a page of 1,000
records per request, so its 500 requests per minute never bind. Printed: records per compressed minute /
600 (the goal is >= 0.8), CrocoClick requests per minute / 600, CPU per record and max RSS of the app's
process, and the peak Python memory (tracemalloc) of a second, identical import at 60x: tracemalloc more
than doubles the app's CPU, which would distort the throughput pass.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from typing import Any

from tests.bench.bench_push import CROCO_LATENCY_S, QBO_LATENCY_S, QUICK, BenchWorld, max_rss_mb, print_kinds

TIME_SCALE = float(os.environ.get("CROCOQB_BENCH_TIME_SCALE", "10"))

CUSTOMERS = 1_000 if QUICK else 10_000
INVOICES = 500 if QUICK else 5_000
MATCHING_EVERY = 10  # one QuickBooks customer in ten already is a CrocoClick contact
CROCO_PER_MINUTE = 600
MEMORY_TIME_SCALE = 60.0  # the memory pass: throughput does not matter there


def run_import(time_scale: float, *, trace: bool) -> dict[str, Any]:
    """One world, seeded; the activation sync (the import), measured. Checks that every record came once."""
    world = BenchWorld(time_scale)
    try:
        t0 = time.monotonic()
        world.qbo.call("seed_import", customers=CUSTOMERS, invoices=INVOICES, matching_every=MATCHING_EVERY)
        # the CrocoClick side of the matching customers: the same address, in another case
        world.croco.call("seed_contacts", emails=[f"hist.client{i}@example.com"
                                                  for i in range(0, CUSTOMERS, MATCHING_EVERY)])
        seeded = time.monotonic() - t0
        from crocoqb_desktop.settings import Settings

        Settings().set("sync.import_invoices", "true")
        world.connect()
        world.settle()
        qbo_mark = world.qbo.call("mark")
        croco_mark = world.croco.call("mark")
        if trace:
            tracemalloc.start()
        result, wall, cpu = world.sync()  # the activation sync: the import
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
        out = {"result": result, "wall": wall, "cpu": cpu, "peak": peak, "seeded": seeded, "rss": max_rss_mb(),
               "qbo": world.qbo.call("summary", since=qbo_mark),
               "croco": world.croco.call("summary", since=croco_mark),
               "check": world.croco.call("check_import")}
    finally:
        world.close()
    if result.exit_code != 0:
        raise SystemExit(f"the import failed: {result.summary()}")
    check = out["check"]
    assert check["contacts"] == CUSTOMERS and check["max_per_email"] == 1, check
    assert check["linked_contacts"] == CUSTOMERS, check
    assert check["imported_invoices"] == INVOICES and check["max_per_number"] == 1, check
    return out


def main() -> int:
    run = run_import(TIME_SCALE, trace=False)  # throughput, CPU, RSS
    memory = run_import(MEMORY_TIME_SCALE, trace=True)  # tracemalloc slows the process: a pass of its own
    croco, qbo, wall, cpu = run["croco"], run["qbo"], run["wall"], run["cpu"]
    records = CUSTOMERS + INVOICES
    minutes = wall * TIME_SCALE / 60.0
    croco_rate = croco["requests"] / minutes
    print(f"time scale (compressed): {TIME_SCALE:g}x (seeding took {run['seeded']:.0f} s real); latency "
          f"CrocoClick {CROCO_LATENCY_S * 1000:.0f} ms, QBO {QBO_LATENCY_S * 1000:.0f} ms (real-time equivalent)")
    print(f"records imported: {records} ({CUSTOMERS} customers, of which {CUSTOMERS // MATCHING_EVERY} linked to "
          f"existing contacts, and {INVOICES} invoices)")
    print(f"wall time: {minutes:.2f} compressed min ({wall:.1f} s real)")
    print(f"records per compressed minute: {records / minutes:.0f}")
    print(f"records per minute / bound (CrocoClick 600 requests/min, >= 1 write per record): "
          f"{records / minutes / CROCO_PER_MINUTE:.2f}")
    print(f"CrocoClick requests: {croco['requests']} ({croco_rate:.0f} per compressed minute, "
          f"{croco_rate / CROCO_PER_MINUTE:.2f} of 600/min), 429s: {croco['statuses'].get('429', 0)}")
    print(f"CrocoClick peak requests in one compressed 10 s: {croco['peak_per_window']}")
    print(f"CrocoClick mean requests in flight: {croco['mean_in_flight']:.2f}")
    print(f"CrocoClick requests per compressed minute, minute by minute: {' '.join(map(str, croco['timeline']))}")
    print_kinds("CrocoClick", croco, records)
    print(f"CrocoClick sandbox time per request, ms real (incl. its {CROCO_LATENCY_S * 1000 / TIME_SCALE:.1f} ms "
          f"latency): {croco['server_ms']}")
    print(f"QBO requests: {qbo['requests']}, 429s: {qbo['statuses'].get('429', 0)}")
    print_kinds("QBO", qbo, records)
    print(f"CPU time per record (app process): {cpu / records * 1000:.2f} ms ({cpu / wall * 100:.0f} % of one core)")
    print(f"peak RSS (app process): {run['rss']:.0f} MB")
    print(f"peak Python memory during the import (tracemalloc, separate pass at {MEMORY_TIME_SCALE:g}x): "
          f"{memory['peak'] / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
