"""Where the app keeps its files: one folder for everything (settings, state DB, logs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from crocoqb_desktop import APP_NAME


def data_dir() -> Path:
    """`$CROCOQB_HOME` if set, else the platform's user data folder. Created user-only (0700)."""
    env = os.environ.get("CROCOQB_HOME")
    path = Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
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
    try:
        os.chmod(path, mode)
    except OSError:  # Windows or a file system without POSIX modes: the user profile protects it
        pass


def make_user_only(path: Path) -> None:
    """Restrict a data file to its owner (POSIX); a no-op where modes do not apply."""
    _user_only(path, 0o600)
