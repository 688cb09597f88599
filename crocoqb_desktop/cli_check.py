"""`crocoqb check [--json]`: the pre-flight check (rule 10). Exit 0 ready, 1 problems found, 2 cannot run."""

from __future__ import annotations

import argparse
import json
from typing import Any

_MARK = {"ok": "  ", "info": "  ", "warning": "! ", "problem": "X "}


def register(sub: Any) -> None:
    p = sub.add_parser("check", help="pre-flight: company settings, where each thing goes, what cannot map yet")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.app.preflight import run_preflight

    report = run_preflight(AppContext.open())
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str))
        return report.exit_code
    company = report.company
    print(f"QuickBooks company: {company.get('name')} ({company.get('country')}, {company.get('home_currency')})")
    print(f"CrocoClick: {report.seen.get('invoices', 0)} recent invoices and {report.seen.get('payments', 0)} "
          "payments read.")
    print("\nCompany settings")
    for row in report.settings:
        print(f"{_MARK[row.status]}{row.kind}: {row.source}. {row.text}")
        if row.status in ("warning", "problem") and row.fix:
            print(f"    What to do: {row.fix}")
    print("\nWhere things go")
    for row in report.rows:
        target = f"{row.qbo_name or '?'} (Id {row.qbo_id})" if row.qbo_id else "-"
        how = f" [{row.how}{', set by ' + row.set_by if row.set_by else ''}]" if row.how else ""
        detail = f" {row.detail}" if row.detail and row.detail != row.source else ""
        print(f"{_MARK[row.status]}{row.kind:<10} {row.source!r}{detail} -> {target}{how}")
        if row.text:
            print(f"    {row.text}")
        if row.status == "problem" and row.fix:
            print(f"    What to do: {row.fix}")
    print(f"\nLines without a product: {report.free_text_rule}")
    problems = len(report.problems)
    print("\nReady to sync." if not problems else f"\n{problems} thing(s) cannot map yet: see the X lines above.")
    return report.exit_code
