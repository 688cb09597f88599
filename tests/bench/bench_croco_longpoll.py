"""Long poll on the CrocoClick sandbox (`GET /events?wait=`): delay from an event's commit to the
client holding the answer, fan-out to many held requests, and stopping the server while requests are held."""

from __future__ import annotations

import os
import statistics
import threading
import time

from crocoqb_desktop.croco.client import CrocoClient
from crocoqb_desktop.sandbox.croco_server import CrocoSandbox

ROUNDS = 20 if os.environ.get("CROCOQB_BENCH_QUICK") else 100
HELD = 50
LOC, KEY = "loc_bench", "ck_test_bench_key_0001"


def _wait_held(sandbox: CrocoSandbox, n: int) -> None:
    while sandbox.held_polls < n:
        time.sleep(0.001)


def main() -> None:
    sandbox = CrocoSandbox()
    sandbox.start()
    sandbox.add_location(LOC, name="Bench")
    sandbox.add_api_key(KEY, [LOC])
    sandbox.burst_limit = 100_000
    client = CrocoClient(sandbox.url, KEY, LOC, requests_per_10s=100_000)
    delays: list[float] = []
    for i in range(ROUNDS):
        head = client.events_head()["cursor"]
        committed: list[float] = []

        def commit(n: int = i, out: list[float] = committed) -> None:
            _wait_held(sandbox, 1)
            out.append(time.perf_counter())
            sandbox.create_contact(LOC, email=f"p{n}@example.com")

        threading.Thread(target=commit, daemon=True).start()
        page = client.list_events(head, wait=30)
        delays.append(time.perf_counter() - committed[0])
        assert len(page["data"]) == 1
    print(f"commit to answer, median of {ROUNDS}: {statistics.median(delays) * 1000:.2f} ms")
    print(f"commit to answer, worst of {ROUNDS}: {max(delays) * 1000:.2f} ms")

    head = client.events_head()["cursor"]
    answered: list[float] = []
    clients = [CrocoClient(sandbox.url, KEY, LOC, requests_per_10s=100_000) for _ in range(HELD)]
    threads = [threading.Thread(target=lambda c=c: (c.list_events(head, wait=30), answered.append(time.perf_counter())))
               for c in clients]
    for t in threads:
        t.start()
    _wait_held(sandbox, HELD)
    started = time.perf_counter()
    sandbox.create_contact(LOC, email="fanout@example.com")
    for t in threads:
        t.join()
    print(f"{HELD} held requests all answered after one commit: {(max(answered) - started) * 1000:.1f} ms")

    head = client.events_head()["cursor"]
    threads = [threading.Thread(target=lambda c=c: c.list_events(head, wait=30), daemon=True) for c in clients]
    for t in threads:
        t.start()
    _wait_held(sandbox, HELD)
    started = time.perf_counter()
    sandbox.stop()
    print(f"stop with {HELD} requests held: {(time.perf_counter() - started) * 1000:.1f} ms")
    for t in threads:
        t.join(10)
    for c in [client, *clients]:
        c.close()


if __name__ == "__main__":
    main()
