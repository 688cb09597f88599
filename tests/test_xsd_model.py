"""The packaged QBO field model (`qbo_fields.json`) against Intuit's XSD and the recorded payloads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crocoqb_desktop.sandbox import xsd_model
from crocoqb_desktop.sandbox.xsd_model import build_model, dump_model, load_field_model
from tests.conftest import QBO_FIXTURES, QBO_XSD_DIR

needs_shared = pytest.mark.skipif(not QBO_XSD_DIR.is_dir(), reason="../shared not available")

# bare entity objects (airbyte records, request bodies) are named after their entity
_PREFIX_ENTITY = [
    ("paymentmethod_", "PaymentMethod"),
    ("payment_", "Payment"),
    ("account_", "Account"),
    ("customer_", "Customer"),
    ("salesreceipt_", "SalesReceipt"),
    ("item_", "Item"),
    ("invoice_", "Invoice"),
    ("taxcode", "TaxCode"),
    ("taxrate", "TaxRate"),
    ("term", "Term"),
]
_NOT_ENTITIES = ("oauth_", "webhook_", "fault_", "query_count", "query_empty")


def _entity_objects(name: str, data: Any, entities: set[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(entity, object) for every entity object held by a fixture, envelopes unwrapped."""
    if not isinstance(data, dict):
        return
    keys = [k for k in data if k in entities]
    if keys:
        for key in keys:
            value = data[key]
            for obj in value if isinstance(value, list) else [value]:
                yield key, obj
        return
    if "QueryResponse" in data:
        q = data["QueryResponse"]
        for sub in q if isinstance(q, list) else [q]:
            yield from _entity_objects(name, sub, entities)
        return
    for envelope in ("CDCResponse", "BatchItemResponse", "BatchItemRequest"):
        if envelope in data:
            for item in data[envelope]:
                yield from _entity_objects(name, item, entities)
            return
    if "Query" in data or "Fault" in data:  # a batch query item / per-item fault
        return
    for prefix, entity in _PREFIX_ENTITY:
        if name.startswith(prefix):
            yield entity, data
            return
    raise AssertionError(f"{name}: cannot tell which entity {sorted(data)[:5]} is")


@needs_shared
def test_regenerating_from_xsd_equals_committed_json(tmp_path: Path) -> None:
    generated = dump_model(build_model(QBO_XSD_DIR))
    assert generated == xsd_model.MODEL_PATH.read_text(encoding="utf-8"), (
        "qbo_fields.json is stale: run python -m crocoqb_desktop.sandbox.xsd_model "
        "--xsd-dir ../shared/fixtures/qbo-xsd --out crocoqb_desktop/sandbox/qbo_fields.json"
    )
    out = tmp_path / "fields.json"
    assert xsd_model.main(["--xsd-dir", str(QBO_XSD_DIR), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == generated


@needs_shared
def test_every_fixture_entity_object_is_known() -> None:
    model = load_field_model()
    entities = model.entities()
    seen: set[str] = set()
    count = 0
    for path in sorted(QBO_FIXTURES.glob("*.json")):
        if path.name.startswith(_NOT_ENTITIES):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for entity, obj in _entity_objects(path.name, data, entities):
            assert model.unknown_fields(entity, obj) == [], (path.name, entity)
            seen.add(entity)
            count += 1
    assert count >= 40
    assert {
        "Customer",
        "Invoice",
        "SalesReceipt",
        "Payment",
        "Account",
        "Item",
        "PaymentMethod",
        "TaxCode",
        "TaxRate",
        "Term",
        "Vendor",
        "Estimate",
    } <= seen


@needs_shared
def test_whole_envelopes_validate_against_intuit_response() -> None:
    model = load_field_model()
    for name in (
        "customer.json",
        "query_customer_page_response.json",
        "cdc_response.json",
        "batch_response.json",
        "fault_unrecognized_property_2010.json",
        "query_empty_response.json",
    ):
        data = json.loads((QBO_FIXTURES / name).read_text(encoding="utf-8"))
        assert model.unknown_fields("IntuitResponse", data) == [], name


def test_unknown_fields_paths() -> None:
    model = load_field_model()
    assert model.unknown_fields("Invoice", {"BadJson": True}) == ["BadJson"]
    payload = {
        "CustomerRef": {"value": "1", "name": "Amy", "type": "Customer", "oops": 1},
        "Line": [
            {
                "Amount": 10,
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 1},
            },
            {"Amount": 10, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"Bogus": 1}},
        ],
        "domain": "QBO",
        "sparse": False,
        "status": "Deleted",
        "MetaData": {"CreateTime": "x", "Nope": 1},
    }
    assert model.unknown_fields("Invoice", payload) == [
        "CustomerRef.oops",
        "Line[1].SalesItemLineDetail.Bogus",
        "MetaData.Nope",
    ]
    # xs:any content (Payment Line[].LineEx) is free-form
    assert (
        model.unknown_fields("Payment", {"Line": [{"LineEx": {"any": [{"name": "x", "value": {}}]}}]}) == []
    )


def test_fields_and_entities() -> None:
    model = load_field_model()
    for entity in (
        "Customer",
        "Vendor",
        "Employee",
        "Item",
        "Account",
        "PaymentMethod",
        "Term",
        "TaxCode",
        "TaxRate",
        "Invoice",
        "SalesReceipt",
        "Payment",
        "RefundReceipt",
        "CreditMemo",
        "CompanyInfo",
        "Preferences",
        "Estimate",
        "Deposit",
    ):
        assert entity in model.entities(), entity
        assert {"Id", "SyncToken", "MetaData", "domain", "sparse", "status"} <= model.fields(entity)
    assert {"DisplayName", "PrimaryEmailAddr", "BillAddr", "CurrencyRef"} <= model.fields("Customer")
    assert {"SalesFormsPrefs", "TaxPrefs", "CurrencyPrefs"} <= model.fields("Preferences")
    info = model.field("Invoice", "Line.SalesItemLineDetail.Qty")
    assert info is not None and info.kind == "decimal"
    gtc = model.field("Invoice", "GlobalTaxCalculation")
    assert gtc is not None and gtc.enum_values == ("TaxInclusive", "TaxExcluded", "NotApplicable")
    line = model.field("Invoice", "Line")
    assert line is not None and line.list and line.type == "Line"
    assert model.field("Invoice", "Nope") is None
    assert "Id" in model.filterable("Customer")
    with pytest.raises(KeyError):
        model.fields("Custmoer")
    assert load_field_model() is model  # cached
