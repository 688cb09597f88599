"""The pre-flight check as a service (CLI `crocoqb check`, the window's Check page): builds the
clients from the app context, reads both services and returns the report (nothing is written)."""

from __future__ import annotations

from crocoqb_desktop.app.connection import QboConnection
from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.sync import problems
from crocoqb_desktop.sync.croco_seen import scan
from crocoqb_desktop.sync.mappings import Mapping, Mappings
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
        return run_check(client, qbo_ctx, scan(croco), deposit_account=deposit_account, default_item=default_item,
                         payouts=ctx.settings.get("sync.payouts"))
    finally:
        croco.close()


def set_mapping(ctx: AppContext, kind: str, source: str, qbo_id: str) -> Mapping:
    """Checks the target in QuickBooks (and, for a tax, its rate against CrocoClick's), then saves the
    user's mapping and, in the same transaction, gives the records whose problem this mapping can fix
    a new attempt (problems.retry_for_mapping: skipped ones stay skipped, the others stay listed until
    they are in QuickBooks). MappingInputError (nothing changed) when it does not fit."""
    from crocoqb_desktop.messages import message
    from crocoqb_desktop.sync import mapping_targets as targets
    from crocoqb_desktop.sync.mappings import TAX, MappingInputError, check_kind, check_source

    kind = check_kind(kind.strip().casefold())
    source = check_source(kind, source)
    qbo_id = qbo_id.strip()
    if not qbo_id:
        raise MappingInputError(message("mappings.empty_target", "the QuickBooks Id is empty"),
                                fix=message("mappings.empty_target_fix", "Give the Id of the QuickBooks object."))
    client = QboConnection(ctx.settings, ctx.store).client()
    entity = targets.ENTITY_OF[kind]
    lists = targets.QboLists.read(client, [entity, "TaxRate"] if kind == TAX else [entity])
    rates = None
    if kind == TAX:
        croco = ctx.croco_client()
        try:
            rates = scan(croco).tax_rates(source)
        finally:
            croco.close()
    target = targets.check_target(kind, source, qbo_id, lists, rates)
    with ctx.store.transaction():
        saved = Mappings(ctx.store).set(kind, source, qbo_id, targets.name_of(target), set_by="user")
        problems.retry_for_mapping(ctx.store, kind)
    assert saved is not None
    return saved


def unset_mapping(ctx: AppContext, kind: str, source: str) -> bool:
    """Forgets the user's mapping (the automatic choice applies again); False when there was none."""
    from crocoqb_desktop.sync.mappings import check_kind

    kind = check_kind(kind.strip().casefold())
    with ctx.store.transaction():
        removed = Mappings(ctx.store).unset(kind, source)
        if removed:
            problems.retry_for_mapping(ctx.store, kind)
    return removed
