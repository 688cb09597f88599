"""Where the app keeps its files: one folder for everything (settings, state DB, logs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from crocoqb_desktop import APP_NAME


def platform_data_dir(platform: str | None = None) -> Path:
    """The user data folder of `platform` (default: this one), through platformdirs:
    - Windows: %LOCALAPPDATA%\\CrocoQB (local, not roaming; the installer's uninstaller removes
      {localappdata}\\CrocoQB, so the two must agree);
    - macOS: ~/Library/Application Support/CrocoQB;
    - Linux and other XDG systems: $XDG_DATA_HOME/CrocoQB (~/.local/share/CrocoQB)."""
    platform = platform or sys.platform
    if platform == "win32":
        from platformdirs.windows import Windows as Dirs
    elif platform == "darwin":
        from platformdirs.macos import MacOS as Dirs  # type: ignore[assignment]
    else:
        from platformdirs.unix import Unix as Dirs  # type: ignore[assignment]
    return Path(Dirs(APP_NAME, appauthor=False, roaming=False).user_data_dir)


def data_dir() -> Path:
    """`$CROCOQB_HOME` if set, else the platform's user data folder. Created user-only (0700)."""
    env = os.environ.get("CROCOQB_HOME")
    path = Path(env).expanduser() if env else platform_data_dir()
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        _user_only(path, 0o700)
    return path


def settings_file() -> Path:
    return data_dir() / "settings.json"


def state_db_file() -> Path:
    return data_dir() / "state.sqlite3"


def log_dir() -> Path:
    path = data_dir() / "logs"
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        _user_only(path, 0o700)
    return path


def log_file() -> Path:
    return log_dir() / "crocoqb.log"


def _user_only(path: Path, mode: int) -> None:
    if sys.platform == "win32":  # no POSIX modes: the user profile's ACL already keeps others out
        return
    try:
        os.chmod(path, mode)
    except OSError:  # a file system without POSIX modes (FAT, some network shares)
        pass


def make_user_only(path: Path) -> None:
    """Restrict a data file to its owner (POSIX); a no-op where modes do not apply."""
    _user_only(path, 0o600)
