"""Banking transactions of the sandbox company: Purchase (an expense paid from a bank or card account),
Deposit (money into a bank account from other accounts), Transfer (between balance-sheet accounts),
and Account.CurrentBalance kept from every transaction that moves money.

Field names follow Intuit's XSD (`Finance.xsd`: Purchase.AccountRef/PaymentType/Credit/TotalAmt, Line with
AccountBasedExpenseLineDetail.AccountRef; Deposit.DepositToAccountRef, Line with DepositLineDetail.AccountRef;
Transfer.FromAccountRef/ToAccountRef/Amount). Rules from Intuit's entity reference as summarised by
third-party connectors (UNVERIFIED wording): a Check or Cash purchase is paid from a bank account, a
CreditCard one from a credit card account and only those take `Credit`; TotalAmt is the sum of the lines
(read-only); a Transfer needs both accounts, different, and a positive Amount. CurrentBalance is
documented for balance-sheet accounts only; income and expense accounts keep 0 (their totals are a
Profit and Loss report, not a balance). Amounts are in the transaction's currency (the sandbox does not
revalue foreign-currency balances).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .qbo_common import QboFault, business, money, required_missing, to_decimal, today_local

BANKING = ("Purchase", "Deposit", "Transfer")
BALANCE_SHEET = ("Asset", "Liability", "Equity")
_BANK_TYPES = {"Cash": ("Bank",), "Check": ("Bank",), "CreditCard": ("Credit Card",)}
_DEPOSIT_TO = ("Bank", "Other Current Asset")

Ref = Callable[..., dict[str, Any]]


def postings(entity: str, obj: dict[str, Any] | None, receivable_id: str | None = None) -> dict[str, Decimal]:
    """The debit (+) / credit (-) each balance-sheet account gets from one transaction: invoices raise
    Accounts Receivable (`receivable_id`) and payments lower it; income, tax and expense sides are
    left out (they are not balances)."""
    out: dict[str, Decimal] = {}
    if not obj:
        return out

    def add(ref: Any, amount: Any) -> None:
        if isinstance(ref, dict) and ref.get("value") is not None and amount is not None:
            key = str(ref["value"])
            out[key] = out.get(key, Decimal(0)) + to_decimal(amount)

    total = obj.get("TotalAmt", 0)
    receivable = {"value": receivable_id} if receivable_id else None
    if entity == "Invoice":
        add(receivable, total)
    elif entity in ("SalesReceipt", "Payment"):
        add(obj.get("DepositToAccountRef"), total)
        if entity == "Payment":
            add(receivable, -to_decimal(total))
    elif entity == "RefundReceipt":
        add(obj.get("DepositToAccountRef"), -to_decimal(total))
    elif entity == "Purchase":
        sign = Decimal(1) if obj.get("Credit") is True else Decimal(-1)
        add(obj.get("AccountRef"), sign * to_decimal(total))
        for line in obj.get("Line") or []:
            detail = line.get("AccountBasedExpenseLineDetail") or {}
            add(detail.get("AccountRef"), -sign * to_decimal(line.get("Amount", 0)))
    elif entity == "Deposit":
        add(obj.get("DepositToAccountRef"), total)
        for line in obj.get("Line") or []:
            detail = line.get("DepositLineDetail") or {}
            add(detail.get("AccountRef"), -to_decimal(line.get("Amount", 0)))
    elif entity == "Transfer":
        amount = to_decimal(obj.get("Amount", 0))
        add(obj.get("FromAccountRef"), -amount)
        add(obj.get("ToAccountRef"), amount)
    return out


def apply_postings(accounts: dict[str, dict[str, Any]], moves: dict[str, Decimal], sign: int) -> None:
    """Adds (sign 1) or takes back (sign -1) postings to the CurrentBalance of balance-sheet accounts.
    A liability or equity balance grows with credits (a card charge raises what is owed)."""
    for acct_id, amount in moves.items():
        acct = accounts.get(acct_id)
        if acct is None or acct.get("Classification") not in BALANCE_SHEET:
            continue
        change = amount * sign * (1 if acct["Classification"] == "Asset" else -1)
        balance = money(to_decimal(acct.get("CurrentBalance", 0)) + change)
        acct["CurrentBalance"] = balance
        acct["CurrentBalanceWithSubAccounts"] = balance


def _account(ref_fn: Ref, ctx: Any, ref: Any, element: str, types: tuple[str, ...] | None,
             what: str) -> dict[str, Any]:
    if not ref:
        raise required_missing(element)
    acct = ref_fn(ctx, "Account", ref, element)
    if types is not None and acct.get("AccountType") not in types:
        raise business(f"{what} must be an account of type {' or '.join(types)}.", element)
    return acct


def _named(acct: dict[str, Any]) -> dict[str, Any]:
    return {"value": acct["Id"], "name": acct.get("Name", "")}


def _lines(obj: dict[str, Any], detail_type: str, ref_fn: Ref, ctx: Any) -> Decimal:
    lines = obj.get("Line") or []
    if not lines:
        raise required_missing("Line")
    total = Decimal(0)
    for i, line in enumerate(lines, start=1):
        if line.get("DetailType") != detail_type:
            raise business(f"Line {i}: this sandbox accepts only {detail_type} lines here.", "Line.DetailType")
        if line.get("Amount") is None:
            raise required_missing("Line.Amount")
        detail = line.get(detail_type) or {}
        acct = _account(ref_fn, ctx, detail.get("AccountRef"), f"Line.{detail_type}.AccountRef", None, "")
        detail["AccountRef"] = _named(acct)
        line[detail_type] = detail
        line["Amount"] = money(to_decimal(line["Amount"]))
        line.setdefault("Id", str(i))
        total += line["Amount"]
    return money(total)


def _common(obj: dict[str, Any], home_currency: str) -> None:
    obj["TxnDate"] = obj.get("TxnDate") or today_local().isoformat()
    obj.setdefault("CurrencyRef", {"value": home_currency})
    if obj.get("PrivateNote") is not None and len(str(obj["PrivateNote"])) > 4000:
        raise business("PrivateNote is longer than 4000 characters.", "PrivateNote")


def norm_purchase(obj: dict[str, Any], ref_fn: Ref, ctx: Any, home_currency: str) -> None:
    kind = obj.get("PaymentType")
    if not kind:
        raise required_missing("PaymentType")
    if kind not in _BANK_TYPES:
        raise business(f"PaymentType {kind} is not supported for an expense (use Cash, Check or CreditCard).",
                       "PaymentType")
    if obj.get("Credit") is not None and kind != "CreditCard":
        raise business("Credit is valid only for the CreditCard payment type.", "Credit")
    acct = _account(ref_fn, ctx, obj.get("AccountRef"), "AccountRef", _BANK_TYPES[kind],
                    f"The account of a {kind} purchase")
    obj["AccountRef"] = _named(acct)
    total = _lines(obj, "AccountBasedExpenseLineDetail", ref_fn, ctx)
    if total < 0:
        raise business("The total of an expense cannot be negative.", "TotalAmt")
    obj["TotalAmt"] = total
    if obj.get("EntityRef"):
        for people in ("Vendor", "Customer", "Employee"):
            try:
                found = ref_fn(ctx, people, obj["EntityRef"], "EntityRef")
            except QboFault:  # not of this kind: try the next
                continue
            obj["EntityRef"] = {"value": found["Id"], "name": found.get("DisplayName", ""), "type": people}
            break
        else:
            raise business("EntityRef names no active vendor, customer or employee.", "EntityRef")
    _common(obj, home_currency)


def norm_deposit(obj: dict[str, Any], ref_fn: Ref, ctx: Any, home_currency: str) -> None:
    acct = _account(ref_fn, ctx, obj.get("DepositToAccountRef"), "DepositToAccountRef", _DEPOSIT_TO,
                    "The account of a deposit")
    if acct.get("AccountSubType") == "UndepositedFunds":
        raise business("A deposit cannot go to Undeposited Funds.", "DepositToAccountRef")
    obj["DepositToAccountRef"] = _named(acct)
    total = _lines(obj, "DepositLineDetail", ref_fn, ctx)
    if total < 0:
        raise business("The total of a deposit cannot be negative.", "TotalAmt")
    obj["TotalAmt"] = total
    _common(obj, home_currency)


def norm_transfer(obj: dict[str, Any], ref_fn: Ref, ctx: Any, home_currency: str,
                  classification: Callable[[str], str]) -> None:
    if obj.get("Amount") is None:
        raise required_missing("Amount")
    accounts = []
    for element in ("FromAccountRef", "ToAccountRef"):
        acct = _account(ref_fn, ctx, obj.get(element), element, None, "")
        if classification(str(acct.get("AccountType"))) not in BALANCE_SHEET:
            raise business("A transfer moves money between balance-sheet accounts (bank, asset, liability, "
                           "equity), not income or expense accounts.", element)
        obj[element] = _named(acct)
        accounts.append(acct["Id"])
    if accounts[0] == accounts[1]:
        raise business("The accounts of a transfer must differ.", "ToAccountRef")
    amount = money(to_decimal(obj["Amount"]))
    if amount <= 0:
        raise business("The amount of a transfer must be positive.", "Amount")
    obj["Amount"] = amount
    _common(obj, home_currency)
