"""`CrocoQB --selftest`: proves a build works on the machine it runs on (CI runs it on the frozen
bundle of every platform; support can ask a user to run it).

Steps, each printed as one line:
  qt           a QMainWindow shown and painted offscreen; the app icon and SVG support load
  main window  the app's own window (`crocoqb_desktop.gui.main_window.MainWindow`) shown offscreen
  keychain     set/get/delete of a throwaway secret through `keyring` (service "CrocoQB-selftest")
  scheduler    interval, date and cron jobs run by APScheduler's BackgroundScheduler within 2 s
  sync         one sync cycle against the embedded sandboxes (`sandbox.demo`), exit code 0

Ends with "OK" and returns 0 when every step passed; otherwise names the failed steps and returns 1.
A step whose code is not in this build reports SKIPPED-not-available, which counts as a failure.

It never touches the user's data: QT_QPA_PLATFORM=offscreen, a temporary CROCOQB_HOME and the
keychain service "CrocoQB-selftest" are forced for the run and cleaned up afterwards. A watchdog
ends the process (exit 1) if the whole run takes longer than CROCOQB_SELFTEST_TIMEOUT seconds
(default 180). If CROCOQB_SELFTEST_REPORT names a file, the lines are also written there (a
windowed Windows build has no stdout).
"""

from __future__ import annotations

import importlib
import inspect
import os
import platform
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from crocoqb_desktop import __version__

SELFTEST_SERVICE = "CrocoQB-selftest"
MAIN_WINDOW_MODULE = "crocoqb_desktop.gui.main_window"
DEMO_MODULE = "crocoqb_desktop.sandbox.demo"
SCHEDULER_DEADLINE_S = 2.0
SKIPPED = "SKIPPED-not-available"

OK, FAIL, SKIP = "ok", "FAIL", "SKIP"


class StepFailed(Exception):
    """A step's check did not hold; the message says what was seen."""


class StepSkipped(Exception):
    """The code a step needs is not part of this build."""


@dataclass
class StepResult:
    name: str
    status: str
    detail: str


class _Report:
    def __init__(self) -> None:
        path = os.environ.get("CROCOQB_SELFTEST_REPORT")
        self._file = open(path, "w", encoding="utf-8") if path else None  # closed in close()

    def line(self, text: str) -> None:
        print(text, flush=True)  # a no-op when a windowed build has no stdout
        if self._file:
            self._file.write(text + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file:
            self._file.close()


class _Watchdog:
    """Ends the process if the self-test hangs (a stuck step must not hang CI)."""

    def __init__(self, report: _Report, timeout_s: float) -> None:
        self.step = "start"
        self._report = report
        self._timeout_s = timeout_s
        self._timer = threading.Timer(timeout_s, self._expire)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        self._report.line(f"[FAIL] {self.step}: timed out (the self-test took more than {self._timeout_s:.0f} s)")
        self._report.line(f"FAILED: {self.step}")
        self._report.close()
        os._exit(1)


# -- the steps ------------------------------------------------------------------------------------
_qt_objects: list[Any] = []  # keeps the QApplication alive for the whole run


def _qapp() -> Any:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "CrocoQB"])
        _qt_objects.append(app)
    return app


def _show_offscreen(window: Any, settle_s: float = 0.3) -> Any:
    """Shows a window, lets Qt lay it out and paint it, and returns a grab of it."""
    app = _qapp()
    window.show()
    deadline = time.monotonic() + settle_s
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    if not window.isVisible():
        raise StepFailed(f"{type(window).__name__} is not visible after show()")
    pixmap = window.grab()
    if pixmap.isNull() or pixmap.width() == 0:
        raise StepFailed(f"{type(window).__name__} did not paint (empty grab)")
    return pixmap


def step_qt() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QIcon, QImageReader
    from PySide6.QtWidgets import QLabel, QMainWindow

    app = _qapp()
    window = QMainWindow()
    window.setWindowTitle("CrocoQB self-test")
    window.setCentralWidget(QLabel("CrocoQB"))
    window.resize(480, 320)
    pixmap = _show_offscreen(window)
    window.close()
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"png", "svg"} - formats
    if missing:
        raise StepFailed(f"Qt image formats missing from this build: {', '.join(sorted(missing))}")
    icon_file = _resource("icons", "app.png")
    icon = QIcon(str(icon_file))
    if icon.isNull() or icon.pixmap(64, 64).isNull():
        raise StepFailed(f"the app icon did not load from {icon_file}")
    languages = _check_translations()
    return (f"QMainWindow painted {pixmap.width()}x{pixmap.height()} on platform '{app.platformName()}' "
            f"(PySide6 {pyside_version}); app icon and SVG support loaded; "
            f"translations: {', '.join(languages) or 'none'}")


def _check_translations() -> list[str]:
    """Every app translation (crocoqb_<lang>.qm) loads, and so does Qt's own qtbase_<lang>, from where
    crocoqb_desktop.gui.i18n looks for it (the spec keeps only those Qt catalogues)."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    languages = []
    for qm in sorted(_resource("translations").glob("crocoqb_*.qm")):
        language = qm.stem.split("_", 1)[1]
        if not QTranslator().load(str(qm)):
            raise StepFailed(f"the app translation {qm.name} does not load")
        if language != "en" and not QTranslator().load(f"qtbase_{language}", qt_dir):
            raise StepFailed(f"Qt's own translation qtbase_{language}.qm is missing from {qt_dir}")
        languages.append(language)
    if "fr" in languages:  # the engine's messages in French: the catalogue and Babel's CLDR data
        from decimal import Decimal

        from crocoqb_desktop import i18n
        from crocoqb_desktop.messages import Money, message

        text = i18n.translate(message("sync.summary_timed", "{summary} in {seconds} s", summary="x",
                                      seconds=Money(Decimal("1234.5"), "CAD")), "fr")
        if not text or "1\u00a0234,50\u00a0$" not in text:
            raise StepFailed(f"French messages or Babel's locale data are missing from this build ({text!r})")
    return languages


def _resource(*parts: str) -> Path:
    try:
        from crocoqb_desktop.gui.resources import resource_path
    except ModuleNotFoundError:  # a build without the GUI package's helper
        base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))
        return base.joinpath("resources", *parts)
    return resource_path(*parts)


def step_main_window() -> str:
    try:
        module = importlib.import_module(MAIN_WINDOW_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != MAIN_WINDOW_MODULE:
            raise
        raise StepFailed(f"GUI not available: {MAIN_WINDOW_MODULE} is not in this build") from None
    cls = getattr(module, "MainWindow", None)
    if cls is None:
        raise StepFailed(f"GUI not available: {MAIN_WINDOW_MODULE} has no MainWindow")
    _qapp()
    window = cls(**_main_window_arguments(cls))
    try:
        pixmap = _show_offscreen(window, settle_s=0.5)
        title = window.windowTitle()
    finally:
        window.close()
        window.deleteLater()
        _qapp().processEvents()
    return f"{cls.__name__} painted {pixmap.width()}x{pixmap.height()}, title '{title}'"


def _main_window_arguments(cls: type) -> dict[str, Any]:
    """Supplies the app objects MainWindow asks for by name (ctx/context, service)."""
    kwargs: dict[str, Any] = {}
    ctx = None
    for name, param in inspect.signature(cls).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD) or param.default is not param.empty:
            continue
        if name in {"ctx", "context", "app_context"}:
            from crocoqb_desktop.app.context import AppContext

            ctx = ctx or AppContext()
            kwargs[name] = ctx
        elif name in {"service", "sync_service"}:
            from crocoqb_desktop.app.context import AppContext
            from crocoqb_desktop.app.service import SyncService

            ctx = ctx or AppContext()
            kwargs[name] = SyncService(ctx)
        else:
            raise StepFailed(f"MainWindow needs an argument the self-test cannot supply: '{name}'")
    return kwargs


def step_keychain() -> str:
    import keyring
    import keyring.backend
    import keyring.errors
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    available = ", ".join(f"{type(b).__module__}.{type(b).__name__}" for b in keyring.backend.get_all_keyring())
    if isinstance(backend, fail.Keyring):
        raise StepFailed(f"no system keychain: keyring chose {name} (backends found: {available or 'none'})")
    if isinstance(backend, chainer.ChainerBackend):
        if not backend.backends:
            raise StepFailed(f"no system keychain: keyring chose an empty {name} (backends found: {available})")
        name += " [" + ", ".join(f"{type(b).__module__}.{type(b).__name__}" for b in backend.backends) + "]"
    if type(backend).__module__.startswith("keyrings.alt") or "Plaintext" in name:
        raise StepFailed(f"keyring chose {name}, which stores secrets in a file; CrocoQB refuses it")
    user = f"round-trip-{secrets.token_hex(4)}"
    value = secrets.token_urlsafe(24)
    try:
        keyring.set_password(SELFTEST_SERVICE, user, value)
        if keyring.get_password(SELFTEST_SERVICE, user) != value:
            raise StepFailed(f"{name} returned a different value than was stored")
    except keyring.errors.KeyringError as exc:
        raise StepFailed(f"{name} failed: {exc.__class__.__name__}: {exc}") from None
    finally:
        try:
            keyring.delete_password(SELFTEST_SERVICE, user)
        except keyring.errors.KeyringError:
            pass
    if keyring.get_password(SELFTEST_SERVICE, user) is not None:
        raise StepFailed(f"{name} still returns the secret after delete")
    return f"set/get/delete round trip through {name}"


def step_scheduler() -> str:
    from apscheduler.schedulers.background import BackgroundScheduler

    fired = {kind: threading.Event() for kind in ("interval", "date", "cron")}
    scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
    started = time.monotonic()
    scheduler.start()
    try:
        # String aliases: apscheduler 3 resolves them through entry points (the frozen-app pitfall).
        scheduler.add_job(fired["interval"].set, "interval", seconds=0.25, id="selftest-interval")
        scheduler.add_job(fired["date"].set, "date", id="selftest-date",
                          run_date=datetime.now(scheduler.timezone) + timedelta(seconds=0.3))
        scheduler.add_job(fired["cron"].set, "cron", second="*", id="selftest-cron")
        deadline = started + SCHEDULER_DEADLINE_S
        for event in fired.values():
            event.wait(max(deadline - time.monotonic(), 0))
        elapsed = time.monotonic() - started
    finally:
        scheduler.shutdown(wait=False)
    late = [kind for kind, event in fired.items() if not event.is_set()]
    if late:
        raise StepFailed(f"job(s) did not fire within {SCHEDULER_DEADLINE_S:.0f} s: {', '.join(late)}")
    return f"interval, date and cron jobs fired within {elapsed:.2f} s (timezone {scheduler.timezone})"


def step_sync(home: Path) -> str:
    try:
        demo = importlib.import_module(DEMO_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != DEMO_MODULE:
            raise
        raise StepSkipped(f"{SKIPPED}: {DEMO_MODULE} is not in this build") from None
    start_demo_world = getattr(demo, "start_demo_world", None)
    if start_demo_world is None:
        raise StepSkipped(f"{SKIPPED}: {DEMO_MODULE} has no start_demo_world()")
    try:
        from crocoqb_desktop.app.context import AppContext
        from crocoqb_desktop.app.service import SyncService

        world = start_demo_world(home)
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("crocoqb_desktop."):
            raise
        raise StepSkipped(f"{SKIPPED}: {exc.name} (needed by the sync step) is not in this build") from None
    ctx = None
    try:
        ctx = AppContext()
        service = SyncService(ctx)
        if not _qbo_connected(service):
            _connect_through_sandbox(service, demo)
        result = service.sync_once()
        if result.exit_code != 0:
            raise StepFailed(f"sync exit code {result.exit_code}: {result.summary()}")
        return f"exit code 0 against the embedded sandboxes: {result.summary()}"
    finally:
        if ctx is not None:
            ctx.store.close()
        world.stop()


def _qbo_connected(service: Any) -> bool:
    try:
        return bool(service.connection.status().get("connected"))
    except Exception:  # not connected is the answer to any doubt
        return False


def _connect_through_sandbox(service: Any, demo: Any) -> None:
    """Connects QuickBooks as the CLI does, with the demo's browser stand-in pressing Connect."""
    pending = service.connection.begin_authorization()
    errors: list[BaseException] = []

    def browse() -> None:
        try:
            demo.accept_consent(pending.url)
        except BaseException as exc:  # reported below
            errors.append(exc)

    browser = threading.Thread(target=browse, name="selftest-browser", daemon=True)
    browser.start()
    try:
        service.connection.complete(pending, timeout_s=30)
    except Exception as exc:
        detail = f" (consent page: {errors[0]!r})" if errors else ""
        raise StepFailed(f"QuickBooks connection failed: {exc}{detail}") from None
    finally:
        browser.join(10)


# -- the run --------------------------------------------------------------------------------------
def run_selftest() -> int:
    """Runs every step; returns 0 when all passed, else 1."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    saved_env = {k: os.environ.get(k) for k in ("CROCOQB_HOME", "CROCOQB_KEYRING_SERVICE")}
    home = Path(tempfile.mkdtemp(prefix="crocoqb-selftest-"))
    os.environ["CROCOQB_HOME"] = str(home)
    os.environ["CROCOQB_KEYRING_SERVICE"] = SELFTEST_SERVICE

    report = _Report()
    watchdog = _Watchdog(report, float(os.environ.get("CROCOQB_SELFTEST_TIMEOUT", "180")))
    watchdog.start()
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    report.line(f"CrocoQB self-test {__version__} ({frozen}, {platform.system()} {platform.machine()}, "
                f"Python {platform.python_version()})")
    report.line(f"  temporary data folder: {home}")
    steps: list[tuple[str, Callable[[], str]]] = [
        ("qt", step_qt),
        ("main window", step_main_window),
        ("keychain", step_keychain),
        ("scheduler", step_scheduler),
        ("sync", lambda: step_sync(home)),
    ]
    results: list[StepResult] = []
    try:
        for name, step in steps:
            watchdog.step = name
            started = time.monotonic()
            result = _run_step(name, step)
            results.append(result)
            took = time.monotonic() - started
            report.line(f"[{result.status.ljust(4)}] {name}: {result.detail} ({took:.1f} s)")
    finally:
        watchdog.cancel()
        _cleanup(home, saved_env)
    failed = [r.name for r in results if r.status != OK]
    if failed:
        report.line(f"FAILED: {', '.join(failed)}")
    else:
        report.line("OK")
    report.close()
    return 1 if failed else 0


def _run_step(name: str, step: Callable[[], str]) -> StepResult:
    from crocoqb_desktop.redaction import redact

    try:
        return StepResult(name, OK, redact(step()))
    except StepSkipped as exc:
        return StepResult(name, SKIP, redact(str(exc)))
    except StepFailed as exc:
        return StepResult(name, FAIL, redact(str(exc)))
    except Exception as exc:  # any crash is that step's failure
        return StepResult(name, FAIL, redact(f"{type(exc).__module__}.{type(exc).__name__}: {exc}"))


def _cleanup(home: Path, saved_env: dict[str, str | None]) -> None:
    try:
        from crocoqb_desktop import keychain

        for name in (keychain.CROCO_API_KEY, keychain.QBO_REFRESH_TOKEN, keychain.QBO_REALM_ID,
                     keychain.QBO_CLIENT_SECRET):
            keychain.delete_secret(name)  # under SELFTEST_SERVICE (CROCOQB_KEYRING_SERVICE is still set)
    except Exception:  # a missing keychain was reported by its step
        pass
    for key, value in saved_env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(run_selftest())
