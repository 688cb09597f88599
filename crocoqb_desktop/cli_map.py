"""`crocoqb map list [--json] | set KIND SOURCE QBO_ID | unset KIND SOURCE` (design-notes section 5).

`set` checks the target in QuickBooks first (exists, active, of the right type; a tax code at the
CrocoClick rate of that tax) and changes nothing when it does not fit (exit 2)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from crocoqb_desktop.messages import message

EXIT_OK, EXIT_CANNOT_RUN = 0, 2


def register(sub: Any) -> None:
    p = sub.add_parser("map", help="where CrocoClick taxes, items and payments go in QuickBooks")
    actions = p.add_subparsers(dest="map_action", required=True)
    q = actions.add_parser("list", help="every mapping: kind, source, QuickBooks id and name, set by")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_map_list)
    q = actions.add_parser("set", help="map a CrocoClick tax, item, source type or processor to QuickBooks")
    q.add_argument("kind", help="tax, item, deposit, clearing, fees, payout or adjustment")
    q.add_argument("source", help="tax name, product id or line name, payment source type, or processor")
    q.add_argument("qbo_id", help="the QuickBooks Id of the tax code, item or account")
    q.set_defaults(func=cmd_map_set)
    q = actions.add_parser("unset", help="forget a mapping (the automatic choice applies again)")
    q.add_argument("kind")
    q.add_argument("source")
    q.set_defaults(func=cmd_map_unset)


def _context() -> Any:
    from crocoqb_desktop.app.context import AppContext

    return AppContext.open()


def say(msg: Any) -> None:
    from crocoqb_desktop.cli import say as cli_say

    cli_say(msg)


def cmd_map_list(args: argparse.Namespace) -> int:
    from crocoqb_desktop.sync.mappings import Mappings

    ctx = _context()
    rows = Mappings(ctx.store).all()
    if args.json:
        print(json.dumps([m.as_dict() for m in rows], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        say(message("map.cli.none", "No mappings yet: everything is matched automatically. `crocoqb check` shows "
                    "where each thing goes."))
        return EXIT_OK
    for m in rows:
        say(_line(m))
    return EXIT_OK


def _line(m: Any) -> Any:
    return message("map.cli.line", "{kind} '{source}' -> {qbo_id} '{name}' (set by {set_by})", kind=f"{m.kind:<10}",
                   source=m.source, qbo_id=m.qbo_id, name=m.qbo_name, set_by=m.set_by)


def cmd_map_set(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.preflight import set_mapping

    saved = set_mapping(_context(), args.kind, args.source, args.qbo_id)
    say(_line(saved))
    return EXIT_OK


def cmd_map_unset(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.preflight import unset_mapping
    from crocoqb_desktop.sync.mappings import MappingInputError, check_kind

    kind = check_kind(args.kind.strip().casefold())
    if not unset_mapping(_context(), kind, args.source):
        raise MappingInputError(
            message("mappings.none_to_unset", "there is no {kind} mapping for '{source}'", kind=kind,
                    source=args.source),
            fix=message("mappings.none_to_unset_fix", "Run `crocoqb map list` to see the mappings."))
    say(message("map.cli.removed", "{kind} '{source}': mapping removed; the automatic choice applies again.",
                kind=kind, source=args.source))
    return EXIT_OK
