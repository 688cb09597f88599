"""CrocoClick sandbox: auth, errors, rate limits, query checks, fault injection, request log, admin routes."""

from __future__ import annotations

import json
import time

import pytest
import requests

from tests.plugins.croco_sandbox_fixtures import (
    CROCO_API_KEY,
    CROCO_LOCATION,
    CrocoHttp,
)

RATE_HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-RateLimit-Daily-Remaining",
)


def _error(resp: requests.Response, status: int, code: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    assert body["error"]["code"] == code
    assert body["error"]["requestId"] == resp.headers["X-Request-Id"]
    return body


def test_me_describes_the_location(croco_http, croco_spec_validator):
    resp = croco_http.get("/me")
    assert resp.status_code == 200
    croco_spec_validator.response(resp.json(), "/me", "get", 200)
    me = resp.json()
    assert me["locationId"] == CROCO_LOCATION
    assert me["locationName"] == "Atelier Lumière"
    assert (me["country"], me["currency"], me["timezone"]) == ("US", "USD", "America/New_York")
    assert me["allowDuplicateEmails"] is False
    assert "events.read" in me["permissions"]
    assert resp.headers["X-Request-Id"].startswith("req_")


def test_ca_fixture(croco_sandbox_ca):
    http = CrocoHttp(croco_sandbox_ca, location_id="loc_ca")
    me = http.get("/me").json()
    assert (me["locationId"], me["country"], me["currency"]) == ("loc_ca", "CA", "CAD")


def test_auth_failures(croco_sandbox, croco_spec_validator):
    url = croco_sandbox.url + "/me"
    no_key = requests.get(url, headers={"X-Location-Id": CROCO_LOCATION})
    croco_spec_validator.response(_error(no_key, 401, "unauthenticated"), "/me", "get", 401)
    bad_key = requests.get(
        url, headers={"Authorization": "Bearer ck_test_nope", "X-Location-Id": CROCO_LOCATION}
    )
    _error(bad_key, 401, "unauthenticated")
    not_bearer = requests.get(
        url, headers={"Authorization": f"Basic {CROCO_API_KEY}", "X-Location-Id": CROCO_LOCATION}
    )
    _error(not_bearer, 401, "unauthenticated")

    croco_sandbox.add_location("loc_other", name="Other")
    other = requests.get(
        url, headers={"Authorization": f"Bearer {CROCO_API_KEY}", "X-Location-Id": "loc_other"}
    )
    croco_spec_validator.response(_error(other, 403, "forbidden"), "/me", "get", 403)
    unknown = requests.get(
        url, headers={"Authorization": f"Bearer {CROCO_API_KEY}", "X-Location-Id": "loc_zzz"}
    )
    _error(unknown, 403, "forbidden")
    missing = requests.get(url, headers={"Authorization": f"Bearer {CROCO_API_KEY}"})
    _error(missing, 400, "invalid_request")

    croco_sandbox.revoke_api_key(CROCO_API_KEY)
    revoked = requests.get(
        url, headers={"Authorization": f"Bearer {CROCO_API_KEY}", "X-Location-Id": CROCO_LOCATION}
    )
    _error(revoked, 401, "unauthenticated")


def test_one_key_several_locations(croco_sandbox):
    croco_sandbox.add_location(
        "loc_b", name="Second shop", currency="EUR", country="FR", timezone="Europe/Paris"
    )
    croco_sandbox.add_api_key(CROCO_API_KEY, ["loc_b"])
    http = CrocoHttp(croco_sandbox, location_id="loc_b")
    assert http.get("/me").json()["currency"] == "EUR"


def test_missing_permission_is_403(croco_sandbox):
    croco_sandbox.add_location("loc_ro", name="Read only", permissions=["contacts.read"])
    croco_sandbox.add_api_key(CROCO_API_KEY, ["loc_ro"])
    http = CrocoHttp(croco_sandbox, location_id="loc_ro")
    assert http.get("/contacts").status_code == 200
    body = _error(http.post("/contacts", json={"email": "a@example.com"}), 403, "forbidden")
    assert "contacts.write" in body["error"]["message"]
    _error(http.get("/events", params={"after": "0"}), 403, "forbidden")
    assert http.get("/me").status_code == 200  # no permission needed


def test_rate_limit_headers_on_every_response(croco_http):
    for resp in (
        croco_http.get("/me"),
        croco_http.get("/contacts/con_missing"),
        croco_http.get("/contacts", params={"limit": "0"}),
        croco_http.post("/contacts", json={"x": 1}),
    ):
        for name in RATE_HEADERS:
            assert resp.headers[name].isdigit(), (resp.status_code, name)
        assert resp.headers["X-RateLimit-Limit"] == "100"
    remaining = [int(croco_http.get("/me").headers["X-RateLimit-Remaining"]) for _ in range(3)]
    assert remaining == sorted(remaining, reverse=True) and remaining[0] - remaining[2] == 2


def test_burst_limit_429_with_retry_after(croco_sandbox_factory, croco_spec_validator):
    sandbox = croco_sandbox_factory(time_scale=10.0)  # the 10 s window lasts 1 s
    http = CrocoHttp(sandbox)
    statuses = [http.get("/me").status_code for _ in range(100)]
    assert statuses == [200] * 100
    limited = http.get("/me")
    body = _error(limited, 429, "rate_limited")
    croco_spec_validator.response(body, "/me", "get", 429)
    assert limited.headers["Retry-After"] == "1"  # ceil of the compressed (<= 1 s) wait, at least 1
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    time.sleep(int(limited.headers["Retry-After"]))
    assert http.get("/me").status_code == 200


def test_retry_after_is_real_seconds_at_scale_1(croco_sandbox):
    http = CrocoHttp(croco_sandbox)
    for _ in range(100):
        http.get("/me")
    limited = http.get("/me")
    assert limited.status_code == 429
    assert 9 <= int(limited.headers["Retry-After"]) <= 10
    # another key+location has its own budget
    croco_sandbox.add_api_key("ck_test_other_key_0002", [CROCO_LOCATION])
    assert CrocoHttp(croco_sandbox, api_key="ck_test_other_key_0002").get("/me").status_code == 200


def test_daily_limit(croco_sandbox_factory):
    sandbox = croco_sandbox_factory()
    sandbox.daily_limit = 3  # before the first request of the bucket
    http = CrocoHttp(sandbox)
    daily = [http.get("/me").headers["X-RateLimit-Daily-Remaining"] for _ in range(3)]
    assert daily == ["2", "1", "0"]
    limited = http.get("/me")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


def test_unknown_route_and_method(croco_http):
    body = _error(croco_http.get("/nothing/here"), 404, "not_found")
    assert body["error"]["message"]
    _error(croco_http.request("DELETE", "/contacts"), 405, "invalid_request")


def test_v1_prefix_is_accepted(croco_http):
    assert croco_http.get("/v1/me").json()["locationId"] == CROCO_LOCATION


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "201"},
        {"limit": "abc"},
        {"foo": "1"},
        {"updatedSince": "yesterday"},
        {"includeDeleted": "yes"},
        {"cursor": "!!"},
    ],
)
def test_list_query_validation(croco_http, croco_spec_validator, params):
    body = _error(croco_http.get("/contacts", params=params), 400, "invalid_request")
    croco_spec_validator.response(body, "/contacts", "get", 400)
    assert body["error"]["details"][0]["field"] in params


def test_unknown_query_parameter_on_any_route(croco_http):
    _error(croco_http.get("/me", params={"verbose": "1"}), 400, "invalid_request")
    _error(croco_http.get("/payments", params={"status": "succeeded", "page": "2"}), 400, "invalid_request")
    _error(croco_http.get("/invoices", params={"status": "disputed"}), 400, "invalid_request")
    _error(croco_http.get("/payments", params={"mode": "sandbox"}), 400, "invalid_request")


def test_default_and_max_limit(croco_sandbox, croco_http):
    for i in range(60):
        croco_sandbox.create_contact(CROCO_LOCATION, phone=f"+1555000{i:04d}")
    page = croco_http.get("/contacts").json()
    assert len(page["data"]) == 50 and page["hasMore"] is True and page["nextCursor"]
    page = croco_http.get("/contacts", params={"limit": 200}).json()
    assert len(page["data"]) == 60 and page["hasMore"] is False and page["nextCursor"] is None


# fault injection -------------------------------------------------------------------------------------
def test_inject_429_and_500(croco_sandbox, croco_http):
    croco_sandbox.inject("429")
    limited = croco_http.get("/me")
    _error(limited, 429, "rate_limited")
    assert limited.headers["Retry-After"] == "1" and limited.headers["X-RateLimit-Remaining"] == "0"
    assert croco_http.get("/me").status_code == 200  # count 1 consumed

    croco_sandbox.inject("500", count=2)
    _error(croco_http.get("/me"), 500, "internal")
    _error(croco_http.get("/contacts"), 500, "internal")
    assert croco_http.get("/me").status_code == 200


def test_inject_path_filter(croco_sandbox, croco_http):
    croco_sandbox.inject("500", path_contains="/invoices")
    assert croco_http.get("/contacts").status_code == 200
    assert croco_http.get("/invoices").status_code == 500
    assert croco_http.get("/invoices").status_code == 200


def test_inject_malformed_json_and_wrong_content_type(croco_sandbox, croco_http):
    croco_sandbox.inject("malformed_json")
    resp = croco_http.get("/contacts")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/json"
    with pytest.raises(ValueError):
        json.loads(resp.text)
    croco_sandbox.inject("wrong_content_type")
    resp = croco_http.get("/contacts")
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/html")


def test_inject_timeout_still_applies_the_write(croco_sandbox, croco_http):
    croco_sandbox.timeout_delay_s = 0.6
    croco_sandbox.inject("timeout", path_contains="/contacts")
    with pytest.raises(requests.exceptions.ReadTimeout):
        croco_http.post("/contacts", json={"email": "slow@example.com"}, timeout=0.2)
    time.sleep(0.7)
    assert [c["email"] for c in croco_sandbox.contacts(CROCO_LOCATION)] == ["slow@example.com"]


def test_inject_unknown_enum(croco_sandbox, croco_http):
    contact = croco_sandbox.create_contact(CROCO_LOCATION, email="e@example.com")
    croco_sandbox.create_invoice(
        CROCO_LOCATION,
        contact_id=contact["id"],
        send=True,
        items=[{"name": "Session", "quantity": 1, "unitPrice": "50.00"}],
    )
    croco_sandbox.inject("unknown_enum", path_contains="/invoices")
    assert croco_http.get("/invoices").json()["data"][0]["status"] == "disputed"
    assert croco_http.get("/invoices").json()["data"][0]["status"] == "sent"
    croco_sandbox.inject("unknown_enum", path_contains="/events")
    assert croco_http.get("/events", params={"after": "0"}).json()["data"][0]["type"] not in (
        "contact.created",
        "invoice.sent",
    )


def test_inject_rejects_unknown_kind(croco_sandbox):
    with pytest.raises(ValueError):
        croco_sandbox.inject("teapot")


def test_request_log_masks_authorization(croco_sandbox, croco_http):
    croco_http.post("/contacts", json={"email": "log@example.com"}, params=None)
    entry = croco_sandbox.request_log[-1]
    assert entry["method"] == "POST" and entry["path"] == "/contacts" and entry["status"] == 201
    assert entry["headers"]["authorization"] == "Bearer ***"
    assert json.loads(entry["body"]) == {"email": "log@example.com"}
    assert CROCO_API_KEY not in json.dumps(croco_sandbox.request_log)


# admin routes -----------------------------------------------------------------------------------------
def test_admin_routes_drive_the_sandbox(croco_sandbox, croco_http):
    base = f"{croco_sandbox.url}/_sandbox/{CROCO_LOCATION}"
    contact = requests.post(
        f"{base}/contacts", json={"firstName": "Maya", "email": "maya@example.com"}
    ).json()
    assert contact["displayName"] == "Maya"
    patched = requests.patch(f"{base}/contacts/{contact['id']}", json={"lastName": "Roy"}).json()
    assert patched["displayName"] == "Maya Roy"
    inv = requests.post(
        f"{base}/invoices",
        json={
            "contactId": contact["id"],
            "items": [{"name": "Workshop", "quantity": 2, "unitPrice": "40.00"}],
        },
    )
    assert inv.status_code == 201 and inv.json()["status"] == "draft"
    inv_id = inv.json()["id"]
    edited = requests.patch(f"{base}/invoices/{inv_id}", json={"dueDate": "2030-01-31"}).json()
    assert edited["dueDate"] == "2030-01-31"
    assert requests.post(f"{base}/invoices/{inv_id}/send").json()["status"] == "sent"
    pay = requests.post(
        f"{base}/payments",
        json={"contactId": contact["id"], "sourceType": "invoice", "invoiceId": inv_id, "amount": "80.00"},
    )
    assert pay.status_code == 201
    refund = requests.post(f"{base}/payments/{pay.json()['id']}/refund", json={"amount": "10.00"}).json()
    assert refund["status"] == "partially_refunded"
    other = requests.post(
        f"{base}/invoices",
        json={
            "contactId": contact["id"],
            "send": True,
            "items": [{"name": "X", "quantity": 1, "unitPrice": "5"}],
        },
    ).json()
    assert requests.post(f"{base}/invoices/{other['id']}/void").json()["status"] == "void"
    state = requests.get(f"{base}/state").json()
    assert [i["status"] for i in state["invoices"]] == ["paid", "void"]
    assert state["head"]["sequence"] == len(state["events"])
    assert [e["type"] for e in state["events"]] == [
        "contact.created",
        "contact.updated",
        "invoice.sent",
        "payment.succeeded",
        "invoice.paid",
        "payment.refunded",
        "invoice.sent",
        "invoice.voided",
    ]
    # errors are JSON, and admin calls stay out of the request log
    bad = requests.post(f"{base}/invoices/{inv_id}/send")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_failed"
    assert requests.get(f"{croco_sandbox.url}/_sandbox/loc_nope/state").status_code == 404
    assert all(not e["path"].startswith("/_sandbox") for e in croco_sandbox.request_log)
    # faults and retention through admin routes
    assert requests.post(f"{croco_sandbox.url}/_sandbox/faults", json={"kind": "500"}).status_code == 200
    assert croco_http.get("/me").status_code == 500
    head = requests.post(f"{base}/events/expire", json={"sequence": 3}).json()
    assert head["sequence"] == 8
    assert croco_http.get("/events", params={"after": "0"}).status_code == 410
