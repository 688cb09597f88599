"""Paging 10,000 contacts from the CrocoClick sandbox: records per second and peak memory."""

from __future__ import annotations

import os
import resource
import time
import tracemalloc

from crocoqb_desktop.croco.client import CrocoClient
from crocoqb_desktop.sandbox.croco_server import CrocoSandbox

N = 2_000 if os.environ.get("CROCOQB_BENCH_QUICK") else 10_000


def main() -> None:
    sandbox = CrocoSandbox()
    sandbox.start()
    sandbox.add_location("loc_bench", name="Bench")
    sandbox.add_api_key("ck_test_bench_key_0001", ["loc_bench"])
    for i in range(N):
        sandbox.create_contact("loc_bench", firstName=f"P{i}", email=f"p{i}@example.com")
    client = CrocoClient(sandbox.url, "ck_test_bench_key_0001", "loc_bench")
    tracemalloc.start()
    started = time.perf_counter()
    count = sum(1 for _ in client.list_contacts(limit=200))
    took = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sandbox.stop()
    assert count == N, count
    print(f"contacts paged: {count}")
    print(f"records per second (paging, limit 200): {count / took:,.0f}")
    print(f"peak Python memory while paging: {peak / 1e6:.1f} MB")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
