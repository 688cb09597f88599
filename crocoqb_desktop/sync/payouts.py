"""Rule 14 in the engine (`sync.payouts clearing`): processor payments go through a clearing account,
fees become expenses, and each paid payout becomes one Transfer of exactly its amount to the bank.

The push engine calls the hooks (`company_for`, `refund_account`, `after_payment`, `after_refund`,
`take_event`) and `run()` at the end of its drain. With `off` (the default) every hook is a no-op and
nothing here writes anything. Switching `clearing` on applies to payments booked from then on: the
decision is made when a payment is booked and kept with it (`clearing_items`), so a refund or payout of
a payment booked before stays as it was.

Exactly once, like the outbox: each write has a key (its PrivateNote marker), a deterministic requestid
and an attempt mark committed before it is sent; after an uncertain outcome the object is looked up by
its marker before anything is created again (`_write`). A payout waits (state `waiting`, shown as
pending, not as an error) until every payment and refund it settles is in QuickBooks; one that waits
for an account to map is a problem naming the payout (sync/problems.py, kind `payout`), which clears
itself when the payout is booked.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from collections.abc import Mapping as TypingMapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.errors import NetworkError, ReconnectNeeded, RecordError, ServiceError
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.qbo.faults import (
    AuthenticationFault,
    AuthorizationFault,
    ObjectNotFoundFault,
    QboFault,
    ThrottledFault,
)
from crocoqb_desktop.qbo.query import eq
from crocoqb_desktop.sync import mapping_fees, problems
from crocoqb_desktop.sync.mapping_common import QboCompany, money
from crocoqb_desktop.sync.mapping_sales import _local_date
from crocoqb_desktop.sync.mappings import ADJUSTMENT, CLEARING, FEES, PAYOUT, Mappings
from crocoqb_desktop.sync.payout_store import ClearingItem, PayoutRow, PayoutStore
from crocoqb_desktop.sync.qbo_context import request_id_for

if TYPE_CHECKING:
    from crocoqb_desktop.croco.client import CrocoClient
    from crocoqb_desktop.sync.qbo_context import QboContext
    from crocoqb_desktop.sync.store import StateStore

log = logging.getLogger("crocoqb.sync.payouts")

MODES = ("off", "clearing")
#: where the push engine keeps a booked payment or refund (issue 11 moves invoice payments to their own kind)
_LINK_KINDS = {"payment": ("payment", "invoice_payment"), "refund": ("refund",)}
ZERO = Decimal("0.00")


class PayoutWaiting(Exception):
    """A payout cannot be booked yet; `reason` says what it waits for (shown on the Payouts page)."""

    def __init__(self, reason: Message, fix: Message | None = None, *, problem: str | None = None) -> None:
        super().__init__(str(reason))
        self.reason = reason
        self.fix = fix
        self.problem = problem  # the user must act (an account to map): the problem's reason code


class PayoutBooker:
    def __init__(self, croco: CrocoClient, ctx: QboContext, store: StateStore, mode: str = "off",
                 count: Callable[[str], None] | None = None) -> None:
        self.croco = croco
        self.ctx = ctx
        self.qbo = ctx.client
        self.store = store
        self.mode = mode if mode in MODES else "off"
        self.data = PayoutStore(store)
        self.maps = Mappings(store)
        self._count = count or (lambda _name: None)
        self._accounts: dict[str, dict[str, Any]] | None = None
        # payments are sent by several workers at once: one processor's accounts are found or created once
        self._accounts_lock = threading.Lock()

    @property
    def on(self) -> bool:
        return self.mode == "clearing"

    # ============================================================================================
    # Hooks of the push engine
    # ============================================================================================
    def company_for(self, payment: dict[str, Any], company: QboCompany) -> QboCompany:
        """The company whose deposit account is the processor's clearing account, when clearing
        applies to this payment (mode on, collected by a processor, not booked before)."""
        if not self.on:
            return company
        provider = mapping_fees.provider_of(payment)
        if provider is None:
            return company  # cash, cheque, manual: unaffected (rule 14)
        item = self.data.item(f"payment:{payment.get('id')}")
        clearing = item.clearing_id if item else self.provider_accounts(provider)[0]
        return mapping_fees.company_with_deposit(company, clearing)

    def refund_account(self, payment: dict[str, Any]) -> str | None:
        """The clearing account a refund is paid from, when its payment went through one."""
        item = self.data.item(f"payment:{payment.get('id')}")
        return item.clearing_id if item else None

    def after_payment(self, payment: dict[str, Any], company: QboCompany) -> None:
        """Called in the transaction that links the booked payment: remember it went through clearing."""
        provider = mapping_fees.provider_of(payment)
        if not self.on or provider is None or company.deposit_account_id != self._clearing_of(provider):
            return
        fee = mapping_fees.fee_of(payment)
        self.data.add_item(f"payment:{payment['id']}", "payment", str(payment["id"]), provider,
                           company.deposit_account_id, self.provider_accounts(provider)[1],
                           payment.get("currency"), money(payment.get("amount"), "the payment amount"), fee,
                           _local_date(payment.get("paidAt") or payment.get("createdAt"), None))

    def after_refund(self, payment: dict[str, Any], refund: dict[str, Any]) -> None:
        paid = self.data.item(f"payment:{payment.get('id')}")
        if paid is None:
            return
        self.data.add_item(f"refund:{refund['id']}", "refund", str(payment["id"]), paid.provider, paid.clearing_id,
                           paid.fees_id, payment.get("currency"), -money(refund.get("amount"), "the refund amount"),
                           -mapping_fees.fee_returned_of(refund), _local_date(refund.get("refundedAt"), None))

    def take_event(self, etype: str, payout: dict[str, Any]) -> int:
        """`payout.paid` / `payout.failed` (in the intake transaction): the payout is remembered and
        booked by `run()`. Payouts are ignored while clearing is off and nothing was booked for them."""
        pid = str(payout.get("id") or "")
        if not pid:
            return 0
        known = self.data.payout(pid)
        if not self.on and known is None and not self.data.clearing_accounts():
            return 0  # clearing never used: today's behaviour, nothing to remember
        if etype == "payout.paid":
            if known is None or known.state not in ("booked", "manual"):
                self.data.save_payout(payout, "waiting")
            return 1
        if etype == "payout.failed":
            if known is None:
                self.data.save_payout(payout, "failed", None)  # failed before it reached the bank: nothing to book
                return 0
            self.data.save_payout(payout, "reversing" if known.state == "booked" else "failed",
                                  known.detail_data)
            problems.clear_payout(self.store, pid)  # never reached the bank: no account to choose for it
            return 1
        return 0

    def resync(self, since: str | None) -> int:
        """The event feed expired: paid and failed payouts changed since activation, as their events."""
        if not self.on and not self.data.clearing_accounts():
            return 0
        count = 0
        for payout in self.croco.list_payouts(updated_since=since, status=["paid", "failed"]):
            count += self.take_event(f"payout.{payout.get('status')}", payout)
        return count

    # ============================================================================================
    # The step after the outbox drain
    # ============================================================================================
    def run(self) -> None:
        # fees of payments booked through a clearing account, also after clearing was switched off
        for item in self.data.items(unsettled=True):
            self._guard(item.payment_id, lambda item=item: self._book_item_fee(item, item.fee))  # type: ignore[misc]
        for row in self.data.payouts(("waiting", "reversing")):
            self._guard(row.id, lambda row=row: self._book_payout(row), payout=True)  # type: ignore[misc]

    def _guard(self, croco_id: str, step: Callable[[], None], *, payout: bool = False) -> None:
        """One record's step: a permanent error is logged (a payout stops at `manual` with the reason), a
        passing one is tried again next cycle (the write's attempt mark makes the retry safe)."""
        try:
            step()
        except (ReconnectNeeded, AuthenticationFault, AuthorizationFault):
            raise  # stops the cycle
        except (RecordError, QboFault, NetworkError, ServiceError) as exc:
            passing = isinstance(exc, NetworkError | ThrottledFault) or (
                isinstance(exc, ServiceError) and not isinstance(exc, QboFault) and exc.retryable) or (
                isinstance(exc, QboFault) and exc.retryable)
            if passing:
                self.store.log("WARNING", "to_qbo", message(
                    "payouts.retry", "{what} was not written to QuickBooks yet: {reason} (will retry)",
                    what=croco_id, reason=exc.message), record_kind="payout", croco_id=croco_id)
                return
            self._count("failed")
            self.store.log("ERROR", "to_qbo", message(
                "payouts.failed", "{what} was not recorded in QuickBooks: {reason}", what=croco_id,
                reason=exc.message), record_kind="payout", croco_id=croco_id,
                fix=exc.fix_data or exc.fix or None)
            if payout:
                with self.store.transaction():
                    self.data.set_state(croco_id, "manual", exc.message_data or exc.message)
                    problems.clear_payout(self.store, croco_id)  # the log says what to do by hand

    # -- fees ------------------------------------------------------------------------------------
    def _book_item_fee(self, item: ClearingItem, fee: Decimal | None) -> None:
        """A payment's fee (an expense from the clearing account) or a refund's fee given back (a
        deposit into it). A fee CrocoClick does not know yet waits for the payout that settles it."""
        key = f"fee:{item.payment_id}" if item.kind == "payment" else f"fee-returned:{item.key.split(':', 1)[1]}"
        if fee is None or self.data.is_done(key):
            return
        if fee == 0:
            self.data.nothing_to_write(key, "Purchase")
            return
        company = self.ctx.company()
        if item.kind == "payment":
            payment = {"id": item.payment_id, "currency": item.currency, "paidAt": item.txn_date,
                       "fee": {"description": None}}
            body = mapping_fees.fee_purchase_payload(payment, fee, clearing_id=item.clearing_id,
                                                     fees_id=item.fees_id, company=company)
            self._write(key, "Purchase", body, item.clearing_id, -fee)
        else:
            refund = {"id": item.key.split(":", 1)[1], "refundedAt": item.txn_date}
            payment = {"id": item.payment_id, "currency": item.currency}
            body = mapping_fees.fee_returned_deposit_payload(payment, refund, -fee, clearing_id=item.clearing_id,
                                                             fees_id=item.fees_id, company=company)
            self._write(key, "Deposit", body, item.clearing_id, -fee)
        self.data.set_fee(item.key, fee)

    # -- payouts ---------------------------------------------------------------------------------
    def _book_payout(self, row: PayoutRow) -> None:
        if row.state == "reversing":
            self._reverse_payout(row)
            return
        payout = row.payload
        try:
            items = self._settled_items(payout)
            bank, adjustment = self._payout_accounts(row, payout)
        except PayoutWaiting as waiting:
            with self.store.transaction():  # the payout's state and its problem change together
                self.data.set_state(row.id, "waiting", waiting.reason)
                if waiting.problem is not None and problems.park_payout(self.store, row.id, problems.ProblemError(
                        waiting.problem, waiting.reason, fix=waiting.fix, actions=("retry", "skip"))):
                    self.store.log("WARNING", "to_qbo", waiting.reason, record_kind="payout", croco_id=row.id,
                                   fix=waiting.fix)
            return
        if items is None:
            problems.clear_payout(self.store, row.id)  # recorded by hand / the usual way: no account to map
            return
        company = self.ctx.company()
        clearing, fees = items[0].clearing_id, items[0].fees_id
        keys = []
        for entry, item in zip(_movements(payout), items, strict=True):
            # the fee as the processor withheld it, when it was not known when the payment was booked
            fee = money(entry.get("fee") or 0, "a payout item's fee")
            self._book_item_fee(item, item.fee if item.fee is not None else fee)
            keys.append(item.key)
        for index, entry in _adjustments(payout):
            built = mapping_fees.adjustment_payload(payout, index, entry, clearing_id=clearing,
                                                    adjustment_id=adjustment or "", fees_id=fees, company=company)
            if built is not None:
                self._write(f"adjustment:{row.id}:{index}", built[0], built[1], clearing,
                            money(entry.get("net"), "an adjustment"))
        transfer = mapping_fees.payout_transfer_payload(payout, clearing_id=clearing, bank_id=bank, company=company)
        qbo_id = ""
        if transfer is not None:
            qbo_id = self._write(f"payout:{row.id}", "Transfer", transfer, clearing,
                                 -mapping_fees.payout_amount(payout))
        with self.store.transaction():
            self.data.settle(keys, row.id)
            self.data.set_state(row.id, "booked", None)
            problems.clear_payout(self.store, row.id)
        self._count("created")
        self.store.log("INFO", "to_qbo", message(
            "payouts.booked", "Recorded {provider} payout {payout} of {amount} {currency} as a transfer to the bank "
            "in QuickBooks", provider=row.provider, payout=row.id, amount=str(row.amount), currency=row.currency or ""),
            record_kind="payout", croco_id=row.id, qbo_id=qbo_id or None)
        self._write_back(row.id, {"quickbooks.transfer_id": qbo_id or None, "quickbooks.realm_id": self.ctx.realm_id})

    def _settled_items(self, payout: dict[str, Any]) -> list[ClearingItem] | None:
        """The clearing item of each payment and refund the payout settles; PayoutWaiting while one is
        not in QuickBooks yet; None (and the payout marked `manual`) when some were booked without
        the clearing account (before clearing was switched on)."""
        items: list[ClearingItem] = []
        missing: list[str] = []
        outside: list[str] = []
        for entry in _movements(payout):
            if entry.get("type") == "payment":
                key, link_kind, croco_id = f"payment:{entry.get('paymentId')}", "payment", str(entry.get("paymentId"))
            else:
                key = f"refund:{entry.get('refundId')}"
                link_kind, croco_id = "refund", f"{entry.get('paymentId')}:{entry.get('refundId')}"
            item = self.data.item(key)
            if item is not None:
                items.append(item)
            elif any(self.store.link(k, croco_id) is not None for k in _LINK_KINDS[link_kind]):
                outside.append(croco_id)
            else:
                missing.append(croco_id)
        pid = str(payout.get("id"))
        if outside and not items:
            self.data.set_state(pid, "not_clearing", None)  # all booked the usual way (Undeposited Funds)
            return None
        if outside:
            reason = message("payouts.manual", "payout {payout} settles payments recorded before clearing was "
                             "switched on ({ids}); record it in QuickBooks by hand", payout=pid,
                             ids=", ".join(outside[:5]))
            self.data.set_state(pid, "manual", reason)
            self.store.log("WARNING", "to_qbo", reason, record_kind="payout", croco_id=pid, fix=message(
                "payouts.manual_fix", "In QuickBooks, record a transfer of {amount} from Undeposited Funds and the "
                "clearing account to your bank, dated {date}.", amount=str(payout.get("amount")),
                date=str(payout.get("arrivalDate") or "")))
            return None
        if missing:
            raise PayoutWaiting(message("payouts.waiting_items", "waiting for what is not in QuickBooks yet: {ids}",
                                        ids=", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")))
        if not items:
            raise PayoutWaiting(message("payouts.no_items", "no payment of this payout is in QuickBooks yet"))
        return items

    def _payout_accounts(self, row: PayoutRow, payout: dict[str, Any]) -> tuple[str, str | None]:
        provider = row.provider.casefold()
        bank = self.maps.target(PAYOUT, provider)
        if not bank:
            raise PayoutWaiting(
                message("payouts.no_bank", "payout {payout} cannot be recorded: no bank account is chosen for "
                        "{provider} payouts", payout=row.id, provider=provider),
                _no_bank_fix(provider), problem="payout_no_bank")
        adjustment = self.maps.target(ADJUSTMENT, provider)
        if _adjustments(payout) and not adjustment:
            raise PayoutWaiting(
                message("payouts.no_adjustment", "payout {payout} has an adjustment ({what}) and no account is "
                        "chosen for {provider} adjustments", payout=row.id, provider=provider,
                        what=str(_adjustments(payout)[0][1].get("description") or "adjustment")),
                _no_adjustment_fix(provider), problem="payout_no_adjustment")
        for kind, account_id in ((PAYOUT, bank), (ADJUSTMENT, adjustment if _adjustments(payout) else None)):
            if account_id:
                self._raise_if_inactive(row, kind, provider, account_id)
        return bank, adjustment

    def _raise_if_inactive(self, row: PayoutRow, kind: str, provider: str, account_id: str) -> None:
        """A mapped account the bookkeeper made inactive: the payout waits as a problem naming both (a
        Transfer to it would be refused), instead of failing into `manual`."""
        try:
            account = self.qbo.get("Account", account_id)
        except ObjectNotFoundFault:
            account = None
        if account is not None and account.get("Active", True) is not False:
            return
        found = self.maps.get(kind, provider)
        name = str((account or {}).get("Name") or (found.qbo_name if found else "") or account_id)
        raise PayoutWaiting(
            message("payouts.account_inactive", "payout {payout} cannot be recorded: the account '{name}' (Id "
                    "{qbo_id}) chosen for {provider} ({kind}) is inactive or was deleted in QuickBooks",
                    payout=row.id, name=name, qbo_id=account_id, provider=provider, kind=kind),
            message("payouts.account_inactive_fix", "Choose another account: run `crocoqb map set {kind} {provider} "
                    "<Account Id>` (or on the Payouts tab), or make the account active again in QuickBooks, then "
                    "press Sync now.", kind=kind, provider=provider),
            problem="mapped_account_inactive")

    def _reverse_payout(self, row: PayoutRow) -> None:
        """A payout failed after its Transfer was booked: the money went back to the processor, so the
        transfer and the adjustments are undone (the processor settles the movements again later)."""
        payout = row.payload
        items = self.data.items(payout_id=row.id)
        if not items:
            self.data.set_state(row.id, "failed", None)
            return
        clearing, fees = items[0].clearing_id, items[0].fees_id
        company = self.ctx.company()
        today = _local_date(payout.get("updatedAt"), None)
        adjustment = self.maps.target(ADJUSTMENT, row.provider.casefold()) or ""
        booked = self.data.write(f"payout:{row.id}")
        if booked is not None and booked.qbo_id:
            # back to the bank account the transfer went to (the mapping may have changed since)
            original = self.qbo.get("Transfer", booked.qbo_id)
            ends = {str(original.get(k, {}).get("value")) for k in ("FromAccountRef", "ToAccountRef")}
            bank = next(iter(ends - {clearing}), "")
            back = mapping_fees.payout_transfer_payload(payout, clearing_id=clearing, bank_id=bank, company=company,
                                                        reverse=True, txn_date=today)
            if back is not None:
                self._write(f"reversal:{row.id}", "Transfer", back, clearing, mapping_fees.payout_amount(payout))
        for index, entry in _adjustments(payout):
            if not self.data.is_done(f"adjustment:{row.id}:{index}"):
                continue
            built = mapping_fees.adjustment_payload(payout, index, entry, clearing_id=clearing, adjustment_id=adjustment,
                                                    fees_id=fees, company=company, reverse=True, txn_date=today)
            if built is not None:
                self._write(f"unadjustment:{row.id}:{index}", built[0], built[1], clearing,
                            -money(entry.get("net"), "an adjustment"))
        with self.store.transaction():
            self.data.settle([i.key for i in items], None)
            self.data.set_state(row.id, "reversed", None)
        self._count("updated")
        self.store.log("INFO", "to_qbo", message(
            "payouts.reversed", "Payout {payout} failed at the bank: its transfer was reversed in QuickBooks and "
            "its payments wait for the next payout", payout=row.id), record_kind="payout", croco_id=row.id)

    # -- writes, exactly once ----------------------------------------------------------------------
    def _write(self, key: str, entity: str, body: dict[str, Any], clearing_id: str, delta: Decimal) -> str:
        done = self.data.write(key)
        if done is not None and done.qbo_id is not None:
            return done.qbo_id
        if done is not None and done.attempts > 0:
            found = self._find_marker(entity, key, body.get("TxnDate"))
            if found is not None:
                self.data.finish_write(key, str(found["Id"]), clearing_id, delta)
                return str(found["Id"])
        request_id = done.request_id if done else request_id_for("payouts", key, self.ctx.realm_id)
        self.data.begin_write(key, entity, request_id)
        saved = self.qbo.create(entity, body, request_id=request_id)
        self.data.finish_write(key, str(saved["Id"]), clearing_id, delta)
        self._count("created")
        return str(saved["Id"])

    def _find_marker(self, entity: str, key: str, txn_date: Any) -> dict[str, Any] | None:
        where = [eq("TxnDate", str(txn_date))] if txn_date else None
        for found in self.qbo.query_all(entity, where):
            if mapping_fees.marker_key(found.get("PrivateNote")) == key:
                return found
        return None

    def _write_back(self, payout_id: str, refs: dict[str, Any]) -> None:
        call = getattr(self.croco, "set_payout_external_refs", None)
        if call is None:
            return
        try:
            call(payout_id, refs)
        except ServiceError as exc:
            log.info("could not store the QuickBooks id on the payout: %s", exc.message)

    # -- accounts ----------------------------------------------------------------------------------
    def _clearing_of(self, provider: str) -> str | None:
        return self.maps.target(CLEARING, provider)

    def provider_accounts(self, provider: str) -> tuple[str, str]:
        """(clearing, fees) account ids of a processor: the user's mappings, else accounts found by the
        names of rule 14, else created with them (and remembered as automatic mappings)."""
        clearing, fees = self.maps.target(CLEARING, provider), self.maps.target(FEES, provider)
        if clearing and fees:
            return clearing, fees
        with self._accounts_lock:
            clearing = self.maps.target(CLEARING, provider)
            if not clearing:
                clearing = self._ensure_account(CLEARING, provider, mapping_fees.clearing_account_body(provider))
            fees = self.maps.target(FEES, provider)
            if not fees:
                fees = self._ensure_account(FEES, provider, mapping_fees.fees_account_body())
            return clearing, fees

    def _ensure_account(self, kind: str, provider: str, body: dict[str, Any]) -> str:
        if self._accounts is None:
            self._accounts = {str(a.get("Name", "")).casefold(): a for a in self.qbo.query_all("Account")}
        found = self._accounts.get(str(body["Name"]).casefold())
        if found is not None and found.get("Active", True) is not False:
            if found.get("AccountType") != body["AccountType"]:
                raise RecordError(
                    message("payouts.account_type", "the QuickBooks account '{name}' is a {found} account, not "
                            "{wanted}", name=body["Name"], found=str(found.get("AccountType")),
                            wanted=body["AccountType"]),
                    fix=message("payouts.account_type_fix", "Choose the {kind} account for {provider}: run `crocoqb "
                                "map set {kind} {provider} <Account Id>`, then press Sync now.", kind=kind,
                                provider=provider))
        else:
            found = self.qbo.create("Account", body, request_id=request_id_for("payouts", "account", kind,
                                                                               body["Name"], self.ctx.realm_id))
            self._accounts[str(body["Name"]).casefold()] = found
            self.store.log("INFO", "to_qbo", message(
                "payouts.account_created", "Created the QuickBooks account '{name}' for {provider} ({kind})",
                name=body["Name"], provider=provider, kind=kind), qbo_id=str(found["Id"]))
        self.maps.set(kind, provider, str(found["Id"]), str(found.get("Name") or ""), set_by="auto")
        return str(found["Id"])


def _no_bank_fix(provider: str) -> Message:
    return message("payouts.no_bank_fix", "Choose the bank account {provider} pays into: on the Payouts tab of the "
                   "window, or run `crocoqb map set payout {provider} <Account Id>`, then press Sync now.",
                   provider=provider)


def _no_adjustment_fix(provider: str) -> Message:
    return message("payouts.no_adjustment_fix", "Choose the account for disputes and reserves: run `crocoqb map set "
                   "adjustment {provider} <Account Id>` (an expense or income account), then press Sync now.",
                   provider=provider)


def unchosen_account(kind: str, provider: str, account_names: TypingMapping[str, str]) -> tuple[str, Message, Message | None]:
    """For the pre-flight check with clearing on: what happens to a processor's account not chosen yet
    (status "info" or "warning", the text, the fix)."""
    by_name = {name.casefold(): acct_id for acct_id, name in account_names.items()}
    if kind in (CLEARING, FEES):
        name = (mapping_fees.clearing_account_body(provider) if kind == CLEARING
                else mapping_fees.fees_account_body())["Name"]
        if name.casefold() in by_name:
            return "info", message("check.payouts_found", "The account '{name}' (Id {qbo_id}) is used at the first "
                                   "{provider} payment", name=name, qbo_id=by_name[name.casefold()],
                                   provider=provider), None
        return "info", message("check.payouts_created", "The account '{name}' is created at the first {provider} "
                               "payment", name=name, provider=provider), None
    if kind == PAYOUT:
        return "warning", message("check.payouts_no_bank", "No bank account chosen: {provider} payouts wait until you "
                                  "choose the one they reach", provider=provider), _no_bank_fix(provider)
    return "warning", message("check.payouts_no_adjustment", "No account chosen for disputes and reserves: a {provider} "
                              "payout with one waits until you choose it", provider=provider), _no_adjustment_fix(provider)


def clearing_balances(qbo: Any, store: StateStore) -> list[dict[str, Any]]:
    """The proof of rule 14, per clearing account: its QuickBooks balance, the balance this app's writes
    imply, the sum of the nets not paid out yet, and the drift between QuickBooks and what it should
    hold (not 0: someone edited or deleted a booked transaction in QuickBooks)."""
    data = PayoutStore(store)
    out = []
    for clearing_id, provider in data.clearing_accounts().items():
        account = qbo.get("Account", clearing_id)
        actual = money(account.get("CurrentBalance", 0))
        expected = money(data.expected_balance(clearing_id))
        unpaid = sum((i.net if i.net is not None else i.gross for i in data.items(unsettled=True)
                      if i.clearing_id == clearing_id), ZERO)
        out.append({"provider": provider, "account_id": clearing_id, "account": account.get("Name"),
                    "balance": actual, "expected": expected, "not_paid_out": money(unpaid),
                    "drift": actual - expected})
    return out


def _movements(payout: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in payout.get("items") or [] if isinstance(i, dict) and i.get("type") in ("payment", "refund")]


def _adjustments(payout: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return [(n, i) for n, i in enumerate(payout.get("items") or [])
            if isinstance(i, dict) and i.get("type") == "adjustment"]

