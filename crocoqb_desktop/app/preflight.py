"""The pre-flight check as a service (CLI `crocoqb check`, the window's Check page): builds the
clients from the app context, reads both services and returns the report (nothing is written)."""

from __future__ import annotations

from crocoqb_desktop.app.connection import QboConnection
from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.sync.croco_seen import scan
from crocoqb_desktop.sync.preflight import Report, run_check
from crocoqb_desktop.sync.qbo_context import QboContext


def run_preflight(ctx: AppContext) -> Report:
    """Raises CrocoQBError (exit 2) when a service cannot be reached or is not connected."""
    croco = ctx.croco_client()
    try:
        client = QboConnection(ctx.settings, ctx.store).client()
        deposit_account = ctx.settings.get("sync.deposit_account")
        default_item = ctx.settings.get("sync.default_item")
        qbo_ctx = QboContext(client, ctx.store, deposit_account=deposit_account, default_item=default_item)
        return run_check(client, qbo_ctx, scan(croco), deposit_account=deposit_account, default_item=default_item)
    finally:
        croco.close()
