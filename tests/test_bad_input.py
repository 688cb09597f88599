"""Bad input: generated CrocoClick and QuickBooks records with hostile values go through intake and
mapping. Each gives a payload the other side accepts (no field outside Intuit's XSD, and the QBO
sandbox answers 200 to it; or CrocoClick's validator and sandbox accept it), or a clear per-record
error (RecordError / MappingError with a message and a fix); never another exception.

Hostile values: unicode (emoji, right-to-left text and overrides, combining marks, control
characters, NUL), very long strings, missing and null fields, invalid emails, negative and zero
amounts and quantities, 250-line documents, unknown enum values, extra unknown fields.
Lone UTF-16 surrogates are not generated: they cannot travel in UTF-8 JSON.

Hypothesis: 50 examples per property (1000 with CROCOQB_LONG_TESTS=1). The end-to-end test runs the
real CLI on a world holding the problem records next to good ones.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from crocoqb_desktop.errors import RecordError
from crocoqb_desktop.sandbox.croco_server import CrocoSandbox
from crocoqb_desktop.sandbox.croco_totals import compute_totals
from crocoqb_desktop.sandbox.croco_validation import (
    CrocoError,
    validate_contact_write,
    validate_invoice_create,
)
from crocoqb_desktop.sandbox.qbo_server import QboSandbox
from crocoqb_desktop.sandbox.xsd_model import load_field_model
from crocoqb_desktop.sync import mapping
from crocoqb_desktop.sync.push import ACTIVATED_AT, PushEngine
from crocoqb_desktop.sync.store import StateStore
from tests.plugins.croco_sandbox_fixtures import CrocoHttp
from tests.plugins.proof_helpers import record_output
from tests.plugins.qbo_sandbox_fixtures import SandboxApi
from tests.plugins.world_fixtures import World

LONG = os.environ.get("CROCOQB_LONG_TESTS") == "1"
REPO_ROOT = Path(__file__).resolve().parents[1]
PROOF = settings(max_examples=1000 if LONG else 50, deadline=None, derandomize=not LONG,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.function_scoped_fixture, HealthCheck.large_base_example])
US_REALM, CA_REALM = "9130350000000201", "9130350000000202"
CLIENT_ID, CLIENT_SECRET = "proof-client", "proof-client-secret-0001"
ACTIVATED = "2025-01-01T00:00:00.000Z"
_ids = itertools.count(1)


# ================================================================================================
# hostile values
# ================================================================================================
NASTY = [
    "Zoë Ørsted-Łukasz 李", "🐊💸🧾 Crocodile invoice 🇫🇷", "\u202eevil.exe\u202c", "مرحبا بالعالم", "שלום עולם",
    "a\x00b\x07c\x1b[31m", "tab\there\nnew line\r\nend", "Sub: customer: job", "  padded  ", "", " ",
    "\u200b\u200d\ufeff", "Ω≈ç√∫˜µ≤≥÷", "e\u0301\u0301\u0301", "'; DROP TABLE links;--", "<b>html</b>&amp;",
    "CrocoClick inv_other", "%s %d {0} ${x}", "x" * 5000, "é" * 300, "🐊" * 1000, "\\", '"quoted"',
]
_chars = st.characters(blacklist_categories=("Cs",))
text = st.one_of(st.sampled_from(NASTY), st.text(_chars, max_size=40), st.text(_chars, min_size=200, max_size=2000))
opt_text = st.one_of(st.none(), text)
short_text = st.one_of(st.sampled_from([n for n in NASTY if len(n) <= 21]), st.text(_chars, max_size=21))
EMAILS = ["ann@example.com", " Ann.Lee@Example.COM ", "not-an-email", "a@b", "@example.com", "a b@example.com",
          "zoë@例え.jp", "a@b..com", "x" * 250 + "@example.com", "a@example.com,b@example.com", "", "   ",
          "a@-example.com", "ann@example.com\n", "🐊@example.com", "a;b@example.com"]
email = st.one_of(st.none(), st.sampled_from(EMAILS), text)
# mostly values the contract allows (extreme ones included), some it does not
BAD_MONEY = ["-5.00", "9999999999999.99", "", "abc", "1e3", "NaN", "Infinity", "1,000.00", "0.001", " 12.50 "]
money_str = st.one_of(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("99999"), places=2).map(lambda d: f"{d:.2f}"),
    st.sampled_from(["0.00", "0.01", "-0.00"]),
    st.sampled_from(BAD_MONEY),
)
_price = st.decimals(min_value=Decimal(0), max_value=Decimal("9999"), places=4).map(lambda d: f"{d:.4f}")
unit_price = st.one_of(_price, _price, _price, st.sampled_from(["0.0000", "0.0050", "99999999.9999"]),
                       st.sampled_from(BAD_MONEY))
quantity = st.one_of(
    st.integers(1, 50),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("500"), places=3),
    st.integers(1, 3),
    st.sampled_from([0, -1, Decimal("-2.5"), Decimal("0.0001"), 10**6]),
)
rate = st.one_of(st.sampled_from([0, 5, 13, Decimal("8.875"), Decimal("9.975"), Decimal("7.77"), 100]),
                 st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=3),
                 st.sampled_from([-5, 150]))
dates = st.one_of(st.none(), st.sampled_from(["2025-03-01", "2025-02-30", "yesterday", "", "2025-3-1",
                                              "9999-12-31", "0001-01-01"]), st.dates().map(str))
STATUSES = ["paid", "partially_paid", "void", "draft", "disputed", "", None, "SENT"]
HOME = "HOME"  # replaced by the company's home currency
CURRENCIES = ["USD", "CAD", "usd", "EUR", "", None, "€€€", "US"]


def mostly(good: Any, bad: list[Any]) -> st.SearchStrategy[Any]:
    """Mostly `good`, else one of `bad` (hypothesis alone would favour the odd values)."""
    return st.integers(0, 99).flatmap(lambda n: st.just(good) if n < 80 else st.sampled_from(bad))


def _drop(draw: Any, obj: dict[str, Any], keep: set[str]) -> dict[str, Any]:
    """Fields missing or null at random (those in `keep` stay: the record's identity)."""
    for key in list(obj):
        if key in keep:
            continue
        roll = draw(st.integers(0, 999))  # hypothesis favours the ends of a range: the rare cases sit inside
        if 400 <= roll < 450:
            del obj[key]
        elif 450 <= roll < 500:
            obj[key] = None
    return obj


@st.composite
def taxes(draw: Any) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        tax: dict[str, Any] = {"name": draw(text), "rate": draw(rate)}
        if draw(st.booleans()):
            tax["inclusive"] = draw(st.booleans())
        out.append(tax)
    return out


@st.composite
def line_items(draw: Any) -> list[dict[str, Any]]:
    def one() -> dict[str, Any]:
        item = {"name": draw(text), "quantity": draw(quantity), "unitPrice": draw(unit_price), "taxes": draw(taxes()),
                "description": draw(opt_text), "productId": draw(st.one_of(st.none(), st.just("prod_1")))}
        return _drop(draw, item, {"name", "quantity", "unitPrice"}) if draw(st.integers(0, 4)) == 0 else item

    count = draw(st.one_of(st.integers(1, 4), st.just(0), st.just(250)))
    if count == 250:  # a 250-line document: one generated line, repeated
        first = one()
        return [json.loads(json.dumps(first, default=str), parse_float=Decimal) for _ in range(250)]
    return [one() for _ in range(count)]


def _with_totals(doc: dict[str, Any], key: str, draw: Any) -> None:
    """Most documents carry CrocoClick's own figures (as the API sends them); some carry none or
    nonsense."""
    mode = draw(st.integers(0, 5))
    if mode <= 3:
        try:
            result = compute_totals(doc[key], doc.get("discount"))
        except Exception:  # the items are too broken for CrocoClick's arithmetic: no figures then
            return
        for item, line in zip(doc[key], result.lines, strict=True):
            item["lineSubtotal"] = f"{line.line_subtotal:.2f}"
            for tax, amount in zip(item.get("taxes") or [], line.tax_amounts, strict=True):
                tax["amount"] = f"{amount:.2f}"
        doc["totals"] = result.as_json()
    elif mode == 4:
        doc["totals"] = {"subtotal": draw(money_str), "discountTotal": draw(money_str),
                         "taxTotal": draw(money_str), "total": draw(money_str)}


discounts = st.one_of(
    st.none(),
    st.fixed_dictionaries({"type": st.sampled_from(["percentage", "fixed", "bogus"]),
                           "value": st.one_of(money_str, st.sampled_from(["10", "100", "150", "-10"]))}),
)


@st.composite
def croco_invoices(draw: Any) -> dict[str, Any]:
    inv: dict[str, Any] = {
        "id": f"inv_bad{next(_ids)}", "number": draw(st.one_of(short_text, short_text, opt_text)),
        "status": draw(mostly("sent", STATUSES)),
        "origin": draw(mostly("crococlick", ["import", None, "api"])),
        "issueDate": draw(dates), "dueDate": draw(dates), "currency": draw(mostly(HOME, CURRENCIES)),
        "contactId": "con_bad", "sentAt": draw(mostly("2025-06-01T10:00:00.000Z", [
            None, "", "2024-01-01T00:00:00.000Z"])),
        "items": draw(line_items()), "discount": draw(discounts), "memo": draw(opt_text),
        "billTo": {"name": draw(opt_text), "email": draw(email)},
        "unknownField": draw(opt_text),
    }
    _with_totals(inv, "items", draw)
    return _drop(draw, inv, {"id", "items"})


@st.composite
def croco_payments(draw: Any) -> dict[str, Any]:
    pay: dict[str, Any] = {
        "id": f"pay_bad{next(_ids)}", "contactId": "con_bad", "currency": draw(mostly(HOME, CURRENCIES)),
        "status": draw(mostly("succeeded", ["failed", "refunded", "disputed", None])),
        "sourceType": draw(mostly(draw(st.sampled_from(["order_form", "checkout", "manual", "calendar",
                                                         "subscription"])), ["invoice", "crypto", None])),
        "sourceName": draw(opt_text), "mode": draw(mostly("live", ["test", None])),
        "paymentMethod": {"type": draw(st.sampled_from(["card", "cash", "wallet", "teleport", None])),
                          "brand": draw(opt_text), "last4": draw(st.sampled_from(["4242", "", None, "12345678"]))},
        "paidAt": draw(mostly("2025-06-01T23:30:00.000Z", [
            "2025-06-01T23:30:00+14:00", "2025-06-01Tnot a time", None, "2024-01-01T00:00:00.000Z"])),
        "lineItems": draw(line_items()), "discount": draw(discounts), "refunds": [],
    }
    _with_totals(pay, "lineItems", draw)
    if draw(st.booleans()):
        pay["amount"] = (pay.get("totals") or {}).get("total") or draw(money_str)
    return _drop(draw, pay, {"id", "lineItems"})


@st.composite
def croco_contacts(draw: Any) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "id": f"con_bad{next(_ids)}", "firstName": draw(opt_text), "lastName": draw(opt_text),
        "companyName": draw(opt_text), "displayName": draw(opt_text), "email": draw(email),
        "phone": draw(st.one_of(st.none(), text, st.sampled_from(["+1 (555) 010-9999 ext. 12345", "☎️"]))),
        "address": {"line1": draw(opt_text), "line2": draw(opt_text), "city": draw(opt_text),
                    "region": draw(opt_text), "postalCode": draw(opt_text),
                    "country": draw(st.one_of(st.none(), st.sampled_from(["US", "CA", "usa", "Canada", "ZZ"]),
                                              text))},
    }
    return _drop(draw, contact, {"id"})


# ================================================================================================
# the services the payloads must satisfy
# ================================================================================================
class QboTarget:
    """A QBO sandbox company (US with automated sales tax, or Canada with GST/HST/QST codes), its
    mapping context, one customer and one item to reference."""

    def __init__(self, sandbox: QboSandbox, realm: str) -> None:
        self.api = SandboxApi(sandbox, realm, CLIENT_ID)
        info = self.api.ok(self.api.get(f"companyinfo/{realm}"))["CompanyInfo"]
        prefs = self.api.ok(self.api.get("preferences"))["Preferences"]
        accounts = self.api.query("SELECT * FROM Account").get("Account", [])
        self.company = mapping.company_from_qbo(
            info, prefs, tax_codes=self.api.query("SELECT * FROM TaxCode").get("TaxCode", []),
            tax_rates=self.api.query("SELECT * FROM TaxRate").get("TaxRate", []), accounts=accounts,
            payment_methods=self.api.query("SELECT * FROM PaymentMethod").get("PaymentMethod", []))
        income = next(a for a in accounts if a.get("AccountType") == "Income")
        item = self.api.create("Item", {"Name": "Proof service", "Type": "Service",
                                        "IncomeAccountRef": {"value": income["Id"]}})
        customer = self.api.create("Customer", {"DisplayName": "Proof customer"})
        self.item_ref = {"value": item["Id"], "name": item["Name"]}
        self.customer_ref = {"value": customer["Id"], "name": customer["DisplayName"]}


@pytest.fixture(scope="module")
def qbo() -> Iterator[dict[str, QboTarget]]:
    sandbox = QboSandbox(time_scale=60.0, access_token_ttl_s=10**9)  # limits 60x; tokens outlive the run
    sandbox.add_company(US_REALM, preset="us", name="Proof US")
    sandbox.add_company(CA_REALM, preset="ca", name="Proof CA")
    sandbox.register_client(CLIENT_ID, CLIENT_SECRET, [])
    sandbox.start()
    try:
        yield {"us": QboTarget(sandbox, US_REALM), "ca": QboTarget(sandbox, CA_REALM)}
    finally:
        sandbox.stop()


@pytest.fixture(scope="module")
def croco() -> Iterator[CrocoHttp]:
    sandbox = CrocoSandbox(time_scale=60.0)
    sandbox.add_location("loc_bad", name="Proof", country="US", currency="USD", allow_duplicate_emails=True)
    sandbox.add_api_key("ck_test_proof_bad_input_0001", ["loc_bad"])
    sandbox.burst_limit = 100_000
    sandbox.start()
    http = CrocoHttp(sandbox, api_key="ck_test_proof_bad_input_0001", location_id="loc_bad")
    try:
        contact = sandbox.create_contact("loc_bad", firstName="Import", lastName="Target",
                                         email="import.target@example.com")
        http.contact_id = contact["id"]  # type: ignore[attr-defined]
        yield http
    finally:
        http.session.close()
        sandbox.stop()


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PushEngine]:
    """The real intake (PushEngine._enqueue_event) on a real state file; the QuickBooks context is
    only asked for its realm id there."""
    store = StateStore(tmp_path_factory.mktemp("bad-input") / "state.sqlite3")
    store.set_cursor(ACTIVATED_AT, ACTIVATED)
    engine = PushEngine(croco=None, ctx=SimpleNamespace(client=None, realm_id=US_REALM), store=store)  # type: ignore[arg-type]
    try:
        yield engine
    finally:
        store.close()


def assert_clear(exc: RecordError) -> None:
    assert isinstance(exc, RecordError)
    assert exc.message.strip() and exc.fix.strip(), (exc.message, exc.fix)
    assert "Traceback" not in exc.message


def accepted_by_qbo(target: QboTarget, entity: str, payload: dict[str, Any]) -> dict[str, Any]:
    unknown = load_field_model().unknown_fields(entity, payload)
    assert unknown == [], unknown
    response = target.api.post(entity.lower(), payload)
    assert response.status_code == 200, response.text[:2000]
    return target.api.data(response)[entity]


def queued(engine: PushEngine, event: dict[str, Any]) -> list[Any]:
    """Runs intake on one event (as `intake()` does, in a transaction); returns the outbox items it
    queued. Never raises; a refused record leaves one ERROR row with a message and a fix."""
    store = engine.store
    before_log, before = store.last_log_id(), len(engine.result.failures)
    with store.transaction():
        count = engine._enqueue_event(event)
    assert isinstance(count, int)
    if len(engine.result.failures) > before:
        errors = store.log_entries(min_level="ERROR", after_id=before_log)
        assert len(errors) == 1 and errors[0].message and errors[0].fix, errors
    rid = str((event.get("data") or {}).get("id") or "")
    items = [store.outbox_item(f"{kind}:{rid}") for kind in ("invoice", "payment")]
    items = [i for i in items if i is not None and i.status == "pending"][:count]
    for item in items:  # what the outbox handlers rely on: the record names its contact
        assert isinstance(item.payload.get("contactId"), str) and item.payload["contactId"], item.payload
    return items


# ================================================================================================
# CrocoClick -> QuickBooks
# ================================================================================================
@PROOF
@given(inv=croco_invoices(), region=st.sampled_from(["us", "ca"]),
       kind=st.sampled_from(["invoice.sent", "invoice.updated", "invoice.voided"]))
def test_hostile_invoices_through_intake_and_mapping(intake: PushEngine, qbo: dict[str, QboTarget],
                                                     inv: dict[str, Any], region: str, kind: str) -> None:
    target = qbo[region]
    if inv.get("currency") == HOME:
        inv["currency"] = target.company.home_currency
    items = queued(intake, {"id": f"evt_{inv['id']}", "type": kind, "data": inv})
    if not items:
        event(f"not queued: status {inv.get('status')!r} origin {inv.get('origin')!r} sent {inv.get('sentAt')!r}")
    for item in items:
        assert item.payload["id"] == inv["id"]  # the snapshot survived the state file (JSON, Decimal)
        if item.action != "upsert":
            event("queued as void")
            continue
        try:
            payload = mapping.invoice_payload(item.payload, customer_ref=target.customer_ref,
                                              item_refs=[target.item_ref], company=target.company)
        except RecordError as exc:
            assert_clear(exc)
            event(f"record error: {exc.message[:40]}")
            continue
        saved = accepted_by_qbo(target, "Invoice", payload)
        event(f"accepted by QBO ({len(payload['Line'])} lines)" if len(payload["Line"]) > 200 else "accepted by QBO")
        assert Decimal(str(saved["TotalAmt"])) == mapping.expected_qbo_total(item.payload)


@PROOF
@given(pay=croco_payments(), region=st.sampled_from(["us", "ca"]))
def test_hostile_payments_through_intake_and_mapping(intake: PushEngine, qbo: dict[str, QboTarget],
                                                     pay: dict[str, Any], region: str) -> None:
    target = qbo[region]
    if pay.get("currency") == HOME:
        pay["currency"] = target.company.home_currency
    items = queued(intake, {"id": f"evt_{pay['id']}", "type": "payment.succeeded", "data": pay})
    if not items:
        event("not queued (refused or out of scope)")
    for item in items:
        method = mapping.payment_method_for(item.payload.get("paymentMethod") or {}, target.company)
        try:
            if item.action == "sales_receipt":
                lines = item.payload.get("lineItems") or []
                payload = mapping.sales_receipt_payload(
                    item.payload, customer_ref=target.customer_ref, item_refs=[target.item_ref] * max(1, len(lines)),
                    company=target.company, payment_method_ref=method)
                entity = "SalesReceipt"
            else:
                payload = mapping.payment_payload(item.payload, customer_ref=target.customer_ref,
                                                  qbo_invoice_id="1", company=target.company,
                                                  payment_method_ref=method)
                entity = "Payment"
        except RecordError as exc:
            assert_clear(exc)
            event(f"record error: {exc.message[:40]}")
            continue
        event(f"mapped: {entity}")
        assert load_field_model().unknown_fields(entity, payload) == []
        if entity == "SalesReceipt":
            saved = accepted_by_qbo(target, entity, payload)
            assert Decimal(str(saved["TotalAmt"])) == mapping.expected_qbo_total(item.payload)


@PROOF
@given(contact=croco_contacts(), currency=st.sampled_from([None, "USD", "usd"]))
def test_hostile_contacts_become_valid_customers(qbo: dict[str, QboTarget], contact: dict[str, Any],
                                                 currency: str | None) -> None:
    """Every candidate DisplayName is valid; the first one QBO does not already use is created (the
    app's own order: a 6240 duplicate name moves to the next candidate; when all are taken the app
    reports a RecordError)."""
    target = qbo["us"]
    candidates = mapping.display_name_candidates(contact)
    assert candidates and all(0 < len(name) <= 500 and ":" not in name for name in candidates)
    for name in candidates:
        try:
            payload = mapping.customer_payload(contact, display_name=name, currency=currency)
        except RecordError as exc:
            assert_clear(exc)
            return
        assert load_field_model().unknown_fields("Customer", payload) == []
        response = target.api.post("customer", payload)
        if response.status_code == 400 and '"6240"' in response.text:
            continue
        assert response.status_code == 200, response.text[:2000]
        saved = target.api.data(response)["Customer"]
        update = mapping.customer_payload(contact, display_name=name, currency=None, existing=saved)
        assert mapping.is_noop_update(update), update  # what was written reads back the same
        return
    event("every candidate name already taken")  # the app's RecordError "no free customer name"


# ================================================================================================
# QuickBooks -> CrocoClick
# ================================================================================================
@st.composite
def qbo_customers(draw: Any) -> dict[str, Any]:
    cust: dict[str, Any] = {
        "Id": str(10_000 + next(_ids)), "DisplayName": draw(text), "GivenName": draw(opt_text),
        "FamilyName": draw(opt_text), "CompanyName": draw(opt_text),
        "PrimaryEmailAddr": {"Address": draw(email)},
        "PrimaryPhone": {"FreeFormNumber": draw(st.one_of(st.none(), text))},
        "Mobile": {"FreeFormNumber": draw(st.one_of(st.none(), st.sampled_from(["+33 6 12 34 56 78"])))},
        "BillAddr": {"Line1": draw(opt_text), "Line2": draw(opt_text), "City": draw(opt_text),
                     "CountrySubDivisionCode": draw(opt_text), "PostalCode": draw(opt_text),
                     "Country": draw(st.one_of(st.none(), st.sampled_from(["USA", "United States", "CA", "Mars"]),
                                               text))},
        "CurrencyRef": {"value": draw(st.sampled_from(["USD", "CAD", "usd", "", "EURO", "€", "€€€", "U$D"]))},
        "Active": True, "SyncToken": "0",
    }
    return _drop(draw, cust, {"Id"})


@PROOF
@given(customer=qbo_customers())
def test_hostile_qbo_customers_become_valid_contacts(croco: CrocoHttp, customer: dict[str, Any]) -> None:
    try:
        body = mapping.contact_body_from_customer(customer)
    except RecordError as exc:
        assert_clear(exc)
        event("record error")
        return
    event("mapped")
    try:
        validate_contact_write(json.loads(json.dumps(body)), create=True)
    except CrocoError as exc:
        pytest.fail(f"CrocoClick's validator refuses {body}: {exc.status} {exc.message} {exc.details}")
    response = croco.post("/contacts", json=body, headers={"Idempotency-Key": f"bad-input-{customer['Id']}"})
    assert response.status_code == 201, response.text[:2000]


@st.composite
def qbo_invoices(draw: Any) -> dict[str, Any]:
    """An invoice as a user could enter it in QuickBooks (sent to the sandbox, which computes its
    totals and stores it the way QBO answers it)."""
    lines = []
    for _ in range(draw(st.one_of(st.integers(1, 4), st.just(251)))):
        line: dict[str, Any] = {
            "DetailType": "SalesItemLineDetail",
            "Amount": draw(st.decimals(min_value=Decimal(0), max_value=Decimal("5000"), places=2)),
            "Description": draw(opt_text),
            "SalesItemLineDetail": {"ItemRef": {"value": "ITEM"}, "TaxCodeRef": {"value": draw(
                st.sampled_from(["TAX", "NON"]))}},
        }
        if draw(st.booleans()):
            qty = draw(st.sampled_from([Decimal(1), Decimal(3), Decimal("2.5"), Decimal("0.333")]))
            line["SalesItemLineDetail"]["Qty"] = qty
            line["SalesItemLineDetail"]["UnitPrice"] = (line["Amount"] / qty).quantize(Decimal("0.0000001"))
            line["Amount"] = (qty * line["SalesItemLineDetail"]["UnitPrice"]).quantize(Decimal("0.01"))
        if line["Description"] is None:
            del line["Description"]
        lines.append(line)
    if draw(st.booleans()):
        lines.append({"DetailType": "DiscountLineDetail", "Amount": Decimal("1.00"),
                      "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": draw(
                          st.sampled_from([Decimal(0), Decimal(5), Decimal("12.5"), Decimal(100)]))}})
    number = f"{next(_ids)}{draw(text)}"[:21]
    invoice: dict[str, Any] = {"DocNumber": number, "TxnDate": draw(st.dates(min_value=date(2000, 1, 1)).map(str)),
                               "Line": lines, "CustomerRef": {"value": "CUSTOMER"}}
    if draw(st.booleans()):
        invoice["CustomerMemo"] = {"value": draw(text)[:1000]}
    if draw(st.booleans()):
        invoice["TxnTaxDetail"] = {"TotalTax": draw(st.decimals(min_value=Decimal(0), max_value=Decimal(500),
                                                                places=2))}
    return invoice


@PROOF
@given(raw=qbo_invoices(), paid=st.sampled_from(["none", "part", "all"]))
def test_hostile_qbo_invoices_import_into_crococlick(qbo: dict[str, QboTarget], croco: CrocoHttp,
                                                     raw: dict[str, Any], paid: str) -> None:
    target = qbo["us"]
    for line in raw["Line"]:
        if line["DetailType"] == "SalesItemLineDetail":
            line["SalesItemLineDetail"]["ItemRef"] = dict(target.item_ref)
    raw["CustomerRef"] = dict(target.customer_ref)
    response = target.api.post("invoice", raw)
    assume(response.status_code == 200)  # what QuickBooks refuses never reaches the import
    invoice = target.api.data(response)["Invoice"]
    total = Decimal(str(invoice["TotalAmt"]))
    if paid != "none" and total > 0:
        amount = total if paid == "all" else (total / 2).quantize(Decimal("0.01"))
        if amount > 0:
            target.api.create("Payment", {"CustomerRef": target.customer_ref, "TotalAmt": amount,
                                          "Line": [{"Amount": amount, "LinkedTxn": [
                                              {"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
            invoice = target.api.read("Invoice", invoice["Id"])
    try:
        body = mapping.invoice_body_from_qbo(invoice, contact_id=croco.contact_id,  # type: ignore[attr-defined]
                                             currency="USD", company=target.company)
    except RecordError as exc:
        assert_clear(exc)
        event(f"record error: {exc.message[:40]}")
        return
    event("mapped")
    wire = json.loads(json.dumps(body, default=str))
    try:
        validate_invoice_create(wire)
    except CrocoError as exc:
        pytest.fail(f"CrocoClick's validator refuses the import of {invoice['Id']}: {exc.message} {exc.details}")
    answer = croco.post("/invoices", json=wire, headers={"Idempotency-Key": f"bad-input-inv-{invoice['Id']}"})
    assert answer.status_code == 201, answer.text[:2000]
    created = answer.json()
    assert Decimal(created["totals"]["total"]) == total
    assert Decimal(created["amountPaid"]) == total - Decimal(str(invoice["Balance"]))


# ================================================================================================
# end to end through the real CLI
# ================================================================================================
def test_problem_records_next_to_good_ones_through_the_cli(world_ca: World, data_home: Path) -> None:
    """A Canadian world: a contact without email, one with a unicode name, a 250-line invoice, one
    totalling zero, one with a tax no QuickBooks tax code matches ("Imaginary tax" 7.77 %), and two
    good ones. `crocoqb sync --once` exits 1 without a traceback; the good records are in QuickBooks;
    each failure is exactly one ERROR row in `crocoqb log --json`, with a plain message and a fix."""
    w = world_ca
    hst = [{"name": "HST ON", "rate": 13}]
    good = w.contact("Alice", "Tremblay", "alice@example.ca")
    unicode_contact = w.contact("Zoë", "Ørsted-Łukasz 李", "zoe@example.ca")
    no_email = w.contact("Nobody", "Mailless", None, phone="+1 416 555 0100")

    def invoice(contact: dict[str, Any], number: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        return w.croco.create_invoice(w.loc, contact_id=contact["id"], number=number, items=items, send=True)

    good_1 = invoice(good, "GOOD-1", [{"name": "Atelier", "quantity": 2, "unitPrice": "75.00", "taxes": hst}])
    good_2 = invoice(unicode_contact, "GOOD-2", [{"name": "Séance 🐊 «spéciale»", "quantity": 1,
                                                  "unitPrice": "120.00", "taxes": hst}])
    long_one = invoice(good, "LONG-250", [{"name": f"Ligne {i} – ü", "quantity": 1, "unitPrice": "1.25",
                                           "taxes": hst} for i in range(250)])
    zero = invoice(good, "ZERO-1", [{"name": "Offert", "quantity": 1, "unitPrice": "0.00"}])
    imaginary = invoice(good, "IMAG-1", [{"name": "Conseil", "quantity": 1, "unitPrice": "100.00",
                                          "taxes": [{"name": "Imaginary tax", "rate": 7.77}]}])
    mailless = invoice(no_email, "NOMAIL-1", [{"name": "Conseil", "quantity": 1, "unitPrice": "50.00",
                                               "taxes": hst}])

    env = dict(os.environ, CROCOQB_HOME=str(data_home), CROCOQB_KEYRING_SERVICE="CrocoQB-test")
    sync = subprocess.run([sys.executable, "-m", "crocoqb_desktop", "sync", "--once"], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=180)
    record_output(sync.stdout + sync.stderr)
    assert sync.returncode == 1, sync.stdout + sync.stderr
    assert "Traceback" not in sync.stdout + sync.stderr

    in_qbo = {str(i.get("PrivateNote", "")).split()[1] for i in w.qbo_objects("Invoice") if i.get("PrivateNote")}
    assert {good_1["id"], good_2["id"], long_one["id"], zero["id"]} <= in_qbo
    assert imaginary["id"] not in in_qbo and mailless["id"] not in in_qbo
    [qbo_long] = [i for i in w.qbo_objects("Invoice") if long_one["id"] in str(i.get("PrivateNote"))]
    assert len([ln for ln in qbo_long["Line"] if ln.get("DetailType") == "SalesItemLineDetail"]) == 250
    assert Decimal(str(qbo_long["TotalAmt"])) == Decimal(long_one["totals"]["total"])
    names = {c["DisplayName"] for c in w.qbo_objects("Customer")}
    assert "Zoë Ørsted-Łukasz 李" in names

    log = subprocess.run([sys.executable, "-m", "crocoqb_desktop", "log", "--json", "--level", "ERROR"], env=env,
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    record_output(log.stdout + log.stderr)
    assert log.returncode == 0, log.stderr
    errors = json.loads(log.stdout)
    by_record = {e["croco_id"]: e for e in errors}
    assert len(errors) == 2 and set(by_record) == {imaginary["id"], mailless["id"]}, errors
    for entry in errors:
        assert entry["message"].strip() and entry["fix"].strip()
        assert "Traceback" not in entry["message"] and "Error(" not in entry["message"]
    assert "Imaginary tax" in by_record[imaginary["id"]]["message"]
    assert "tax code" in by_record[imaginary["id"]]["fix"]
    assert "email" in by_record[mailless["id"]]["message"] and "email" in by_record[mailless["id"]]["fix"]
