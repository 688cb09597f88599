"""The Windows and macOS code paths, run on Linux: start at login (the Run key through an in-memory
stand-in for the stdlib `winreg` module, the LaunchAgent plist read back with `plistlib`), the data
folder and log locations, one instance (an OS file lock), the keychain size cap of Windows Credential
Manager, file permissions where there are no POSIX modes, and paths with spaces and non-ASCII user
names throughout."""

from __future__ import annotations

import logging
import os
import plistlib
import stat
import subprocess
import sys
import textwrap
import types
from pathlib import Path, PureWindowsPath
from typing import Any

import pytest

from crocoqb_desktop import keychain, paths
from crocoqb_desktop.errors import KeychainError
from crocoqb_desktop.logging_setup import configure_logging, reset_logging_for_tests
from crocoqb_desktop.platform import autostart
from crocoqb_desktop.platform.single_instance import InstanceLock

USER = "Éloïse Dupont-Ngọc"  # a space, accents, a Vietnamese letter
WINDOWS_EXE = rf"C:\Users\{USER}\AppData\Local\Programs\CrocoQB\CrocoQB.exe"


# -- a stand-in for the stdlib `winreg` module -------------------------------------------------------------
class FakeWinreg(types.ModuleType):
    """The part of `winreg` the app uses, with its semantics: keys open for reading unless asked,
    missing keys and values raise FileNotFoundError, writing through a read-only handle is refused,
    handles are context managers."""

    HKEY_CURRENT_USER = 0x80000001
    KEY_READ = 0x20019
    KEY_SET_VALUE = 0x0002
    KEY_WRITE = 0x20006
    REG_SZ = 1

    def __init__(self) -> None:
        super().__init__("winreg")
        self.keys: dict[tuple[int, str], dict[str, tuple[Any, int]]] = {}

    class _Handle:
        def __init__(self, values: dict[str, tuple[Any, int]], access: int) -> None:
            self.values, self.access = values, access

        def __enter__(self) -> FakeWinreg._Handle:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def _path(self, root: int, sub_key: str) -> tuple[int, str]:
        return root, sub_key.lower()  # registry key names are case-insensitive

    def OpenKey(self, key: int, sub_key: str, reserved: int = 0, access: int = KEY_READ) -> _Handle:  # noqa: N802
        path = self._path(key, sub_key)
        if path not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self._Handle(self.keys[path], access)

    def CreateKeyEx(self, key: int, sub_key: str, reserved: int = 0, access: int = KEY_WRITE) -> _Handle:  # noqa: N802
        return self._Handle(self.keys.setdefault(self._path(key, sub_key), {}), access)

    def QueryValueEx(self, handle: _Handle, name: str) -> tuple[Any, int]:  # noqa: N802
        if name not in handle.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return handle.values[name]

    def SetValueEx(self, handle: _Handle, name: str, reserved: int, kind: int, value: Any) -> None:  # noqa: N802
        if not handle.access & self.KEY_SET_VALUE:
            raise PermissionError(13, "Access is denied")
        handle.values[name] = (value, kind)

    def DeleteValue(self, handle: _Handle, name: str) -> None:  # noqa: N802
        if not handle.access & self.KEY_SET_VALUE:
            raise PermissionError(13, "Access is denied")
        if name not in handle.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del handle.values[name]


@pytest.fixture
def winreg(monkeypatch: pytest.MonkeyPatch) -> FakeWinreg:
    fake = FakeWinreg()
    monkeypatch.setitem(sys.modules, "winreg", fake)
    return fake


# -- start at login ------------------------------------------------------------------------------------------
def test_windows_run_key_round_trip_with_spaces_and_accents(winreg: FakeWinreg) -> None:
    backend = autostart.WindowsRunKey()
    assert not backend.is_enabled()  # no Run key at all yet
    backend.disable()  # nothing to remove: no error
    backend.enable([WINDOWS_EXE, "--minimized"])
    assert backend.is_enabled()
    values = winreg.keys[(winreg.HKEY_CURRENT_USER, r"software\microsoft\windows\currentversion\run")]
    value, kind = values["CrocoQB"]
    assert kind == winreg.REG_SZ
    # quoted as Windows parses a command line: the path with spaces stays one argument
    assert value == f'"{WINDOWS_EXE}" --minimized'
    # the installer's [Registry] line writes the same value name, so uninstall and the app agree
    iss = (Path(__file__).resolve().parents[1] / "resources/packaging/windows/crocoqb.iss").read_text("utf-8-sig")
    assert f'#define RunValueName "{autostart.RUN_VALUE_NAME}"' in iss
    assert r'#define RunKey "Software\Microsoft\Windows\CurrentVersion\Run"' in iss
    backend.disable()
    assert not backend.is_enabled() and "CrocoQB" not in values
    backend.disable()  # idempotent


def test_windows_run_key_leaves_other_values_alone(winreg: FakeWinreg) -> None:
    with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, autostart.WindowsRunKey.KEY, 0, winreg.KEY_SET_VALUE) as key:
        winreg.SetValueEx(key, "OneDrive", 0, winreg.REG_SZ, r'"C:\Program Files\OneDrive.exe" /background')
    backend = autostart.WindowsRunKey()
    autostart.apply(True, backend)
    autostart.apply(False, backend)
    values = winreg.keys[(winreg.HKEY_CURRENT_USER, autostart.WindowsRunKey.KEY.lower())]
    assert list(values) == ["OneDrive"]


def test_frozen_launch_command_is_the_executable(monkeypatch: pytest.MonkeyPatch, winreg: FakeWinreg) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", WINDOWS_EXE)
    assert autostart.launch_command() == [WINDOWS_EXE, "--minimized"]
    autostart.WindowsRunKey().enable()
    values = winreg.keys[(winreg.HKEY_CURRENT_USER, autostart.WindowsRunKey.KEY.lower())]
    assert values["CrocoQB"][0] == f'"{WINDOWS_EXE}" --minimized'


@pytest.mark.parametrize(("platform", "backend"), [("win32", autostart.WindowsRunKey),
                                                   ("darwin", autostart.MacLaunchAgent),
                                                   ("linux", autostart.XdgAutostart)])
def test_backend_per_platform(monkeypatch: pytest.MonkeyPatch, platform: str, backend: type) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    assert isinstance(autostart.for_this_platform(), backend)


def test_mac_launch_agent_in_a_home_with_spaces_and_accents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "Users" / USER
    monkeypatch.setenv("HOME", str(home))
    app = f"/Applications/Croco QB {USER}.app/Contents/MacOS/CrocoQB"
    backend = autostart.MacLaunchAgent()
    assert backend.path == home / "Library" / "LaunchAgents" / "com.crocoqb.desktop.plist"
    backend.enable([app, "--minimized"])
    raw = backend.path.read_bytes()
    assert raw.startswith(b"<?xml") and b"<!DOCTYPE plist" in raw  # an XML plist, as launchd expects
    plist = plistlib.loads(raw, fmt=plistlib.FMT_XML)
    assert plist == {"Label": "com.crocoqb.desktop", "ProgramArguments": [app, "--minimized"],
                     "RunAtLoad": True, "ProcessType": "Interactive"}
    assert backend.is_enabled()
    backend.enable([app + "2", "--minimized"])  # enabling again rewrites, never duplicates
    assert plistlib.loads(backend.path.read_bytes())["ProgramArguments"][0] == app + "2"
    backend.disable()
    assert not backend.path.exists() and not backend.is_enabled()


# -- data folder and logs ------------------------------------------------------------------------------------
def test_data_folder_per_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import platformdirs.windows

    local = rf"C:\Users\{USER}\AppData\Local"
    folders = {"CSIDL_LOCAL_APPDATA": local, "CSIDL_APPDATA": rf"C:\Users\{USER}\AppData\Roaming"}
    # the Windows shell's known-folder lookup, which platformdirs calls (it needs Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", folders.__getitem__)
    windows = paths.platform_data_dir("win32")
    # local, not roaming, no author level: the folder the uninstaller removes ({localappdata}\CrocoQB)
    assert PureWindowsPath(windows) == PureWindowsPath(local) / "CrocoQB"
    iss = (Path(__file__).resolve().parents[1] / "resources/packaging/windows/crocoqb.iss").read_text("utf-8-sig")
    assert r"ExpandConstant('{localappdata}\{#AppName}')" in iss and '#define AppName "CrocoQB"' in iss

    home = tmp_path / "Users" / USER
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)  # (platformdirs honours it on macOS too)
    assert paths.platform_data_dir("darwin") == home / "Library" / "Application Support" / "CrocoQB"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "my data"))
    assert paths.platform_data_dir("linux") == home / "my data" / "CrocoQB"


def test_data_folder_and_logs_in_a_path_with_spaces_and_accents(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / USER / "Croco QB données"
    monkeypatch.setenv("CROCOQB_HOME", str(home))
    old = os.umask(0o022)
    try:
        reset_logging_for_tests()
        folder = home / "profiles" / "default"  # the root holds one folder per profile (rule 12)
        assert paths.data_root() == home and paths.data_dir() == folder
        assert paths.log_file() == folder / "logs" / "crocoqb.log"
        configure_logging()
        logging.getLogger("crocoqb.test").info("facture n° 2026-001 pour %s", USER)
        for handler in logging.getLogger("crocoqb").handlers:
            handler.flush()
        text = paths.log_file().read_text(encoding="utf-8")
        assert f"facture n° 2026-001 pour {USER}" in text
        # user-only where POSIX modes exist
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / "logs").stat().st_mode) == 0o700
        assert stat.S_IMODE(paths.log_file().stat().st_mode) == 0o600
    finally:
        reset_logging_for_tests()
        os.umask(old)


def test_no_posix_modes_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows the data folder, logs and files are created without chmod (the user profile's ACL
    protects them); nothing fails for want of POSIX modes."""
    home = tmp_path / USER / "CrocoQB"
    monkeypatch.setenv("CROCOQB_HOME", str(home))
    old = os.umask(0o022)
    try:
        monkeypatch.setattr(sys, "platform", "win32")
        folder, logs = paths.data_dir(), paths.log_dir()
        paths.log_file().write_text("x", encoding="utf-8")
        paths.make_user_only(paths.log_file())
    finally:
        monkeypatch.setattr(sys, "platform", "linux")
        os.umask(old)
    assert folder.is_dir() and logs.is_dir()
    # left as created (0777 & ~umask): no chmod was attempted
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755 and stat.S_IMODE(logs.stat().st_mode) == 0o755
    assert stat.S_IMODE(paths.log_file().stat().st_mode) == 0o644


def test_file_system_without_modes_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FAT or network folder refuses chmod: the app still creates its folders and files."""
    def refuse(*_: Any, **__: Any) -> None:
        raise PermissionError(1, "Operation not permitted")

    home = tmp_path / USER
    monkeypatch.setenv("CROCOQB_HOME", str(home))
    monkeypatch.setattr(os, "chmod", refuse)
    assert paths.data_dir().is_dir() and paths.log_dir().is_dir()
    paths.make_user_only(paths.data_dir())


# -- one instance ------------------------------------------------------------------------------------------
def test_instance_lock_excludes_and_is_freed_when_its_process_dies(tmp_path: Path) -> None:
    folder = tmp_path / USER / "Croco QB"
    first, second = InstanceLock(folder / "instance.lock"), InstanceLock(folder / "instance.lock")
    assert first.acquire() and first.held
    assert not second.acquire() and not second.held  # the same process, another open: excluded too
    first.release()
    assert second.acquire()
    second.release()

    # a process holding the lock is killed (a crash): the OS frees the lock, no stale file blocks the next start
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from crocoqb_desktop.platform.single_instance import InstanceLock
        lock = InstanceLock(Path({str(folder / "instance.lock")!r}))
        print(lock.acquire(), flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        third = InstanceLock(folder / "instance.lock")
        assert not third.acquire()
    finally:
        holder.kill()
        holder.wait(10)
    assert third.acquire()
    third.release()


def test_second_launch_waits_for_the_first_to_listen(qtbot, tmp_path: Path) -> None:
    """The first instance takes the lock at once but listens only once its window is drawn; a
    second launch in between keeps trying, then asks it to show its window, and exits."""
    from PySide6.QtCore import QTimer

    from crocoqb_desktop.platform.single_instance import SingleInstance, server_name

    data = tmp_path / USER / "Croco QB"
    data.mkdir(parents=True)
    first = SingleInstance(server_name(str(data)), lock_dir=data)
    assert first.claim(listen=False)
    second = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from pathlib import Path
        from PySide6.QtCore import QCoreApplication
        from crocoqb_desktop.platform.single_instance import SingleInstance, server_name
        app = QCoreApplication([])
        data = Path({str(data)!r})
        print("claimed" if SingleInstance(server_name(str(data)), lock_dir=data).claim() else "deferred", flush=True)
    """)], stdout=subprocess.PIPE, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    try:
        QTimer.singleShot(700, first.listen)  # "the window is drawn"
        with qtbot.waitSignal(first.activation_requested, timeout=10_000):
            pass
        assert second.stdout is not None and second.stdout.read().strip() == "deferred"
        assert second.wait(10) == 0
    finally:
        if second.poll() is None:
            second.kill()
        first.release()


# -- keychain -----------------------------------------------------------------------------------------------
@pytest.fixture
def keychain_service(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("CROCOQB_KEYRING_SERVICE", "CrocoQB-test-platform")
    yield
    keychain.delete_secret(keychain.CROCO_API_KEY)


def test_keychain_cap_is_windows_credential_manager_utf16(keychain_service: None) -> None:
    """Credential Manager keeps 2,560 bytes and keyring stores UTF-16 there: 1,280 ASCII characters
    fit, 1,281 do not (whatever the OS, so a key accepted here is accepted on Windows)."""
    longest = "k" * 1_280
    keychain.set_secret(keychain.CROCO_API_KEY, longest)
    assert keychain.get_secret(keychain.CROCO_API_KEY) == longest
    accents = "é" * 1_280  # two bytes each in UTF-16 as in UTF-8
    keychain.set_secret(keychain.CROCO_API_KEY, accents)
    assert keychain.get_secret(keychain.CROCO_API_KEY) == accents
    emoji = "🐊" * 640  # a surrogate pair each: 4 bytes
    keychain.set_secret(keychain.CROCO_API_KEY, emoji)
    assert keychain.get_secret(keychain.CROCO_API_KEY) == emoji

    for too_long in ("k" * 1_281, "🐊" * 641):
        with pytest.raises(KeychainError) as caught:
            keychain.set_secret(keychain.CROCO_API_KEY, too_long)
        text = caught.value.user_text()
        assert f"is too long for the keychain ({len(too_long)} characters)" in text
        assert too_long[:20] not in text  # the secret is never echoed
        assert keychain.get_secret(keychain.CROCO_API_KEY) == emoji  # nothing was overwritten
