"""The mapping editor: where one CrocoClick tax, product or line name, payment source type or processor
account goes in QuickBooks, picked among the active QuickBooks objects that fit (from the check's
report: tax codes, items, deposit accounts, bank/expense accounts). Typing filters the list (a
company may have 1,000 items). The choice is checked by the engine when saved (rate, type, active)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

translate = QCoreApplication.translate


def kind_label(kind: str) -> str:
    return {
        "tax": translate("Mappings", "Tax"),
        "item": translate("Mappings", "Product or line"),
        "deposit": translate("Mappings", "Payments from"),
        "clearing": translate("Mappings", "Clearing account"),
        "fees": translate("Mappings", "Fees account"),
        "payout": translate("Mappings", "Payout bank account"),
        "adjustment": translate("Mappings", "Adjustments account"),
        "method": translate("Mappings", "Payment method"),
        "currency": translate("Mappings", "Currency"),
        "deposit_account": translate("Mappings", "Deposit account setting"),
    }.get(kind, kind)


def source_label(kind: str, source: str) -> str:
    """A payment source type in words (the other sources are CrocoClick's own names)."""
    if kind != "deposit":
        return source
    return {
        "order_form": translate("Mappings", "Order forms"),
        "subscription": translate("Mappings", "Subscriptions"),
        "checkout": translate("Mappings", "Checkouts"),
        "calendar": translate("Mappings", "Calendar bookings"),
        "manual": translate("Mappings", "Manual payments"),
        "invoice": translate("Mappings", "Invoice payments"),
    }.get(source, source)


def target_label(kind: str) -> str:
    return {
        "tax": translate("Mappings", "QuickBooks tax code"),
        "item": translate("Mappings", "QuickBooks product or service"),
        "deposit": translate("Mappings", "Deposit to account"),
    }.get(kind, translate("Mappings", "QuickBooks account"))


class MappingEditor(QDialog):
    """Pick the QuickBooks object for (kind, source). `chosen_id()` after `exec()` == Accepted."""

    def __init__(self, kind: str, source: str, choices: list[dict[str, str]], current: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mappingEditor")
        self.kind, self.source = kind, source
        self.setWindowTitle(self.tr("Choose where it goes in QuickBooks"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        what = QLabel(self.tr("%1: %2").replace("%1", kind_label(kind)).replace("%2", source_label(kind, source)))
        what.setStyleSheet("font-weight: 600")
        what.setWordWrap(True)
        layout.addWidget(what)
        layout.addWidget(QLabel(target_label(kind)))
        self.picker = QComboBox()
        self.picker.setObjectName("mappingPicker")
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for choice in sorted(choices, key=lambda c: c["name"].casefold()):
            self.picker.addItem(self.tr("%1 (Id %2)").replace("%1", choice["name"]).replace("%2", choice["id"]),
                                choice["id"])
        completer = self.picker.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        index = self.picker.findData(current)
        self.picker.setCurrentIndex(index if index >= 0 else 0)
        layout.addWidget(self.picker)
        hint = QLabel(self.tr("Only active QuickBooks entries that fit are listed. Type to filter. "
                              "Your choice always wins over the automatic one."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.picker.count() > 0)
        layout.addWidget(self.buttons)

    def chosen_id(self) -> str:
        index = self.picker.findText(self.picker.currentText())
        data = self.picker.itemData(index if index >= 0 else self.picker.currentIndex())
        return str(data or "")
