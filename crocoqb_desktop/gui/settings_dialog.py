"""Settings: sync intervals, deposit account, default item, review channel, language, start at login.

Saved through the controller (written off the GUI thread). The language changes at once (live)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crocoqb_desktop.gui import texts
from crocoqb_desktop.gui.controller import AppController
from crocoqb_desktop.gui.payouts_page import PayoutsSettingsBox
from crocoqb_desktop.gui.resources import resource_path
from crocoqb_desktop.gui.widgets import STYLE, is_language_change, wrap_label
from crocoqb_desktop.settings import SPECS


class SettingsDialog(QDialog):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("settingsDialog")
        self.setWindowIcon(QIcon(str(resource_path("icons", "app.png"))))
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)

        self.sync_box = QGroupBox()
        sync_form = QFormLayout(self.sync_box)
        sync_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.push_spin = self._interval_spin("sync.push_interval_s")
        self.push_spin.setObjectName("pushInterval")
        self.poll_spin = self._interval_spin("sync.poll_interval_s")
        self.poll_spin.setObjectName("pollInterval")
        self.push_label, self.poll_label = QLabel(), QLabel()
        sync_form.addRow(self.push_label, self.push_spin)
        sync_form.addRow(self.poll_label, self.poll_spin)
        self.sync_help = QLabel()
        self.sync_help.setObjectName("syncHelp")
        self.sync_help.setWordWrap(True)
        sync_form.addRow(self.sync_help)
        layout.addWidget(self.sync_box)

        self.books_box = QGroupBox()
        books_form = QFormLayout(self.books_box)
        books_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.deposit_edit = QLineEdit(controller.setting("sync.deposit_account"))
        self.deposit_edit.setObjectName("depositAccount")
        self.item_edit = QLineEdit(controller.setting("sync.default_item"))
        self.item_edit.setObjectName("defaultItem")
        self.channel_combo = QComboBox()
        self.channel_combo.setObjectName("reviewChannel")
        self.deposit_label, self.item_label, self.channel_label = QLabel(), QLabel(), QLabel()
        books_form.addRow(self.deposit_label, self.deposit_edit)
        books_form.addRow(self.item_label, self.item_edit)
        books_form.addRow(self.channel_label, self.channel_combo)
        layout.addWidget(self.books_box)
        self.payouts_box = PayoutsSettingsBox(controller)
        layout.addWidget(self.payouts_box)

        self.app_box = QGroupBox()
        app_form = QFormLayout(self.app_box)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language")
        self.language_label = QLabel()
        self.login_check = QCheckBox()
        self.login_check.setObjectName("startAtLogin")
        self.login_check.setChecked(bool(controller.setting("ui.start_at_login")))
        app_form.addRow(self.language_label, self.language_combo)
        app_form.addRow("", self.login_check)
        self.language_note = wrap_label(object_name="hint")
        app_form.addRow("", self.language_note)
        layout.addWidget(self.app_box)

        self.error_label = wrap_label(object_name="error")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._retranslate()
        self._select(self.channel_combo, controller.setting("sync.review_channel"))
        self._select(self.language_combo, controller.setting("ui.language"))

    @staticmethod
    def _interval_spin(key: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(5, 86_400)
        spin.setSingleStep(30)
        spin.setValue(int(SPECS[key].parse(SPECS[key].default)))
        return spin

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(0, index))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("CrocoQB settings"))
        self.sync_box.setTitle(self.tr("Sync"))
        self.books_box.setTitle(self.tr("QuickBooks"))
        self.app_box.setTitle(self.tr("Application"))
        self.payouts_box.retranslate()
        self.push_label.setText(self.tr("Send changes to QuickBooks every"))
        self.push_label.setText(self.tr("If CrocoClick cannot report changes at once, check it every"))
        self.poll_label.setText(self.tr("Check QuickBooks for changes every"))
        self.sync_help.setText(self.tr(
            "Changes in CrocoClick reach QuickBooks within seconds. Each QuickBooks check is one request of the "
            "500 a minute QuickBooks allows your company, shared with your other apps: every 60 seconds costs "
            "1,440 a day; every 10 seconds, 8,640 a day and less room for a large catch-up."))
        for spin in (self.push_spin, self.poll_spin):
            spin.setSuffix(" " + self.tr("seconds"))
        self.push_spin.setValue(int(self.controller.setting("sync.push_interval_s")))
        self.poll_spin.setValue(int(self.controller.setting("sync.poll_interval_s")))
        self.deposit_label.setText(self.tr("Deposit account for sales receipts"))
        self.deposit_edit.setPlaceholderText(texts.translate("Texts", "Undeposited Funds"))
        self.item_label.setText(self.tr("Item for lines that match nothing"))
        self.item_edit.setPlaceholderText(self.tr("Create a service item (default)"))
        self.channel_label.setText(self.tr("Send review requests by"))
        channel = self.channel_combo.currentData() or self.controller.setting("sync.review_channel")
        self.channel_combo.clear()
        self.channel_combo.addItem(self.tr("Email"), "email")
        self.channel_combo.addItem(self.tr("SMS"), "sms")
        self._select(self.channel_combo, channel)
        self.language_label.setText(self.tr("Language"))
        language = self.language_combo.currentData() or self.controller.setting("ui.language")
        self.language_combo.clear()
        self.language_combo.addItem(self.tr("Same as the system"), "system")
        self.language_combo.addItem("English", "en")
        self.language_combo.addItem("Français", "fr")
        self._select(self.language_combo, language)
        self.login_check.setText(self.tr("Start CrocoQB when I log in"))
        self.language_note.setText(self.tr("The language changes as soon as you save."))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        save.setText(self.tr("Save"))
        cancel.setText(self.tr("Cancel"))

    def values(self) -> dict[str, Any]:
        return {
            "sync.push_interval_s": self.push_spin.value(),
            "sync.poll_interval_s": self.poll_spin.value(),
            "sync.deposit_account": self.deposit_edit.text().strip(),
            "sync.default_item": self.item_edit.text().strip(),
            "sync.review_channel": self.channel_combo.currentData(),
            "sync.payouts": self.payouts_box.value(),
            "ui.language": self.language_combo.currentData(),
            "ui.start_at_login": self.login_check.isChecked(),
        }

    def save(self) -> None:
        self.buttons.setEnabled(False)
        self.error_label.hide()
        self.controller.save_settings(self.values(), self._saved)

    def _saved(self, changed: dict[str, Any] | None, error: BaseException | None) -> None:
        self.buttons.setEnabled(True)
        if error is not None:
            title, message, _ = texts.error_texts(error)
            self.error_label.setText(f"{title}: {message}")
            self.error_label.show()
            return
        self.accept()

