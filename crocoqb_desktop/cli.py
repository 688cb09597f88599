"""`crocoqb`: the headless interface (design-notes section 5). Never prints a traceback: errors are
shown as a title, a plain message and the fix; details go to the log file."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from crocoqb_desktop import __version__, paths
from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.settings import SPECS

log = logging.getLogger("crocoqb.cli")
# before the log file is open (e.g. a bad --profile), log records go nowhere rather than to stderr
logging.getLogger("crocoqb").addHandler(logging.NullHandler())

EXIT_OK, EXIT_RECORDS_FAILED, EXIT_CANNOT_RUN = 0, 1, 2


def _context():  # imported lazily: `crocoqb --help` must stay fast
    from crocoqb_desktop.app.context import AppContext

    return AppContext.open()


# -- config ---------------------------------------------------------------------------------------
def cmd_config(args: argparse.Namespace) -> int:
    ctx = _context()
    if args.action == "list":
        for key, value in ctx.settings.as_dict().items():
            print(f"{key} = {_show(value)}")
        return EXIT_OK
    if args.action == "get":
        print(_show(ctx.settings.get(args.key)))
        return EXIT_OK
    if args.value is None:
        raise CrocoQBError("config set needs a KEY and a VALUE", title="Missing value")
    value = ctx.settings.set(args.key, args.value)
    print(f"{args.key} = {_show(value)}")
    return EXIT_OK


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- CrocoClick -----------------------------------------------------------------------------------
def cmd_croco_login(args: argparse.Namespace) -> int:
    ctx = _context()
    if sys.stdin.isatty():
        import getpass

        api_key = getpass.getpass("CrocoClick API key: ")
    else:
        api_key = sys.stdin.readline()
    me = ctx.croco_login(api_key, args.location_id)
    print(f"Connected to CrocoClick: {me.get('locationName')} ({me.get('locationId')}, {me.get('country')}, "
          f"{me.get('currency')})")
    return EXIT_OK


# -- QuickBooks connection ------------------------------------------------------------------------
def cmd_connect(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.connection import QboConnection

    ctx = _context()
    connection = QboConnection(ctx.settings, ctx.store)
    pending = connection.begin_authorization()
    print(f"Authorize at: {pending.url}", flush=True)
    pasted = None
    if args.paste:
        print("After accepting, paste the address of the page you landed on (or the code):", flush=True)
        pasted = sys.stdin.readline().strip()
    elif not args.no_browser:
        import webbrowser

        if not webbrowser.open(pending.url):
            print("Could not open a browser: open the address above yourself.", flush=True)
    result = connection.complete(pending, timeout_s=args.timeout, pasted=pasted)
    print(f"Connected to QuickBooks: {result['company_name']} (company {result['realm_id']})")
    return EXIT_OK


def cmd_disconnect(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.connection import QboConnection

    ctx = _context()
    QboConnection(ctx.settings, ctx.store).disconnect()
    print("Disconnected from QuickBooks.")
    return EXIT_OK


# -- sync -----------------------------------------------------------------------------------------
def cmd_sync(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.service import SyncService

    ctx = _context()
    service = SyncService(ctx)
    progress = _progress_printer() if sys.stderr.isatty() else None
    result = service.sync_once(progress=progress, retry_now=True)
    print(result.summary())
    if result.failed:
        print("Run `crocoqb log --level WARNING` to see each failed record and its fix.")
    return result.exit_code


def _progress_printer() -> Callable[[str, int, int], None]:
    def show(stage: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r{stage:<28} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if total and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def cmd_status(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.service import SyncService

    ctx = _context()
    status = SyncService(ctx).status()
    if args.json:
        print(json.dumps(status, indent=2, default=str))
        return EXIT_OK
    croco, qbo, sync = status["crococlick"], status["quickbooks"], status["sync"]
    print(f"CrocoClick: {'connected to ' + str(croco['location_name']) if croco['connected'] else 'not connected'}")
    qbo_text = {"connected": f"connected to {qbo.get('company_name')}",
                "reconnect_needed": "reconnect needed: " + str(qbo.get("reason") or ""),
                "not_connected": "not connected"}.get(qbo["state"], qbo["state"])
    print(f"QuickBooks: {qbo_text}")
    print(f"Last sync: {sync['last_sync_at'] or 'never'}; pending {sync['pending']}, failed {sync['failed']}")
    return EXIT_OK


def cmd_log(args: argparse.Namespace) -> int:
    ctx = _context()
    entries = ctx.store.log_entries(min_level=args.level, limit=args.limit)
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], indent=2))
        return EXIT_OK
    for e in entries:
        ids = " ".join(x for x in [e.record_kind, e.croco_id and f"croco:{e.croco_id}",
                                   e.qbo_id and f"qbo:{e.qbo_id}"] if x)
        print(f"{e.ts} {e.level:<7} {e.direction:<8} {ids + ' ' if ids else ''}{e.message}")
        if e.fix:
            print(f"{'':>33}What to do: {e.fix}")
    print(f"(log file: {paths.log_file()})", file=sys.stderr)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    if not args.headless:
        from crocoqb_desktop.gui.main import main as gui_main

        return gui_main(["--demo"])
    from crocoqb_desktop.sandbox.demo import run_demo

    return run_demo()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crocoqb", description="CrocoQB: QuickBooks Online <-> CrocoClick sync.")
    parser.add_argument("--version", action="version", version=f"crocoqb {__version__}")
    parser.add_argument("--profile", metavar="NAME",
                        help='the profile (one business) to work on; default "default" ($CROCOQB_PROFILE)')
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("config", help="read or change settings")
    p.add_argument("action", choices=["get", "set", "list"])
    p.add_argument("key", nargs="?", choices=sorted(SPECS), metavar="KEY")
    p.add_argument("value", nargs="?")
    p.set_defaults(func=cmd_config)

    p = sub.add_parser("croco-login", help="store a CrocoClick API key (read from stdin) after checking it")
    p.add_argument("--location-id", required=True)
    p.set_defaults(func=cmd_croco_login)

    p = sub.add_parser("connect", help="connect to QuickBooks (prints the authorization URL)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser; just print the URL")
    p.add_argument("--paste", action="store_true", help="paste the redirect URL or code instead of waiting")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the browser (default 600)")
    p.set_defaults(func=cmd_connect)

    p = sub.add_parser("disconnect", help="revoke QuickBooks access and forget the tokens")
    p.set_defaults(func=cmd_disconnect)

    p = sub.add_parser("sync", help="run a sync cycle")
    p.add_argument("--once", action="store_true", required=True, help="one full cycle, then exit")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("status", help="connection and sync status")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("log", help="show the sync log")
    p.add_argument("--json", action="store_true")
    p.add_argument("--level", type=str.upper, choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    p.add_argument("--limit", type=int, default=200)
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("demo", help="start the embedded sandboxes with sample data (and the app)")
    p.add_argument("--headless", action="store_true", help="only the sandboxes, no window")
    p.set_defaults(func=cmd_demo)

    for module_name in COMMAND_MODULES:
        import importlib

        importlib.import_module(module_name).register(sub)
    return parser


#: Modules that add their own sub-commands with `register(subparsers)`: one module per feature keeps
#: this file small. Each imports its heavy parts lazily inside its commands (`--help` must stay fast).
COMMAND_MODULES: list[str] = [
    "crocoqb_desktop.cli_profile",
    "crocoqb_desktop.cli_run",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "config" and args.action in {"get", "set"} and not args.key:
        parser.error(f"config {args.action} needs a KEY (one of: {', '.join(sorted(SPECS))})")
    try:
        _use_profile(args)
        return int(args.func(args))
    except CrocoQBError as exc:
        log.warning("command %s failed: %s", args.command, exc.message)
        print(exc.user_text(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except Exception as exc:  # never a traceback on the CLI; the log file has it (redacted)
        log.exception("unexpected error in %s", args.command)
        print(f"Unexpected error ({exc.__class__.__name__}). Details are in {paths.log_file()}.", file=sys.stderr)
        return EXIT_CANNOT_RUN


def _use_profile(args: argparse.Namespace) -> None:
    """Every command works on one profile (rule 12); it must exist, except "default"."""
    from crocoqb_desktop import profiles

    chosen = args.profile if args.profile is not None else os.environ.get("CROCOQB_PROFILE")
    args.profile_chosen = chosen is not None  # `run` serves every profile unless one is named
    name = profiles.validate_name(paths.DEFAULT_PROFILE if chosen is None else chosen)
    if args.command != "profile":
        profiles.ensure_folder(paths.data_root(), name)
    paths.use_profile(name)


if __name__ == "__main__":
    raise SystemExit(main())
