"""The GUI's single entry into the engine: it owns the app context, the sync service and the
scheduler, runs every engine call off the GUI thread, and reports back through Qt signals.

Widgets never call the engine themselves; they call this controller and listen to its signals.
Every signal is emitted on the GUI thread (results from worker threads are handed over through
`TaskRunner.call_in_gui`, a queued connection).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from crocoqb_desktop import paths
from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.app.scheduler import CHANGES, SyncScheduler
from crocoqb_desktop.app.service_lock import OWNER_WINDOW, ServiceLock, ServiceLockHeld
from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.gui.tasks import TaskRunner
from crocoqb_desktop.messages import message, render

if TYPE_CHECKING:  # the engine loads on the io thread once the window is up (start at login costs little)
    from crocoqb_desktop.app.service import SyncService
    from crocoqb_desktop.sync.engine import SyncResult

log = logging.getLogger("crocoqb.gui")

CONNECT_TIMEOUT_S = 600.0
STATUS_REFRESH_MS = 30_000
PROGRESS_MIN_INTERVAL_S = 0.1
PAUSED_CURSOR = "ui.paused"  # state DB cursor: "1" while the user has paused automatic syncs

# Tray / window states
STATE_OK = "ok"
STATE_SYNCING = "syncing"
STATE_PROBLEM = "problem"
STATE_DISCONNECTED = "disconnected"


translate = QCoreApplication.translate  # lupdate finds translate("Context", "text") calls


@dataclass(frozen=True)
class Problem:
    """Something the user has to act on, in plain words. `action`: reconnect | open_log | croco | None."""

    kind: str
    title: str
    message: str
    fix: str
    action: str | None = None
    notify: bool = False  # worth a tray notification (needs the user)


@dataclass
class SyncOutcome:
    origin: str  # manual | push | poll | catch-up | activation
    result: SyncResult | None  # None: a sync was already running
    busy: bool = False


def describe_problems(status: dict[str, Any] | None, last_error: CrocoQBError | None) -> list[Problem]:
    """The problems to show (banner, tray), translated in the current language."""
    if not status:
        return []
    problems: list[Problem] = []
    croco = status.get("crococlick") or {}
    qbo = status.get("quickbooks") or {}
    sync = status.get("sync") or {}
    if not croco.get("connected"):
        problems.append(Problem(
            "croco_missing",
            translate("Problems", "CrocoClick is not connected"),
            translate("Problems", "CrocoQB needs your CrocoClick API key to read and update your contacts, invoices and "
                "payments."),
            translate("Problems", "In the CrocoClick card, paste an API key (CrocoClick: Settings > Integrations > API keys) "
                "and your location id, then press Check and save."),
            "croco", notify=qbo.get("state") == "connected"))
    if qbo.get("state") == "reconnect_needed":
        problems.append(Problem(
            "reconnect",
            translate("Problems", "QuickBooks needs to be reconnected"),
            translate("Problems", "QuickBooks no longer accepts CrocoQB's access (it was revoked, expired or replaced). "
                "Nothing is lost: changes wait until you reconnect."),
            translate("Problems", "Press Reconnect, sign in to QuickBooks and accept."),
            "reconnect", notify=True))
    # records that need the user (sync/problems.py); the "Needs attention" page notifies new ones itself
    failed = int(status["problems"] if "problems" in status else sync.get("failed") or 0)
    if failed:
        problems.append(Problem(
            "records_failed",
            translate("Problems", "%n record(s) could not be synced", "", failed),
            translate("Problems", "The other records were synced. Each one waits for your choice under Needs attention."),
            translate("Problems", "Open Needs attention and choose what to do for each record; the log has the details."),
            "attention"))
    from crocoqb_desktop.sync.engine import SyncBusy

    if last_error is not None and not isinstance(last_error, SyncBusy) and not any(
            p.kind == "reconnect" for p in problems):
        problems.append(Problem(
            "sync_error",
            translate("Problems", "The last sync did not finish"),
            render(message("error.user_text", "{title}: {message}", title=last_error.title_msg,
                           message=last_error.message_msg)),
            render(last_error.fix_msg) or translate("Problems", "The sync tries again automatically. If it keeps failing, export a "
                                  "diagnostic bundle from the log and send it to support."),
            "open_log"))
    return problems


def overall_state(status: dict[str, Any] | None, syncing: bool, problems: list[Problem]) -> str:
    if syncing:
        return STATE_SYNCING
    if not status:
        return STATE_DISCONNECTED
    qbo_state = (status.get("quickbooks") or {}).get("state")
    if qbo_state == "reconnect_needed" or any(p.kind in {"records_failed", "sync_error"} for p in problems):
        return STATE_PROBLEM
    if qbo_state != "connected" or not (status.get("crococlick") or {}).get("connected"):
        return STATE_DISCONNECTED
    return STATE_OK


def _bound(fn: Callable[..., Any] | None) -> Callable[..., Any] | None:
    return None if fn is None else paths.bound(fn)


class AppController(QObject):
    status_changed = Signal(object)  # the status dict (SyncService.status())
    problems_changed = Signal(object)  # list[Problem]
    state_changed = Signal(str)  # ok | syncing | problem | disconnected
    syncing_changed = Signal(bool)
    sync_progress = Signal(str, int, int)
    sync_finished = Signal(object)  # SyncOutcome
    paused_changed = Signal(bool)
    notify = Signal(str, str)  # title, message: a problem that needs the user
    message = Signal(str)  # a passing note for the status line
    croco_login_finished = Signal(object, object)  # me dict | None, error | None
    connect_url_ready = Signal(str)
    connect_finished = Signal(object, object)  # {"company_name", "realm_id"} | None, error | None
    disconnect_finished = Signal(object)  # error | None
    settings_saved = Signal(object, object)  # changed keys dict | None, error | None
    log_may_have_changed = Signal()
    check_started = Signal()
    check_finished = Signal(object, object)  # preflight Report | None, error | None
    mapping_saved = Signal(object, object)  # Mapping | True (removed) | None, error | None

    def __init__(self, ctx: AppContext, *, service: Any = None, start_scheduler: bool = True,
                 scheduler_factory: Callable[..., SyncScheduler] = SyncScheduler,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._service = service  # None: built on first use (see `service`)
        self._service_build_lock = threading.Lock()
        self.profile = paths.active_profile()  # this controller's profile (rule 12): its threads run as it
        self.tasks = TaskRunner(self, profile=self.profile)
        self.status: dict[str, Any] | None = None
        self.problems: list[Problem] = []
        self.state = STATE_DISCONNECTED
        self.last_result: SyncResult | None = None
        self.last_error: CrocoQBError | None = None
        self.progress: tuple[str, int, int] | None = None
        self._syncing = False
        self._sync_lock = threading.Lock()
        self._notified: set[str] = set()
        self._connect_attempt = 0
        self._connect_done_attempt = -1
        self._pending: Any = None
        self._connecting = False
        self._last_progress_emit = 0.0
        self._closing = False
        settings = ctx.settings
        self.scheduler = scheduler_factory(
            self.scheduled_sync,
            push_interval_s=settings.get("sync.push_interval_s"),
            poll_interval_s=settings.get("sync.poll_interval_s"),
            # long-poll push (rule 11), as this profile; the service (and the engine) loads on first use
            watch=_bound(getattr(service, "wait_for_events", None) if service is not None
                         else lambda wait_s: self.service.wait_for_events(wait_s)),
        )
        self._service_lock = ServiceLock(paths.data_dir(), OWNER_WINDOW)
        self.lock_error: ServiceLockHeld | None = None
        self._start_scheduler = start_scheduler
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.refresh_status)

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> None:
        # Pause is the user's choice: it survives a restart (kept in the state DB, per profile)
        paused = self.ctx.store.cursor(PAUSED_CURSOR) == "1"
        if self._start_scheduler:
            try:  # `crocoqb run` may be syncing this data already: then the window only shows
                self._service_lock.acquire()
                self.scheduler.start(paused=paused)
            except ServiceLockHeld as exc:
                self.lock_error = self.last_error = exc
        elif paused:
            self.scheduler.pause()
        if paused:
            self.paused_changed.emit(True)
        self._status_timer.start()
        self.refresh_status()

    def shutdown(self) -> None:
        self._closing = True
        self._status_timer.stop()
        self.cancel_connect()
        self.scheduler.shutdown(wait=False)
        self._service_lock.release()
        self.tasks.shutdown()

    @property
    def service(self) -> SyncService:
        """The sync service, built on first use: the first status refresh builds it on the io thread,
        so importing the engine (QuickBooks and CrocoClick clients, requests) happens after the window
        is drawn and off the GUI thread."""
        with self._service_build_lock:
            if self._service is None:
                from crocoqb_desktop.app.service import SyncService

                self._service = SyncService(self.ctx)
            return self._service

    @property
    def syncing(self) -> bool:
        return self._syncing

    @property
    def paused(self) -> bool:
        return self.scheduler.paused

    def live_state(self) -> str | None:
        """The long-poll watcher's state: "live", "polling", "offline", ... (None without one)."""
        return self.scheduler.live_state if self.scheduler.running else None

    def next_sync_at(self) -> datetime | None:
        return self.scheduler.next_run_time()

    def setting(self, key: str) -> Any:
        return self.ctx.settings.get(key)  # in memory: no disk access

    # -- status ------------------------------------------------------------------------------------
    def refresh_status(self) -> None:
        self.tasks.io(lambda: self.service.status(), self._set_status, self._status_failed)

    def _status_failed(self, exc: BaseException) -> None:
        log.warning("status could not be read: %s", exc.__class__.__name__)

    def _set_status(self, status: dict[str, Any]) -> None:
        self.status = status
        self.status_changed.emit(status)
        self._update_problems()
        self.log_may_have_changed.emit()

    def _update_problems(self) -> None:
        problems = describe_problems(self.status, self.last_error)
        self.problems = problems
        self.problems_changed.emit(problems)
        for problem in problems:
            if problem.notify and problem.kind not in self._notified:
                self.notify.emit(problem.title, problem.fix)
        self._notified = {p.kind for p in problems if p.notify}
        self._update_state()

    def retranslate(self) -> None:
        """Re-describe the problems in the language now installed."""
        self.problems = describe_problems(self.status, self.last_error)
        self.problems_changed.emit(self.problems)

    def _update_state(self) -> None:
        state = overall_state(self.status, self._syncing, self.problems)
        if state != self.state:
            self.state = state
        self.state_changed.emit(state)

    def ready_to_sync(self) -> bool:
        status = self.status
        if not status:
            return False
        return bool((status.get("crococlick") or {}).get("connected")) and \
            (status.get("quickbooks") or {}).get("state") == "connected"

    # -- syncing -----------------------------------------------------------------------------------
    def sync_now(self, origin: str = "manual") -> bool:
        """Start a sync on a worker thread. False (and a note) if one is already running."""
        if self._syncing:
            self.message.emit(translate("AppController", "A sync is already running."))
            return False
        if self.lock_error is not None:
            self.message.emit(translate("AppController", "crocoqb run is syncing this data; quit it to sync here."))
            return False
        self.tasks.run(lambda: self._run_sync(origin), name="crocoqb-sync")
        return True

    def scheduled_sync(self, reason: str) -> SyncOutcome | None:
        """Called by the scheduler on its worker thread. Skipped while the set-up is incomplete or
        QuickBooks needs reconnecting (the user has to act first; the log is not flooded)."""
        if self._closing or not self.ready_to_sync():
            return None
        with paths.profile_scope(self.profile):
            return self._run_sync(reason)

    def _run_sync(self, origin: str) -> SyncOutcome:
        """Runs on a worker thread (ours or the scheduler's)."""
        with self._sync_lock:
            if self._syncing:
                outcome = SyncOutcome(origin, None, busy=True)
                self.tasks.call_in_gui(lambda: self._sync_busy(outcome))
                return outcome
            self._syncing = True
        self.tasks.call_in_gui(self._sync_started)
        from crocoqb_desktop.sync.engine import SyncBusy, SyncResult

        try:
            # "Sync now" also retries records waiting for their next attempt; scheduled runs keep the backoff
            # the feed is watched live: "changes" does not read it again, "push" (after events) is quick
            result = self.service.sync_once(progress=self._progress, retry_now=origin == "manual",
                                            intake=origin != CHANGES, event_push=origin == "push")
        except Exception as exc:  # engine bug: report it, keep the app alive
            log.exception("sync failed unexpectedly")
            result = SyncResult(exit_code=2, error=CrocoQBError(
                f"unexpected error ({exc.__class__.__name__})",
                title="The sync stopped unexpectedly",
                fix="Export a diagnostic bundle from the log and send it to support."))
        busy = isinstance(result.error, SyncBusy)
        try:
            status = self.service.status()
        except Exception:
            log.warning("status could not be read after the sync", exc_info=True)
            status = None
        with self._sync_lock:
            self._syncing = False
        outcome = SyncOutcome(origin, None if busy else result, busy=busy)
        self.tasks.call_in_gui(lambda: self._sync_done(outcome, status))
        return outcome

    def _progress(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last_progress_emit < PROGRESS_MIN_INTERVAL_S and done != 0:
            return
        self._last_progress_emit = now
        self.tasks.call_in_gui(lambda: self._emit_progress(stage, done, total))

    def _emit_progress(self, stage: str, done: int, total: int) -> None:
        if self._syncing:
            self.progress = (stage, done, total)
            self.sync_progress.emit(stage, done, total)

    def _sync_started(self) -> None:
        self.progress = None
        self.syncing_changed.emit(True)
        self._update_state()

    def _sync_busy(self, outcome: SyncOutcome) -> None:
        self.message.emit(translate("AppController", "A sync is already running."))
        self.sync_finished.emit(outcome)

    def _sync_done(self, outcome: SyncOutcome, status: dict[str, Any] | None) -> None:
        self.progress = None
        if outcome.busy:
            self.message.emit(translate("AppController", "A sync is already running."))
        elif outcome.result is not None:
            self.last_result = outcome.result
            self.last_error = outcome.result.error
        self.syncing_changed.emit(False)
        self.sync_finished.emit(outcome)
        if status is not None:
            self._set_status(status)
        else:
            self._update_problems()
            self.refresh_status()

    # -- pause -------------------------------------------------------------------------------------
    def set_paused(self, paused: bool) -> None:
        if paused == self.scheduler.paused:
            return
        if paused:
            self.scheduler.pause()
        else:
            self.scheduler.resume()
        store = self.ctx.store
        self.tasks.io(lambda: store.set_cursor(PAUSED_CURSOR, "1" if paused else "0"))
        self.paused_changed.emit(paused)

    # -- CrocoClick --------------------------------------------------------------------------------
    def croco_login(self, api_key: str, location_id: str) -> None:
        self.tasks.run(lambda: self.ctx.croco_login(api_key, location_id),
                       lambda me: self._croco_done(me, None), lambda exc: self._croco_done(None, exc),
                       name="crocoqb-croco-login")

    def _croco_done(self, me: dict[str, Any] | None, error: BaseException | None) -> None:
        self.croco_login_finished.emit(me, error)
        self.refresh_status()

    # -- QuickBooks connection ---------------------------------------------------------------------
    def start_connect(self) -> None:
        """Begin the sign-in (Connect or Reconnect): the URL arrives through `connect_url_ready`,
        the outcome through `connect_finished`."""
        self.cancel_connect()
        self._connect_attempt += 1
        attempt = self._connect_attempt
        self._connecting = True
        connection = self.service.connection

        def work() -> dict[str, Any]:
            pending = connection.begin_authorization()
            self.tasks.call_in_gui(lambda: self._url_ready(attempt, pending))
            result = connection.complete(pending, timeout_s=CONNECT_TIMEOUT_S)
            self.service.after_connect()
            return result

        self.tasks.run(work, lambda r: self._connect_done(attempt, r, None),
                       lambda e: self._connect_done(attempt, None, e), name="crocoqb-connect")

    def submit_pasted(self, text: str) -> None:
        """The paste fallback: the address of the page the browser landed on, or the code."""
        pending, attempt = self._pending, self._connect_attempt
        if pending is None:
            return
        connection = self.service.connection

        def work() -> dict[str, Any]:
            result = connection.complete(pending, timeout_s=30, pasted=text)
            self.service.after_connect()
            return result

        self.tasks.run(work, lambda r: self._connect_done(attempt, r, None),
                       lambda e: self._connect_done(attempt, None, e, from_paste=True), name="crocoqb-paste")

    def cancel_connect(self) -> None:
        pending, self._pending = self._pending, None
        self._connect_attempt += 1  # late answers of the old attempt are ignored
        self._connecting = False
        if pending is not None and hasattr(pending, "cancel"):
            self.tasks.io(pending.cancel)

    @property
    def connecting(self) -> bool:
        """A sign-in is in progress (from Connect until it succeeds, fails or is cancelled)."""
        return self._connecting

    def _url_ready(self, attempt: int, pending: Any) -> None:
        if attempt != self._connect_attempt:
            if hasattr(pending, "cancel"):
                self.tasks.io(pending.cancel)
            return
        self._pending = pending
        self.connect_url_ready.emit(pending.url)

    def _connect_done(self, attempt: int, result: dict[str, Any] | None, error: BaseException | None,
                      from_paste: bool = False) -> None:
        if attempt != self._connect_attempt or self._connect_done_attempt == attempt:
            return  # a cancelled attempt, or the other path (paste / browser) already finished it
        if error is not None and from_paste and self._pending is not None:
            # a bad paste: the browser path may still succeed; report, keep waiting
            self.connect_finished.emit(None, error)
            return
        self._connect_done_attempt = attempt
        self._pending = None
        self._connecting = False
        self.connect_finished.emit(result, error)
        self.refresh_status()
        if result is not None:
            # the Check page first (what will go where), then the activation sync
            self.run_check(then=lambda: self.sync_now("activation"))

    # -- pre-flight check and mappings (gui/check_page.py shows them) -----------------------------
    def run_check(self, then: Callable[[], Any] | None = None) -> None:
        from crocoqb_desktop.app.preflight import run_preflight

        def done(report: Any, error: BaseException | None) -> None:
            self.check_finished.emit(report, error)
            if then is not None:
                then()

        self.check_started.emit()
        self.tasks.run(lambda: run_preflight(self.ctx), lambda r: done(r, None), lambda e: done(None, e),
                       name="crocoqb-check")

    def set_mapping(self, kind: str, source: str, qbo_id: str | None) -> None:
        """Saves (or with `qbo_id` None removes) the user's mapping; then `mapping_saved` and a new check."""
        from crocoqb_desktop.app.preflight import set_mapping, unset_mapping

        def work() -> Any:
            return set_mapping(self.ctx, kind, source, qbo_id) if qbo_id else unset_mapping(self.ctx, kind, source)

        def done(result: Any, error: BaseException | None) -> None:
            self.mapping_saved.emit(result, error)
            if error is None:
                self.run_check()

        self.tasks.run(work, lambda r: done(r, None), lambda e: done(None, e), name="crocoqb-mapping")

    def disconnect_qbo(self) -> None:
        self.tasks.run(self.service.connection.disconnect, lambda _: self._disconnected(None),
                       lambda e: self._disconnected(e), name="crocoqb-disconnect")

    def _disconnected(self, error: BaseException | None) -> None:
        self.last_error = None
        self.disconnect_finished.emit(error)
        self.refresh_status()

    # -- settings ----------------------------------------------------------------------------------
    def save_settings(self, changes: dict[str, Any],
                      callback: Callable[[dict[str, Any] | None, BaseException | None], None] | None = None) -> None:
        """Write settings on the io thread; then reschedule, switch language, update start-at-login.
        `callback(changed, error)` is called for this save only (after `settings_saved`)."""
        settings = self.ctx.settings

        def work() -> dict[str, Any]:
            changed: dict[str, Any] = {}
            for key, value in changes.items():
                if settings.get(key) != value:
                    changed[key] = settings.set(key, value)
            if "ui.start_at_login" in changed:
                from crocoqb_desktop.platform import autostart

                autostart.apply(bool(changed["ui.start_at_login"]))
            return changed

        self.tasks.io(work, lambda changed: self._settings_done(changed, None, callback),
                      lambda exc: self._settings_done(None, exc, callback))

    def _settings_done(self, changed: dict[str, Any] | None, error: BaseException | None,
                       callback: Callable[[dict[str, Any] | None, BaseException | None], None] | None) -> None:
        if changed:
            if "sync.push_interval_s" in changed or "sync.poll_interval_s" in changed:
                self.scheduler.reschedule(push_interval_s=self.setting("sync.push_interval_s"),
                                          poll_interval_s=self.setting("sync.poll_interval_s"))
            if "sync.import_invoices" in changed or "sync.review_automation" in changed:
                self.refresh_status()
        self.settings_saved.emit(changed, error)
        if callback is not None:
            callback(changed, error)
