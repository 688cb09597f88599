"""CrocoClick invoices and payments -> QBO Invoice, SalesReceipt, Payment and RefundReceipt payloads.

Markers: every transaction carries `PrivateNote` starting "CrocoClick <id>" (the invoice, payment or
refund id), so the engine can find it again after an uncertain write; invoices also carry the
CrocoClick number as DocNumber when the company uses custom transaction numbers, and sales and
refund receipts then carry the payment / refund id as DocNumber (when it fits in 21 characters).
Currency: CurrencyRef is the document's currency; a foreign currency needs multicurrency on in
QuickBooks, and must equal the customer's currency when the caller passes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from crocoqb_desktop.errors import Text
from crocoqb_desktop.messages import message
from crocoqb_desktop.sync.mapping_common import (
    MappingError,
    QboCompany,
    clean_text,
    looks_like_email,
    money,
    ref_copy,
)
from crocoqb_desktop.sync.mapping_lines import SalesParts, build_sales_parts, read_lines, scale_parts

DOC_NUMBER_MAX = 21
PAYMENT_REF_MAX = 21
MANUAL_LINE_NAME = "CrocoClick payment"
_DATE_FIX = message("mapping.date.fix", "Open the invoice in CrocoClick, set its dates again, save it, then press Sync now.")


def marker(croco_id: Any) -> str:
    """The text the app writes at the start of PrivateNote to find its own documents again."""
    return f"CrocoClick {croco_id}"


def expected_qbo_total(doc: Mapping[str, Any]) -> Decimal:
    """CrocoClick's total of an invoice or payment (totals.total; a payment without totals: its
    amount), what QBO's TotalAmt must equal after the write."""
    totals = doc.get("totals") or {}
    if totals.get("total") is not None:
        return money(totals["total"], "the total")
    if doc.get("amount") is not None:
        return money(doc["amount"], "the amount")
    _lines, figures = read_lines(doc.get("items") or doc.get("lineItems") or [], doc.get("discount"), None)
    return figures["total"]


def check_currency(currency: str | None, company: QboCompany, customer_currency: str | None = None) -> str:
    cur = str(currency or company.home_currency).upper()
    if cur != company.home_currency and not company.multicurrency:
        raise MappingError(
            message("mapping.currency_not_home", 'it is in {cur}, but the QuickBooks company works only in {home_currency}', cur=cur, home_currency=company.home_currency),
            fix=message("mapping.currency_not_home.fix", 'Turn on multicurrency in QuickBooks (Account and settings > Advanced > Currency; it cannot be turned off again), or issue the document in {home_currency} in CrocoClick, then press Sync now.', home_currency=company.home_currency))
    if customer_currency and str(customer_currency).upper() != cur:
        raise MappingError(
            message("mapping.currency_customer", 'it is in {cur}, but its QuickBooks customer uses {customer_currency} and QuickBooks keeps one currency per customer', cur=cur, customer_currency=str(customer_currency).upper()),
            fix=message("mapping.currency_customer.fix", "Issue this contact's documents in {customer_currency} in CrocoClick, or create a separate {cur} customer for it in QuickBooks and link it, then press Sync now.", customer_currency=str(customer_currency).upper(), cur=cur))
    return cur


def tax_lines_for(items: Sequence[Mapping[str, Any]], company: QboCompany) -> list[dict[str, str] | None]:
    """The TaxCodeRef each CrocoClick line gets in this company (None: no code)."""
    refs = [{"value": "0"}] * len(items)
    parts = build_sales_parts(items, None, None, item_refs=refs, company=company)
    return [line["SalesItemLineDetail"].get("TaxCodeRef") for line in parts.lines]


def _local_date(timestamp: Any, local_tz: tzinfo | None) -> str | None:
    if not timestamp:
        return None
    text = str(timestamp)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(local_tz or UTC).date().isoformat()


def _update_header(existing: Mapping[str, Any] | None) -> dict[str, Any]:
    if not existing:
        return {}
    return {"Id": str(existing["Id"]), "SyncToken": str(existing["SyncToken"]), "sparse": True}


def _note(*parts: str) -> str:
    return clean_text(" ".join(p for p in parts if p), 4000)


def _iso_date(value: Any, what: Text) -> str:
    """A YYYY-MM-DD date for QBO; MappingError for anything else."""
    text = str(value).strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise MappingError(message("mapping.bad_date", "its {what} '{value}' is not a valid date", what=what, value=clean_text(value, 40)), fix=_DATE_FIX)


def _not_negative(parts: SalesParts, kind: Text, instead: Text) -> SalesParts:
    """QuickBooks refuses a sales document whose total is below zero."""
    if parts.total < 0:
        raise MappingError(
            message("mapping.negative_total", 'its total is {total}, and QuickBooks does not accept a {kind} with a negative total', total=parts.total, kind=kind),
            fix=message("mapping.negative_total.fix", 'Correct its lines in CrocoClick (a negative amount is a credit), or {instead}, then press Sync now.', instead=instead))
    return parts


def _money_fields(body: dict[str, Any], parts: SalesParts) -> None:
    body["Line"] = parts.line_list()
    body["TxnTaxDetail"] = parts.tax_detail
    if parts.global_tax:
        body["GlobalTaxCalculation"] = parts.global_tax


def invoice_payload(invoice: Mapping[str, Any], *, customer_ref: Mapping[str, Any],
                    item_refs: Sequence[Mapping[str, Any]], company: QboCompany,
                    existing: Mapping[str, Any] | None = None, customer_currency: str | None = None) -> dict[str, Any]:
    """A QBO Invoice create body, or a sparse update of `existing` (the QBO Invoice) with the same
    content. `item_refs` is parallel to `invoice.items` (or one ref for every line)."""
    number = clean_text(invoice.get("number"))
    what = message("label.invoice", "invoice {number}", number=number or invoice.get("id"))
    currency = check_currency(invoice.get("currency"), company, customer_currency)
    body = _update_header(existing)
    if company.custom_txn_numbers and number:
        if len(number) > DOC_NUMBER_MAX:
            raise MappingError(
                message("mapping.number_too_long", "its number '{number}' is longer than the {max_chars} characters QuickBooks allows", number=number, max_chars=DOC_NUMBER_MAX),
                fix=message("mapping.number_too_long.fix", 'Shorten the invoice number prefix in CrocoClick so numbers have at most {max_chars} characters, or turn off custom transaction numbers in QuickBooks (Account and settings > Sales) so QuickBooks numbers invoices itself, then press Sync now.', max_chars=DOC_NUMBER_MAX))
        body["DocNumber"] = number
    if invoice.get("issueDate"):
        body["TxnDate"] = _iso_date(invoice["issueDate"], message("mapping.what.issue_date", "issue date"))
    if invoice.get("dueDate"):
        body["DueDate"] = _iso_date(invoice["dueDate"], message("mapping.what.due_date", "due date"))
    body["CustomerRef"] = ref_copy(customer_ref)
    body["CurrencyRef"] = {"value": currency}
    parts = build_sales_parts(invoice.get("items") or [], invoice.get("discount"), invoice.get("totals"),
                              item_refs=item_refs, company=company, what=what)
    _not_negative(parts, message("mapping.kind.invoice", "invoice"),
                  message("mapping.instead.credit_memo", "record the credit in QuickBooks as a credit memo"))
    _money_fields(body, parts)
    body["PrivateNote"] = _note(marker(invoice.get("id")), f"({number})" if number else "")
    memo = clean_text(invoice.get("memo"), 1000)
    if memo:
        body["CustomerMemo"] = {"value": memo}
    email = str(((invoice.get("billTo") or {}).get("email")) or "").strip()
    if looks_like_email(email) and len(email) <= 100:
        body["BillEmail"] = {"Address": email}
    return body


def _payment_parts(payment: Mapping[str, Any], item_refs: Sequence[Mapping[str, Any]],
                   company: QboCompany) -> SalesParts:
    what = message("label.payment", "payment {id}", id=payment.get("id"))
    items = payment.get("lineItems") or []
    if items:
        totals = payment.get("totals")
        if not totals and payment.get("amount") is not None:
            totals = {"total": payment["amount"]}  # the money received: the lines must come to it
        return build_sales_parts(items, payment.get("discount"), totals, item_refs=item_refs,
                                 company=company, what=what)
    # a payment without lines (manual, or an invoice payment): one line with the default item
    total = expected_qbo_total(payment)
    line = {"name": MANUAL_LINE_NAME, "quantity": 1, "unitPrice": str(total), "lineSubtotal": str(total), "taxes": []}
    totals = {"subtotal": total, "discountTotal": 0, "taxTotal": 0, "total": total}
    return build_sales_parts([line], None, totals, item_refs=item_refs[:1], company=company, what=what)


def _payment_ref_num(payment: Mapping[str, Any]) -> str:
    last4 = str((payment.get("paymentMethod") or {}).get("last4") or "").strip()
    return (last4 or str(payment.get("id") or ""))[:PAYMENT_REF_MAX]


def _receipt_common(body: dict[str, Any], *, doc_id: Any, customer_ref: Mapping[str, Any], currency: str,
                    company: QboCompany, payment_method_ref: Mapping[str, Any] | None) -> None:
    if company.custom_txn_numbers and doc_id and len(str(doc_id)) <= DOC_NUMBER_MAX:
        body["DocNumber"] = str(doc_id)
    body["CustomerRef"] = ref_copy(customer_ref)
    body["CurrencyRef"] = {"value": currency}
    if payment_method_ref:
        body["PaymentMethodRef"] = ref_copy(payment_method_ref)


def sales_receipt_payload(payment: Mapping[str, Any], *, customer_ref: Mapping[str, Any],
                          item_refs: Sequence[Mapping[str, Any]], company: QboCompany,
                          payment_method_ref: Mapping[str, Any] | None, existing: Mapping[str, Any] | None = None,
                          customer_currency: str | None = None, local_tz: tzinfo | None = None) -> dict[str, Any]:
    """A QBO SalesReceipt for a succeeded CrocoClick payment (not an invoice payment): its line items,
    discount and taxes, or one "CrocoClick payment" line with `item_refs[0]` when it has none.
    TxnDate is the day of paidAt (in `local_tz`, default UTC)."""
    currency = check_currency(payment.get("currency"), company, customer_currency)
    body = _update_header(existing)
    body["TxnDate"] = _local_date(payment.get("paidAt") or payment.get("createdAt"), local_tz)
    if body["TxnDate"] is None:
        del body["TxnDate"]
    _receipt_common(body, doc_id=payment.get("id"), customer_ref=customer_ref, currency=currency, company=company,
                    payment_method_ref=payment_method_ref)
    _money_fields(body, _not_negative(_payment_parts(payment, item_refs, company),
                                      message("mapping.kind.sales_receipt", "sales receipt"),
                                      message("mapping.instead.refund_receipt", "record it in QuickBooks as a refund "
                                              "receipt")))
    body["PaymentRefNum"] = _payment_ref_num(payment)
    body["DepositToAccountRef"] = {"value": company.deposit_for(payment.get("sourceType"))}
    source = str(payment.get("sourceType") or "")
    name = clean_text(payment.get("sourceName"), 200)
    detail = f"({source}: {name})" if source and name else f"({source or name})" if (source or name) else ""
    body["PrivateNote"] = _note(marker(payment.get("id")), detail)
    return body


def payment_payload(payment: Mapping[str, Any], *, customer_ref: Mapping[str, Any], qbo_invoice_id: str,
                    company: QboCompany, payment_method_ref: Mapping[str, Any] | None,
                    customer_currency: str | None = None, local_tz: tzinfo | None = None) -> dict[str, Any]:
    """A QBO Payment of the gross amount, applied to the QBO invoice `qbo_invoice_id`."""
    currency = check_currency(payment.get("currency"), company, customer_currency)
    amount = money(payment.get("amount"), "the payment amount")
    if amount <= 0:
        raise MappingError(message("mapping.payment_no_amount", 'payment {id} has no positive amount', id=payment.get('id')),
                           fix=message("mapping.payment_no_amount.fix", "Check the payment in CrocoClick; nothing needs recording in QuickBooks."))
    body: dict[str, Any] = {
        "CustomerRef": ref_copy(customer_ref),
        "CurrencyRef": {"value": currency},
        "TotalAmt": amount,
        "Line": [{"Amount": amount, "LinkedTxn": [{"TxnId": str(qbo_invoice_id), "TxnType": "Invoice"}]}],
        "DepositToAccountRef": {"value": company.deposit_for(payment.get("sourceType") or "invoice")},
        "PaymentRefNum": _payment_ref_num(payment),
        "ProcessPayment": False,
    }
    txn_date = _local_date(payment.get("paidAt") or payment.get("createdAt"), local_tz)
    if txn_date:
        body["TxnDate"] = txn_date
    if payment_method_ref:
        body["PaymentMethodRef"] = ref_copy(payment_method_ref)
    invoice = f"(invoice {payment.get('invoiceId')})" if payment.get("invoiceId") else ""
    body["PrivateNote"] = _note(marker(payment.get("id")), invoice)
    return body


def refund_receipt_payload(payment: Mapping[str, Any], refund: Mapping[str, Any], *, customer_ref: Mapping[str, Any],
                           item_refs: Sequence[Mapping[str, Any]], company: QboCompany,
                           payment_method_ref: Mapping[str, Any] | None, customer_currency: str | None = None,
                           local_tz: tzinfo | None = None, refund_account_id: str | None = None) -> dict[str, Any]:
    """A QBO RefundReceipt for one refund of a payment. A full refund mirrors the sale (same lines,
    discount, taxes); a partial one scales it (see `mapping_lines.scale_parts`), so the tax given
    back is proportional. Money leaves `refund_account_id`, by default the deposit account."""
    currency = check_currency(payment.get("currency"), company, customer_currency)
    parts = _payment_parts(payment, item_refs, company)
    amount = money(refund.get("amount"), "the refund amount")
    if amount <= 0 or amount > parts.total:
        raise MappingError(
            message("mapping.refund_too_big", 'refund {id} of {amount} does not fit payment {payment} of {total}', id=refund.get('id'), amount=amount, payment=payment.get('id'), total=parts.total),
            fix=message("mapping.refund_too_big.fix", "Check the refund in CrocoClick; record it in QuickBooks by hand if it is correct."))
    if amount != parts.total:
        parts = scale_parts(parts, amount)
    body: dict[str, Any] = {}
    txn_date = _local_date(refund.get("refundedAt"), local_tz)
    if txn_date:
        body["TxnDate"] = txn_date
    _receipt_common(body, doc_id=refund.get("id"), customer_ref=customer_ref, currency=currency, company=company,
                    payment_method_ref=payment_method_ref)
    _money_fields(body, parts)
    body["DepositToAccountRef"] = {"value": str(refund_account_id or company.deposit_for(payment.get("sourceType")))}
    body["PaymentRefNum"] = str(refund.get("id") or "")[:PAYMENT_REF_MAX]
    reason = clean_text(refund.get("reason"), 200)
    body["PrivateNote"] = _note(marker(refund.get("id")), f"(refund of payment {payment.get('id')})",
                                f"Reason: {reason}" if reason else "")
    return body


# ----------------------------------------------------------------------------------------------
# payment methods
# ----------------------------------------------------------------------------------------------
_CARD_BRANDS = {
    "visa": ["Visa"], "mastercard": ["MasterCard", "Master Card"], "mc": ["MasterCard"],
    "amex": ["American Express", "AmEx"], "americanexpress": ["American Express", "AmEx"],
    "discover": ["Discover"], "diners": ["Diners Club", "Diners"], "dinersclub": ["Diners Club", "Diners"],
    "jcb": ["JCB"], "unionpay": ["UnionPay", "China UnionPay"], "interac": ["Interac", "Debit Card"],
}
_BY_TYPE = {
    "cash": ["Cash"],
    "cheque": ["Check", "Cheque"],
    "bank_debit": ["Direct Debit", "ACH", "Bank Debit", "EFT"],
    "bank_transfer": ["Bank Transfer", "EFT", "Wire Transfer", "Wire", "ACH", "Direct Deposit"],
    "wallet": [],
    "other": [],
}


def _norm(text: Any) -> str:
    return "".join(ch for ch in str(text or "").casefold() if ch.isalnum())


def payment_method_for(method: Mapping[str, Any], company: QboCompany) -> dict[str, str] | None:
    """The QBO PaymentMethod ref for a CrocoClick paymentMethod: a card by brand ("Visa",
    "MasterCard"...), else "Credit Card"; cash -> "Cash"; cheque -> "Check"/"Cheque"; bank payments
    -> "Direct Debit"/"EFT"...; a wallet by its brand ("PayPal", "Apple Pay"). None if none fits."""
    kind = str(method.get("type") or "").strip().lower()
    brand = _norm(method.get("brand"))
    if kind == "card":
        names = _CARD_BRANDS.get(brand, [str(method.get("brand") or "")]) + ["Credit Card", "Card"]
    elif kind == "wallet":
        names = [str(method.get("brand") or ""), str(method.get("provider") or "")]
    else:
        names = list(_BY_TYPE.get(kind, []))
    active = [m for m in company.payment_methods if m.get("Active", True) is not False]
    for name in names:
        wanted = _norm(name)
        if not wanted:
            continue
        for found in active:
            if _norm(found.get("Name")) == wanted:
                return {"value": str(found["Id"]), "name": str(found.get("Name") or "")}
    return None

