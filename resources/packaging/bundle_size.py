"""How big the frozen app is: unpacked, compressed, and its largest files.

    .venv/bin/python resources/packaging/bundle_size.py [BUNDLE] [--top 15] [--formats zip,xz]

BUNDLE defaults to dist/CrocoQB (the PyInstaller one-folder output; a macOS .app works too).
Prints `name: value` lines (the benchmark runner's format):
  files, unpacked (apparent size of the regular files; symlinks are not followed or counted),
  zip (deflate level 6: close to what a DMG (zlib) or a zip download weighs),
  tar.xz (LZMA preset 6: close to what the Inno Setup installer (lzma2) weighs),
  then largest NN: the top files with their share of the unpacked size.
Both archives are written to a temporary folder and deleted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BUNDLE = REPO_ROOT / "dist" / "CrocoQB"
FORMATS = ("zip", "xz")


def regular_files(root: Path) -> list[Path]:
    """Every regular file under `root`, without following symlinks."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        for name in filenames:
            path = base / name
            if not path.is_symlink():
                found.append(path)
        dirnames.sort()
    return sorted(found)


def zip_size(root: Path, files: list[Path], dest: Path) -> int:
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in files:
            archive.write(path, path.relative_to(root.parent))
    return dest.stat().st_size


def xz_size(root: Path, dest: Path) -> int:
    with tarfile.open(dest, "w:xz", preset=6) as archive:
        archive.add(root, arcname=root.name)  # symlinks are stored as links
    return dest.stat().st_size


def human(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def report(bundle: Path, *, top: int = 15, formats: tuple[str, ...] = FORMATS) -> list[tuple[str, str]]:
    """The `(name, value)` lines for `bundle`."""
    files = regular_files(bundle)
    sizes = {path: path.stat().st_size for path in files}
    unpacked = sum(sizes.values())
    lines = [("bundle", str(bundle)), ("files", str(len(files))), ("unpacked", f"{human(unpacked)}"),
             ("unpacked bytes", str(unpacked))]
    with tempfile.TemporaryDirectory(prefix="crocoqb-size-") as tmp:
        for fmt in formats:
            started = time.monotonic()
            if fmt == "zip":
                size, label = zip_size(bundle, files, Path(tmp) / "bundle.zip"), "zip"
            elif fmt == "xz":
                size, label = xz_size(bundle, Path(tmp) / "bundle.tar.xz"), "tar.xz"
            else:
                raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
            took = time.monotonic() - started
            ratio = size / unpacked if unpacked else 0.0
            lines += [(label, f"{human(size)} ({ratio:.0%} of unpacked, {took:.1f} s to make)"),
                      (f"{label} bytes", str(size))]
    largest = sorted(sizes.items(), key=lambda item: (-item[1], str(item[0])))[:top]
    for rank, (path, size) in enumerate(largest, start=1):
        share = size / unpacked if unpacked else 0.0
        lines.append((f"largest {rank:02d}", f"{human(size)} ({share:.1%}) {path.relative_to(bundle).as_posix()}"))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=DEFAULT_BUNDLE)
    parser.add_argument("--top", type=int, default=15, help="how many of the largest files to list")
    parser.add_argument("--formats", default=",".join(FORMATS), help="compressed sizes to measure: zip, xz")
    args = parser.parse_args(argv)
    if not args.bundle.is_dir():
        print(f"no bundle at {args.bundle}: build it first (pyinstaller --noconfirm --clean build.spec)",
              file=sys.stderr)
        return 2
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    for name, value in report(args.bundle, top=args.top, formats=formats):
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
