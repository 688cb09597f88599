"""Screenshots of the desktop app, in English and French, against the embedded sandboxes.

    xvfb-run -a .ci/with-keyring .venv/bin/python -m crocoqb_desktop.gui.screenshots [--out screenshots]

Writes to `screenshots/` (one set per language, `-en` / `-fr` suffixes):
  01-setup            the main window before connecting (CrocoClick connected, toggles chosen)
  02-connecting       after pressing Connect: the address as text, Copy, the paste fallback
  03-connected        Connected with the company name, after the first sync
  04-problem          a record that failed: the banner with the fix, the failed count
  05-what-is-synced   the sync rules in force
  06-log-errors       the log viewer filtered on errors, a failure selected (details and fix)
  07-settings         the settings dialog
  08-profiles         a second business added (its own sandboxes): the profile bar with each one's status
  09-tray-profiles    the tray menu with two businesses: worst state, Sync all / Sync now per business
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
        window.tabs.setCurrentIndex(0)

        viewer = crocoqb.open_log("WARNING")
        wait(app, lambda: viewer.model.idle and any(r.level == "ERROR" for r in viewer.model.rows), what="log rows")
        row = next(i for i, r in enumerate(viewer.model.rows) if r.level == "ERROR" and r.fix)
        viewer.table.selectRow(row)
        grab(app, viewer, out / f"06-log-errors{suffix}")
        viewer.close()

        dialog = crocoqb.open_settings()
        grab(app, dialog, out / f"07-settings{suffix}")
        dialog.reject()

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
    grab(app, crocoqb.window, out / f"08-profiles{suffix}")
    menu = crocoqb.tray.menu
    menu.popup(crocoqb.window.mapToGlobal(crocoqb.window.rect().center()))
    settle(app, 0.4)
    grab(app, menu, out / f"09-tray-profiles{suffix}")
    menu.hide()
    return world


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--languages", default="en,fr")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["crocoqb-screenshots"])
    app.setApplicationName("CrocoQB")
    for language in args.languages.split(","):
        shoot(app, language.strip(), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
