"""Packaging, checked without building: build.spec (its data, Qt modules and pruning rules), the
icons, the Windows installer script, the macOS DMG script and entitlements, the release workflow."""

from __future__ import annotations

import ast
import plistlib
import re
import shutil
import struct
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build.spec"
ENTRY = ROOT / "resources" / "packaging" / "entry.py"
ISS = ROOT / "resources" / "packaging" / "windows" / "crocoqb.iss"
DMG_SCRIPT = ROOT / "resources" / "packaging" / "macos" / "build_dmg.sh"
ENTITLEMENTS = ROOT / "resources" / "packaging" / "macos" / "entitlements.plist"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
ICONS = ROOT / "resources" / "icons"
PACKAGING_FILES = [SPEC, ENTRY, ISS, DMG_SCRIPT, ENTITLEMENTS, WORKFLOW, ROOT / "resources" / "packaging" / "bundle_size.py",
                   ROOT / "resources" / "packaging" / "make_icons.py", ROOT / "crocoqb_desktop" / "selftest.py"]
SIGNING_SECRETS = {"WINDOWS_CERT_PFX_BASE64", "WINDOWS_CERT_PASSWORD", "MACOS_CERT_P12_BASE64", "MACOS_CERT_PASSWORD",
                   "MACOS_SIGN_IDENTITY", "APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_PASSWORD"}


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def spec_literal(name: str) -> Any:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"build.spec has no literal {name}")


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """build.spec's definitions (everything before `a = Analysis(...)`), executed as PyInstaller would."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    body = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "a" for t in node.targets):
            break
        body.append(node)
    else:
        raise AssertionError("build.spec never calls Analysis")
    namespace: dict[str, Any] = {"SPECPATH": str(ROOT), "workpath": str(tmp_path_factory.mktemp("work")),
                                 "__name__": "build_spec"}
    exec(compile(ast.Module(body=body, type_ignores=[]), str(SPEC), "exec"), namespace)
    return namespace


# -- build.spec -----------------------------------------------------------------------------------
def test_spec_parses_and_builds_the_windowed_one_folder_app() -> None:
    source = SPEC.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(SPEC))
    calls = {node.func.id: node for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        assert name in calls, name
    exe = {kw.arg: kw.value for kw in calls["EXE"].keywords}
    assert ast.literal_eval(exe["console"]) is False
    assert ast.literal_eval(exe["exclude_binaries"]) is True  # one folder, not one file
    assert spec_literal("APP_NAME") == "CrocoQB"
    assert spec_literal("BUNDLE_ID") == "com.crococlick.crocoqb"
    assert (ROOT / spec_literal("ENTRY_SCRIPT")).is_file()


def test_spec_data_sources_exist() -> None:
    for path in spec_literal("REQUIRED_DATA_FILES"):
        assert (ROOT / path).is_file(), path
    sources = spec_literal("DATA_SOURCES")
    patterns = {pattern for pattern, _, _ in sources}
    assert {"resources/icons/*", "resources/translations/*.qm", "crocoqb_desktop/sandbox/*.json"} <= patterns
    for pattern, dest, required in sources:
        matches = [p for p in ROOT.glob(pattern) if p.is_file()]
        if required:
            assert matches, f"{pattern} matches nothing"
        assert dest == str(Path(pattern).parent.as_posix()), "data keep their source-tree folder in the bundle"
    assert "crocoqb_desktop/sandbox/qbo_fields.json" in spec_literal("REQUIRED_DATA_FILES")


def test_spec_data_files_and_version(spec: dict[str, Any]) -> None:
    datas = spec["data_files"]()
    dests = {(Path(src).name, dest) for src, dest in datas}
    assert ("app.png", "resources/icons") in dests
    assert ("qbo_fields.json", "crocoqb_desktop/sandbox") in dests
    assert spec["VERSION"] == pyproject_version()
    assert spec["numeric_version"]("1.2.3rc1") == (1, 2, 3)
    assert spec["numeric_version"]("2") == (2, 0, 0)
    assert spec["numeric_version"]("0.10.4.7") == (0, 10, 4)


def test_spec_qt_modules_cover_every_pyside6_import_in_the_app() -> None:
    """A GUI change that starts using another Qt module must add it to QT_MODULES_USED (else the
    frozen app cannot import it)."""
    used = set(spec_literal("QT_MODULES_USED"))
    imported: dict[str, str] = {}
    for path in (ROOT / "crocoqb_desktop").rglob("*.py"):
        for match in re.finditer(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")):
            imported.setdefault(match.group(1), str(path.relative_to(ROOT)))
    missing = {name: where for name, where in imported.items() if name not in used}
    assert not missing, f"Qt modules used by the app but excluded from the bundle: {missing}"


def test_spec_excludes_unused_qt_modules(spec: dict[str, Any]) -> None:
    excludes = set(spec["pyside6_excludes"]())
    used = {f"PySide6.{m}" for m in spec_literal("QT_MODULES_USED")}
    assert not excludes & used
    assert {"PySide6.QtQml", "PySide6.QtQuick"} <= excludes
    assert "tkinter" in spec_literal("EXCLUDED_MODULES")


def test_spec_hidden_imports_cover_keyring_and_apscheduler(spec: dict[str, Any]) -> None:
    names = set(spec["hidden_imports"]())
    for name in ("keyring.backends.SecretService", "keyring.backends.macOS", "keyring.backends.Windows",
                 "keyring.backends.kwallet", "keyring.backends.chainer", "apscheduler.triggers.interval",
                 "apscheduler.triggers.date", "apscheduler.triggers.cron", "apscheduler.executors.pool",
                 "apscheduler.jobstores.memory", "crocoqb_desktop.selftest", "crocoqb_desktop.gui.main"):
        assert name in names, name
    if sys.platform.startswith("linux"):
        assert {"secretstorage", "jeepney"} <= names


@pytest.mark.parametrize(("dest", "dropped"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
    ("PySide6/plugins/platforms/qwindows.dll", False),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", False),
    ("PySide6/Qt/plugins/imageformats/libqpdf.dylib", True),
    ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", False),
    ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", True),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", False),
    ("PySide6/Qt/plugins/networkinformation/libqglib.so", True),
    ("PySide6/Qt/lib/libQt6Core.so.6", False),
])
def test_spec_qt_plugin_rules(spec: dict[str, Any], dest: str, dropped: bool) -> None:
    assert spec["_drop_plugin"](dest) is dropped


def test_spec_prunes_qt_translations_to_qtbase_of_app_languages(spec: dict[str, Any]) -> None:
    datas = [
        ("PySide6/Qt/translations/qtbase_fr.qm", "/x/qtbase_fr.qm", "DATA"),
        ("PySide6/translations/qtbase_fr.qm", "/x/qtbase_fr.qm", "DATA"),  # Windows wheel layout
        ("PySide6/Qt/translations/qtbase_zz.qm", "/x/qtbase_zz.qm", "DATA"),
        ("PySide6/Qt/translations/qt_help_fr.qm", "/x/qt_help_fr.qm", "DATA"),
        ("PySide6/translations/designer_fr.qm", "/x/designer_fr.qm", "DATA"),
        ("resources/translations/crocoqb_fr.qm", "/x/crocoqb_fr.qm", "DATA"),
        ("babel/locale-data/fr_CA.dat", "/x/fr_CA.dat", "DATA"),  # Babel: only en, fr and root
        ("babel/locale-data/root.dat", "/x/root.dat", "DATA"),
        ("babel/locale-data/de_DE.dat", "/x/de_DE.dat", "DATA"),
        ("babel/locale-data/ja.dat", "/x/ja.dat", "DATA"),
        ("babel/global.dat", "/x/global.dat", "DATA"),
    ]
    kept = [d[0] for d in spec["prune_datas"](datas)]
    assert kept == ["PySide6/Qt/translations/qtbase_fr.qm", "PySide6/translations/qtbase_fr.qm",
                    "resources/translations/crocoqb_fr.qm", "babel/locale-data/fr_CA.dat",
                    "babel/locale-data/root.dat", "babel/global.dat"]


def test_spec_prunes_dangling_symlinks_but_keeps_framework_links(spec: dict[str, Any]) -> None:
    fw = "PySide6/Qt/lib/QtCore.framework"
    binaries = [
        (f"{fw}/Versions/A/QtCore", "/src/QtCore", "BINARY"),
        (f"{fw}/Versions/Current", "A", "SYMLINK"),
        (f"{fw}/QtCore", "Versions/Current/QtCore", "SYMLINK"),
        (f"{fw}/Resources", "Versions/Current/Resources", "SYMLINK"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6EglFSDeviceIntegration.so.6", "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", "SYMLINK"),
        (f"{fw}/Versions/Current/Gone", "Nowhere", "SYMLINK"),
    ]
    datas = [(f"{fw}/Versions/A/Resources/Info.plist", "/src/Info.plist", "DATA")]
    kept = {e[0] for e in spec["prune_symlinks"](binaries, binaries + datas)}
    assert kept == {f"{fw}/Versions/A/QtCore", f"{fw}/Versions/Current", f"{fw}/QtCore", f"{fw}/Resources",
                    "PySide6/Qt/lib/libQt6Core.so.6", "libQt6Core.so.6"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses the Linux Qt wheel's plugins")
def test_spec_prunes_libraries_only_dropped_plugins_needed(spec: dict[str, Any]) -> None:
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    files = {
        "PySide6/Qt/plugins/platforms/libqeglfs.so": qt / "plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so": qt / "plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6": qt / "lib/libQt6EglFSDeviceIntegration.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6": qt / "lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6Core.so.6": qt / "lib/libQt6Core.so.6",
    }
    if not all(p.exists() for p in files.values()):
        pytest.skip("this PySide6 build has no eglfs plugin")
    kept = {e[0] for e in spec["prune_binaries"]([(d, str(s), "BINARY") for d, s in files.items()])}
    assert kept == {"PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/Qt/lib/libQt6Gui.so.6",
                    "PySide6/Qt/lib/libQt6Core.so.6"}


def test_spec_writes_the_windows_version_resource(spec: dict[str, Any]) -> None:
    text = Path(spec["windows_version_file"]()).read_text(encoding="utf-8")
    tree = ast.parse(text, mode="eval")  # PyInstaller evaluates this file as one expression
    assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"  # type: ignore[attr-defined]
    strings = {ast.literal_eval(node.args[0]): ast.literal_eval(node.args[1]) for node in ast.walk(tree)
               if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "StringStruct"}
    version = pyproject_version()
    assert strings["ProductVersion"] == version
    assert strings["FileVersion"].startswith(".".join(str(n) for n in spec["numeric_version"](version)))
    assert strings["OriginalFilename"] == "CrocoQB.exe"
    filevers = next(kw.value for node in ast.walk(tree) if isinstance(node, ast.Call)
                    for kw in node.keywords if kw.arg == "filevers")
    assert len(ast.literal_eval(filevers)) == 4


# -- icons ----------------------------------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_icons_are_valid() -> None:
    assert png_size((ICONS / "app.png").read_bytes()) == (256, 256)
    assert png_size((ICONS / "app-1024.png").read_bytes()) == (1024, 1024)
    ico = (ICONS / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, _height, _colors, _res, _planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * i: 22 + 16 * i])
        assert bits == 32 and offset + length <= len(ico)
        sizes.add(width or 256)
    assert {16, 32, 48, 256} <= sizes
    icns = (ICONS / "app.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    types, pos = set(), 8
    while pos < len(icns):
        kind_b, length = icns[pos:pos + 4], struct.unpack(">I", icns[pos + 4:pos + 8])[0]
        assert length > 8
        types.add(kind_b)
        pos += length
    assert pos == len(icns)
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} <= types


# -- Windows installer ----------------------------------------------------------------------------
def test_no_placeholders_in_packaging_files() -> None:
    pattern = re.compile(r"\b(TODO|FIXME|XXX|CHANGEME|TBD)\b")
    for path in PACKAGING_FILES:
        text = path.read_text(encoding="utf-8-sig")
        hits = [line.strip() for line in text.splitlines() if pattern.search(line)]
        assert not hits, f"{path.relative_to(ROOT)}: {hits}"


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections.setdefault(current, [])
        elif line and not line.startswith(";"):
            sections.setdefault(current, []).append(line)
    return sections


def test_iss_is_a_per_user_installer_with_start_menu_and_login_task() -> None:
    sections = iss_sections()
    setup = dict(line.split("=", 1) for line in sections["Setup"] if "=" in line and not line.startswith("#"))
    assert setup["PrivilegesRequired"] == "lowest"
    assert re.fullmatch(r"\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", setup["AppId"])
    assert setup["DefaultDirName"].startswith("{autopf}")
    assert setup["SetupIconFile"] == r"..\..\icons\app.ico"
    assert (ISS.parent / setup["SetupIconFile"].replace("\\", "/")).resolve() == (ICONS / "app.ico").resolve()
    assert any("{autoprograms}" in line for line in sections["Icons"])
    assert any("startatlogin" in line for line in sections["Tasks"])
    assert any("Tasks: startatlogin" in line and "--minimized" in line for line in sections["Registry"])


def test_iss_matches_the_app_it_installs() -> None:
    """Names the installer shares with the app: the exe, the Run value, the data folder, the flag
    that removes the secrets."""
    from crocoqb_desktop import APP_NAME, KEYRING_SERVICE
    from crocoqb_desktop.platform import autostart

    text = ISS.read_text(encoding="utf-8-sig")
    assert '#define AppExeName "CrocoQB.exe"' in text
    assert f'#define RunValueName "{autostart.RUN_VALUE_NAME}"' in text
    assert f'#define AppName "{APP_NAME}"' in text and "{localappdata}\\{#AppName}" in text
    assert "--remove-secrets" in text and "usUninstall" in text and "usPostUninstall" in text
    assert "--remove-secrets" in ENTRY.read_text(encoding="utf-8")
    entry = load_entry()
    assert KEYRING_SERVICE in entry.SECRET_SERVICES
    assert f"{KEYRING_SERVICE}-demo" in entry.SECRET_SERVICES


def load_entry() -> Any:
    import importlib.util

    module_spec = importlib.util.spec_from_file_location("crocoqb_entry", ENTRY)
    assert module_spec and module_spec.loader
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def test_entry_remove_secrets_deletes_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    """`CrocoQB.exe --remove-secrets` (the uninstaller), run against a test service only."""
    import keyring

    from crocoqb_desktop import keychain

    entry = load_entry()
    service = "CrocoQB-packaging-test"
    monkeypatch.setattr(entry, "SECRET_SERVICES", (service,))
    keyring.set_password(service, keychain.CROCO_API_KEY, "throwaway-value")
    try:
        assert entry.main(["--remove-secrets"]) == 0
        assert keyring.get_password(service, keychain.CROCO_API_KEY) is None
        assert entry.main(["--remove-secrets"]) == 0  # nothing left: still fine
    finally:
        try:
            keyring.delete_password(service, keychain.CROCO_API_KEY)
        except keyring.errors.PasswordDeleteError:
            pass


# -- macOS ----------------------------------------------------------------------------------------
def test_dmg_script_is_valid_bash_and_handles_signing() -> None:
    if shutil.which("bash"):
        subprocess.run(["bash", "-n", str(DMG_SCRIPT)], check=True)
    text = DMG_SCRIPT.read_text(encoding="utf-8")
    assert DMG_SCRIPT.stat().st_mode & 0o111, "build_dmg.sh must be executable"
    for needle in ("MACOS_SIGN_IDENTITY", "APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_PASSWORD", "notarytool submit",
                   "stapler staple", "hdiutil create", "ln -s /Applications", "--selftest", "code signing skipped"):
        assert needle in text, needle


def test_entitlements_are_minimal_and_notarizable() -> None:
    entitlements = plistlib.loads(ENTITLEMENTS.read_bytes())
    assert entitlements.get("com.apple.security.cs.allow-unsigned-executable-memory") is True
    assert "com.apple.security.get-task-allow" not in entitlements  # notarization rejects it
    assert "com.apple.security.app-sandbox" not in entitlements


# -- release workflow -----------------------------------------------------------------------------
def test_workflow_builds_and_self_tests_on_windows_and_macos() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["tags"] == ["v*"]
    jobs = workflow["jobs"]
    by_os = {job["runs-on"].split("-")[0]: job for job in jobs.values()}
    for os_name in ("windows", "macos"):
        job = by_os[os_name]
        runs = "\n".join(step.get("run", "") for step in job["steps"])
        uses = [step.get("uses", "") for step in job["steps"]]
        assert "--selftest" in runs, os_name
        assert any(u.startswith("actions/upload-artifact") for u in uses), os_name
    assert "pyinstaller --noconfirm --clean build.spec" in "\n".join(s.get("run", "") for s in by_os["windows"]["steps"])
    assert "crocoqb.iss" in "\n".join(s.get("run", "") for s in by_os["windows"]["steps"])
    assert "build_dmg.sh" in "\n".join(s.get("run", "") for s in by_os["macos"]["steps"])
    release = jobs["release"]
    assert set(release["needs"]) == {"windows", "macos"}
    assert release["permissions"] == {"contents": "write"}
    assert workflow["permissions"] == {"contents": "read"}


def test_workflow_uses_secrets_only_for_signing() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    used = set(re.findall(r"secrets\.(\w+)", text))
    assert used and used <= SIGNING_SECRETS, used - SIGNING_SECRETS
