"""Platform pieces: start at login (XDG variant on a temp XDG_CONFIG_HOME, macOS plist on a temp
folder), one instance through QLocalServer, resource lookup (source tree and PyInstaller bundle)."""

from __future__ import annotations

import os
import plistlib
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from crocoqb_desktop.platform import autostart  # noqa: E402


def test_xdg_autostart_writes_and_removes_the_desktop_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    backend = autostart.XdgAutostart()
    path = tmp_path / "config" / "autostart" / "crocoqb-desktop.desktop"
    assert backend.path == path
    assert not backend.is_enabled()
    backend.enable(["/opt/Croco QB/crocoqb", "--minimized"])
    assert backend.is_enabled()
    text = path.read_text(encoding="utf-8")
    assert "[Desktop Entry]" in text and "Type=Application" in text and "Name=CrocoQB" in text
    assert 'Exec="/opt/Croco QB/crocoqb" --minimized' in text
    backend.disable()
    assert not path.exists() and not backend.is_enabled()
    backend.disable()  # idempotent


def test_apply_follows_the_setting_with_the_default_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    backend = autostart.XdgAutostart()
    autostart.apply(True, backend)
    exec_line = next(line for line in backend.path.read_text().splitlines() if line.startswith("Exec="))
    assert "crocoqb_desktop.gui.main" in exec_line and exec_line.endswith("--minimized")
    assert sys.executable.split("/")[-1] in exec_line
    autostart.apply(False, backend)
    assert not backend.path.exists()


def test_mac_launch_agent_plist(tmp_path: Path) -> None:
    backend = autostart.MacLaunchAgent(tmp_path)
    backend.enable(["/Applications/CrocoQB.app/Contents/MacOS/CrocoQB", "--minimized"])
    with open(backend.path, "rb") as fh:
        plist = plistlib.load(fh)
    assert plist["Label"] == "com.crocoqb.desktop" and plist["RunAtLoad"] is True
    assert plist["ProgramArguments"][-1] == "--minimized"
    backend.disable()
    assert not backend.is_enabled()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG desktops")
def test_platform_choice_on_linux() -> None:
    assert isinstance(autostart.for_this_platform(), autostart.XdgAutostart)


def test_second_instance_asks_the_first_to_show(qtbot, tmp_path: Path) -> None:
    from crocoqb_desktop.platform.single_instance import SingleInstance, server_name

    name = server_name(str(tmp_path))
    assert name == server_name(str(tmp_path)) and name != server_name(str(tmp_path / "other"))
    first = SingleInstance(name)
    assert first.claim() is True
    try:
        second = SingleInstance(name)
        with qtbot.waitSignal(first.activation_requested, timeout=3000):
            assert second.claim() is False  # it only asked the first one to show itself
    finally:
        first.release()
    third = SingleInstance(name)
    assert third.claim() is True  # the first is gone: this one takes over
    third.release()


def test_resource_path_source_tree_and_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crocoqb_desktop.gui.resources import resource_path

    icon = resource_path("icons", "tray-ok.svg")
    assert icon.is_file() and icon.parent.parent.name == "resources"
    assert resource_path("translations", "crocoqb_fr.qm").is_file()
    bundle = tmp_path / "bundle"
    (bundle / "resources" / "icons").mkdir(parents=True)
    (bundle / "resources" / "icons" / "tray-ok.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resource_path("icons", "tray-ok.svg") == bundle / "resources" / "icons" / "tray-ok.svg"
    # missing from the bundle: falls back to the source tree when it exists
    assert resource_path("icons", "tray-problem.svg") == icon.parent / "tray-problem.svg"


def test_state_icons_load(qapp) -> None:
    from crocoqb_desktop.gui.tray import STATES, state_icon

    for state in STATES:
        icon = state_icon(state)
        assert not icon.isNull(), state
        assert not icon.pixmap(22, 22).isNull(), state
