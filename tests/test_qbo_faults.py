"""Every recorded QBO payload in shared/fixtures/qbo/ through the fault parser and the JSON reader."""

from __future__ import annotations

import json
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

from crocoqb_desktop.errors import ServiceError
from crocoqb_desktop.qbo import faults
from crocoqb_desktop.qbo.client import dumps, loads, parse_batch_answer, parse_cdc_answer
from crocoqb_desktop.qbo.faults import (
    AuthenticationFault,
    AuthorizationFault,
    DuplicateNameFault,
    ObjectNotFoundFault,
    QboFault,
    StaleObjectFault,
    ThrottledFault,
    ValidationFault,
    fault_from_dict,
    parse_fault,
)
from tests.conftest import QBO_FIXTURES

# fixture -> (HTTP status it was recorded with, content type, expected class, expected codes)
FAULT_FIXTURES = {
    "fault_auth_401.json": (401, "application/json", AuthenticationFault, ["3200"]),
    "fault_auth_401_xml_code100.xml": (401, "application/xml", AuthenticationFault, ["100"]),
    "fault_authorization_403.json": (403, "application/json", AuthorizationFault, ["3100"]),
    "fault_business_validation_6000.json": (200, "application/json", ValidationFault, ["6000"]),
    "fault_duplicate_name.json": (400, "application/json", DuplicateNameFault, ["6240"]),
    "fault_invalid_id_2030.json": (400, "application/json", ValidationFault, ["2030"]),
    "fault_invalid_query_4001.json": (400, "application/json", ValidationFault, ["4001"]),
    "fault_unrecognized_property_2010.json": (400, "application/json", ValidationFault, ["2010"]),
    "fault_unsupported_operation_500.json": (400, "application/json", ValidationFault, ["500"]),
    "throttle_429.xml": (429, "text/xml", ThrottledFault, ["3001"]),
}


def _fixture(name: str) -> bytes:
    return (QBO_FIXTURES / name).read_bytes()


def all_fixture_files() -> list[Path]:
    return sorted(p for p in QBO_FIXTURES.iterdir() if p.suffix in {".json", ".xml"})


def test_fixture_folder_is_there() -> None:
    assert len(all_fixture_files()) >= 50


@pytest.mark.parametrize("name", sorted(FAULT_FIXTURES))
def test_fault_fixtures(name: str) -> None:
    status, ctype, cls, codes = FAULT_FIXTURES[name]
    fault = parse_fault(status, ctype, _fixture(name), intuit_tid="1-abc")
    assert type(fault) is cls
    assert isinstance(fault, QboFault) and isinstance(fault, ServiceError)
    assert fault.codes == codes
    assert fault.code == codes[0]
    assert fault.status == status
    assert fault.intuit_tid == "1-abc" and fault.request_id == "1-abc"
    assert fault.errors and set(fault.errors[0]) == {"message", "detail", "code", "element"}
    assert fault.title and fault.message
    assert fault.fix


@pytest.mark.parametrize("name", sorted(FAULT_FIXTURES))
def test_fault_fixtures_parse_whatever_the_content_type_says(name: str) -> None:
    """QBO sends XML while JSON was asked: the body decides, not the header."""
    status, _, cls, _ = FAULT_FIXTURES[name]
    assert type(parse_fault(status, "application/json", _fixture(name))) is cls
    assert type(parse_fault(status, None, _fixture(name))) is cls


@pytest.mark.parametrize("path", all_fixture_files(), ids=lambda p: p.name)
def test_every_fixture_parses(path: Path) -> None:
    body = path.read_bytes()
    if path.name in FAULT_FIXTURES:
        return
    # success payloads: no fault; JSON numbers with decimals become Decimal, never float
    assert parse_fault(200, "application/json", body) is None
    data = loads(body)

    def walk(value: object) -> None:
        assert not isinstance(value, float), path.name
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data)


def test_error_statuses_without_a_fault_body() -> None:
    assert type(parse_fault(429, None, b"")) is ThrottledFault
    assert type(parse_fault(401, "text/html", b"<html>nope</html>")) is AuthenticationFault
    assert type(parse_fault(403, None, b"")) is AuthorizationFault
    f = parse_fault(503, "text/html", b"<html>Service Unavailable</html>")
    assert type(f) is QboFault and f.status == 503 and f.retryable
    assert parse_fault(200, "application/json", b'{"Customer":{"Id":"1"}}') is None


def test_throttle_with_403_is_throttle() -> None:
    """2016 variant: the same 3001 fault came with HTTP 403 (ref section 3)."""
    body = _fixture("throttle_429.xml").replace(b"statusCode=429", b"statusCode=403")
    fault = parse_fault(403, "application/xml", body)
    assert type(fault) is ThrottledFault and fault.retryable


def test_xml_fault_fields() -> None:
    fault = parse_fault(429, "text/xml", _fixture("throttle_429.xml"))
    assert fault is not None
    assert fault.fault_type == "SERVICE"
    assert fault.errors[0]["message"] == "message=ThrottleExceeded; errorCode=003001; statusCode=429"
    assert fault.errors[0]["detail"].startswith("The request limit was reached")


def test_auth_faults_never_repeat_the_detail() -> None:
    """The 401 detail quotes part of the token ("Token expired: AB0160...")."""
    body = _fixture("fault_auth_401.json")
    fault = parse_fault(401, "application/json", body)
    assert fault is not None
    token_bit = "AB01601390262kxzxOlnHYdhtEVRXISU7piPqQrCmmbDN35Yjd"
    assert token_bit not in str(fault)
    assert token_bit not in fault.user_text()
    assert token_bit not in json.dumps(fault.errors)
    assert fault.errors[0]["code"] == "3200"


def test_duplicate_name_plain_language() -> None:
    fault = parse_fault(400, "application/json", _fixture("fault_duplicate_name.json"))
    assert isinstance(fault, DuplicateNameFault)
    assert fault.title == "A customer, vendor or employee already uses this name"
    assert "already used" in fault.message
    assert "unique" in fault.fix


def test_validation_message_carries_quickbooks_reason() -> None:
    fault = parse_fault(400, "application/json", _fixture("fault_invalid_id_2030.json"))
    assert isinstance(fault, ValidationFault)
    assert "2030" in fault.message and "Id should be a valid number" in fault.message
    assert "field Id" in fault.message
    assert "Invalid ID" in fault.detail


def test_batch_response_fixture_item_faults() -> None:
    items = parse_batch_answer(loads(_fixture("batch_response.json")))
    by_id = {item["bId"]: item for item in items}
    assert set(by_id) == {"bid1", "bid2", "bid3", "bid4"}
    assert "fault" not in by_id["bid1"] and by_id["bid1"]["Vendor"]["Id"] == "71"
    assert isinstance(by_id["bid2"]["fault"], ObjectNotFoundFault)
    assert isinstance(by_id["bid3"]["fault"], StaleObjectFault)
    assert by_id["bid3"]["fault"].codes == ["5010"]
    receipts = by_id["bid4"]["QueryResponse"]["SalesReceipt"]
    assert receipts[0]["TotalAmt"] == Decimal("337.50")


def test_fault_from_dict_accepts_wrapped_and_bare() -> None:
    inner = {"Error": [{"Message": "Stale Object Error", "code": "5010"}], "type": "ValidationFault"}
    assert isinstance(fault_from_dict(inner), StaleObjectFault)
    assert isinstance(fault_from_dict({"Fault": inner}), StaleObjectFault)
    lower = {"fault": {"error": [{"message": "m", "code": "3100"}], "type": "SERVICE"}}
    assert isinstance(fault_from_dict(lower, status=403), AuthorizationFault)


@pytest.mark.parametrize(
    ("code", "status", "cls"),
    [
        ("3001", 200, ThrottledFault),
        ("3200", 200, AuthenticationFault),
        ("100", 200, AuthenticationFault),
        ("3100", 200, AuthorizationFault),
        ("5010", 400, StaleObjectFault),
        ("6240", 400, DuplicateNameFault),
        ("610", 400, ObjectNotFoundFault),
        ("2050", 400, ValidationFault),
        ("4000", 400, ValidationFault),
        ("3002", 400, ValidationFault),
        ("6000", 400, ValidationFault),
        ("6430", 400, ValidationFault),
        ("500", 400, ValidationFault),
        ("10000", 400, ValidationFault),
        ("1000", 400, QboFault),
        ("9999", 401, AuthenticationFault),
        ("9999", 429, ThrottledFault),
    ],
)
def test_classification(code: str, status: int, cls: type[QboFault]) -> None:
    assert faults.classify(status, [code]) is cls


def test_faults_pickle() -> None:
    fault = parse_fault(400, "application/json", _fixture("fault_duplicate_name.json"), intuit_tid="t1")
    again = pickle.loads(pickle.dumps(fault))
    assert type(again) is DuplicateNameFault
    assert again.codes == ["6240"] and again.intuit_tid == "t1" and again.message == fault.message


def test_cdc_fixture() -> None:
    out = parse_cdc_answer(loads(_fixture("cdc_response.json")), ["Estimate", "Invoice"])
    assert set(out) == {"Estimate", "Invoice"}
    assert out["Invoice"] == []
    assert [e["Id"] for e in out["Estimate"]] == ["48", "46", "41", "100"]
    assert out["Estimate"][3]["TxnTaxDetail"]["TotalTax"] == Decimal("26.06")


def test_money_json_round_trip() -> None:
    body = {"Line": [{"Amount": Decimal("100.10"), "Qty": Decimal("2.5")}], "TotalAmt": Decimal("1E+2"),
            "Tiny": Decimal("-0.005"), "Count": 3, "Name": "Amy's \"Birds\" & more"}
    text = dumps(body)
    assert b'"Amount":100.10' in text and b'"Qty":2.5' in text and b'"TotalAmt":100' in text
    assert b'"Tiny":-0.005' in text
    back = loads(text)
    assert back["Line"][0]["Amount"] == Decimal("100.10") and back["Name"] == body["Name"]
    assert isinstance(back["Line"][0]["Amount"], Decimal)
    with pytest.raises(ValueError):
        dumps({"x": Decimal("NaN")})


def test_money_json_strings_that_look_like_markers_stay_strings() -> None:
    text = dumps({"Memo": "@qbodec000000000000:1.5", "Amount": Decimal("1.50")})
    back = loads(text)
    assert back["Memo"] == "@qbodec000000000000:1.5" and back["Amount"] == Decimal("1.50")


def test_fixture_request_bodies_round_trip() -> None:
    for name in ("batch_request.json", "salesreceipt_update_request.json", "account_deactivate_sparse_request.json"):
        data = loads(_fixture(name))
        assert loads(dumps(data)) == data
