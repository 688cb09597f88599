"""The pre-flight check (`crocoqb check`, rule 10) and the mappings the sync then follows, end to end
against both sandboxes (US and Canadian companies) over real HTTP."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from crocoqb_desktop import cli
from crocoqb_desktop.sandbox.qbo_presets import company_settings


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def check(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, "check", "--json")
    assert code in (0, 1), err
    return code, json.loads(out)


def rows(report: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {r["source"]: r for r in report["mappings"] if r["kind"] == kind}


def _is_write(request: dict[str, Any]) -> bool:
    return request["method"] != "GET" and not request["path"].endswith("/query")


def checked_without_writes(world, capsys) -> tuple[int, dict[str, Any]]:
    """Runs the check and proves it wrote nothing to either service."""
    qbo_before, croco_before = len(world.qbo.request_log), len(world.croco.request_log)
    code, report = check(capsys)
    assert len(world.qbo.request_log) > qbo_before  # it did read QuickBooks
    assert [r for r in world.qbo.request_log[qbo_before:] if _is_write(r)] == []
    # (renewing the QuickBooks access token through CrocoClick's relay is a POST that writes no data)
    assert [r for r in world.croco.request_log[croco_before:]
            if r.get("method") != "GET" and r["path"] != "/integrations/quickbooks/token"] == []
    return code, report


def add_code(world, name: str, rate_ids: list[str]) -> dict[str, Any]:
    return world.qbo.put_entity(world.realm, "TaxCode", {
        "Name": name, "Description": name, "Active": True, "Taxable": True, "TaxGroup": len(rate_ids) > 1,
        "SalesTaxRateList": {"TaxRateDetail": [{"TaxRateRef": {"value": r}, "TaxTypeApplicable": "TaxOnAmount",
                                                "TaxOrder": 0} for r in rate_ids]},
        "PurchaseTaxRateList": {"TaxRateDetail": []}})


def invoice(world, tax_name: str, rate: float, number: str = "INV-1") -> dict[str, Any]:
    ann = world.contact("Ann", "Lee", f"ann.{number.lower()}@example.com")
    return world.croco.create_invoice(world.loc, contact_id=ann["id"], number=number, send=True, items=[
        {"name": "Coaching session", "quantity": 2, "unitPrice": "75.00", "taxes": [{"name": tax_name, "rate": rate}]},
        {"name": "Workbook", "quantity": 3, "unitPrice": "19.99", "taxes": [{"name": tax_name, "rate": rate}]},
    ])


# -- two tax codes at one rate: a question for the user ---------------------------------------------
def test_canada_ambiguous_tax_is_a_question_then_the_mapping_is_followed(world_ca, capsys) -> None:
    w = world_ca
    second = add_code(w, "HST 13 (old)", ["2"])  # a second code at 13 %, next to "HST ON"
    inv = invoice(w, "HST", 13)

    code, report = checked_without_writes(w, capsys)
    assert code == 1 and report["ready"] is False
    hst = rows(report, "tax")["HST"]
    assert hst["status"] == "problem" and hst["reason"] == "ambiguous_tax"
    assert "'HST ON' (Id 3)" in hst["message"] and f"'HST 13 (old)' (Id {second['Id']})" in hst["message"]
    assert "map set tax" in hst["fix"]
    code, out, _ = run(capsys, "check")
    assert code == 1 and "X tax" in out and "HST 13 (old)" in out
    assert w.sync().exit_code == 1  # the sync does not toss a coin either
    assert w.qbo_objects("Invoice") == []

    code, _out, err = run(capsys, "map", "set", "tax", "HST", second["Id"])
    assert code == 0, err
    code, report = checked_without_writes(w, capsys)
    assert code == 0, report
    hst = rows(report, "tax")["HST"]
    assert (hst["qbo_id"], hst["how"], hst["set_by"]) == (second["Id"], "mapping", "user")

    assert run(capsys, "sync", "--once")[0] == 0  # "Sync now" retries the invoice that waited
    [qbo_inv] = w.qbo_objects("Invoice")
    codes = {line["SalesItemLineDetail"]["TaxCodeRef"]["value"] for line in qbo_inv["Line"]
             if line["DetailType"] == "SalesItemLineDetail"}
    assert codes == {second["Id"]}
    assert Decimal(str(qbo_inv["TotalAmt"])) == Decimal(inv["totals"]["total"])


def test_us_without_automated_sales_tax_ambiguous_code_then_mapping(world, capsys) -> None:
    world.qbo.put_entity(world.realm, "Preferences", company_settings(automated_sales_tax=False))
    second = add_code(world, "Bay Area (old)", ["1"])  # the same 8 % as "California"
    inv = invoice(world, "Sales tax", 8)
    code, report = checked_without_writes(world, capsys)
    assert code == 1
    assert rows(report, "tax")["Sales tax"]["reason"] == "ambiguous_tax"
    assert run(capsys, "map", "set", "tax", "Sales tax", second["Id"])[0] == 0
    code, report = checked_without_writes(world, capsys)
    assert code == 0, report
    assert world.sync().exit_code == 0
    [qbo_inv] = world.qbo_objects("Invoice")
    assert qbo_inv["TxnTaxDetail"]["TxnTaxCodeRef"]["value"] == second["Id"]
    assert Decimal(str(qbo_inv["TotalAmt"])) == Decimal(inv["totals"]["total"])


def test_us_automated_sales_tax_needs_no_tax_mapping(world, capsys) -> None:
    invoice(world, "Sales tax", 8.875)
    code, report = checked_without_writes(world, capsys)
    assert code == 0, report
    row = rows(report, "tax")["Sales tax"]
    assert (row["how"], row["qbo_id"], row["detail"]) == ("automated", "TAX", "8.875%")


def test_a_mapped_tax_code_made_inactive_is_reported(world_ca, capsys) -> None:
    invoice(world_ca, "HST ON", 13)
    assert run(capsys, "map", "set", "tax", "HST ON", "3")[0] == 0
    code = world_ca.qbo.entities(world_ca.realm, "TaxCode")
    hst = next(c for c in code if c["Id"] == "3")
    world_ca.qbo.put_entity(world_ca.realm, "TaxCode", dict(hst, Active=False))
    code, report = checked_without_writes(world_ca, capsys)
    row = rows(report, "tax")["HST ON"]
    assert code == 1 and row["status"] == "problem" and "inactive" in row["message"] and "Id 3" in row["message"]


# -- items and free-text lines -----------------------------------------------------------------------
@pytest.fixture(params=["world", "world_ca"])
def any_world(request: pytest.FixtureRequest) -> Any:
    """The US company, then the Canadian one."""
    return request.getfixturevalue(request.param)


def test_items_product_mapping_and_free_text_lines_use_one_default_item(any_world, capsys) -> None:
    world = any_world
    seat = world.qbo.put_entity(world.realm, "Item", {"Name": "Workshop seat", "Type": "Service",
                                                      "IncomeAccountRef": {"value": "2"}})
    bob = world.contact("Bob", "Stone", "bob@example.com")
    lines = [{"name": f"Custom print #{n}", "description": "A4, matte" if n == 1 else None, "quantity": 1,
              "unitPrice": "10.00"} for n in range(1, 31)]
    lines.append({"name": "Spring workshop", "productId": "prod_ws", "quantity": 1, "unitPrice": "149.00"})
    lines.append({"name": "Services", "quantity": 1, "unitPrice": "50.00"})  # an item has that exact name
    inv = world.croco.create_invoice(world.loc, contact_id=bob["id"], number="INV-7", send=True, items=lines)

    code, report = checked_without_writes(world, capsys)
    assert code == 0, report
    items = rows(report, "item")
    assert items["prod_ws"]["how"] == "created" and items["prod_ws"]["qbo_id"] == ""
    assert items["Custom print #3"]["how"] == "default" and items["Custom print #3"]["qbo_name"] == "CrocoClick sale"
    assert (items["Services"]["how"], items["Services"]["qbo_id"]) == ("name", "1")
    assert "CrocoClick sale" in report["free_text_rule"]

    assert run(capsys, "map", "set", "item", "prod_ws", seat["Id"])[0] == 0
    code, report = checked_without_writes(world, capsys)
    assert (rows(report, "item")["prod_ws"]["how"], rows(report, "item")["prod_ws"]["qbo_id"]) == ("mapping",
                                                                                                  seat["Id"])
    assert world.sync().exit_code == 0
    items_after = world.qbo_objects("Item")
    assert sorted(i["Name"] for i in items_after) == ["CrocoClick sale", "Services", "Workshop seat"]
    [qbo_inv] = world.qbo_objects("Invoice")
    sale_id = next(i["Id"] for i in items_after if i["Name"] == "CrocoClick sale")
    item_lines = [ln for ln in qbo_inv["Line"] if ln["DetailType"] == "SalesItemLineDetail"]
    assert [ln["SalesItemLineDetail"]["ItemRef"]["value"] for ln in item_lines] == [sale_id] * 30 + [seat["Id"], "1"]
    assert item_lines[0]["Description"] == "Custom print #1: A4, matte"
    assert item_lines[2]["Description"] == "Custom print #3"
    assert Decimal(str(qbo_inv["TotalAmt"])) == Decimal(inv["totals"]["total"])

    code, report = checked_without_writes(world, capsys)  # after the sync: the default item exists now
    assert rows(report, "item")["Custom print #3"]["qbo_id"] == sale_id


def test_configured_default_item_and_an_inactive_mapped_item(world, capsys) -> None:
    misc = world.qbo.put_entity(world.realm, "Item", {"Name": "Misc sales", "Type": "Service",
                                                      "IncomeAccountRef": {"value": "2"}})
    gone = world.qbo.put_entity(world.realm, "Item", {"Name": "Old thing", "Type": "Service",
                                                      "IncomeAccountRef": {"value": "2"}})
    assert run(capsys, "config", "set", "sync.default_item", "Misc sales")[0] == 0
    bob = world.contact("Bob", "Stone", "bob@example.com")
    world.croco.create_invoice(world.loc, contact_id=bob["id"], number="INV-8", send=True, items=[
        {"name": "Gift wrap", "quantity": 1, "unitPrice": "5.00"},
        {"name": "Poster", "quantity": 1, "unitPrice": "25.00"}])
    assert run(capsys, "map", "set", "item", "Poster", gone["Id"])[0] == 0
    world.qbo.put_entity(world.realm, "Item", dict(gone, Active=False))
    code, report = checked_without_writes(world, capsys)
    items = rows(report, "item")
    assert (items["Gift wrap"]["how"], items["Gift wrap"]["qbo_id"]) == ("default", misc["Id"])
    assert code == 1 and items["Poster"]["status"] == "problem" and "inactive" in items["Poster"]["message"]
    assert "Misc sales" in report["free_text_rule"]


# -- deposit accounts --------------------------------------------------------------------------------
def test_deposit_account_per_source_type(any_world, capsys) -> None:
    world = any_world
    c = world.contact("Chloé", "Dubois", "chloe@example.com")
    for source in ("checkout", "calendar"):
        world.croco.record_payment(world.loc, contact_id=c["id"], source_type=source,
                                   items=[{"name": "Spring workshop", "quantity": 1, "unitPrice": "149.00"}],
                                   method={"type": "card", "brand": "visa", "last4": "4242",
                                           "provider": "stripe"})
    code, report = checked_without_writes(world, capsys)
    assert code == 0, report
    deposits = rows(report, "deposit")
    assert {s: (r["qbo_name"], r["how"]) for s, r in deposits.items()} == {
        "checkout": ("Undeposited Funds", "default"), "calendar": ("Undeposited Funds", "default")}
    assert rows(report, "method")["card visa"]["qbo_name"] == "Visa"
    assert rows(report, "clearing")["stripe"]["how"] == "none"
    assert {"id": "1", "name": "Checking"} in report["choices"]["deposit"]
    assert all(ch["name"] != "Cost of Goods Sold" for ch in report["choices"]["deposit"])

    assert run(capsys, "map", "set", "deposit", "checkout", "1")[0] == 0
    code, report = checked_without_writes(world, capsys)
    assert (rows(report, "deposit")["checkout"]["qbo_name"], rows(report, "deposit")["checkout"]["how"]) == (
        "Checking", "mapping")
    assert world.sync().exit_code == 0
    receipts = {r["PrivateNote"].split("(")[-1].split(":")[0].rstrip(")"): r for r in world.qbo_objects("SalesReceipt")}
    assert receipts["checkout"]["DepositToAccountRef"]["value"] == "1"
    assert receipts["calendar"]["DepositToAccountRef"]["value"] == "7"


# -- company settings --------------------------------------------------------------------------------
def test_each_company_setting_is_detected_and_shown(world, capsys) -> None:
    bob = world.contact("Bob", "Stone", "bob@example.com")
    for number, day in (("OLD-1", "2026-03-02"), ("NEW-1", "2026-09-15")):
        world.croco.create_invoice(world.loc, contact_id=bob["id"], number=number, send=True, issue_date=day,
                                   items=[{"name": "Coaching", "quantity": 1, "unitPrice": "100.00"}])
    code, report = checked_without_writes(world, capsys)
    settings = {r["kind"]: r for r in report["settings"]}
    assert settings["custom_txn_numbers"]["source"] == "on"
    assert settings["automated_sales_tax"]["source"] == "on"
    assert (settings["multicurrency"]["source"], settings["multicurrency"]["detail"]) == ("off", "USD")
    assert settings["class_location_tracking"]["source"] == "off"
    assert settings["closing_date"]["source"] == "none"

    world.qbo.put_entity(world.realm, "Preferences", company_settings(
        custom_txn_numbers=False, automated_sales_tax=False, multicurrency=True, class_tracking=True,
        location_tracking=True, book_close_date="2026-06-30"))
    code, report = checked_without_writes(world, capsys)
    settings = {r["kind"]: r for r in report["settings"]}
    assert settings["custom_txn_numbers"]["source"] == "off"
    assert "QuickBooks numbers invoices itself" in settings["custom_txn_numbers"]["message"]
    assert settings["automated_sales_tax"]["source"] == "off"
    assert settings["multicurrency"]["source"] == "on"
    assert settings["class_location_tracking"]["source"] == "class + location"
    assert settings["class_location_tracking"]["status"] == "warning"
    assert (settings["closing_date"]["source"], settings["closing_date"]["status"]) == ("2026-06-30", "warning")
    assert settings["closing_date"]["count"] == 1 and "dated on or before it: 1" in settings["closing_date"]["fix"]
    assert code == 0  # settings are shown, they do not stop the sync
    code, out, _ = run(capsys, "check")
    assert "closed up to 2026-06-30" in out and "QuickBooks tracks class and location" in out


def test_foreign_currency_without_multicurrency_is_a_problem(world_ca, capsys) -> None:
    ann = world_ca.contact("Ann", "Lee", "ann@example.ca")
    world_ca.croco.create_invoice(world_ca.loc, contact_id=ann["id"], number="INV-2", send=True, currency="USD",
                                  items=[{"name": "Coaching", "quantity": 1, "unitPrice": "100.00"}])
    code, report = checked_without_writes(world_ca, capsys)
    row = rows(report, "currency")["USD"]
    assert code == 1 and row["reason"] == "currency_not_enabled" and "CAD" in row["message"]
    assert {r["kind"]: r for r in report["settings"]}["custom_txn_numbers"]["source"] == "off"


def test_check_cannot_run_without_crococlick(data_home, keychain_clean, capsys) -> None:
    code, out, err = run(capsys, "check")
    assert code == 2 and "CrocoClick" in err and "Traceback" not in err


def test_mapped_accounts_made_inactive_are_reported(world, capsys) -> None:
    c = world.contact("Chloé", "Dubois", "chloe@example.com")
    world.croco.record_payment(world.loc, contact_id=c["id"], source_type="checkout",
                               items=[{"name": "Spring workshop", "quantity": 1, "unitPrice": "149.00"}],
                               method={"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"})
    bank = world.qbo.put_entity(world.realm, "Account", {"Name": "Stripe clearing", "AccountType": "Bank"})
    assert run(capsys, "map", "set", "deposit", "checkout", bank["Id"])[0] == 0
    assert run(capsys, "map", "set", "clearing", "stripe", bank["Id"])[0] == 0
    code, report = checked_without_writes(world, capsys)
    assert code == 0, report
    assert rows(report, "clearing")["stripe"]["qbo_name"] == "Stripe clearing"
    world.qbo.put_entity(world.realm, "Account", dict(bank, Active=False))
    code, report = checked_without_writes(world, capsys)
    assert code == 1
    deposit, clearing = rows(report, "deposit")["checkout"], rows(report, "clearing")["stripe"]
    assert deposit["reason"] == "deposit_account_inactive" and f"Id {bank['Id']}" in deposit["message"]
    assert clearing["reason"] == "mapped_account_inactive" and "Stripe clearing" in clearing["message"]
    assert run(capsys, "sync", "--once")[0] == 1  # the receipt waits, with the same message, never lands elsewhere
    assert world.qbo_objects("SalesReceipt") == []

