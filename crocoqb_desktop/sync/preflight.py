"""The pre-flight check (design-notes rule 10): before the first sync, and any time later, what will
happen. Reads QuickBooks (CompanyInfo, Preferences, accounts, tax codes and rates, items, payment
methods) and what CrocoClick's recent invoices and payments carry (`croco_seen`), and says for each
CrocoClick tax, product, free-text line, payment source type, payment method, processor and
currency where it goes in QuickBooks and why, and what cannot map yet, with the fix. It also shows
the company settings that change the sync and what the app does about each.

It writes nothing, to either service or to the state file: the same rules as the sync
(`mapping_tax.tax_code_choice`, `QboContext.item_choice`, `QboCompany.deposit_for`) run without
their writes, so the check cannot drift from what a sync does.

`Report.ready` is False when a row is a "problem" (the sync would fail that record); "warning"
rows (a closing date, class tracking) do not stop anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.sync import mapping
from crocoqb_desktop.sync.croco_seen import Seen
from crocoqb_desktop.sync.mapping_common import plain
from crocoqb_desktop.sync.mapping_targets import QboLists, active, name_of
from crocoqb_desktop.sync.mapping_tax import tax_code_choice
from crocoqb_desktop.sync.mappings import DEPOSIT, ITEM, PROVIDER_KINDS, TAX, Mappings
from crocoqb_desktop.sync.qbo_context import BY_DEFAULT, DEFAULT_ITEM_NAME, QboContext

OK, INFO, WARNING, PROBLEM = "ok", "info", "warning", "problem"


@dataclass
class Row:
    """One line of the check: a company setting or a CrocoClick thing and where it goes."""

    kind: str  # setting id, or tax | item | deposit | method | currency | clearing | fees | payout | adjustment
    source: str
    status: str
    how: str = ""  # mapping (set by the user), name, rate, id, default, created, setting, ...
    qbo_id: str = ""
    qbo_name: str = ""
    detail: str = ""
    text: Message | str = ""
    fix: Message | str = ""
    reason: str = ""  # a stable code for problems (unmapped_tax, ambiguous_tax, ...)
    set_by: str = ""
    count: int = 0

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k not in ("text", "fix")}
        out["message"] = str(self.text)
        out["fix"] = str(self.fix)
        for key in ("text", "fix"):
            value = getattr(self, key)
            if isinstance(value, Message):
                out[f"{'message' if key == 'text' else 'fix'}_id"] = value.id
        return out


@dataclass
class Report:
    company: dict[str, Any] = field(default_factory=dict)
    settings: list[Row] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    free_text_rule: Message | str = ""
    seen: dict[str, int] = field(default_factory=dict)
    #: the active QuickBooks objects each kind may point to (the GUI's pickers)
    choices: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def problems(self) -> list[Row]:
        return [r for r in self.settings + self.rows if r.status == PROBLEM]

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def exit_code(self) -> int:
        return 0 if self.ready else 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "problems": len(self.problems),
            "company": self.company,
            "settings": [r.as_dict() for r in self.settings],
            "mappings": [r.as_dict() for r in self.rows],
            "free_text_rule": str(self.free_text_rule),
            "seen": self.seen,
            "choices": self.choices,
        }


def run_check(client: Any, ctx: QboContext, seen: Seen, *, deposit_account: str = "",
              default_item: str = "", payouts: str = "off") -> Report:
    """The report. `client` is the QuickBooks client (reads only), `ctx` the engine's QuboContext on
    the same client and state store, `seen` what CrocoClick carries (`croco_seen.scan`)."""
    report = Report(seen={"invoices": seen.invoices, "payments": seen.payments})
    info = client.company_info()
    prefs = client.preferences()
    lists = QboLists.read(client)
    methods = list(client.query_all("PaymentMethod"))
    store_maps = Mappings(ctx.store)
    company, company_problem = _company(info, prefs, lists, methods, deposit_account, ctx)
    if company_problem is not None:
        report.rows.append(company_problem)
    ctx.prime(company, [i for i in lists.items if active(i)],
              next((a for a in lists.accounts if a.get("AccountType") == "Income" and active(a)), None))
    inner_info = info.get("CompanyInfo", info)
    report.company = {"name": inner_info.get("CompanyName"), "country": company.country,
                      "home_currency": company.home_currency}
    report.settings = _settings(company, prefs.get("Preferences", prefs), seen)
    report.rows += _taxes(company, seen)
    report.rows += _items(ctx, seen)
    report.rows += _deposits(company, seen, store_maps, deposit_account)
    report.rows += _methods(company, seen)
    report.rows += _currencies(company, seen)
    report.rows += _providers(seen, store_maps, company, payouts)
    report.free_text_rule = (
        message("check.free_text_default", "Lines without a CrocoClick product go to the item '{item}' (setting "
                "sync.default_item), with the line's name in the description, unless an item has the line's exact "
                "name or you chose one for that name.", item=default_item) if default_item else
        message("check.free_text_sale", "Lines without a CrocoClick product go to one item '{item}' (created once "
                "if missing), with the line's name in the description, unless an item has the line's exact name "
                "or you chose one for that name. Set sync.default_item to use another item.", item=DEFAULT_ITEM_NAME))
    report.choices = {kind: [{"id": str(o.get("Id")), "name": name_of(o)} for o in lists.choices(kind)]
                      for kind in (TAX, ITEM, DEPOSIT, *PROVIDER_KINDS)}
    return report


def _company(info: dict[str, Any], prefs: dict[str, Any], lists: QboLists, methods: list[dict[str, Any]],
             deposit_account: str, ctx: QboContext) -> tuple[mapping.QboCompany, Row | None]:
    kwargs: dict[str, Any] = dict(
        tax_codes=[c for c in lists.tax_codes if active(c)], tax_rates=lists.tax_rates,
        accounts=lists.accounts, payment_methods=methods, **ctx.mapped())
    try:
        return mapping.company_from_qbo(info, prefs, deposit_account=deposit_account, **kwargs), None
    except mapping.MappingError as exc:
        if not deposit_account:
            raise
        row = Row("deposit_account", deposit_account, PROBLEM, how="setting", text=exc.message_data or exc.message,
                  fix=exc.fix_data or exc.fix, reason="deposit_account_missing")
        try:
            return mapping.company_from_qbo(info, prefs, **kwargs), row
        except mapping.MappingError:
            raise exc from None


def _settings(company: mapping.QboCompany, prefs: dict[str, Any], seen: Seen) -> list[Row]:
    rows = []
    if company.custom_txn_numbers:
        rows.append(Row("custom_txn_numbers", "on", INFO, text=message(
            "check.numbers_on", "Custom transaction numbers are on: CrocoClick's invoice numbers become the "
            "QuickBooks invoice numbers (at most 21 characters).")))
    else:
        rows.append(Row("custom_txn_numbers", "off", INFO, text=message(
            "check.numbers_off", "Custom transaction numbers are off: QuickBooks numbers invoices itself; "
            "CrocoClick's invoice number is kept in each invoice's private note.")))
    if company.is_us:
        rows.append(Row("automated_sales_tax", "on" if company.automated_sales_tax else "off", INFO, text=(
            message("check.ast_on", "Automated sales tax is on: lines are marked taxable or not, and "
                    "CrocoClick's tax amount is kept as the override, so totals match to the cent.")
            if company.automated_sales_tax else
            message("check.ast_off", "Automated sales tax is off: each document gets the one tax code that matches "
                    "its rate (see the taxes below)."))))
    else:
        rows.append(Row("automated_sales_tax", "n/a", INFO, text=message(
            "check.ast_non_us", "Sales tax codes: each CrocoClick tax goes to the QuickBooks tax code at the same "
            "rate (see the taxes below).")))
    foreign = sorted(c for c in seen.currencies if c != company.home_currency)
    currency_text = (
        message("check.multicurrency_on", "Multicurrency is on (home currency {home}): documents keep their own "
                "currency.", home=company.home_currency) if company.multicurrency else
        message("check.multicurrency_off", "Multicurrency is off: the company works only in {home}.",
                home=company.home_currency))
    rows.append(Row("multicurrency", "on" if company.multicurrency else "off", INFO, detail=company.home_currency,
                    text=currency_text, count=sum(seen.currencies[c] for c in foreign)))
    accounting = prefs.get("AccountingInfoPrefs") or {}
    tracking = [what for what, on in (("class", accounting.get("ClassTrackingPerTxn")
                                        or accounting.get("ClassTrackingPerTxnLine")),
                                       ("location", accounting.get("TrackDepartments"))) if on]
    if tracking:
        what = {("class",): message("check.tracking.class", "class"),
                ("location",): message("check.tracking.location", "location"),
                ("class", "location"): message("check.tracking.both", "class and location")}[tuple(tracking)]
        rows.append(Row("class_location_tracking", " + ".join(tracking), WARNING, text=message(
            "check.tracking_on", "QuickBooks tracks {what}: CrocoQB records its documents without it; assign it in "
            "QuickBooks if your reports need it.", what=what), fix=message(
            "check.tracking_on_fix", "Nothing blocks the sync. If QuickBooks is set to require it on every "
            "transaction, turn that requirement off (Account and settings > Advanced > Categories).")))
    else:
        rows.append(Row("class_location_tracking", "off", OK, text=message(
            "check.tracking_off", "Class and location tracking are off.")))
    closing = str(accounting.get("BookCloseDate") or "")
    if closing:
        rows.append(Row("closing_date", closing, WARNING, count=seen.dated_on_or_before(closing), text=message(
            "check.closing_date", "The books are closed up to {date}: QuickBooks refuses documents dated on or "
            "before it, so such CrocoClick documents will wait as problems.", date=closing), fix=message(
            "check.closing_date_fix", "Recent CrocoClick documents dated on or before it: {count}. Move the closing "
            "date (Account and settings > Advanced > Accounting) if they must be recorded.",
            count=seen.dated_on_or_before(closing))))
    else:
        rows.append(Row("closing_date", "none", OK, text=message("check.no_closing_date", "No closing date is set.")))
    return rows


def _problem(kind: str, source: str, exc: CrocoQBError, reason: str, **extra: Any) -> Row:
    return Row(kind, source, PROBLEM, text=exc.message_data or exc.message, fix=exc.fix_data or exc.fix,
               reason=reason, **extra)


def _taxes(company: mapping.QboCompany, seen: Seen) -> list[Row]:
    rows = []
    for entry in sorted(seen.taxes.values(), key=lambda t: t.name.casefold()):
        for rate in sorted(entry.rates):
            detail = f"{plain(rate)}%"
            if company.is_us and company.automated_sales_tax:
                rows.append(Row(TAX, entry.name, OK, how="automated", qbo_id="TAX", qbo_name="TAX", detail=detail,
                                count=entry.lines, text=message(
                                    "check.tax_ast", "Marked taxable; CrocoClick's tax amount is kept.")))
                continue
            try:
                code, how = tax_code_choice(entry.examples[rate], company)
            except mapping.MappingError as exc:
                reason = getattr(exc, "reason", "unmapped_tax")  # the same code as `crocoqb problems`
                rows.append(_problem(TAX, entry.name, exc, reason, detail=detail, count=entry.lines))
                continue
            rows.append(Row(TAX, entry.name, OK, how=how, qbo_id=str(code.get("Id")), qbo_name=str(code.get("Name")),
                            detail=detail, count=entry.lines, set_by="user" if how == "mapping" else ""))
    return rows


def _items(ctx: QboContext, seen: Seen) -> list[Row]:
    rows = []
    entries = sorted(seen.products.values(), key=lambda e: e.name.casefold()) + sorted(
        seen.free_lines.values(), key=lambda e: e.name.casefold())
    for entry in entries:
        line = {"productId": entry.product_id, "name": entry.name}
        try:
            item, how = ctx.item_choice(line)
        except mapping.MappingError as exc:
            rows.append(_problem(ITEM, entry.source, exc, getattr(exc, "reason", "unmapped_item"), detail=entry.name,
                                 count=entry.lines))
            continue
        rows.append(Row(ITEM, entry.source, OK, how=how, qbo_id=str((item or {}).get("Id") or ""),
                        qbo_name=str((item or {}).get("Name") or ""), detail=entry.name if entry.product_id else "",
                        count=entry.lines, set_by="user" if how == "mapping" else "",
                        text=message("check.item_free_text", "The line's name goes in the description.")
                        if how == BY_DEFAULT else ""))
    return rows


def _deposits(company: mapping.QboCompany, seen: Seen, maps: Mappings, deposit_account: str) -> list[Row]:
    rows = []
    mapped = {m.source: m for m in maps.all(DEPOSIT)}
    for source in sorted(set(seen.source_types) | set(mapped)):
        try:
            account_id = company.deposit_for(source)
        except mapping.MappingError as exc:
            rows.append(_problem(DEPOSIT, source, exc, "deposit_account_inactive", count=seen.source_types[source]))
            continue
        how = "mapping" if source in mapped else "setting" if deposit_account else "default"
        rows.append(Row(DEPOSIT, source, OK, how=how, qbo_id=account_id,
                        qbo_name=company.account_names.get(account_id, ""), count=seen.source_types[source],
                        set_by=mapped[source].set_by if source in mapped else ""))
    return rows


def _methods(company: mapping.QboCompany, seen: Seen) -> list[Row]:
    rows = []
    for label, count in sorted(seen.methods.items()):
        found = mapping.payment_method_for(seen.method_examples[label], company)
        if found:
            rows.append(Row("method", label, OK, how="name", qbo_id=found["value"], qbo_name=found.get("name", ""),
                            count=count))
        else:
            rows.append(Row("method", label, INFO, how="none", count=count, text=message(
                "check.method_none", "No QuickBooks payment method has this name: the sales receipts carry none."),
                fix=message("check.method_none_fix", "Add a payment method in QuickBooks (Lists > Payment methods) "
                            "if you want it on the receipts.")))
    return rows


def _currencies(company: mapping.QboCompany, seen: Seen) -> list[Row]:
    rows = []
    for currency, count in sorted(seen.currencies.items()):
        if currency == company.home_currency or company.multicurrency:
            rows.append(Row("currency", currency, OK, how="home" if currency == company.home_currency else "foreign",
                            qbo_name=currency, count=count))
            continue
        rows.append(Row("currency", currency, PROBLEM, reason="currency_not_enabled", count=count, text=message(
            "check.currency_off", "Recent CrocoClick documents in {currency}: {count}; the QuickBooks company works "
            "only in {home}", count=count, currency=currency, home=company.home_currency), fix=message(
            "check.currency_off_fix", "Turn on multicurrency in QuickBooks (Account and settings > Advanced > "
            "Currency; it cannot be turned off again), or issue documents in {home} in CrocoClick.",
            home=company.home_currency)))
    return rows


def _providers(seen: Seen, maps: Mappings, company: mapping.QboCompany, payouts: str = "off") -> list[Row]:
    from crocoqb_desktop.sync.payouts import unchosen_account


    rows = []
    stored = {(m.kind, m.source): m for kind in PROVIDER_KINDS for m in maps.all(kind)}
    for provider in sorted(set(seen.providers) | {source for _k, source in stored}):
        for kind in PROVIDER_KINDS:
            m = stored.get((kind, provider))
            if m is None and payouts == "clearing":  # rule 14 on: what happens without a choice
                status, text, fix = unchosen_account(kind, provider, company.account_names)
                rows.append(Row(kind, provider, status, how="none", count=seen.providers[provider], text=text,
                                fix=fix or "", reason="unmapped_" + kind if status == WARNING else ""))
            elif m is None:
                rows.append(Row(kind, provider, INFO, how="none", count=seen.providers[provider], text=message(
                    "check.provider_unset", "Not chosen yet; used only when fees and payouts are booked through a "
                    "clearing account (setting sync.payouts).")))
            elif m.qbo_id not in company.account_names:
                rows.append(Row(kind, provider, PROBLEM, how="mapping", qbo_id=m.qbo_id, qbo_name=m.qbo_name,
                                set_by=m.set_by, reason="mapped_account_inactive", text=message(
                                    "check.provider_inactive", "The account '{name}' (Id {qbo_id}) chosen for {kind} "
                                    "of {provider} is inactive or was deleted in QuickBooks", name=m.qbo_name,
                                    qbo_id=m.qbo_id, kind=kind, provider=provider), fix=message(
                                    "check.provider_inactive_fix", "Choose another account (`crocoqb map set {kind} "
                                    "{provider} <Account Id>`) or make it active again in QuickBooks.", kind=kind,
                                    provider=provider)))
            else:
                rows.append(Row(kind, provider, OK, how="mapping", qbo_id=m.qbo_id,
                                qbo_name=company.account_names[m.qbo_id], set_by=m.set_by,
                                count=seen.providers[provider]))
    return rows
