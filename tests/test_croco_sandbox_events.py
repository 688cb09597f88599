"""CrocoClick sandbox: the event feed (head, cursors, paging, filters, snapshots, retention)."""

from __future__ import annotations

from tests.plugins.croco_sandbox_fixtures import CROCO_LOCATION

LOC = CROCO_LOCATION


def _seed(sandbox, n=5):
    contacts = [sandbox.create_contact(LOC, email=f"e{i}@example.com") for i in range(n)]
    return contacts


def test_head_of_an_empty_feed(croco_http, croco_spec_validator):
    head = croco_http.get("/events/head")
    assert head.status_code == 200
    croco_spec_validator.response(head.json(), "/events/head", "get", 200)
    assert head.json() == {"cursor": "0000000000000000", "sequence": 0, "retentionDays": 30}
    empty = croco_http.get("/events", params={"after": head.json()["cursor"]}).json()
    assert empty == {"data": [], "nextCursor": "0000000000000000", "hasMore": False}


def test_bootstrap_then_poll(croco_sandbox, croco_http, croco_spec_validator):
    _seed(croco_sandbox, 2)
    head = croco_http.get("/events/head").json()
    assert head["sequence"] == 2 and head["cursor"] == "0000000000000002"
    assert croco_http.get("/events", params={"after": head["cursor"]}).json()["data"] == []
    c = croco_sandbox.create_contact(LOC, email="new@example.com")
    page = croco_http.get("/events", params={"after": head["cursor"]}).json()
    croco_spec_validator.response(page, "/events", "get", 200)
    assert [(e["type"], e["resourceId"], e["sequence"]) for e in page["data"]] == [
        ("contact.created", c["id"], 3)
    ]
    assert page["nextCursor"] == page["data"][0]["cursor"] == "0000000000000003" and page["hasMore"] is False
    again = croco_http.get("/events", params={"after": page["nextCursor"]}).json()
    assert again == {"data": [], "nextCursor": page["nextCursor"], "hasMore": False}


def test_paging_is_strictly_after_and_ordered(croco_sandbox, croco_http):
    _seed(croco_sandbox, 7)
    seen = []
    after = "0000000000000000"
    while True:
        page = croco_http.get("/events", params={"after": after, "limit": 3}).json()
        seen.extend(page["data"])
        if not page["hasMore"]:
            break
        after = page["nextCursor"]
    assert [e["sequence"] for e in seen] == list(range(1, 8))
    cursors = [e["cursor"] for e in seen]
    assert cursors == sorted(cursors) and all(len(c) == 16 for c in cursors)
    assert len({e["id"] for e in seen}) == 7
    # an exact page boundary: hasMore is false when nothing follows
    last = croco_http.get("/events", params={"after": seen[3]["cursor"], "limit": 3}).json()
    assert [e["sequence"] for e in last["data"]] == [5, 6, 7] and last["hasMore"] is False


def test_types_filter(croco_sandbox, croco_http):
    contacts = _seed(croco_sandbox, 2)
    croco_sandbox.update_contact(LOC, contacts[0]["id"], firstName="Z")
    inv = croco_sandbox.create_invoice(
        LOC,
        contact_id=contacts[1]["id"],
        send=True,
        items=[{"name": "X", "quantity": 1, "unitPrice": "10.00"}],
    )
    page = croco_http.get("/events", params={"after": "0", "types": "invoice.sent,contact.updated"}).json()
    assert [e["type"] for e in page["data"]] == ["contact.updated", "invoice.sent"]
    assert page["data"][1]["resourceId"] == inv["id"] and page["data"][1]["resourceType"] == "invoice"
    assert page["data"][0]["changedFields"] == ["displayName", "firstName"]
    assert croco_http.get("/events", params={"after": "0", "types": "invoice.created"}).status_code == 400
    limited = croco_http.get("/events", params={"after": "0", "types": "contact.created", "limit": 1}).json()
    assert limited["hasMore"] is True and limited["nextCursor"] == "0000000000000001"


def test_data_is_a_snapshot_right_after_the_change(croco_sandbox, croco_http):
    contact = croco_sandbox.create_contact(LOC, email="snap@example.com", firstName="A")
    croco_sandbox.update_contact(LOC, contact["id"], firstName="B")
    croco_sandbox.update_contact(LOC, contact["id"], firstName="C")
    data = [e["data"] for e in croco_http.get("/events", params={"after": "0"}).json()["data"]]
    assert [(d["firstName"], d["version"]) for d in data] == [("A", 1), ("B", 2), ("C", 3)]
    assert data[1]["updatedAt"] == croco_sandbox.events(LOC)[1]["occurredAt"]


def test_bad_cursors(croco_sandbox, croco_http, croco_spec_validator):
    _seed(croco_sandbox, 1)
    missing = croco_http.get("/events")
    assert missing.status_code == 400
    croco_spec_validator.response(missing.json(), "/events", "get", 400)
    assert croco_http.get("/events", params={"after": "not-hex!"}).status_code == 400
    assert (
        croco_http.get("/events", params={"after": "00000000000000ff"}).status_code == 400
    )  # ahead of the head
    assert croco_http.get("/events", params={"after": "0", "limit": "501"}).status_code == 400
    assert croco_http.get("/events", params={"after": "0", "limit": "500"}).status_code == 200


def test_expired_cursor_is_410(croco_sandbox, croco_http, croco_spec_validator):
    _seed(croco_sandbox, 6)
    croco_sandbox.expire_events_older_than(LOC, 4)  # events 1-3 are gone
    gone = croco_http.get("/events", params={"after": "0000000000000002"})
    assert gone.status_code == 410 and gone.json()["error"]["code"] == "cursor_expired"
    croco_spec_validator.response(gone.json(), "/events", "get", 410)
    ok = croco_http.get("/events", params={"after": "0000000000000003"}).json()
    assert [e["sequence"] for e in ok["data"]] == [4, 5, 6]
    assert croco_http.get("/events/head").json()["sequence"] == 6


def test_thirty_day_retention(croco_sandbox, croco_http):
    _seed(croco_sandbox, 2)
    croco_sandbox.advance_time(31 * 86400)
    croco_sandbox.create_contact(LOC, email="late@example.com")
    assert croco_http.get("/events", params={"after": "0"}).status_code == 410
    assert [
        e["sequence"] for e in croco_http.get("/events", params={"after": "0000000000000002"}).json()["data"]
    ] == [3]
