"""CrocoClick sandbox: every answer matches crococlick-api.yaml (strictly: no undeclared fields)."""

from __future__ import annotations

import pytest

from crocoqb_desktop.sandbox.croco_server import EVENT_TYPES
from tests.plugins.croco_sandbox_fixtures import CROCO_LOCATION

LOC = CROCO_LOCATION


def test_validator_is_strict(croco_spec_validator):
    contact = {
        "id": "con_1",
        "email": None,
        "createdAt": "2025-03-01T14:05:09.123Z",
        "updatedAt": "2025-03-01T14:05:09.123Z",
        "version": 1,
        "externalRefs": {},
    }
    croco_spec_validator(contact, "Contact")
    with pytest.raises(AssertionError):
        croco_spec_validator({**contact, "nickname": "x"}, "Contact")
    with pytest.raises(AssertionError):
        croco_spec_validator({**contact, "externalRefs": {"Bad Key": "1"}}, "Contact")
    with pytest.raises(AssertionError):
        croco_spec_validator(
            {"data": [contact], "nextCursor": None, "hasMore": False, "total": 1}, "ContactPage"
        )
    croco_spec_validator({"data": [contact], "nextCursor": None, "hasMore": False}, "ContactPage")


def _seed(sandbox, http):
    alex = sandbox.create_contact(
        LOC,
        firstName="Alex",
        email="alex@example.com",
        phone="+15145550101",
        address={"line1": "1 Main", "city": "Albany", "region": "NY"},
        tags=["vip"],
    )
    gone = sandbox.create_contact(LOC, email="gone@example.com")
    sandbox.update_contact(LOC, alex["id"], lastName="Martin")
    sandbox.delete_contact(LOC, gone["id"])
    tax = {"name": "NY", "rate": 8.875}
    inv = sandbox.create_invoice(
        LOC,
        contact_id=alex["id"],
        send=True,
        discount={"type": "fixed", "value": "5"},
        items=[{"name": "A", "quantity": 2, "unitPrice": "50.00", "taxes": [tax]}],
    )
    sandbox.update_invoice(LOC, inv["id"], memo="edited")
    sandbox.record_payment(
        LOC, contact_id=alex["id"], source_type="invoice", invoice_id=inv["id"], amount="10.00"
    )
    sandbox.record_payment(LOC, contact_id=alex["id"], source_type="invoice", invoice_id=inv["id"])
    other = sandbox.create_invoice(
        LOC, contact_id=alex["id"], send=True, items=[{"name": "B", "quantity": 1, "unitPrice": "20.00"}]
    )
    sandbox.void_invoice(LOC, other["id"])
    sandbox.create_invoice(
        LOC, contact_id=alex["id"], items=[{"name": "Draft", "quantity": 1, "unitPrice": "1"}]
    )
    pay = sandbox.record_payment(
        LOC,
        contact_id=alex["id"],
        source_type="order_form",
        fee="1.00",
        items=[{"name": "C", "quantity": 1, "unitPrice": "30.00", "taxes": [tax]}],
    )
    sandbox.refund_payment(LOC, pay["id"], "5.00", reason="damaged")
    sandbox.record_payment(
        LOC,
        contact_id=alex["id"],
        source_type="checkout",
        status="failed",
        items=[{"name": "D", "quantity": 1, "unitPrice": "9.99"}],
    )
    imported = http.post(
        "/invoices",
        json={
            "number": "QB-1",
            "status": "partially_paid",
            "amountPaid": "1.00",
            "issueDate": "2025-01-01",
            "currency": "USD",
            "contactId": alex["id"],
            "items": [{"name": "E", "quantity": 1, "unitPrice": "9.00"}],
        },
    )
    assert imported.status_code == 201, imported.text
    review = http.post("/reviews/requests", json={"contactId": alex["id"], "channel": "sms"})
    assert review.status_code == 202
    # payouts in every status: paid (payments, a refund, a dispute), failed, in transit, pending
    paid = sandbox.create_payout(
        LOC, adjustments=[{"amount": "-15.00", "fee": "15.00", "kind": "dispute", "description": "Dispute lost"}]
    )
    sandbox.set_payout_status(LOC, paid["id"], "in_transit")
    sandbox.set_payout_status(LOC, paid["id"], "paid")
    failed = sandbox.create_payout(LOC, adjustments=[{"amount": "3.00", "kind": "reserve"}], bank_account_last4=None)
    sandbox.set_payout_status(LOC, failed["id"], "failed")
    moving = sandbox.create_payout(LOC, adjustments=[{"amount": "1.00"}], status="in_transit")
    sandbox.record_payment(
        LOC, contact_id=alex["id"], source_type="checkout", fee={"amount": "0.59", "description": "Stripe fee"},
        items=[{"name": "F", "quantity": 1, "unitPrice": "10.00"}],
    )
    sandbox.create_payout(LOC)
    patched = http.patch(f"/payouts/{moving['id']}", json={"externalRefs": {"qbo.transfer_id": "77"}})
    assert patched.status_code == 200, patched.text


def test_every_answer_matches_the_spec(croco_sandbox, croco_http, croco_spec_validator):
    _seed(croco_sandbox, croco_http)
    check = croco_spec_validator.response

    def get(path, spec_path, params=None):
        resp = croco_http.get(path, params=params)
        assert resp.status_code == 200, resp.text
        check(resp.json(), spec_path, "get", 200)
        return resp.json()

    get("/me", "/me")
    contacts = get("/contacts", "/contacts", {"includeDeleted": "true", "limit": 1})
    assert contacts["hasMore"] and contacts["nextCursor"]
    for contact in get("/contacts", "/contacts", {"includeDeleted": "true"})["data"]:
        get(f"/contacts/{contact['id']}", "/contacts/{contactId}")
    get("/contacts/search", "/contacts/search", {"email": "alex@example.com"})
    invoices = get("/invoices", "/invoices")["data"]
    assert {i["status"] for i in invoices} == {"draft", "paid", "void", "partially_paid"}
    for inv in invoices:
        get(f"/invoices/{inv['id']}", "/invoices/{invoiceId}")
    payments = get("/payments", "/payments")["data"]
    assert {p["status"] for p in payments} == {"succeeded", "partially_refunded", "failed"}
    for pay in payments:
        get(f"/payments/{pay['id']}", "/payments/{paymentId}")
    payouts = get("/payouts", "/payouts")["data"]
    assert {p["status"] for p in payouts} == {"pending", "in_transit", "paid", "failed"}
    assert {i["type"] for p in payouts for i in p["items"]} == {"payment", "refund", "adjustment"}
    for payout in payouts:
        get(f"/payouts/{payout['id']}", "/payouts/{payoutId}")
    get("/payouts", "/payouts", {"status": "paid,failed", "limit": 1})
    patched = croco_http.patch(f"/payouts/{payouts[0]['id']}", json={"externalRefs": {"qbo.transfer_id": "1"}})
    assert patched.status_code == 200
    check(patched.json(), "/payouts/{payoutId}", "patch", 200)
    get("/events/head", "/events/head")
    events = get("/events", "/events", {"after": "0", "limit": 500})["data"]
    assert set(EVENT_TYPES) - {e["type"] for e in events} == set()  # every event type is produced
    waited = get("/events", "/events", {"after": events[-1]["cursor"], "wait": "1"})
    assert waited == {"data": [], "nextCursor": events[-1]["cursor"], "hasMore": False}
    for event in events:
        croco_spec_validator(event["data"], {
            "contact": "Contact", "invoice": "Invoice", "payment": "Payment", "payout": "Payout",
            "review_request": "ReviewRequest",
        }[event["resourceType"]])
    get("/integrations/quickbooks/oauth-config", "/integrations/quickbooks/oauth-config")
    for review in croco_sandbox.review_requests(LOC):
        croco_spec_validator(review, "ReviewRequest")


def test_every_event_type_is_in_the_spec_enum(croco_spec):
    assert list(EVENT_TYPES) == croco_spec["components"]["schemas"]["EventType"]["enum"]


def test_unknown_enum_fault_breaks_the_schema(croco_sandbox, croco_http, croco_spec_validator):
    _seed(croco_sandbox, croco_http)
    for path, schema in (
        ("/invoices", "InvoicePage"),
        ("/payments", "PaymentPage"),
        ("/payouts", "PayoutPage"),
        ("/events?after=0", "EventPage"),
    ):
        croco_sandbox.inject("unknown_enum", path_contains=path.split("?")[0])
        body = croco_http.get(path).json()
        with pytest.raises(AssertionError):
            croco_spec_validator(body, schema)
