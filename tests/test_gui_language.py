"""The desktop app in French (real widgets offscreen, both sandboxes): the log viewer, the problems and
the tray notifications of a full sync are French only; a language switch re-renders the rows already
shown; the Record column names the invoice or the contact; Pause survives a restart."""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from crocoqb_desktop.app.context import AppContext  # noqa: E402
from crocoqb_desktop.gui import i18n  # noqa: E402
from crocoqb_desktop.gui.controller import AppController  # noqa: E402
from crocoqb_desktop.gui.log_viewer import record_text  # noqa: E402
from crocoqb_desktop.messages import render  # noqa: E402
from tests.test_gui import english, make_app, until, wait_sync  # noqa: E402, F401
from tests.test_i18n import ENGLISH, assert_all_french, seed_activity  # noqa: E402

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def shown(viewer: Any, row: int, column: int, role: Qt.ItemDataRole = DISPLAY) -> str:
    model = viewer.model
    return str(model.data(model.index(row, column), role) or "")


def test_french_sync_shows_only_french_in_the_log_viewer_problems_and_notifications(
        world, make_app, qtbot) -> None:  # noqa: F811
    seed_activity(world)
    app = make_app(tray=True)
    i18n.install_language("fr")
    controller = app.controller
    controller.sync_now()
    result = wait_sync(qtbot, app)
    assert result.exit_code == 1 and result.failed >= 1  # Karim has no email: his invoice waits for a fix
    until(qtbot, lambda: any(p.kind == "records_failed" for p in controller.problems), timeout=10_000)

    viewer = app.open_log()
    until(qtbot, lambda: viewer.model.idle and len(viewer.model.rows) > 10, timeout=10_000)
    rows = viewer.model.rows
    assert_all_french(rows)
    for row in range(len(rows)):
        text = shown(viewer, row, 4)
        assert text and not ENGLISH.search(text), text
        assert not ENGLISH.search(shown(viewer, row, 4, TOOLTIP)), shown(viewer, row, 4, TOOLTIP)
    error = next(i for i, r in enumerate(rows) if r.level == "ERROR" and r.fix)
    viewer.table.selectRow(error)
    details = viewer.details.toPlainText()
    assert "Que faire" in details and not ENGLISH.search(details), details

    # the Record column names the invoice or the contact, never only an internal id
    invoices = [i for i, r in enumerate(rows) if r.record_kind == "invoice" and r.croco_id]
    assert invoices
    for i in invoices:
        column = shown(viewer, i, 3)
        assert column.startswith("Facture INV-"), column
        assert rows[i].croco_id not in column
    customers = [i for i, r in enumerate(rows) if r.record_kind == "customer"]
    assert any("Alice Martin" in shown(viewer, i, 3) for i in customers)

    for problem in controller.problems:
        for text in (problem.title, problem.message, problem.fix):
            assert not ENGLISH.search(text), text
    assert app.tray.notifications, "a failed record needs the user: the tray says so"
    for title, text in app.tray.notifications:
        assert not ENGLISH.search(title) and not ENGLISH.search(text), (title, text)

    # switching language re-renders the rows already shown, without reading them again
    french = [shown(viewer, i, 4) for i in range(len(rows))]
    fetches = viewer.model.fetches
    i18n.install_language("en")
    until(qtbot, lambda: viewer.model.headerData(0, Qt.Orientation.Horizontal) == "Time")
    english_rows = [shown(viewer, i, 4) for i in range(len(rows))]
    assert english_rows == [r.message for r in rows]  # the stored English text, rebuilt from id + values
    assert all(f != e for f, e in zip(french, english_rows, strict=True))
    assert viewer.model.fetches == fetches
    assert shown(viewer, invoices[0], 3).startswith("Invoice INV-")
    i18n.install_language("fr")
    assert [shown(viewer, i, 4) for i in range(len(rows))] == french
    viewer.close()


def test_record_column_falls_back_to_the_id_when_the_row_names_nothing(data_home) -> None:
    from crocoqb_desktop.messages import message
    from crocoqb_desktop.sync.store import StateStore

    store = StateStore()
    try:
        store.log("INFO", "to_qbo", message("push.invoice_voided", "Voided invoice {number} in QuickBooks",
                                            number="INV-5"), record_kind="invoice", croco_id="inv_internal_5")
        store.log("INFO", "to_qbo", "an old row", record_kind="payment", croco_id="pay_internal_1")
        voided, old = store.log_entries()
    finally:
        store.close()
    assert record_text(voided) == "Invoice INV-5"
    assert record_text(old) == "Payment pay_internal_1"


def test_pause_survives_a_restart(world, qtbot) -> None:
    ctx = AppContext.open()
    first = AppController(ctx, start_scheduler=True)
    first.start()
    assert not first.paused and first.next_sync_at() is not None
    first.set_paused(True)
    until(qtbot, lambda: first.tasks.io_active == 0)
    first.shutdown()
    ctx.store.close()

    ctx = AppContext.open()
    again = AppController(ctx, start_scheduler=True)
    seen: list[bool] = []
    again.paused_changed.connect(seen.append)
    again.start()
    try:
        assert again.paused and again.scheduler.paused and again.next_sync_at() is None
        assert seen == [True]  # the window and the tray show "Resume" from the start
        again.set_paused(False)
        until(qtbot, lambda: again.tasks.io_active == 0)
        assert again.next_sync_at() is not None
    finally:
        again.shutdown()
        ctx.store.close()

    ctx = AppContext.open()
    third = AppController(ctx, start_scheduler=True)
    third.start()
    try:
        assert not third.paused
    finally:
        third.shutdown()
        ctx.store.close()


def test_problem_from_an_error_is_shown_in_the_users_language() -> None:
    from crocoqb_desktop.errors import ReconnectNeeded
    from crocoqb_desktop.gui.controller import describe_problems
    from crocoqb_desktop.qbo.faults import make_fault

    i18n.install_language("fr")
    fault = make_fault(400, [{"code": "6000", "message": "A business validation error has occurred", "detail": "x"}])
    status = {"crococlick": {"connected": True}, "quickbooks": {"state": "connected"}, "sync": {"failed": 0}}
    [problem] = describe_problems(status, fault)
    assert problem.message.startswith("QuickBooks n'a pas accepté l'enregistrement\u00a0: Erreur QuickBooks 6000")
    assert problem.fix.startswith("Lisez la raison donnée par QuickBooks")
    assert render(ReconnectNeeded("x").title_msg) == "QuickBooks doit être reconnecté"
