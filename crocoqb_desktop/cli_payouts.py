"""`crocoqb payouts [--json]` (rule 14): each payout with its items and whether it is booked in
QuickBooks, and per clearing account whether its QuickBooks balance still equals what the processor
holds. Exit 0 all in order, 1 a balance drifts or a payout must be recorded by hand, 2 cannot run."""

from __future__ import annotations

import argparse
import json
from typing import Any

EXIT_OK, EXIT_PROBLEMS = 0, 1


def register(sub: Any) -> None:
    p = sub.add_parser("payouts", help="processor payouts: booked or pending, and the clearing account check")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_payouts)


def cmd_payouts(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.connection import QboConnection
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.app.payouts import STATE_TEXT, payouts_report
    from crocoqb_desktop.cli import say
    from crocoqb_desktop.errors import CrocoQBError
    from crocoqb_desktop.messages import message, render

    ctx = AppContext.open()
    try:
        client = QboConnection(ctx.settings, ctx.store).client()
    except CrocoQBError:
        client = None  # the payouts are still listed; the balances need QuickBooks
    report = payouts_report(ctx.settings, ctx.store, client)
    problems = bool(report.drifting) or any(p.state == "manual" for p in report.payouts)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return EXIT_PROBLEMS if problems else EXIT_OK
    say(message("payouts.cli_mode", "Payouts mode: {mode}", mode=report.mode))
    if not report.payouts:
        say(message("payouts.cli_none", "No payouts yet."))
    for p in report.payouts:
        state = render(STATE_TEXT[p.state]) if p.state in STATE_TEXT else p.state
        print(f"{p.arrival_date or '':<10}  {p.id:<16} {p.provider:<10} {p.amount:>12} {p.currency or '':<3}  "
              f"{state}" + (f": {p.detail}" if p.detail else ""))
        for i in p.items:
            where = render(message("payouts.cli_in_qbo", "in QuickBooks") if i.in_quickbooks
                           else message("payouts.cli_not_in_qbo", "not in QuickBooks yet"))
            print(f"    {i.type:<10} {i.payment_id or i.description or '':<16} net {i.net:>10}  {where}")
    for c in report.clearing:
        balanced = c not in report.drifting
        say(message("payouts.cli_balance", "Clearing account {account} ({provider}): QuickBooks {balance}, "
                    "expected {expected}, not paid out yet {unpaid}: {state}", account=c.account,
                    provider=c.provider, balance=c.balance, expected=c.expected, unpaid=c.not_paid_out,
                    state=render(message("payouts.cli_balanced", "balanced")) if balanced else
                    render(message("payouts.cli_drift", "DRIFT {drift}", drift=c.drift))))
        if not balanced:
            say(message("payouts.drift_fix", "  A booked transaction in this account was changed or deleted in "
                        "QuickBooks: compare the account's register with `crocoqb payouts` and undo the edit."))
    if report.balance_error:
        say(message("payouts.cli_no_balance", "Balances not checked: {reason}", reason=report.balance_error))
    return EXIT_PROBLEMS if problems else EXIT_OK
