"""`crocoqb problems` and `crocoqb resolve`: the records that need the user (design rule 9)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from crocoqb_desktop.messages import message

EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


def cmd_problems(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.sync import problems

    ctx = AppContext.open()
    found = problems.list_problems(ctx.store, include_skipped=args.all)
    if args.json:
        print(json.dumps([p.as_dict() for p in found], indent=2, ensure_ascii=False))
        return EXIT_PROBLEMS if any(p.state == "open" for p in found) else EXIT_OK
    if not found:
        print(message("cli.problems.none", "No record needs your attention."))
        return EXIT_OK
    for p in found:
        state = "" if p.state == "open" else f" [{p.state}]"
        print(f"{p.kind} {p.label} (CrocoClick id {p.croco_id}){state}: {p.reason}")
        print(f"  {p.message}")
        if p.fix:
            print("  " + str(message("cli.fix", "What to do: {fix}", fix=p.fix)))
        print(f"  Actions: crocoqb resolve {p.croco_id} {'|'.join(p.actions)}")
    return EXIT_PROBLEMS if any(p.state == "open" for p in found) else EXIT_OK


def cmd_resolve(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.app.service import SyncService
    from crocoqb_desktop.sync import problems, resolve

    ctx = AppContext.open()
    store = ctx.store
    problem = resolve.pick(store, args.croco_id)
    resolve.check(problem, args.action, args.qbo_id)
    customer: dict[str, Any] | None = None
    service = SyncService(ctx)
    if args.action == "relink":
        from crocoqb_desktop.sync.qbo_context import QboContext

        qbo = QboContext(service.connection.client(), store)
        item = store.outbox_item(problem.op_key)
        if item is None:
            raise resolve.ResolveRefused(resolve.RECORD_GONE)
        customer = resolve.relink_target(qbo.client, qbo.company(), item, args.qbo_id)
    done = resolve.apply(store, problem, args.action, customer)
    print(done)
    if args.action == "skip":
        return EXIT_OK
    result = service.sync_once()
    after = problems.get(store, problem.op_key)
    if after is None:
        print(message("cli.resolve.solved", "Solved: {kind} {label} is in QuickBooks.", kind=problem.kind,
                      label=problem.label))
        return EXIT_OK
    print(message("cli.resolve.still", "Still needs your attention: {message}", message=after.message))
    if after.fix:
        print(message("cli.fix", "What to do: {fix}", fix=after.fix))
    return EXIT_CANNOT_RUN if result.error is not None else EXIT_PROBLEMS


def register(sub: Any) -> None:
    p = sub.add_parser("problems", help="records that need you (exit 1 when there are some)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="also the records you chose to skip")
    p.set_defaults(func=cmd_problems)

    p = sub.add_parser("resolve", help="answer a problem: retry, resend, skip, or relink --qbo-id ID")
    p.add_argument("croco_id", metavar="CROCOCLICK_ID")
    p.add_argument("action", choices=["retry", "resend", "skip", "relink"])
    p.add_argument("--qbo-id", dest="qbo_id", help="the QuickBooks customer Id (relink)")
    p.set_defaults(func=cmd_resolve)
