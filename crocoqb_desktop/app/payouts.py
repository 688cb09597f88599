"""The payouts report (rule 14), for `crocoqb payouts` and the window's Payouts page: each payout with
its items and whether it is booked, and per clearing account whether QuickBooks' balance still equals
what the processor holds (a drift means someone edited a booked transaction in QuickBooks)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import message
from crocoqb_desktop.settings import Settings
from crocoqb_desktop.sync.store import StateStore

#: what each booking state means, in the user's words (the GUI translates its own copy)
STATE_TEXT = {
    "waiting": message("payouts.state.waiting", "pending"),
    "booked": message("payouts.state.booked", "booked"),
    "failed": message("payouts.state.failed", "failed at the bank (nothing booked)"),
    "reversed": message("payouts.state.reversed", "failed at the bank (transfer reversed)"),
    "reversing": message("payouts.state.reversing", "failed at the bank (reversal pending)"),
    "manual": message("payouts.state.manual", "to record by hand"),
    "not_clearing": message("payouts.state.not_clearing", "not through clearing"),
}


@dataclass
class PayoutItemView:
    type: str
    payment_id: str | None
    refund_id: str | None
    gross: str
    fee: str
    net: str
    description: str | None
    in_quickbooks: bool


@dataclass
class PayoutView:
    id: str
    provider: str
    amount: str
    currency: str | None
    arrival_date: str | None
    state: str
    detail: str | None
    items: list[PayoutItemView] = field(default_factory=list)


@dataclass
class ClearingView:
    provider: str
    account_id: str
    account: str
    balance: str
    expected: str
    not_paid_out: str
    drift: str


@dataclass
class ProviderAccounts:
    """The four accounts of a processor (id, name), None when not chosen yet (rule 14)."""

    provider: str
    clearing: tuple[str, str] | None
    fees: tuple[str, str] | None
    payout: tuple[str, str] | None
    adjustment: tuple[str, str] | None


@dataclass
class PayoutsReport:
    mode: str
    payouts: list[PayoutView]
    clearing: list[ClearingView]
    accounts: list[ProviderAccounts] = field(default_factory=list)
    #: per kind ("payout": active Bank accounts; "adjustment": active expense and income accounts), the
    #: (id, name) of the accounts the user may choose
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: why the balances could not be read (not connected...), else None
    balance_error: str | None = None

    @property
    def drifting(self) -> list[ClearingView]:
        return [c for c in self.clearing if Decimal(c.drift) != 0]

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["balanced"] = not self.drifting and self.balance_error is None
        return out


def _items(store: StateStore, payout: dict[str, Any], booked: bool) -> list[PayoutItemView]:
    from crocoqb_desktop.sync.payout_store import PayoutStore

    data = PayoutStore(store)
    out = []
    for item in payout.get("items") or []:
        if not isinstance(item, dict):
            continue
        kind = str(item.get("type"))
        if kind == "payment":
            here = data.item(f"payment:{item.get('paymentId')}") is not None or any(
                store.link(k, str(item.get("paymentId"))) is not None for k in ("payment", "invoice_payment"))
        elif kind == "refund":
            here = data.item(f"refund:{item.get('refundId')}") is not None
        else:
            here = booked  # booked with the payout itself
        out.append(PayoutItemView(kind, item.get("paymentId"), item.get("refundId"), str(item.get("gross")),
                                  str(item.get("fee")), str(item.get("net")), item.get("description"), here))
    return out


def payouts_report(settings: Settings, store: StateStore, qbo_client: Any | None,
                   language: str | None = None) -> PayoutsReport:
    """`qbo_client` None: the payouts only (the balances need QuickBooks). Details in `language`."""
    from crocoqb_desktop.messages import render
    from crocoqb_desktop.sync.payout_store import PayoutStore

    # newest first: by arrival day, then by when the processor made the payout
    rows = sorted(PayoutStore(store).payouts(), key=lambda r: (r.arrival_date or "", str(r.payload.get("createdAt"))),
                  reverse=True)
    views = [PayoutView(r.id, r.provider, str(r.amount), r.currency, r.arrival_date, r.state,
                        render(r.detail_data, language) if r.detail_data is not None else None,
                        _items(store, r.payload, r.state == "booked")) for r in rows]
    report = PayoutsReport(str(settings.get("sync.payouts")), views, [], provider_accounts(store, rows))
    if qbo_client is not None:
        from crocoqb_desktop.sync.mapping_targets import ACCOUNT_TYPES
        from crocoqb_desktop.sync.mappings import ADJUSTMENT, PAYOUT

        try:
            accounts = [a for a in qbo_client.query_all("Account") if a.get("Active", True) is not False]
        except CrocoQBError as exc:
            report.balance_error = exc.message
            accounts = []
        report.choices = {kind: [(str(a["Id"]), str(a.get("FullyQualifiedName") or a.get("Name") or ""))
                                 for a in accounts if a.get("AccountType") in ACCOUNT_TYPES[kind]]
                          for kind in (PAYOUT, ADJUSTMENT)}
    if not PayoutStore(store).clearing_accounts():
        return report
    if qbo_client is None:
        report.balance_error = str(message("payouts.not_connected", "not connected to QuickBooks").render(language))
        return report
    from crocoqb_desktop.sync.payouts import clearing_balances

    try:
        balances = clearing_balances(qbo_client, store)
    except CrocoQBError as exc:
        report.balance_error = exc.message
        return report
    report.clearing = [ClearingView(b["provider"], b["account_id"], str(b["account"]), str(b["balance"]),
                                    str(b["expected"]), str(b["not_paid_out"]), str(b["drift"])) for b in balances]
    return report


def provider_accounts(store: StateStore, rows: list[Any] | None = None) -> list[ProviderAccounts]:
    """Every processor seen (in a mapping, a booked payment or a payout; "stripe" when none yet)."""
    from crocoqb_desktop.sync.mappings import ADJUSTMENT, CLEARING, FEES, PAYOUT, PROVIDER_KINDS, Mappings
    from crocoqb_desktop.sync.payout_store import PayoutStore

    maps = Mappings(store)
    providers = {m.source for m in maps.all() if m.kind in PROVIDER_KINDS}
    providers |= set(PayoutStore(store).clearing_accounts().values())
    providers |= {r.provider for r in rows or [] if r.provider}
    out = []
    for provider in sorted(providers or {"stripe"}):
        pick = {}
        for kind in (CLEARING, FEES, PAYOUT, ADJUSTMENT):
            found = maps.get(kind, provider)
            pick[kind] = (found.qbo_id, found.qbo_name) if found else None
        out.append(ProviderAccounts(provider, pick[CLEARING], pick[FEES], pick[PAYOUT], pick[ADJUSTMENT]))
    return out
