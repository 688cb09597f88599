"""Push throughput against the rate-limit bound: one `sync --once` cycle that sends 1,000 invoices for
1,000 new customers plus 1,000 payments (sales receipts) to QuickBooks (quick: 100 + 100 + 100).

    .ci/with-keyring .venv/bin/python -m tests.bench --only push [--quick]

Both sandboxes run in their own processes (so the figures of CPU and memory are the app's only) and
enforce the real services' limits, time-compressed by TIME_SCALE: QuickBooks 500 requests/min per realm,
10 in flight, 40 batches/min; CrocoClick 100 requests per 10 s. The app's limiters are compressed the
same way through the settings (`qbo.rate_window_s` = 60 / TIME_SCALE, the limits themselves unchanged);
the CrocoClick client gets its window (10 / TIME_SCALE) from the bench's AppContext, as no setting exists
for it. Each sandbox also answers after a latency (QBO 300 ms, CrocoClick 150 ms in real time, compressed
the same way), so that a client that waits for one answer before sending the next request pays for it as
it would against the real services.

The bound: QuickBooks' 500 requests per minute. The goal is achieved QBO requests per compressed minute
/ 500 >= 0.8. Records per compressed minute are printed too, against the records-per-minute the
requests-per-record of this run would allow at 500/min, and against the CrocoClick bound (600/min).

Why 20x: the app, the QBO sandbox and the CrocoClick sandbox are three Python processes; at 30x and more
they need more than the two cores of a CI machine, and the ratio then measures the machine (at 30x the
app alone needs ~0.8 core for 500 requests per compressed minute), not the app's use of the rate.

Environment: CROCOQB_BENCH_TIME_SCALE (default 20), CROCOQB_BENCH_QBO_LATENCY_MS (300),
CROCOQB_BENCH_CROCO_LATENCY_MS (150), CROCOQB_BENCH_QUICK.

This module also holds the helpers of bench_import (sandbox processes, the bench world).
"""

from __future__ import annotations

import json
import os
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.bench.child_protocol import serve_commands

QUICK = bool(os.environ.get("CROCOQB_BENCH_QUICK"))
TIME_SCALE = float(os.environ.get("CROCOQB_BENCH_TIME_SCALE", "20"))
QBO_LATENCY_S = float(os.environ.get("CROCOQB_BENCH_QBO_LATENCY_MS", "300")) / 1000.0
CROCO_LATENCY_S = float(os.environ.get("CROCOQB_BENCH_CROCO_LATENCY_MS", "150")) / 1000.0
N = 100 if QUICK else 1000

QBO_PER_MINUTE = 500
CROCO_PER_10S = 100
REALM = "9130350000000042"
LOCATION = "loc_bench"
RELAY_CLIENT_ID = "crocoqb-relay-client"
RELAY_CLIENT_SECRET = "relay-secret"  # the sandbox's own relay credentials, not a user secret

ROOT = Path(__file__).resolve().parents[2]


# ================================================================================================
# The sandbox side (runs in a child process: `python -m tests.bench.bench_push --serve qbo|croco`)
# ================================================================================================
class _Timed:
    """Mixin: every API request is timed (monotonic clock, comparable across processes on one host)."""

    timing: list[tuple[float, float, int, str, str, str]]

    def _api_path(self, path: str) -> bool:
        raise NotImplementedError

    def dispatch(self, request: Any) -> Any:
        method, path = request.method, request.path
        query = request.query.get("query", "")
        started = time.monotonic()
        response = super().dispatch(request)  # type: ignore[misc]
        if self._api_path(path):
            self.timing.append((started, time.monotonic(), response.status, method, path, query))
        return response


def _qbo_kind(method: str, path: str, query: str) -> str:
    tail = path.split("/v3/company/", 1)[-1].split("/", 1)[-1]
    if tail.startswith("query"):
        m = re.search(r"(?i)\bfrom\s+(\w+)", query)
        what = m.group(1) if m else "?"
        if re.search(r"(?i)count\(\*\)", query):
            return f"count {what}"
        return f"query {what}" + (" (by email)" if "PrimaryEmailAddr" in query else "")
    parts = tail.split("/")
    if method == "GET" and len(parts) == 2:
        return f"read {parts[0]}"
    return f"{method} {parts[0]}"


def _croco_kind(method: str, path: str, query: str) -> str:
    path = re.sub(r"^/v1", "", path)
    path = re.sub(r"/(con|inv|pay|evt|rev)_[A-Za-z0-9]+", r"/{\1}", path)
    return f"{method} {path}"


def _summary(timing: list[tuple[float, float, int, str, str, str]], since: float, kind_of: Any,
             window_real_s: float, minute_real_s: float) -> dict[str, Any]:
    rows = [t for t in timing if t[0] >= since]
    if not rows:
        return {"requests": 0}
    kinds = Counter(kind_of(m, p, q) for _, _, _, m, p, q in rows)
    statuses = Counter(s for _, _, s, _, _, _ in rows)
    first, last = min(r[0] for r in rows), max(r[1] for r in rows)
    # time with no request in flight (idle) and the largest such gap
    idle = 0.0
    biggest = 0.0
    busy_until = first
    in_flight_time = 0.0
    for start, end, *_ in sorted(rows):
        if start > busy_until:
            gap = start - busy_until
            idle += gap
            biggest = max(biggest, gap)
        busy_until = max(busy_until, end)
        in_flight_time += end - start
    # the most requests seen in any one compressed window (the service's limit applies to that)
    starts = sorted(r[0] for r in rows)
    peak = 0
    j = 0
    for i, s in enumerate(starts):
        while s - starts[j] >= window_real_s:
            j += 1
        peak = max(peak, i - j + 1)
    # requests started in each compressed minute, from the first one
    timeline = Counter(int((r[0] - first) // minute_real_s) for r in rows)
    return {
        "requests": len(rows),
        "timeline": [timeline.get(i, 0) for i in range(max(timeline) + 1)],
        "first": first,
        "last": last,
        "statuses": dict(statuses),
        "server_ms": {k: round(sum(e - st for st, e, _, m, p, q in rows if kind_of(m, p, q) == k) / n * 1000, 1)
                      for k, n in kinds.most_common(6)},
        "throttled_kinds": dict(Counter(kind_of(m, p, q) for _, _, s, m, p, q in rows if s == 429)),
        "kinds": dict(kinds.most_common()),
        "idle_s": idle,
        "largest_idle_gap_s": biggest,
        "mean_in_flight": in_flight_time / max(1e-9, last - first),
        "peak_per_window": peak,
    }


class _QboRole:
    def __init__(self) -> None:
        self.sandbox: Any = None

    def cmd_start(self, time_scale: float, latency_s: float, preset: str = "us") -> dict[str, Any]:
        from crocoqb_desktop.sandbox.qbo_server import QboSandbox

        class TimedQbo(_Timed, QboSandbox):
            def _api_path(self, path: str) -> bool:
                return path.startswith("/v3/")

        self.time_scale = time_scale
        sandbox = TimedQbo(time_scale=time_scale)
        sandbox.timing = []
        sandbox.latency_s = latency_s
        sandbox.start()
        sandbox.add_company(REALM, preset=preset, name="Bench Books LLC")
        self.sandbox = sandbox
        return {"api_base": sandbox.api_base, "authorize_url": sandbox.authorize_url,
                "token_url": sandbox.token_url, "revoke_url": sandbox.revoke_url}

    def cmd_register_client(self, client_id: str, secret: str, redirect_uris: list[str]) -> None:
        self.sandbox.register_client(client_id, secret, redirect_uris)

    def cmd_seed_import(self, customers: int, invoices: int, matching_every: int) -> dict[str, Any]:
        """Historical data: customers and invoices last updated long ago (CDC does not see them)."""
        from crocoqb_desktop.sandbox import qbo_data

        sb = self.sandbox
        meta = {"CreateTime": "2024-01-15T10:00:00-08:00", "LastUpdatedTime": "2024-01-15T10:00:00-08:00"}
        # the names are unique by construction: skip the sandbox's O(n) uniqueness scan while seeding
        original = qbo_data.Company._display_name
        qbo_data.Company._display_name = lambda self, entity, obj, oid: str(obj["DisplayName"])  # type: ignore
        try:
            ids = []
            for i in range(customers):
                email = f"Hist.Client{i}@Example.com" if i % matching_every == 0 else f"client{i}@example.com"
                cust = sb.put_entity(REALM, "Customer", {
                    "DisplayName": f"Historic Client {i:05d}", "GivenName": "Historic", "FamilyName": f"Client {i}",
                    "PrimaryEmailAddr": {"Address": email}, "PrimaryPhone": {"FreeFormNumber": "+15555550100"},
                    "BillAddr": {"Line1": f"{i} Main St", "City": "Springfield", "CountrySubDivisionCode": "IL",
                                 "PostalCode": "62701", "Country": "US"},
                    "MetaData": meta})
                ids.append(cust["Id"])
        finally:
            qbo_data.Company._display_name = original  # type: ignore
        item = next(i for i in sb.entities(REALM, "Item") if i.get("Type") == "Service")
        for j in range(invoices):
            amount = 100 + (j % 50)
            sb.put_entity(REALM, "Invoice", {
                "DocNumber": f"H-{j:05d}", "TxnDate": "2024-01-10", "CustomerRef": {"value": ids[j % len(ids)]},
                "Line": [{"Amount": amount, "DetailType": "SalesItemLineDetail",
                          "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": 1, "UnitPrice": amount}},
                         {"Amount": 20, "DetailType": "SalesItemLineDetail", "Description": "Materials",
                          "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": 2, "UnitPrice": 10}}],
                "MetaData": meta})
        return {"customers": customers, "invoices": invoices}

    def cmd_mark(self) -> float:
        self.log_mark = len(self.sandbox.request_log)
        return time.monotonic()

    def cmd_summary(self, since: float) -> dict[str, Any]:
        summary = _summary(list(self.sandbox.timing), since, _qbo_kind, 60.0 / self.time_scale,
                           60.0 / self.time_scale)
        summary["request_log_entries"] = len(self.sandbox.request_log) - self.log_mark
        return summary

    def cmd_check_push(self) -> dict[str, Any]:
        sb = self.sandbox
        customers = sb.entities(REALM, "Customer")
        emails = Counter(str((c.get("PrimaryEmailAddr") or {}).get("Address", "")).strip().casefold()
                         for c in customers)
        notes: dict[str, Counter[str]] = {}
        for entity in ("Invoice", "SalesReceipt"):
            notes[entity] = Counter(str(o.get("PrivateNote", "")) for o in sb.entities(REALM, entity))
        return {
            "customers": len(customers), "max_per_email": max(emails.values(), default=0),
            "invoices": sum(notes["Invoice"].values()), "max_per_invoice_note": max(notes["Invoice"].values(),
                                                                                    default=0),
            "sales_receipts": sum(notes["SalesReceipt"].values()),
            "max_per_receipt_note": max(notes["SalesReceipt"].values(), default=0),
        }

    def cmd_write_window(self, since: float) -> dict[str, float]:
        """From the first API request since `since` to the end of the last write (POST)."""
        rows = [t for t in list(self.sandbox.timing) if t[0] >= since]
        posts = [t[1] for t in rows if t[3] == "POST" and t[2] == 200]
        return {"first": min(t[0] for t in rows), "last_write": max(posts)} if posts else {}

    def cmd_log_position(self) -> int:
        return len(self.sandbox.request_log)

    def cmd_doc_numbers(self, entity: str = "Invoice") -> list[str]:
        return [str(o.get("DocNumber")) for o in self.sandbox.entities(REALM, entity)]

    def cmd_ops_since(self, mark: int) -> dict[str, Any]:
        """Operations of the API requests logged since `mark`: items of each batch, single requests."""
        batches = batched = singles = throttled = 0
        for entry in self.sandbox.request_log[mark:]:
            if entry["status"] == 429:
                throttled += 1
                continue
            if entry["path"].endswith("/batch"):
                batches += 1
                batched += len((entry.get("body") or {}).get("BatchItemRequest") or [])
            else:
                singles += 1
        return {"batches": batches, "batched_ops": batched, "single_ops": singles, "throttled": throttled}

    def cmd_stop(self) -> None:
        self.sandbox.stop()


class _CrocoRole:
    def __init__(self) -> None:
        self.sandbox: Any = None

    def cmd_start(self, time_scale: float, latency_s: float, qbo: dict[str, str]) -> dict[str, Any]:
        from crocoqb_desktop.sandbox.croco_server import CrocoSandbox

        class TimedCroco(_Timed, CrocoSandbox):
            def _api_path(self, path: str) -> bool:
                return not path.startswith("/_sandbox/")

            def before_request(self, request: Any) -> Any:
                early = super().before_request(request)
                if early is None and latency_s and not request.path.startswith("/_sandbox/"):
                    time.sleep(latency_s)
                return early

        self.time_scale = time_scale
        sandbox = TimedCroco(time_scale=time_scale, qbo_authorize_url=qbo["authorize_url"],
                             qbo_token_url=qbo["token_url"], qbo_revoke_url=qbo["revoke_url"],
                             qbo_api_base=qbo["api_base"], qbo_client_id=RELAY_CLIENT_ID,
                             qbo_client_secret=RELAY_CLIENT_SECRET)
        sandbox.timing = []
        sandbox.start()
        api_key = "ck_test_" + secrets.token_urlsafe(24)
        sandbox.add_location(LOCATION, name="Bench Studio", country="US", currency="USD")
        sandbox.add_api_key(api_key, [LOCATION])
        self.sandbox = sandbox
        return {"url": sandbox.url, "return_page_url": sandbox.return_page_url, "api_key": api_key}

    def cmd_seed_push(self, n: int) -> dict[str, Any]:
        """n contacts, each sent one invoice (two lines, one taxed) and paying one order form."""
        sb = self.sandbox
        for i in range(n):
            contact = sb.create_contact(LOCATION, firstName="Client", lastName=f"Number {i:05d}",
                                        email=f"client{i}@example.com")
            sb.create_invoice(LOCATION, contact_id=contact["id"], number=f"B-{i:05d}", send=True, items=[
                {"name": "Coaching session", "quantity": 2, "unitPrice": "75.00",
                 "taxes": [{"name": "Sales tax", "rate": 8.875}]},
                {"name": "Workbook", "quantity": 1, "unitPrice": "19.9900"}])
            sb.record_payment(LOCATION, contact_id=contact["id"], source_type="order_form",
                              source_name="Spring workshop funnel",
                              items=[{"name": "Spring workshop", "quantity": 1, "unitPrice": "149.00"}],
                              method={"type": "card", "brand": "visa", "last4": "4242"})
        return {"contacts": n, "invoices": n, "payments": n}

    def cmd_send_invoice(self, number: str) -> float:
        """One new contact sent one invoice; returns the monotonic time the invoice was committed."""
        sb = self.sandbox
        contact = sb.create_contact(LOCATION, firstName="Live", lastName=number, email=f"{number.lower()}@example.com")
        sb.create_invoice(LOCATION, contact_id=contact["id"], number=number, send=True,
                          items=[{"name": "Coaching session", "quantity": 1, "unitPrice": "75.00"}])
        return time.monotonic()

    def cmd_held_polls(self) -> int:
        return int(self.sandbox.held_polls)

    def cmd_requests_between(self, start: float, end: float) -> dict[str, Any]:
        """API requests answered between two monotonic times, by kind (a held long poll counts when answered,
        as the rate limit counts it)."""
        rows = [t for t in list(self.sandbox.timing) if start <= t[1] < end]
        return {"requests": len(rows), "kinds": dict(Counter(_croco_kind(m, p, q) for _, _, _, m, p, q in rows))}

    def cmd_seed_contacts(self, emails: list[str]) -> int:
        for i, email in enumerate(emails):
            self.sandbox.create_contact(LOCATION, firstName="Known", lastName=f"Contact {i}", email=email)
        return len(emails)

    def cmd_mark(self) -> float:
        return time.monotonic()

    def cmd_summary(self, since: float) -> dict[str, Any]:
        return _summary(list(self.sandbox.timing), since, _croco_kind, 10.0 / self.time_scale,
                        60.0 / self.time_scale)

    def cmd_check_import(self) -> dict[str, Any]:
        contacts = self.sandbox.contacts(LOCATION)
        invoices = self.sandbox.invoices(LOCATION)
        emails = Counter(str(c.get("email") or "").casefold() for c in contacts)
        numbers = Counter(i["number"] for i in invoices)
        linked = sum(1 for c in contacts if (c.get("externalRefs") or {}).get("quickbooks.customer_id"))
        return {"contacts": len(contacts), "max_per_email": max(emails.values(), default=0),
                "linked_contacts": linked, "invoices": len(invoices),
                "imported_invoices": sum(1 for i in invoices if i.get("origin") == "import"),
                "max_per_number": max(numbers.values(), default=0)}

    def cmd_stop(self) -> None:
        self.sandbox.stop()


def serve(role: str) -> None:
    handler: Any = _QboRole() if role == "qbo" else _CrocoRole()
    serve_commands(handler)


# ================================================================================================
# The app side
# ================================================================================================
class SandboxProcess:
    def __init__(self, role: str) -> None:
        self.role = role
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.bench.bench_push", "--serve", role], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self._lock = threading.Lock()

    def call(self, cmd: str, **kwargs: Any) -> Any:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        with self._lock:
            self.proc.stdin.write(json.dumps({"cmd": cmd, "kwargs": kwargs}) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.role} sandbox process died")
        reply = json.loads(line)
        if not reply["ok"]:
            raise RuntimeError(f"{self.role} sandbox: {reply['error']}")
        return reply["result"]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.call("stop")
            except (RuntimeError, OSError, ValueError):
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class BenchWorld:
    """Both sandboxes in child processes, and a CrocoQB data folder connected to them (relay mode,
    through the real connect flow), with the app's limiters compressed like the sandboxes."""

    def __init__(self, time_scale: float = TIME_SCALE, *, qbo_latency_s: float = QBO_LATENCY_S,
                 croco_latency_s: float = CROCO_LATENCY_S) -> None:
        self.time_scale = time_scale
        self.home = Path(tempfile.mkdtemp(prefix="crocoqb-bench-"))
        os.environ["CROCOQB_HOME"] = str(self.home)
        os.environ["CROCOQB_KEYRING_SERVICE"] = f"CrocoQB-bench-{os.getpid()}"
        self.qbo = SandboxProcess("qbo")
        self.croco = SandboxProcess("croco")
        qbo_urls = self.qbo.call("start", time_scale=time_scale, latency_s=qbo_latency_s / time_scale)
        croco = self.croco.call("start", time_scale=time_scale, latency_s=croco_latency_s / time_scale,
                                qbo=qbo_urls)
        self.qbo.call("register_client", client_id=RELAY_CLIENT_ID, secret=RELAY_CLIENT_SECRET,
                      redirect_uris=[croco["return_page_url"]])
        self.api_key = croco["api_key"]
        from crocoqb_desktop.settings import Settings

        settings = Settings()
        settings.set("croco.api_base", croco["url"])
        settings.set("croco.location_id", LOCATION)
        settings.set("qbo.oauth", "relay")
        # the limits stay the real ones; only the length of their "minute" is compressed
        settings.set("qbo.requests_per_minute", QBO_PER_MINUTE)
        settings.set("qbo.batches_per_minute", 40)
        settings.set("qbo.rate_window_s", 60.0 / time_scale)
        settings.set("qbo.throttle_wait_s", 60.0 / time_scale)
        settings.set("croco.requests_per_10s", CROCO_PER_10S)
        ctx = self.context()
        try:
            ctx.croco_login(self.api_key, LOCATION)
        finally:
            ctx.store.close()

    def context(self) -> Any:
        """AppContext whose CrocoClick client has the compressed window (no setting exists for it)."""
        from crocoqb_desktop import keychain
        from crocoqb_desktop.app.context import AppContext
        from crocoqb_desktop.croco.client import CrocoClient

        window = 10.0 / self.time_scale

        class BenchContext(AppContext):
            def croco_client(self, **options: Any) -> CrocoClient:
                super().croco_client()  # the same checks (key, location) as the app's
                return CrocoClient(self.settings.get("croco.api_base"), keychain.get_secret(keychain.CROCO_API_KEY)
                                   or "", self.settings.get("croco.location_id"),
                                   requests_per_10s=self.settings.get("croco.requests_per_10s"), window_s=window,
                                   **options)

        return BenchContext.open()

    def connect(self) -> None:
        from crocoqb_desktop.sandbox.demo import connect_world

        connect_world()

    def sync(self) -> tuple[Any, float, float]:
        """One `sync --once` cycle: (result, wall seconds, CPU seconds of this process)."""
        from crocoqb_desktop.app.service import SyncService

        ctx = self.context()
        try:
            cpu0, t0 = time.process_time(), time.monotonic()
            result = SyncService(ctx).sync_once()
            return result, time.monotonic() - t0, time.process_time() - cpu0
        finally:
            ctx.store.close()

    def settle(self) -> None:
        """Wait one compressed minute: both services' windows start empty."""
        time.sleep(60.0 / self.time_scale * 1.05)

    def close(self) -> None:
        from crocoqb_desktop import keychain

        for name in (keychain.CROCO_API_KEY, keychain.QBO_REFRESH_TOKEN, keychain.QBO_REALM_ID):
            try:
                keychain.delete_secret(name)
            except Exception:
                pass
        self.qbo.close()
        self.croco.close()


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_kinds(prefix: str, summary: dict[str, Any], per_record: float) -> None:
    kinds = summary.get("kinds") or {}
    text = ", ".join(f"{k} {v}" for k, v in kinds.items())
    print(f"{prefix} requests by kind: {text}")
    print(f"{prefix} requests per record: {summary.get('requests', 0) / per_record:.2f}")


def main() -> int:
    world = BenchWorld()
    try:
        world.connect()
        first, _, _ = world.sync()  # activation (nothing to import), like a user's first sync
        assert first.exit_code == 0, first.summary()
        world.croco.call("seed_push", n=N)
        from crocoqb_desktop.settings import Settings

        # single requests only: this bench measures that path against 500/min (bench_catchup the batches)
        Settings().set("qbo.batch_size", 1)
        world.settle()
        qbo_mark = world.qbo.call("mark")
        croco_mark = world.croco.call("mark")
        result, wall, cpu = world.sync()
        qbo = world.qbo.call("summary", since=qbo_mark)
        croco = world.croco.call("summary", since=croco_mark)
        check = world.qbo.call("check_push")
    finally:
        world.close()
    if result.exit_code != 0:
        print(result.summary(), file=sys.stderr)
        return 1
    assert check["customers"] == N and check["max_per_email"] == 1, check
    assert check["invoices"] == N and check["max_per_invoice_note"] == 1, check
    assert check["sales_receipts"] == N and check["max_per_receipt_note"] == 1, check

    records = 2 * N  # outbox items: N invoices + N payments (their N customers come with them)
    objects = 3 * N
    minutes = wall * TIME_SCALE / 60.0
    qbo_requests = qbo["requests"]
    qbo_rate = qbo_requests / minutes
    throttled = qbo["statuses"].get("429", 0) + qbo["statuses"].get(429, 0)
    croco_429 = croco["statuses"].get("429", 0) + croco["statuses"].get(429, 0)
    croco_rate = croco["requests"] / minutes
    qbo_per_record = qbo_requests / records
    print(f"time scale (compressed): {TIME_SCALE:g}x; latency QBO {QBO_LATENCY_S * 1000:.0f} ms, "
          f"CrocoClick {CROCO_LATENCY_S * 1000:.0f} ms (real-time equivalent)")
    print(f"records pushed (invoices + payments): {records} ({objects} QBO objects incl. {N} new customers)")
    print(f"wall time: {minutes:.2f} compressed min ({wall:.1f} s real)")
    print(f"QBO requests: {qbo_requests} (request_log {qbo['request_log_entries']})")
    print(f"QBO requests per compressed minute: {qbo_rate:.0f}")
    print(f"QBO requests per minute / 500 bound: {qbo_rate / QBO_PER_MINUTE:.2f}")
    print(f"QBO 429s received: {throttled}")
    print(f"QBO peak requests in one compressed minute: {qbo['peak_per_window']}")
    print(f"QBO mean requests in flight: {qbo['mean_in_flight']:.2f}")
    print(f"QBO idle time (no request in flight): {qbo['idle_s'] / wall * 100:.0f} % of the cycle, "
          f"largest gap {qbo['largest_idle_gap_s'] * TIME_SCALE:.1f} compressed s")
    print(f"QBO requests per compressed minute, minute by minute: {' '.join(map(str, qbo['timeline']))}")
    print_kinds("QBO", qbo, records)
    print(f"records per compressed minute: {records / minutes:.0f}")
    print(f"records per minute / bound at {qbo_per_record:.2f} QBO requests per record "
          f"({QBO_PER_MINUTE / qbo_per_record:.0f}/min): {records / minutes / (QBO_PER_MINUTE / qbo_per_record):.2f}")
    print(f"CrocoClick requests: {croco['requests']} ({croco_rate:.0f} per compressed minute, "
          f"{croco_rate / (CROCO_PER_10S * 6):.2f} of its 600/min bound), 429s: {croco_429} "
          f"{croco['throttled_kinds'] or ''}")
    print_kinds("CrocoClick", croco, records)
    print(f"CPU time per record (app process): {cpu / records * 1000:.2f} ms ({cpu / wall * 100:.0f} % of one core)")
    print(f"peak RSS (app process): {max_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--serve":
        serve(sys.argv[2])
        raise SystemExit(0)
    raise SystemExit(main())
