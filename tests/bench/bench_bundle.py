"""Size of the frozen app (dist/CrocoQB), when it has been built: unpacked, zip and tar.xz, and the
largest files. Prints `name: value` lines; prints a note and succeeds when there is no bundle.

    .venv/bin/python -m tests.bench.bench_bundle      (or: python -m tests.bench --only bundle)

Build first: .venv/bin/pyinstaller --noconfirm --clean build.spec. With CROCOQB_BENCH_QUICK set only
the zip size is measured (the tar.xz takes about a minute).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "CrocoQB"


def main() -> None:
    if not BUNDLE.is_dir():
        print("bundle: not built (run .venv/bin/pyinstaller --noconfirm --clean build.spec)")
        return
    module_spec = importlib.util.spec_from_file_location("bundle_size", ROOT / "resources" / "packaging" / "bundle_size.py")
    assert module_spec and module_spec.loader
    tool = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(tool)
    formats = ("zip",) if os.environ.get("CROCOQB_BENCH_QUICK") else ("zip", "xz")
    for name, value in tool.report(BUNDLE, top=15, formats=formats):
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
