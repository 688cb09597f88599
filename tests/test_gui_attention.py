"""The "Needs attention" page end to end: real widgets (offscreen), both sandboxes over HTTP. A merged
customer's invoice shows as a card with its message, fix and buttons; the count is on the tab, the banner
and the tray; Relink… searches QuickBooks customers by name or email; a new problem notifies once."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QDialog  # noqa: E402

from crocoqb_desktop.sync.mapping import normalise_email  # noqa: E402
from tests.test_gui import LEFT, english, make_app, until, wait_sync  # noqa: E402, F401


def _merged_away(w):
    ann = w.contact("Ann", "Lee", "ann@example.com")
    w.croco.create_invoice(w.loc, contact_id=ann["id"], number="INV-1", send=True,
                           items=[{"name": "Coaching", "quantity": 1, "unitPrice": "100.00"}])
    assert w.sync().exit_code == 0
    old = next(c for c in w.qbo_objects("Customer")
               if normalise_email(c["PrimaryEmailAddr"]["Address"]) == "ann@example.com")
    survivor = w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Lee Holdings",
                                                      "PrimaryEmailAddr": {"Address": "ap@leeholdings.com"}})
    w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Leeward Bakery",
                                           "PrimaryEmailAddr": {"Address": "hello@leeward.example"}})
    w.qbo.merge_customers(w.realm, old["Id"], survivor["Id"])
    w.croco.create_invoice(w.loc, contact_id=ann["id"], number="INV-2", send=True,
                           items=[{"name": "Coaching", "quantity": 1, "unitPrice": "100.00"}])
    return survivor


def test_needs_attention_lists_the_problem_and_relink_through_the_customer_picker(world, make_app, qtbot,  # noqa: F811
                                                                                 monkeypatch) -> None:
    survivor = _merged_away(world)
    app = make_app(tray=True)
    win = app.window
    previous = app.controller.last_result
    app.controller.sync_now()
    result = wait_sync(qtbot, app, previous)
    assert result.exit_code == 1 and result.problems == 1
    page = win.attention_page
    until(qtbot, lambda: len(page.cards) == 1)
    card = page.cards[0]
    assert card.problem.reason == "customer_inactive"
    assert "merged or made inactive" in card.message_label.text() and "Relink" in card.fix_label.text()
    assert sorted(card.buttons) == ["relink", "resend", "skip"]
    assert win.tabs.tabText(win.tabs.indexOf(win.attention_page)) == "Needs attention (1)"
    until(qtbot, lambda: any("1 record could not be synced" in t for t in win.banner.texts()))
    assert app.tray.state == "problem"
    assert [t for t, _ in app.tray.notifications] == ["1 record could not be synced"]  # once, for the new one

    # Relink…: the picker searches QuickBooks by name, then by email
    pickers = []

    def run_picker(picker: QDialog) -> int:
        pickers.append(picker)
        picker.search.setText("Lee")
        picker.run_search()
        until(qtbot, lambda: picker.list.count() == 2)  # Lee Holdings, Leeward Bakery; not the merged one
        picker.search.setText("AP@LEEHOLDINGS")
        picker.run_search()
        until(qtbot, lambda: picker.list.count() == 1)
        picker.list.setCurrentRow(0)
        picker._accept()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr("crocoqb_desktop.gui.attention.CustomerPicker.exec", run_picker)
    previous = app.controller.last_result
    qtbot.mouseClick(card.buttons["relink"], LEFT)
    assert pickers and pickers[0].chosen == survivor["Id"]
    wait_sync(qtbot, app, previous)
    until(qtbot, lambda: page.cards == [] and win.tabs.tabText(win.tabs.indexOf(win.attention_page)) == "Needs attention (0)", timeout=10_000)
    invoices = world.qbo_objects("Invoice")
    assert len(invoices) == 2 and all(i["CustomerRef"]["value"] == survivor["Id"] for i in invoices)
    until(qtbot, lambda: app.tray.state == "ok", timeout=10_000)
    assert len(app.tray.notifications) == 1  # no notification for what was already shown


def test_a_payout_waiting_for_its_bank_account_is_a_card_until_the_account_is_chosen(world, make_app,  # noqa: F811
                                                                                      qtbot) -> None:
    """Issue 16 + 11: the payout names itself on the page, with Retry and Skip; choosing its bank account
    (the same call the Payouts page and the mapping editor make) books it and the card goes away."""
    from crocoqb_desktop.settings import Settings

    Settings().set("sync.payouts", "clearing")
    c = world.contact("Fay", "Led", "fay@example.com")
    world.croco.record_payment(world.loc, contact_id=c["id"], source_type="checkout",
                               method={"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"},
                               items=[{"name": "Seat", "quantity": 1, "unitPrice": "100.00"}], fee="3.20")
    assert world.sync().exit_code == 0
    payout = world.croco.create_payout(world.loc, provider="stripe")
    world.croco.set_payout_status(world.loc, payout["id"], "paid")
    app = make_app()
    win = app.window
    previous = app.controller.last_result
    app.controller.sync_now()
    assert wait_sync(qtbot, app, previous).problems == 1
    page = win.attention_page
    until(qtbot, lambda: len(page.cards) == 1)
    card = page.cards[0]
    assert (card.problem.kind, card.problem.reason) == ("payout", "payout_no_bank")
    assert sorted(card.buttons) == ["retry", "skip"] and payout["id"] in card.message_label.text()
    from crocoqb_desktop.gui.attention import record_title

    assert record_title(card.problem) == f"Payout {payout['id']}"
    checking = next(a for a in world.qbo_objects("Account") if a["Name"] == "Checking")
    with qtbot.waitSignal(app.controller.mapping_saved, timeout=10_000):
        app.controller.set_mapping("payout", "stripe", checking["Id"])
    previous = app.controller.last_result
    app.controller.sync_now()
    assert wait_sync(qtbot, app, previous).problems == 0
    until(qtbot, lambda: page.cards == [], timeout=10_000)
    assert len(world.qbo_objects("Transfer")) == 1
