"""Finds the app's resource files (icons, translations) in a source tree, an installed package or a
PyInstaller bundle. Every lookup goes through `resource_path`."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # crocoqb_desktop/


def resource_roots() -> list[Path]:
    """Candidate `resources` folders, most specific first."""
    roots: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller: data files collected under <bundle>/resources
        roots.append(Path(bundle) / "resources")
    # Installed package data (a wheel maps the repository's resources/ to crocoqb_desktop/resources,
    # see pyproject.toml) comes before the source tree's <repo>/resources: next to an installed
    # package, that second path is site-packages/resources, which belongs to no one in particular.
    roots.append(_PACKAGE_DIR / "resources")
    roots.append(_PACKAGE_DIR.parent / "resources")
    return roots


def resource_path(*parts: str) -> Path:
    """The path of a resource, e.g. `resource_path("icons", "tray-ok.svg")`.

    Returns the first existing candidate; if none exists, the path in the first root (so that
    error messages name a sensible place)."""
    for root in resource_roots():
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return resource_roots()[0].joinpath(*parts)
