"""`crocoqb`: the headless interface (design-notes section 5). Never prints a traceback: errors are
shown as a title, a plain message and the fix; details go to the log file. Everything it prints
follows `ui.language` (messages as data, rendered by crocoqb_desktop.i18n)."""

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
from crocoqb_desktop.messages import Message, message, render
from crocoqb_desktop.settings import SPECS

log = logging.getLogger("crocoqb.cli")
# before the log file is open (e.g. a bad --profile), log records go nowhere rather than to stderr
logging.getLogger("crocoqb").addHandler(logging.NullHandler())

EXIT_OK, EXIT_RECORDS_FAILED, EXIT_CANNOT_RUN = 0, 1, 2


def say(msg: Message | str, *, file: Any = None, flush: bool = False) -> None:
    """Print a message in the user's language."""
    print(render(msg), file=file or sys.stdout, flush=flush)


def _install_language() -> None:
    """Follow `ui.language` (the settings file is read again by the command; it is small)."""
    from crocoqb_desktop import i18n
    from crocoqb_desktop.settings import Settings

    try:
        setting = Settings().get("ui.language")
    except CrocoQBError:
        setting = "system"  # a broken settings file is reported by the command itself
    i18n.install(setting)


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
        raise CrocoQBError(message("cli.config_set_needs_value", "config set needs a KEY and a VALUE"),
                           title=message("cli.config_set_needs_value.title", "Missing value"))
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

        api_key = getpass.getpass(render(message("cli.api_key_prompt", "CrocoClick API key: ")))
    else:
        api_key = sys.stdin.readline()
    me = ctx.croco_login(api_key, args.location_id)
    say(message("cli.croco_connected", "Connected to CrocoClick: {location} ({location_id}, {country}, {currency})",
                location=me.get("locationName"), location_id=me.get("locationId"), country=me.get("country"),
                currency=me.get("currency")))
    return EXIT_OK


# -- QuickBooks connection ------------------------------------------------------------------------
def cmd_connect(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.connection import QboConnection

    ctx = _context()
    connection = QboConnection(ctx.settings, ctx.store)
    pending = connection.begin_authorization()
    say(message("cli.authorize_at", "Authorize at: {url}", url=pending.url), flush=True)
    pasted = None
    if args.paste:
        say(message("cli.paste_prompt", "After accepting, paste the address of the page you landed on (or the code):"),
            flush=True)
        pasted = sys.stdin.readline().strip()
    elif not args.no_browser:
        import webbrowser

        if not webbrowser.open(pending.url):
            say(message("cli.no_browser", "Could not open a browser: open the address above yourself."), flush=True)
    result = connection.complete(pending, timeout_s=args.timeout, pasted=pasted)
    say(message("cli.qbo_connected", "Connected to QuickBooks: {company_name} (company {realm_id})",
                company_name=result["company_name"], realm_id=result["realm_id"]))
    return EXIT_OK


def cmd_disconnect(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.connection import QboConnection

    ctx = _context()
    QboConnection(ctx.settings, ctx.store).disconnect()
    say(message("cli.disconnected", "Disconnected from QuickBooks."))
    return EXIT_OK


# -- sync -----------------------------------------------------------------------------------------
def cmd_sync(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.service import SyncService

    ctx = _context()
    service = SyncService(ctx)
    progress = _progress_printer() if sys.stderr.isatty() else None
    result = service.sync_once(progress=progress, retry_now=True)
    say(result.summary_message())
    if result.failed:
        say(message("cli.see_log", "Run `crocoqb log --level WARNING` to see each failed record and its fix."))
    return result.exit_code


#: the engine's progress stages (plain keys, which the GUI translates too) as messages
_STAGES = {
    "Importing QuickBooks customers": message("cli.stage.customers", "Importing QuickBooks customers"),
    "Importing QuickBooks invoices": message("cli.stage.invoices", "Importing QuickBooks invoices"),
    "Sending to QuickBooks": message("cli.stage.push", "Sending to QuickBooks"),
}


def _progress_printer() -> Callable[[str, int, int], None]:
    def show(stage: str, done: int, total: int) -> None:
        stage = render(_STAGES.get(stage, stage))
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
    if croco["connected"]:
        say(message("cli.status.croco_connected", "CrocoClick: connected to {location}", location=croco["location_name"]))
    else:
        say(message("cli.status.croco_not_connected", "CrocoClick: not connected"))
    if qbo["state"] == "connected":
        say(message("cli.status.qbo_connected", "QuickBooks: connected to {company}", company=qbo.get("company_name")))
    elif qbo["state"] == "reconnect_needed":
        say(message("cli.status.qbo_reconnect", "QuickBooks: reconnect needed: {reason}", reason=qbo.get("reason") or ""))
    else:
        say(message("cli.status.qbo_not_connected", "QuickBooks: not connected"))
    last = sync["last_sync_at"] or message("cli.status.never", "never")
    say(message("cli.status.sync", "Last sync: {last}; pending {pending}, failed {failed}", last=last,
                pending=sync["pending"], failed=sync["failed"]))
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
        print(f"{e.ts} {e.level:<7} {e.direction:<8} {ids + ' ' if ids else ''}{render(e.message_data())}")
        if e.fix:
            print(f"{'':>33}{render(message('cli.log.what_to_do', 'What to do: {fix}', fix=e.fix_data()))}")
    say(message("cli.log.file", "(log file: {path})", path=str(paths.log_file())), file=sys.stderr)
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
    "crocoqb_desktop.cli_map",
    "crocoqb_desktop.cli_check",
    "crocoqb_desktop.cli_problems",
    "crocoqb_desktop.cli_payouts",
    "crocoqb_desktop.cli_profile",
    "crocoqb_desktop.cli_run",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _install_language()
    if args.command == "config" and args.action in {"get", "set"} and not args.key:
        parser.error(f"config {args.action} needs a KEY (one of: {', '.join(sorted(SPECS))})")
    try:
        _use_profile(args)
        return int(args.func(args))
    except CrocoQBError as exc:
        log.warning("command %s failed: %s", args.command, exc.message)
        say(exc.user_message(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        say(message("cli.interrupted", "Interrupted."), file=sys.stderr)
        return EXIT_CANNOT_RUN
    except Exception as exc:  # never a traceback on the CLI; the log file has it (redacted)
        log.exception("unexpected error in %s", args.command)
        say(message("cli.unexpected", "Unexpected error ({name}). Details are in {path}.", name=exc.__class__.__name__,
                    path=str(paths.log_file())), file=sys.stderr)
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
