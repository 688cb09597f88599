"""CrocoClick sandbox: payments (sources, invoice payments, failures, refunds, filters, externalRefs)."""

from __future__ import annotations

import pytest

from crocoqb_desktop.sandbox.croco_server import CrocoError
from tests.plugins.croco_sandbox_fixtures import CROCO_LOCATION

LOC = CROCO_LOCATION
ITEMS = [
    {
        "name": "Spring workshop",
        "quantity": 2,
        "unitPrice": "45.00",
        "productId": "prd_1",
        "taxes": [{"name": "NY", "rate": 8.875}],
    }
]


@pytest.fixture
def contact(croco_sandbox):
    return croco_sandbox.create_contact(LOC, firstName="Pat", email="pat@example.com", phone="+15145550123")


def test_order_form_payment(croco_sandbox, croco_http, croco_spec_validator, contact):
    start = len(croco_sandbox.events(LOC))
    pay = croco_sandbox.record_payment(
        LOC,
        contact_id=contact["id"],
        source_type="order_form",
        items=ITEMS,
        discount={"type": "percentage", "value": "10", "code": "SPRING"},
        source_name="Spring workshop funnel",
        fee={"amount": "2.93", "description": "Stripe fee"},
    )
    got = croco_http.get(f"/payments/{pay['id']}")
    assert got.status_code == 200
    croco_spec_validator.response(got.json(), "/payments/{paymentId}", "get", 200)
    p = got.json()
    # 90.00 - 9.00 discount = 81.00; tax 8.875 % of 81.00 = 7.18875 -> 7.19
    assert p["totals"] == {"subtotal": "90.00", "discountTotal": "9.00", "taxTotal": "7.19", "total": "88.19"}
    assert p["amount"] == "88.19" and p["net"] == "85.26" and p["fee"]["amount"] == "2.93"
    assert p["lineItems"][0]["lineSubtotal"] == "90.00" and p["lineItems"][0]["taxes"][0]["amount"] == "7.19"
    assert p["status"] == "succeeded" and p["paidAt"] and p["orderId"] and p["invoiceId"] is None
    assert p["paymentMethod"] == {"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"}
    events = croco_sandbox.events(LOC)[start:]
    assert [e["type"] for e in events] == ["payment.succeeded"]
    assert events[0]["actor"] == {"type": "customer", "id": contact["id"]}


def test_sources_and_actors(croco_sandbox, contact):
    sub = croco_sandbox.record_payment(LOC, contact_id=contact["id"], source_type="subscription", items=ITEMS)
    assert sub["subscriptionId"] and croco_sandbox.events(LOC)[-1]["actor"] == {"type": "system", "id": None}
    manual = croco_sandbox.record_payment(
        LOC, contact_id=contact["id"], source_type="manual", items=ITEMS, method={"type": "cheque"}
    )
    assert manual["paymentMethod"]["type"] == "cheque"
    assert croco_sandbox.events(LOC)[-1]["actor"]["type"] == "user"
    with pytest.raises(CrocoError):
        croco_sandbox.record_payment(LOC, contact_id=contact["id"], source_type="barter", items=ITEMS)
    with pytest.raises(CrocoError):
        croco_sandbox.record_payment(
            LOC, contact_id=contact["id"], source_type="checkout", items=ITEMS, amount="1.00"
        )


def test_invoice_payments_update_the_invoice(croco_sandbox, croco_http, contact):
    inv = croco_sandbox.create_invoice(
        LOC,
        contact_id=contact["id"],
        send=True,
        items=[{"name": "Retainer", "quantity": 1, "unitPrice": "300.00"}],
    )
    start = len(croco_sandbox.events(LOC))
    p1 = croco_sandbox.record_payment(
        LOC, contact_id=contact["id"], source_type="invoice", invoice_id=inv["id"], amount="100.00"
    )
    assert p1["lineItems"] == [] and p1["invoiceId"] == inv["id"] and p1["currency"] == "USD"
    assert p1["totals"] == {
        "subtotal": "100.00",
        "discountTotal": "0.00",
        "taxTotal": "0.00",
        "total": "100.00",
    }
    mid = croco_http.get(f"/invoices/{inv['id']}").json()
    assert (mid["status"], mid["amountPaid"], mid["amountDue"], mid["paymentIds"]) == (
        "partially_paid",
        "100.00",
        "200.00",
        [p1["id"]],
    )
    with pytest.raises(CrocoError):  # more than the amount due
        croco_sandbox.record_payment(
            LOC, contact_id=contact["id"], source_type="invoice", invoice_id=inv["id"], amount="250.00"
        )
    p2 = croco_sandbox.record_payment(
        LOC, contact_id=contact["id"], source_type="invoice", invoice_id=inv["id"]
    )
    assert p2["amount"] == "200.00"
    done = croco_http.get(f"/invoices/{inv['id']}").json()
    assert (done["status"], done["amountDue"], done["paidAt"]) == ("paid", "0.00", p2["paidAt"])
    events = croco_sandbox.events(LOC)[start:]
    assert [e["type"] for e in events] == [
        "payment.succeeded",
        "invoice.partially_paid",
        "payment.succeeded",
        "invoice.paid",
    ]
    assert events[3]["data"]["status"] == "paid" and events[1]["data"]["amountPaid"] == "100.00"
    listed = croco_http.get("/payments", params={"invoiceId": inv["id"]}).json()["data"]
    assert [p["id"] for p in listed] == [p1["id"], p2["id"]]
    with pytest.raises(CrocoError):  # a paid invoice takes no more payments
        croco_sandbox.record_payment(
            LOC, contact_id=contact["id"], source_type="invoice", invoice_id=inv["id"], amount="1.00"
        )


def test_failed_payment(croco_sandbox, croco_spec_validator, contact):
    inv = croco_sandbox.create_invoice(
        LOC,
        contact_id=contact["id"],
        send=True,
        items=[{"name": "Retainer", "quantity": 1, "unitPrice": "300.00"}],
    )
    pay = croco_sandbox.record_payment(
        LOC, contact_id=contact["id"], source_type="invoice", invoice_id=inv["id"], status="failed"
    )
    croco_spec_validator(pay, "Payment")
    assert pay["status"] == "failed" and pay["paidAt"] is None and pay["failureReason"]
    assert croco_sandbox.events(LOC)[-1]["type"] == "payment.failed"
    assert croco_sandbox.invoice(LOC, inv["id"])["status"] == "sent"


def test_refunds(croco_sandbox, croco_http, croco_spec_validator, contact):
    pay = croco_sandbox.record_payment(
        LOC,
        contact_id=contact["id"],
        source_type="checkout",
        items=[{"name": "Course", "quantity": 1, "unitPrice": "100.00"}],
        fee="3.20",
    )
    assert pay["net"] == "96.80"
    part = croco_sandbox.refund_payment(
        LOC, pay["id"], "40.00", reason="requested_by_customer", fee_returned="1.00"
    )
    assert (part["status"], part["amountRefunded"], part["net"]) == ("partially_refunded", "40.00", "57.80")
    refund_id = part["refunds"][0]["id"]
    event = croco_sandbox.events(LOC)[-1]
    assert event["type"] == "payment.refunded" and event["refundId"] == refund_id
    assert event["data"]["refunds"][0]["reason"] == "requested_by_customer"
    rest = croco_sandbox.refund_payment(LOC, pay["id"], "60.00")
    assert (rest["status"], rest["amountRefunded"]) == ("refunded", "100.00")
    assert croco_sandbox.events(LOC)[-1]["refundId"] == rest["refunds"][1]["id"]
    with pytest.raises(CrocoError):
        croco_sandbox.refund_payment(LOC, pay["id"], "1.00")
    got = croco_http.get(f"/payments/{pay['id']}").json()
    croco_spec_validator(got, "Payment")
    # refunds move the payment to the end of the list again
    assert (
        croco_http.get("/payments", params={"updatedSince": rest["updatedAt"]}).json()["data"][0]["id"]
        == pay["id"]
    )


def test_payment_list_filters(croco_sandbox, croco_http, croco_spec_validator, contact):
    other = croco_sandbox.create_contact(LOC, email="other@example.com")
    live = croco_sandbox.record_payment(LOC, contact_id=contact["id"], source_type="order_form", items=ITEMS)
    test = croco_sandbox.record_payment(
        LOC, contact_id=contact["id"], source_type="calendar", items=ITEMS, mode="test"
    )
    failed = croco_sandbox.record_payment(
        LOC, contact_id=other["id"], source_type="checkout", items=ITEMS, status="failed"
    )

    def ids(**params):
        resp = croco_http.get("/payments", params=params)
        assert resp.status_code == 200, resp.text
        croco_spec_validator.response(resp.json(), "/payments", "get", 200)
        return [p["id"] for p in resp.json()["data"]]

    assert ids() == [live["id"], failed["id"]]  # live only by default
    assert ids(mode="test") == [test["id"]]
    assert ids(status="failed") == [failed["id"]]
    assert ids(sourceType="order_form,checkout") == [live["id"], failed["id"]]
    assert ids(contactId=other["id"]) == [failed["id"]]
    assert croco_http.get("/payments", params={"sourceType": "paypal"}).status_code == 400


def test_payment_external_refs(croco_sandbox, croco_http, croco_spec_validator, contact):
    pay = croco_sandbox.record_payment(LOC, contact_id=contact["id"], source_type="order_form", items=ITEMS)
    start = len(croco_sandbox.events(LOC))
    path = f"/payments/{pay['id']}"
    resp = croco_http.patch(
        path,
        json={"externalRefs": {"quickbooks.sales_receipt_id": "412"}},
        headers={"Idempotency-Key": "pay-refs-0000001"},
    )
    assert resp.status_code == 200
    croco_spec_validator.response(resp.json(), "/payments/{paymentId}", "patch", 200)
    assert resp.json()["externalRefs"] == {"quickbooks.sales_receipt_id": "412"}
    assert len(croco_sandbox.events(LOC)) == start  # no event
    assert croco_http.patch(path, json={"externalRefs": {}, "status": "refunded"}).status_code == 400
    missing = croco_http.patch(path, json={})
    assert missing.status_code == 422 and missing.json()["error"]["details"][0]["field"] == "externalRefs"
    assert croco_http.patch(path, json={"externalRefs": {"bad key": "1"}}).status_code == 422
    assert croco_http.get("/payments/pay_missing").status_code == 404
    assert croco_http.patch("/payments/pay_missing", json={"externalRefs": {}}).status_code == 404
