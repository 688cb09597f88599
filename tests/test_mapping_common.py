"""Mapping basics: emails, fingerprints, the company context, QBO's arithmetic helper."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crocoqb_desktop import errors
from crocoqb_desktop.sync import mapping
from crocoqb_desktop.sync.mapping_common import allocate, clean_name, country_code, dec, json_number, money
from tests.test_mapping_support import ACCOUNTS, PAYMENT_METHODS, ca_company, fixture, us_company


@pytest.mark.parametrize(("raw", "expected"), [
    ("  Alex@Example.COM ", "alex@example.com"),
    ("STRASSE@ÉCOLE.fr", "strasse@école.fr"),
    ("Maße@example.com", "masse@example.com"),  # casefold, not lower
    ("", None), ("   ", None), (None, None),
])
def test_normalise_email(raw: str | None, expected: str | None) -> None:
    assert mapping.normalise_email(raw) == expected


def test_mapping_error_is_a_record_error_with_message_and_fix() -> None:
    exc = mapping.MappingError("no tax code", fix="Create it")
    assert isinstance(exc, errors.RecordError)
    assert exc.message == "no tax code" and exc.fix == "Create it" and exc.exit_code == 1


def test_fingerprint_is_stable_and_decimal_safe() -> None:
    a = {"Line": [{"Amount": Decimal("10.50"), "Qty": 2}], "DocNumber": "1"}
    b = {"DocNumber": "1", "Line": [{"Qty": Decimal("2.0"), "Amount": 10.5}]}
    assert mapping.fingerprint(a) == mapping.fingerprint(b)
    assert len(mapping.fingerprint(a)) == 64
    assert mapping.fingerprint(a) != mapping.fingerprint({**a, "DocNumber": "2"})
    assert mapping.fingerprint({"x": True}) != mapping.fingerprint({"x": 1})
    assert mapping.fingerprint({"x": None}) != mapping.fingerprint({})


def test_decimal_helpers() -> None:
    assert money("0.005") == Decimal("0.01") and money("-0.005") == Decimal("-0.01")
    assert str(money("-0.001")) == "0.00"
    assert dec(0.1) == Decimal("0.1")
    assert json_number(Decimal("2.50")) == 2.5 and isinstance(json_number(Decimal("3.000")), int)
    assert allocate(Decimal("18.05"), [Decimal("59.97"), Decimal("120.50")]) == [Decimal("6.00"), Decimal("12.05")]
    assert allocate(Decimal("1.00"), [Decimal(0), Decimal(0)]) == [Decimal("1.00"), Decimal("0.00")]
    assert sum(allocate(Decimal("0.10"), [Decimal(1)] * 3)) == Decimal("0.10")
    with pytest.raises(mapping.MappingError):
        dec("abc", "the price")


def test_names_and_countries() -> None:
    assert clean_name("Acme: Sales\tTeam\n") == "Acme- Sales Team"
    assert country_code("United States") == "US" and country_code("ca") == "CA" and country_code("Atlantis") is None


def test_company_from_qbo_us() -> None:
    company = us_company()
    assert company.country == "US" and company.is_us and company.home_currency == "USD"
    assert company.automated_sales_tax and company.custom_txn_numbers and not company.multicurrency
    assert company.deposit_account_id == "4"  # Undeposited Funds, found by AccountSubType
    assert company.discount_account_id == "86"
    assert company.rate_value("3") == Decimal(8)
    assert len(company.payment_methods) == len(PAYMENT_METHODS)


def test_company_from_qbo_entities_or_envelopes_and_fallback_currency() -> None:
    company = mapping.company_from_qbo({"Country": "CA"}, {}, tax_codes=[], tax_rates=[], accounts=ACCOUNTS,
                                       payment_methods=[])
    assert company.home_currency == "CAD" and not company.automated_sales_tax and not company.custom_txn_numbers
    assert not ca_company().is_us
    with pytest.raises(mapping.MappingError) as info:
        mapping.company_from_qbo({"Country": "ZZ"}, {}, tax_codes=[], tax_rates=[], accounts=ACCOUNTS,
                                 payment_methods=[])
    assert "currency" in info.value.message


@pytest.mark.parametrize("wanted", ["35", "Checking", "checking"])
def test_company_deposit_account_by_id_or_name(wanted: str) -> None:
    company = mapping.company_from_qbo({"Country": "US"}, {}, tax_codes=[], tax_rates=[], accounts=ACCOUNTS,
                                       payment_methods=[], deposit_account=wanted)
    assert company.deposit_account_id == "35"


def test_company_deposit_account_errors() -> None:
    with pytest.raises(mapping.MappingError) as info:
        mapping.company_from_qbo({"Country": "US"}, {}, tax_codes=[], tax_rates=[], accounts=ACCOUNTS,
                                 payment_methods=[], deposit_account="Savings")
    assert "Savings" in info.value.message and "sync.deposit_account" in info.value.fix
    with pytest.raises(mapping.MappingError) as info:
        mapping.company_from_qbo({"Country": "US"}, {}, tax_codes=[], tax_rates=[], accounts=ACCOUNTS[1:],
                                 payment_methods=[])
    assert "Undeposited Funds" in info.value.message
    inactive = [dict(fixture("account_undeposited_funds.json"), Active=False)]
    with pytest.raises(mapping.MappingError):
        mapping.company_from_qbo({"Country": "US"}, {}, tax_codes=[], tax_rates=[], accounts=inactive,
                                 payment_methods=[])


def test_implied_total_matches_the_recorded_qbo_documents() -> None:
    for name in ("invoice_with_tax_open.json", "invoice_with_tax_paid.json", "salesreceipt_with_discount.json",
                 "invoice_void_response.json", "invoice_create_response.json"):
        doc = fixture(name)
        doc = doc.get("Invoice", doc)
        doc = {**doc, "Line": [ln for ln in doc["Line"] if ln["DetailType"] != "SubTotalLineDetail"]}
        assert mapping.implied_total(doc) == Decimal(doc["TotalAmt"]), name
    assert mapping.implied_total(fixture("payment_linked_invoice.json")) == Decimal("220.00")
