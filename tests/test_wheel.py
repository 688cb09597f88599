"""The wheel carries the icons and translations, and the app runs from it as it does from a checkout.

The wheel is built from a copy of the project's files (so the checkout gets no build/ or egg-info),
installed without dependencies into a fresh venv outside the checkout that borrows this venv's
dependencies (PySide6, keyring...) through a .pth line, then started from another folder: the
packaged self-test (window shown offscreen, icons, translations, keychain, scheduler, one sync) and
the interface in French."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FILES = ["pyproject.toml", "setup.py", "README.md", "crocoqb_desktop", "resources"]
WHEEL_RESOURCES = ["icons/*", "translations/*.qm"]  # pyproject.toml's package-data for resources/


def _shipped_resources() -> list[str]:
    files = {p for pattern in WHEEL_RESOURCES for p in (ROOT / "resources").glob(pattern) if p.is_file()}
    return sorted(p.relative_to(ROOT / "resources").as_posix() for p in files)


#: marks a folder that holds a copy of the code (not a data folder): the secret scan of test_security skips it,
#: since the demo's published sample key is part of the code
CODE_COPY_MARK = ".code-copy"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    (source / CODE_COPY_MARK).touch()
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, source / name)
    out = tmp_path_factory.mktemp("wheelhouse")
    (out / CODE_COPY_MARK).touch()
    # No build isolation: setuptools and wheel come from this venv (the dev extra), so no download.
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(source)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheels = list(out.glob("crocoqb_desktop-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (in a folder whose name has a space and an accent) with the wheel installed."""
    env_dir = tmp_path_factory.mktemp("fresh venv é") / "venv"
    (env_dir.parent / CODE_COPY_MARK).touch()
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # This venv's site-packages is appended (after the fresh one) for the dependencies. A plain path
    # line: its own .pth files (the checkout's editable install) are not processed.
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return env_dir


def _run(env_dir: Path, args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env.update(QT_QPA_PLATFORM="offscreen", CROCOQB_HOME=str(home), CROCOQB_KEYRING_SERVICE="CrocoQB-test-wheel")
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_wheel_contains_the_icons_translations_and_sandbox_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = _shipped_resources()
    assert "icons/tray-ok.svg" in expected and "translations/crocoqb_fr.qm" in expected
    missing = [f for f in expected if f"crocoqb_desktop/resources/{f}" not in names]
    assert not missing, f"missing from the wheel: {missing}"
    assert "crocoqb_desktop/sandbox/qbo_fields.json" in names
    # the packaging scripts and translation sources are not part of the app
    assert not [n for n in names if n.startswith("crocoqb_desktop/resources/packaging/") or n.endswith(".ts")]
    assert not [n for n in names if not n.startswith(("crocoqb_desktop/", "crocoqb_desktop-"))]


def test_app_runs_from_the_wheel_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    python = installed / "bin" / "python"
    check = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication
        import crocoqb_desktop
        from crocoqb_desktop.gui import i18n
        from crocoqb_desktop.gui.resources import resource_path
        app = QApplication(sys.argv[:1])
        print("PACKAGE", crocoqb_desktop.__file__)
        print("ICON", resource_path("icons", "tray-ok.svg"))
        print("LANGUAGE", i18n.install_language("fr"))
        print("TEXT", QCoreApplication.translate("Problems", "CrocoClick is not connected"))
    """)
    proc = _run(installed, [str(python), "-c", check], elsewhere, tmp_path / "home")
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    package_dir = Path(lines["PACKAGE"]).parent
    assert package_dir.is_relative_to(installed) and not package_dir.is_relative_to(ROOT)
    icon = Path(lines["ICON"])
    assert icon == package_dir / "resources" / "icons" / "tray-ok.svg" and icon.is_file()
    assert lines["LANGUAGE"] == "fr"
    assert lines["TEXT"] not in {"", "CrocoClick is not connected"}  # the French .qm loaded from the wheel

    # the gui-script the wheel installs, running the packaged self-test: window offscreen, icons,
    # translations, keychain, scheduler, one sync against the embedded sandboxes
    script = installed / "bin" / "crocoqb-desktop"
    proc = _run(installed, [str(script), "--selftest"], elsewhere, tmp_path / "home")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "translations: en, fr" in proc.stdout and proc.stdout.rstrip().endswith("OK"), proc.stdout
