"""QuickBooks Online faults: every error shape QBO sends, mapped to typed exceptions.

Shapes handled (qbo-reference.md section 7.1, fixtures in shared/fixtures/qbo/):
- JSON `{"Fault": {"Error": [{"Message", "Detail", "code", "element"}], "type": ...}}` (400s, batch items);
- the lower-case 401/403 envelope `{"fault": {"error": [{"message", "detail", "code", ...}], "type": ...}}`;
- XML `<IntuitResponse xmlns="http://schema.intuit.com/finance/v3"><Fault><Error code=".."><Message>..`
  (throttling 3001 and some 401s arrive as XML even when JSON was asked);
- faults nested in an HTTP 200 (`AttachableResponse[].Fault`, batch `BatchItemResponse[].Fault`).

Each fault carries a plain title, message and fix for the user. Authentication faults never repeat
QuickBooks' detail text, which can contain a fragment of the token.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from crocoqb_desktop.errors import ServiceError, Text
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.redaction import redact


class QboFault(ServiceError):
    """QuickBooks answered with a Fault (or an HTTP error without one)."""

    title = message("qbo.fault.title", "QuickBooks refused the request")
    fix: Text = ""

    def __init__(
        self,
        message: Text,
        *,
        status: int | None = None,
        codes: list[str] | None = None,
        errors: list[dict[str, Any]] | None = None,
        intuit_tid: str | None = None,
        fault_type: str | None = None,
        title: Text | None = None,
        fix: Text | None = None,
        retryable: bool = False,
    ) -> None:
        self.codes: list[str] = list(codes or [])
        self.errors: list[dict[str, Any]] = list(errors or [])
        self.intuit_tid = intuit_tid
        self.fault_type = fault_type
        super().__init__(
            message,
            status=status,
            code=self.codes[0] if self.codes else None,
            request_id=intuit_tid,
            title=title,
            fix=fix,
            retryable=retryable,
        )

    @property
    def detail(self) -> str:
        """QuickBooks' own message and detail of the first error (redacted), for logs and support."""
        if not self.errors:
            return ""
        first = self.errors[0]
        parts = [str(first.get(k)) for k in ("message", "detail") if first.get(k)]
        return redact(" - ".join(parts))

    def __reduce__(self) -> tuple[Any, ...]:  # picklable across processes/threads like other errors
        return (
            _rebuild,
            (type(self), self.message_msg, self.status, self.codes, self.errors, self.intuit_tid,
             self.fault_type, self.title_msg, self.fix_msg or "", self.retryable),
        )


def _rebuild(cls: type[QboFault], message: Text, status: int | None, codes: list[str], errors: list[dict[str, Any]],
             tid: str | None, fault_type: str | None, title: Text, fix: Text, retryable: bool) -> QboFault:
    return cls(message, status=status, codes=codes, errors=errors, intuit_tid=tid, fault_type=fault_type,
               title=title, fix=fix, retryable=retryable)


class StaleObjectFault(QboFault):
    """5010: someone changed the object since it was read (SyncToken is old)."""

    title = message("qbo.stale_object.title", "The record changed in QuickBooks meanwhile")
    fix = message("qbo.stale_object.fix", "CrocoQB reads the latest version and tries again; nothing to do unless this repeats.")


class DuplicateNameFault(QboFault):
    """6240: DisplayName already used by a customer, vendor or employee (active or not)."""

    title = message("qbo.duplicate_name.title", "A customer, vendor or employee already uses this name")
    fix = message(
        "qbo.duplicate_name.fix",
        "In QuickBooks, names must be unique across customers, vendors and employees (inactive ones too). "
        "Rename or merge the existing one, or let CrocoQB pick a unique name.",
    )


class ObjectNotFoundFault(QboFault):
    """610: the object, or one it references, does not exist or was made inactive."""

    title = message("qbo.object_not_found.title", "Something this record uses is missing or inactive in QuickBooks")
    fix = message(
        "qbo.object_not_found.fix",
        "Check in QuickBooks that the customer, item, account or tax code it uses still exists and is active "
        "(make it active again or pick another), then retry.",
    )


class ValidationFault(QboFault):
    """2000-4999 (other than the 3xxx auth/throttle codes), 6000+ and 500 "unsupported operation"."""

    title = message("qbo.validation.title", "QuickBooks did not accept the record")
    fix = message("qbo.validation.fix", "Read QuickBooks' reason below, correct the record or the settings it depends on, then retry.")


class AuthenticationFault(QboFault):
    """3200 / 100 / HTTP 401: the access token is expired or invalid."""

    title = message("qbo.authentication.title", "QuickBooks did not accept the sign-in")
    fix = message("qbo.authentication.fix", "CrocoQB renews the sign-in automatically; if this repeats, press Reconnect.")


class AuthorizationFault(QboFault):
    """3100 / HTTP 403: this app is not allowed to use this company (or this part of it)."""

    title = message("qbo.authorization.title", "QuickBooks refused access to this company")
    fix = message(
        "qbo.authorization.fix",
        "Sign in to QuickBooks as an administrator of this company and press Reconnect; "
        "check that the company's subscription is active.",
    )


class ThrottledFault(QboFault):
    """3001 / HTTP 429 (also the older 403 + 3001): too many requests."""

    title = message("qbo.throttled.title", "QuickBooks asks CrocoQB to slow down")
    fix = message("qbo.throttled.fix", "Nothing to do: CrocoQB waits and tries again. If other apps share this company, lower the request rate.")


SERVER_PROBLEM_FIX = message(
    "qbo.server_problem.fix",
    "Nothing to do: QuickBooks had a temporary problem and CrocoQB tries again automatically. If it lasts "
    "for hours, check https://status.developer.intuit.com.",
)

_THROTTLE_CODES = {"3001"}
_AUTHN_CODES = {"100", "3200"}
_AUTHZ_CODES = {"3100"}


def _int(code: str) -> int | None:
    try:
        return int(code)
    except (TypeError, ValueError):
        return None


def _is_auth_or_throttle(n: int) -> bool:
    # 3001 throttle, 3100-range authorization, 3200-range authentication
    return n == 3001 or 3100 <= n <= 3299


def classify(status: int, codes: list[str]) -> type[QboFault]:
    """The fault class for an HTTP status and the QBO error codes."""
    code_set = set(codes)
    if code_set & _THROTTLE_CODES or status == 429:
        return ThrottledFault
    numbers = [n for n in (_int(c) for c in codes) if n is not None]
    if status == 401 or code_set & _AUTHN_CODES or any(3200 <= n <= 3299 for n in numbers):
        return AuthenticationFault
    if status == 403 or code_set & _AUTHZ_CODES or any(3100 <= n <= 3199 for n in numbers):
        return AuthorizationFault
    if "5010" in code_set:
        return StaleObjectFault
    if "6240" in code_set:
        return DuplicateNameFault
    if "610" in code_set:
        return ObjectNotFoundFault
    for n in numbers:
        if (2000 <= n <= 4999 and not _is_auth_or_throttle(n)) or n >= 6000 or n == 500:
            return ValidationFault
    return QboFault


def _message_for(cls: type[QboFault], status: int, errors: list[dict[str, Any]]) -> Message:
    first = errors[0] if errors else {}
    code = first.get("code")
    # QuickBooks' own words stay as QuickBooks sent them (redacted); only our sentence around them is translated
    qbo_text = redact(" - ".join(str(first[k]) for k in ("message", "detail") if first.get(k)))
    if cls is ThrottledFault:
        return message("qbo.throttled", "QuickBooks received too many requests from this company's apps and asked to wait")
    if cls is AuthenticationFault:
        # never repeat the detail: it can quote part of the token
        return message("qbo.authentication", "QuickBooks did not accept the access token (HTTP {status}, error {error})",
                       status=status, error=code or "none")
    if cls is AuthorizationFault:
        return message("qbo.authorization", "QuickBooks refused access to this company (HTTP {status}, error {error})",
                       status=status, error=code or "none")
    if cls is DuplicateNameFault:
        if qbo_text:
            return message("qbo.duplicate_name.detail", "The name is already used by another customer, vendor or "
                           "employee in QuickBooks ({qbo_text})", qbo_text=qbo_text)
        return message("qbo.duplicate_name", "The name is already used by another customer, vendor or employee in QuickBooks")
    if cls is StaleObjectFault:
        return message("qbo.stale_object", "Someone else changed this record in QuickBooks after CrocoQB read it")
    if cls is ObjectNotFoundFault:
        if qbo_text:
            return message("qbo.object_not_found.detail", "QuickBooks could not find an object this request uses: "
                           "{qbo_text}", qbo_text=qbo_text)
        return message("qbo.object_not_found", "QuickBooks could not find an object this request uses")
    if qbo_text:
        if first.get("element"):
            return message("qbo.error.field", "QuickBooks error {error} (field {element}): {qbo_text}",
                           error=code, element=redact(str(first["element"])), qbo_text=qbo_text)
        return message("qbo.error", "QuickBooks error {error}: {qbo_text}", error=code, qbo_text=qbo_text)
    if status >= 500:
        return message("qbo.server_problem", "QuickBooks had a server problem (HTTP {status})", status=status)
    return message("qbo.http_status", "QuickBooks answered HTTP {status}", status=status)


def _norm_error(raw: Any) -> dict[str, Any]:
    """One error entry with lower-case keys message, detail, code, element."""
    if not isinstance(raw, dict):
        return {"message": str(raw), "detail": None, "code": None, "element": None}
    lower = {str(k).lower(): v for k, v in raw.items()}
    code = lower.get("code")
    return {
        "message": lower.get("message"),
        "detail": lower.get("detail"),
        "code": None if code is None else str(code),
        "element": lower.get("element") or None,
    }


def make_fault(
    status: int,
    errors: list[dict[str, Any]],
    *,
    fault_type: str | None = None,
    intuit_tid: str | None = None,
) -> QboFault:
    """Build the right QboFault subclass from normalised errors."""
    codes = [e["code"] for e in errors if e.get("code")]
    cls = classify(status, codes)
    safe_errors = errors
    if cls is AuthenticationFault or cls is AuthorizationFault:
        # keep codes and QuickBooks' short message, drop details that can quote a token
        safe_errors = [{**e, "detail": None} for e in errors]
    text = _message_for(cls, status, safe_errors)
    retryable = cls is ThrottledFault or status >= 500
    # a server error is QuickBooks' problem, not the record's: say so rather than "correct the record"
    fix = SERVER_PROBLEM_FIX if status >= 500 and cls in (QboFault, ValidationFault) else None
    return cls(
        text,
        status=status,
        codes=codes,
        errors=safe_errors,
        intuit_tid=intuit_tid,
        fault_type=fault_type,
        fix=fix,
        retryable=retryable,
    )


def _unwrap(d: dict[str, Any]) -> dict[str, Any] | None:
    """The Fault object itself, from a Fault, `{"Fault": ...}` or `{"fault": ...}`."""
    for key in ("Fault", "fault"):
        inner = d.get(key)
        if isinstance(inner, dict):
            return inner
    if any(k in d for k in ("Error", "error")):
        return d
    return None


def fault_from_dict(d: dict[str, Any], *, status: int = 200, intuit_tid: str | None = None) -> QboFault:
    """A fault from a JSON Fault object (a batch item's `Fault`, or a whole `{"Fault": ...}` body)."""
    inner = _unwrap(d) or {}
    raw_errors = inner.get("Error", inner.get("error")) or []
    if isinstance(raw_errors, dict):
        raw_errors = [raw_errors]
    errors = [_norm_error(e) for e in raw_errors]
    return make_fault(status, errors, fault_type=inner.get("type"), intuit_tid=intuit_tid)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_xml(status: int, body: bytes, intuit_tid: str | None) -> QboFault | None:
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    fault_el = root if _local(root.tag) == "Fault" else None
    if fault_el is None:
        for el in root.iter():
            if _local(el.tag) == "Fault":
                fault_el = el
                break
    if fault_el is None:
        return None
    errors = []
    for err in fault_el:
        if _local(err.tag) != "Error":
            continue
        fields: dict[str, Any] = {"code": err.get("code"), "element": err.get("element")}
        for child in err:
            name = _local(child.tag).lower()
            if name in ("message", "detail"):
                fields[name] = (child.text or "").strip() or None
        errors.append(_norm_error(fields))
    return make_fault(status, errors, fault_type=fault_el.get("type"), intuit_tid=intuit_tid)


def _find_json_fault(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    for key in ("Fault", "fault"):
        if isinstance(data.get(key), dict):
            return data[key]
    # an HTTP 200 carrying a fault in a single-item response list (e.g. /upload's AttachableResponse)
    attach = data.get("AttachableResponse")
    if isinstance(attach, list):
        for item in attach:
            if isinstance(item, dict) and isinstance(item.get("Fault"), dict):
                return item["Fault"]
    return None


def parse_fault(
    status: int, content_type: str | None, body: bytes, *, intuit_tid: str | None = None
) -> QboFault | None:
    """The fault in a QBO answer, or None if the answer is a success.

    Any status >= 400 yields a fault even when the body is empty, HTML or unparseable (classified by
    status). A 2xx yields a fault only when its body carries one outside batch items (batch item faults
    are parsed per item with `fault_from_dict`).
    """
    ctype = (content_type or "").lower()
    text = body.lstrip()
    fault: QboFault | None = None
    if "xml" in ctype or text.startswith(b"<?xml") or text.startswith(b"<IntuitResponse") or text.startswith(b"<Fault"):
        fault = _parse_xml(status, body, intuit_tid)
    elif text[:1] in (b"{", b"["):
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        inner = _find_json_fault(data)
        if inner is not None:
            fault = fault_from_dict(inner, status=status, intuit_tid=intuit_tid)
        elif status >= 400 and isinstance(data, dict) and isinstance(data.get("error"), str):
            # an OAuth-style error from a gateway: {"error": "invalid_token", ...}
            fault = make_fault(status, [_norm_error({"code": None, "message": data["error"]})],
                               intuit_tid=intuit_tid)
    if fault is None and status >= 400:
        fault = make_fault(status, [], intuit_tid=intuit_tid)
    return fault
