"""The built bundle (dist/CrocoQB), when there is one newer than build.spec: what must be in it and
what must not. Skipped without a build; CI builds first, then runs this and the frozen --selftest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "CrocoQB"
INTERNAL = BUNDLE / "_internal"

# Libraries a widgets app must never carry (Qt Quick/QML/PDF/WebEngine, the GTK stack of the GTK theme
# plugin, Qt's software OpenGL on Windows).
FORBIDDEN = re.compile(r"(Qt6?(Qml|Quick|Pdf|WebEngine|Multimedia|3D|VirtualKeyboard)|libgtk-3|libgdk-3|libcairo"
                       r"|opengl32sw|tkinter|_tkinter)", re.IGNORECASE)


@pytest.fixture(scope="module")
def bundle() -> Path:
    if not INTERNAL.is_dir():
        pytest.skip("no bundle: run .venv/bin/pyinstaller --noconfirm --clean build.spec")
    if INTERNAL.stat().st_mtime < (ROOT / "build.spec").stat().st_mtime:
        pytest.skip("dist/CrocoQB is older than build.spec: rebuild it")
    return BUNDLE


def test_bundle_has_the_data_files(bundle: Path) -> None:
    for rel in ("resources/icons/app.png", "crocoqb_desktop/sandbox/qbo_fields.json"):
        assert (INTERNAL / rel).is_file(), rel
    app_translations = sorted(p.name for p in (ROOT / "resources" / "translations").glob("*.qm"))
    bundled = sorted(p.name for p in (INTERNAL / "resources" / "translations").glob("*.qm"))
    assert bundled == app_translations


def test_bundle_has_entry_point_metadata(bundle: Path) -> None:
    for dist in ("apscheduler", "keyring", "crocoqb_desktop"):
        infos = [p for p in INTERNAL.iterdir() if p.name.lower().startswith(dist + "-")
                 and p.suffix in {".dist-info", ".egg-info"}]
        assert infos, f"no metadata for {dist}"
    aps = next(p for p in INTERNAL.iterdir() if p.name.lower().startswith("apscheduler-"))
    assert "apscheduler.triggers" in (aps / "entry_points.txt").read_text(encoding="utf-8")


def test_bundle_leaves_out_what_the_app_does_not_use(bundle: Path) -> None:
    names = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*")]
    forbidden = [n for n in names if FORBIDDEN.search(Path(n).name)]
    assert not forbidden, forbidden
    qt_translations = [n for n in names if re.search(r"PySide6/(Qt/)?translations/.+\.qm$", n)]
    assert qt_translations and all(Path(n).name.startswith("qtbase_") for n in qt_translations)


def test_bundle_has_no_dangling_symlinks(bundle: Path) -> None:
    dangling = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling, dangling
