"""CrocoClick sandbox: contacts (writes, validation, duplicates, search, idempotency, If-Match, paging)."""

from __future__ import annotations

import random
import threading
import time

import pytest

from crocoqb_desktop.sandbox.croco_server import CrocoError
from tests.plugins.croco_sandbox_fixtures import CROCO_API_KEY, CROCO_LOCATION, CrocoHttp

LOC = CROCO_LOCATION


def _events(sandbox, types=None):
    return [e for e in sandbox.events(LOC) if types is None or e["type"] in types]


def test_create_contact(croco_sandbox, croco_http, croco_spec_validator):
    resp = croco_http.post(
        "/contacts",
        json={
            "firstName": "Alex",
            "lastName": "Martin",
            "email": "alex@example.com",
            "phone": "+15145550101",
            "address": {
                "line1": "1 Main St",
                "city": "Albany",
                "region": "NY",
                "postalCode": "12207",
                "country": "US",
            },
            "tags": ["vip"],
            "source": "quickbooks import",
            "preferredCurrency": "USD",
            "externalRefs": {"quickbooks.customer_id": "58"},
        },
    )
    assert resp.status_code == 201, resp.text
    contact = resp.json()
    croco_spec_validator.response(contact, "/contacts", "post", 201)
    assert contact["id"].startswith("con_")
    assert contact["displayName"] == "Alex Martin"
    assert contact["source"] == "quickbooks import"
    assert contact["version"] == 1 and contact["deletedAt"] is None
    assert contact["externalRefs"] == {"quickbooks.customer_id": "58"}
    assert resp.headers["Location"].endswith(f"/contacts/{contact['id']}")
    assert resp.headers["ETag"] == '"1"'
    got = croco_http.get(f"/contacts/{contact['id']}")
    assert got.json() == contact and got.headers["ETag"] == '"1"'
    croco_spec_validator.response(got.json(), "/contacts/{contactId}", "get", 200)


@pytest.mark.parametrize(
    "fields,expected",
    [
        ({"companyName": "Lumière Inc", "firstName": "A", "email": "a@example.com"}, "Lumière Inc"),
        ({"firstName": "Ana", "email": "a@example.com"}, "Ana"),
        ({"lastName": "Roy", "email": "a@example.com"}, "Roy"),
        ({"email": "only@example.com"}, "only@example.com"),
    ],
)
def test_display_name(croco_http, fields, expected):
    assert croco_http.post("/contacts", json=fields).json()["displayName"] == expected


def test_create_null_means_absent(croco_http):
    contact = croco_http.post(
        "/contacts", json={"email": None, "phone": "+15145550000", "firstName": None}
    ).json()
    assert contact["email"] is None and contact["phone"] == "+15145550000"


@pytest.mark.parametrize(
    "body,status,field",
    [
        ({"email": "a@example.com", "nickname": "Al"}, 400, "nickname"),
        ({"email": "not-an-email"}, 422, "email"),
        ({"email": "a@example.com", "firstName": "x" * 101}, 422, "firstName"),
        (
            {"email": "a@example.com", "additionalEmails": [f"a{i}@example.com" for i in range(6)]},
            422,
            "additionalEmails",
        ),
        ({"email": "a@example.com", "additionalEmails": ["nope"]}, 422, "additionalEmails[0]"),
        ({"email": "a@example.com", "preferredCurrency": "usd"}, 422, "preferredCurrency"),
        (
            {"email": "a@example.com", "externalRefs": {"QuickBooks.Id": "1"}},
            422,
            "externalRefs.QuickBooks.Id",
        ),
        (
            {"email": "a@example.com", "externalRefs": {"quickbooks.id": "x" * 129}},
            422,
            "externalRefs.quickbooks.id",
        ),
        (
            {"email": "a@example.com", "externalRefs": {f"qb.k{i}": "1" for i in range(21)}},
            422,
            "externalRefs",
        ),
        ({"email": "a@example.com", "tags": "vip"}, 422, "tags"),
        ({"firstName": "No Channel"}, 422, "email"),
    ],
)
def test_create_validation(croco_http, croco_spec_validator, body, status, field):
    resp = croco_http.post("/contacts", json=body)
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert error["code"] == ("invalid_request" if status == 400 else "validation_failed")
    assert field in [d.get("field") for d in error["details"]]
    croco_spec_validator.response(resp.json(), "/contacts", "post", status)


def test_malformed_bodies(croco_http):
    assert (
        croco_http.post("/contacts", data=b"{not json", headers={"Content-Type": "application/json"}).json()[
            "error"
        ]["code"]
        == "invalid_request"
    )
    assert croco_http.post("/contacts", json=["a"]).status_code == 400
    assert croco_http.post("/contacts").status_code == 400


def test_duplicate_email_forbidden(croco_sandbox, croco_http, croco_spec_validator):
    first = croco_http.post(
        "/contacts", json={"email": "Alex@Example.com", "additionalEmails": ["billing@example.com"]}
    ).json()
    for email in ("  alex@EXAMPLE.com ".strip(), "BILLING@example.com"):
        resp = croco_http.post("/contacts", json={"email": email})
        assert resp.status_code == 409
        croco_spec_validator.response(resp.json(), "/contacts", "post", 409)
        assert resp.json()["error"]["code"] == "duplicate"
        assert resp.json()["error"]["details"][0]["existingId"] == first["id"]
    other = croco_http.post("/contacts", json={"email": "other@example.com"}).json()
    clash = croco_http.patch(f"/contacts/{other['id']}", json={"additionalEmails": ["ALEX@example.com"]})
    assert clash.status_code == 409 and clash.json()["error"]["details"][0]["existingId"] == first["id"]
    # user-side too
    with pytest.raises(CrocoError) as info:
        croco_sandbox.create_contact(LOC, email="alex@example.com")
    assert (info.value.status, info.value.code) == (409, "duplicate")
    # a deleted contact no longer blocks the email
    croco_sandbox.delete_contact(LOC, first["id"])
    assert croco_http.post("/contacts", json={"email": "alex@example.com"}).status_code == 201


def test_search_by_email(croco_sandbox):
    croco_sandbox.add_location("loc_dup", name="Dupes allowed", allow_duplicate_emails=True)
    croco_sandbox.add_api_key(CROCO_API_KEY, ["loc_dup"])
    http = CrocoHttp(croco_sandbox, location_id="loc_dup")
    a = http.post("/contacts", json={"email": "alex@example.com"}).json()
    b = http.post(
        "/contacts", json={"email": "x@example.com", "additionalEmails": ["ALEX@example.com"]}
    ).json()
    http.post("/contacts", json={"email": "someone@example.com"})
    deleted = http.post("/contacts", json={"email": "alex@example.com"}).json()
    croco_sandbox.delete_contact("loc_dup", deleted["id"])
    found = http.get("/contacts/search", params={"email": "  Alex@EXAMPLE.com "})
    assert found.status_code == 200
    assert [c["id"] for c in found.json()["data"]] == [a["id"], b["id"]]  # oldest first, deleted excluded
    assert http.get("/contacts/search", params={"email": "nobody@example.com"}).json() == {"data": []}
    for i in range(55):
        croco_sandbox.create_contact("loc_dup", email="same@example.com", firstName=f"N{i}")
    assert len(http.get("/contacts/search", params={"email": "same@example.com"}).json()["data"]) == 50
    assert http.get("/contacts/search").status_code == 400
    assert http.get("/contacts/search", params={"email": "nope"}).status_code == 400


def test_search_matches_spec(croco_http, croco_spec_validator):
    croco_http.post("/contacts", json={"email": "alex@example.com"})
    body = croco_http.get("/contacts/search", params={"email": "alex@example.com"}).json()
    croco_spec_validator.response(body, "/contacts/search", "get", 200)


def test_get_unknown_contact(croco_http, croco_spec_validator):
    resp = croco_http.get("/contacts/con_nope")
    assert resp.status_code == 404
    croco_spec_validator.response(resp.json(), "/contacts/{contactId}", "get", 404)


def test_patch_semantics_and_if_match(croco_http, croco_spec_validator):
    contact = croco_http.post(
        "/contacts",
        json={"firstName": "Alex", "lastName": "M", "email": "a@example.com", "phone": "+15145550101"},
    ).json()
    path = f"/contacts/{contact['id']}"
    resp = croco_http.patch(path, json={"phone": None, "lastName": "Martin"}, headers={"If-Match": '"1"'})
    assert resp.status_code == 200 and resp.headers["ETag"] == '"2"'
    updated = resp.json()
    assert updated["phone"] is None and updated["lastName"] == "Martin" and updated["firstName"] == "Alex"
    assert updated["version"] == 2 and updated["displayName"] == "Alex Martin"
    assert updated["updatedAt"] > contact["updatedAt"]
    stale = croco_http.patch(path, json={"firstName": "Al"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "version_conflict"
    croco_spec_validator.response(stale.json(), "/contacts/{contactId}", "patch", 409)
    assert croco_http.get(path).json()["firstName"] == "Alex"
    assert croco_http.patch(path, json={"firstName": "Al"}, headers={"If-Match": "banana"}).status_code == 400
    assert croco_http.patch(path, json={"firstName": "Al"}, headers={"If-Match": 'W/"2"'}).status_code == 200
    empty = croco_http.patch(path, json={})
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "validation_failed"
    assert (
        croco_http.patch(path, json={"dnd": {"email": True}}).status_code == 400
    )  # not writable via the API
    assert croco_http.patch("/contacts/con_nope", json={"firstName": "X"}).status_code == 404
    # a no-op PATCH keeps the version
    same = croco_http.patch(path, json={"firstName": "Al"}).json()
    assert same["version"] == 3


def test_external_refs_merge_and_no_echo(croco_sandbox, croco_http):
    contact = croco_http.post(
        "/contacts", json={"email": "a@example.com", "externalRefs": {"quickbooks.customer_id": "58"}}
    ).json()
    path = f"/contacts/{contact['id']}"
    before = len(croco_sandbox.events(LOC))
    resp = croco_http.patch(
        path, json={"externalRefs": {"quickbooks.realm_id": "9341", "quickbooks.customer_id": None}}
    )
    assert resp.status_code == 200
    assert resp.json()["externalRefs"] == {"quickbooks.realm_id": "9341"}
    assert resp.json()["version"] == 2  # the record changed...
    assert len(croco_sandbox.events(LOC)) == before  # ...but no event: a sync app never sees its echo
    croco_http.patch(path, json={"firstName": "Alex", "externalRefs": {"quickbooks.sync": "1"}})
    event = croco_sandbox.events(LOC)[-1]
    assert event["type"] == "contact.updated"
    assert event["changedFields"] == ["displayName", "externalRefs", "firstName"]


def test_contact_events_and_actors(croco_sandbox, croco_http):
    contact = croco_http.post("/contacts", json={"email": "a@example.com"}).json()
    key_actor = {"type": "api_key", "id": croco_sandbox.api_key_id(CROCO_API_KEY)}
    croco_http.patch(f"/contacts/{contact['id']}", json={"tags": ["x"]})
    croco_sandbox.update_contact(LOC, contact["id"], firstName="Maya", dnd={"sms": True})
    croco_sandbox.delete_contact(LOC, contact["id"])
    events = _events(croco_sandbox)
    assert [e["type"] for e in events] == [
        "contact.created",
        "contact.updated",
        "contact.updated",
        "contact.deleted",
    ]
    assert events[0]["actor"] == key_actor and CROCO_API_KEY not in str(events)
    assert events[1]["actor"] == key_actor and events[1]["changedFields"] == ["tags"]
    assert events[2]["actor"]["type"] == "user"
    assert events[2]["changedFields"] == ["displayName", "dnd", "firstName"]
    assert events[3]["data"]["deletedAt"] is not None and "changedFields" not in events[3]
    assert all(e["resourceType"] == "contact" and e["resourceId"] == contact["id"] for e in events)
    # deleted: hidden from lists unless includeDeleted, GET still answers, PATCH is 404
    assert croco_http.get("/contacts").json()["data"] == []
    listed = croco_http.get("/contacts", params={"includeDeleted": "true"}).json()["data"]
    assert [c["id"] for c in listed] == [contact["id"]] and listed[0]["deletedAt"]
    assert croco_http.get(f"/contacts/{contact['id']}").json()["deletedAt"]
    assert croco_http.patch(f"/contacts/{contact['id']}", json={"firstName": "X"}).status_code == 404


# idempotency ------------------------------------------------------------------------------------------
def test_idempotent_create(croco_sandbox, croco_http, croco_spec_validator):
    key = {"Idempotency-Key": "3f1c7a52-8d3e-4b0e-9a55-5f2b5c1d9e01"}
    first = croco_http.post("/contacts", json={"phone": "+15145550100", "firstName": "Ana"}, headers=key)
    replay = croco_http.post("/contacts", json={"firstName": "Ana", "phone": "+15145550100"}, headers=key)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers["Location"] == first.headers["Location"]
    assert len(croco_sandbox.contacts(LOC)) == 1
    conflict = croco_http.post("/contacts", json={"phone": "+15145550100", "firstName": "Bob"}, headers=key)
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "idempotency_conflict"
    croco_spec_validator.response(conflict.json(), "/contacts", "post", 409)
    # another route with the same key is a different request too
    assert (
        croco_http.patch(f"/contacts/{first.json()['id']}", json={"firstName": "B"}, headers=key).status_code
        == 409
    )
    assert (
        croco_http.post("/contacts", json={"phone": "+1"}, headers={"Idempotency-Key": "short"}).status_code
        == 400
    )
    # after 24 h the key is forgotten
    croco_sandbox.advance_time(24 * 3600 + 1)
    again = croco_http.post("/contacts", json={"phone": "+15145550100", "firstName": "Ana"}, headers=key)
    assert again.status_code == 201 and again.json()["id"] != first.json()["id"]


def test_idempotency_does_not_store_errors(croco_http):
    key = {"Idempotency-Key": "retry-after-fix-0001"}
    assert croco_http.post("/contacts", json={"email": "bad"}, headers=key).status_code == 422
    assert croco_http.post("/contacts", json={"email": "bad"}, headers=key).status_code == 422
    assert croco_http.post("/contacts", json={"email": "good@example.com"}, headers=key).status_code == 201


def test_idempotent_patch_replays_even_if_version_moved(croco_http):
    contact = croco_http.post("/contacts", json={"email": "a@example.com"}).json()
    path = f"/contacts/{contact['id']}"
    key = {"Idempotency-Key": "patch-key-000001", "If-Match": '"1"'}
    first = croco_http.patch(path, json={"firstName": "A"}, headers=key)
    replay = croco_http.patch(path, json={"firstName": "A"}, headers=key)
    assert first.status_code == replay.status_code == 200 and replay.json()["version"] == 2


# lists and pagination ---------------------------------------------------------------------------------
def test_updated_since_is_inclusive(croco_sandbox, croco_http):
    a = croco_sandbox.create_contact(LOC, email="a@example.com")
    b = croco_sandbox.create_contact(LOC, email="b@example.com")
    page = croco_http.get("/contacts", params={"updatedSince": b["updatedAt"]}).json()
    assert [c["id"] for c in page["data"]] == [b["id"]]
    page = croco_http.get("/contacts", params={"updatedSince": a["updatedAt"].replace("Z", "+00:00")}).json()
    assert [c["id"] for c in page["data"]] == [a["id"], b["id"]]
    page = croco_http.get("/contacts", params={"updatedSince": "2999-01-01T00:00:00Z"}).json()
    assert page == {"data": [], "nextCursor": None, "hasMore": False}


def test_cursor_is_bound_to_filters(croco_sandbox, croco_http):
    for i in range(3):
        croco_sandbox.create_contact(LOC, email=f"c{i}@example.com")
    page = croco_http.get("/contacts", params={"limit": 1}).json()
    assert croco_http.get("/contacts", params={"limit": 2, "cursor": page["nextCursor"]}).status_code == 200
    changed = croco_http.get("/contacts", params={"cursor": page["nextCursor"], "includeDeleted": "true"})
    assert changed.status_code == 400 and changed.json()["error"]["code"] == "invalid_request"


def test_pagination_of_2000_contacts_with_concurrent_updates(croco_sandbox_factory, croco_spec_validator):
    sandbox = croco_sandbox_factory(time_scale=1000.0)  # rate limit out of the way
    ids = [sandbox.create_contact(LOC, email=f"p{i}@example.com")["id"] for i in range(2000)]
    http = CrocoHttp(sandbox)
    writer = CrocoHttp(sandbox)
    stop = threading.Event()
    updated: list[str] = []
    rng = random.Random(7)

    def churn() -> None:
        n = 0
        while not stop.is_set():
            target = rng.choice(ids)
            if n % 2:
                resp = writer.patch(f"/contacts/{target}", json={"tags": [f"t{n}"]})
                assert resp.status_code == 200
            else:
                sandbox.update_contact(LOC, target, firstName=f"F{n}")
            updated.append(target)
            n += 1
            time.sleep(0.001)

    thread = threading.Thread(target=churn, daemon=True)
    thread.start()
    seen: list[str] = []
    pages = 0
    params: dict = {"limit": 200}
    try:
        while True:
            resp = http.get("/contacts", params=params)
            assert resp.status_code == 200, resp.text
            page = resp.json()
            if pages == 0:
                croco_spec_validator.response(page, "/contacts", "get", 200)
            keys = [(c["updatedAt"], c["id"]) for c in page["data"]]
            assert keys == sorted(keys)
            seen.extend(c["id"] for c in page["data"])
            pages += 1
            if not page["hasMore"]:
                assert page["nextCursor"] is None
                break
            params = {"limit": 200, "cursor": page["nextCursor"]}
            # between pages, change records both behind and ahead of the cursor
            for target in rng.sample(ids, 10):
                assert writer.patch(f"/contacts/{target}", json={"lastName": f"L{pages}"}).status_code == 200
                updated.append(target)
    finally:
        stop.set()
        thread.join()
    assert len(updated) > 90  # records really changed during the walk
    assert set(seen) == set(ids)  # no gaps
    assert len(seen) - len(set(seen)) <= len(updated)  # re-reads only for records updated meanwhile
    assert pages >= 10
