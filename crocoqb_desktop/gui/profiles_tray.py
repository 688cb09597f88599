"""The tray with several profiles (rule 12): the icon shows the worst state across profiles, the
status line says which profile needs attention, "Sync now" per profile or for all."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from crocoqb_desktop.gui.controller import STATE_OK, STATE_PROBLEM, STATE_SYNCING
from crocoqb_desktop.gui.profiles_view import ProfileSet
from crocoqb_desktop.gui.tray import TrayIconBase


class ProfilesTray(TrayIconBase):
    def __init__(self, profile_set: ProfileSet, *, open_window: Callable[[], None], quit_app: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(profile_set.worst_state(), open_window=open_window, parent=parent)
        self.profiles = profile_set
        self.status_action = QAction(self.menu)
        self.status_action.setEnabled(False)
        self.sync_all_action = QAction(self.menu)
        self.sync_all_action.triggered.connect(profile_set.sync_all)
        self.sync_menu = QMenu(self.menu)
        self.sync_actions: dict[str, QAction] = {}
        self.open_action = QAction(self.menu)
        self.open_action.triggered.connect(open_window)
        self.pause_action = QAction(self.menu)
        self.pause_action.triggered.connect(lambda: profile_set.set_paused(not profile_set.paused))
        self.quit_action = QAction(self.menu)
        self.quit_action.triggered.connect(quit_app)
        self.menu.addAction(self.status_action)
        self.menu.addSeparator()
        self.menu.addAction(self.sync_all_action)
        self.menu.addMenu(self.sync_menu)
        self.menu.addAction(self.open_action)
        self.menu.addAction(self.pause_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self._make_icon()
        self._watched: set[str] = set()
        profile_set.changed.connect(self.update)
        self.update()

    def retranslate(self) -> None:
        self.update()

    def _watch_new_profiles(self) -> None:
        for name in self.profiles.names:
            if name not in self._watched:
                self._watched.add(name)
                controller = self.profiles.controller(name)
                controller.notify.connect(lambda title, text, n=name: self.show_problem(f"{n}: {title}", text))
                controller.syncing_changed.connect(lambda _: self.update())

    def status_text(self) -> str:
        state = self.state
        if state == STATE_OK:
            return self.tr("All %n business(es) up to date", "", len(self.profiles.counted()))
        worst = self.profiles.worst_profile() or ""
        if state == STATE_SYNCING:
            return self.tr("Syncing: %1").replace("%1", worst)
        if state == STATE_PROBLEM:
            problems = self.profiles.controller(worst).problems
            title = problems[0].title if problems else self.tr("A problem needs your attention")
            return f"{worst}: {title}"
        return self.tr("%1: not connected, open CrocoQB to finish the set-up").replace("%1", worst)

    def update(self) -> None:
        self._watch_new_profiles()
        self._show_state(self.profiles.worst_state())
        self.status_action.setText(self.status_text())
        self.sync_all_action.setText(self.tr("Sync all now"))
        self.sync_menu.setTitle(self.tr("Sync now"))
        for name in self.profiles.names:
            action = self.sync_actions.get(name)
            if action is None:
                action = self.sync_actions[name] = QAction(self.sync_menu)
                action.triggered.connect(lambda _=False, n=name: self.profiles.controller(n).sync_now())
                self.sync_menu.addAction(action)
            action.setText(name)
            action.setEnabled(not self.profiles.controller(name).syncing)
        self.open_action.setText(self.tr("Open CrocoQB"))
        self.pause_action.setText(self.tr("Resume syncing") if self.profiles.paused else self.tr("Pause syncing"))
        self.quit_action.setText(self.tr("Quit"))
        self.icon.setToolTip("CrocoQB: " + self.status_text())

