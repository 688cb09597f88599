"""Shared pieces of the QBO sandbox: clock and timestamps, Decimal-exact JSON, faults.

Facts come from `../shared/docs/qbo-reference.md` (cited as "ref §N") and the recorded payloads
in `../shared/fixtures/qbo/` (cited by file name).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

# QBO sandbox companies live in Pacific time: every recorded timestamp carries -07:00 / -08:00.
try:  # pragma: no cover - depends on the platform's tz database
    from zoneinfo import ZoneInfo

    COMPANY_TZ: tzinfo = ZoneInfo("America/Los_Angeles")
except Exception:  # pragma: no cover - frozen Windows build without tzdata
    COMPANY_TZ = timezone(timedelta(hours=-8))

CENT = Decimal("0.01")
CURRENCY_NAMES = {
    "USD": "United States Dollar",  # customer.json
    "CAD": "Canadian Dollar",
    "EUR": "Euro",
    "GBP": "British Pound Sterling",
    "AUD": "Australian Dollar",
    "MXN": "Mexican Peso",
}


# ----------------------------------------------------------------------------------------------
# time
# ----------------------------------------------------------------------------------------------
def now_local() -> datetime:
    return datetime.now(UTC).astimezone(COMPANY_TZ)


def _fmt_offset(dt: datetime) -> str:
    off = dt.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    off = abs(off)
    hours, rem = divmod(int(off.total_seconds()), 3600)
    return f"{sign}{hours:02d}:{rem // 60:02d}"


def meta_time(dt: datetime | None = None) -> str:
    """`2020-09-29T05:58:16-07:00` (MetaData times have whole seconds: customer_create_response.json)."""
    dt = (dt or now_local()).astimezone(COMPANY_TZ)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + _fmt_offset(dt)


def envelope_time(dt: datetime | None = None) -> str:
    """`2020-09-29T05:58:16.187-07:00` (the `time` key of every JSON answer)."""
    dt = (dt or now_local()).astimezone(COMPANY_TZ)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}" + _fmt_offset(dt)


def today_local() -> date:
    return now_local().date()


_TZ_COMPACT = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_datetime(text: str) -> datetime:
    """ISO date or date-time as QBO accepts it (`2011-08-10T10:20:30-0700`, `...-07:00`, `...Z`,
    a bare date). Naive values are taken in the company time zone. Raises ValueError."""
    s = text.strip()
    if not s:
        raise ValueError("empty date")
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    s = _TZ_COMPACT.sub(r"\1:\2", s) if "T" in s else s
    if "T" not in s and len(s) == 10:
        dt = datetime.fromisoformat(s)
    else:
        dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=COMPANY_TZ)
    return dt


def new_tid() -> str:
    """An `intuit_tid` value like `1-5f732f68-d4d3c70ce72c15e07d2bc328` (SOURCES.md)."""
    return f"1-{int(time.time()):08x}-{secrets.token_hex(12)}"


# ----------------------------------------------------------------------------------------------
# money
# ----------------------------------------------------------------------------------------------
def to_decimal(value: Any) -> Decimal:
    """Numbers and numeric strings to Decimal; raises ValueError otherwise (bools are not numbers)."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        return value
    try:
        d = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not d.is_finite():
        raise ValueError(f"not a number: {value!r}")
    return d


def money(value: Decimal | int) -> Decimal:
    """Amounts come out with 2 decimals (`100.00`) and zero as `0` (invoice_void_response.json)."""
    d = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal(0) if d == 0 else d


def plain(value: Decimal) -> Decimal:
    """Rates, quantities and unit prices without trailing zeros (`"UnitPrice":75,"Qty":4.5`)."""
    d = value.normalize()
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d


# ----------------------------------------------------------------------------------------------
# JSON with exact decimals
# ----------------------------------------------------------------------------------------------
_MARK = "\u0000DEC:"
_MARK_RE = re.compile(r'"\\u0000DEC:([^"]+)"')


def _mark(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return _MARK + format(obj, "f")
    if isinstance(obj, dict):
        return {k: _mark(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_mark(v) for v in obj]
    return obj


def dumps(obj: Any) -> bytes:
    """Compact JSON where Decimal values are written as exact JSON numbers."""
    text = json.dumps(_mark(obj), separators=(",", ":"), ensure_ascii=False)
    return _MARK_RE.sub(r"\1", text).encode("utf-8")


def loads(data: bytes | str) -> Any:
    return json.loads(data, parse_float=Decimal)


# ----------------------------------------------------------------------------------------------
# faults (ref §7.1: `{"Fault":{"Error":[{"Message","Detail","code","element"}],"type":...},"time":...}`)
# ----------------------------------------------------------------------------------------------
OBJECT_NOT_FOUND_DETAIL = (
    "Object Not Found : Something you're trying to use has been made inactive. Check the fields with "
    "accounts, customers, items, vendors or employees."
)  # batch_response.json
BUSINESS_VALIDATION = "A business validation error has occurred while processing your request"


class QboFault(Exception):
    """A fault answered as `{"Fault": ...}` (HTTP 400 unless `status` says otherwise)."""

    def __init__(
        self,
        code: str,
        message: str,
        detail: str,
        element: str | None = None,
        fault_type: str = "ValidationFault",
        status: int = 400,
    ) -> None:
        super().__init__(f"{code} {message}: {detail}")
        self.code = code
        self.message = message
        self.detail = detail
        self.element = element
        self.fault_type = fault_type
        self.status = status

    def fault(self) -> dict[str, Any]:
        error: dict[str, Any] = {"Message": self.message, "Detail": self.detail, "code": self.code}
        if self.element is not None:
            error["element"] = self.element
        return {"Error": [error], "type": self.fault_type}

    def body(self) -> dict[str, Any]:
        return {"Fault": self.fault(), "time": envelope_time()}


def not_found(element: str = "") -> QboFault:
    return QboFault("610", "Object Not Found", OBJECT_NOT_FOUND_DETAIL, element)


def stale_object(user: str) -> QboFault:
    return QboFault(
        "5010",
        "Stale Object Error",
        f"Stale Object Error : You and {user} were working on this at the same time. {user} "
        "finished before you did, so your work was not saved.",
        "",
    )


def duplicate_name(what: str) -> QboFault:
    # fault_duplicate_name.json (message, code); detail wording of QuickBooks-V3-PHP-SDK#241 (ref §7.1)
    return QboFault(
        "6240",
        "Duplicate Name Exists Error",
        f"The name supplied already exists. : Another {what} is already using this name. "
        "Please use a different name.",
    )


def invalid_id(value: Any) -> QboFault:
    # fault_invalid_id_2030.json
    return QboFault("2030", "Invalid ID", f"Id should be a valid number. Supplied value:{value}", "Id")


def required_missing(name: str) -> QboFault:
    return QboFault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {name} is missing in the request",
        name,
    )


def business(detail: str, element: str = "") -> QboFault:
    return QboFault("6000", BUSINESS_VALIDATION, f"Business Validation Error: {detail}", element)


def unsupported_operation(detail: str) -> QboFault:
    # fault_unsupported_operation_500.json: code "500" with HTTP 400
    return QboFault("500", "Unsupported Operation", detail)


def invalid_query(detail: str) -> QboFault:
    # fault_invalid_query_4001.json
    return QboFault("4001", "Invalid query", f"QueryValidationError: {detail}")


def query_parse_error(detail: str) -> QboFault:
    return QboFault("4000", "Error parsing query", f"QueryParserError: {detail}")


def unrecognized_property(field: str, cls: str, known: list[str]) -> QboFault:
    # fault_unrecognized_property_2010.json (Jackson's wording, known properties listed)
    listed = ", ".join(f'"{k}"' for k in known[:60])
    more = " [truncated]" if len(known) > 60 else ""
    return QboFault(
        "2010",
        "Request has invalid or unsupported property",
        f'Property Name:Unrecognized field "{field}" (class com.intuit.schema.finance.v3.{cls}), not marked '
        f"as ignorable ({len(known)} known properties: {listed}{more}])\n"
        " specified is unsupported or invalid",
    )


def bad_value(path: str, kind: str, value: Any) -> QboFault:
    return QboFault(
        "2010",
        "Request has invalid or unsupported property",
        f"Property Name:Cannot deserialize value of type `{kind}` from {value!r} (through reference "
        f"chain: {path}) specified is unsupported or invalid",
    )
