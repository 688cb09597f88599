"""`crocoqb run`: the headless service (design-notes section 5, "Added by rules 9-14")."""

from __future__ import annotations

import argparse
from typing import Any


def cmd_run(args: argparse.Namespace) -> int:
    """Every profile of the data folder (rule 12), or the one named with --profile."""
    from crocoqb_desktop import paths, profiles
    from crocoqb_desktop.app.headless import run_headless

    names = profiles.names(paths.data_root())
    if getattr(args, "profile_chosen", False) or len(names) == 1:
        return run_headless()
    from crocoqb_desktop.app.headless_profiles import run_profiles
    from crocoqb_desktop.logging_setup import configure_logging

    configure_logging()
    return run_profiles(names)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "run", help="headless service: sync in the foreground without a window (Ctrl-C or SIGTERM stops it); "
        "every profile, or the one given with --profile")
    p.set_defaults(func=cmd_run)
