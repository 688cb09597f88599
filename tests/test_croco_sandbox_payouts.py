"""CrocoClick sandbox: payouts (`GET /payouts`, `GET/PATCH /payouts/{payoutId}`, `payout.*` events)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crocoqb_desktop.sandbox.croco_validation import CrocoError
from tests.plugins.croco_sandbox_fixtures import CROCO_LOCATION, CrocoHttp

LOC = CROCO_LOCATION
ITEM = [{"name": "Workshop", "quantity": 1, "unitPrice": "100.00"}]


def _card(sandbox, contact_id, fee="3.20", **kw):
    return sandbox.record_payment(LOC, contact_id=contact_id, source_type="order_form", items=ITEM, fee=fee, **kw)


def _events_after(http, cursor):
    return http.get("/events", params={"after": cursor}).json()["data"]


def test_a_payout_settles_payments_refunds_and_adjustments(croco_sandbox, croco_http):
    alex = croco_sandbox.create_contact(LOC, email="alex@example.com")["id"]
    p1 = _card(croco_sandbox, alex)
    p2 = _card(croco_sandbox, alex, fee="2.00")
    croco_sandbox.refund_payment(LOC, p2["id"], "40.00", fee_returned="0.80")
    croco_sandbox.refund_payment(LOC, p2["id"], "10.00")
    # never in a payout: a cash payment, a failed card payment, a test-mode payment, another processor
    croco_sandbox.record_payment(LOC, contact_id=alex, source_type="manual", items=ITEM)
    _card(croco_sandbox, alex, status="failed")
    _card(croco_sandbox, alex, mode="test")
    _card(croco_sandbox, alex, method={"type": "card", "brand": "visa", "last4": "1111", "provider": "square"})
    head = croco_http.get("/events/head").json()["cursor"]

    created = croco_http.post(
        f"/_sandbox/{LOC}/payouts",
        json={"adjustments": [{"amount": "-115.00", "fee": "15.00", "kind": "dispute", "description": "Dispute lost"}]},
    )
    assert created.status_code == 201, created.text
    payout = created.json()
    assert payout["status"] == "pending" and payout["provider"] == "stripe" and payout["currency"] == "USD"
    assert [(i["type"], i["paymentId"], i["gross"], i["fee"], i["net"]) for i in payout["items"]] == [
        ("payment", p1["id"], "100.00", "3.20", "96.80"),
        ("payment", p2["id"], "100.00", "2.00", "98.00"),
        ("refund", p2["id"], "-40.00", "-0.80", "-39.20"),
        ("refund", p2["id"], "-10.00", "0.00", "-10.00"),
        ("adjustment", None, "-115.00", "15.00", "-115.00"),
    ]
    assert payout["items"][-1]["description"] == "Dispute lost"
    assert payout["amount"] == str(sum(Decimal(i["net"]) for i in payout["items"])) == "30.60"
    # the items of one payment add up to the payment's net (amount - fee - refunds + feeReturned)
    p2_now = croco_sandbox.payment(LOC, p2["id"])
    assert p2_now["net"] == str(sum(Decimal(i["net"]) for i in payout["items"] if i["paymentId"] == p2["id"]))
    assert _events_after(croco_http, head) == []  # a pending payout emits no event
    assert croco_http.get(f"/payouts/{payout['id']}").json() == payout

    # the same movements are never settled twice; a later refund goes in the next payout
    croco_sandbox.refund_payment(LOC, p1["id"], "5.00")
    nxt = croco_sandbox.create_payout(LOC)
    assert [(i["type"], i["net"]) for i in nxt["items"]] == [("refund", "-5.00")] and nxt["amount"] == "-5.00"
    with pytest.raises(CrocoError) as nothing:
        croco_sandbox.create_payout(LOC)
    assert nothing.value.status == 422
    square = croco_sandbox.create_payout(LOC, provider="square", bank_account_last4="4321")
    assert square["amount"] == "96.80" and square["bankAccountLast4"] == "4321"


def test_status_changes_and_payout_events(croco_sandbox, croco_http, croco_spec_validator):
    alex = croco_sandbox.create_contact(LOC, email="alex@example.com")["id"]
    _card(croco_sandbox, alex)
    payout = croco_sandbox.create_payout(LOC, arrival_date="2030-01-03")
    head = croco_http.get("/events/head").json()["cursor"]
    moved = croco_http.post(f"/_sandbox/{LOC}/payouts/{payout['id']}/status", json={"status": "in_transit"})
    assert moved.status_code == 200 and moved.json()["status"] == "in_transit"
    assert _events_after(croco_http, head) == []  # in transit: no event either
    paid = croco_sandbox.set_payout_status(LOC, payout["id"], "paid", arrival_date="2030-01-02")
    events = _events_after(croco_http, head)
    assert len(events) == 1
    event = events[0]
    croco_spec_validator(event, "Event")
    assert (event["type"], event["resourceType"], event["resourceId"]) == ("payout.paid", "payout", payout["id"])
    assert event["actor"] == {"type": "system", "id": None} and "refundId" not in event
    assert event["data"] == paid == croco_http.get(f"/payouts/{payout['id']}").json()
    assert paid["status"] == "paid" and paid["arrivalDate"] == "2030-01-02"
    assert event["occurredAt"] == paid["updatedAt"]
    # paid is final
    again = croco_http.post(f"/_sandbox/{LOC}/payouts/{payout['id']}/status", json={"status": "failed"})
    assert again.status_code == 422 and again.json()["error"]["details"][0]["issue"] == "invalid_transition"


def test_a_failed_payout_returns_its_balance(croco_sandbox, croco_http):
    alex = croco_sandbox.create_contact(LOC, email="alex@example.com")["id"]
    pay = _card(croco_sandbox, alex)
    first = croco_sandbox.create_payout(LOC)
    head = croco_http.get("/events/head").json()["cursor"]
    failed = croco_sandbox.set_payout_status(LOC, first["id"], "failed")
    [event] = _events_after(croco_http, head)
    assert event["type"] == "payout.failed" and event["data"] == failed and failed["status"] == "failed"
    retry = croco_sandbox.create_payout(LOC)
    assert [i["paymentId"] for i in retry["items"]] == [pay["id"]] and retry["amount"] == first["amount"]


def test_listing_paging_filter_and_patch(croco_sandbox, croco_http, croco_spec_validator):
    alex = croco_sandbox.create_contact(LOC, email="alex@example.com")["id"]
    ids = []
    for _ in range(3):
        _card(croco_sandbox, alex)
        ids.append(croco_sandbox.create_payout(LOC)["id"])
    croco_sandbox.set_payout_status(LOC, ids[0], "paid")  # now the most recently updated
    seen, params = [], {"limit": 2}
    while True:
        page = croco_http.get("/payouts", params=params)
        assert page.status_code == 200
        croco_spec_validator.response(page.json(), "/payouts", "get", 200)
        seen += [p["id"] for p in page.json()["data"]]
        if not page.json()["hasMore"]:
            break
        params = {"limit": 2, "cursor": page.json()["nextCursor"]}
    assert seen == [ids[1], ids[2], ids[0]]
    assert [p["id"] for p in croco_http.get("/payouts", params={"status": "pending"}).json()["data"]] == ids[1:]
    assert [p["id"] for p in croco_http.get("/payouts", params={"status": "paid,failed"}).json()["data"]] == ids[:1]
    assert croco_http.get("/payouts", params={"status": "lost"}).status_code == 400
    assert croco_http.get("/payouts", params={"provider": "stripe"}).status_code == 400  # not a filter
    since = croco_sandbox.payout(LOC, ids[0])["updatedAt"]
    assert [p["id"] for p in croco_http.get("/payouts", params={"updatedSince": since}).json()["data"]] == ids[:1]

    head = croco_http.get("/events/head").json()["cursor"]
    before = croco_sandbox.payout(LOC, ids[1])
    patched = croco_http.patch(f"/payouts/{ids[1]}", json={"externalRefs": {"qbo.transfer_id": "145"}})
    assert patched.status_code == 200
    croco_spec_validator.response(patched.json(), "/payouts/{payoutId}", "patch", 200)
    assert patched.json()["externalRefs"] == {"qbo.transfer_id": "145"}
    assert patched.json()["updatedAt"] > before["updatedAt"]
    assert {k: v for k, v in patched.json().items() if k not in ("externalRefs", "updatedAt")} == {
        k: v for k, v in before.items() if k not in ("externalRefs", "updatedAt")
    }
    assert _events_after(croco_http, head) == []  # externalRefs only: no event
    cleared = croco_http.patch(f"/payouts/{ids[1]}", json={"externalRefs": {"qbo.transfer_id": None}})
    assert cleared.json()["externalRefs"] == {}
    assert croco_http.patch(f"/payouts/{ids[1]}", json={"status": "paid"}).status_code == 400
    missing = croco_http.get("/payouts/po_missing")
    assert missing.status_code == 404
    croco_spec_validator.response(missing.json(), "/payouts/{payoutId}", "get", 404)


def test_payouts_need_the_payments_permissions(croco_sandbox):
    croco_sandbox.set_permissions(LOC, ["payments.read"])
    http = CrocoHttp(croco_sandbox)
    assert http.get("/payouts").status_code == 200
    assert http.patch("/payouts/po_x", json={"externalRefs": {}}).status_code == 403
    croco_sandbox.set_permissions(LOC, ["events.read"])
    assert http.get("/payouts").status_code == 403


def test_canadian_payouts_are_in_cad(croco_sandbox_ca):
    contact = croco_sandbox_ca.create_contact("loc_ca", email="marie@example.ca")["id"]
    croco_sandbox_ca.record_payment("loc_ca", contact_id=contact, source_type="checkout", items=ITEM, fee="2.50")
    payout = croco_sandbox_ca.create_payout("loc_ca")
    assert payout["currency"] == "CAD" and payout["amount"] == "97.50"


def test_admin_payout_input_errors(croco_sandbox, croco_http):
    alex = croco_sandbox.create_contact(LOC, email="alex@example.com")["id"]
    _card(croco_sandbox, alex)
    base = f"/_sandbox/{LOC}/payouts"
    assert croco_http.post(base, json={"arrivalDate": "2030-13-01"}).status_code == 400
    assert croco_http.post(base, json={"bankAccountLast4": "12a4"}).status_code == 400
    assert croco_http.post(base, json={"adjustments": [{"amount": 5}]}).status_code == 422
    assert croco_http.post(base, json={"adjustments": [{"amount": "-1.00", "kind": "bonus"}]}).status_code == 400
    assert croco_http.post(base, json={"status": "paid"}).status_code == 400  # paid comes later
    assert croco_http.post(base, json={"color": "red"}).status_code == 400
    assert croco_sandbox.payouts(LOC) == []  # nothing half-made
    payout = croco_http.post(base, json={}).json()
    status = f"{base}/{payout['id']}/status"
    assert croco_http.post(status, json={}).status_code == 400
    assert croco_http.post(status, json={"status": "lost"}).status_code == 400
    assert croco_http.post(status, json={"status": "pending"}).status_code == 422
    assert croco_http.post(f"{base}/po_missing/status", json={"status": "paid"}).status_code == 404
