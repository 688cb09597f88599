"""Rule 14 mapping: fees, fees given back, payout transfers and adjustments -> QBO Purchase, Deposit,
Transfer (XSD field model), and what they do to the clearing account in the sandbox company."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from crocoqb_desktop.sandbox.qbo_data import Company
from crocoqb_desktop.sandbox.xsd_model import load_field_model
from crocoqb_desktop.sync import mapping, mapping_fees
from tests.test_mapping_support import assert_xsd_clean, ca_company, line, payment, us_company


def card_payment(amount: str = "100.00", fee: str | None = "3.20", **extra: Any) -> dict[str, Any]:
    pay = payment([line("Workshop seat", 1, amount, [])], **extra)
    pay["fee"] = {"amount": fee, "description": "Stripe processing fee"} if fee is not None else None
    return pay


def payout(items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    total = sum((Decimal(str(i["net"])) for i in items), Decimal(0))
    return {"id": "po_7Hk2", "amount": f"{total:.2f}", "currency": "USD", "status": "paid", "provider": "stripe",
            "bankAccountLast4": "6789", "arrivalDate": "2025-03-04", "items": items, **extra}


class Books:
    """The sandbox company's accounts, written through the same rules as the API."""

    def __init__(self, preset: str = "us") -> None:
        self.company = Company("1", load_field_model(), preset=preset)
        self.clearing = self.write("Account", mapping_fees.clearing_account_body("stripe"))["Id"]
        self.fees = self.write("Account", mapping_fees.fees_account_body())["Id"]
        self.disputes = self.write("Account", {"Name": "Disputes", "AccountType": "Expense"})["Id"]
        self.bank = next(a["Id"] for a in self.company.all("Account") if a["Name"] == "Checking")

    def write(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        assert_xsd_clean(entity, body)
        from crocoqb_desktop.sandbox.qbo_common import dumps, loads

        return self.company.write(entity, loads(dumps(body)), None)

    def balance(self, account_id: str) -> Decimal:
        return Decimal(str(self.company.get("Account", account_id)["CurrentBalance"]))


def test_clearing_names_follow_rule_14() -> None:
    assert mapping_fees.clearing_account_body("stripe") == {
        "Name": "CrocoClick Payments - stripe", "AccountType": "Bank", "AccountSubType": "CashOnHand"}
    assert mapping_fees.fees_account_body()["Name"] == "Merchant fees"
    assert mapping_fees.provider_of(card_payment()) == "stripe"
    assert mapping_fees.provider_of({"paymentMethod": {"type": "cash", "provider": None}}) is None
    assert mapping_fees.provider_of({"paymentMethod": {"type": "card", "provider": "  Stripe "}}) == "stripe"


def test_fee_is_an_expense_from_the_clearing_account_dated_like_the_payment() -> None:
    books = Books()
    pay = card_payment()
    body = mapping_fees.fee_purchase_payload(pay, Decimal("3.20"), clearing_id=books.clearing, fees_id=books.fees,
                                             company=us_company())
    assert body["PaymentType"] == "Cash" and body["AccountRef"] == {"value": books.clearing}
    assert body["TxnDate"] == "2025-03-01"
    assert body["Line"][0]["AccountBasedExpenseLineDetail"]["AccountRef"] == {"value": books.fees}
    assert mapping_fees.marker_key(body["PrivateNote"]) == "fee:pay_9xTq"
    mapped = dataclasses.replace(us_company(), deposit_map={"order_form": "35"})  # the user's deposit mapping
    assert mapped.deposit_for("order_form") == "35"
    company = mapping_fees.company_with_deposit(mapped, books.clearing)
    assert company.deposit_for("order_form") == books.clearing  # a processor's money is in its clearing account
    receipt = mapping.sales_receipt_payload(pay, customer_ref={"value": books.write("Customer", {
        "DisplayName": "Alex"})["Id"]}, item_refs=[{"value": "1"}], company=company, payment_method_ref=None)
    assert receipt["DepositToAccountRef"] == {"value": books.clearing}
    books.write("SalesReceipt", receipt)
    saved = books.write("Purchase", body)
    assert saved["TotalAmt"] == Decimal("3.20")
    assert books.balance(books.clearing) == Decimal("96.80") == mapping_fees.payment_net(pay)


def test_fee_given_back_lowers_the_fees() -> None:
    books = Books()
    refund = {"id": "ref_1", "amount": "40.00", "refundedAt": "2025-03-02T10:00:00Z", "feeReturned": "1.10"}
    pay = card_payment(refunds=[refund], amountRefunded="40.00")
    amount = mapping_fees.fee_returned_of(refund)
    body = mapping_fees.fee_returned_deposit_payload(pay, refund, amount, clearing_id=books.clearing,
                                                     fees_id=books.fees, company=us_company())
    assert body["TxnDate"] == "2025-03-02" and body["Line"][0]["Amount"] == Decimal("1.10")
    assert mapping_fees.marker_key(body["PrivateNote"]) == "fee-returned:ref_1"
    books.write("Deposit", body)
    assert books.balance(books.clearing) == Decimal("1.10")
    assert mapping_fees.fee_returned_of({"id": "ref_2", "feeReturned": None}) == 0
    with pytest.raises(mapping.MappingError):
        mapping_fees.fee_returned_deposit_payload(pay, refund, Decimal(0), clearing_id="1", fees_id="2",
                                                  company=us_company())
    assert mapping_fees.payment_net(pay) == Decimal("100.00") - Decimal("3.20") - Decimal("40.00") + Decimal("1.10")


def test_payout_transfer_is_exactly_the_amount_and_reversal_undoes_it() -> None:
    books = Books()
    items = [{"type": "payment", "paymentId": "pay_1", "gross": "100.00", "fee": "3.20", "net": "96.80"},
             {"type": "refund", "paymentId": "pay_1", "refundId": "ref_1", "gross": "-40.00", "fee": "-1.10",
              "net": "-38.90"}]
    po = payout(items)
    body = mapping_fees.payout_transfer_payload(po, clearing_id=books.clearing, bank_id=books.bank,
                                                company=us_company())
    assert body is not None
    assert body["Amount"] == Decimal("57.90") and body["TxnDate"] == "2025-03-04"
    assert body["FromAccountRef"] == {"value": books.clearing} and body["ToAccountRef"] == {"value": books.bank}
    assert mapping_fees.marker_key(body["PrivateNote"]) == "payout:po_7Hk2"
    books.write("Transfer", body)
    assert books.balance(books.bank) == Decimal("57.90")
    back = mapping_fees.payout_transfer_payload(po, clearing_id=books.clearing, bank_id=books.bank,
                                                company=us_company(), reverse=True, txn_date="2025-03-05")
    assert back is not None and back["FromAccountRef"] == {"value": books.bank}
    assert mapping_fees.marker_key(back["PrivateNote"]) == "reversal:po_7Hk2"
    books.write("Transfer", back)
    assert books.balance(books.bank) == 0 and books.balance(books.clearing) == 0
    # a negative payout (the processor took money back) goes from the bank to the clearing account
    neg = payout([{"type": "refund", "refundId": "r", "gross": "-10.00", "fee": "0.00", "net": "-10.00"}])
    body = mapping_fees.payout_transfer_payload(neg, clearing_id="7", bank_id="1", company=us_company())
    assert body is not None and body["FromAccountRef"] == {"value": "1"} and body["Amount"] == Decimal("10.00")
    zero = payout([])
    assert mapping_fees.payout_transfer_payload(zero, clearing_id="7", bank_id="1", company=us_company()) is None


def test_payout_that_does_not_add_up_is_refused() -> None:
    po = payout([{"type": "payment", "gross": "10.00", "fee": "1.00", "net": "9.00"}])
    po["amount"] = "9.50"
    with pytest.raises(mapping.MappingError, match="does not equal"):
        mapping_fees.payout_transfer_payload(po, clearing_id="7", bank_id="1", company=us_company())


def test_dispute_adjustment_books_to_the_adjustment_account_and_its_fee_to_fees() -> None:
    books = Books()
    # the contract: gross = net for an adjustment, fee = the dispute fee inside it
    item = {"type": "adjustment", "gross": "-65.00", "fee": "15.00", "net": "-65.00", "description": "Dispute lost"}
    po = payout([item])
    entity, body = mapping_fees.adjustment_payload(po, 0, item, clearing_id=books.clearing,
                                                   adjustment_id=books.disputes, fees_id=books.fees,
                                                   company=us_company()) or ("", {})
    assert entity == "Purchase"
    assert [(ln["Amount"], ln["AccountBasedExpenseLineDetail"]["AccountRef"]["value"]) for ln in body["Line"]] == [
        (Decimal("50.00"), books.disputes), (Decimal("15.00"), books.fees)]
    assert mapping_fees.marker_key(body["PrivateNote"]) == "adjustment:po_7Hk2:0"
    books.write(entity, body)
    assert books.balance(books.clearing) == Decimal("-65.00")
    entity, body = mapping_fees.adjustment_payload(po, 0, item, clearing_id=books.clearing,
                                                   adjustment_id=books.disputes, fees_id=books.fees,
                                                   company=us_company(), reverse=True) or ("", {})
    assert entity == "Deposit" and mapping_fees.marker_key(body["PrivateNote"]) == "unadjustment:po_7Hk2:0"
    books.write(entity, body)
    assert books.balance(books.clearing) == 0
    # a dispute won back: money into the clearing account
    won = {"type": "adjustment", "gross": "50.00", "fee": "0.00", "net": "50.00", "description": "Dispute won"}
    entity, body = mapping_fees.adjustment_payload(po, 1, won, clearing_id="7", adjustment_id="9", fees_id="8",
                                                   company=us_company()) or ("", {})
    assert entity == "Deposit" and body["Line"][0]["Amount"] == Decimal("50.00")
    assert_xsd_clean(entity, body)
    bad = {"type": "adjustment", "gross": "-50.00", "fee": "0.00", "net": "-40.00"}
    with pytest.raises(mapping.MappingError, match="is not its net"):
        mapping_fees.adjustment_payload(po, 2, bad, clearing_id="7", adjustment_id="9", fees_id="8",
                                        company=us_company())


def test_canadian_company_and_foreign_currency() -> None:
    books = Books("ca")
    pay = card_payment(currency="CAD")
    body = mapping_fees.fee_purchase_payload(pay, Decimal("3.20"), clearing_id=books.clearing, fees_id=books.fees,
                                             company=ca_company())
    assert body["CurrencyRef"] == {"value": "CAD"}
    books.write("Purchase", body)
    assert books.balance(books.clearing) == Decimal("-3.20")
    with pytest.raises(mapping.MappingError, match="works only in CAD"):
        mapping_fees.fee_purchase_payload(card_payment(currency="EUR"), Decimal("1"), clearing_id="1", fees_id="2",
                                          company=ca_company())
