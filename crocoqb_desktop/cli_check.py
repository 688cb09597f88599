"""`crocoqb check [--json]`: the pre-flight check (rule 10). Exit 0 ready, 1 problems found, 2 cannot run.

The text output follows `ui.language`; kinds and reasons (tax, item, deposit, ambiguous_tax...) stay
the stable codes of `crocoqb map` and `--json`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from crocoqb_desktop.messages import Message, message

_MARK = {"ok": "  ", "info": "  ", "warning": "! ", "problem": "X "}


def register(sub: Any) -> None:
    p = sub.add_parser("check", help="pre-flight: company settings, where each thing goes, what cannot map yet")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)


def _setting_label(kind: str) -> Message | str:
    return {
        "custom_txn_numbers": message("check.label.custom_txn_numbers", "Custom transaction numbers"),
        "automated_sales_tax": message("check.label.automated_sales_tax", "Automated sales tax"),
        "multicurrency": message("check.label.multicurrency", "Multicurrency"),
        "class_location_tracking": message("check.label.tracking", "Class and location tracking"),
        "closing_date": message("check.label.closing_date", "Closing date"),
    }.get(kind, kind)


def _value(value: str) -> Message | str:
    return {"on": message("check.value.on", "on"), "off": message("check.value.off", "off"),
            "none": message("check.value.none", "none"), "n/a": message("check.value.na", "not applicable")
            }.get(value, value)


def cmd_check(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.app.preflight import run_preflight
    from crocoqb_desktop.cli import say

    report = run_preflight(AppContext.open())
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str))
        return report.exit_code
    company = report.company
    say(message("check.cli.company", "QuickBooks company: {name} ({country}, {currency})", name=company.get("name"),
                country=company.get("country"), currency=company.get("home_currency")))
    say(message("check.cli.read", "CrocoClick documents read (last 90 days): {invoices} invoices, {payments} "
                "payments.", invoices=report.seen.get("invoices", 0), payments=report.seen.get("payments", 0)))
    say("")
    say(message("check.cli.settings", "QuickBooks settings that change the sync"))
    for row in report.settings:
        say(message("check.cli.setting", "{mark}{label}: {value}. {text}", mark=_MARK[row.status],
                    label=_setting_label(row.kind), value=_value(row.source), text=row.text))
        if row.status in ("warning", "problem") and row.fix:
            say(message("check.cli.fix", "    What to do: {fix}", fix=row.fix))
    say("")
    say(message("check.cli.rows", "Where CrocoClick's data goes in QuickBooks"))
    for row in report.rows:
        target: Message | str
        if row.qbo_id:
            target = f"{row.qbo_name or '?'} (Id {row.qbo_id})"
        elif row.how in ("created", "default") and row.qbo_name:
            target = message("check.cli.new_item", "{name} (created at the first sync)", name=row.qbo_name)
        else:
            target = row.qbo_name or "-"
        how = f" [{row.how}{', ' + row.set_by if row.set_by else ''}]" if row.how else ""
        detail = f" {row.detail}" if row.detail and row.detail != row.source else ""
        say(message("check.cli.row", "{mark}{kind} '{source}'{detail} -> {target}{how}", mark=_MARK[row.status],
                    kind=f"{row.kind:<10}", source=row.source, detail=detail, target=target, how=how))
        if row.text:
            say(message("check.cli.row_text", "    {text}", text=row.text))
        if row.status == "problem" and row.fix:
            say(message("check.cli.fix", "    What to do: {fix}", fix=row.fix))
    say("")
    say(message("check.cli.free_text", "Lines without a product: {rule}", rule=report.free_text_rule))
    say("")
    problems = len(report.problems)
    say(message("check.cli.ready", "Ready to sync.") if not problems else
        message("check.cli.problems", "Cannot map yet: {count}. See the lines marked X above.", count=problems))
    return report.exit_code
