"""Profiles (design rule 12): one CrocoClick location + one QuickBooks company per profile, each with
its own folder `<data root>/profiles/<name>/` (settings, state DB, logs) and its own keychain entries.

Keychain entries live under a service named from the keychain base service, a key of the data root
and the profile's random id (kept in `profile.json`): no other profile, data folder, copy of a data
folder or demo ever reads them. A data folder made by a release without profiles (files at the root,
secrets under the shared base service) is moved into profile "default" on first use, secrets included.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from crocoqb_desktop import KEYRING_SERVICE, paths
from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import message

log = logging.getLogger("crocoqb.profiles")

DEFAULT = paths.DEFAULT_PROFILE
PROFILE_FILE = "profile.json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
#: what a release without profiles kept at the root of the data folder
LEGACY_ENTRIES = ("settings.json", "state.sqlite3", "state.sqlite3-wal", "state.sqlite3-shm", "logs",
                  "qbo-token.lock")
SECRET_NAMES = ("croco.api_key", "qbo.refresh_token", "qbo.realm_id", "qbo.client_secret")

_lock = threading.Lock()
_ids: dict[tuple[str, str], str] = {}
_migrated: set[str] = set()


class ProfileError(CrocoQBError):
    title = "Profile problem"


class UnknownProfile(ProfileError):
    title = "Unknown profile"


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    id: str
    folder: Path
    created_at: str


def validate_name(name: str) -> str:
    """A profile name becomes a folder name: lower-case letters, digits, '-' and '_' only."""
    if not _NAME.match(name or ""):
        raise ProfileError(
            message("profile.bad_name", "'{name}' cannot be a profile name.", name=name),
            title="Invalid profile name",
            fix=message("profile.bad_name_fix", "Use 1 to 40 lower-case letters, digits, '-' or '_', starting "
                        "with a letter or digit (for example: boutique-paris)."))
    return name


def profiles_dir(root: Path) -> Path:
    return root / "profiles"


def ensure_folder(root: Path, name: str) -> Path:
    """The folder of profile `name` (profile "default" is created on first use; others must have
    been added). Runs the one-time move of a data folder from a release without profiles."""
    validate_name(name)
    migrate_legacy(root)
    folder = profiles_dir(root) / name
    if (folder / PROFILE_FILE).exists():
        return folder
    if name != DEFAULT:
        raise UnknownProfile(
            message("profile.unknown", "There is no profile '{name}' in this data folder.", name=name),
            fix=message("profile.unknown_fix", "Run `crocoqb profile list` to see the profiles, or "
                        "`crocoqb profile add {name}` to create it.", name=name))
    return _create(root, name)


def add(root: Path, name: str) -> ProfileInfo:
    validate_name(name)
    migrate_legacy(root)
    folder = profiles_dir(root) / name
    if (folder / PROFILE_FILE).exists():
        raise ProfileError(message("profile.exists", "The profile '{name}' already exists.", name=name),
                           title="Profile exists", fix=message("profile.exists_fix", "Choose another name."))
    _create(root, name)
    return info(root, name)


def _create(root: Path, name: str) -> Path:
    folder = profiles_dir(root) / name
    with _lock:
        paths.make_user_dir(profiles_dir(root))
        paths.make_user_dir(folder)
        marker = folder / PROFILE_FILE
        if not marker.exists():
            data = {"name": name, "id": uuid.uuid4().hex, "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                      time.gmtime())}
            tmp = folder / (PROFILE_FILE + f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            paths.make_user_only(tmp)
            try:
                os.link(tmp, marker)  # atomic and never replaces one written by another process
            except FileExistsError:
                pass
            except OSError:  # no hard links on this file system
                if not marker.exists():
                    os.replace(tmp, marker)
            tmp.unlink(missing_ok=True)
    return folder


def info(root: Path, name: str) -> ProfileInfo:
    folder = profiles_dir(root) / name
    data = json.loads((folder / PROFILE_FILE).read_text(encoding="utf-8"))
    return ProfileInfo(name=name, id=str(data["id"]), folder=folder, created_at=str(data.get("created_at", "")))


def names(root: Path) -> list[str]:
    """Every profile of the data root, "default" (always there) first."""
    ensure_folder(root, DEFAULT)
    base = profiles_dir(root)
    found = sorted(p.name for p in base.iterdir() if (p / PROFILE_FILE).exists()) if base.exists() else []
    return sorted(found, key=lambda n: (n != DEFAULT, n))


def profile_id(root: Path, name: str) -> str:
    key = (str(root), name)
    cached = _ids.get(key)
    if cached is None:
        ensure_folder(root, name)
        cached = _ids[key] = info(root, name).id
    return cached


def root_key(root: Path) -> str:
    """Short stable key of a data root: a copy of a data folder elsewhere gets other keychain entries."""
    return hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:12]


def base_service() -> str:
    """"CrocoQB"; the demo and the tests use their own base (CROCOQB_KEYRING_SERVICE)."""
    return os.environ.get("CROCOQB_KEYRING_SERVICE") or KEYRING_SERVICE


def keychain_service(root: Path, name: str) -> str:
    return _service(root, profile_id(root, name))


def _service(root: Path, pid: str) -> str:
    return f"{base_service()}/{root_key(root)}/{pid}"


def forget(root: Path, name: str) -> None:
    """Deletes a profile's keychain entries and its folder (the caller revoked the grant before)."""
    from crocoqb_desktop import keychain

    service = keychain_service(root, name)
    for secret in SECRET_NAMES:
        keychain.delete_secret(secret, service=service)
    folder = profiles_dir(root) / name
    (folder / PROFILE_FILE).unlink(missing_ok=True)  # first: a half-deleted folder is no profile
    shutil.rmtree(folder, ignore_errors=True)
    _ids.pop((str(root), name), None)


# -- the one-time move of a data folder from a release without profiles ---------------------------
def migrate_legacy(root: Path) -> None:
    key = str(root)
    if key in _migrated:
        return
    if any((root / entry).exists() for entry in LEGACY_ENTRIES):
        with _RootLock(root / "profiles-migration.lock"):
            if any((root / entry).exists() for entry in LEGACY_ENTRIES):  # another process may have done it
                _migrate(root)
    _migrated.add(key)


def _migrate(root: Path) -> None:
    from crocoqb_desktop import keychain

    target = _create(root, DEFAULT)
    # secrets first: the files at the root are what says the move is not finished yet
    legacy, service = base_service(), _service(root, info(root, DEFAULT).id)
    moved = 0
    for secret in SECRET_NAMES:
        value = keychain.get_secret(secret, service=legacy)
        if value is None:
            continue
        if keychain.get_secret(secret, service=service) is None:
            keychain.set_secret(secret, value, service=service)
        keychain.delete_secret(secret, service=legacy)
        moved += 1
    for entry in LEGACY_ENTRIES:
        source = root / entry
        if source.exists() and not (target / entry).exists():
            os.replace(source, target / entry)
    log.info("data folder moved into profile %s (%d keychain entries)", DEFAULT, moved)


class _RootLock:
    """Two processes starting at once on a data folder from an old release: one moves it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                return
            except FileExistsError:
                try:
                    if time.time() - self.path.stat().st_mtime > 60:  # left by a crash
                        self.path.unlink(missing_ok=True)
                        continue
                except FileNotFoundError:
                    continue
                if time.monotonic() > deadline:
                    raise ProfileError(message("profile.migration_busy",
                                               "Another CrocoQB is moving the data folder into profiles."),
                                       fix=message("profile.retry_fix", "Try again in a minute.")) from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)
