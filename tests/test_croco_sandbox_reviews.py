"""CrocoClick sandbox: review requests."""

from __future__ import annotations

from tests.plugins.croco_sandbox_fixtures import CROCO_API_KEY, CROCO_LOCATION

LOC = CROCO_LOCATION


def test_review_request_is_queued_then_sent(croco_sandbox, croco_http, croco_spec_validator):
    contact = croco_sandbox.create_contact(LOC, email="happy@example.com")
    inv = croco_sandbox.create_invoice(
        LOC, contact_id=contact["id"], send=True, items=[{"name": "X", "quantity": 1, "unitPrice": "10.00"}]
    )
    resp = croco_http.post(
        "/reviews/requests",
        json={
            "contactId": contact["id"],
            "channel": "email",
            "reason": "first_invoice_paid",
            "relatedInvoiceId": inv["id"],
            "externalRefs": {"crocoqb.trigger": "qbo_invoice_130"},
        },
        headers={"Idempotency-Key": "review-0001-abcdef"},
    )
    assert resp.status_code == 202, resp.text
    croco_spec_validator.response(resp.json(), "/reviews/requests", "post", 202)
    review = resp.json()
    assert (
        review["status"] == "queued" and review["sentAt"] is None and review["reason"] == "first_invoice_paid"
    )
    stored = croco_sandbox.review_requests(LOC)
    assert [r["status"] for r in stored] == ["sent"] and stored[0]["sentAt"]
    event = croco_sandbox.events(LOC)[-1]
    assert event["type"] == "review_request.sent" and event["resourceType"] == "review_request"
    assert event["resourceId"] == review["id"]
    assert event["actor"] == {"type": "api_key", "id": croco_sandbox.api_key_id(CROCO_API_KEY)}
    croco_spec_validator(event, "Event")
    # an idempotent retry replays the original answer
    replay = croco_http.post(
        "/reviews/requests",
        json={
            "contactId": contact["id"],
            "channel": "email",
            "reason": "first_invoice_paid",
            "relatedInvoiceId": inv["id"],
            "externalRefs": {"crocoqb.trigger": "qbo_invoice_130"},
        },
        headers={"Idempotency-Key": "review-0001-abcdef"},
    )
    assert replay.status_code == 202 and replay.json() == review


def test_one_request_per_contact_per_30_days(croco_sandbox, croco_http, croco_spec_validator):
    contact = croco_sandbox.create_contact(LOC, email="happy@example.com", phone="+15145550199")
    first = croco_http.post("/reviews/requests", json={"contactId": contact["id"], "channel": "email"}).json()
    assert first["reason"] == "manual"
    for channel in ("email", "sms"):
        dup = croco_http.post("/reviews/requests", json={"contactId": contact["id"], "channel": channel})
        assert dup.status_code == 409
        croco_spec_validator.response(dup.json(), "/reviews/requests", "post", 409)
        assert dup.json()["error"]["code"] == "duplicate"
        assert dup.json()["error"]["details"][0]["existingId"] == first["id"]
    croco_sandbox.advance_time(30 * 86400 + 1)
    assert (
        croco_http.post("/reviews/requests", json={"contactId": contact["id"], "channel": "sms"}).status_code
        == 202
    )


def test_unreachable_and_unknown_contacts(croco_sandbox, croco_http, croco_spec_validator):
    dnd = croco_sandbox.create_contact(
        LOC, email="quiet@example.com", phone="+15145550100", dnd={"email": True}
    )
    no_phone = croco_sandbox.create_contact(LOC, email="nophone@example.com")
    no_email = croco_sandbox.create_contact(LOC, phone="+15145550101")
    for contact, channel, issue in (
        (dnd, "email", "do_not_disturb"),
        (no_phone, "sms", "no_phone"),
        (no_email, "email", "no_email"),
    ):
        resp = croco_http.post("/reviews/requests", json={"contactId": contact["id"], "channel": channel})
        assert resp.status_code == 422, resp.text
        croco_spec_validator.response(resp.json(), "/reviews/requests", "post", 422)
        assert resp.json()["error"]["code"] == "contact_unreachable"
        assert resp.json()["error"]["details"][0]["issue"] == issue
    assert (
        croco_http.post("/reviews/requests", json={"contactId": dnd["id"], "channel": "sms"}).status_code
        == 202
    )
    missing = croco_http.post("/reviews/requests", json={"contactId": "con_missing", "channel": "email"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    bad_invoice = croco_http.post(
        "/reviews/requests",
        json={"contactId": no_phone["id"], "channel": "email", "relatedInvoiceId": "inv_missing"},
    )
    assert bad_invoice.status_code == 404
    assert croco_sandbox.review_requests(LOC)[0]["contactId"] == dnd["id"]


def test_review_validation(croco_sandbox, croco_http):
    contact = croco_sandbox.create_contact(LOC, email="v@example.com")
    unknown = croco_http.post(
        "/reviews/requests", json={"contactId": contact["id"], "channel": "email", "template": "x"}
    )
    assert unknown.status_code == 400 and unknown.json()["error"]["details"][0]["field"] == "template"
    bad = croco_http.post(
        "/reviews/requests", json={"contactId": contact["id"], "channel": "fax", "reason": "because"}
    )
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"channel", "reason"}
    assert croco_http.post("/reviews/requests", json={"channel": "email"}).status_code == 422
