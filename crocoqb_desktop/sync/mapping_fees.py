"""Rule 14 (clearing mode) as pure functions: CrocoClick payments, fees, refunds and payouts -> the QBO
Purchase, Deposit and Transfer payloads that make the processor's clearing account mirror its balance.

- the Sales Receipt / invoice Payment is deposited to the clearing account (`company_with_deposit`);
- its fee is a Purchase (an Expense) paid from the clearing account to the fees account, dated like the
  payment (`fee_purchase_payload`);
- a refund is paid from the clearing account (the RefundReceipt's DepositToAccountRef), and the part of
  the fee the processor gave back is a Deposit into the clearing account from the fees account, which
  lowers the fees (`fee_returned_deposit_payload`);
- a paid payout is one Transfer of exactly its amount from the clearing account to the bank account
  (`payout_transfer_payload`), its adjustments (disputes, reserves) a Purchase or Deposit between the
  clearing account and the adjustment account (`adjustment_payload`); a failed payout reverses both.

Markers: PrivateNote starts with "CrocoClick <key>" where the key names the write ("fee:pay_1",
"fee-returned:ref_1", "payout:po_1", "adjustment:po_1:2", "reversal:po_1"...), so the engine finds
each one again after an uncertain write (`marker_key`). Field names are those of Intuit's XSD.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from crocoqb_desktop.messages import message
from crocoqb_desktop.sync.mapping_common import ZERO, MappingError, QboCompany, clean_text, money
from crocoqb_desktop.sync.mapping_sales import _local_date, check_currency

CLEARING_NAME = "CrocoClick Payments - {provider}"
FEES_NAME = "Merchant fees"
#: what a new clearing account is in QuickBooks: a Bank account (rule 14), so the bank feed can match it
CLEARING_ACCOUNT = {"AccountType": "Bank", "AccountSubType": "CashOnHand"}
FEES_ACCOUNT = {"AccountType": "Expense", "AccountSubType": "BankCharges"}
_DATA_FIX = message("payouts.data_fix", "Check the payout in CrocoClick; if it is right, record it in QuickBooks by hand.")


def provider_of(payment: Mapping[str, Any]) -> str | None:
    """The processor that collected a payment (lower case), or None (cash, cheque, manual entries)."""
    method = payment.get("paymentMethod") or {}
    name = " ".join(str(method.get("provider") or "").split()).casefold()
    return name or None


def clearing_account_body(provider: str) -> dict[str, Any]:
    return {"Name": CLEARING_NAME.format(provider=provider)[:100], **CLEARING_ACCOUNT}


def fees_account_body() -> dict[str, Any]:
    return {"Name": FEES_NAME, **FEES_ACCOUNT}


def company_with_deposit(company: QboCompany, account_id: str) -> QboCompany:
    """The same company whose Sales Receipts and Payments go to `account_id` (the clearing account), whatever
    the deposit account mapped for their source type: a processor's money is in its clearing account."""
    return dataclasses.replace(company, deposit_account_id=str(account_id), deposit_map={})


def marker_key(private_note: Any) -> str | None:
    """The key of a write this module made, read back from its PrivateNote ("CrocoClick <key> ...")."""
    parts = str(private_note or "").split()
    return parts[1] if len(parts) >= 2 and parts[0] == "CrocoClick" else None


def fee_of(payment: Mapping[str, Any]) -> Decimal | None:
    """The processor fee withheld from a payment; None while CrocoClick does not know it yet."""
    fee = payment.get("fee")
    if not isinstance(fee, Mapping) or fee.get("amount") is None:
        return None
    return money(fee["amount"], "the processor fee")


def _expense_line(amount: Decimal, account_id: str, description: str) -> dict[str, Any]:
    return {"DetailType": "AccountBasedExpenseLineDetail", "Amount": amount, "Description": description,
            "AccountBasedExpenseLineDetail": {"AccountRef": {"value": str(account_id)}}}


def _deposit_line(amount: Decimal, account_id: str, description: str) -> dict[str, Any]:
    return {"DetailType": "DepositLineDetail", "Amount": amount, "Description": description,
            "DepositLineDetail": {"AccountRef": {"value": str(account_id)}}}


def _note(key: str, *detail: str) -> str:
    return clean_text(" ".join([f"CrocoClick {key}", *[d for d in detail if d]]), 4000)


def _currency(currency: Any, company: QboCompany) -> dict[str, str]:
    return {"value": check_currency(currency, company)}


def fee_purchase_payload(payment: Mapping[str, Any], fee: Decimal, *, clearing_id: str, fees_id: str,
                         company: QboCompany, local_tz: tzinfo | None = None) -> dict[str, Any]:
    """The processor fee of a payment: an Expense paid from the clearing account to the fees account,
    dated like the payment (the day of paidAt) and naming it."""
    if fee <= 0:
        raise MappingError(message("payouts.fee_not_positive", "the fee {fee} of payment {payment} is not positive",
                                   fee=fee, payment=str(payment.get("id"))),
                           fix=message("payouts.fee_not_positive_fix", "Nothing to record: QuickBooks needs no expense "
                                       "for a zero fee."))
    description = clean_text((payment.get("fee") or {}).get("description"), 4000) or "Processor fee"
    body: dict[str, Any] = {
        "PaymentType": "Cash",
        "AccountRef": {"value": str(clearing_id)},
        "CurrencyRef": _currency(payment.get("currency"), company),
        "Line": [_expense_line(fee, fees_id, f"{description} (payment {payment.get('id')})")],
        "PrivateNote": _note(f"fee:{payment.get('id')}", f"(fee of payment {payment.get('id')})"),
    }
    txn_date = _local_date(payment.get("paidAt") or payment.get("createdAt"), local_tz)
    if txn_date:
        body["TxnDate"] = txn_date
    return body


def fee_returned_of(refund: Mapping[str, Any]) -> Decimal:
    value = refund.get("feeReturned")
    return ZERO if value is None else money(value, "the fee given back")


def fee_returned_deposit_payload(payment: Mapping[str, Any], refund: Mapping[str, Any], amount: Decimal, *,
                                 clearing_id: str, fees_id: str, company: QboCompany,
                                 local_tz: tzinfo | None = None) -> dict[str, Any]:
    """The part of the fee the processor gave back with a refund: a Deposit into the clearing account
    from the fees account (a credit to the fees: they go down by that much)."""
    if amount <= 0:
        raise MappingError(message("payouts.no_fee_returned", "refund {refund} gives back no fee",
                                   refund=str(refund.get("id"))),
                           fix=message("payouts.no_fee_returned_fix", "Nothing to record in QuickBooks for this "
                                       "refund's fee."))
    body: dict[str, Any] = {
        "DepositToAccountRef": {"value": str(clearing_id)},
        "CurrencyRef": _currency(payment.get("currency"), company),
        "Line": [_deposit_line(amount, fees_id, f"Fee given back with refund {refund.get('id')} "
                                                f"of payment {payment.get('id')}")],
        "PrivateNote": _note(f"fee-returned:{refund.get('id')}", f"(refund of payment {payment.get('id')})"),
    }
    txn_date = _local_date(refund.get("refundedAt"), local_tz)
    if txn_date:
        body["TxnDate"] = txn_date
    return body


def payout_amount(payout: Mapping[str, Any]) -> Decimal:
    """The payout's amount, checked against its items (the contract: the sum of the items' net)."""
    amount = money(payout.get("amount"), "the payout amount")
    items = payout.get("items") or []
    total = sum((money(i.get("net"), "a payout item's net") for i in items if isinstance(i, Mapping)), ZERO)
    if items and total != amount:
        raise MappingError(message("payouts.items_do_not_add_up", "payout {payout} of {amount} does not equal the "
                                   "sum of its items ({total})", payout=str(payout.get("id")), amount=amount,
                                   total=total), fix=_DATA_FIX)
    return amount


def payout_transfer_payload(payout: Mapping[str, Any], *, clearing_id: str, bank_id: str, company: QboCompany,
                            reverse: bool = False, txn_date: str | None = None) -> dict[str, Any] | None:
    """One Transfer of exactly the payout amount from the clearing account to the bank account (the bank
    feed's deposit then matches it to the cent); a negative payout (the processor took money from the
    bank) goes the other way. `reverse`: the transfer that undoes it (a failed payout). None for 0."""
    amount = payout_amount(payout)
    if amount == 0:
        return None
    source, target = str(clearing_id), str(bank_id)
    if (amount < 0) != reverse:
        source, target = target, source
    key = f"{'reversal' if reverse else 'payout'}:{payout.get('id')}"
    what = "failed payout, money back to the processor" if reverse else "payout"
    body: dict[str, Any] = {
        "FromAccountRef": {"value": source},
        "ToAccountRef": {"value": target},
        "Amount": abs(amount),
        "CurrencyRef": _currency(payout.get("currency"), company),
        "PrivateNote": _note(key, f"({payout.get('provider')} {what}"
                                  + (f", bank ****{payout['bankAccountLast4']})" if payout.get("bankAccountLast4")
                                     else ")")),
    }
    date = txn_date or payout.get("arrivalDate")
    if date:
        body["TxnDate"] = str(date)[:10]
    return body


def adjustment_payload(payout: Mapping[str, Any], index: int, item: Mapping[str, Any], *, clearing_id: str,
                       adjustment_id: str, fees_id: str, company: QboCompany,
                       reverse: bool = False, txn_date: str | None = None) -> tuple[str, dict[str, Any]] | None:
    """An adjustment of a payout (dispute, reserve...) between the clearing account and the adjustment
    account. The contract's adjustment has gross = net, and `fee` names the dispute fee inside it: money
    out of the clearing account (net < 0) is a Purchase whose dispute fee goes to the fees account and
    the rest to the adjustment account; money in (net > 0) is a Deposit from the adjustment account.
    `reverse` undoes it (a failed payout). None when the net is 0."""
    gross = money(item.get("gross"), "an adjustment's gross")
    fee = money(item.get("fee") or 0, "an adjustment's fee")
    net = money(item.get("net"), "an adjustment's net")
    if gross != net:
        raise MappingError(message("payouts.adjustment_gross_net", "an adjustment of payout {payout} has a gross "
                                   "{gross} that is not its net {net}", payout=str(payout.get("id")), gross=gross,
                                   net=net), fix=_DATA_FIX)
    if reverse:
        net, fee = -net, -fee
    if net == 0:
        return None
    what = clean_text(item.get("description"), 200) or "Adjustment"
    label = f"{what} (payout {payout.get('id')})"
    key = f"{'unadjustment' if reverse else 'adjustment'}:{payout.get('id')}:{index}"
    common: dict[str, Any] = {"CurrencyRef": _currency(payout.get("currency"), company),
                              "PrivateNote": _note(key, f"({label})")}
    date = txn_date or payout.get("arrivalDate")
    if date:
        common["TxnDate"] = str(date)[:10]
    # the dispute fee on its own line when it fits inside the amount (same sign), else one line
    parts = [(abs(net) - abs(fee), adjustment_id, label), (abs(fee), fees_id, f"Fee: {label}")]
    if fee == 0 or (fee > 0) != (net < 0) or abs(fee) > abs(net):
        parts = [(abs(net), adjustment_id, label)]
    if net < 0:
        lines = [_expense_line(a, acct, d) for a, acct, d in parts if a != 0]
        return "Purchase", {"PaymentType": "Cash", "AccountRef": {"value": str(clearing_id)}, "Line": lines,
                            **common}
    lines = [_deposit_line(a, acct, d) for a, acct, d in parts if a != 0]
    return "Deposit", {"DepositToAccountRef": {"value": str(clearing_id)}, "Line": lines, **common}


def payment_net(payment: Mapping[str, Any]) -> Decimal | None:
    """What the processor keeps for the business from a payment: amount - fee - refunds + fees given back."""
    fee = fee_of(payment)
    if fee is None:
        return None
    refunds = [r for r in payment.get("refunds") or [] if isinstance(r, Mapping)]
    refunded = sum((money(r.get("amount"), "a refund") for r in refunds), ZERO)
    returned = sum((fee_returned_of(r) for r in refunds), ZERO)
    return money(payment.get("amount"), "the payment amount") - fee - refunded + returned
