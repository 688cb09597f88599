"""Screenshots of the desktop app, in English and French, against the embedded sandboxes.

    xvfb-run -a .ci/with-keyring .venv/bin/python -m crocoqb_desktop.gui.screenshots [--out screenshots]

Writes to `screenshots/` (one set per language, `-en` / `-fr` suffixes):
  01-setup            the main window before connecting (CrocoClick connected, toggles chosen)
  02-connecting       after pressing Connect: the address as text, Copy, the paste fallback
  03-connected        Connected with the company name, after the first sync
  04-problem          a record that failed: the banner with the fix, the failed count
  05-what-is-synced   the sync rules in force
  06-log-errors       the log viewer filtered on errors, a failure selected (details and fix)
  07-settings         the settings dialog (with the clearing-mode explanation and its example)
  08-log-all          the whole log (every row rendered in the language, Record = invoice number or name)
  09-check            the Check page: company settings, where each thing goes, a line that cannot map yet
  10-mapping-editor   choosing the deposit account of a payment source type
  11-needs-attention  the records that need the user, each with its fix and actions (rule 9)
  12-relink-picker    Relink…: QuickBooks customers searched by name or email
  13-payouts          the Payouts tab: a booked payout with a dispute, one pending, the clearing check
  14-profiles         a second business added (its own sandboxes): the profile bar with each one's status
  15-tray-profiles    the tray menu with two businesses: worst state, Sync all / Sync now per business
Uses its own data folders and the keychain service "CrocoQB-screenshots" (removed afterwards).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
os.environ["CROCOQB_KEYRING_SERVICE"] = "CrocoQB-screenshots"

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

SECRETS = ("croco.api_key", "qbo.refresh_token", "qbo.realm_id", "qbo.client_secret")


def settle(app: QApplication, seconds: float = 0.4) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def wait(app: QApplication, condition: Any, timeout: float = 60.0, what: Any = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return
        time.sleep(0.01)
    raise SystemExit(f"timed out waiting for {what() if callable(what) else what or condition}")


def grab(app: QApplication, widget: QWidget, path: Path) -> None:
    widget.show()
    widget.raise_()
    settle(app)
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path}")


def clean_keychain() -> None:
    from crocoqb_desktop import keychain

    for name in SECRETS:
        keychain.delete_secret(name)


def shoot(app: QApplication, language: str, out: Path) -> None:
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.gui import i18n
    from crocoqb_desktop.gui.app import CrocoQBApp
    from crocoqb_desktop.logging_setup import reset_logging_for_tests
    from crocoqb_desktop.sandbox.demo import accept_consent, start_demo_world

    clean_keychain()
    reset_logging_for_tests()
    world = start_demo_world(Path(tempfile.mkdtemp(prefix=f"crocoqb-shots-{language}-")), seed=False)
    loc, realm = world.location_id, world.realm_id
    for name, email in [("Weiskopf Consulting", "nicole@weiskopf.example"),
                        ("Amy's Bird Sanctuary", "birds@intuit.example")]:
        world.qbo.put_entity(realm, "Customer", {"DisplayName": name, "PrimaryEmailAddr": {"Address": email}})
    ctx = AppContext.open()
    ctx.settings.set("ui.language", language)
    ctx.settings.set("sync.import_invoices", True)
    ctx.store.set_cursor("croco.me", '{"locationName": "Atelier Lumière", "locationId": "loc_demo"}')
    i18n.install_language(language)
    urls: list[str] = []
    from crocoqb_desktop.gui.profiles_view import ProfileSet

    profile_set = ProfileSet(contexts={"default": ctx})
    crocoqb = CrocoQBApp(ctx, open_url=urls.append, tray_available=False, start_scheduler=True,
                         profiles=profile_set)
    controller, window = crocoqb.controller, crocoqb.window
    crocoqb.start()
    second = None
    wait(app, lambda: controller.status is not None, what="status")
    suffix = f"-{language}.png"
    try:
        grab(app, window, out / f"01-setup{suffix}")

        window.qbo_card.connect_button.click()
        wait(app, lambda: bool(urls) and window.qbo_card.url_field.text(), what="authorization URL")
        grab(app, window, out / f"02-connecting{suffix}")

        threading.Thread(target=accept_consent, args=(urls[-1],), daemon=True).start()
        wait(app, lambda: window.qbo_card.stack.currentIndex() == 2, what="connected")
        wait(app, lambda: controller.last_result is not None and not controller.syncing, what="first sync")
        alice = world.croco.create_contact(loc, firstName="Alice", lastName="Martin", email="alice.martin@example.com")
        invoice = world.croco.create_invoice(
            loc, contact_id=alice["id"], number="INV-2010", send=True,
            items=[{"name": "Coaching session", "quantity": 2, "unitPrice": "75.00"}])
        world.croco.record_payment(loc, contact_id=alice["id"], source_type="invoice", invoice_id=invoice["id"],
                                   amount=invoice["totals"]["total"],
                                   method={"type": "card", "brand": "visa", "last4": "4242"})
        previous = controller.last_result
        controller.sync_now()
        wait(app, lambda: controller.last_result is not previous and not controller.syncing, what="second sync")
        window.tabs.setCurrentIndex(0)  # Connect shows the Check page first; this shot is the Connection tab
        settle(app, 0.6)
        grab(app, window, out / f"03-connected{suffix}")

        karim = world.croco.create_contact(loc, firstName="Karim", lastName="Benali", phone="+33612345678")
        world.croco.create_invoice(loc, contact_id=karim["id"], number="INV-2011", send=True,
                                   items=[{"name": "Website audit", "quantity": 1, "unitPrice": "450.00"}])
        previous = controller.last_result
        controller.sync_now()
        wait(app, lambda: controller.last_result is not previous and not controller.syncing, what="failing sync")
        wait(app, lambda: any(p.kind == "records_failed" for p in controller.problems), what="problem banner")
        settle(app, 0.6)
        grab(app, window, out / f"04-problem{suffix}")

        window.tabs.setCurrentIndex(1)
        grab(app, window, out / f"05-what-is-synced{suffix}")

        # the Check page: an invoice in a currency the company does not use cannot map yet
        world.croco.create_invoice(loc, contact_id=alice["id"], number="INV-2012", currency="EUR", send=True,
                                   items=[{"name": "Atelier photo", "quantity": 1, "unitPrice": "90.00"}])
        page = window.check_page
        window.tabs.setCurrentWidget(page)
        previous_report = page.report
        controller.run_check()
        wait(app, lambda: not page.checking and page.report is not previous_report, what="check report")
        problem = next(i for i, r in enumerate(page.shown_rows) if r.status == "problem")
        page.table.selectRow(problem)
        grab(app, window, out / f"09-check{suffix}")
        deposit = next(i for i, r in enumerate(page.shown_rows) if r.kind == "deposit")
        page.table.selectRow(deposit)
        editor = page.editor_for(page.selected_row())
        assert editor is not None
        grab(app, editor, out / f"10-mapping-editor{suffix}")
        editor.reject()
        window.tabs.setCurrentIndex(0)

        viewer = crocoqb.open_log("WARNING")
        wait(app, lambda: viewer.model.idle and any(r.level == "ERROR" for r in viewer.model.rows), what="log rows")
        row = next(i for i, r in enumerate(viewer.model.rows) if r.level == "ERROR" and r.fix)
        viewer.table.selectRow(row)
        grab(app, viewer, out / f"06-log-errors{suffix}")
        viewer.set_level_filter(None)
        wait(app, lambda: viewer.model.idle and any(r.level == "INFO" for r in viewer.model.rows), what="all rows")
        invoice_row = next((i for i, r in enumerate(viewer.model.rows) if r.record_kind == "invoice"), 0)
        viewer.table.selectRow(invoice_row)
        grab(app, viewer, out / f"08-log-all{suffix}")
        viewer.close()

        dialog = crocoqb.open_settings()
        grab(app, dialog, out / f"07-settings{suffix}")
        dialog.reject()

        # payouts first: the Needs attention scene merges Alice's customer away in QuickBooks
        shoot_payouts(app, crocoqb, world, alice, karim, out / f"13-payouts{suffix}")
        shoot_attention(app, world, window, controller, out, suffix)
        second = shoot_profiles(app, crocoqb, profile_set, world.home, language, out)
    finally:
        crocoqb.shutdown()
        for each in profile_set.controllers.values():
            wait(app, lambda c=each: c.tasks.io_active == 0, timeout=10, what="io tasks")
        profile_set.close_stores()
        world.stop()
        if second is not None:
            second.stop()
        from crocoqb_desktop import paths

        for each_name in profile_set.names:  # every profile's own keychain entries
            with paths.profile_scope(each_name):
                clean_keychain()
        paths.use_profile("default")


def shoot_profiles(app: QApplication, crocoqb: Any, profile_set: Any, home: Path, language: str,
                   out: Path) -> Any:
    """A second business ("boutique-paris") with its own sandboxes, connected and synced."""
    from crocoqb_desktop import paths
    from crocoqb_desktop.gui.profiles_view import ProfileBar
    from crocoqb_desktop.sandbox.demo import connect_world, start_demo_world

    suffix = f"-{language}.png"
    from crocoqb_desktop import profiles

    name = profiles.add(home, "boutique-paris").name  # set up out of band, then shown by the app
    with paths.profile_scope(name):
        world = start_demo_world(home, seed=False, time_scale=20.0)  # a QuickBooks throttle waits 3 s, not 60
        connect_world()
    profile_set.load_profile(name)
    controller = profile_set.controller(name)
    wait(app, lambda: controller.status is not None and controller.ready_to_sync(), timeout=20,
         what=lambda: f"second profile {controller.status}")
    contact = world.croco.create_contact(world.location_id, firstName="Léa", lastName="Roux", email="lea@example.fr")
    world.croco.create_invoice(world.location_id, contact_id=contact["id"], number="BP-101", send=True,
                               items=[{"name": "Atelier", "quantity": 1, "unitPrice": "90.00"}])
    controller.sync_now()
    wait(app, lambda: controller.last_result is not None and not controller.syncing,
         what=lambda: f"second profile sync ({controller.syncing}, {controller.lock_error}, {controller.last_error})")
    profile_set.select(name)
    wait(app, lambda: crocoqb.window.qbo_card.stack.currentIndex() == 2, what="second profile window")
    settle(app, 0.6)
    bar = crocoqb.window.findChild(ProfileBar)
    bar.refresh()
    grab(app, crocoqb.window, out / f"14-profiles{suffix}")
    menu = crocoqb.tray.menu
    menu.popup(crocoqb.window.mapToGlobal(crocoqb.window.rect().center()))
    settle(app, 0.4)
    grab(app, menu, out / f"15-tray-profiles{suffix}")
    menu.hide()
    return world


def shoot_attention(app: QApplication, world: Any, window: Any, controller: Any, out: Path, suffix: str) -> None:
    """A bookkeeper merged a customer in QuickBooks: its contact's next invoice needs the user."""
    from crocoqb_desktop.gui.attention import CustomerPicker

    loc, realm = world.location_id, world.realm_id
    alice = next(c for c in world.qbo.entities(realm, "Customer") if "alice" in str(c.get("PrimaryEmailAddr")))
    holding = world.qbo.put_entity(realm, "Customer", {"DisplayName": "Martin Holdings",
                                                       "PrimaryEmailAddr": {"Address": "ap@martin-holdings.example"}})
    world.qbo.merge_customers(realm, alice["Id"], holding["Id"])
    contact = next(c for c in world.croco.contacts(loc) if c.get("email") == "alice.martin@example.com")
    world.croco.create_invoice(loc, contact_id=contact["id"], number="INV-3012", send=True,
                               items=[{"name": "Coaching session", "quantity": 1, "unitPrice": "75.00"}])
    previous = controller.last_result
    controller.sync_now()
    wait(app, lambda: controller.last_result is not previous and not controller.syncing, what="merged sync")
    wait(app, lambda: any(c.problem.reason == "customer_inactive" for c in window.attention_page.cards),
         what="needs attention cards")
    window.tabs.setCurrentWidget(window.attention_page)
    settle(app, 0.6)
    grab(app, window, out / f"11-needs-attention{suffix}")
    card = next(c for c in window.attention_page.cards if c.problem.reason == "customer_inactive")
    picker = CustomerPicker(window.attention.service, controller, card.problem, window)
    picker.search.setText("Martin")
    picker._timer.stop()  # search now, not again after the typing pause
    picker.run_search()
    wait(app, lambda: picker.list.count() > 0, what="customer search")
    picker.list.setCurrentRow(0)
    grab(app, picker, out / f"12-relink-picker{suffix}")
    picker.reject()


def shoot_payouts(app: QApplication, crocoqb: Any, world: Any, alice: dict[str, Any], karim: dict[str, Any],
                  path: Path) -> None:
    """Clearing on, the payout bank chosen; a paid payout with a dispute is booked, a second one waits for
    Karim's payment (no email, so not in QuickBooks)."""
    from crocoqb_desktop.sync.mappings import Mappings

    controller, window, loc = crocoqb.controller, crocoqb.window, world.location_id
    controller.ctx.settings.set("sync.payouts", "clearing")
    disputes = world.qbo.put_entity(world.realm_id, "Account", {"Name": "Chargebacks", "AccountType": "Expense"})
    Mappings(controller.ctx.store).set("payout", "stripe", "1", "Checking")
    Mappings(controller.ctx.store).set("adjustment", "stripe", disputes["Id"], "Chargebacks")
    card = {"type": "card", "brand": "visa", "last4": "4242", "provider": "stripe"}
    for price, fee in (("149.00", "4.62"), ("89.00", "2.88"), ("240.00", "7.26")):
        world.croco.record_payment(loc, contact_id=alice["id"], source_type="checkout", method=card, fee=fee,
                                   items=[{"name": "Spring workshop", "quantity": 1, "unitPrice": price}])
    first = world.croco.create_payout(loc, provider="stripe",
                                      adjustments=[{"amount": "-25.00", "kind": "dispute"}])
    world.croco.set_payout_status(loc, first["id"], "paid")
    world.croco.record_payment(loc, contact_id=alice["id"], source_type="order_form", method=card, fee="1.75",
                               items=[{"name": "Workbook", "quantity": 1, "unitPrice": "50.00"}])
    world.croco.record_payment(loc, contact_id=karim["id"], source_type="calendar", method=card, fee="2.33",
                               items=[{"name": "Consultation", "quantity": 1, "unitPrice": "70.00"}])
    second = world.croco.create_payout(loc, provider="stripe")
    world.croco.set_payout_status(loc, second["id"], "paid")
    previous = controller.last_result
    controller.sync_now()
    wait(app, lambda: controller.last_result is not previous and not controller.syncing, what="payout sync")
    page = window.payouts_page
    window.tabs.setCurrentWidget(page)
    page.refresh()
    wait(app, lambda: len(page.row_texts()) == 2 and bool(page.balance_label.text()), what="payouts page")
    settle(app, 1.0)  # the refresh after the sync, too
    page.tree.expandAll()
    grab(app, window, path)
    window.tabs.setCurrentIndex(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--languages", default="en,fr")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(["crocoqb-screenshots"])
    app.setApplicationName("CrocoQB")
    for language in args.languages.split(","):
        shoot(app, language.strip(), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
