"""Start CrocoQB when the user logs in.

One small interface, three implementations:
- Windows: a value in the user's Run key (HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run);
- macOS: a LaunchAgent plist in ~/Library/LaunchAgents;
- Linux and other XDG desktops: a .desktop file in $XDG_CONFIG_HOME/autostart.

The command started is the app itself with `--minimized` (to the tray when there is one).
"""

from __future__ import annotations

import importlib
import os
import plistlib
import sys
from pathlib import Path
from typing import Any, Protocol

APP_ID = "crocoqb-desktop"
DISPLAY_NAME = "CrocoQB"
RUN_VALUE_NAME = "CrocoQB"
LAUNCH_AGENT_LABEL = "com.crocoqb.desktop"


def launch_command() -> list[str]:
    """How to start this app again: the frozen executable, or this Python running the GUI module."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--minimized"]
    return [sys.executable, "-m", "crocoqb_desktop.gui.main", "--minimized"]


class Autostart(Protocol):
    def is_enabled(self) -> bool: ...

    def enable(self, command: list[str] | None = None) -> None: ...

    def disable(self) -> None: ...


class XdgAutostart:
    """freedesktop.org Desktop Application Autostart: $XDG_CONFIG_HOME/autostart/<id>.desktop."""

    def __init__(self, config_home: Path | None = None) -> None:
        self._config_home = config_home

    @property
    def path(self) -> Path:
        base = self._config_home or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        return base / "autostart" / f"{APP_ID}.desktop"

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def enable(self, command: list[str] | None = None) -> None:
        exec_line = " ".join(_desktop_quote(part) for part in (command or launch_command()))
        text = (
            "[Desktop Entry]\n"
            "Type=Application\n"
            f"Name={DISPLAY_NAME}\n"
            "Comment=Keeps QuickBooks Online in sync with CrocoClick\n"
            f"Exec={exec_line}\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.path)

    def disable(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass


def _desktop_quote(arg: str) -> str:
    """Quoting for the Exec key (Desktop Entry spec): double quotes, with \\ " ` $ escaped."""
    if arg and all(c.isalnum() or c in "-_./=:," for c in arg):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


class MacLaunchAgent:
    def __init__(self, agents_dir: Path | None = None) -> None:
        self._agents_dir = agents_dir

    @property
    def path(self) -> Path:
        base = self._agents_dir or Path.home() / "Library" / "LaunchAgents"
        return base / f"{LAUNCH_AGENT_LABEL}.plist"

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def enable(self, command: list[str] | None = None) -> None:
        plist = {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": command or launch_command(),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "wb") as fh:
            plistlib.dump(plist, fh)

    def disable(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass


def _winreg() -> Any:
    """The Windows registry module (imported by name: it exists only on Windows)."""
    return importlib.import_module("winreg")


class WindowsRunKey:
    KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"

    def is_enabled(self) -> bool:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, self.KEY) as key:
                winreg.QueryValueEx(key, RUN_VALUE_NAME)
                return True
        except FileNotFoundError:
            return False

    def enable(self, command: list[str] | None = None) -> None:
        import subprocess

        winreg = _winreg()

        value = subprocess.list2cmdline(command or launch_command())
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, self.KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, RUN_VALUE_NAME, 0, winreg.REG_SZ, value)

    def disable(self) -> None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, self.KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, RUN_VALUE_NAME)
        except FileNotFoundError:
            pass


def for_this_platform() -> Autostart:
    if sys.platform == "win32":
        return WindowsRunKey()
    if sys.platform == "darwin":
        return MacLaunchAgent()
    return XdgAutostart()


def apply(enabled: bool, backend: Autostart | None = None) -> None:
    """Make the login item match the `ui.start_at_login` setting."""
    backend = backend or for_this_platform()
    if enabled:
        backend.enable()
    else:
        backend.disable()


__all__ = ["Autostart", "MacLaunchAgent", "WindowsRunKey", "XdgAutostart", "apply", "for_this_platform",
           "launch_command"]
