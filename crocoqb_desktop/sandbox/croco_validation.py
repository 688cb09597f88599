"""Request-body validation for the CrocoClick sandbox, hand-written from `crococlick-api.yaml`.

Rules: a body that is not a JSON object, or an unknown field in an `additionalProperties: false`
schema, is 400 `invalid_request` (with `details[].field` naming the field); a known field with a
wrong type, format, pattern, length or count is 422 `validation_failed` with one `details` entry per
problem (`field` is a JSON path such as `items[0].quantity`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crocoqb_desktop.sandbox.croco_totals import to_decimal

AMOUNT_RE = re.compile(r"^-?\d{1,13}(\.\d{1,2})?$")
UNIT_PRICE_RE = re.compile(r"^-?\d{1,13}(\.\d{1,4})?$")
DISCOUNT_VALUE_RE = re.compile(r"^\d{1,13}(\.\d{1,2})?$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
EMAIL_RE = re.compile(
    r"^[^@\s\"(),:;<>\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REF_KEY_RE = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")


class CrocoError(Exception):
    """An API error answer: HTTP status + the `Error` schema's code, message and details."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


def bad_request(message: str, field: str | None = None, issue: str = "invalid") -> CrocoError:
    details = [{"field": field, "issue": issue}] if field else None
    return CrocoError(400, "invalid_request", message, details)


def is_email(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 254 and bool(EMAIL_RE.match(value))


def normalise_email(value: str | None) -> str | None:
    return value.strip().casefold() if isinstance(value, str) and value.strip() else None


def is_date(value: Any) -> bool:
    if not isinstance(value, str) or not DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Checker:
    """Collects 422 details; `done()` raises when any were found."""

    def __init__(self) -> None:
        self.details: list[dict[str, Any]] = []

    def fail(self, field: str, issue: str) -> None:
        self.details.append({"field": field, "issue": issue} if field else {"issue": issue})

    def done(self) -> None:
        if self.details:
            raise CrocoError(422, "validation_failed", "one or more fields are invalid", self.details)

    # scalar checks: each returns True when the value is acceptable ---------------------------------
    def string(
        self,
        value: Any,
        field: str,
        *,
        nullable: bool = False,
        max_length: int | None = None,
        min_length: int = 0,
    ) -> bool:
        if value is None:
            if not nullable:
                self.fail(field, "must_not_be_null")
                return False
            return True
        if not isinstance(value, str):
            self.fail(field, "must_be_string")
            return False
        if max_length is not None and len(value) > max_length:
            self.fail(field, "too_long")
            return False
        if len(value) < min_length:
            self.fail(field, "too_short")
            return False
        return True

    def pattern(
        self, value: Any, field: str, regex: re.Pattern[str], issue: str, *, nullable: bool = False
    ) -> bool:
        if not self.string(value, field, nullable=nullable):
            return False
        if value is not None and not regex.match(value):
            self.fail(field, issue)
            return False
        return True

    def email(self, value: Any, field: str, *, nullable: bool = False) -> bool:
        if not self.string(value, field, nullable=nullable):
            return False
        if value is not None and not is_email(value):
            self.fail(field, "invalid_email")
            return False
        return True

    def date(self, value: Any, field: str, *, nullable: bool = False) -> bool:
        if not self.string(value, field, nullable=nullable):
            return False
        if value is not None and not is_date(value):
            self.fail(field, "invalid_date")
            return False
        return True

    def boolean(self, value: Any, field: str) -> bool:
        if not isinstance(value, bool):
            self.fail(field, "must_be_boolean")
            return False
        return True

    def array(self, value: Any, field: str, *, min_items: int = 0, max_items: int | None = None) -> bool:
        if not isinstance(value, list):
            self.fail(field, "must_be_array")
            return False
        if len(value) < min_items:
            self.fail(field, "too_few_items")
            return False
        if max_items is not None and len(value) > max_items:
            self.fail(field, "too_many_items")
            return False
        return True

    def obj(self, value: Any, field: str) -> bool:
        if not isinstance(value, dict):
            self.fail(field, "must_be_object")
            return False
        return True

    # composite shapes -----------------------------------------------------------------------------
    def external_refs(self, value: Any, field: str, *, allow_null_values: bool) -> dict[str, Any] | None:
        if not self.obj(value, field):
            return None
        if len(value) > 20:
            self.fail(field, "too_many_properties")
            return None
        ok = True
        for key, val in value.items():
            if len(key) > 64 or not REF_KEY_RE.match(key):
                self.fail(f"{field}.{key}", "invalid_key")
                ok = False
                continue
            if val is None:
                continue  # removes the key in a PATCH; means absent on create
            if not isinstance(val, str):
                self.fail(f"{field}.{key}", "must_be_string")
                ok = False
            elif len(val) > 128:
                self.fail(f"{field}.{key}", "too_long")
                ok = False
        if not ok:
            return None
        return dict(value) if allow_null_values else {k: v for k, v in value.items() if v is not None}

    def address(self, value: Any, field: str) -> dict[str, Any] | None:
        if not self.obj(value, field):
            return None
        out: dict[str, Any] = {}
        ok = True
        for key in ADDRESS_FIELDS:
            val = value.get(key)
            if not self.string(val, f"{field}.{key}", nullable=True):
                ok = False
            out[key] = val
        return out if ok else None

    def discount(self, value: Any, field: str) -> dict[str, Any] | None:
        if not self.obj(value, field):
            return None
        start = len(self.details)
        if "type" not in value:
            self.fail(f"{field}.type", "required")
        elif value["type"] not in ("percentage", "fixed"):
            self.fail(f"{field}.type", "invalid_enum")
        if "value" not in value:
            self.fail(f"{field}.value", "required")
        elif self.pattern(value["value"], f"{field}.value", DISCOUNT_VALUE_RE, "invalid_amount"):
            if value.get("type") == "percentage" and to_decimal(value["value"]) > 100:
                self.fail(f"{field}.value", "must_be_at_most_100")
        code = value.get("code")
        self.string(code, f"{field}.code", nullable=True)
        if len(self.details) > start:
            return None
        return {"type": value["type"], "value": value["value"], "code": code}

    def tax(self, value: Any, field: str) -> dict[str, Any] | None:
        if not self.obj(value, field):
            return None
        start = len(self.details)
        if "name" not in value:
            self.fail(f"{field}.name", "required")
        else:
            self.string(value["name"], f"{field}.name")
        if "rate" not in value:
            self.fail(f"{field}.rate", "required")
        elif not is_number(value["rate"]):
            self.fail(f"{field}.rate", "must_be_number")
        elif not 0 <= value["rate"] <= 100:
            self.fail(f"{field}.rate", "out_of_range")
        self.string(value.get("taxId"), f"{field}.taxId", nullable=True)
        if "amount" in value:
            self.pattern(value["amount"], f"{field}.amount", AMOUNT_RE, "invalid_amount")
        if "inclusive" in value:
            self.boolean(value["inclusive"], f"{field}.inclusive")
        if len(self.details) > start:
            return None
        return {
            "taxId": value.get("taxId"),
            "name": value["name"],
            "rate": value["rate"],
            "amount": value.get("amount"),
            "inclusive": bool(value.get("inclusive", False)),
        }

    def line_item(self, value: Any, field: str) -> dict[str, Any] | None:
        if not self.obj(value, field):
            return None
        start = len(self.details)
        for name in ("name", "quantity", "unitPrice"):
            if name not in value:
                self.fail(f"{field}.{name}", "required")
        if "name" in value:
            self.string(value["name"], f"{field}.name", max_length=200)
        if "quantity" in value:
            q = value["quantity"]
            if not is_number(q):
                self.fail(f"{field}.quantity", "must_be_number")
            elif q <= 0:
                self.fail(f"{field}.quantity", "must_be_positive")
        if "unitPrice" in value:
            self.pattern(value["unitPrice"], f"{field}.unitPrice", UNIT_PRICE_RE, "invalid_unit_price")
        self.string(value.get("productId"), f"{field}.productId", nullable=True)
        self.string(value.get("sku"), f"{field}.sku", nullable=True)
        self.string(value.get("description"), f"{field}.description", nullable=True, max_length=2000)
        taxes: list[dict[str, Any]] = []
        if "taxes" in value and self.array(value["taxes"], f"{field}.taxes"):
            for i, tax in enumerate(value["taxes"]):
                checked = self.tax(tax, f"{field}.taxes[{i}]")
                if checked is not None:
                    taxes.append(checked)
        if len(self.details) > start:
            return None
        return {
            "id": value.get("id") if isinstance(value.get("id"), str) else None,
            "productId": value.get("productId"),
            "sku": value.get("sku"),
            "name": value["name"],
            "description": value.get("description"),
            "quantity": value["quantity"],
            "unitPrice": value["unitPrice"],
            "taxes": taxes,
        }

    def line_items(
        self, value: Any, field: str, *, max_items: int | None = 250
    ) -> list[dict[str, Any]] | None:
        if not self.array(value, field, min_items=1, max_items=max_items):
            return None
        out = []
        ok = True
        for i, item in enumerate(value):
            checked = self.line_item(item, f"{field}[{i}]")
            if checked is None:
                ok = False
            else:
                out.append(checked)
        return out if ok else None


ADDRESS_FIELDS = ("line1", "line2", "city", "region", "postalCode", "country")

CONTACT_WRITE_FIELDS = (
    "firstName",
    "lastName",
    "companyName",
    "email",
    "additionalEmails",
    "phone",
    "address",
    "tags",
    "source",
    "preferredCurrency",
    "externalRefs",
)
INVOICE_CREATE_FIELDS = (
    "number",
    "status",
    "issueDate",
    "dueDate",
    "currency",
    "contactId",
    "items",
    "discount",
    "amountPaid",
    "expectedTotal",
    "memo",
    "externalRefs",
)
INVOICE_UPDATE_FIELDS = (
    "number",
    "status",
    "notify",
    "issueDate",
    "dueDate",
    "items",
    "discount",
    "amountPaid",
    "memo",
    "externalRefs",
)
REVIEW_CREATE_FIELDS = ("contactId", "channel", "reason", "relatedInvoiceId", "externalRefs")


def require_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    return body


def reject_unknown(body: dict[str, Any], allowed: tuple[str, ...], prefix: str = "") -> None:
    unknown = [key for key in body if key not in allowed]
    if unknown:
        raise CrocoError(
            400,
            "invalid_request",
            f"unknown field: {prefix}{unknown[0]}",
            [{"field": f"{prefix}{key}", "issue": "unknown_field"} for key in unknown],
        )


def validate_contact_write(body: Any, *, create: bool, extra_fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """ContactCreate / ContactUpdate. Returns the fields present (on create, nulls dropped).
    `extra_fields` lets the sandbox's own user actions also set `dnd`."""
    body = require_object(body)
    reject_unknown(body, CONTACT_WRITE_FIELDS + extra_fields)
    c = Checker()
    out: dict[str, Any] = {}
    for key, value in body.items():
        if create and value is None:
            continue  # "On create, null means absent"
        ok: bool
        if key in ("firstName", "lastName"):
            ok = c.string(value, key, nullable=True, max_length=100)
        elif key == "companyName":
            ok = c.string(value, key, nullable=True, max_length=200)
        elif key == "source":
            ok = c.string(value, key, nullable=True, max_length=100)
        elif key == "email":
            ok = c.email(value, key, nullable=True)
        elif key == "phone":
            ok = c.string(value, key, nullable=True, max_length=32)
        elif key == "preferredCurrency":
            ok = c.pattern(value, key, CURRENCY_RE, "invalid_currency", nullable=True)
        elif key == "additionalEmails":
            ok = c.array(value, key, max_items=5)
            if ok:
                for i, item in enumerate(value):
                    ok = c.email(item, f"{key}[{i}]") and ok
        elif key == "tags":
            ok = c.array(value, key)
            if ok:
                for i, item in enumerate(value):
                    ok = c.string(item, f"{key}[{i}]") and ok
        elif key == "address":
            value = c.address(value, key)
            ok = value is not None
        elif key == "externalRefs":
            value = c.external_refs(value, key, allow_null_values=not create)
            ok = value is not None
        elif key == "dnd":
            ok = c.obj(value, key)
            if ok:
                reject_unknown(value, ("email", "sms"), "dnd.")
                for channel, flag in value.items():
                    ok = c.boolean(flag, f"dnd.{channel}") and ok
        else:  # pragma: no cover - reject_unknown guards this
            ok = False
        if ok:
            out[key] = value
    if create and not out.get("email") and not out.get("phone"):
        c.fail("email", "email_or_phone_required")
    if not create and not body:
        c.fail("", "empty_update")
    c.done()
    return out


def validate_invoice_create(body: Any) -> dict[str, Any]:
    body = require_object(body)
    reject_unknown(body, INVOICE_CREATE_FIELDS)
    c = Checker()
    for name in ("number", "status", "issueDate", "currency", "contactId", "items"):
        if name not in body:
            c.fail(name, "required")
    out: dict[str, Any] = {}
    if "number" in body and c.string(body["number"], "number", max_length=40, min_length=1):
        out["number"] = body["number"]
    if "status" in body:
        if body["status"] in ("sent", "partially_paid", "paid", "void"):
            out["status"] = body["status"]
        else:
            c.fail("status", "invalid_enum")
    if "issueDate" in body and c.date(body["issueDate"], "issueDate"):
        out["issueDate"] = body["issueDate"]
    if "dueDate" in body and c.date(body["dueDate"], "dueDate"):
        out["dueDate"] = body["dueDate"]
    if "currency" in body and c.pattern(body["currency"], "currency", CURRENCY_RE, "invalid_currency"):
        out["currency"] = body["currency"]
    if "contactId" in body and c.string(body["contactId"], "contactId", min_length=1):
        out["contactId"] = body["contactId"]
    if "items" in body:
        items = c.line_items(body["items"], "items")
        if items is not None:
            out["items"] = items
    if "discount" in body:
        disc = c.discount(body["discount"], "discount")
        if disc is not None:
            out["discount"] = disc
    for name in ("amountPaid", "expectedTotal"):
        if name in body and c.pattern(body[name], name, AMOUNT_RE, "invalid_amount"):
            out[name] = body[name]
    if "amountPaid" in out and to_decimal(out["amountPaid"]) < 0:
        c.fail("amountPaid", "must_not_be_negative")
    if "memo" in body and c.string(body["memo"], "memo", max_length=4000):
        out["memo"] = body["memo"]
    if "externalRefs" in body:
        refs = c.external_refs(body["externalRefs"], "externalRefs", allow_null_values=False)
        if refs is not None:
            out["externalRefs"] = refs
    if out.get("status") in ("partially_paid", "paid") and "amountPaid" not in body:
        c.fail("amountPaid", "required")
    c.done()
    return out


def validate_invoice_update(body: Any) -> dict[str, Any]:
    body = require_object(body)
    reject_unknown(body, INVOICE_UPDATE_FIELDS)
    c = Checker()
    if not body:
        c.fail("", "empty_update")
    out: dict[str, Any] = {}
    for key, value in body.items():
        ok: bool
        if key == "number":
            ok = c.string(value, key, max_length=40, min_length=1)
        elif key == "status":
            ok = value in ("sent", "void")
            if not ok:
                c.fail(key, "invalid_enum")
        elif key == "notify":
            ok = c.boolean(value, key)
        elif key == "issueDate":
            ok = c.date(value, key)
        elif key == "dueDate":
            ok = c.date(value, key, nullable=True)
        elif key == "items":
            value = c.line_items(value, key)
            ok = value is not None
        elif key == "discount":
            if value is not None:
                value = c.discount(value, key)
                ok = value is not None
            else:
                ok = True
        elif key == "amountPaid":
            ok = c.pattern(value, key, AMOUNT_RE, "invalid_amount")
            if ok and to_decimal(value) < 0:
                c.fail(key, "must_not_be_negative")
                ok = False
        elif key == "memo":
            ok = c.string(value, key, nullable=True, max_length=4000)
        elif key == "externalRefs":
            value = c.external_refs(value, key, allow_null_values=True)
            ok = value is not None
        else:  # pragma: no cover
            ok = False
        if ok:
            out[key] = value
    c.done()
    return out


def validate_review_create(body: Any) -> dict[str, Any]:
    body = require_object(body)
    reject_unknown(body, REVIEW_CREATE_FIELDS)
    c = Checker()
    if "contactId" not in body:
        c.fail("contactId", "required")
    else:
        c.string(body["contactId"], "contactId", min_length=1)
    if "channel" not in body:
        c.fail("channel", "required")
    elif body["channel"] not in ("email", "sms"):
        c.fail("channel", "invalid_enum")
    reason = body.get("reason", "manual")
    if reason not in ("first_invoice_paid", "manual", "other"):
        c.fail("reason", "invalid_enum")
    related = body.get("relatedInvoiceId")
    c.string(related, "relatedInvoiceId", nullable=True)
    refs: dict[str, Any] = {}
    if "externalRefs" in body:
        refs = c.external_refs(body["externalRefs"], "externalRefs", allow_null_values=False) or {}
    c.done()
    return {
        "contactId": body["contactId"],
        "channel": body["channel"],
        "reason": reason,
        "relatedInvoiceId": related,
        "externalRefs": refs,
    }


def validate_payment_refs(body: Any) -> dict[str, Any]:
    body = require_object(body)
    reject_unknown(body, ("externalRefs",))
    c = Checker()
    refs = None
    if "externalRefs" not in body:
        c.fail("externalRefs", "required")
    else:
        refs = c.external_refs(body["externalRefs"], "externalRefs", allow_null_values=True)
    c.done()
    assert refs is not None
    return refs


def merge_external_refs(current: dict[str, str], patch: dict[str, Any]) -> dict[str, str]:
    """PATCH semantics: keys set to null are removed, others set; at most 20 keys in the result."""
    merged = dict(current)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    if len(merged) > 20:
        raise CrocoError(
            422,
            "validation_failed",
            "one or more fields are invalid",
            [{"field": "externalRefs", "issue": "too_many_properties"}],
        )
    return merged
