"""The sandboxes sit below the GUI: no sandbox module imports `crocoqb_desktop.gui` (not even inside a
function), so `gui/main.py` -> `sandbox/demo.py` is a one-way dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import crocoqb_desktop.sandbox as sandbox_pkg


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_no_sandbox_module_imports_the_gui() -> None:
    files = sorted(Path(sandbox_pkg.__file__).parent.glob("*.py"))
    assert any(f.name == "demo.py" for f in files)
    offenders = {f.name: sorted(m for m in _imported_modules(f) if m.startswith("crocoqb_desktop.gui"))
                 for f in files}
    assert {name: mods for name, mods in offenders.items() if mods} == {}
