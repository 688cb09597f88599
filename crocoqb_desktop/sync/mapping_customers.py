"""CrocoClick contacts <-> QBO customers.

The app owns these Customer fields: DisplayName, GivenName, FamilyName, CompanyName,
PrimaryEmailAddr, PrimaryPhone, BillAddr (and CurrencyRef on create). Updates are sparse, carry
only the owned fields whose value differs, and never clear a QBO field the contact leaves empty.
QBO names may not contain ':' (it separates sub-customers) nor tabs/newlines: those are replaced
(':' -> '-', whitespace -> one space). QBO limits: DisplayName 500 characters, name parts 100,
email 100 (a longer address is not sent), phone 30, postal code 30.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from crocoqb_desktop.messages import message
from crocoqb_desktop.sync.mapping_common import (
    MappingError,
    clean_name,
    clean_text,
    country_code,
    looks_like_email,
    normalise_email,
)

DISPLAY_NAME_MAX = 500
NAME_PART_MAX = 100
EMAIL_MAX = 100
PHONE_MAX = 30
CROCO_PHONE_MAX = 32  # CrocoClick's ContactWrite.phone maxLength
IMPORT_SOURCE = "quickbooks import"
CUSTOMER_ID_REF = "quickbooks.customer_id"


# ----------------------------------------------------------------------------------------------
# CrocoClick -> QBO
# ----------------------------------------------------------------------------------------------
def _base_name(contact: Mapping[str, Any]) -> str:
    person = " ".join(p for p in (clean_name(contact.get("firstName")), clean_name(contact.get("lastName"))) if p)
    for candidate in (contact.get("displayName"), contact.get("companyName"), person, contact.get("email"),
                      contact.get("phone")):
        name = clean_name(candidate)
        if name:
            return name
    return f"CrocoClick contact {clean_name(contact.get('id'))}".strip()


def _fit(base: str, suffix: str) -> str:
    room = DISPLAY_NAME_MAX - len(suffix)
    return base[:room].rstrip() + suffix


def display_name_candidates(contact: Mapping[str, Any], limit: int = 10) -> list[str]:
    """QBO DisplayNames to try in order (unique across Customers, Vendors and Employees, else 6240):
    the contact's name, then "name (email)", "name (email) 2", ... up to `limit` names. Without an
    email the phone, else the CrocoClick contact id, tells namesakes apart."""
    base = _base_name(contact)
    tag = ""
    for candidate in (contact.get("email"), contact.get("phone"), contact.get("id")):
        # at most 100 characters (QBO's longest email): the name keeps room under DisplayName's 500
        text = clean_name(candidate, EMAIL_MAX)
        if text and text.casefold() != base.casefold():
            tag = text
            break
    names = [_fit(base, "")]
    if tag:
        names.append(_fit(base, f" ({tag})"))
        names.extend(_fit(base, f" ({tag}) {n}") for n in range(2, limit))
    else:
        names.extend(_fit(base, f" {n}") for n in range(2, limit + 1))
    return list(dict.fromkeys(names))[:limit]


def _qbo_address(address: Mapping[str, Any] | None) -> dict[str, str]:
    address = address or {}
    fields = {
        "Line1": clean_text(address.get("line1"), 500),
        "Line2": clean_text(address.get("line2"), 500),
        "City": clean_text(address.get("city"), 255),
        "CountrySubDivisionCode": clean_text(address.get("region"), 255),
        "PostalCode": clean_text(address.get("postalCode"), 30),
        "Country": clean_text(address.get("country"), 255),
    }
    return {k: v for k, v in fields.items() if v}


def _owned_fields(contact: Mapping[str, Any], display_name: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"DisplayName": clean_name(display_name, DISPLAY_NAME_MAX)}
    for key, source in (("GivenName", "firstName"), ("FamilyName", "lastName"), ("CompanyName", "companyName")):
        value = clean_name(contact.get(source), NAME_PART_MAX)
        if value:
            fields[key] = value
    email = str(contact.get("email") or "").strip()
    if looks_like_email(email) and len(email) <= EMAIL_MAX:
        fields["PrimaryEmailAddr"] = {"Address": email}
    phone = clean_text(contact.get("phone"), PHONE_MAX)
    if phone:
        fields["PrimaryPhone"] = {"FreeFormNumber": phone}
    address = _qbo_address(contact.get("address"))
    if address:
        fields["BillAddr"] = address
    return fields


def _digits(text: Any) -> str:
    return "".join(ch for ch in str(text or "") if ch.isdigit())


def same_phone(a: Any, b: Any) -> bool:
    """Equal digits, or one is the other with a country code in front ("+1 520..." vs "(520)...")."""
    da, db = _digits(a), _digits(b)
    if da == db:
        return True
    short, long_ = sorted((da, db), key=len)
    return len(short) >= 7 and long_.endswith(short) and len(long_) - len(short) <= 3


def _address_differs(new: Mapping[str, str], old: Mapping[str, Any] | None) -> bool:
    old = old or {}
    for key, value in new.items():
        current = old.get(key)
        if key == "Country":
            if (country_code(value) or value) != (country_code(current) or clean_text(current)):
                return True
        elif clean_text(current) != value:
            return True
    return False


def _differs(key: str, value: Any, existing: Mapping[str, Any]) -> bool:
    current = existing.get(key)
    if key == "PrimaryEmailAddr":
        return str((current or {}).get("Address") or "").strip() != value["Address"]
    if key == "PrimaryPhone":
        return not same_phone((current or {}).get("FreeFormNumber"), value["FreeFormNumber"])
    if key == "BillAddr":
        return _address_differs(value, current)
    return clean_text(current) != value


def customer_payload(contact: Mapping[str, Any], *, display_name: str, currency: str | None,
                     existing: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A Customer create body; with `existing` (the QBO Customer) a sparse update holding only the
    owned fields that differ (so just Id/SyncToken/sparse when nothing changed). `currency` sets
    CurrencyRef on create only (a customer's currency cannot change)."""
    fields = _owned_fields(contact, display_name)
    if existing is None:
        if currency:
            fields["CurrencyRef"] = {"value": str(currency).upper()}
        return fields
    body: dict[str, Any] = {"Id": str(existing["Id"]), "SyncToken": str(existing["SyncToken"]), "sparse": True}
    for key, value in fields.items():
        if _differs(key, value, existing):
            if key == "BillAddr" and (existing.get("BillAddr") or {}).get("Id"):
                value = {"Id": str(existing["BillAddr"]["Id"]), **value}
            body[key] = value
    return body


def is_noop_update(body: Mapping[str, Any]) -> bool:
    """True when a sparse update body changes nothing."""
    return set(body) <= {"Id", "SyncToken", "sparse"}


# ----------------------------------------------------------------------------------------------
# QBO -> CrocoClick
# ----------------------------------------------------------------------------------------------
def _unwrap(customer: Mapping[str, Any]) -> Mapping[str, Any]:
    inner = customer.get("Customer")
    return inner if isinstance(inner, Mapping) else customer


def _croco_address(address: Mapping[str, Any] | None) -> dict[str, str]:
    address = address or {}
    extra = [clean_text(address.get(k)) for k in ("Line2", "Line3", "Line4", "Line5")]
    fields = {
        "line1": clean_text(address.get("Line1")),
        "line2": ", ".join(x for x in extra if x),
        "city": clean_text(address.get("City")),
        "region": clean_text(address.get("CountrySubDivisionCode")),
        "postalCode": clean_text(address.get("PostalCode")),
        "country": country_code(address.get("Country") or address.get("CountryCode")) or "",
    }
    return {k: v for k, v in fields.items() if v}


def _customer_fields(cust: Mapping[str, Any], *, name_fallback: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    first = clean_text(cust.get("GivenName"), 100)
    last = clean_text(cust.get("FamilyName"), 100)
    company = clean_text(cust.get("CompanyName"), 200)
    if not (first or last or company) and name_fallback:
        company = clean_text(cust.get("DisplayName") or cust.get("FullyQualifiedName"), 200)
    for key, value in (("firstName", first), ("lastName", last), ("companyName", company)):
        if value:
            out[key] = value
    email = str((cust.get("PrimaryEmailAddr") or {}).get("Address") or "").strip()
    if looks_like_email(email):
        out["email"] = email
    phone = clean_text((cust.get("PrimaryPhone") or {}).get("FreeFormNumber"), CROCO_PHONE_MAX) or clean_text(
        (cust.get("Mobile") or {}).get("FreeFormNumber"), CROCO_PHONE_MAX)
    if phone:
        out["phone"] = phone
    address = _croco_address(cust.get("BillAddr")) or _croco_address(cust.get("ShipAddr"))
    if address:
        out["address"] = address
    return out


def contact_body_from_customer(customer: Mapping[str, Any]) -> dict[str, Any]:
    """A CrocoClick ContactCreate body for a QBO Customer (entity or `{"Customer": ...}` envelope).
    A customer with no name parts becomes a contact whose companyName is the DisplayName, so the two
    show the same name. CrocoClick needs an email or a phone: a customer with neither ->
    MappingError."""
    cust = _unwrap(customer)
    body = _customer_fields(cust, name_fallback=True)
    if not body.get("email") and not body.get("phone"):
        raise MappingError(
            message("mapping.customer_no_contact_info", 'the QuickBooks customer {display_name} has neither an email address nor a phone number, and CrocoClick needs one of them', display_name=clean_text(cust.get('DisplayName')) or cust.get('Id')),
            fix=message("mapping.customer_no_contact_info.fix", "Add an email address to this customer in QuickBooks; it will be imported at the next sync."))
    body["source"] = IMPORT_SOURCE
    currency = str((cust.get("CurrencyRef") or {}).get("value") or "").upper()
    if re.fullmatch(r"[A-Z]{3}", currency):
        body["preferredCurrency"] = currency
    body["externalRefs"] = {CUSTOMER_ID_REF: str(cust["Id"])}
    return body


def contact_update_from_customer(customer: Mapping[str, Any], contact: Mapping[str, Any]) -> dict[str, Any]:
    """A CrocoClick ContactUpdate with only the fields the QBO customer changed; {} if nothing did.
    Fields empty in QuickBooks are left alone in CrocoClick (never cleared)."""
    cust = _unwrap(customer)
    has_names = any(contact.get(k) for k in ("firstName", "lastName", "companyName"))
    new = _customer_fields(cust, name_fallback=not has_names)
    changes: dict[str, Any] = {}
    for key in ("firstName", "lastName", "companyName"):
        if key in new and new[key] != clean_text(contact.get(key)):
            changes[key] = new[key]
    if "email" in new and normalise_email(new["email"]) != normalise_email(contact.get("email")):
        changes["email"] = new["email"]
    if "phone" in new and not same_phone(new["phone"], contact.get("phone")):
        changes["phone"] = new["phone"]
    if "address" in new:
        current = contact.get("address") or {}
        if any(value != clean_text(current.get(key)) for key, value in new["address"].items()):
            changes["address"] = new["address"]
    if str((contact.get("externalRefs") or {}).get(CUSTOMER_ID_REF) or "") != str(cust["Id"]):
        changes["externalRefs"] = {CUSTOMER_ID_REF: str(cust["Id"])}
    return changes
