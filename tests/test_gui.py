"""The desktop app end to end: real widgets (offscreen), both sandboxes over HTTP, the real keychain.

The browser is a stand-in that follows the authorization URL with `requests`: GET the consent page,
POST its accept form, follow the redirects to CrocoClick's return page and the app's loopback listener.
"""

from __future__ import annotations

import json
import os
import threading
import zipfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from crocoqb_desktop import keychain, paths  # noqa: E402
from crocoqb_desktop.app.context import AppContext  # noqa: E402
from crocoqb_desktop.gui import i18n  # noqa: E402
from crocoqb_desktop.gui.app import CrocoQBApp  # noqa: E402
from crocoqb_desktop.sandbox.demo import accept_consent  # noqa: E402
from crocoqb_desktop.settings import Settings  # noqa: E402

LEFT = Qt.MouseButton.LeftButton
SYNC_TIMEOUT_MS = 60_000


class Browser:
    """The injectable opener: records the URL and accepts the consent page over HTTP."""

    def __init__(self, accept: bool = True) -> None:
        self.urls: list[str] = []
        self.landed: list[str] = []
        self.errors: list[BaseException] = []
        self.accept = accept

    def __call__(self, url: str) -> bool:
        self.urls.append(url)
        if self.accept:
            threading.Thread(target=self._follow, args=(url,), daemon=True).start()
        return True

    def _follow(self, url: str) -> None:
        try:
            self.landed.append(accept_consent(url))
        except BaseException as exc:  # reported by the test that waits for the connection
            self.errors.append(exc)


@pytest.fixture(autouse=True)
def english() -> Any:
    i18n.install_language("en")
    yield
    i18n.install_language("en")


@pytest.fixture
def make_app(qtbot) -> Any:
    made: list[tuple[CrocoQBApp, AppContext]] = []

    def make(*, browser: Browser | None = None, tray: bool = False, scheduler: bool = False) -> CrocoQBApp:
        ctx = AppContext.open()
        app = CrocoQBApp(ctx, open_url=browser or Browser(), tray_available=tray, start_scheduler=scheduler)
        app.browser = browser or app.window.open_url  # type: ignore[attr-defined]
        app.start()
        until(qtbot, lambda: app.controller.status is not None, timeout=10_000)
        made.append((app, ctx))
        return app

    yield make
    for app, ctx in made:
        close(app, ctx, qtbot)


def close(app: CrocoQBApp, ctx: AppContext, qtbot) -> None:
    until(qtbot, lambda: not app.controller.syncing, timeout=SYNC_TIMEOUT_MS)
    app.shutdown()
    # io work delivered (a cancelled sign-in may still wait in its listener: see the report)
    until(qtbot, lambda: app.controller.tasks.io_active == 0, timeout=10_000)
    ctx.store.close()


def until(qtbot, condition: Any, timeout: int = 5_000) -> None:
    qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def kinds(app: CrocoQBApp) -> set[str]:
    return {p.kind for p in app.controller.problems}


def wait_sync(qtbot, app: CrocoQBApp, previous: Any = None) -> Any:
    until(qtbot, lambda: not app.controller.syncing and app.controller.last_result is not None
                    and app.controller.last_result is not previous, timeout=SYNC_TIMEOUT_MS)
    return app.controller.last_result


def connect(qtbot, app: CrocoQBApp) -> None:
    card = app.window.qbo_card
    until(qtbot, card.connect_button.isEnabled, timeout=10_000)
    qtbot.mouseClick(card.connect_button, LEFT)
    until(qtbot, lambda: card.stack.currentIndex() == 2 or app.browser.errors, timeout=30_000)
    assert not app.browser.errors, app.browser.errors


# -- the set-up, a sync and the log ----------------------------------------------------------------
def test_full_setup_connect_sync_and_log_viewer(world_unconnected, make_app, qtbot) -> None:
    w = world_unconnected
    w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Weiskopf Consulting",
                                           "PrimaryEmailAddr": {"Address": "nicole@weiskopf.example"}})
    keychain.delete_secret(keychain.CROCO_API_KEY)  # the user starts from nothing
    app = make_app(browser=Browser())
    win, controller = app.window, app.controller
    assert "croco_missing" in kinds(app) and win.banner.isVisibleTo(win)
    assert not win.qbo_card.connect_button.isEnabled()
    assert win.qbo_card.stack.currentIndex() == 0

    # CrocoClick card: a wrong key gets a plain error, the right one the location name
    croco = win.croco_card
    croco.key_edit.setText("ck_test_not_a_real_key")
    croco.location_edit.setText(w.loc)
    assert croco.key_edit.echoMode() == croco.key_edit.EchoMode.Password
    qtbot.mouseClick(croco.save_button, LEFT)
    until(qtbot, lambda: "refused the API key" in croco.result_label.text(), timeout=10_000)
    assert "ck_test_not_a_real_key" not in croco.result_label.text()
    croco.key_edit.setText(w.demo.api_key)
    qtbot.mouseClick(croco.save_button, LEFT)
    until(qtbot, lambda: "Connected to Atelier Lumière" in croco.result_label.text(), timeout=10_000)
    assert croco.key_edit.text() == ""  # the key does not stay on screen
    until(qtbot, lambda: "croco_missing" not in kinds(app), timeout=10_000)
    assert not win.banner.isVisibleTo(win)

    # the toggles first (persisted), then Connect
    qbo = win.qbo_card
    assert qbo.import_toggle.isEnabled() and not qbo.import_toggle.isChecked()
    qtbot.mouseClick(qbo.import_toggle, LEFT)
    qtbot.mouseClick(qbo.review_toggle, LEFT)
    until(qtbot, lambda: Settings().get("sync.import_invoices") and Settings().get("sync.review_automation"),
                    timeout=5_000)
    until(qtbot, lambda: "Import invoices [On]" in win.rules_page.plain_text()
                    and "Review automation [On]" in win.rules_page.plain_text(), timeout=5_000)

    stages: list[tuple[str, int, int]] = []
    controller.sync_progress.connect(lambda s, d, t: stages.append((s, d, t)))
    connect(qtbot, app)
    assert app.browser.urls and qbo.url_field.text() in ("", app.browser.urls[0])
    assert app.browser.urls[0].startswith(w.qbo.authorize_url)
    assert qbo.company_label.text() == "Atelier Lumière LLC"
    assert qbo.connected_label.text() == "● Connected"
    assert not qbo.import_toggle.isEnabled()  # only before connecting, and it says so
    assert "before connecting" in qbo.import_help.text()

    # the activation sync starts by itself, with progress in the status strip
    first = wait_sync(qtbot, app)
    assert first.exit_code == 0, first.summary()
    assert ("Importing QuickBooks customers", 1, 1) in stages
    assert any(c["email"] == "nicole@weiskopf.example" for c in w.croco.contacts(w.loc))
    assert "Last synced: today at" in win.status_strip.last_label.text()

    # business goes on in CrocoClick: one good invoice, one contact without an email (fails)
    ann = w.contact("Ann", "Lee", "ann.lee@example.com")
    w.croco.create_invoice(w.loc, contact_id=ann["id"], number="INV-77", send=True,
                           items=[{"name": "Coaching session", "quantity": 1, "unitPrice": "75.00"}])
    nomail = w.contact("Nomail", "Person", None, phone="+15555550123")
    w.croco.create_invoice(w.loc, contact_id=nomail["id"], number="INV-78", send=True,
                           items=[{"name": "Coaching session", "quantity": 1, "unitPrice": "75.00"}])
    qtbot.mouseClick(win.status_strip.sync_button, LEFT)
    second = wait_sync(qtbot, app, first)
    assert second.failed == 1 and second.exit_code == 1, second.summary()
    assert [i["DocNumber"] for i in w.qbo_objects("Invoice")] == ["INV-77"]
    until(qtbot, lambda: "records_failed" in kinds(app), timeout=5_000)
    assert win.status_strip.failed_label.text() == "Failed: 1"
    assert any("1 record could not be synced" in t for t in win.banner.texts())
    assert app.tray.state == "problem"
    # the notification comes from the Needs attention page once it has read the new problem (io thread)
    until(qtbot, lambda: [t for t, _ in app.tray.notifications] == ["1 record could not be synced"], timeout=5_000)

    # the log viewer shows the rows, filters them and explains the failure
    viewer = app.open_log()
    until(qtbot, lambda: any("INV-77" in r.message for r in viewer.model.rows), timeout=10_000)
    viewer.set_level_filter("ERROR")
    until(qtbot, lambda: viewer.model.idle and viewer.model.rows
                    and all(r.level == "ERROR" for r in viewer.model.rows), timeout=5_000)
    failure = next(r for r in viewer.model.rows if r.croco_id == nomail_invoice_id(w, "INV-78"))
    viewer.table.selectRow(viewer.model.rows.index(failure))
    details = viewer.details.toPlainText()
    assert "no email" in details and "What to do:" in details and "Add an email address" in details
    assert failure.croco_id in details
    copied = viewer.copy_selection()
    assert QGuiApplication.clipboard().text() == copied and "Add an email address" in copied
    viewer.search.setText("INV-77")
    viewer.set_level_filter(None)
    until(qtbot, lambda: viewer.model.idle and viewer.model.rows
                    and all("INV-77" in (r.message + (r.croco_id or "")) for r in viewer.model.rows), timeout=5_000)

    # incremental: a new row appears without reloading what is shown
    viewer.search.clear()
    viewer.apply_filters()
    until(qtbot, lambda: viewer.model.idle and len(viewer.model.rows) > 3, timeout=5_000)
    shown = len(viewer.model.rows)
    controller.ctx.store.log("WARNING", "to_qbo", "a new row", record_kind="invoice", croco_id="inv_x", qbo_id="9")
    viewer.model.refresh()
    until(qtbot, lambda: len(viewer.model.rows) == shown + 1, timeout=5_000)
    assert viewer.model.rows[0].message == "a new row"


def nomail_invoice_id(w, number: str) -> str:
    return next(i["id"] for i in w.croco.invoices(w.loc) if i["number"] == number)


def test_log_folder_and_redacted_diagnostic_bundle(world, make_app, qtbot, tmp_path: Path) -> None:
    import logging

    from crocoqb_desktop.redaction import register_secret

    opened: list[Path] = []
    app = make_app()
    secret = "sk_live_very_secret_token_123456"
    register_secret(secret)
    logging.getLogger("crocoqb.test").warning("token leaked? %s", secret)
    app.controller.ctx.store.log("ERROR", "to_qbo", f"refused with {secret}", record_kind="invoice",
                                 croco_id="inv_1", qbo_id="77", fix="Do the thing.")
    viewer = app.open_log()
    viewer.open_folder = opened.append
    viewer.folder_button.click()
    assert opened == [paths.log_dir()]
    assert str(paths.log_file()) in viewer.log_file_label.text()
    target = tmp_path / "out" / "bundle"
    viewer.choose_bundle_path = lambda parent, suggested: str(target)
    viewer.export_button.click()
    until(qtbot, lambda: viewer.last_bundle is not None, timeout=15_000)
    bundle = viewer.last_bundle
    assert bundle == target.with_suffix(".zip")
    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
        assert {"state.json", "crocoqb.log"} <= names
        everything = b"".join(zf.read(n) for n in names).decode("utf-8")
        state = json.loads(zf.read("state.json"))
    assert secret not in everything
    assert world.demo.api_key not in everything
    refresh = keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
    assert refresh and refresh not in everything
    assert state["status"]["quickbooks"]["state"] == "connected"
    assert state["settings"]["croco.location_id"] == world.loc
    assert "pending" in state["outbox_counts"] and len(state["log"]) <= 500
    assert any(row["qbo_id"] == "77" for row in state["log"])


# -- a revoked grant ---------------------------------------------------------------------------------
def test_revoked_grant_shows_reconnect_in_window_and_tray_then_reconnect_clears_it(world, make_app, qtbot) -> None:
    app = make_app(browser=Browser())
    win = app.window
    assert win.qbo_card.stack.currentIndex() == 2
    assert app.tray.state == "ok"
    world.qbo.revoke_grant(world.realm)
    world.qbo.expire_access_tokens()
    app.tray.sync_action.trigger()
    result = wait_sync(qtbot, app)
    assert result.exit_code == 2
    until(qtbot, lambda: "reconnect" in kinds(app), timeout=10_000)
    assert win.qbo_card.stack.currentIndex() == 3  # Reconnect needed, with Reconnect and Disconnect
    assert win.qbo_card.reconnect_button.isVisibleTo(win)
    assert any("QuickBooks needs to be reconnected" in t for t in win.banner.texts())
    assert app.tray.state == "problem"
    assert any("QuickBooks needs to be reconnected" in t for t, _ in app.tray.notifications)
    assert app.tray.status_text() == "QuickBooks needs to be reconnected"
    # scheduled runs wait for the user instead of failing again and again
    assert app.controller.scheduled_sync("push") is None

    # Reconnect from the banner: same sign-in, then the problem clears
    button = win.banner.findChild(type(win.log_button), "banner_reconnect")
    qtbot.mouseClick(button, LEFT)
    until(qtbot, lambda: win.qbo_card.stack.currentIndex() == 2 or app.browser.errors, timeout=30_000)
    assert not app.browser.errors
    wait_sync(qtbot, app, result)
    until(qtbot, lambda: "reconnect" not in kinds(app) and app.tray.state == "ok", timeout=10_000)
    assert not win.banner.isVisibleTo(win)


def test_paste_fallback_and_cancel(world_unconnected, make_app, qtbot) -> None:
    import requests

    browser = Browser(accept=False)  # the browser "did not open": the user copies the URL
    app = make_app(browser=browser)
    card = app.window.qbo_card
    qtbot.mouseClick(card.connect_button, LEFT)
    until(qtbot, lambda: card.url_field.text() != "", timeout=10_000)
    assert card.stack.currentIndex() == 1 and card.url_field.isReadOnly()
    qtbot.mouseClick(card.copy_button, LEFT)
    assert QGuiApplication.clipboard().text() == card.url_field.text() == browser.urls[0]
    # a wrong paste says so and keeps waiting
    card.paste_field.setText("https://app.crococlick.example/return?code=abcdefgh&state=cqb1.4000.wrongwrongwrongwrong")
    qtbot.mouseClick(card.paste_button, LEFT)
    until(qtbot, lambda: "another connection attempt" in card.error_label.text(), timeout=10_000)
    assert card.stack.currentIndex() == 1
    # the user accepts in "their" browser, which cannot reach the app: the return page's address is pasted
    session = requests.Session()
    landed = _consent_without_loopback(session, browser.urls[0])
    card.paste_field.setText(landed)
    qtbot.mouseClick(card.paste_button, LEFT)
    until(qtbot, lambda: card.stack.currentIndex() == 2, timeout=20_000)
    assert card.company_label.text() == "Atelier Lumière LLC"
    wait_sync(qtbot, app)
    # disconnect (after confirming), then a new attempt cancelled: back to Connect
    card.confirm = lambda title, text: True
    qtbot.mouseClick(card.disconnect_button, LEFT)
    until(qtbot, lambda: card.stack.currentIndex() == 0 and app.controller.status["quickbooks"]["state"]
                    == "not_connected", timeout=10_000)
    assert card.import_toggle.isEnabled()
    qtbot.mouseClick(card.connect_button, LEFT)
    until(qtbot, lambda: card.url_field.text() != "", timeout=10_000)
    qtbot.mouseClick(card.cancel_button, LEFT)
    assert card.stack.currentIndex() == 0 and not app.controller.connecting


def _consent_without_loopback(session, url: str) -> str:
    """Accepts the consent page but stops at the first redirect to 127.0.0.1 (the loopback hand-off
    the app would get); returns that address, as the user would copy it from the address bar."""
    from urllib.parse import urljoin

    from crocoqb_desktop.sandbox.demo import _FormParser

    page = session.get(url, timeout=10)
    parser = _FormParser()
    parser.feed(page.text)
    form = parser.forms[0]
    data = dict(form["fields"])
    accept = next((b for b in form["buttons"] if any(k in (b[0] + b[1]).lower() for k in ("accept", "connect",
                                                                                         "allow"))), None)
    if accept and accept[0]:
        data[accept[0]] = accept[1]
    answer = session.post(urljoin(page.url, form["action"] or page.url), data=data, timeout=10,
                          allow_redirects=False)
    location = answer.headers["Location"]
    while "/callback" not in location:  # through CrocoClick's return page, not into the app
        answer = session.get(urljoin(answer.url, location), timeout=10, allow_redirects=False)
        location = answer.headers["Location"]
    return location


# -- persistence, settings, scheduler ------------------------------------------------------------------
def test_toggles_and_settings_persist_across_a_restart(world_unconnected, make_app, qtbot, tmp_path,
                                                       monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    app = make_app(scheduler=True)
    card = app.window.qbo_card
    qtbot.mouseClick(card.review_toggle, LEFT)
    dialog = app.open_settings()
    dialog.push_spin.setValue(120)
    dialog.poll_spin.setValue(900)
    dialog.deposit_edit.setText("Checking")
    dialog.item_edit.setText("Services")
    dialog.channel_combo.setCurrentIndex(dialog.channel_combo.findData("sms"))
    dialog.login_check.setChecked(True)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    until(qtbot, lambda: not dialog.isVisible(), timeout=5_000)
    assert app.controller.scheduler.push_interval_s == 120 and app.controller.scheduler.poll_interval_s == 900
    # pushes follow the long poll; the push interval is its fallback polling interval (rule 11)
    assert app.controller.scheduler.watcher is not None
    assert app.controller.scheduler.watcher.fallback_interval_s == 120
    desktop_file = tmp_path / "xdg" / "autostart" / "crocoqb-desktop.desktop"
    assert desktop_file.is_file()
    rules = app.window.rules_page.plain_text()
    assert "deposited to Checking" in rules and 'use the item "Services"' in rules and "by SMS" in rules
    ctx = app.controller.ctx
    close(app, ctx, qtbot)

    again = make_app(scheduler=True)
    card = again.window.qbo_card
    assert card.review_toggle.isChecked() and not card.import_toggle.isChecked()
    assert again.controller.scheduler.push_interval_s == 120
    dialog = again.open_settings()
    assert dialog.values() == {
        "sync.push_interval_s": 120, "sync.poll_interval_s": 900, "sync.deposit_account": "Checking",
        "sync.default_item": "Services", "sync.review_channel": "sms", "sync.payouts": "off",
        "ui.language": "system", "ui.start_at_login": True,
    }
    dialog.login_check.setChecked(False)
    dialog.save()
    until(qtbot, lambda: not desktop_file.exists(), timeout=5_000)


def test_sync_now_while_syncing_says_already_running(world, make_app, qtbot) -> None:
    app = make_app()
    notes: list[str] = []
    app.controller.message.connect(notes.append)
    gate = threading.Event()
    original = app.controller.service.sync_once

    def slow_sync(progress=None, **kwargs):
        gate.wait(10)
        return original(progress=progress, **kwargs)

    app.controller.service.sync_once = slow_sync
    assert app.controller.sync_now() is True
    until(qtbot, lambda: app.controller.syncing and app.tray.state == "syncing", timeout=5_000)
    assert not app.window.status_strip.sync_button.isEnabled()
    assert app.window.status_strip.progress.isVisibleTo(app.window)
    assert app.controller.sync_now() is False
    # a scheduled run at the same moment is turned away the same way
    assert app.controller._run_sync("push").busy is True
    gate.set()
    result = wait_sync(qtbot, app)
    assert result.exit_code == 0
    assert "A sync is already running." in notes


# -- tray ----------------------------------------------------------------------------------------------
def test_tray_menu_sync_now_pause_resume_open(world, make_app, qtbot) -> None:
    app = make_app(tray=True, scheduler=True)
    tray = app.tray
    assert QApplication.instance().quitOnLastWindowClosed() is False
    assert app.window.hide_on_close
    texts = [a.text() for a in tray.menu.actions() if a.text()]
    assert texts[1:] == ["Sync now", "Open CrocoQB", "Pause syncing", "Quit"]
    assert texts[0].startswith("Up to date") or texts[0].startswith("Not connected")

    tray.sync_action.trigger()
    until(qtbot, lambda: app.controller.last_result is not None and not app.controller.syncing,
                    timeout=SYNC_TIMEOUT_MS)
    assert app.controller.last_result.exit_code == 0
    assert tray.state == "ok" and tray.status_action.text().startswith("Up to date (last sync today at")
    assert tray.notifications == []  # routine success: no notification

    tray.pause_action.trigger()
    assert app.controller.paused and app.controller.scheduler.paused
    assert tray.pause_action.text() == "Resume syncing"
    assert app.window.status_strip.next_label.text() == "Next sync: paused"
    assert app.window.status_strip.pause_button.text() == "Resume"
    tray.pause_action.trigger()
    assert not app.controller.paused and tray.pause_action.text() == "Pause syncing"
    assert app.controller.next_sync_at() is not None

    app.window.close()  # with a tray, closing only hides the window
    assert not app.window.isVisible()
    tray.open_action.trigger()
    assert app.window.isVisible()


def test_without_a_tray_closing_the_window_quits(world_unconnected, make_app, qtbot) -> None:
    app = make_app(tray=False)
    assert QApplication.instance().quitOnLastWindowClosed() is True
    assert app.window.hide_on_close is False
    assert app.window.isVisible()


def test_tray_quit_shuts_everything_down(world_unconnected, make_app, qtbot, monkeypatch) -> None:
    app = make_app(tray=True, scheduler=True)
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    app.tray.quit_action.trigger()
    assert quits == [True]
    assert not app.controller.scheduler.running and not app.window.isVisible()


# -- language --------------------------------------------------------------------------------------------
def test_language_switch_is_live_and_french_labels_match_the_help_article(world, make_app, qtbot) -> None:
    app = make_app()
    win = app.window
    assert win.qbo_card.connected_label.text() == "● Connected"
    dialog = app.open_settings()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("fr"))
    dialog.save()
    until(qtbot, lambda: i18n.current_language() == "fr", timeout=5_000)
    until(qtbot, lambda: win.qbo_card.import_label.text() == "Importer les factures", timeout=5_000)
    assert win.qbo_card.review_label.text() == "Automatisation d'avis"
    assert win.qbo_card.connect_button.text() == "Connecter"
    assert win.qbo_card.connected_label.text() == "● Connectée"
    assert win.qbo_card.disconnect_button.text() == "Déconnecter"
    assert win.status_strip.sync_button.text() == "Synchroniser maintenant"
    assert win.tabs.tabText(1) == "Ce qui est synchronisé"
    assert "Importer les factures [Désactivé]" in win.rules_page.plain_text()
    assert app.tray.sync_action.text() == "Synchroniser maintenant"
    assert Settings().get("ui.language") == "fr"
    viewer = app.open_log()
    assert viewer.export_button.text() == "Exporter un diagnostic…"
    assert viewer.model.headerData(0, Qt.Orientation.Horizontal) == "Heure"
    # on the next start the saved language is used
    assert i18n.install_language(Settings().get("ui.language")) == "fr"
    i18n.install_language("en")
    until(qtbot, lambda: win.qbo_card.import_label.text() == "Import invoices", timeout=5_000)


def test_system_language_defaults() -> None:
    from PySide6.QtCore import QLocale

    assert i18n.resolve_language("system", QLocale(QLocale.Language.French, QLocale.Country.Canada)) == "fr"
    assert i18n.resolve_language("system", QLocale(QLocale.Language.German, QLocale.Country.Germany)) == "en"
    assert i18n.resolve_language("en", QLocale(QLocale.Language.French)) == "en"


def test_every_interface_string_has_a_french_translation() -> None:
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "resources" / "translations" / "update.py"
    check = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    # and the .ts is in step with the code: every tr() string of the GUI is in it
    import tempfile
    import xml.etree.ElementTree as ET

    from crocoqb_desktop.gui.resources import resource_path

    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.ts"
        gui = sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "crocoqb_desktop" / "gui").glob("*.py"))
        lupdate = Path(sys.executable).parent / "pyside6-lupdate"
        subprocess.run([str(lupdate), *gui, "-ts", str(fresh), "-locations", "none"], check=True, capture_output=True)

        def sources(path: Path) -> set[tuple[str, str]]:
            return {(c.findtext("name"), m.findtext("source")) for c in ET.parse(path).getroot().findall("context")
                    for m in c.findall("message")}

        missing = sources(fresh) - sources(resource_path("translations", "crocoqb_fr.ts"))
    assert not missing, f"run resources/translations/update.py: {sorted(missing)[:5]}"
