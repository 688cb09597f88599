"""Shared pieces of the mapping rules: the error type, Decimal helpers, the QuickBooks company
context (`QboCompany`), QBO's document arithmetic and payload fingerprints. Pure: no I/O.

Money is `Decimal` throughout. Amounts put into QBO payloads are Decimals with 2 decimals;
quantities, unit prices and rates are Decimals without trailing zeros. CrocoClick bodies carry
money as 2-decimal strings and `number` fields (quantity, tax rate) as int/float.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from crocoqb_desktop import errors
from crocoqb_desktop.errors import Text
from crocoqb_desktop.messages import message
from crocoqb_desktop.sync.problems import ProblemError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
#: QBO accepts at most this many decimals in Qty/UnitPrice (it answers with 7, e.g. 92.5633333)
QBO_MAX_DECIMALS = 7


#: what a number is, in "{what} is not a number" messages
_A_VALUE = message("mapping.what.value", "a value")
_AN_AMOUNT = message("mapping.what.amount", "an amount")
A_TAX_RATE = message("mapping.what.tax_rate", "a tax rate")


class MappingError(errors.RecordError):
    """A CrocoClick or QuickBooks record cannot be mapped as it is. `message` says why in plain
    language, `fix` what the user can do (e.g. create a tax code in QuickBooks)."""

    title = message("mapping.error.title", "Record not synced")


class MappingProblem(ProblemError, MappingError):
    """A mapping error the user answers with a mapping or in QuickBooks: raised at the source with its
    stable reason code (sync/problems.py REASONS, listed in README), so `crocoqb problems` and
    `crocoqb check` name it alike and `map set` knows which records it can help."""

    def __init__(self, reason: str, msg: Text, *, fix: Text | None = None, qbo_id: str | None = None) -> None:
        super().__init__(reason, msg, fix=fix, actions=("retry", "skip"), qbo_id=qbo_id)


# ----------------------------------------------------------------------------------------------
# numbers
# ----------------------------------------------------------------------------------------------
def dec(value: Any, what: Text = _A_VALUE) -> Decimal:
    """A Decimal from a JSON number, a decimal string or a Decimal (floats go through `repr`)."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or value is None:
        raise MappingError(message("mapping.not_a_number.missing", '{what} is missing or not a number', what=what), fix=_DATA_FIX)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise MappingError(message("mapping.not_a_number", "{what} ('{value}') is not a number", what=what, value=value), fix=_DATA_FIX) from None
    if not result.is_finite():
        raise MappingError(message("mapping.not_a_number.infinite", "{what} ('{value}') is not a number", what=what, value=value), fix=_DATA_FIX)
    return result


def money(value: Any, what: Text = _AN_AMOUNT) -> Decimal:
    """Round half-up (away from zero) to 2 decimals, CrocoClick's rounding; never -0.00."""
    rounded = dec(value, what).quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else ZERO


def plain(value: Decimal) -> Decimal:
    """Quantities, unit prices and rates without trailing zeros (`4.5`, `75`)."""
    d = value.normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def money_str(value: Decimal) -> str:
    """A CrocoClick `Amount` string (`"120.50"`)."""
    return f"{money(value):.2f}"


def json_number(value: Decimal) -> int | float:
    """A CrocoClick `number` field (quantity, tax rate): int when whole, else the shortest float
    that round-trips to the same decimal text (`2.5`, `9.975`)."""
    d = plain(value)
    return int(d) if d == d.to_integral_value() else float(d)


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` (2 decimals) over `weights` pro rata, largest remainder in cents (ties: the
    earlier one first), so the parts sum to `total` exactly. Zero weights sum -> all on the first."""
    if not weights:
        return []
    whole = sum(weights, Decimal(0))
    if whole == 0:
        return [money(total)] + [ZERO] * (len(weights) - 1)
    cents = money(total) / CENT
    exact = [cents * w / whole for w in weights]
    floors = [e.to_integral_value(rounding=ROUND_FLOOR) for e in exact]
    missing = int(cents - sum(floors, Decimal(0)))
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [money(f * CENT) for f in floors]


# ----------------------------------------------------------------------------------------------
# text
# ----------------------------------------------------------------------------------------------
_DATA_FIX = message("mapping.data.fix", "Open the record in CrocoClick, check its amounts, save it again, then press Sync now.")
# an address both sides accept (CrocoClick's `format: email`): no spaces or specials, dotted domain
_EMAIL_RE = re.compile(r"^[^@\s\"(),:;<>\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def normalise_email(value: str | None) -> str | None:
    """Trimmed and case-folded; None for None or blank."""
    if value is None:
        return None
    text = str(value).strip().casefold()
    return text or None


def looks_like_email(value: str | None) -> bool:
    return bool(value) and len(str(value)) <= 254 and bool(_EMAIL_RE.match(str(value)))


def clean_text(value: Any, max_len: int | None = None) -> str:
    """Text with tabs/newlines/control characters turned into spaces, runs of spaces collapsed."""
    if value is None:
        return ""
    text = "".join(" " if (ord(ch) < 32 or ord(ch) == 127) else ch for ch in str(value))
    text = " ".join(text.split())
    return text[:max_len].rstrip() if max_len is not None else text


def clean_name(value: Any, max_len: int | None = None) -> str:
    """A QBO name field: QBO forbids ':' (it separates sub-customers) and tabs/newlines."""
    return clean_text(str(value or "").replace(":", "-"), max_len)


_COUNTRY_ALIASES = {
    "USA": "US", "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US", "CANADA": "CA", "CAN": "CA",
    "UK": "GB", "UNITED KINGDOM": "GB", "GREAT BRITAIN": "GB", "GBR": "GB", "AUSTRALIA": "AU",
    "AUS": "AU", "INDIA": "IN", "IND": "IN", "FRANCE": "FR", "FRA": "FR", "NEW ZEALAND": "NZ",
}


def country_code(value: Any) -> str | None:
    """ISO 3166-1 alpha-2 from what QBO holds (`US`, `USA`, `United States`...); None if unknown."""
    text = clean_text(value).upper()
    if not text:
        return None
    if text in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[text]
    return text if len(text) == 2 and text.isalpha() else None


def ref_copy(ref: Mapping[str, Any]) -> dict[str, str]:
    """A QBO ReferenceType with only `value` (and `name`), whatever else the caller's dict holds."""
    out = {"value": str(ref["value"])}
    if ref.get("name"):
        out["name"] = str(ref["name"])
    return out


# ----------------------------------------------------------------------------------------------
# fingerprints
# ----------------------------------------------------------------------------------------------
def _canonical(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return "#" + format(plain(number), "f")
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return str(value)


def fingerprint(payload: Mapping[str, Any]) -> str:
    """A stable SHA-256 of a payload: sorted keys, numbers compared by value (Decimal("1.10") ==
    1.1 == 1.10), so the same content always gives the same hash ("nothing changed, no write")."""
    text = json.dumps(_canonical(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ----------------------------------------------------------------------------------------------
# the QuickBooks company
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QboCompany:
    """What the mapping needs to know about the connected QuickBooks company."""

    country: str
    home_currency: str
    multicurrency: bool
    automated_sales_tax: bool
    custom_txn_numbers: bool
    tax_codes: tuple[dict, ...]
    tax_rates: tuple[dict, ...]
    deposit_account_id: str
    discount_account_id: str | None
    payment_methods: tuple[dict, ...]
    #: mappings (rule 10): tax source key -> TaxCode Id, payment source type -> deposit Account Id
    tax_map: Mapping[str, str] = field(default_factory=dict)
    #: the names saved with the user's mappings, by QuickBooks Id (a problem names a target gone inactive)
    mapped_names: Mapping[str, str] = field(default_factory=dict)
    deposit_map: Mapping[str, str] = field(default_factory=dict)
    #: active accounts by Id (a mapped deposit account that is not here became inactive or was deleted)
    account_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_us(self) -> bool:
        return self.country == "US"

    def deposit_for(self, source_type: Any) -> str:
        """The account a payment of this CrocoClick source type is deposited to: the user's mapping,
        else the company-wide deposit account (setting `sync.deposit_account` or Undeposited Funds)."""
        mapped = self.deposit_map.get(str(source_type or ""))
        if not mapped:
            return self.deposit_account_id
        if self.account_names and mapped not in self.account_names:
            raise MappingProblem(
                "deposit_account_inactive", message("mappings.deposit_inactive", "the deposit account (Id {qbo_id}) chosen for {source} payments "
                        "is inactive or was deleted in QuickBooks", qbo_id=mapped, source=source_type),
                fix=message("mappings.deposit_inactive_fix", "Choose another deposit account for {source} payments "
                            "(Check page, or `crocoqb map set deposit {source} <Account Id>`), or make the account "
                            "active again in QuickBooks, then press Sync now.", source=source_type),
                qbo_id=str(mapped))
        return mapped

    def rate_value(self, rate_id: Any) -> Decimal | None:
        for rate in self.tax_rates:
            if str(rate.get("Id")) == str(rate_id):
                value = rate.get("RateValue")
                return None if value is None else dec(value, A_TAX_RATE)
        return None

    def rate_name(self, rate_id: Any) -> str | None:
        for rate in self.tax_rates:
            if str(rate.get("Id")) == str(rate_id):
                return str(rate.get("Name") or "") or None
        return None

    def code_by_id(self, code_id: Any) -> dict | None:
        return next((c for c in self.tax_codes if str(c.get("Id")) == str(code_id)), None)


_HOME_CURRENCY_BY_COUNTRY = {"US": "USD", "CA": "CAD", "GB": "GBP", "AU": "AUD", "IN": "INR", "FR": "EUR",
                             "NZ": "NZD"}


def _unwrap(obj: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    inner = obj.get(key)
    return inner if isinstance(inner, Mapping) else obj


def _active(obj: Mapping[str, Any]) -> bool:
    return obj.get("Active", True) is not False


def company_from_qbo(
    company_info: Mapping[str, Any],
    preferences: Mapping[str, Any],
    *,
    tax_codes: Iterable[dict],
    tax_rates: Iterable[dict],
    accounts: Iterable[dict],
    payment_methods: Iterable[dict],
    deposit_account: str = "",
    tax_map: Mapping[str, str] | None = None,
    deposit_map: Mapping[str, str] | None = None,
    mapped_names: Mapping[str, str] | None = None,
) -> QboCompany:
    """The mapping context from CompanyInfo, Preferences (entities or their envelopes) and lists.
    The deposit account is Undeposited Funds (AccountSubType UndepositedFunds) unless
    `deposit_account` names one (by Id, Name or FullyQualifiedName)."""
    info = _unwrap(company_info, "CompanyInfo")
    prefs = _unwrap(preferences, "Preferences")
    country = (country_code(info.get("Country"))
               or country_code((info.get("CompanyAddr") or {}).get("Country"))
               or country_code((info.get("LegalAddr") or {}).get("Country")) or "")
    currency_prefs = prefs.get("CurrencyPrefs") or {}
    home = str((currency_prefs.get("HomeCurrency") or {}).get("value") or "").upper()
    home = home or _HOME_CURRENCY_BY_COUNTRY.get(country, "")
    if not home:
        raise MappingError(message("mapping.no_home_currency", "QuickBooks did not say which currency the company uses"),
                           fix=message("mapping.no_home_currency.fix", "Check Account and settings > Advanced > Currency in QuickBooks, then press Sync now."))
    accounts = [a for a in accounts if _active(a)]
    wanted = clean_text(deposit_account)
    if wanted:
        deposit = next((a for a in accounts if str(a.get("Id")) == wanted), None) or next(
            (a for a in accounts
             if wanted.casefold() in {clean_text(a.get("Name")).casefold(),
                                      clean_text(a.get("FullyQualifiedName")).casefold()}), None)
        if deposit is None:
            raise MappingError(
                message("mapping.deposit_not_found", "the deposit account '{wanted}' was not found among the active accounts in QuickBooks", wanted=wanted),
                fix=message("mapping.deposit_not_found.fix", "Correct the deposit account in CrocoQB's settings (sync.deposit_account) to match an account "
                "in QuickBooks' Chart of accounts, or clear it to use Undeposited Funds, then press Sync now."))
    else:
        deposit = next((a for a in accounts if a.get("AccountSubType") == "UndepositedFunds"), None)
        if deposit is None:
            raise MappingError(
                message("mapping.no_undeposited_funds", "QuickBooks has no active Undeposited Funds account to record payments in"),
                fix=message("mapping.no_undeposited_funds.fix", "Choose the account payments go to in CrocoQB's settings (sync.deposit_account), "
                "then press Sync now."))
    discount = next((a for a in accounts if a.get("AccountSubType") == "DiscountsRefundsGiven"), None) or next(
        (a for a in accounts if clean_text(a.get("Name")).casefold() in {"discounts given", "discounts"}), None)
    tax_prefs = prefs.get("TaxPrefs") or {}
    sales_prefs = prefs.get("SalesFormsPrefs") or {}
    return QboCompany(
        country=country,
        home_currency=home,
        multicurrency=bool(currency_prefs.get("MultiCurrencyEnabled", False)),
        automated_sales_tax=bool(tax_prefs.get("PartnerTaxEnabled", False)),
        custom_txn_numbers=bool(sales_prefs.get("CustomTxnNumbers", False)),
        tax_codes=tuple(dict(c) for c in tax_codes),
        tax_rates=tuple(dict(r) for r in tax_rates),
        deposit_account_id=str(deposit["Id"]),
        discount_account_id=str(discount["Id"]) if discount else None,
        payment_methods=tuple(dict(m) for m in payment_methods),
        tax_map=dict(tax_map or {}),
        deposit_map=dict(deposit_map or {}),
        mapped_names=dict(mapped_names or {}),
        account_names={str(a.get("Id")): str(a.get("FullyQualifiedName") or a.get("Name") or "") for a in accounts},
    )


# ----------------------------------------------------------------------------------------------
# QBO's arithmetic
# ----------------------------------------------------------------------------------------------
def implied_total(payload: Mapping[str, Any]) -> Decimal:
    """The TotalAmt QuickBooks derives from a sales payload (Invoice, SalesReceipt, RefundReceipt):
    sum of item line Amounts - discount + TxnTaxDetail.TotalTax. In TaxInclusive documents the item
    Amounts are net of tax (QBO's convention: `TaxInclusiveAmt` holds the gross), so the same
    formula holds. A PercentBased discount is what QBO computes from DiscountPercent (half-up).
    For a Payment it is TotalAmt."""
    if "Line" not in payload or any("LinkedTxn" in line for line in payload.get("Line") or []):
        return money(payload.get("TotalAmt", 0))
    items = ZERO
    discount = ZERO
    for line in payload["Line"]:
        kind = line.get("DetailType")
        if kind == "SalesItemLineDetail":
            items += dec(line.get("Amount", 0))
        elif kind == "DiscountLineDetail":
            detail = line.get("DiscountLineDetail") or {}
            if detail.get("PercentBased"):
                discount += money(items * dec(detail.get("DiscountPercent", 0)) / HUNDRED)
            else:
                discount += dec(line.get("Amount", 0))
    tax = dec((payload.get("TxnTaxDetail") or {}).get("TotalTax", 0))
    return money(items - discount + tax)
