"""Several businesses in one app (design rule 12): one AppController per profile, each with its own
scheduler, and the profile bar at the top of the window (the switcher, each profile's status at a
glance, "Add profile…"). The window shows one profile at a time; the others keep syncing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crocoqb_desktop import paths, profiles
from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.gui import texts
from crocoqb_desktop.gui.controller import (
    STATE_DISCONNECTED,
    STATE_OK,
    STATE_PROBLEM,
    STATE_SYNCING,
    AppController,
)
from crocoqb_desktop.gui.widgets import is_language_change

log = logging.getLogger("crocoqb.gui")
translate = QCoreApplication.translate

# worst first: the tray shows the worst state across profiles
SEVERITY = {STATE_PROBLEM: 3, STATE_DISCONNECTED: 2, STATE_SYNCING: 1, STATE_OK: 0}


def open_profile(name: str) -> AppContext:
    from crocoqb_desktop.settings import Settings
    from crocoqb_desktop.sync.store import StateStore

    with paths.profile_scope(name):
        return AppContext(settings=Settings(), store=StateStore())


class ProfileSet(QObject):
    """Every profile of the data folder with its controller; `current` is the one the window shows
    (and the process's profile for the few calls the window makes on the GUI thread)."""

    changed = Signal()  # a profile's state, status or the list changed
    current_changed = Signal(str)

    def __init__(self, *, current: str | None = None, start_scheduler: bool = True,
                 contexts: dict[str, AppContext] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._start_scheduler = start_scheduler
        self._started = False
        # how the profile bar asks for a new profile's name and shows a refusal (dialogs by default)
        self.ask_name: Callable[[QWidget], str | None] = ask_profile_name
        self.show_error: Callable[[QWidget, CrocoQBError], Any] = show_profile_error
        self.contexts: dict[str, AppContext] = dict(contexts or {})
        self.controllers: dict[str, AppController] = {}
        for name in profiles.names(paths.data_root()):
            self._add_controller(name)
        self.current = current if current in self.controllers else paths.active_profile()
        if self.current not in self.controllers:
            self.current = profiles.DEFAULT
        paths.use_profile(self.current)

    def _add_controller(self, name: str) -> AppController:
        ctx = self.contexts.get(name) or open_profile(name)
        self.contexts[name] = ctx
        with paths.profile_scope(name):  # the controller (its tasks and scheduled runs) is this profile's
            controller = AppController(ctx, start_scheduler=self._start_scheduler, parent=self)
        controller.state_changed.connect(lambda _: self.changed.emit())
        controller.status_changed.connect(lambda _: self.changed.emit())
        self.controllers[name] = controller
        return controller

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> None:
        self._started = True
        for controller in self.controllers.values():
            controller.start()

    def shutdown(self) -> None:
        for controller in self.controllers.values():
            controller.shutdown()

    def close_stores(self) -> None:
        for ctx in self.contexts.values():
            ctx.store.close()

    # -- profiles ----------------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return sorted(self.controllers, key=lambda n: (n != profiles.DEFAULT, n))

    def controller(self, name: str | None = None) -> AppController:
        return self.controllers[name or self.current]

    def select(self, name: str) -> None:
        if name == self.current or name not in self.controllers:
            return
        self.current = name
        paths.use_profile(name)
        self.current_changed.emit(name)
        self.changed.emit()

    def add_profile(self, name: str) -> str:
        """Creates the profile and its controller (not connected: the window shows the usual set-up)."""
        name = name.strip().lower()
        profiles.add(paths.data_root(), name)
        return self.load_profile(name)

    def load_profile(self, name: str) -> str:
        """Adds the controller of a profile that exists on disk (e.g. added with `crocoqb profile add`)."""
        if name in self.controllers:
            return name
        controller = self._add_controller(name)
        if self._started:
            controller.start()
        self.changed.emit()
        return name

    # -- at a glance -------------------------------------------------------------------------------
    def counted(self) -> list[str]:
        """The profiles the tray reports on: a profile never set up (nothing connected, e.g. an unused
        "default") is left out while another one is set up."""
        def set_up(name: str) -> bool:
            status = self.controllers[name].status or {}
            return bool((status.get("crococlick") or {}).get("connected")) or \
                (status.get("quickbooks") or {}).get("state") in {"connected", "reconnect_needed"}

        used = [n for n in self.names if set_up(n)]
        return used or self.names

    def worst_state(self) -> str:
        return max((self.controllers[n].state for n in self.counted()), key=lambda s: SEVERITY.get(s, 2),
                   default=STATE_DISCONNECTED)

    def worst_profile(self) -> str | None:
        worst = self.worst_state()
        return next((n for n in self.counted() if self.controllers[n].state == worst), None)

    def state_text(self, name: str) -> str:
        state = self.controllers[name].state
        return {
            STATE_OK: translate("Profiles", "Up to date"),
            STATE_SYNCING: translate("Profiles", "Syncing"),
            STATE_PROBLEM: translate("Profiles", "Needs attention"),
            STATE_DISCONNECTED: translate("Profiles", "Not connected"),
        }.get(state, state)

    def summary(self, name: str) -> str:
        """"Up to date · last sync today at 10:42" (and "· 2 problems"), in the current language."""
        controller = self.controllers[name]
        status = controller.status or {}
        state_text = self.state_text(name)
        last = texts.when_text(texts.parse_utc((status.get("sync") or {}).get("last_sync_at")))
        parts = [state_text, translate("Profiles", "last sync %1").replace("%1", last)]
        problems = len(controller.problems)
        if problems:  # short enough for the switcher: the count only when there is one
            parts.append(translate("Profiles", "%n problem(s)", "", problems))
        return " · ".join(parts)

    def location_name(self, name: str) -> str:
        croco = (self.controllers[name].status or {}).get("crococlick") or {}
        return str(croco.get("location_name") or "")

    @property
    def paused(self) -> bool:
        return all(c.paused for c in self.controllers.values())

    def set_paused(self, paused: bool) -> None:
        """Pause or resume every profile's schedule (the window's Pause is the shown profile's)."""
        for controller in self.controllers.values():
            controller.set_paused(paused)
        self.changed.emit()

    def sync_all(self) -> None:
        for name in self.names:
            self.controllers[name].sync_now()


def show_profile_error(parent: QWidget, exc: CrocoQBError) -> None:
    QMessageBox.warning(parent, "CrocoQB", exc.user_text())


def ask_profile_name(parent: QWidget) -> str | None:
    text, ok = QInputDialog.getText(parent, translate("Profiles", "Add a profile"), translate(
        "Profiles", "A short name for the new business (letters, digits, '-' or '_'), for example boutique-paris:"))
    return text if ok and text.strip() else None


class ProfileBar(QWidget):
    """The switcher (each profile with its status), the status of the others, and Add profile."""

    def __init__(self, profile_set: ProfileSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileBar")
        self.profiles = profile_set
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 0)
        outer.setSpacing(2)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(layout)
        self.others_label = QLabel()  # the other profiles at a glance (the combo shows the current one)
        self.others_label.setObjectName("hint")
        self.others_label.setWordWrap(True)
        outer.addWidget(self.others_label)
        self.label = QLabel()
        self.combo = QComboBox()
        self.combo.setObjectName("profileSwitcher")
        self.combo.setMinimumWidth(420)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addProfile")
        layout.addWidget(self.label)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.add_button)
        self._filling = False
        self.combo.currentIndexChanged.connect(self._picked)
        self.add_button.clicked.connect(self.add_profile)
        profile_set.changed.connect(self.refresh)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.label.setText(self.tr("Business:"))
        self.add_button.setText(self.tr("Add profile…"))
        self.refresh()

    def item_text(self, name: str) -> str:
        location = self.profiles.location_name(name)
        title = f"{name} ({location})" if location else name
        return f"{title} — {self.profiles.summary(name)}"

    def refresh(self) -> None:
        self._filling = True
        try:
            names = self.profiles.names
            if [self.combo.itemData(i) for i in range(self.combo.count())] != names:
                self.combo.clear()
                for name in names:
                    self.combo.addItem("", name)
            for i, name in enumerate(names):
                self.combo.setItemText(i, self.item_text(name))
            self.combo.setCurrentIndex(names.index(self.profiles.current))
        finally:
            self._filling = False
        others = [f"{n} ({self.profiles.state_text(n)})" for n in names if n != self.profiles.current]
        self.others_label.setText(self.tr("Other businesses: %1").replace("%1", ", ".join(others)))
        self.others_label.setVisible(bool(others))

    def _picked(self, index: int) -> None:
        if not self._filling and index >= 0:
            self.profiles.select(str(self.combo.itemData(index)))

    def add_profile(self) -> str | None:
        name = self.profiles.ask_name(self)
        if not name:
            return None
        try:
            created = self.profiles.add_profile(name)
        except CrocoQBError as exc:
            self.profiles.show_error(self, exc)
            return None
        self.profiles.select(created)
        return created
