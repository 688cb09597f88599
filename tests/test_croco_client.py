"""The CrocoClick client against the CrocoClick sandbox, over real HTTP."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from crocoqb_desktop.croco.client import CrocoClient, new_idempotency_key
from crocoqb_desktop.croco.errors import (
    CrocoAuthError,
    CrocoConflict,
    CrocoCursorExpired,
    CrocoForbidden,
    CrocoNotFound,
    CrocoUnprocessable,
)
from crocoqb_desktop.errors import NetworkError, ProtocolError

LOC = "loc_demo"
KEY = "ck_test_sandboxkey_0001"


@pytest.fixture
def client(croco_sandbox) -> CrocoClient:
    c = CrocoClient(croco_sandbox.url, KEY, LOC, timeout=(2.0, 2.0), sleep=lambda s: time.sleep(min(s, 0.05)))
    yield c
    c.close()


def test_me_describes_the_location(client: CrocoClient) -> None:
    me = client.me()
    assert me["locationId"] == LOC
    assert me["locationName"] == "Atelier Lumière"
    assert me["currency"] == "USD"


def test_wrong_key_and_wrong_location_are_typed(croco_sandbox) -> None:
    with pytest.raises(CrocoAuthError) as info:
        CrocoClient(croco_sandbox.url, "ck_test_wrong_key_000", LOC).me()
    assert info.value.status == 401
    assert "ck_test_wrong_key_000" not in str(info.value)
    with pytest.raises(CrocoForbidden):
        CrocoClient(croco_sandbox.url, KEY, "loc_other").me()


def test_pages_through_10000_contacts_without_gap_or_duplicate_under_429_and_500(croco_sandbox, client) -> None:
    for i in range(10_000):
        croco_sandbox.create_contact(LOC, firstName=f"P{i}", email=f"p{i}@example.com")
    seen: list[str] = []
    for n, contact in enumerate(client.list_contacts(limit=200)):
        seen.append(contact["id"])
        if n % 1500 == 10:
            croco_sandbox.inject("429", 1)
        if n % 1500 == 700:
            croco_sandbox.inject("500", 1)
    assert len(seen) == 10_000
    assert len(set(seen)) == 10_000
    statuses = [r["status"] for r in croco_sandbox.request_log]
    assert 429 in statuses and 500 in statuses


def test_idempotent_create_and_if_match(client: CrocoClient) -> None:
    key = new_idempotency_key()
    first = client.create_contact({"firstName": "Ann", "email": "ann@example.com"}, idempotency_key=key)
    again = client.create_contact({"firstName": "Ann", "email": "ann@example.com"}, idempotency_key=key)
    assert again["id"] == first["id"]
    with pytest.raises(CrocoConflict) as info:
        client.create_contact({"firstName": "Bob", "email": "bob@example.com"}, idempotency_key=key)
    assert info.value.code == "idempotency_conflict"
    updated = client.update_contact(first["id"], {"lastName": "Lee"}, version=first["version"])
    assert updated["lastName"] == "Lee"
    with pytest.raises(CrocoConflict) as info:
        client.update_contact(first["id"], {"lastName": "Stale"}, version=first["version"])
    assert info.value.code == "version_conflict"
    with pytest.raises(CrocoNotFound):
        client.get_contact("con_does_not_exist")


def test_money_is_decimal_never_float(croco_sandbox, client: CrocoClient) -> None:
    contact = croco_sandbox.create_contact(LOC, firstName="M", email="m@example.com")
    inv = croco_sandbox.create_invoice(LOC, contact_id=contact["id"], send=True,
                                       items=[{"name": "A", "quantity": 3, "unitPrice": "19.9950"}])
    got = client.get_invoice(inv["id"])
    assert isinstance(got["totals"]["total"], str)
    assert Decimal(got["totals"]["total"]) == Decimal("59.99")


def test_events_feed_and_expired_cursor(croco_sandbox, client: CrocoClient) -> None:
    head = client.events_head()
    contact = croco_sandbox.create_contact(LOC, firstName="E", email="e@example.com")
    croco_sandbox.create_invoice(LOC, contact_id=contact["id"], send=True,
                                 items=[{"name": "A", "quantity": 1, "unitPrice": "10.00"}])
    page = client.list_events(head["cursor"])
    assert [e["type"] for e in page["data"]][-1] == "invoice.sent"
    empty = client.list_events(page["nextCursor"])
    assert empty["data"] == [] and empty["nextCursor"] == page["nextCursor"]
    croco_sandbox.expire_events_older_than(LOC, page["data"][-1]["sequence"])
    with pytest.raises(CrocoCursorExpired):
        client.list_events(head["cursor"])


def test_review_request_unreachable_is_typed(croco_sandbox, client: CrocoClient) -> None:
    contact = croco_sandbox.create_contact(LOC, firstName="NoMail", phone="+15145550000")
    with pytest.raises(CrocoUnprocessable) as info:
        client.create_review_request({"contactId": contact["id"], "channel": "email",
                                      "reason": "first_invoice_paid"}, idempotency_key=new_idempotency_key())
    assert info.value.code == "contact_unreachable"


@pytest.mark.parametrize(("kind", "error"), [
    ("malformed_json", ProtocolError),
    ("wrong_content_type", ProtocolError),
])
def test_broken_answers_give_typed_errors(croco_sandbox, client: CrocoClient, kind: str, error: type) -> None:
    croco_sandbox.inject(kind, 1, path_contains="/me")
    with pytest.raises(error) as info:
        client.me()
    assert "CrocoClick" in info.value.message


def test_timeouts_are_retried_then_reported(croco_sandbox) -> None:
    croco_sandbox.timeout_delay_s = 1.5
    client = CrocoClient(croco_sandbox.url, KEY, LOC, timeout=(1.0, 0.5), max_attempts=2,
                         sleep=lambda s: None)
    croco_sandbox.inject("timeout", 1, path_contains="/me")
    assert client.me()["locationId"] == LOC  # the retry succeeded
    croco_sandbox.inject("timeout", 2, path_contains="/me")
    with pytest.raises(NetworkError) as info:
        client.me()
    assert "timed out" in info.value.message


def test_unknown_enum_value_is_a_protocol_error(croco_sandbox, client: CrocoClient) -> None:
    contact = croco_sandbox.create_contact(LOC, firstName="U", email="u@example.com")
    inv = croco_sandbox.create_invoice(LOC, contact_id=contact["id"], send=True,
                                       items=[{"name": "A", "quantity": 1, "unitPrice": "10.00"}])
    croco_sandbox.inject("unknown_enum", 1, path_contains=f"/invoices/{inv['id']}")
    with pytest.raises(ProtocolError) as info:
        client.get_invoice(inv["id"])
    assert "status" in info.value.message


def test_client_side_limiter_stays_under_100_per_10s(croco_sandbox) -> None:
    stamps: list[float] = []
    clock = [0.0]

    def fake_sleep(s: float) -> None:
        clock[0] += s

    client = CrocoClient(croco_sandbox.url, KEY, LOC, requests_per_10s=5, sleep=fake_sleep)
    client._limiter._clock = lambda: clock[0]  # type: ignore[attr-defined]
    for _ in range(12):
        client.me()
        stamps.append(clock[0])
    # 12 calls at 5 per 10 s need at least two full windows
    assert stamps[-1] >= 20.0


def test_long_poll_answers_on_an_event_and_outlives_the_default_read_timeout(croco_sandbox) -> None:
    import threading

    # a 1 s default read timeout: a held request needs the longer one list_events(wait=) sets
    client = CrocoClient(croco_sandbox.url, KEY, LOC, timeout=(2.0, 1.0), max_attempts=1)
    head = client.events_head()["cursor"]
    empty = client.list_events(head, wait=2)
    assert empty == {"data": [], "nextCursor": head, "hasMore": False}

    def commit_when_held() -> None:
        deadline = time.monotonic() + 10
        while croco_sandbox.held_polls == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        croco_sandbox.create_contact(LOC, firstName="Poll", email="poll@example.com")

    threading.Thread(target=commit_when_held, daemon=True).start()
    page = client.list_events(head, wait=30)
    assert [e["type"] for e in page["data"]] == ["contact.created"]
    with pytest.raises(ValueError):
        client.list_events(head, wait=31)
    client.close()


def test_payouts(croco_sandbox, client: CrocoClient) -> None:
    contact = croco_sandbox.create_contact(LOC, firstName="P", email="p@example.com")
    pay = croco_sandbox.record_payment(LOC, contact_id=contact["id"], source_type="order_form", fee="0.59",
                                       items=[{"name": "A", "quantity": 1, "unitPrice": "10.00"}])
    first = croco_sandbox.create_payout(LOC)
    croco_sandbox.set_payout_status(LOC, first["id"], "paid")
    croco_sandbox.refund_payment(LOC, pay["id"], "2.00")
    second = croco_sandbox.create_payout(LOC)
    assert [p["id"] for p in client.list_payouts(limit=1)] == [first["id"], second["id"]]
    assert [p["id"] for p in client.list_payouts(status=["paid"])] == [first["id"]]
    got = client.get_payout(first["id"])
    assert got["amount"] == "9.41" and got["items"][0]["paymentId"] == pay["id"]
    head = client.events_head()["cursor"]
    updated = client.set_payout_external_refs(second["id"], {"quickbooks.transfer_id": "12"})
    assert updated["externalRefs"] == {"quickbooks.transfer_id": "12"}
    assert client.list_events(head)["data"] == []
    paid_events = client.list_events("0", types=["payout.paid"])["data"]
    assert [(e["resourceType"], e["resourceId"]) for e in paid_events] == [("payout", first["id"])]
    croco_sandbox.inject("unknown_enum", 1, path_contains=f"/payouts/{first['id']}")
    with pytest.raises(ProtocolError) as info:
        client.get_payout(first["id"])
    assert "status" in info.value.message
    with pytest.raises(CrocoNotFound):
        client.get_payout("po_missing")
