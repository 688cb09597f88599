"""Wires the window, the log viewer, the settings dialog and the tray to one controller."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.gui import i18n
from crocoqb_desktop.gui.controller import AppController
from crocoqb_desktop.gui.main_window import MainWindow, open_in_browser
from crocoqb_desktop.gui.profiles_tray import ProfilesTray
from crocoqb_desktop.gui.profiles_view import ProfileBar, ProfileSet
from crocoqb_desktop.gui.tray import Tray

if TYPE_CHECKING:  # imported when first opened: not needed to draw the first screen
    from crocoqb_desktop.gui.log_viewer import LogViewer
    from crocoqb_desktop.gui.settings_dialog import SettingsDialog

#: the engine starts at the window's first paint, or after this long if no paint comes
ENGINE_START_FALLBACK_MS = 1000


class AfterFirstPaint(QObject):
    """Calls `then` once, just after `widget` has first been painted (or after `fallback_ms`)."""

    def __init__(self, widget: QWidget, then: Callable[[], object], fallback_ms: int = ENGINE_START_FALLBACK_MS) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then: Callable[[], object] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self.fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self._then is not None:
            QTimer.singleShot(0, self, self.fire)  # after this paint has reached the screen
        return False

    def fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self._widget.removeEventFilter(self)
            then()


class CrocoQBApp(QObject):
    def __init__(self, ctx: AppContext, *, open_url: Callable[[str], Any] = open_in_browser,
                 tray_available: bool | None = None, start_scheduler: bool = True,
                 controller: AppController | None = None, demo_note: str | None = None,
                 profiles: ProfileSet | None = None) -> None:
        """`profiles`: several businesses (rule 12): the window shows the current profile with the
        profile bar on top, the tray all of them."""
        super().__init__()
        self.qapp = QApplication.instance()
        self.profiles = profiles
        self._open_url = open_url
        self._demo_note = demo_note
        if profiles is not None:
            controller = profiles.controller()
            for other in profiles.controllers.values():
                other.settings_saved.connect(self._settings_saved)
            profiles.current_changed.connect(self._switch_profile)
        self.controller = controller or AppController(ctx, start_scheduler=start_scheduler)
        self.window = self._make_window()
        self.log_viewer: LogViewer | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.tray: Tray | ProfilesTray
        if profiles is not None:
            self.tray = ProfilesTray(profiles, open_window=self.show_window, quit_app=self.quit)
        else:
            self.tray = Tray(self.controller, open_window=self.show_window, quit_app=self.quit)
        self.has_tray = QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None else tray_available
        if self.has_tray:
            self.tray.show()
            self.window.hide_on_close = True
        if isinstance(self.qapp, QApplication):
            # Without a tray the window is the only way back in: closing it quits.
            self.qapp.setQuitOnLastWindowClosed(not self.has_tray)
            self.qapp.aboutToQuit.connect(self.shutdown)
        if profiles is None:
            self.controller.settings_saved.connect(self._settings_saved)
        self._shut = False

    def _make_window(self) -> MainWindow:
        window = MainWindow(self.controller.ctx, controller=self.controller, open_url=self._open_url)
        if self._demo_note:
            window.set_demo_note(self._demo_note)
        if self.profiles is not None:
            window.add_top_bar(ProfileBar(self.profiles))
        window.open_log_requested.connect(self.open_log)
        window.open_settings_requested.connect(self.open_settings)
        return window

    def _switch_profile(self, name: str) -> None:
        """The window, log viewer and settings show one profile: rebuilt for the one chosen."""
        assert self.profiles is not None
        old = self.window
        for extra in (self.log_viewer, self.settings_dialog):
            if extra is not None:
                extra.close()
        self.log_viewer = self.settings_dialog = None
        self.controller = self.profiles.controller(name)
        self.window = self._make_window()
        self.window.hide_on_close = old.hide_on_close
        self.window.setGeometry(old.geometry())
        if old.isVisible():
            self.window.show()
        old.hide_on_close = False
        old.close()
        old.deleteLater()
        self.controller.refresh_status()  # the new window's cards fill in from a fresh status

    def start(self, *, minimized: bool = False) -> None:
        """Shows the window (unless starting minimized to the tray), then starts the engine: the first
        screen is drawn before the scheduler and the sync service load (start at login costs little)."""
        if not (minimized and self.has_tray):
            self.show_window()
            self._engine_start = AfterFirstPaint(self.window, self._start_engine)
        else:
            self._start_engine()

    def _start_engine(self) -> None:
        if self._shut:
            return
        if self.profiles is not None:
            self.profiles.start()
        else:
            self.controller.start()
        if self.controller.setting("ui.start_at_login"):
            from crocoqb_desktop.platform import autostart

            # refresh the login item: the app may have moved since it was written
            self.controller.tasks.io(lambda: autostart.apply(True))

    def show_window(self) -> None:
        self.window.show_and_raise()

    def open_log(self, level: str | None = None) -> LogViewer:
        if self.log_viewer is None:
            from crocoqb_desktop.gui.log_viewer import LogViewer

            self.log_viewer = LogViewer(self.controller)
        if level is not None:
            self.log_viewer.set_level_filter(level)
        self.log_viewer.show()
        self.log_viewer.raise_()
        self.log_viewer.activateWindow()
        return self.log_viewer

    def open_settings(self) -> SettingsDialog:
        if self.settings_dialog is None:
            from crocoqb_desktop.gui.settings_dialog import SettingsDialog

            self.settings_dialog = SettingsDialog(self.controller, self.window)
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        return self.settings_dialog

    def _settings_saved(self, changed: dict[str, Any] | None, error: BaseException | None) -> None:
        if changed and "ui.language" in changed:
            i18n.install_language(changed["ui.language"])  # live: widgets get a LanguageChange event
            self.controller.retranslate()

    def quit(self) -> None:
        self.shutdown()
        QApplication.quit()

    def shutdown(self) -> None:
        if self._shut:
            return
        self._shut = True
        if self.profiles is not None:
            self.profiles.shutdown()
        else:
            self.controller.shutdown()
        self.tray.hide()
        if self.log_viewer is not None:
            self.log_viewer.close()
        self.window.hide_on_close = False
        self.window.close()
