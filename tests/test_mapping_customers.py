"""Contacts <-> customers: DisplayName rule, create and sparse-update bodies, imports."""

from __future__ import annotations

from typing import Any

import pytest

from crocoqb_desktop.sandbox.croco_validation import validate_contact_write
from crocoqb_desktop.sync import mapping
from tests.test_mapping_support import assert_xsd_clean, fixture

CONTACT: dict[str, Any] = {
    "id": "con_3NfQa", "firstName": "Alex", "lastName": "Doe", "companyName": None, "displayName": "Alex Doe",
    "email": " Alex.Doe@Example.com ", "phone": "+15204205638",
    "address": {"line1": "25 Court St.", "line2": None, "city": "Tucson", "region": "AZ", "postalCode": "85719",
                "country": "US"},
    "externalRefs": {}, "version": 3,
}


def test_display_name_candidates_follow_the_documented_rule() -> None:
    names = mapping.display_name_candidates(CONTACT)
    assert names[:4] == ["Alex Doe", "Alex Doe (Alex.Doe@Example.com)", "Alex Doe (Alex.Doe@Example.com) 2",
                         "Alex Doe (Alex.Doe@Example.com) 3"]
    assert len(names) == len(set(names)) == 10


def test_display_name_candidates_without_email_use_phone_then_id() -> None:
    assert mapping.display_name_candidates({**CONTACT, "email": None})[1] == "Alex Doe (+15204205638)"
    no_contact = {**CONTACT, "email": None, "phone": None}
    assert mapping.display_name_candidates(no_contact)[1] == "Alex Doe (con_3NfQa)"
    only_email = {"id": "con_1", "email": "solo@example.com"}
    assert mapping.display_name_candidates(only_email)[:2] == ["solo@example.com", "solo@example.com (con_1)"]


def test_display_name_falls_back_to_company_then_person() -> None:
    assert mapping.display_name_candidates({"companyName": "Acme", "firstName": "A", "email": "a@b.co"})[0] == "Acme"
    assert mapping.display_name_candidates({"firstName": "Zoë", "lastName": "Ng", "email": "z@b.co"})[0] == "Zoë Ng"


def test_display_name_strips_forbidden_characters_and_fits_500() -> None:
    names = mapping.display_name_candidates({**CONTACT, "displayName": "Acme:\tSales\nTeam"})
    assert names[0] == "Acme- Sales Team"
    assert all(":" not in n and "\t" not in n and "\n" not in n for n in names)
    long = mapping.display_name_candidates({**CONTACT, "displayName": "x" * 700})
    assert all(len(n) <= 500 for n in long)
    assert long[1].endswith("(Alex.Doe@Example.com)") and long[2].endswith("(Alex.Doe@Example.com) 2")
    assert len(set(long)) == len(long)


def test_display_name_unicode() -> None:
    contact = {**CONTACT, "displayName": "Café Zürich 東京 🐊", "email": "ünï@exämple.com"}
    names = mapping.display_name_candidates(contact)
    assert names[0] == "Café Zürich 東京 🐊" and names[1] == "Café Zürich 東京 🐊 (ünï@exämple.com)"


def test_customer_create_payload() -> None:
    body = mapping.customer_payload(CONTACT, display_name="Alex Doe", currency="usd")
    assert body == {
        "DisplayName": "Alex Doe", "GivenName": "Alex", "FamilyName": "Doe",
        "PrimaryEmailAddr": {"Address": "Alex.Doe@Example.com"}, "PrimaryPhone": {"FreeFormNumber": "+15204205638"},
        "BillAddr": {"Line1": "25 Court St.", "City": "Tucson", "CountrySubDivisionCode": "AZ",
                     "PostalCode": "85719", "Country": "US"},
        "CurrencyRef": {"value": "USD"},
    }
    assert_xsd_clean("Customer", body)
    assert "CurrencyRef" not in mapping.customer_payload(CONTACT, display_name="Alex Doe", currency=None)


def test_customer_payload_without_email_phone_or_address() -> None:
    contact = {"id": "con_2", "firstName": "Bo", "lastName": None, "email": None, "phone": None, "address": None}
    body = mapping.customer_payload(contact, display_name="Bo", currency=None)
    assert body == {"DisplayName": "Bo", "GivenName": "Bo"}
    assert_xsd_clean("Customer", body)


def test_customer_payload_limits_and_forbidden_characters() -> None:
    contact = {**CONTACT, "firstName": "A:" + "b" * 200, "companyName": "Co\nLtd", "email": "x" * 95 + "@example.com"}
    body = mapping.customer_payload(contact, display_name="Name: with colon", currency=None)
    assert body["DisplayName"] == "Name- with colon"
    assert len(body["GivenName"]) == 100 and body["GivenName"].startswith("A-")
    assert body["CompanyName"] == "Co Ltd"
    assert "PrimaryEmailAddr" not in body  # longer than QBO's 100 characters


def test_customer_sparse_update_only_changed_owned_fields() -> None:
    existing = fixture("customer.json")["Customer"]
    contact = {**CONTACT, "email": "Dukes_bball@intuit.com", "phone": "+1 (520) 420-5638",
               "firstName": "Peter", "lastName": "Dukes", "companyName": "Dukes Basketball Camp",
               "address": {"line1": "25 Court St.", "city": "Tucson", "region": "AZ", "postalCode": "85719",
                           "country": "US"}}
    body = mapping.customer_payload(contact, display_name="Dukes Basketball Camp", currency="USD", existing=existing)
    assert set(body) == {"Id", "SyncToken", "sparse", "BillAddr"}  # fills in the Country QBO lacks
    assert body["BillAddr"]["Country"] == "US"
    existing = {**existing, "BillAddr": {**existing["BillAddr"], "Country": "USA"}}
    body = mapping.customer_payload(contact, display_name="Dukes Basketball Camp", currency="USD", existing=existing)
    assert body == {"Id": "5", "SyncToken": "1", "sparse": True}  # "USA" == "US"; phone digits equal
    assert mapping.is_noop_update(body)
    changed = {**contact, "email": "new@dukes.example", "address": {**contact["address"], "line1": "1 New St."}}
    body = mapping.customer_payload(changed, display_name="Dukes Basketball Camp", currency="USD", existing=existing)
    assert body["PrimaryEmailAddr"] == {"Address": "new@dukes.example"}
    assert body["BillAddr"]["Id"] == "6" and body["BillAddr"]["Line1"] == "1 New St."
    assert set(body) == {"Id", "SyncToken", "sparse", "PrimaryEmailAddr", "BillAddr"}
    assert "CurrencyRef" not in body
    assert_xsd_clean("Customer", body)


def test_customer_update_never_clears_qbo_fields() -> None:
    existing = fixture("customer.json")["Customer"]
    bare = {"id": "con_1", "email": "Dukes_bball@intuit.com"}
    body = mapping.customer_payload(bare, display_name="Dukes Basketball Camp", currency=None, existing=existing)
    assert mapping.is_noop_update(body)


def test_contact_body_from_customer_fixture() -> None:
    body = mapping.contact_body_from_customer(fixture("customer.json"))
    assert body == {
        "firstName": "Peter", "lastName": "Dukes", "companyName": "Dukes Basketball Camp",
        "email": "Dukes_bball@intuit.com", "phone": "(520) 420-5638",
        "address": {"line1": "25 Court St.", "city": "Tucson", "region": "AZ", "postalCode": "85719"},
        "source": "quickbooks import", "preferredCurrency": "USD",
        "externalRefs": {"quickbooks.customer_id": "5"},
    }
    validate_contact_write(body, create=True)


def test_contact_body_from_subcustomer_and_name_only_customer() -> None:
    job = mapping.contact_body_from_customer(fixture("customer_subcustomer_job.json"))
    assert job["companyName"] == "Freeman Sporting Goods" and job["firstName"] == "Sasha"
    assert job["externalRefs"] == {"quickbooks.customer_id": "8"}
    validate_contact_write(job, create=True)
    named = {"Id": "70", "DisplayName": "Doe5, Jane", "PrimaryPhone": {"FreeFormNumber": "555-0100"}}
    assert mapping.contact_body_from_customer(named)["companyName"] == "Doe5, Jane"


def test_contact_body_from_customer_without_email_or_phone_is_an_error() -> None:
    with pytest.raises(mapping.MappingError) as info:
        mapping.contact_body_from_customer(fixture("customer_create_response.json"))
    assert "Doe5, Jane" in info.value.message and "email" in info.value.fix


def test_contact_body_from_customer_with_phone_only_and_bad_email() -> None:
    body = mapping.contact_body_from_customer({"Id": "9", "GivenName": "Ann", "PrimaryEmailAddr": {"Address": "n/a"},
                                               "Mobile": {"FreeFormNumber": "+44 20 7946 0018"}})
    assert "email" not in body and body["phone"] == "+44 20 7946 0018"


def test_contact_update_from_customer_only_changes() -> None:
    customer = fixture("customer.json")
    same = {"id": "con_1", "firstName": "Peter", "lastName": "Dukes", "companyName": "Dukes Basketball Camp",
            "email": "DUKES_BBALL@intuit.com", "phone": "+15204205638",
            "address": {"line1": "25 Court St.", "line2": None, "city": "Tucson", "region": "AZ",
                        "postalCode": "85719", "country": None},
            "externalRefs": {"quickbooks.customer_id": "5"}}
    assert mapping.contact_update_from_customer(customer, same) == {}
    stale = {**same, "lastName": "Duke", "email": "old@example.com", "externalRefs": {}, "address": None}
    assert mapping.contact_update_from_customer(customer, stale) == {
        "lastName": "Dukes", "email": "Dukes_bball@intuit.com",
        "address": {"line1": "25 Court St.", "city": "Tucson", "region": "AZ", "postalCode": "85719"},
        "externalRefs": {"quickbooks.customer_id": "5"},
    }
    validate_contact_write(mapping.contact_update_from_customer(customer, stale), create=False)


def test_contact_update_does_not_turn_a_person_into_a_company() -> None:
    customer = {"Id": "70", "DisplayName": "Doe5, Jane", "PrimaryEmailAddr": {"Address": "jane@example.com"}}
    contact = {"firstName": "Jane", "lastName": "Doe", "email": "jane@example.com",
               "externalRefs": {"quickbooks.customer_id": "70"}}
    assert mapping.contact_update_from_customer(customer, contact) == {}
