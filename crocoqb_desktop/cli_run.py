"""`crocoqb run`: the headless service (design-notes section 5, "Added by rules 9-14")."""

from __future__ import annotations

import argparse
from typing import Any


def cmd_run(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.headless import run_headless

    return run_headless()


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "run", help="headless service: sync in the foreground without a window (Ctrl-C or SIGTERM stops it)")
    p.set_defaults(func=cmd_run)
