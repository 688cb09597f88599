"""CrocoClick sandbox: contacts (tag Contacts of the contract)."""

from __future__ import annotations

import copy
from typing import Any

from crocoqb_desktop.sandbox.base import Request, Response
from crocoqb_desktop.sandbox.croco_common import (
    _BOOKKEEPING,
    _admin_body,
    _bool_param,
    _camel_keys,
    _check_if_match,
    _etag,
    _json_body,
    _Location,
    _new_id,
    _prefix,
    iso_ms,
)
from crocoqb_desktop.sandbox.croco_pipeline import CrocoPipeline
from crocoqb_desktop.sandbox.croco_validation import (
    CrocoError,
    bad_request,
    is_email,
    merge_external_refs,
    normalise_email,
    validate_contact_write,
)

_CONTACT_KEYS = (
    "id",
    "firstName",
    "lastName",
    "companyName",
    "displayName",
    "email",
    "additionalEmails",
    "phone",
    "address",
    "tags",
    "source",
    "preferredCurrency",
    "dnd",
    "createdAt",
    "updatedAt",
    "deletedAt",
    "version",
    "externalRefs",
)



class ContactsMixin(CrocoPipeline):
    """Contacts: Python API (user actions), API handlers, admin actions and the data model."""

    def contacts(self, location_id: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        with self.lock:
            loc = self._loc(location_id)
            return [copy.deepcopy(c) for c in loc.contacts.values() if include_deleted or not c["deletedAt"]]

    def contact(self, location_id: str, contact_id: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._contact(self._loc(location_id), contact_id, allow_deleted=True))

    def create_contact(self, location_id: str, **fields: Any) -> dict[str, Any]:
        """A user adds a contact (ContactWrite fields plus `dnd`); emits contact.created (actor user)."""
        with self.lock:
            loc = self._loc(location_id)
            data = validate_contact_write(_camel_keys(fields), create=True, extra_fields=("dnd",))
            return copy.deepcopy(self._contact_create(loc, data, self._user_actor()))

    def update_contact(self, location_id: str, contact_id: str, **fields: Any) -> dict[str, Any]:
        """A user edits a contact; emits contact.updated (actor user) unless only externalRefs changed."""
        with self.lock:
            loc = self._loc(location_id)
            contact = self._contact(loc, contact_id)
            data = validate_contact_write(_camel_keys(fields), create=False, extra_fields=("dnd",))
            return copy.deepcopy(self._contact_update(loc, contact, data, self._user_actor()))

    def delete_contact(self, location_id: str, contact_id: str) -> dict[str, Any]:
        """A user deletes a contact (soft delete); emits contact.deleted with the last state."""
        with self.lock:
            loc = self._loc(location_id)
            contact = self._contact(loc, contact_id)
            ms = self._stamp()
            _index_emails(loc, contact, None)
            contact["deletedAt"] = iso_ms(ms)
            self._touch(loc, contact, ms)
            self._emit(loc, "contact.deleted", "contact", contact, self._user_actor(), ms)
            return copy.deepcopy(contact)

    def _h_list_contacts(self, request: Request, loc: _Location) -> Response:
        include_deleted = _bool_param(request.query, "includeDeleted")
        return self._page(request, loc, loc.contacts, lambda c: include_deleted or not c["deletedAt"])

    def _h_create_contact(self, request: Request, loc: _Location) -> Response:
        data = validate_contact_write(_json_body(request), create=True)
        contact = self._contact_create(loc, data, self._api_actor(request))
        location = f"{self.url}{_prefix(request)}/contacts/{contact['id']}"
        return Response.json(contact, 201, {"Location": location, "ETag": _etag(contact)})

    def _h_search_contacts(self, request: Request, loc: _Location) -> Response:
        raw = request.query.get("email")
        if raw is None:
            raise bad_request("the email query parameter is required", "email", "required")
        wanted = normalise_email(raw)
        if wanted is None or len(raw) > 254 or not is_email(raw.strip()):
            raise bad_request("email is not a valid email address", "email", "invalid_email")
        matches = [loc.contacts[cid] for cid in loc.emails.get(wanted, ())]
        matches.sort(key=lambda c: (c["createdAt"], c["id"]))
        return Response.json({"data": copy.deepcopy(matches[:50])})

    def _h_get_contact(self, request: Request, loc: _Location) -> Response:
        contact = self._contact(loc, request.params["contactId"], allow_deleted=True)
        return Response.json(contact, headers={"ETag": _etag(contact)})

    def _h_update_contact(self, request: Request, loc: _Location) -> Response:
        contact = self._contact(loc, request.params["contactId"])
        _check_if_match(request, contact)
        data = validate_contact_write(_json_body(request), create=False)
        contact = self._contact_update(loc, contact, data, self._api_actor(request))
        return Response.json(contact, headers={"ETag": _etag(contact)})

    def _a_create_contact(self, request: Request) -> Response:
        return Response.json(self.create_contact(request.params["loc"], **_admin_body(request)), 201)

    def _a_update_contact(self, request: Request) -> dict[str, Any]:
        return self.update_contact(request.params["loc"], request.params["id"], **_admin_body(request))

    def _a_delete_contact(self, request: Request) -> dict[str, Any]:
        return self.delete_contact(request.params["loc"], request.params["id"])

    def _contact_create(self, loc: _Location, data: dict[str, Any], actor: dict[str, Any]) -> dict[str, Any]:
        contact: dict[str, Any] = {
            "id": _new_id("con"),
            "firstName": None,
            "lastName": None,
            "companyName": None,
            "displayName": "",
            "email": None,
            "additionalEmails": [],
            "phone": None,
            "address": {
                "line1": None,
                "line2": None,
                "city": None,
                "region": None,
                "postalCode": None,
                "country": None,
            },
            "tags": [],
            "source": None,
            "preferredCurrency": None,
            "dnd": {"email": False, "sms": False},
            "createdAt": "",
            "updatedAt": "",
            "deletedAt": None,
            "version": 1,
            "externalRefs": {},
        }
        _apply_contact_fields(contact, data)
        self._check_duplicate_email(loc, contact, None)
        ms = self._stamp()
        contact["createdAt"] = contact["updatedAt"] = iso_ms(ms)
        loc.contacts[contact["id"]] = contact
        _index_emails(loc, None, contact)
        loc.stamps[contact["id"]] = ms
        self._emit(loc, "contact.created", "contact", contact, actor, ms)
        return contact

    def _contact_update(
        self, loc: _Location, contact: dict[str, Any], data: dict[str, Any], actor: dict[str, Any]
    ) -> dict[str, Any]:
        updated = copy.deepcopy(contact)
        _apply_contact_fields(updated, data)
        changed = sorted(k for k in _CONTACT_KEYS if k not in _BOOKKEEPING and updated[k] != contact[k])
        if not changed:
            return contact
        if {"email", "additionalEmails"} & set(changed):
            self._check_duplicate_email(loc, updated, contact["id"])
        ms = self._stamp()
        self._touch(loc, updated, ms)
        loc.contacts[contact["id"]] = updated
        _index_emails(loc, contact, updated)
        if changed != ["externalRefs"]:
            self._emit(loc, "contact.updated", "contact", updated, actor, ms, changed_fields=changed)
        return updated

    def _check_duplicate_email(self, loc: _Location, contact: dict[str, Any], exclude_id: str | None) -> None:
        if loc.allow_duplicate_emails:
            return
        clashes = {cid for email in _contact_emails(contact) for cid in loc.emails.get(email, ())}
        clashes.discard(exclude_id)  # type: ignore[arg-type]
        if clashes:
            oldest = min((loc.contacts[cid] for cid in clashes), key=lambda c: (c["createdAt"], c["id"]))
            raise CrocoError(
                409,
                "duplicate",
                "a contact with this email already exists in this location",
                [{"field": "email", "issue": "not_unique", "existingId": oldest["id"]}],
            )


def _contact_emails(contact: dict[str, Any]) -> set[str]:
    emails = [contact.get("email"), *(contact.get("additionalEmails") or [])]
    return {n for n in (normalise_email(e) for e in emails) if n}


def _index_emails(loc: _Location, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
    """Keep `loc.emails` (normalised email -> ids of live contacts) in step with a contact change."""
    if old is not None:
        for email in _contact_emails(old):
            ids = loc.emails.get(email)
            if ids is not None:
                ids.discard(old["id"])
                if not ids:
                    del loc.emails[email]
    if new is not None and not new["deletedAt"]:
        for email in _contact_emails(new):
            loc.emails.setdefault(email, set()).add(new["id"])


def _display_name(contact: dict[str, Any]) -> str:
    if contact.get("companyName"):
        return str(contact["companyName"])
    name = " ".join(p for p in (contact.get("firstName"), contact.get("lastName")) if p)
    if name:
        return name
    return str(contact.get("email") or contact.get("phone") or "")


def _apply_contact_fields(contact: dict[str, Any], data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key == "externalRefs":
            contact["externalRefs"] = merge_external_refs(contact["externalRefs"], value)
        elif key == "dnd":
            contact["dnd"] = {**contact["dnd"], **value}
        elif key in ("additionalEmails", "tags"):
            contact[key] = list(value)
        elif key == "address":
            contact["address"] = dict(value)
        else:
            contact[key] = value
    contact["displayName"] = _display_name(contact)


def _bill_to(contact: dict[str, Any]) -> dict[str, Any]:
    return {"name": contact["displayName"], "email": contact["email"], "address": dict(contact["address"])}
