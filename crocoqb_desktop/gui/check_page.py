"""The Check page (design-notes rule 10): shown after Connect, before the first sync, and any time later
from its tab. Company settings that change the sync and what CrocoQB does about each; every CrocoClick
tax, product, line name, payment kind, processor and currency seen, where it goes in QuickBooks and
why; what cannot map yet with the fix. "Choose…" opens the mapping editor; "Use automatic" forgets
the user's choice. The report comes from the engine (`app.preflight`), which writes nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.gui import texts
from crocoqb_desktop.gui.controller import AppController
from crocoqb_desktop.gui.i18n import current_language
from crocoqb_desktop.gui.mapping_editor import MappingEditor, kind_label, source_label
from crocoqb_desktop.gui.widgets import PROBLEM, is_language_change
from crocoqb_desktop.messages import render

EDITABLE = ("tax", "item", "deposit", "clearing", "fees", "payout", "adjustment")
_COLORS = {"problem": PROBLEM, "warning": "#8a5300"}


class CheckPage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkPage")
        self.controller = controller
        self.report: Any = None
        #: the report's rows in the order the table shows them
        self.shown_rows: list[Any] = []
        self.error: BaseException | None = None
        self.checking = False
        self._note = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        top = QHBoxLayout()
        self.summary_label = QLabel()
        self.summary_label.setObjectName("checkSummary")
        self.summary_label.setWordWrap(True)
        top.addWidget(self.summary_label, 1)
        self.check_button = QPushButton()
        self.check_button.setObjectName("checkAgain")
        self.check_button.clicked.connect(lambda: controller.run_check())
        top.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.settings_title = QLabel()
        self.settings_title.setObjectName("cardTitle")
        layout.addWidget(self.settings_title)
        self.settings_table = self._table(3)
        self.settings_table.setObjectName("checkSettings")
        self.settings_table.setMaximumHeight(150)
        layout.addWidget(self.settings_table)
        self.rows_title = QLabel()
        self.rows_title.setObjectName("cardTitle")
        layout.addWidget(self.rows_title)
        self.table = self._table(4)
        self.table.setObjectName("checkRows")
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.itemDoubleClicked.connect(lambda _item: self.choose())
        layout.addWidget(self.table, 1)
        self.details = QLabel()
        self.details.setObjectName("checkDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        buttons = QHBoxLayout()
        self.free_text_label = QLabel()
        self.free_text_label.setObjectName("hint")
        self.free_text_label.setWordWrap(True)
        buttons.addWidget(self.free_text_label, 1)
        self.auto_button = QPushButton()
        self.auto_button.setObjectName("useAutomatic")
        self.auto_button.clicked.connect(self.use_automatic)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("primary")
        self.choose_button.clicked.connect(self.choose)
        buttons.addWidget(self.auto_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(buttons)
        controller.check_started.connect(self._started)
        controller.check_finished.connect(self._finished)
        controller.mapping_saved.connect(self._mapping_saved)
        self._retranslate()

    @staticmethod
    def _table(columns: int) -> QTableWidget:
        table = QTableWidget(0, columns)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        for column in range(columns - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(columns - 1, QHeaderView.ResizeMode.Stretch)
        return table

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.check_button.setText(self.tr("Check again"))
        self.settings_title.setText(self.tr("QuickBooks settings that change the sync"))
        self.rows_title.setText(self.tr("Where CrocoClick's data goes in QuickBooks"))
        self.settings_table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Value"),
                                                       self.tr("What CrocoQB does")])
        self.table.setHorizontalHeaderLabels([self.tr("What"), self.tr("In CrocoClick"), self.tr("In QuickBooks"),
                                              self.tr("Why")])
        self.auto_button.setText(self.tr("Use automatic"))
        self.choose_button.setText(self.tr("Choose…"))
        self._show()

    # -- the report ----------------------------------------------------------------------------------
    def _started(self) -> None:
        self.checking = True
        self._note = ""
        self._show_summary()
        self.check_button.setEnabled(False)

    def _finished(self, report: Any, error: BaseException | None) -> None:
        self.checking = False
        self.check_button.setEnabled(True)
        self.report, self.error = report, error
        self._show()

    def _mapping_saved(self, result: Any, error: BaseException | None) -> None:
        if error is not None:
            self._note = self.error_text(error)
            self._show_summary()

    def error_text(self, error: BaseException) -> str:
        title, text, fix = texts.error_texts(error)
        if isinstance(error, CrocoQBError):
            text = render(error.message_data or error.message, current_language())
            fix = render(error.fix_data or error.fix, current_language())
        out = f"{title}: {text}"
        return out + "\n" + self.tr("What to do: %1").replace("%1", fix) if fix else out

    def _show(self) -> None:
        self._show_summary()
        self._fill_settings()
        self._fill_rows()
        self._selected()

    def _show_summary(self) -> None:
        color = ""
        if self.checking:
            text = self.tr("Checking QuickBooks and CrocoClick… (nothing is changed in either)")
        elif self.error is not None:
            text = self.tr("The check could not run: %1").replace("%1", self.error_text(self.error))
            color = PROBLEM
        elif self.report is None:
            text = self.tr("Press Check again to see where each thing will go in QuickBooks, before it is synced.")
        elif self.report.ready:
            text = self.tr("Ready: everything CrocoClick sends has a place in QuickBooks.")
        else:
            text = self.tr("%n thing(s) cannot go to QuickBooks yet. Select a red line to see what to do.", "",
                           len(self.report.problems))
            color = PROBLEM
        if self._note:
            text = f"{text}\n{self._note}"
            color = PROBLEM
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet(f"color: {color}; font-weight: 600" if color else "font-weight: 600")

    def _fill_settings(self) -> None:
        rows = self.report.settings if self.report is not None else []
        self.settings_table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            self._put(self.settings_table, index, [self.setting_label(row.kind), self.value_label(row.source),
                                                   render(row.text, current_language())], row.status)

    def _fill_rows(self) -> None:
        # what needs the user first, then the rest in the engine's order (taxes, items, deposits...)
        order = {"problem": 0, "warning": 1}
        rows = sorted(self.report.rows, key=lambda r: order.get(r.status, 2)) if self.report is not None else []
        self.shown_rows = rows
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            source = source_label(row.kind, row.source)
            source = source if not row.detail or row.detail == row.source else f"{source} ({row.detail})"
            target = f"{row.qbo_name} (Id {row.qbo_id})" if row.qbo_id and row.qbo_name else row.qbo_name or row.qbo_id
            if row.status == "problem":
                why = self.tr("Cannot map yet")
            elif not row.qbo_id and row.how in ("created", "default"):
                why = self.how_label(row.how)
                created = self.tr("(created at the first sync)")
                target = f"{row.qbo_name} {created}".strip()
            else:
                why = self.how_label(row.how)
            self._put(self.table, index, [kind_label(row.kind), source, target or "—", why], row.status)
        self.free_text_label.setText(render(self.report.free_text_rule, current_language())
                                     if self.report is not None else "")

    @staticmethod
    def _put(table: QTableWidget, index: int, values: list[str], status: str) -> None:
        for column, value in enumerate(values):
            cell = QTableWidgetItem(value)
            if status in _COLORS:
                cell.setForeground(QColor(_COLORS[status]))
            table.setItem(index, column, cell)

    def setting_label(self, kind: str) -> str:
        return {"custom_txn_numbers": self.tr("Custom transaction numbers"),
                "automated_sales_tax": self.tr("Automated sales tax"),
                "multicurrency": self.tr("Multicurrency"),
                "class_location_tracking": self.tr("Class and location tracking"),
                "closing_date": self.tr("Closing date")}.get(kind, kind)

    def value_label(self, value: str) -> str:
        return {"on": self.tr("On"), "off": self.tr("Off"), "none": self.tr("None"),
                "class": self.tr("Class"), "location": self.tr("Location"),
                "class + location": self.tr("Class and location")}.get(value, value)

    def how_label(self, how: str) -> str:
        return {"mapping": self.tr("Your choice"), "name": self.tr("Same name"), "rate": self.tr("Same rate"),
                "id": self.tr("Linked product"), "created": self.tr("Created at the first sync"),
                "default": self.tr("Default"), "setting": self.tr("Settings"),
                "automated": self.tr("Automated sales tax"), "home": self.tr("Home currency"),
                "foreign": self.tr("Multicurrency"), "none": self.tr("Not chosen")}.get(how, how)

    # -- selection and changes -------------------------------------------------------------------------
    def selected_row(self) -> Any:
        if self.report is None:
            return None
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.shown_rows):
            return None
        return self.shown_rows[rows[0].row()]

    def _selected(self) -> None:
        row = self.selected_row()
        editable = row is not None and row.kind in EDITABLE and bool(self.report.choices.get(row.kind))
        self.choose_button.setEnabled(editable and not self.checking)
        self.auto_button.setEnabled(row is not None and row.set_by == "user" and not self.checking)
        if row is None:
            self.details.setText("")
            return
        parts = [render(row.text, current_language())] if row.text else []
        if row.fix:
            parts.append(self.tr("What to do: %1").replace("%1", render(row.fix, current_language())))
        self.details.setText("\n".join(parts))
        self.details.setStyleSheet(f"color: {PROBLEM}" if row.status == "problem" else "")

    def choose(self, *, dialog: MappingEditor | None = None) -> MappingEditor | None:
        """Opens the mapping editor for the selected line (tests pass their own dialog handling by
        calling `editor_for` and `save_choice`)."""
        editor = dialog or self.editor_for(self.selected_row())
        if editor is None:
            return None
        if dialog is None and editor.exec() == QDialog.DialogCode.Accepted:
            self.save_choice(editor)
        return editor

    def editor_for(self, row: Any) -> MappingEditor | None:
        if row is None or row.kind not in EDITABLE or self.report is None:
            return None
        return MappingEditor(row.kind, row.source, self.report.choices.get(row.kind, []), row.qbo_id, self)

    def save_choice(self, editor: MappingEditor) -> None:
        chosen = editor.chosen_id()
        if chosen:
            self.controller.set_mapping(editor.kind, editor.source, chosen)

    def use_automatic(self) -> None:
        row = self.selected_row()
        if row is not None and row.set_by == "user":
            self.controller.set_mapping(row.kind, row.source, None)
