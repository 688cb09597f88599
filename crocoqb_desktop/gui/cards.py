"""The two set-up cards of the main window: CrocoClick (API key, location) and QuickBooks
(toggles first, then Connect, then Connected with the company name)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crocoqb_desktop.gui import texts
from crocoqb_desktop.gui.controller import AppController
from crocoqb_desktop.gui.widgets import PageSwitcher, ToggleSwitch, card, is_language_change, wrap_label


class CrocoCard(QWidget):
    """API key (never shown back) and location id; "Check and save" asks CrocoClick (GET /me)."""

    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._croco: dict[str, Any] = {}
        self._checking = False
        self._error: BaseException | None = None

        self.title = QLabel()
        frame, body = card(self.title)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

        self.intro = wrap_label(object_name="hint")
        body.addWidget(self.intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.key_label = QLabel()
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("crocoApiKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setClearButtonEnabled(True)
        self.location_label = QLabel()
        self.location_edit = QLineEdit()
        self.location_edit.setObjectName("crocoLocation")
        self.location_edit.setText(controller.setting("croco.location_id") or "")
        form.addRow(self.key_label, self.key_edit)
        form.addRow(self.location_label, self.location_edit)
        body.addLayout(form)

        row = QHBoxLayout()
        self.save_button = QPushButton()
        self.save_button.setObjectName("crocoSave")
        self.save_button.clicked.connect(self._save)
        row.addWidget(self.save_button)
        self.result_label = wrap_label(selectable=True)
        self.result_label.setObjectName("crocoResult")
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.result_label, 1)
        body.addLayout(row)

        self.key_edit.returnPressed.connect(self._save)
        self.location_edit.returnPressed.connect(self._save)
        self.key_edit.textChanged.connect(self._update_buttons)
        self.location_edit.textChanged.connect(self._update_buttons)
        controller.croco_login_finished.connect(self._login_finished)
        controller.status_changed.connect(self._status_changed)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("CrocoClick"))
        self.intro.setText(self.tr("Create an API key in CrocoClick (Settings > Integrations > API keys) and "
                                   "paste it here with your location id."))
        self.key_label.setText(self.tr("API key"))
        self.location_label.setText(self.tr("Location id"))
        self.save_button.setText(self.tr("Check and save"))
        self._show_state()

    def _status_changed(self, status: dict[str, Any]) -> None:
        self._croco = status.get("crococlick") or {}
        if not self.location_edit.hasFocus() and not self.location_edit.text() and self._croco.get("location_id"):
            self.location_edit.setText(self._croco["location_id"])
        self._show_state()

    def _show_state(self) -> None:
        connected = bool(self._croco.get("connected"))
        self.key_edit.setPlaceholderText(
            self.tr("Saved in the system keychain. Paste a new key to replace it.") if connected
            else self.tr("Paste your CrocoClick API key"))
        self.location_edit.setPlaceholderText(self.tr("for example loc_123abc"))
        if self._checking:
            self.result_label.setText(self.tr("Checking with CrocoClick…"))
        elif self._error is not None:
            self.result_label.setText(f"<span style='color:#b3261e'>{texts.error_html(self._error)}</span>")
        elif connected:
            name = self._croco.get("location_name") or self._croco.get("location_id") or ""
            self.result_label.setText(
                "<span style='color:#2e7d5b; font-weight:600'>✔ "
                + texts.escape(self.tr("Connected to %1").replace("%1", name)) + "</span>")
        else:
            self.result_label.setText("")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_key = bool(self.key_edit.text().strip())
        has_location = bool(self.location_edit.text().strip())
        self.save_button.setEnabled(not self._checking and has_key and has_location)

    def _save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self._checking = True
        self._error = None
        self._show_state()
        self.controller.croco_login(self.key_edit.text(), self.location_edit.text())

    def _login_finished(self, me: dict[str, Any] | None, error: BaseException | None) -> None:
        self._checking = False
        self._error = error
        if me is not None:
            self.key_edit.clear()  # never keep the key on screen
            self._croco = {"connected": True, "location_id": me.get("locationId") or self.location_edit.text(),
                           "location_name": me.get("locationName")}
        self._show_state()


class QboCard(QWidget):
    """Set-up in the familiar order: the toggles first, then Connect, sign in, then Connected."""

    def __init__(self, controller: AppController, open_url: Callable[[str], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.open_url = open_url
        self._qbo: dict[str, Any] = {"state": "not_connected"}
        self._croco_connected = False
        self._error: BaseException | None = None
        self._url = ""
        #: asks "Disconnect?"; replaceable (tests)
        self.confirm: Callable[[str, str], bool] = self._confirm

        self.title = QLabel()
        frame, body = card(self.title)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

        self.intro = wrap_label(object_name="hint")
        body.addWidget(self.intro)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.import_toggle = ToggleSwitch()
        self.import_toggle.setObjectName("importInvoicesToggle")
        self.import_toggle.setChecked(bool(controller.setting("sync.import_invoices")))
        self.import_label = QLabel()
        self.import_label.setObjectName("toggleLabel")
        self.import_help = wrap_label(object_name="hint")
        self.review_toggle = ToggleSwitch()
        self.review_toggle.setObjectName("reviewAutomationToggle")
        self.review_toggle.setChecked(bool(controller.setting("sync.review_automation")))
        self.review_label = QLabel()
        self.review_help = wrap_label(object_name="hint")
        for row, (toggle, label, help_label) in enumerate(
                [(self.import_toggle, self.import_label, self.import_help),
                 (self.review_toggle, self.review_label, self.review_help)]):
            label.setStyleSheet("font-weight: 600")
            label.setBuddy(toggle)
            grid.addWidget(toggle, row * 2, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, row * 2, 1)
            grid.addWidget(help_label, row * 2 + 1, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowMinimumHeight(1, 8)
        body.addLayout(grid)
        self.import_toggle.toggled.connect(lambda on: self._toggle("sync.import_invoices", on))
        self.review_toggle.toggled.connect(lambda on: self._toggle("sync.review_automation", on))

        self.stack = PageSwitcher()
        body.addWidget(self.stack)
        self.stack.addWidget(self._build_connect_page())
        self.stack.addWidget(self._build_waiting_page())
        self.stack.addWidget(self._build_connected_page())
        self.stack.addWidget(self._build_reconnect_page())

        self.error_label = wrap_label(selectable=True)
        self.error_label.setObjectName("qboError")
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        body.addWidget(self.error_label)

        controller.status_changed.connect(self._status_changed)
        controller.connect_url_ready.connect(self._url_ready)
        controller.connect_finished.connect(self._connect_finished)
        controller.disconnect_finished.connect(self._disconnect_finished)
        self._retranslate()

    # -- pages ---------------------------------------------------------------------------------------
    def _build_connect_page(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(12)
        self.connect_button = QPushButton()
        self.connect_button.setObjectName("primary")
        self.connect_button.setAccessibleName("connect")
        self.connect_button.clicked.connect(self.start_connect)
        layout.addWidget(self.connect_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.connect_help = wrap_label(object_name="hint")
        self.connect_help.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.connect_help, 1)
        return page

    def _build_waiting_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        self.waiting_label = wrap_label()
        self.waiting_label.setStyleSheet("font-weight: 600")
        layout.addWidget(self.waiting_label)
        self.url_help = wrap_label(object_name="hint")
        layout.addWidget(self.url_help)
        url_row = QHBoxLayout()
        self.url_field = QLineEdit()
        self.url_field.setObjectName("authorizationUrl")
        self.url_field.setReadOnly(True)
        url_row.addWidget(self.url_field, 1)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("copyUrl")
        self.copy_button.clicked.connect(self._copy_url)
        url_row.addWidget(self.copy_button)
        self.open_button = QPushButton()
        self.open_button.setObjectName("openUrl")
        self.open_button.clicked.connect(lambda: self.open_url(self._url))
        url_row.addWidget(self.open_button)
        layout.addLayout(url_row)
        self.paste_help = wrap_label(object_name="hint")
        layout.addWidget(self.paste_help)
        paste_row = QHBoxLayout()
        self.paste_field = QLineEdit()
        self.paste_field.setObjectName("pasteCode")
        self.paste_field.returnPressed.connect(self._use_pasted)
        paste_row.addWidget(self.paste_field, 1)
        self.paste_button = QPushButton()
        self.paste_button.setObjectName("usePasted")
        self.paste_button.clicked.connect(self._use_pasted)
        paste_row.addWidget(self.paste_button)
        layout.addLayout(paste_row)
        cancel_row = QHBoxLayout()
        cancel_row.addStretch(1)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelConnect")
        self.cancel_button.clicked.connect(self._cancel)
        cancel_row.addWidget(self.cancel_button)
        layout.addLayout(cancel_row)
        return page

    def _build_connected_page(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        self.connected_label = QLabel()
        self.connected_label.setObjectName("ok")
        self.company_label = QLabel()
        self.company_label.setObjectName("companyName")
        self.company_label.setStyleSheet("font-weight: 600")
        self.company_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.connected_label)
        layout.addWidget(QLabel("·"))
        layout.addWidget(self.company_label, 1)
        self.disconnect_button = QPushButton()
        self.disconnect_button.setObjectName("disconnect")
        self.disconnect_button.clicked.connect(self._disconnect)
        layout.addWidget(self.disconnect_button)
        return page

    def _build_reconnect_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        self.reconnect_label = QLabel()
        self.reconnect_label.setObjectName("warn")
        layout.addWidget(self.reconnect_label)
        self.reconnect_reason = wrap_label(selectable=True)
        layout.addWidget(self.reconnect_reason)
        row = QHBoxLayout()
        row.addStretch(1)
        self.reconnect_button = QPushButton()
        self.reconnect_button.setObjectName("primary")
        self.reconnect_button.setAccessibleName("reconnect")
        self.reconnect_button.clicked.connect(self.start_connect)
        row.addWidget(self.reconnect_button)
        self.disconnect_button2 = QPushButton()
        self.disconnect_button2.setObjectName("disconnect2")
        self.disconnect_button2.clicked.connect(self._disconnect)
        row.addWidget(self.disconnect_button2)
        layout.addLayout(row)
        return page

    # -- texts ---------------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("QuickBooks Online"))
        self.intro.setText(self.tr("Choose the options first, then connect."))
        self.import_label.setText(self.tr("Import invoices"))
        self.review_label.setText(self.tr("Review automation"))
        self.import_toggle.setAccessibleName(self.tr("Import invoices"))
        self.review_toggle.setAccessibleName(self.tr("Review automation"))
        self.review_help.setText(self.tr("Ask a customer for a review when their first invoice is fully paid "
                                         "in QuickBooks (optional)."))
        self.connect_button.setText(self.tr("Connect"))
        self.connect_help.setText(self.tr("You will sign in to QuickBooks in your browser and accept the "
                                          "permissions requested."))
        self.waiting_label.setText(self.tr("Sign in to QuickBooks in your browser and accept. Waiting for "
                                           "QuickBooks…"))
        self.url_help.setText(self.tr("If the browser did not open, open this address yourself:"))
        self.copy_button.setText(self.tr("Copy"))
        self.open_button.setText(self.tr("Open again"))
        self.paste_help.setText(self.tr("Landed on a page showing a code? Paste the page's address or the code "
                                        "here:"))
        self.paste_field.setPlaceholderText(self.tr("Paste the code or the address"))
        self.paste_button.setText(self.tr("Use this code"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.connected_label.setText("● " + self.tr("Connected"))
        self.disconnect_button.setText(self.tr("Disconnect"))
        self.disconnect_button2.setText(self.tr("Disconnect"))
        self.reconnect_button.setText(self.tr("Reconnect"))
        self._show_state()

    # -- state ---------------------------------------------------------------------------------------
    def _status_changed(self, status: dict[str, Any]) -> None:
        self._qbo = status.get("quickbooks") or {"state": "not_connected"}
        self._croco_connected = bool((status.get("crococlick") or {}).get("connected"))
        sync = status.get("sync") or {}
        for toggle, key in ((self.import_toggle, "import_invoices"), (self.review_toggle, "review_automation")):
            if key in sync and toggle.isChecked() != bool(sync[key]):
                toggle.blockSignals(True)
                toggle.setChecked(bool(sync[key]))
                toggle.blockSignals(False)
                toggle.update()
        self._show_state()

    @property
    def state(self) -> str:
        if self.controller.connecting:
            return "connecting"
        return str(self._qbo.get("state") or "not_connected")

    def _show_state(self) -> None:
        state = self.state
        page = {"not_connected": 0, "connecting": 1, "connected": 2, "reconnect_needed": 3}.get(state, 0)
        self.stack.setCurrentIndex(page)
        before_connecting = state == "not_connected"
        self.import_toggle.setEnabled(before_connecting)
        if before_connecting:
            self.import_help.setText(self.tr("Import your past QuickBooks invoices into CrocoClick when you "
                                             "connect (optional). Can only be changed before connecting."))
        else:
            self.import_help.setText(self.tr("Can only be changed before connecting. To change it, disconnect "
                                             "first."))
        self.connect_button.setEnabled(self._croco_connected)
        if not self._croco_connected and state == "not_connected":
            self.connect_help.setText(self.tr("Connect CrocoClick first (the card above): QuickBooks is "
                                              "connected through your CrocoClick account."))
        else:
            self.connect_help.setText(self.tr("You will sign in to QuickBooks in your browser and accept the "
                                              "permissions requested."))
        name = self._qbo.get("company_name") or self._qbo.get("realm_id") or ""
        self.company_label.setText(name)
        self.reconnect_label.setText("▲ " + (self.tr("Reconnect needed: %1").replace("%1", name) if name
                                             else self.tr("Reconnect needed")))
        self.reconnect_reason.setText(self.tr("QuickBooks no longer accepts CrocoQB's access (revoked, expired or "
                                              "replaced). Reconnect to resume syncing; nothing is lost."))
        if self.url_field.text() != self._url:
            self.url_field.setText(self._url)
            self.url_field.setCursorPosition(0)  # show where the address starts
        self.copy_button.setEnabled(bool(self._url))
        self.open_button.setEnabled(bool(self._url))
        self.paste_button.setEnabled(bool(self._url))
        if self._error is not None:
            self.error_label.setText(f"<span style='color:#b3261e'>{texts.error_html(self._error)}</span>")
            self.error_label.show()
        else:
            self.error_label.clear()
            self.error_label.hide()

    def _toggle(self, key: str, on: bool) -> None:
        self.controller.save_settings({key: on})

    def start_connect(self) -> None:
        """Connect or Reconnect: opens the browser at the authorization URL when it is ready."""
        self._error = None
        self._url = ""
        self.controller.start_connect()
        self._show_state()

    def _url_ready(self, url: str) -> None:
        self._url = url
        self._show_state()
        self.open_url(url)

    def _copy_url(self) -> None:
        QGuiApplication.clipboard().setText(self._url)
        self.copy_button.setText(self.tr("Copied"))

    def _use_pasted(self) -> None:
        text = self.paste_field.text().strip()
        if text:
            self._error = None
            self.controller.submit_pasted(text)
            self.paste_field.clear()
            self._show_state()

    def _cancel(self) -> None:
        self.controller.cancel_connect()
        self._url = ""
        self._show_state()

    def _connect_finished(self, result: dict[str, Any] | None, error: BaseException | None) -> None:
        self._error = error
        if result is not None:
            self._url = ""
            self._qbo = {"state": "connected", "company_name": result.get("company_name"),
                         "realm_id": result.get("realm_id")}
        elif not self.controller.connecting:
            self._url = ""
        self.copy_button.setText(self.tr("Copy"))
        self._show_state()

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _disconnect(self) -> None:
        if self.confirm(
            self.tr("Disconnect QuickBooks?"),
            self.tr("CrocoQB will stop syncing with %1 and forget its access. You can connect again later.")
            .replace("%1", self._qbo.get("company_name") or self.tr("QuickBooks")),
        ):
            self.disconnect_button.setEnabled(False)
            self.disconnect_button2.setEnabled(False)
            self.controller.disconnect_qbo()

    def _disconnect_finished(self, error: BaseException | None) -> None:
        self.disconnect_button.setEnabled(True)
        self.disconnect_button2.setEnabled(True)
        self._error = error
        if error is None:
            self._qbo = {"state": "not_connected"}
        self._show_state()
