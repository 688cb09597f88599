"""CrocoClick sandbox: invoice totals (to the cent), imports, PATCH rules and status transitions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crocoqb_desktop.sandbox.croco_totals import (
    allocate_discount,
    compute_totals,
    line_tax_amounts,
    round_money,
)
from tests.plugins.croco_sandbox_fixtures import CROCO_API_KEY, CROCO_CA_LOCATION, CROCO_LOCATION, CrocoHttp

LOC = CROCO_LOCATION
NY_TAX = {"taxId": "tx_ny", "name": "NY State + NYC", "rate": 8.875}
US_ITEMS = [
    {"name": "Portrait session", "quantity": 3, "unitPrice": "19.99", "taxes": [NY_TAX]},
    {"name": "Print album", "quantity": 1, "unitPrice": "120.50", "taxes": [NY_TAX]},
]


def _types(sandbox, location=LOC, start=0):
    return [e["type"] for e in sandbox.events(location)[start:]]


# pure rules ----------------------------------------------------------------------------------------
def test_totals_two_lines_percent_discount_exclusive_tax():
    result = compute_totals(US_ITEMS, {"type": "percentage", "value": "10"})
    assert [line.line_subtotal for line in result.lines] == [Decimal("59.97"), Decimal("120.50")]
    assert [line.discount_share for line in result.lines] == [Decimal("6.00"), Decimal("12.05")]
    assert [line.tax_amounts for line in result.lines] == [[Decimal("4.79")], [Decimal("9.62")]]
    assert result.as_json() == {
        "subtotal": "180.47",
        "discountTotal": "18.05",
        "taxTotal": "14.41",
        "total": "176.83",
    }


def test_totals_inclusive_tax_with_fixed_discount():
    hst = {"name": "HST ON", "rate": 13, "inclusive": True}
    items = [
        {"name": "A", "quantity": 2, "unitPrice": "56.50", "taxes": [hst]},
        {"name": "B", "quantity": 1, "unitPrice": "33.90", "taxes": [hst]},
    ]
    result = compute_totals(items, {"type": "fixed", "value": "10.00"})
    # shares 769.23 / 230.77 cents -> floors 769 + 230, the missing cent to B (.77 > .23)
    assert [line.discount_share for line in result.lines] == [Decimal("7.69"), Decimal("2.31")]
    # tax contained in 105.31 and 31.59 at 13 %: 12.1153.. -> 12.12, 3.6342.. -> 3.63
    assert [line.tax_amounts for line in result.lines] == [[Decimal("12.12")], [Decimal("3.63")]]
    assert result.as_json() == {
        "subtotal": "146.90",
        "discountTotal": "10.00",
        "taxTotal": "15.75",
        "total": "136.90",
    }


def test_totals_edge_rules():
    assert round_money(Decimal("0.005")) == Decimal("0.01")
    assert round_money(Decimal("-0.005")) == Decimal("-0.01")
    assert str(round_money(Decimal("-0.001"))) == "0.00"
    # unit prices with 4 decimals: 3 x 0.3333 = 0.9999 -> 1.00
    assert compute_totals([{"quantity": 3, "unitPrice": "0.3333"}]).subtotal == Decimal("1.00")
    # fixed discount is capped at the subtotal
    capped = compute_totals([{"quantity": 1, "unitPrice": "50"}], {"type": "fixed", "value": "80"})
    assert (capped.discount_total, capped.total) == (Decimal("50.00"), Decimal("0.00"))
    # ties in the largest remainder go to the earlier line
    assert allocate_discount([Decimal("10")] * 3, Decimal("0.10")) == [
        Decimal("0.04"),
        Decimal("0.03"),
        Decimal("0.03"),
    ]
    # two inclusive taxes (QC: GST 5 % + QST 9.975 %) share one pre-tax base
    assert line_tax_amounts(
        Decimal("114.98"), [{"rate": 5, "inclusive": True}, {"rate": 9.975, "inclusive": True}]
    ) == [Decimal("5.00"), Decimal("9.98")]
    # fractional quantities
    assert compute_totals([{"quantity": 1.5, "unitPrice": "33.33"}]).subtotal == Decimal("50.00")


# invoices over HTTP -------------------------------------------------------------------------------------
def test_user_invoice_totals_to_the_cent(croco_sandbox, croco_http, croco_spec_validator):
    contact = croco_sandbox.create_contact(LOC, firstName="Alex", email="alex@example.com")
    draft = croco_sandbox.create_invoice(
        LOC,
        contact_id=contact["id"],
        items=US_ITEMS,
        discount={"type": "percentage", "value": "10"},
        due_date="2030-01-31",
    )
    assert draft["status"] == "draft" and draft["origin"] == "crococlick" and draft["number"] == "INV-1001"
    assert croco_sandbox.events(LOC)[-1]["type"] == "contact.created"  # drafts emit nothing
    resp = croco_http.get(f"/invoices/{draft['id']}")
    assert resp.status_code == 200 and resp.headers["ETag"] == '"1"'
    inv = resp.json()
    croco_spec_validator.response(inv, "/invoices/{invoiceId}", "get", 200)
    assert [i["lineSubtotal"] for i in inv["items"]] == ["59.97", "120.50"]
    assert [i["taxes"][0]["amount"] for i in inv["items"]] == ["4.79", "9.62"]
    assert (
        inv["items"][0]["taxes"][0]["taxId"] == "tx_ny" and inv["items"][0]["taxes"][0]["inclusive"] is False
    )
    assert inv["totals"] == {
        "subtotal": "180.47",
        "discountTotal": "18.05",
        "taxTotal": "14.41",
        "total": "176.83",
    }
    assert (inv["amountPaid"], inv["amountDue"]) == ("0.00", "176.83")
    assert inv["discount"] == {"type": "percentage", "value": "10", "code": None}
    sent = croco_sandbox.send_invoice(LOC, draft["id"])
    assert sent["status"] == "sent" and sent["sentAt"] and sent["billTo"]["name"] == "Alex"
    event = croco_sandbox.events(LOC)[-1]
    assert event["type"] == "invoice.sent" and event["actor"]["type"] == "user"
    assert event["data"]["totals"]["total"] == "176.83"


def test_inclusive_tax_invoice_ca(croco_sandbox_ca, croco_spec_validator):
    sandbox = croco_sandbox_ca
    contact = sandbox.create_contact(CROCO_CA_LOCATION, companyName="Érable & Fils", email="info@erable.ca")
    hst = {"taxId": "tx_hst_on", "name": "HST ON", "rate": 13, "inclusive": True}
    inv = sandbox.create_invoice(
        CROCO_CA_LOCATION,
        contact_id=contact["id"],
        send=True,
        discount={"type": "fixed", "value": "10.00"},
        items=[
            {"name": "A", "quantity": 2, "unitPrice": "56.50", "taxes": [hst]},
            {"name": "B", "quantity": 1, "unitPrice": "33.90", "taxes": [hst]},
        ],
    )
    got = CrocoHttp(sandbox, location_id=CROCO_CA_LOCATION).get(f"/invoices/{inv['id']}").json()
    croco_spec_validator(got, "Invoice")
    assert got["currency"] == "CAD"
    assert [i["taxes"][0]["amount"] for i in got["items"]] == ["12.12", "3.63"]
    assert got["totals"] == {
        "subtotal": "146.90",
        "discountTotal": "10.00",
        "taxTotal": "15.75",
        "total": "136.90",
    }
    assert got["amountDue"] == "136.90"


def _import_body(contact_id, **overrides):
    body = {
        "number": "1042",
        "status": "sent",
        "issueDate": "2025-02-01",
        "dueDate": "2025-03-03",
        "currency": "USD",
        "contactId": contact_id,
        "items": [
            {
                "name": "Consulting",
                "quantity": 2,
                "unitPrice": "75.00",
                "taxes": [{"name": "NY", "rate": 8.875, "amount": "13.32"}],
            },
            {"name": "Travel", "quantity": 1, "unitPrice": "40.00", "taxes": []},
        ],
        "memo": "Imported from QuickBooks",
        "externalRefs": {"quickbooks.invoice_id": "130"},
    }
    body.update(overrides)
    return body


def test_import_invoice(croco_sandbox, croco_http, croco_spec_validator):
    contact = croco_sandbox.create_contact(LOC, email="client@example.com")
    start = len(croco_sandbox.events(LOC))
    resp = croco_http.post(
        "/invoices",
        json=_import_body(contact["id"], expectedTotal="203.32"),
        headers={"Idempotency-Key": "import-qbo-130-xyz"},
    )
    assert resp.status_code == 201, resp.text
    inv = resp.json()
    croco_spec_validator.response(inv, "/invoices", "post", 201)
    assert inv["origin"] == "import" and inv["status"] == "sent" and inv["number"] == "1042"
    # the supplied tax amount is kept (computed would be 13.31)
    assert inv["items"][0]["taxes"][0]["amount"] == "13.32"
    assert inv["totals"] == {
        "subtotal": "190.00",
        "discountTotal": "0.00",
        "taxTotal": "13.32",
        "total": "203.32",
    }
    assert inv["externalRefs"] == {"quickbooks.invoice_id": "130"}
    events = croco_sandbox.events(LOC)[start:]
    assert [e["type"] for e in events] == ["invoice.sent"]
    assert events[0]["actor"] == {"type": "api_key", "id": croco_sandbox.api_key_id(CROCO_API_KEY)}
    # a missing tax amount is computed
    other = croco_http.post(
        "/invoices",
        json=_import_body(
            contact["id"],
            number="1043",
            items=[
                {"name": "X", "quantity": 1, "unitPrice": "100.00", "taxes": [{"name": "NY", "rate": 8.875}]}
            ],
        ),
    ).json()
    assert other["items"][0]["taxes"][0]["amount"] == "8.88"
    # listing by origin
    listed = croco_http.get("/invoices", params={"origin": "import"}).json()["data"]
    assert [i["number"] for i in listed] == ["1042", "1043"]


def test_import_paid_invoices(croco_sandbox, croco_http):
    contact = croco_sandbox.create_contact(LOC, email="client@example.com")
    paid = croco_http.post("/invoices", json=_import_body(contact["id"], status="paid", amountPaid="203.32"))
    assert paid.status_code == 201, paid.text
    assert (paid.json()["status"], paid.json()["amountDue"]) == ("paid", "0.00")
    assert paid.json()["paidAt"]
    part = croco_http.post(
        "/invoices",
        json=_import_body(contact["id"], number="1044", status="partially_paid", amountPaid="100.00"),
    ).json()
    assert (part["status"], part["amountDue"]) == ("partially_paid", "103.32")
    void = croco_http.post("/invoices", json=_import_body(contact["id"], number="1045", status="void")).json()
    assert void["status"] == "void" and void["voidedAt"]


@pytest.mark.parametrize(
    "overrides,status,code,field",
    [
        ({"expectedTotal": "203.34"}, 422, "total_mismatch", "expectedTotal"),
        ({"status": "paid"}, 422, "validation_failed", "amountPaid"),
        ({"status": "partially_paid"}, 422, "validation_failed", "amountPaid"),
        ({"status": "paid", "amountPaid": "10.00"}, 422, "validation_failed", "amountPaid"),
        ({"status": "draft"}, 422, "validation_failed", "status"),
        ({"currency": "usd"}, 422, "validation_failed", "currency"),
        ({"issueDate": "2025-02-30"}, 422, "validation_failed", "issueDate"),
        ({"number": "N" * 41}, 422, "validation_failed", "number"),
        ({"items": []}, 422, "validation_failed", "items"),
        (
            {"items": [{"name": "X", "quantity": 1, "unitPrice": "1.00"}] * 251},
            422,
            "validation_failed",
            "items",
        ),
        (
            {"items": [{"name": "X", "quantity": -1, "unitPrice": "1.00"}]},
            422,
            "validation_failed",
            "items[0].quantity",
        ),
        (
            {"items": [{"name": "X", "quantity": 1, "unitPrice": "1.00001"}]},
            422,
            "validation_failed",
            "items[0].unitPrice",
        ),
        (
            {
                "items": [
                    {"name": "X", "quantity": 1, "unitPrice": "1", "taxes": [{"name": "T", "rate": 101}]}
                ]
            },
            422,
            "validation_failed",
            "items[0].taxes[0].rate",
        ),
        ({"discount": {"type": "percentage", "value": "120"}}, 422, "validation_failed", "discount.value"),
        ({"amountPaid": 10}, 422, "validation_failed", "amountPaid"),
        ({"billTo": {}}, 400, "invalid_request", "billTo"),
        ({"contactId": "con_missing"}, 404, "not_found", "contactId"),
    ],
)
def test_import_validation(croco_sandbox, croco_http, croco_spec_validator, overrides, status, code, field):
    contact = croco_sandbox.create_contact(LOC, email="client@example.com")
    resp = croco_http.post("/invoices", json=_import_body(contact["id"], **overrides))
    assert resp.status_code == status, resp.text
    croco_spec_validator.response(resp.json(), "/invoices", "post", status)
    assert resp.json()["error"]["code"] == code
    assert field in [d.get("field") for d in resp.json()["error"]["details"]]


def test_import_total_within_a_cent_and_duplicate_number(croco_sandbox, croco_http):
    contact = croco_sandbox.create_contact(LOC, email="client@example.com")
    first = croco_http.post("/invoices", json=_import_body(contact["id"], expectedTotal="203.33"))
    assert first.status_code == 201
    dup = croco_http.post("/invoices", json=_import_body(contact["id"]))
    assert dup.status_code == 409
    assert dup.json()["error"]["code"] == "duplicate"
    assert dup.json()["error"]["details"][0] == {
        "field": "number",
        "issue": "not_unique",
        "existingId": first.json()["id"],
    }


def test_patch_invoice_rules(croco_sandbox, croco_http, croco_spec_validator):
    contact = croco_sandbox.create_contact(LOC, email="client@example.com")
    inv = croco_sandbox.create_invoice(LOC, contact_id=contact["id"], items=US_ITEMS, send=True)
    path = f"/invoices/{inv['id']}"
    start = len(croco_sandbox.events(LOC))
    # ordinary edit -> invoice.updated with changedFields, actor api_key
    resp = croco_http.patch(
        path, json={"dueDate": "2030-06-30", "memo": "Thanks!"}, headers={"If-Match": '"2"'}
    )
    assert resp.status_code == 200, resp.text
    croco_spec_validator.response(resp.json(), "/invoices/{invoiceId}", "patch", 200)
    assert resp.json()["version"] == 3 and resp.headers["ETag"] == '"3"'
    event = croco_sandbox.events(LOC)[-1]
    assert event["type"] == "invoice.updated" and event["changedFields"] == ["dueDate", "memo"]
    assert event["actor"]["type"] == "api_key"
    stale = croco_http.patch(path, json={"memo": "x"}, headers={"If-Match": '"2"'})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "version_conflict"
    # externalRefs only: no event
    refs = croco_http.patch(path, json={"externalRefs": {"quickbooks.invoice_id": "77"}})
    assert refs.json()["externalRefs"] == {"quickbooks.invoice_id": "77"} and refs.json()["version"] == 4
    assert len(croco_sandbox.events(LOC)) == start + 1
    # items edit recomputes the totals
    items = croco_http.patch(
        path, json={"items": [{"name": "Session", "quantity": 2, "unitPrice": "50.00", "taxes": [NY_TAX]}]}
    ).json()
    assert items["totals"] == {
        "subtotal": "100.00",
        "discountTotal": "0.00",
        "taxTotal": "8.88",
        "total": "108.88",
    }
    assert croco_sandbox.events(LOC)[-1]["changedFields"] == ["amountDue", "items", "totals"]
    # amountPaid is for imported invoices only
    assert croco_http.patch(path, json={"amountPaid": "1.00"}).status_code == 422
    # status: paid/partially_paid cannot be set; unknown fields are 400
    assert croco_http.patch(path, json={"status": "paid"}).status_code == 422
    assert croco_http.patch(path, json={"totals": {}}).status_code == 400
    # duplicate number
    other = croco_sandbox.create_invoice(LOC, contact_id=contact["id"], items=US_ITEMS, number="INV-9")
    clash = croco_http.patch(path, json={"number": "INV-9"})
    assert clash.status_code == 409 and clash.json()["error"]["details"][0]["existingId"] == other["id"]
    # paid -> items/discount locked, memo still editable
    croco_sandbox.record_payment(LOC, contact_id=contact["id"], source_type="invoice", invoice_id=inv["id"])
    locked = croco_http.patch(path, json={"discount": {"type": "fixed", "value": "5"}})
    assert locked.status_code == 422 and locked.json()["error"]["code"] == "invoice_locked"
    croco_spec_validator.response(locked.json(), "/invoices/{invoiceId}", "patch", 422)
    assert croco_http.patch(path, json={"memo": "Paid, thank you"}).status_code == 200
    # void
    voided = croco_http.patch(path, json={"status": "void"})
    assert voided.json()["status"] == "void" and voided.json()["voidedAt"]
    assert croco_sandbox.events(LOC)[-1]["type"] == "invoice.voided"
    assert croco_http.patch(path, json={"items": US_ITEMS}).json()["error"]["code"] == "invoice_locked"
    assert croco_http.patch(path, json={"status": "sent"}).status_code == 422
    assert croco_http.patch("/invoices/inv_missing", json={"memo": "x"}).status_code == 404


def test_api_sends_a_draft(croco_sandbox, croco_http):
    contact = croco_sandbox.create_contact(LOC, firstName="Dee", email="dee@example.com")
    draft = croco_sandbox.create_invoice(LOC, contact_id=contact["id"], items=US_ITEMS)
    start = len(croco_sandbox.events(LOC))
    path = f"/invoices/{draft['id']}"
    assert croco_http.patch(path, json={"memo": "draft memo"}).status_code == 200
    assert len(croco_sandbox.events(LOC)) == start  # drafts never emit events
    sent = croco_http.patch(path, json={"status": "sent", "notify": True}).json()
    assert sent["status"] == "sent" and sent["sentAt"] and sent["billTo"]["name"] == "Dee"
    assert _types(croco_sandbox, start=start) == ["invoice.sent"]
    assert croco_http.patch(path, json={"status": "sent"}).json()["version"] == sent["version"]  # no-op


def test_user_edits_emit_invoice_updated(croco_sandbox):
    contact = croco_sandbox.create_contact(LOC, email="c@example.com")
    inv = croco_sandbox.create_invoice(LOC, contact_id=contact["id"], items=US_ITEMS, send=True, number="A-1")
    updated = croco_sandbox.update_invoice(
        LOC, inv["id"], number="A-2", due_date="2031-01-01", discount={"type": "percentage", "value": "10"}
    )
    assert updated["totals"]["total"] == "176.83"
    event = croco_sandbox.events(LOC)[-1]
    assert event["type"] == "invoice.updated" and event["actor"]["type"] == "user"
    assert event["changedFields"] == ["amountDue", "discount", "dueDate", "items", "number", "totals"]
    voided = croco_sandbox.void_invoice(LOC, inv["id"])
    assert voided["status"] == "void" and croco_sandbox.events(LOC)[-1]["type"] == "invoice.voided"


def test_import_amount_paid_updates(croco_sandbox, croco_http):
    contact = croco_sandbox.create_contact(LOC, email="client@example.com")
    inv = croco_http.post("/invoices", json=_import_body(contact["id"])).json()
    path = f"/invoices/{inv['id']}"
    start = len(croco_sandbox.events(LOC))
    part = croco_http.patch(path, json={"amountPaid": "100.00"}).json()
    assert (part["status"], part["amountDue"]) == ("partially_paid", "103.32")
    full = croco_http.patch(path, json={"amountPaid": "203.32"}).json()
    assert (full["status"], full["amountDue"]) == ("paid", "0.00") and full["paidAt"]
    assert _types(croco_sandbox, start=start) == ["invoice.partially_paid", "invoice.paid"]
    assert croco_http.patch(path, json={"amountPaid": "999.00"}).status_code == 422


def test_list_invoice_filters(croco_sandbox, croco_http, croco_spec_validator):
    a = croco_sandbox.create_contact(LOC, email="a@example.com")
    b = croco_sandbox.create_contact(LOC, email="b@example.com")
    draft = croco_sandbox.create_invoice(LOC, contact_id=a["id"], items=US_ITEMS)
    sent = croco_sandbox.create_invoice(LOC, contact_id=a["id"], items=US_ITEMS, send=True)
    other = croco_sandbox.create_invoice(LOC, contact_id=b["id"], items=US_ITEMS, send=True)
    croco_sandbox.void_invoice(LOC, other["id"])
    page = croco_http.get("/invoices").json()
    croco_spec_validator.response(page, "/invoices", "get", 200)
    assert {i["id"] for i in page["data"]} == {draft["id"], sent["id"], other["id"]}
    ids = [i["id"] for i in croco_http.get("/invoices", params={"status": "sent,void"}).json()["data"]]
    assert ids == [sent["id"], other["id"]]
    ids = [i["id"] for i in croco_http.get("/invoices", params={"contactId": a["id"]}).json()["data"]]
    assert ids == [draft["id"], sent["id"]]
    assert (
        croco_http.get("/invoices", params={"origin": "crococlick", "status": "draft"}).json()["data"][0][
            "id"
        ]
        == draft["id"]
    )
    assert croco_http.get("/invoices", params={"origin": "qbo"}).status_code == 400
