"""Desktop app benchmarks. Prints `name: value` lines.

    .ci/with-keyring .venv/bin/python -m tests.bench.bench_gui      (or: python -m tests.bench --only gui)

1. Main-thread responsiveness during a sync of 1,000 CrocoClick records (500 invoices sent and 500
   order-form payments, for 100 contacts who become QuickBooks customers): a QTimer ticks every 5 ms on the GUI thread while the window (status strip,
   progress bar, log viewer open and polling) runs "Sync now" against both sandboxes; the longest
   gap between ticks, minus the 5 ms period, is the longest stall (target < 50 ms). The sandboxes
   run in a separate process, as the real services would (their threads would otherwise compete
   for this process's GIL).
2. Cold start to the first paint of the main window, and resident memory then, for the app
   (`gui.main.main`) and for a bare PySide6 QMainWindow started the same way (fresh processes with
   compiled bytecode, median of several runs after a warm-up run), and their ratios (target: 1.5 at
   most on both); then, for the app, the time and memory once it is ready (engine loaded in the
   background, first status shown).
With CROCOQB_BENCH_QUICK set: 200 records and 3 start-up runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUICK = bool(os.environ.get("CROCOQB_BENCH_QUICK"))
RECORDS = 200 if QUICK else 1000
START_RUNS = 3 if QUICK else 7
TICK_MS = 5
KEYRING_SERVICE = "CrocoQB-bench"
TIME_SCALE = 60.0  # the sandbox's rate windows last 1 s instead of 60 s; the client is told the same


def _env(home: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               CROCOQB_KEYRING_SERVICE=KEYRING_SERVICE, PYTHONPATH=str(ROOT))
    if home is not None:
        env["CROCOQB_HOME"] = str(home)
    return env


# -- the sandboxes, in their own process ----------------------------------------------------------------
def serve(home: Path, records: int) -> None:
    """Child: both sandboxes, connected, with `records` invoices sent after activation. Prints READY and
    serves until stdin closes."""
    from crocoqb_desktop import keychain
    from crocoqb_desktop.sandbox.demo import connect_world, start_demo_world

    for name in (keychain.CROCO_API_KEY, keychain.QBO_REFRESH_TOKEN, keychain.QBO_REALM_ID):
        keychain.delete_secret(name)
    world = start_demo_world(home, seed=False, time_scale=TIME_SCALE)
    from crocoqb_desktop.settings import Settings

    settings = Settings()
    # the QuickBooks limits: start_demo_world compresses their windows by TIME_SCALE (real limits)
    settings.set("croco.requests_per_10s", 100_000)
    connect_world()
    loc = world.location_id
    contacts = [world.croco.create_contact(loc, firstName=f"Client{i}", lastName="Bench",
                                           email=f"client{i}@bench.example") for i in range(max(1, records // 10))]
    for n in range(records):
        contact = contacts[n % len(contacts)]
        if n % 2 == 0:  # an invoice sent...
            world.croco.create_invoice(loc, contact_id=contact["id"], number=f"B-{10000 + n}", send=True,
                                       items=[{"name": "Coaching session", "quantity": 1 + n % 3,
                                               "unitPrice": "75.00"}])
        else:  # ...and an order-form sale (a sales receipt)
            world.croco.record_payment(loc, contact_id=contact["id"], source_type="order_form",
                                       source_name="Spring workshop funnel",
                                       items=[{"name": "Spring workshop", "quantity": 1, "unitPrice": "149.00"}],
                                       method={"type": "card", "brand": "visa", "last4": "4242"})
    print("READY", flush=True)
    sys.stdin.read()
    world.stop()
    for name in (keychain.CROCO_API_KEY, keychain.QBO_REFRESH_TOKEN, keychain.QBO_REALM_ID):
        keychain.delete_secret(name)


def measure_stall(records: int) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(prefix="crocoqb-bench-gui-"))
    server = subprocess.Popen([sys.executable, "-m", "tests.bench.bench_gui", "--serve", str(home), str(records)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if not line.startswith("READY"):
            raise SystemExit(f"the sandbox process did not start: {line!r}")
        os.environ["CROCOQB_HOME"] = str(home)
        os.environ["CROCOQB_KEYRING_SERVICE"] = KEYRING_SERVICE
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        return _run_sync_in_window()
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(30)


def _run_sync_in_window() -> dict[str, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.gui.app import CrocoQBApp

    app = QApplication.instance() or QApplication(["bench"])
    ctx = AppContext.open()
    crocoqb = CrocoQBApp(ctx, tray_available=False, start_scheduler=False)
    crocoqb.start()
    viewer = crocoqb.open_log()
    _spin(app, lambda: crocoqb.controller.status is not None, 20)

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000.0)
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    progress_events = [0]
    crocoqb.controller.sync_progress.connect(lambda *_: progress_events.__setitem__(0, progress_events[0] + 1))
    started = time.perf_counter()
    last[0] = started
    timer.start()
    crocoqb.controller.sync_now()
    _spin(app, lambda: crocoqb.controller.last_result is not None and not crocoqb.controller.syncing, 1800)
    took = time.perf_counter() - started
    timer.stop()
    result = crocoqb.controller.last_result
    _spin(app, lambda: viewer.model.idle, 10)
    if result is None or result.exit_code != 0:
        raise SystemExit(f"the sync failed: {result.summary() if result else 'no result'}")
    gaps_sorted = sorted(gaps)
    figures = {
        "records synced": float(result.created + result.updated),
        "sync wall time s": took,
        "ticks": float(len(gaps)),
        "progress updates shown": float(progress_events[0]),
        "log rows shown": float(len(viewer.model.rows)),
        "longest main-thread stall ms": max(0.0, gaps_sorted[-1] - TICK_MS),
        "p99 tick gap ms": gaps_sorted[int(len(gaps_sorted) * 0.99) - 1],
        "median tick gap ms": statistics.median(gaps_sorted),
    }
    crocoqb.shutdown()
    _spin(app, lambda: crocoqb.controller.tasks.io_active == 0, 10)
    ctx.store.close()
    return figures


def _spin(app, condition, timeout_s: float) -> None:  # type: ignore[no-untyped-def]
    """Runs a real Qt event loop (as `app.exec()` would) until `condition()` holds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    timed_out = [False]

    def check() -> None:
        if condition():
            loop.quit()
        elif time.monotonic() > deadline:
            timed_out[0] = True
            loop.quit()

    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(check)
    poll.start()
    QTimer.singleShot(0, check)
    loop.exec()
    poll.stop()
    if timed_out[0]:
        raise SystemExit("timed out")


# -- cold start and memory -------------------------------------------------------------------------------
# Each child prints "SHOWN <time> <RSS kB>" at the first paint of its main window (a QApplication event
# filter, installed before anything else, sees it): "first screen drawn". The app child can instead wait
# for "ready": the engine loaded and the first status shown (the window's controller has a status).
CHILD_PRELUDE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
def _rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
def report(what):
    import resource
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(what, time.time(), _rss_kb(), usage.ru_utime + usage.ru_stime, flush=True)
    QApplication.instance().quit()
class FirstPaint(QObject):
    done = False
    def eventFilter(self, obj, event):
        if (not self.done and event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow)
                and obj.isVisible()):
            self.done = True
            QTimer.singleShot(0, lambda: report("SHOWN"))  # once this paint has been flushed
        return False
app = QApplication(sys.argv[:1])
first_paint = FirstPaint()
"""

CHILD_BARE = CHILD_PRELUDE + """
app.installEventFilter(first_paint)
window = QMainWindow()
from PySide6.QtWidgets import QLabel
window.setCentralWidget(QLabel("bare"))
window.resize(820, 720)
window.show()
app.exec()
"""

# The app children import the app's entry module first, as the installed `crocoqb-desktop` script and
# the frozen entry point do (the import order matters: see crocoqb_desktop/gui/__init__.py).
CHILD_APP = "from crocoqb_desktop.gui.main import main\n" + CHILD_PRELUDE + """
app.installEventFilter(first_paint)
main([])
"""

CHILD_APP_READY = "from crocoqb_desktop.gui.main import main\n" + CHILD_PRELUDE + """
def check():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if windows and getattr(getattr(windows[0], "controller", None), "status", None) is not None:
        report("SHOWN")
    else:
        QTimer.singleShot(2, check)
QTimer.singleShot(0, check)
main([])
"""


def _start_once(code: str, home: Path) -> tuple[float, float, float]:
    env = _env(home)
    # An installed app runs from compiled bytecode (pip and PyInstaller compile it): let the children
    # write and reuse __pycache__ even where the environment says not to (the warm-up run writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.time()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    for line in proc.stdout.splitlines():
        if line.startswith("SHOWN"):
            _, shown, rss, cpu = line.split()
            return float(shown) - started, float(rss) / 1024.0, float(cpu)
    raise SystemExit(f"start-up run failed: {proc.stderr.strip().splitlines()[-1:]}")


def measure_start() -> dict[str, float]:
    children = (("bare", CHILD_BARE), ("app", CHILD_APP), ("ready", CHILD_APP_READY))
    results: dict[str, tuple[list[float], list[float], list[float]]] = {name: ([], [], []) for name, _ in children}
    for run in range(START_RUNS + 1):
        for name, code in children:
            home = Path(tempfile.mkdtemp(prefix="crocoqb-bench-start-"))
            figures = _start_once(code, home)
            if run:  # run 0 warms the caches (bytecode, fonts)
                for column, value in zip(results[name], figures, strict=True):
                    column.append(value)
    med = {name: tuple(statistics.median(column) for column in columns) for name, columns in results.items()}
    (bare_s, bare_mb, bare_cpu), (app_s, app_mb, app_cpu), (ready_s, ready_mb, _) = med["bare"], med["app"], med["ready"]
    return {
        "cold start bare QMainWindow ms": bare_s * 1000,
        "cold start app first screen ms": app_s * 1000,
        "cold start ratio app/bare": app_s / bare_s,
        "RSS bare QMainWindow MB": bare_mb,
        "RSS app first screen MB": app_mb,
        "RSS ratio app/bare": app_mb / bare_mb,
        # CPU time of the process (all threads) to the first paint: what a busy machine inflates least
        "CPU to first screen bare ms": bare_cpu * 1000,
        "CPU to first screen app ms": app_cpu * 1000,
        "CPU ratio app/bare": app_cpu / bare_cpu,
        "app ready (engine loaded, status shown) ms": ready_s * 1000,
        "RSS app ready MB": ready_mb,
    }


def main() -> None:
    figures = {}
    figures.update(measure_start())
    figures.update(measure_stall(RECORDS))
    for name, value in figures.items():
        print(f"{name}: {value:.1f}" if not float(value).is_integer() else f"{name}: {int(value)}")
    print(f"stall target met (< 50 ms): {'yes' if figures['longest main-thread stall ms'] < 50 else 'no'}")
    start_met = figures["cold start ratio app/bare"] <= 1.5 and figures["RSS ratio app/bare"] <= 1.5
    print(f"start target met (first screen within 1.5x of bare on time and memory): {'yes' if start_met else 'no'}")
    print(json.dumps({"records": RECORDS, "start_runs": START_RUNS}), file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--serve":
        serve(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
