"""The main window: problem banner, the CrocoClick and QuickBooks cards, "What is synced", and the
status strip (last sync, next sync, pending and failed counts, progress, Sync now)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.gui import texts
from crocoqb_desktop.gui.attention import AttentionModel, AttentionPage
from crocoqb_desktop.gui.cards import CrocoCard, QboCard
from crocoqb_desktop.gui.check_page import CheckPage
from crocoqb_desktop.gui.controller import AppController, Problem, SyncOutcome
from crocoqb_desktop.gui.payouts_page import PayoutsPage
from crocoqb_desktop.gui.resources import resource_path
from crocoqb_desktop.gui.widgets import STYLE, Banner, is_language_change


def open_in_browser(url: str) -> bool:
    """The default opener: the system browser."""
    return QDesktopServices.openUrl(QUrl(url))


class StatusStrip(QFrame):
    """Last synced at, next sync, pending and failed counts, progress during a sync, Pause and Sync now."""

    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("statusStrip")
        self._status: dict[str, Any] = {}
        self._note = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 10)
        layout.setSpacing(6)
        top = QHBoxLayout()
        facts = QGridLayout()
        facts.setHorizontalSpacing(18)
        facts.setVerticalSpacing(2)
        self.last_label = QLabel()
        self.last_label.setObjectName("lastSync")
        self.next_label = QLabel()
        self.next_label.setObjectName("nextSync")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pending")
        self.failed_label = QLabel()
        self.failed_label.setObjectName("failed")
        facts.addWidget(self.last_label, 0, 0)
        facts.addWidget(self.pending_label, 0, 1)
        facts.addWidget(self.next_label, 1, 0)
        facts.addWidget(self.failed_label, 1, 1)
        facts.setColumnStretch(2, 1)
        top.addLayout(facts, 1)
        self.pause_button = QPushButton()
        self.pause_button.setObjectName("pauseResume")
        self.pause_button.clicked.connect(lambda: controller.set_paused(not controller.paused))
        top.addWidget(self.pause_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("primary")
        self.sync_button.setAccessibleName("sync now")
        self.sync_button.clicked.connect(lambda: controller.sync_now())
        top.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(top)
        bottom = QHBoxLayout()
        self.stage_label = QLabel()
        self.stage_label.setObjectName("stage")
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setTextVisible(True)
        self.progress.setMaximumHeight(16)
        bottom.addWidget(self.stage_label)
        bottom.addWidget(self.progress, 1)
        layout.addLayout(bottom)
        self.stage_label.hide()
        self.progress.hide()

        self._tick = QTimer(self)
        self._tick.setInterval(5000)
        self._tick.timeout.connect(self._show)
        self._tick.start()
        controller.status_changed.connect(self._status_changed)
        controller.syncing_changed.connect(self._syncing_changed)
        controller.sync_progress.connect(self._progress)
        controller.sync_finished.connect(self._finished)
        controller.paused_changed.connect(lambda _: self._show())
        controller.message.connect(self._message)
        self._show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self._show()
            if self.controller.progress:
                self._progress(*self.controller.progress)
        super().changeEvent(event)

    def _status_changed(self, status: dict[str, Any]) -> None:
        self._status = status
        self._show()

    def _message(self, text: str) -> None:
        self._note = text
        self._show()
        QTimer.singleShot(6000, self._clear_note)

    def _clear_note(self) -> None:
        self._note = ""
        self._show()

    def _show(self) -> None:
        sync = self._status.get("sync") or {}
        last = texts.when_text(texts.parse_utc(sync.get("last_sync_at")))
        self.last_label.setText(self.tr("Last synced: %1").replace("%1", last))
        if self.controller.syncing:
            next_text = self.tr("syncing now")
        elif self.controller.live_state() == "live" and not self.controller.paused:
            next_text = self.tr("as soon as CrocoClick reports a change")  # the long-poll is held
        elif self.controller.live_state() == "offline" and not self.controller.paused:
            next_text = self.tr("when CrocoClick can be reached again (retrying)")
        else:
            next_text = texts.next_sync_text(self.controller.next_sync_at(), self.controller.paused,
                                             self.controller.ready_to_sync())
        self.next_label.setText(self.tr("Next sync: %1").replace("%1", next_text))
        pending, failed = int(sync.get("pending") or 0), int(sync.get("failed") or 0)
        self.pending_label.setText(self.tr("Pending: %1").replace("%1", str(pending)))
        self.failed_label.setText(self.tr("Failed: %1").replace("%1", str(failed)))
        self.failed_label.setStyleSheet("color: #b3261e; font-weight: 600" if failed else "")
        self.pause_button.setText(self.tr("Resume") if self.controller.paused else self.tr("Pause"))
        self.sync_button.setText(self.tr("Sync now"))
        self.sync_button.setEnabled(not self.controller.syncing)
        if self._note and not self.controller.syncing:
            self.stage_label.setText(self._note)
            self.stage_label.show()
        elif not self.controller.syncing:
            self.stage_label.hide()

    def _syncing_changed(self, syncing: bool) -> None:
        if syncing:
            self.stage_label.setText(self.tr("Syncing…"))
            self.stage_label.show()
            self.progress.setRange(0, 0)  # busy until the first progress report
            self.progress.show()
        else:
            self.progress.hide()
        self._show()

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.stage_label.setText(texts.stage_text(stage))
        self.stage_label.show()
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(f"{done} / {total}")
        else:
            self.progress.setRange(0, 0)
        self.progress.show()

    def _finished(self, outcome: SyncOutcome) -> None:
        result = outcome.result
        if result is None:
            return
        if result.error is None:
            self._note = self.tr("Sync finished: %1 created, %2 updated, %3 failed") \
                .replace("%1", str(result.created)).replace("%2", str(result.updated)) \
                .replace("%3", str(result.failed))
        else:
            self._note = self.tr("The sync did not finish: %1").replace("%1", texts.error_texts(result.error)[0])
        self._show()
        QTimer.singleShot(8000, self._clear_note)


class RulesPage(QWidget):
    """"What is synced": the rules in force, in plain words, following the toggles and settings."""

    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.browser = QTextBrowser()
        self.browser.setObjectName("rules")
        self.browser.setOpenExternalLinks(False)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.browser)
        controller.settings_saved.connect(lambda *_: self.show_rules())
        controller.status_changed.connect(lambda *_: self.show_rules())
        self.show_rules()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self.show_rules()
        super().changeEvent(event)

    def show_rules(self) -> None:
        settings = self.controller.ctx.settings.as_dict()
        on, off = self.tr("On"), self.tr("Off")
        intro = self.tr("These are the rules CrocoQB follows now. The optional ones follow the toggles of the "
                        "QuickBooks card.")
        parts = [f"<p>{texts.escape(intro)}</p>"]
        for section, rules in texts.sync_rules(settings):
            parts.append(f"<h3>{texts.escape(section)}</h3><ol>")
            for title, text, state in rules:
                badge = ""
                if state is not None:
                    color = "#2e7d5b" if state else "#6b7177"
                    badge = f" <span style='color:{color}; font-weight:600'>[{on if state else off}]</span>"
                parts.append(f"<li><b>{texts.escape(title)}</b>{badge}<br>{texts.escape(text)}</li>")
            parts.append("</ol>")
        parts.append("<h3>" + texts.escape(self.tr("When something goes wrong")) + "</h3><p>" + texts.escape(
            self.tr("Revoked access, a missing CrocoClick key, items or taxes that cannot be matched and duplicates "
                    "each show as a problem with what to do, in this window, in the log and as a notification. "
                    "Records that fail are retried at the next sync once fixed.")) + "</p>")
        self.browser.setHtml("".join(parts))

    def plain_text(self) -> str:
        return self.browser.toPlainText()


class MainWindow(QMainWindow):
    open_log_requested = Signal()
    open_settings_requested = Signal()

    def __init__(self, ctx: AppContext, *, controller: AppController | None = None,
                 open_url: Callable[[str], Any] = open_in_browser, parent: QWidget | None = None) -> None:
        """`controller`: the app's (shared with the tray and the log viewer); without one the window
        makes its own, with the scheduler stopped (the self-test builds the window from `ctx` alone)."""
        super().__init__(parent)
        if controller is None:
            controller = AppController(ctx, start_scheduler=False, parent=self)
        self.controller = controller
        self.open_url = open_url
        #: True when a tray icon keeps the app running: closing the window then only hides it
        self.hide_on_close = False
        self.setObjectName("mainWindow")
        self.setWindowIcon(QIcon(str(resource_path("icons", "app.png"))))
        self.setStyleSheet(STYLE)
        self.resize(820, 720)
        self.setMinimumSize(640, 560)

        central = QWidget()
        root = self._root_layout = QVBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        header = QHBoxLayout()
        header.setContentsMargins(16, 12, 16, 8)
        titles = QVBoxLayout()
        self.title_label = QLabel("CrocoQB")
        self.title_label.setStyleSheet("font-size: 20px; font-weight: 700")
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("hint")
        self.demo_label = QLabel()
        self.demo_label.setObjectName("warn")
        self.demo_label.setWordWrap(True)
        self.demo_label.hide()
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        titles.addWidget(self.demo_label)
        header.addLayout(titles, 1)
        self.log_button = QPushButton()
        self.log_button.setObjectName("openLog")
        self.log_button.clicked.connect(self.open_log_requested.emit)
        self.settings_button = QPushButton()
        self.settings_button.setObjectName("openSettings")
        self.settings_button.clicked.connect(self.open_settings_requested.emit)
        header.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignTop)
        root.addLayout(header)

        banner_box = QVBoxLayout()
        banner_box.setContentsMargins(16, 0, 16, 8)
        self.banner = Banner()
        self.banner.action_requested.connect(self._banner_action)
        banner_box.addWidget(self.banner)
        root.addLayout(banner_box)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        connection_page = QWidget()
        page_layout = QVBoxLayout(connection_page)
        page_layout.setContentsMargins(16, 12, 16, 12)
        page_layout.setSpacing(12)
        self.croco_card = CrocoCard(controller)
        self.qbo_card = QboCard(controller, self._open_url)
        page_layout.addWidget(self.croco_card)
        page_layout.addWidget(self.qbo_card)
        page_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(connection_page)
        self.rules_page = RulesPage(controller)
        self.payouts_page = PayoutsPage(controller)
        self.tabs.addTab(scroll, "")
        self.tabs.addTab(self.rules_page, "")
        self.check_page = CheckPage(controller)
        self.tabs.addTab(self.check_page, "")
        # after Connect: the Check page first (what will go where), before the activation sync
        controller.connect_finished.connect(self._connected)
        self.attention = AttentionModel(controller, parent=self)
        self.attention_page = AttentionPage(self.attention)
        self.tabs.addTab(self.attention_page, "")  # "Needs attention (N)": records that need the user
        self.attention_page.count_changed.connect(lambda _: self._retranslate())
        self.tabs.addTab(self.payouts_page, "")
        tabs_box = QVBoxLayout()
        tabs_box.setContentsMargins(8, 0, 8, 0)
        tabs_box.addWidget(self.tabs)
        root.addLayout(tabs_box, 1)

        self.status_strip = StatusStrip(controller)
        root.addWidget(self.status_strip)
        self.setCentralWidget(central)

        controller.problems_changed.connect(self._problems_changed)
        self._retranslate()

    def _connected(self, result: Any, _error: Any) -> None:
        if result is not None:
            self.tabs.setCurrentWidget(self.check_page)
    def add_top_bar(self, widget: QWidget) -> None:
        """A bar above the title (the profile switcher, gui/profiles_view.py)."""
        self._root_layout.insertWidget(0, widget)

    def set_demo_note(self, text: str) -> None:
        self.demo_label.setText(text)
        self.demo_label.setVisible(bool(text))

    def _open_url(self, url: str) -> Any:
        return self.open_url(url)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("CrocoQB: QuickBooks and CrocoClick"))
        self.subtitle_label.setText(self.tr("Keeps QuickBooks Online in sync with CrocoClick"))
        self.log_button.setText(self.tr("Log"))
        self.settings_button.setText(self.tr("Settings"))
        self.tabs.setTabText(0, self.tr("Connection"))
        self.tabs.setTabText(1, self.tr("What is synced"))
        self.tabs.setTabText(2, self.tr("Check"))
        self.tabs.setTabText(3, self.tr("Needs attention (%n)", "", len(self.attention.problems)))
        self.tabs.setTabText(4, self.tr("Payouts"))
        self._problems_changed(self.controller.problems)

    def action_label(self, action: str) -> str:
        return {"reconnect": self.tr("Reconnect"), "open_log": self.tr("Open the log"),
                "croco": self.tr("Enter the key"), "attention": self.tr("Show them")}.get(action, action)

    def _problems_changed(self, problems: list[Problem]) -> None:
        self.banner.show_problems(problems, self.action_label)

    def _banner_action(self, action: str) -> None:
        if action == "reconnect":
            self.tabs.setCurrentIndex(0)
            self.qbo_card.start_connect()
        elif action == "attention":
            self.tabs.setCurrentWidget(self.attention_page)
        elif action == "open_log":
            self.open_log_requested.emit()
        elif action == "croco":
            self.tabs.setCurrentIndex(0)
            self.croco_card.key_edit.setFocus()

    def show_and_raise(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.hide_on_close:
            event.ignore()
            self.hide()
            return
        super().closeEvent(event)
