"""Benchmark of the QuickBooks client against the embedded QBO sandbox (not collected by pytest).

    .ci/with-keyring .venv/bin/python tests/bench/bench_qbo_client.py [--calls N] [--seconds S]

Prints `name: value` lines:
- per-call time of `QboClient.get` vs a bare `requests.get` (new connection each call, as a script would)
  and vs a `requests.Session.get` (keep-alive, the client's own transport), and their ratios;
- calls per minute achieved under the client's limiter against a time-compressed sandbox (the
  sandbox's 500/min window shortened by `time_scale`, the client's window shortened the same way),
  divided by the 500/min bound, plus the number of 429 answers seen (should be 0);
- the same with the limiter configured only through `requests_per_minute` scaled by `time_scale`
  (a 60 s window), which is what the settings alone allow.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from crocoqb_desktop.qbo.client import MINOR_VERSION, QboClient  # noqa: E402
from crocoqb_desktop.sandbox.qbo_server import QboSandbox  # noqa: E402

REALM = "9341452193547812"
CLIENT_ID = "bench-client"
CLIENT_SECRET = "bench-secret-0123456789"


class StaticTokens:
    """Stands in for TokenManager: the bench measures the API client, not the keychain."""

    def __init__(self, token: str) -> None:
        self.token = token

    def access_token(self) -> str:
        return self.token

    def invalidate(self, token: str) -> None:
        pass


def _sandbox(time_scale: float = 1.0, *, unlimited: bool = False) -> tuple[QboSandbox, str]:
    sandbox = QboSandbox(time_scale=time_scale)
    if unlimited:  # the overhead measurement must not hit the sandbox's 500/min
        sandbox.requests_per_minute = 10**9
    sandbox.add_company(REALM, preset="us")
    sandbox.register_client(CLIENT_ID, CLIENT_SECRET, ["http://localhost:9/callback"])
    sandbox.start()
    tokens = sandbox.issue_tokens(CLIENT_ID, REALM)
    return sandbox, tokens["access_token"]


def _timed(fn, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return samples


def overhead(calls: int) -> dict[str, float]:
    sandbox, token = _sandbox(unlimited=True)
    try:
        client = QboClient(sandbox.api_base, REALM, StaticTokens(token), requests_per_minute=100_000,
                           max_concurrency=1)
        customer = client.create("Customer", {"DisplayName": "Bench Customer"}, request_id="bench-create-1")
        cid = customer["Id"]
        url = f"{sandbox.api_base}/v3/company/{REALM}/customer/{cid}"
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        params = {"minorversion": MINOR_VERSION}
        session = requests.Session()

        def bare() -> None:
            r = requests.get(url, headers=headers, params=params, timeout=30)
            r.raise_for_status()
            r.json()

        def kept() -> None:
            r = session.get(url, headers=headers, params=params, timeout=30)
            r.raise_for_status()
            r.json()

        def ours() -> None:
            client.get("Customer", cid)

        for fn in (bare, kept, ours):  # warm up
            _timed(fn, 20)
        rounds: dict[str, list[float]] = {"bare": [], "session": [], "client": []}
        for _ in range(5):  # interleave to share the machine's noise fairly
            rounds["bare"] += _timed(bare, calls // 5)
            rounds["session"] += _timed(kept, calls // 5)
            rounds["client"] += _timed(ours, calls // 5)
        med = {k: statistics.median(v) for k, v in rounds.items()}
        client.close()
        session.close()
        return {
            "requests_get_ms_per_call": med["bare"] * 1000,
            "session_get_ms_per_call": med["session"] * 1000,
            "client_get_ms_per_call": med["client"] * 1000,
            "client_vs_requests_get_ratio": med["client"] / med["bare"],
            "client_vs_session_get_ratio": med["client"] / med["session"],
            "client_overhead_us_per_call_vs_session": (med["client"] - med["session"]) * 1e6,
        }
    finally:
        sandbox.stop()


def throughput(seconds: float, time_scale: float, *, compress_window: bool, threads: int = 10) -> dict[str, float]:
    sandbox, token = _sandbox(time_scale)
    try:
        if compress_window:
            client = QboClient(sandbox.api_base, REALM, StaticTokens(token), requests_per_minute=500,
                               window_s=60.0 / time_scale, throttle_wait_s=60.0 / time_scale)
        else:
            client = QboClient(sandbox.api_base, REALM, StaticTokens(token),
                               requests_per_minute=int(500 * time_scale), throttle_wait_s=60.0 / time_scale)
        cid = client.create("Customer", {"DisplayName": "Bench Throughput"}, request_id="bench-create-2")["Id"]
        time.sleep(60.0 / time_scale)  # start with an empty window on both sides
        client.stats.update({"requests": 0, "throttled": 0, "retries": 0})
        done = [0]
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def worker() -> None:
            while time.monotonic() < stop_at:
                client.get("Customer", cid)
                with lock:
                    done[0] += 1

        start = time.monotonic()
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        elapsed = time.monotonic() - start
        compressed_minutes = elapsed * time_scale / 60.0
        per_minute = done[0] / compressed_minutes
        client.close()
        return {
            "calls": done[0],
            "calls_per_minute": per_minute,
            "ratio_to_500_per_minute": per_minute / 500.0,
            "throttled_429": client.stats["throttled"],
        }
    finally:
        sandbox.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    quick = bool(os.environ.get("CROCOQB_BENCH_QUICK"))
    parser.add_argument("--calls", type=int, default=200 if quick else 1000)
    parser.add_argument("--seconds", type=float, default=4.0 if quick else 10.0)
    parser.add_argument("--time-scale", type=float, default=30.0)
    args = parser.parse_args(argv)

    for name, value in overhead(args.calls).items():
        print(f"{name}: {value:.3f}")
    print(f"time_scale: {args.time_scale:g}")
    for label, compress in (("limiter_window_scaled", True), ("limiter_rpm_scaled", False)):
        for name, value in throughput(args.seconds, args.time_scale, compress_window=compress).items():
            print(f"{label}_{name}: {value:.3f}" if isinstance(value, float) else f"{label}_{name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
