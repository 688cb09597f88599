"""The tray icon: one icon per state (up to date, syncing, problem, disconnected), a menu (status
line, Sync now, Open, Pause/Resume, Quit), and notifications only for problems that need the user."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from crocoqb_desktop.gui import texts
from crocoqb_desktop.gui.controller import (
    STATE_DISCONNECTED,
    STATE_OK,
    STATE_PROBLEM,
    STATE_SYNCING,
    AppController,
)
from crocoqb_desktop.gui.resources import resource_path

STATES = (STATE_OK, STATE_SYNCING, STATE_PROBLEM, STATE_DISCONNECTED)


def state_icon(state: str) -> QIcon:
    return QIcon(str(resource_path("icons", f"tray-{state}.svg")))


class TrayIconBase(QObject):
    """What every tray shares: the icon per state, the menu it opens, a click opens the window,
    notifications only for problems, and texts again on a language change (`retranslate`)."""

    def __init__(self, state: str, *, open_window: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.open_window = open_window
        self.state = state
        self.notifications: list[tuple[str, str]] = []  # shown so far (tests, diagnostics)
        self._icons = {name: state_icon(name) for name in STATES}
        self.menu = QMenu()

    def _make_icon(self) -> None:
        """Once the menu is filled."""
        self.icon = QSystemTrayIcon(self._icons[self.state], self)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.open_window)
        self.menu.installEventFilter(self)

    def _show_state(self, state: str) -> None:
        self.state = state
        self.icon.setIcon(self._icons.get(state, self._icons[STATE_DISCONNECTED]))

    def retranslate(self) -> None:
        raise NotImplementedError

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.menu and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_window()

    def show_problem(self, title: str, message: str) -> None:
        """Only problems that need the user come here (reconnect needed, failing records)."""
        self.notifications.append((title, message))
        if self.icon.isVisible() and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Warning, 15_000)


class Tray(TrayIconBase):
    """Works without a system tray too (the menu and state exist; the icon is simply not shown)."""

    def __init__(self, controller: AppController, *, open_window: Callable[[], None],
                 quit_app: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(controller.state, open_window=open_window, parent=parent)
        self.controller = controller
        self.quit_app = quit_app

        self.status_action = QAction(self.menu)
        self.status_action.setEnabled(False)
        self.sync_action = QAction(self.menu)
        self.sync_action.triggered.connect(lambda: controller.sync_now())
        self.open_action = QAction(self.menu)
        self.open_action.triggered.connect(open_window)
        self.pause_action = QAction(self.menu)
        self.pause_action.triggered.connect(lambda: controller.set_paused(not controller.paused))
        self.quit_action = QAction(self.menu)
        self.quit_action.triggered.connect(quit_app)
        self.menu.addAction(self.status_action)
        self.menu.addSeparator()
        for action in (self.sync_action, self.open_action, self.pause_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)

        self._make_icon()

        controller.state_changed.connect(self._state_changed)
        controller.paused_changed.connect(lambda _: self.retranslate())
        controller.status_changed.connect(lambda _: self.retranslate())
        controller.sync_progress.connect(lambda *_: self.retranslate())
        controller.notify.connect(self.show_problem)
        self.retranslate()

    def _state_changed(self, state: str) -> None:
        self._show_state(state)
        self.retranslate()

    def status_text(self) -> str:
        state = self.state
        if state == STATE_SYNCING:
            progress = self.controller.progress
            if progress and progress[2]:
                return self.tr("Syncing: %1 (%2 of %3)").replace("%1", texts.stage_text(progress[0])) \
                    .replace("%2", str(progress[1])).replace("%3", str(progress[2]))
            return self.tr("Syncing…")
        if state == STATE_PROBLEM:
            problems = self.controller.problems
            return problems[0].title if problems else self.tr("A problem needs your attention")
        if state == STATE_DISCONNECTED:
            return self.tr("Not connected: open CrocoQB to finish the set-up")
        sync = (self.controller.status or {}).get("sync") or {}
        when = texts.when_text(texts.parse_utc(sync.get("last_sync_at")))
        # "up to date" only when it is: nothing waiting and the CrocoClick feed within reach
        pending = int(sync.get("pending") or 0)
        if self.controller.live_state() == "offline":
            text = self.tr("CrocoClick cannot be reached, retrying (last sync %1)").replace("%1", when)
        elif pending:
            text = self.tr("%1 waiting to be sent (last sync %2)").replace("%1", str(pending)).replace("%2", when)
        else:
            text = self.tr("Up to date (last sync %1)").replace("%1", when)
        if self.controller.paused:
            text += " · " + self.tr("paused")
        return text

    def retranslate(self) -> None:
        self.status_action.setText(self.status_text())
        self.sync_action.setText(self.tr("Sync now"))
        self.sync_action.setEnabled(not self.controller.syncing)
        self.open_action.setText(self.tr("Open CrocoQB"))
        self.pause_action.setText(self.tr("Resume syncing") if self.controller.paused else self.tr("Pause syncing"))
        self.quit_action.setText(self.tr("Quit"))
        self.icon.setToolTip("CrocoQB: " + self.status_text())
