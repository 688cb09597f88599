"""The log viewer: a table over the sync log (read incrementally by id, off the GUI thread), filters
(level, direction, record kind, text), a details pane with the fix and the ids on both sides, Copy,
Open log folder and Export diagnostic bundle. Each row is rendered from its message id and values in
the current language, so a language switch re-renders the rows already shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from crocoqb_desktop import paths
from crocoqb_desktop.gui import diagnostics, texts
from crocoqb_desktop.gui.controller import AppController
from crocoqb_desktop.gui.resources import resource_path
from crocoqb_desktop.gui.widgets import STYLE, is_language_change
from crocoqb_desktop.messages import Message, render
from crocoqb_desktop.sync.store import LogEntry

translate = QCoreApplication.translate  # lupdate finds translate("Context", "text") calls

MAX_ROWS = 20_000
FETCH_LIMIT = 5_000
POLL_MS = 2_000

ModelIndex = QModelIndex | QPersistentModelIndex


class LogModel(QAbstractTableModel):
    """Newest first. `refresh()` fetches only rows newer than the newest shown."""

    COLUMNS = ("time", "level", "direction", "record", "message")

    def __init__(self, controller: AppController, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.rows: list[LogEntry] = []
        self.filters: dict[str, Any] = {}
        self._last_id = 0
        self._generation = 0
        self._loading = False
        self._again = False
        self.fetches = 0  # for tests and the benchmark

    # -- Qt model ----------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return [self.tr("Time"), self.tr("Level"), self.tr("Direction"), self.tr("Record"),
                self.tr("Message")][section]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        entry = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "time":
                return texts.log_time_text(entry.ts)
            if column == "level":
                return texts.level_text(entry.level)
            if column == "direction":
                return texts.direction_text(entry.direction)
            if column == "record":
                return record_text(entry)
            return message_text(entry)
        if role == Qt.ItemDataRole.ForegroundRole:
            if entry.level == "ERROR":
                return QColor("#b3261e")
            if entry.level == "WARNING":
                return QColor("#8a5300")
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == "message":
            what_to_do = translate("Texts", "What to do:")
            return message_text(entry) + (f"\n{what_to_do} {fix_text(entry)}" if entry.fix else "")
        if role == Qt.ItemDataRole.UserRole:
            return entry
        return None

    # -- loading -----------------------------------------------------------------------------------
    def set_filters(self, **filters: Any) -> None:
        self.filters = {k: v for k, v in filters.items() if v}
        self._generation += 1
        self.beginResetModel()
        self.rows = []
        self._last_id = 0
        self.endResetModel()
        self._loading = False
        self.refresh()

    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        generation, after_id, filters = self._generation, self._last_id, dict(self.filters)
        store = self.controller.ctx.store
        self.fetches += 1
        self.controller.tasks.io(
            lambda: store.log_entries(after_id=after_id, limit=FETCH_LIMIT, **filters),
            lambda entries: self._loaded(generation, entries),
            lambda exc: self._failed(generation))

    def _failed(self, generation: int) -> None:
        if generation == self._generation:
            self._loading = False

    def _loaded(self, generation: int, entries: list[LogEntry]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        entries = [e for e in entries if e.id > self._last_id]
        if entries:
            self._last_id = entries[-1].id
            self.beginInsertRows(QModelIndex(), 0, len(entries) - 1)
            self.rows[0:0] = list(reversed(entries))
            self.endInsertRows()
            if len(self.rows) > MAX_ROWS:
                self.beginRemoveRows(QModelIndex(), MAX_ROWS, len(self.rows) - 1)
                del self.rows[MAX_ROWS:]
                self.endRemoveRows()
        if self._again:
            self._again = False
            self.refresh()

    @property
    def idle(self) -> bool:
        return not self._loading


def message_text(entry: LogEntry) -> str:
    return render(entry.message_data())


def fix_text(entry: LogEntry) -> str:
    return render(entry.fix_data()) if entry.fix else ""


# message values that name the record a row is about, best first (an invoice number, a name)
_NAME_KEYS = ("number", "doc_number", "name", "customer", "contact", "display_name", "invoice")


def record_name(entry: LogEntry) -> str | None:
    """The invoice number or the contact/customer name the row is about, from the row's message."""
    return _name_in(entry.message_data())


def _name_in(data: Message | str | None) -> str | None:
    if not isinstance(data, Message):
        return None
    for key in _NAME_KEYS:
        value = data.values.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    for value in data.values.values():  # a label or a reason given as a message: "Invoice INV-7"
        found = _name_in(value) if isinstance(value, Message) else None
        if found:
            return found
    return None


def record_text(entry: LogEntry) -> str:
    """The Record column: kind and invoice number or name; the id only when the row names nothing."""
    kind = texts.kind_text(entry.record_kind)
    name = record_name(entry) or entry.croco_id or entry.qbo_id
    return f"{kind} {name}".strip() if name and kind else kind


def entry_details(entry: LogEntry) -> str:
    """Plain text of one row (the details pane and Copy)."""
    lines = [
        f"{texts.log_time_text(entry.ts)}  {texts.level_text(entry.level)}  {texts.direction_text(entry.direction)}",
        message_text(entry),
    ]
    if entry.fix:
        lines.append(translate("Texts", "What to do:") + " " + fix_text(entry))
    if entry.record_kind:
        lines.append(translate("Texts", "Record:") + " " + record_text(entry))
    if entry.croco_id:
        lines.append(translate("Texts", "CrocoClick id:") + " " + entry.croco_id)
    if entry.qbo_id:
        lines.append(translate("Texts", "QuickBooks id:") + " " + entry.qbo_id)
    return "\n".join(lines)


def _open_local(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class LogViewer(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None, *,
                 open_folder: Callable[[Path], Any] = _open_local,
                 choose_bundle_path: Callable[[QWidget, str], str | None] | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.controller = controller
        self.open_folder = open_folder
        self.choose_bundle_path = choose_bundle_path or self._ask_bundle_path
        self.last_bundle: Path | None = None
        self.setObjectName("logViewer")
        self.setWindowIcon(QIcon(str(resource_path("icons", "app.png"))))
        self.setStyleSheet(STYLE)
        self.resize(980, 620)

        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("levelFilter")
        self.direction_combo = QComboBox()
        self.direction_combo.setObjectName("directionFilter")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindFilter")
        self.search = QLineEdit()
        self.search.setObjectName("textFilter")
        self.search.setClearButtonEnabled(True)
        self.show_label = QLabel()
        filters.addWidget(self.show_label)
        filters.addWidget(self.level_combo)
        filters.addWidget(self.direction_combo)
        filters.addWidget(self.kind_combo)
        filters.addWidget(self.search, 1)
        layout.addLayout(filters)

        self.model = LogModel(controller, self)
        self.table = QTableView()
        self.table.setObjectName("logTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 110, 125, 170)):
            self.table.setColumnWidth(column, width)
        self.details = QTextBrowser()
        self.details.setObjectName("logDetails")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([330, 220])
        layout.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.log_file_label = QLabel()
        self.log_file_label.setObjectName("hint")
        self.log_file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons.addWidget(self.log_file_label, 1)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("copyLog")
        self.copy_button.clicked.connect(self.copy_selection)
        self.folder_button = QPushButton()
        self.folder_button.setObjectName("openLogFolder")
        self.folder_button.clicked.connect(lambda: self.open_folder(paths.log_dir()))
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportBundle")
        self.export_button.clicked.connect(self.export_bundle)
        for button in (self.copy_button, self.folder_button, self.export_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        for combo in (self.level_combo, self.direction_combo, self.kind_combo):
            combo.currentIndexChanged.connect(lambda _: self.apply_filters())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_details())
        self.model.rowsInserted.connect(lambda *_: self._keep_top())

        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.model.refresh)
        controller.sync_finished.connect(lambda *_: self.model.refresh())
        controller.log_may_have_changed.connect(self._maybe_refresh)

        self._building = True
        self._retranslate()
        self._building = False
        self.apply_filters()

    # -- texts ---------------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self._retranslate()
        super().changeEvent(event)

    def _fill(self, combo: QComboBox, items: list[tuple[str, str | None]]) -> None:
        current = combo.currentIndex()
        combo.blockSignals(True)
        combo.clear()
        for label, value in items:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, current))
        combo.blockSignals(False)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("CrocoQB log"))
        self.show_label.setText(self.tr("Show:"))
        self._fill(self.level_combo, [(self.tr("Everything"), None), (self.tr("Warnings and errors"), "WARNING"),
                                      (self.tr("Errors only"), "ERROR")])
        self._fill(self.direction_combo, [(self.tr("Both directions"), None),
                                          (texts.direction_text("to_qbo"), "to_qbo"),
                                          (texts.direction_text("to_croco"), "to_croco"),
                                          (texts.direction_text("system"), "system")])
        self._fill(self.kind_combo, [(self.tr("All records"), None)]
                   + [(texts.kind_text(kind), kind) for kind in texts.RECORD_KINDS])
        self.search.setPlaceholderText(self.tr("Search messages and ids"))
        self.copy_button.setText(self.tr("Copy"))
        self.folder_button.setText(self.tr("Open log folder"))
        self.export_button.setText(self.tr("Export diagnostic bundle…"))
        self.log_file_label.setText(self.tr("Log file: %1").replace("%1", str(paths.log_file())))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(LogModel.COLUMNS) - 1)
        if self.model.rows:
            self.model.dataChanged.emit(self.model.index(0, 0),
                                        self.model.index(len(self.model.rows) - 1, len(LogModel.COLUMNS) - 1))
        self._show_details()

    # -- behaviour -----------------------------------------------------------------------------------
    def apply_filters(self) -> None:
        self.model.set_filters(min_level=self.level_combo.currentData(),
                               direction=self.direction_combo.currentData(),
                               record_kind=self.kind_combo.currentData(),
                               text=self.search.text().strip() or None)
        self.details.clear()

    def set_level_filter(self, level: str | None) -> None:
        index = self.level_combo.findData(level)
        self.level_combo.setCurrentIndex(max(0, index))

    def _maybe_refresh(self) -> None:
        if self.isVisible():
            self.model.refresh()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        self._poll.start()
        self.model.refresh()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:  # noqa: N802
        self._poll.stop()
        super().hideEvent(event)

    def _keep_top(self) -> None:
        if self.table.verticalScrollBar().value() <= 1 and not self.table.selectionModel().hasSelection():
            self.table.scrollToTop()

    def selected_entries(self) -> list[LogEntry]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.rows[row] for row in rows if row < len(self.model.rows)]

    def _show_details(self) -> None:
        entries = self.selected_entries()
        if not entries:
            self.details.setPlainText(self.tr("Select a row to see what happened and what to do."))
            return
        entry = entries[0]
        html = [f"<p><b>{texts.escape(message_text(entry))}</b></p>"]
        if entry.fix:
            what_to_do = texts.escape(translate("Texts", "What to do:"))
            html.append(f"<p style='color:#2e7d5b'><b>{what_to_do}</b> {texts.escape(fix_text(entry))}</p>")
        facts = []
        if entry.record_kind:
            facts.append((self.tr("Record"), record_text(entry)))
        facts += [(self.tr("CrocoClick id"), entry.croco_id or "—"), (self.tr("QuickBooks id"), entry.qbo_id or "—"),
                  (self.tr("When"), texts.log_time_text(entry.ts)),
                  (self.tr("Level"), texts.level_text(entry.level)),
                  (self.tr("Direction"), texts.direction_text(entry.direction))]
        html.append("<table cellspacing='0' cellpadding='2'>" + "".join(
            f"<tr><td style='color:#6b7177; padding-right:12px'>{texts.escape(k)}</td>"
            f"<td>{texts.escape(v)}</td></tr>" for k, v in facts) + "</table>")
        self.details.setHtml("".join(html))

    def copy_selection(self) -> str:
        entries = self.selected_entries() or self.model.rows[:1]
        text = "\n\n".join(entry_details(e) for e in entries)
        QGuiApplication.clipboard().setText(text)
        return text

    def _ask_bundle_path(self, parent: QWidget, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, self.tr("Export diagnostic bundle"), suggested,
                                              self.tr("Zip files (*.zip)"))
        return path or None

    def export_bundle(self) -> None:
        folder = Path.home() / "Documents"
        suggested = str((folder if folder.is_dir() else Path.home()) / diagnostics.default_bundle_name())
        chosen = self.choose_bundle_path(self, suggested)
        if not chosen:
            return
        dest = Path(chosen)
        if dest.suffix.lower() != ".zip":
            dest = dest.with_suffix(".zip")
        self.export_button.setEnabled(False)
        ctx, service = self.controller.ctx, self.controller.service
        self.controller.tasks.io(lambda: diagnostics.write_bundle(dest, ctx, service),
                                 self._exported, self._export_failed)

    def _exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        self.last_bundle = path
        self.log_file_label.setText(self.tr("Diagnostic bundle saved: %1").replace("%1", str(path)))

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        title, message, _fix = texts.error_texts(exc)
        self.log_file_label.setText(self.tr("The bundle could not be saved: %1").replace("%1", f"{title}: {message}"))
