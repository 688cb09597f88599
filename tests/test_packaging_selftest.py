"""The frozen app's self-test (run from source here; CI runs it on the frozen bundle), the bundle
size report and the icon generator."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest

from crocoqb_desktop import selftest

ROOT = Path(__file__).resolve().parents[1]


def load_tool(name: str) -> Any:
    module_spec = importlib.util.spec_from_file_location(f"crocoqb_tool_{name}", ROOT / "resources" / "packaging" / f"{name}.py")
    assert module_spec and module_spec.loader
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


@pytest.fixture
def offscreen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")


# -- the steps, one by one ------------------------------------------------------------------------
def test_step_keychain_round_trip() -> None:
    import keyring

    detail = selftest.step_keychain()
    assert detail.startswith("set/get/delete round trip through keyring.backends.")
    assert keyring.get_password(selftest.SELFTEST_SERVICE, "round-trip") is None


def test_step_scheduler_fires_all_triggers_within_two_seconds() -> None:
    detail = selftest.step_scheduler()
    assert detail.startswith("interval, date and cron jobs fired within")


def test_step_qt_paints_a_window_and_loads_icons(offscreen: None) -> None:
    detail = selftest.step_qt()
    assert "platform 'offscreen'" in detail and "SVG support" in detail


def test_step_main_window(offscreen: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec(selftest.MAIN_WINDOW_MODULE) is None:
        with pytest.raises(selftest.StepFailed, match="GUI not available"):
            selftest.step_main_window()
        return
    monkeypatch.setenv("CROCOQB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CROCOQB_KEYRING_SERVICE", "CrocoQB-test")
    assert selftest.step_main_window().startswith("MainWindow painted")


def test_main_window_arguments_are_supplied_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROCOQB_HOME", str(tmp_path / "home"))

    class NeedsContext:
        def __init__(self, ctx: Any, *, controller: Any = None) -> None:
            self.ctx = ctx

    class NeedsSomethingElse:
        def __init__(self, database: Any) -> None:
            pass

    from crocoqb_desktop.app.context import AppContext

    assert isinstance(selftest._main_window_arguments(NeedsContext)["ctx"], AppContext)
    with pytest.raises(selftest.StepFailed, match="'database'"):
        selftest._main_window_arguments(NeedsSomethingElse)


# -- the run --------------------------------------------------------------------------------------
def test_run_passes_only_when_every_step_passes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    seen: dict[str, str | None] = {}

    def fake_sync(home: Path) -> str:
        seen["home"] = os.environ.get("CROCOQB_HOME")
        seen["service"] = os.environ.get("CROCOQB_KEYRING_SERVICE")
        assert home.is_dir()
        return "exit code 0"

    for name in ("step_qt", "step_main_window", "step_keychain", "step_scheduler"):
        monkeypatch.setattr(selftest, name, lambda: "fine")
    monkeypatch.setattr(selftest, "step_sync", fake_sync)
    monkeypatch.setenv("CROCOQB_HOME", "/users/real/home")
    monkeypatch.delenv("CROCOQB_KEYRING_SERVICE", raising=False)
    report = tmp_path / "report.txt"
    monkeypatch.setenv("CROCOQB_SELFTEST_REPORT", str(report))

    assert selftest.run_selftest() == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "OK"
    assert sum(line.startswith("[ok  ]") for line in out) == 5
    assert report.read_text(encoding="utf-8").splitlines() == out
    # the run used a temporary data folder and the self-test keychain service, then put things back
    assert seen["home"] != "/users/real/home" and not Path(str(seen["home"])).exists()
    assert seen["service"] == selftest.SELFTEST_SERVICE
    assert os.environ["CROCOQB_HOME"] == "/users/real/home"
    assert "CROCOQB_KEYRING_SERVICE" not in os.environ


def test_run_fails_on_a_skipped_or_failed_step(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    def boom() -> str:
        raise RuntimeError("the keychain exploded")

    def skipped(home: Path) -> str:
        raise selftest.StepSkipped(f"{selftest.SKIPPED}: crocoqb_desktop.sandbox.demo is not in this build")

    for name in ("step_qt", "step_main_window", "step_scheduler"):
        monkeypatch.setattr(selftest, name, lambda: "fine")
    monkeypatch.setattr(selftest, "step_keychain", boom)
    monkeypatch.setattr(selftest, "step_sync", skipped)
    monkeypatch.delenv("CROCOQB_SELFTEST_REPORT", raising=False)

    assert selftest.run_selftest() == 1
    out = capsys.readouterr().out
    assert "[FAIL] keychain: builtins.RuntimeError: the keychain exploded" in out
    assert "[SKIP] sync: SKIPPED-not-available" in out
    assert out.splitlines()[-1] == "FAILED: keychain, sync"


def test_step_sync_reports_missing_demo_as_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real_import = importlib.import_module

    def without_demo(name: str, *args: Any) -> Any:
        if name == selftest.DEMO_MODULE:
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real_import(name, *args)

    monkeypatch.setattr(selftest.importlib, "import_module", without_demo)
    with pytest.raises(selftest.StepSkipped, match="SKIPPED-not-available"):
        selftest.step_sync(tmp_path)


# -- tools ----------------------------------------------------------------------------------------
def test_bundle_size_report(tmp_path: Path) -> None:
    tool = load_tool("bundle_size")
    bundle = tmp_path / "CrocoQB"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "CrocoQB").write_bytes(os.urandom(3000))
    (bundle / "_internal" / "big.so").write_bytes(os.urandom(50_000))
    (bundle / "_internal" / "small.txt").write_text("x" * 100)
    (bundle / "link.so").symlink_to("_internal/big.so")
    lines = dict(tool.report(bundle, top=2))
    assert lines["files"] == "3"
    assert lines["unpacked bytes"] == str(53_100)
    assert int(lines["zip bytes"]) > 0 and int(lines["tar.xz bytes"]) > 0
    assert lines["largest 01"].endswith("_internal/big.so")
    assert lines["largest 02"].endswith(" CrocoQB")
    assert "largest 03" not in lines


def test_bundle_size_without_a_bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tool = load_tool("bundle_size")
    assert tool.main([str(tmp_path / "missing")]) == 2
    assert "build it first" in capsys.readouterr().err


def test_make_icons_writes_every_format(tmp_path: Path, offscreen: None) -> None:
    from PySide6.QtGui import QImageReader
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])  # a widgets app: later GUI tests share it
    tool = load_tool("make_icons")
    written = {p.name for p in tool.write_all(tmp_path)}
    assert written == {"app.png", "app-1024.png", "app.ico", "app.icns"}
    reader = QImageReader(str(tmp_path / "app.ico"))
    sizes = set()
    for i in range(reader.imageCount()):
        reader.jumpToImage(i)
        image = reader.read()
        assert not image.isNull()
        sizes.add(image.width())
        assert image.pixelColor(0, 0).alpha() == 0, "the corners are transparent"
    assert sizes == set(tool.ICO_SIZES)
