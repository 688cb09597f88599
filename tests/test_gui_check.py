"""The Check page and the mapping editor: real widgets (offscreen), both sandboxes over HTTP."""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from crocoqb_desktop.app.context import AppContext  # noqa: E402
from crocoqb_desktop.gui import i18n  # noqa: E402
from crocoqb_desktop.gui.app import CrocoQBApp  # noqa: E402
from crocoqb_desktop.gui.mapping_editor import MappingEditor  # noqa: E402
from tests.test_check import add_code, invoice  # noqa: E402
from tests.test_gui import LEFT, Browser, close, connect, english, until, wait_sync  # noqa: E402, F401

CHECK_TIMEOUT_MS = 30_000


@pytest.fixture
def make_app(qtbot) -> Any:
    made: list[tuple[CrocoQBApp, AppContext]] = []

    def make(*, browser: Browser | None = None) -> CrocoQBApp:
        ctx = AppContext.open()
        app = CrocoQBApp(ctx, open_url=browser or Browser(), tray_available=False, start_scheduler=False)
        app.browser = browser  # type: ignore[attr-defined]
        app.start()
        until(qtbot, lambda: app.controller.status is not None, timeout=10_000)
        made.append((app, ctx))
        return app

    yield make
    for app, ctx in made:
        close(app, ctx, qtbot)


def row_index(page: Any, kind: str, source: str) -> int:
    return next(i for i, r in enumerate(page.shown_rows) if (r.kind, r.source) == (kind, source))


def fresh_report(qtbot, page: Any, previous: Any) -> Any:
    until(qtbot, lambda: not page.checking and page.report is not None and page.report is not previous,
          timeout=CHECK_TIMEOUT_MS)
    return page.report


def test_check_page_is_shown_after_connect_before_the_first_sync(world_unconnected, make_app, qtbot) -> None:
    w = world_unconnected
    invoice(w, "Sales tax", 8.875)
    app = make_app(browser=Browser())
    win, page = app.window, app.window.check_page
    seen: list[Any] = []
    app.controller.check_finished.connect(lambda report, error: seen.append(
        (report, error, app.controller.last_result, app.controller.syncing)))
    connect(qtbot, app)
    assert win.tabs.currentWidget() is page
    until(qtbot, lambda: bool(seen), timeout=CHECK_TIMEOUT_MS)
    report, error, last_result, syncing = seen[0]
    assert error is None and report.ready
    assert last_result is None and not syncing  # the check came before the first sync
    assert wait_sync(qtbot, app).exit_code == 0  # and the activation sync followed by itself
    assert page.summary_label.text().startswith("Ready")
    settings = {page.settings_table.item(r, 0).text(): page.settings_table.item(r, 1).text()
                for r in range(page.settings_table.rowCount())}
    assert settings["Automated sales tax"] == "On" and settings["Custom transaction numbers"] == "On"
    texts = [page.table.item(r, 1).text() for r in range(page.table.rowCount())]
    assert "Sales tax (8.875%)" in texts and "Coaching session" in texts
    assert "CrocoClick sale" in page.free_text_label.text()


def test_mapping_editor_answers_the_ambiguous_tax_and_use_automatic_undoes_it(world_ca, make_app, qtbot) -> None:
    w = world_ca
    second = add_code(w, "HST 13 (old)", ["2"])
    invoice(w, "HST", 13)
    app = make_app()
    page = app.window.check_page
    app.window.tabs.setCurrentWidget(page)
    qtbot.mouseClick(page.check_button, LEFT)
    report = fresh_report(qtbot, page, None)
    assert not report.ready
    assert "cannot go to QuickBooks yet" in page.summary_label.text()
    index = row_index(page, "tax", "HST")
    assert page.table.item(index, 3).text() == "Cannot map yet"
    page.table.selectRow(index)
    assert page.choose_button.isEnabled() and not page.auto_button.isEnabled()
    assert "HST 13 (old)" in page.details.text() and "What to do:" in page.details.text()

    editor = page.editor_for(page.selected_row())
    assert isinstance(editor, MappingEditor)
    labels = [editor.picker.itemText(i) for i in range(editor.picker.count())]
    assert "HST ON (Id 3)" in labels and f"HST 13 (old) (Id {second['Id']})" in labels
    assert all("Exempt" not in label or "Id 5" in label for label in labels)  # tax codes only
    editor.picker.setCurrentIndex(editor.picker.findData(second["Id"]))
    assert editor.chosen_id() == second["Id"]
    page.save_choice(editor)
    report = fresh_report(qtbot, page, report)
    row = page.shown_rows[row_index(page, "tax", "HST")]
    assert (row.qbo_id, row.how, row.set_by) == (second["Id"], "mapping", "user")
    assert report.ready and page.summary_label.text().startswith("Ready")
    assert page.table.item(row_index(page, "tax", "HST"), 3).text() == "Your choice"

    page.table.selectRow(row_index(page, "tax", "HST"))
    assert page.auto_button.isEnabled()
    qtbot.mouseClick(page.auto_button, LEFT)
    report = fresh_report(qtbot, page, report)
    assert not report.ready and page.shown_rows[row_index(page, "tax", "HST")].reason == "ambiguous_tax"
    assert row_index(page, "tax", "HST") == 0  # what needs the user comes first


def test_a_refused_choice_says_why_and_changes_nothing(world_ca, make_app, qtbot) -> None:
    invoice(world_ca, "HST ON", 13)
    app = make_app()
    page = app.window.check_page
    errors: list[Any] = []
    app.controller.mapping_saved.connect(lambda result, error: errors.append(error))
    app.controller.set_mapping("tax", "HST ON", "2")  # GST, 5 %
    until(qtbot, lambda: bool(errors), timeout=CHECK_TIMEOUT_MS)
    assert errors[0] is not None and "13%" in errors[0].message
    assert "13%" in page.summary_label.text()


def test_check_page_in_french(world, make_app, qtbot) -> None:
    invoice(world, "Sales tax", 8.875)
    app = make_app()
    page = app.window.check_page
    app.controller.run_check()
    fresh_report(qtbot, page, None)
    i18n.install_language("fr")
    until(qtbot, lambda: page.check_button.text() == "Vérifier de nouveau")
    assert app.window.tabs.tabText(2) == "Vérification"
    assert page.table.horizontalHeaderItem(2).text() == "Dans QuickBooks"
    assert page.summary_label.text().startswith("Prêt")
