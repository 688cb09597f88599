"""Rule 14 in the window (pytest-qt, offscreen, both sandboxes): the settings explain clearing mode with an
example before it is turned on; the Payouts page lists payouts with their items, pending then booked
once the bank account is chosen on the page, and says whether the clearing account balances."""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from crocoqb_desktop.gui import i18n  # noqa: E402
from crocoqb_desktop.settings import Settings  # noqa: E402
from tests.test_gui import make_app, until, wait_sync  # noqa: E402,F401 (make_app: the GUI tests' fixture)

CARD = {"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"}


@pytest.fixture(autouse=True)
def english() -> Any:
    i18n.install_language("en")
    yield
    i18n.install_language("en")


def _mapped(kind: str) -> str | None:
    from crocoqb_desktop.sync.mappings import Mappings
    from crocoqb_desktop.sync.store import StateStore

    store = StateStore()
    try:
        return Mappings(store).target(kind, "stripe")
    finally:
        store.close()


def test_settings_explain_clearing_with_an_example_before_it_is_on(world_unconnected, make_app, qtbot) -> None:  # noqa: F811
    app = make_app()
    dialog = app.open_settings()
    box = dialog.payouts_box
    assert not box.check.isChecked() and dialog.values()["sync.payouts"] == "off"
    assert box.explanation.isVisible() and box.example.isVisible()
    assert "CrocoClick Payments - stripe" in box.explanation.text() and "Merchant fees" in box.explanation.text()
    assert box.example.text().startswith("Example: a customer pays $100.00")
    assert "from the moment you turn it on" in box.applies.text()
    assert not box.next_step.isVisible()
    box.check.setChecked(True)
    assert box.next_step.isVisible() and "Payouts tab" in box.next_step.text()
    dialog.save()
    until(qtbot, lambda: not dialog.isVisible(), timeout=5_000)
    assert Settings().get("sync.payouts") == "clearing"
    until(qtbot, lambda: app.window.payouts_page.mode_label.text().startswith("Clearing is on"), timeout=5_000)


def test_payouts_page_pending_then_booked_after_choosing_the_bank(world, make_app, qtbot) -> None:  # noqa: F811
    Settings().set("sync.payouts", "clearing")
    app = make_app()
    page = app.window.payouts_page
    assert app.window.tabs.tabText(app.window.tabs.indexOf(page)) == "Payouts"
    contact = world.contact("Paula", "Page", "paula@example.com")
    for price, fee in (("120.00", "3.78"), ("80.00", "2.62")):
        world.croco.record_payment(world.loc, contact_id=contact["id"], source_type="checkout", method=CARD,
                                   items=[{"name": "Seat", "quantity": 1, "unitPrice": price}], fee=fee)
    payout = world.croco.create_payout(world.loc, provider="stripe")
    world.croco.set_payout_status(world.loc, payout["id"], "paid")
    previous = app.controller.last_result
    app.controller.sync_now()
    wait_sync(qtbot, app, previous)
    app.window.tabs.setCurrentWidget(page)
    until(qtbot, lambda: page.row_texts() and page.row_texts()[0][3].startswith("Pending"), timeout=10_000)
    [row] = page.row_texts()
    assert payout["id"] in row[1] and row[2] == "193.60 USD" and "bank account" in row[3]
    top = page.tree.topLevelItem(0)
    assert top is not None and top.childCount() == 2
    assert {top.child(i).text(3) for i in range(2)} == {"in QuickBooks"}
    assert "Balanced" in page.balance_label.text() and "193.60" in page.balance_label.text()
    # the user picks the bank account on the page: the payout is booked at the next sync
    combo = page.account_combos[("payout", "stripe")]
    checking = combo.findText("Checking")
    assert checking > 0
    combo.setCurrentIndex(checking)
    until(qtbot, lambda: _mapped("payout") == "1" or page.error_label.text(), timeout=5_000)
    assert page.error_label.text() == ""
    until(qtbot, lambda: page.account_combos[("payout", "stripe")].currentText() == "Checking", timeout=5_000)
    assert page.account_combos[("adjustment", "stripe")].findText("Cost of Goods Sold") > 0
    previous = app.controller.last_result
    app.controller.sync_now()
    wait_sync(qtbot, app, previous)
    until(qtbot, lambda: page.row_texts()[0][3] == "Booked", timeout=10_000)
    until(qtbot, lambda: "0.00, what stripe still holds for you. Balanced." in page.balance_label.text(),
          timeout=5_000)
    [transfer] = world.qbo_objects("Transfer")
    assert str(transfer["Amount"]) in ("193.6", "193.60")
    # the bookkeeper edits a booked fee in QuickBooks: the page says the clearing account drifts
    from tests.plugins.world_fixtures import qbo_api

    fee = world.qbo_objects("Purchase")[0]
    line = fee["Line"][0]
    qbo_api(world, "POST", "purchase", {"Id": fee["Id"], "SyncToken": fee["SyncToken"], "sparse": True, "Line": [
        {"DetailType": line["DetailType"], "Amount": "9.99",
         "AccountBasedExpenseLineDetail": {"AccountRef": line["AccountBasedExpenseLineDetail"]["AccountRef"]}}]})
    page.refresh_button.click()
    until(qtbot, lambda: "changed or deleted in QuickBooks" in page.balance_label.text(), timeout=10_000)
    assert page.balance_label.objectName() == "error"
