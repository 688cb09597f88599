"""Twenty profiles syncing together in one process (design rule 12).

    .ci/with-keyring .venv/bin/python -m tests.bench --only profiles [--quick]

Twenty businesses (quick: 5), each a profile of one data folder with its own CrocoClick location and
API key and its own QuickBooks company, connected through the real relay flow. The QuickBooks sandbox
(one process, one company per profile, its limits per company as Intuit's) and the CrocoClick sandbox
(one process, one location and key per profile, its limits per key) run outside the app's process, so
the CPU and memory figures are the app's own; both answer after a latency (QBO 300 ms, CrocoClick
150 ms, real-time equivalents) and run TIME_SCALE times faster, with the app's limiters compressed the
same way (as bench_push).

Measured: one profile syncing DOCS new invoices alone (the solo time: bounded by its own company's
limits and the latencies), then all profiles syncing DOCS new invoices each at once in one process
(`ProfileRunner.sync_all_now`: a thread per profile). "No profile waiting for another" = each profile's
time together close to the solo time (ratio ~1 at best),
and every profile started at once. CPU = the app process's CPU time for the run / profiles; memory =
the growth of the app process's resident memory per profile (set up + run).

One interpreter runs every profile, so the run together can never be shorter than the app's total CPU
time for it (the GIL): the bound printed is max(time alone, total CPU time), and "slowest / bound" near 1
means no profile waited for another beyond that. Compressing time makes the run CPU-bound (at 10x, 20
profiles need ~4 s of CPU for a 0.6 s solo run), so the default is 2x, near the services' real latencies.

Environment: CROCOQB_BENCH_TIME_SCALE (default 2),
CROCOQB_BENCH_PROFILES (20), CROCOQB_BENCH_DOCS (20), CROCOQB_BENCH_QUICK.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from tests.bench.child_protocol import serve_commands

QUICK = bool(os.environ.get("CROCOQB_BENCH_QUICK"))
TIME_SCALE = float(os.environ.get("CROCOQB_BENCH_TIME_SCALE", "2"))
PROFILES = int(os.environ.get("CROCOQB_BENCH_PROFILES", "5" if QUICK else "20"))
DOCS = int(os.environ.get("CROCOQB_BENCH_DOCS", "5" if QUICK else "20"))
QBO_LATENCY_S = 0.300
CROCO_LATENCY_S = 0.150
RELAY_CLIENT_ID = "crocoqb-relay-client"
RELAY_CLIENT_SECRET = "relay-secret"  # the sandbox's own relay credentials, not a user secret
ROOT = Path(__file__).resolve().parents[2]


def realm_of(i: int) -> str:
    return f"91303500000{i:05d}"


def location_of(i: int) -> str:
    return f"loc_bench_{i:02d}"


# -- the sandboxes, in child processes -------------------------------------------------------------
class _Sandboxes:
    def __init__(self) -> None:
        self.sandbox: Any = None

    def cmd_start_qbo(self, n: int, time_scale: float, latency_s: float) -> dict[str, str]:
        from crocoqb_desktop.sandbox.qbo_server import QboSandbox

        sandbox = QboSandbox(time_scale=time_scale, refresh_grace_s=24 * 3600)
        sandbox.latency_s = latency_s
        sandbox.start()
        for i in range(n):
            sandbox.add_company(realm_of(i), name=f"Bench Books {i:02d} LLC")
        self.sandbox = sandbox
        return {"api_base": sandbox.api_base, "authorize_url": sandbox.authorize_url,
                "token_url": sandbox.token_url, "revoke_url": sandbox.revoke_url}

    def cmd_register_client(self, redirect_uris: list[str]) -> None:
        self.sandbox.register_client(RELAY_CLIENT_ID, RELAY_CLIENT_SECRET, redirect_uris)

    def cmd_invoices(self, n: int) -> dict[str, list[str]]:
        return {realm_of(i): sorted(str(x.get("DocNumber")) for x in self.sandbox.entities(realm_of(i), "Invoice"))
                for i in range(n)}

    def cmd_start_croco(self, n: int, time_scale: float, latency_s: float, qbo: dict[str, str]) -> dict[str, Any]:
        import secrets

        from crocoqb_desktop.sandbox.croco_server import CrocoSandbox

        class SlowCroco(CrocoSandbox):
            def before_request(self, request: Any) -> Any:
                early = super().before_request(request)
                if early is None and not request.path.startswith("/_sandbox/"):
                    time.sleep(latency_s)
                return early

        sandbox = SlowCroco(time_scale=time_scale, qbo_authorize_url=qbo["authorize_url"],
                            qbo_token_url=qbo["token_url"], qbo_revoke_url=qbo["revoke_url"],
                            qbo_api_base=qbo["api_base"], qbo_client_id=RELAY_CLIENT_ID,
                            qbo_client_secret=RELAY_CLIENT_SECRET)
        sandbox.start()
        keys = []
        for i in range(n):
            sandbox.add_location(location_of(i), name=f"Bench Studio {i:02d}", country="US", currency="USD")
            key = "ck_test_" + secrets.token_urlsafe(24)
            sandbox.add_api_key(key, [location_of(i)])
            keys.append(key)
        self.sandbox = sandbox
        return {"url": sandbox.url, "return_page_url": sandbox.return_page_url, "keys": keys}

    def cmd_seed(self, profiles: list[int], docs: int, tag: str) -> int:
        sb = self.sandbox
        for i in profiles:
            for j in range(docs):
                contact = sb.create_contact(location_of(i), firstName="Client", lastName=f"{tag} {i:02d}-{j:03d}",
                                            email=f"c{tag.lower()}{i}x{j}@example.com")
                sb.create_invoice(location_of(i), contact_id=contact["id"], number=f"P{i:02d}-{tag}{j:03d}",
                                  send=True, items=[{"name": "Coaching session", "quantity": 1,
                                                     "unitPrice": "75.00"}])
        return len(profiles) * docs

    def cmd_cpu(self) -> float:
        return time.process_time()

    def cmd_stop(self) -> None:
        self.sandbox.stop()


def serve() -> None:
    handler = _Sandboxes()
    serve_commands(handler)


class Child:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.bench.bench_profiles", "--serve"], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self._lock = threading.Lock()

    def call(self, cmd: str, **kwargs: Any) -> Any:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        with self._lock:
            self.proc.stdin.write(json.dumps({"cmd": cmd, "kwargs": kwargs}) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        reply = json.loads(line)
        if not reply["ok"]:
            raise RuntimeError(reply["error"])
        return reply["result"]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.call("stop")
            except (RuntimeError, OSError, ValueError):
                pass
            self.proc.wait(10)


# -- the app side ----------------------------------------------------------------------------------
def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_context() -> Any:
    """AppContext whose CrocoClick client has the compressed window (no setting exists for it)."""
    from crocoqb_desktop import keychain
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.croco.client import CrocoClient
    from crocoqb_desktop.settings import Settings
    from crocoqb_desktop.sync.store import StateStore

    class BenchContext(AppContext):
        def croco_client(self) -> CrocoClient:
            super().croco_client()
            return CrocoClient(self.settings.get("croco.api_base"), keychain.get_secret(keychain.CROCO_API_KEY) or "",
                               self.settings.get("croco.location_id"),
                               requests_per_10s=self.settings.get("croco.requests_per_10s"),
                               window_s=10.0 / TIME_SCALE)

    return BenchContext(settings=Settings(), store=StateStore())


def connect_profile(i: int, croco: dict[str, Any]) -> None:
    """Set-up of profile i as a user does it: CrocoClick key, then the relay connect flow choosing
    company i on the consent page."""
    from urllib.parse import urljoin

    import requests

    from crocoqb_desktop.app.connection import QboConnection
    from crocoqb_desktop.app.service import SyncService
    from crocoqb_desktop.sandbox.demo import _FormParser

    ctx = bench_context()
    try:
        settings = ctx.settings
        settings.set("croco.api_base", croco["url"])
        settings.set("qbo.oauth", "relay")
        settings.set("qbo.requests_per_minute", 500)
        settings.set("qbo.batches_per_minute", 40)
        settings.set("qbo.rate_window_s", 60.0 / TIME_SCALE)
        settings.set("qbo.throttle_wait_s", 60.0 / TIME_SCALE)
        settings.set("croco.requests_per_10s", 100)
        ctx.croco_login(croco["keys"][i], location_of(i))
        connection = QboConnection(ctx.settings, ctx.store)
        pending = connection.begin_authorization()

        def browse() -> None:
            session = requests.Session()
            page = session.get(pending.url, timeout=30)
            parser = _FormParser()
            parser.feed(page.text)
            form = parser.forms[0]
            data = dict(form["fields"], realmId=realm_of(i))
            button = next((b for b in form["buttons"]
                           if any(w in (b[0] + b[1]).lower() for w in ("accept", "connect", "allow"))), None)
            if button and button[0]:
                data[button[0]] = button[1]
            session.post(urljoin(page.url, form["action"] or page.url), data=data, timeout=30)

        def browse_or_say() -> None:
            try:
                browse()
            except Exception:
                traceback.print_exc()

        threading.Thread(target=browse_or_say, daemon=True).start()
        result = connection.complete(pending, timeout_s=60)
        assert result["realm_id"] == realm_of(i), result
        SyncService(ctx).after_connect()
    finally:
        ctx.store.close()


def main() -> int:
    from crocoqb_desktop import keychain, paths, profiles
    from crocoqb_desktop.app.profile_runner import ProfileRunner

    home = Path(tempfile.mkdtemp(prefix="crocoqb-bench-profiles-"))
    os.environ["CROCOQB_HOME"] = str(home)
    os.environ["CROCOQB_KEYRING_SERVICE"] = f"CrocoQB-bench-{os.getpid()}"
    qbo, croco_proc = Child(), Child()
    names = [f"shop-{i:02d}" for i in range(PROFILES)]
    runner = None
    try:
        urls = qbo.call("start_qbo", n=PROFILES, time_scale=TIME_SCALE, latency_s=QBO_LATENCY_S / TIME_SCALE)
        croco = croco_proc.call("start_croco", n=PROFILES, time_scale=TIME_SCALE,
                                latency_s=CROCO_LATENCY_S / TIME_SCALE, qbo=urls)
        qbo.call("register_client", redirect_uris=[croco["return_page_url"]])
        rss_base = rss_mb()
        for i, name in enumerate(names):
            profiles.add(home, name)
            with paths.profile_scope(name):
                connect_profile(i, croco)
        runner = ProfileRunner(names, context_factory=bench_context)
        first = runner.sync_all_now()  # activation, nothing to push yet
        assert all(r and r.result and r.result.exit_code == 0 for r in first.values()), first

        croco_proc.call("seed", profiles=[0], docs=DOCS, tag="A")
        time.sleep(60.0 / TIME_SCALE * 1.05)  # the services' windows start empty
        solo = runner.workers[names[0]].run("manual")
        assert solo and solo.result and solo.result.exit_code == 0 and solo.result.created >= DOCS
        solo_s = solo.ended - solo.started

        croco_proc.call("seed", profiles=list(range(PROFILES)), docs=DOCS, tag="B")
        time.sleep(60.0 / TIME_SCALE * 1.05)
        sandbox_cpu0 = qbo.call("cpu") + croco_proc.call("cpu")
        cpu0, t0 = time.process_time(), time.monotonic()
        together = runner.sync_all_now()
        wall, cpu = time.monotonic() - t0, time.process_time() - cpu0
        sandbox_cpu = qbo.call("cpu") + croco_proc.call("cpu") - sandbox_cpu0
        rss_after = rss_mb()
        invoices = qbo.call("invoices", n=PROFILES)
    finally:
        if runner is not None:
            runner.stop()
        for name in names:
            if (home / "profiles" / name / profiles.PROFILE_FILE).exists():
                service = profiles.keychain_service(home, name)
                for secret in profiles.SECRET_NAMES:
                    keychain.delete_secret(secret, service=service)
        qbo.close()
        croco_proc.close()
    records = [together[n] for n in names]
    failed = [n for n, r in zip(names, records, strict=True) if not (r and r.result and r.result.exit_code == 0)]
    if failed:
        print(f"profiles that failed: {failed}", file=sys.stderr)
        return 1
    for i in range(PROFILES):  # each company got exactly its own profile's invoices
        expected = sorted([f"P{i:02d}-B{j:03d}" for j in range(DOCS)] + ([f"P00-A{j:03d}" for j in range(DOCS)]
                                                                          if i == 0 else []))
        assert invoices[realm_of(i)] == expected, (i, invoices[realm_of(i)][:5])
    durations = [r.ended - r.started for r in records if r]
    starts = [r.started for r in records if r]
    print(f"time scale (compressed): {TIME_SCALE:g}x; latency QBO {QBO_LATENCY_S * 1000:.0f} ms, "
          f"CrocoClick {CROCO_LATENCY_S * 1000:.0f} ms (real-time equivalent)")
    print(f"profiles syncing together in one process: {PROFILES} ({DOCS} new invoices + customers each)")
    print(f"one profile alone: {solo_s:.2f} s real")
    print(f"together: wall {wall:.2f} s real; per profile median {statistics.median(durations):.2f} s, "
          f"slowest {max(durations):.2f} s")
    print(f"per profile together / alone: median {statistics.median(durations) / solo_s:.2f}, "
          f"slowest {max(durations) / solo_s:.2f}")
    bound = max(solo_s, cpu)
    print(f"bound for one interpreter, max(alone, total CPU): {bound:.2f} s; slowest / bound: "
          f"{max(durations) / bound:.2f}")
    print(f"start spread (first to last profile starting): {(max(starts) - min(starts)) * 1000:.0f} ms")
    print(f"CPU time per profile (app process): {cpu / PROFILES:.2f} s ({cpu / wall * 100:.0f} % of one core "
          f"for all {PROFILES})")
    print(f"CPU time per invoice: {cpu / (PROFILES * DOCS) * 1000:.1f} ms")
    print(f"resident memory per profile (app process, set-up + run): {(rss_after - rss_base) / PROFILES:.1f} MB "
          f"({rss_base:.0f} MB before the profiles, {rss_after:.0f} MB after)")
    print(f"sandboxes' CPU during the run (their two processes): {sandbox_cpu:.2f} s ({sandbox_cpu / wall * 100:.0f} % "
          "of one core: near 100 % the sandboxes, not the app, set the pace)")
    print(f"companies written only by their own profile: {PROFILES}/{PROFILES}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--serve":
        serve()
        raise SystemExit(0)
    raise SystemExit(main())
