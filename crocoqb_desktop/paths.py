"""Where the app keeps its files. One data root (`$CROCOQB_HOME` or the platform's user data folder)
holds one folder per profile (design rule 12): `<root>/profiles/<name>/` with that profile's
settings, state DB and logs. Everything that asks `data_dir()` gets the active profile's folder.

The active profile is the process's (`use_profile`, set by `crocoqb --profile`, default "default"),
unless a thread or task runs inside `profile_scope(name)` (several profiles in one process).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from crocoqb_desktop import APP_NAME

T = TypeVar("T")
DEFAULT_PROFILE = "default"
_scoped_profile: ContextVar[str | None] = ContextVar("crocoqb_profile", default=None)
_process_profile = DEFAULT_PROFILE


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


def data_root() -> Path:
    """`$CROCOQB_HOME` if set, else the platform's user data folder. Created user-only (0700)."""
    env = os.environ.get("CROCOQB_HOME")
    path = Path(env).expanduser() if env else platform_data_dir()
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        _user_only(path, 0o700)
    return path


def active_profile() -> str:
    return _scoped_profile.get() or _process_profile


def use_profile(name: str) -> None:
    """The profile of this whole process (threads without a `profile_scope` use it too)."""
    global _process_profile
    _process_profile = name


@contextmanager
def profile_scope(name: str) -> Iterator[None]:
    """Runs the block (in this thread / context only) as profile `name`."""
    token = _scoped_profile.set(name)
    try:
        yield
    finally:
        _scoped_profile.reset(token)


def bound(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn` bound to the profile active now: wherever it is called later (a scheduler's or a watcher's
    thread), it runs as that profile."""
    name = active_profile()

    def call(*args: Any, **kwargs: Any) -> T:
        with profile_scope(name):
            return fn(*args, **kwargs)

    return call


def data_dir() -> Path:
    """The active profile's folder (a data folder from a release without profiles is moved into
    profile "default" the first time). Raises UnknownProfile for a profile never added."""
    from crocoqb_desktop import profiles  # profiles builds on this module

    return profiles.ensure_folder(data_root(), active_profile())


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


def make_user_dir(path: Path) -> None:
    """Creates a folder (and parents) restricted to its owner (POSIX)."""
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        _user_only(path, 0o700)


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
