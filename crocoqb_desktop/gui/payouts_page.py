"""Rule 14 in the window: the "Payouts" tab (each payout with its items, booked or pending; the clearing
account check; the bank account payouts reach) and the settings box that explains clearing mode with
an example before the user turns it on. Data comes from `app.payouts`, read on the io thread."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crocoqb_desktop.gui.controller import AppController
from crocoqb_desktop.gui.widgets import is_language_change, wrap_label

translate = QCoreApplication.translate  # lupdate finds translate("Context", "text") calls
WRAP_WIDTH = 560


def _explanation() -> str:
    return translate("Payouts",
        "Card processors such as Stripe pay you the net amount days later, several sales at once, minus their "
        "fees and refunds. With clearing on, QuickBooks follows the money the same way: each sale goes into a "
        "clearing account for the processor (\"CrocoClick Payments - stripe\"), its fee becomes an expense "
        "(\"Merchant fees\"), and each payout becomes one transfer of exactly its amount to your bank, so the "
        "deposit in your bank feed matches one transaction to the cent.")


def _example() -> str:
    return translate("Payouts",
        "Example: a customer pays $100.00 by card and Stripe keeps a $3.20 fee. QuickBooks gets the $100.00 sale "
        "in the clearing account and a $3.20 expense. Two days later Stripe pays $296.40 for this and other sales: "
        "QuickBooks gets one $296.40 transfer from the clearing account to your bank. The clearing account then "
        "holds what Stripe still owes you.")


def _applies() -> str:
    return translate("Payouts", "It applies to payments from the moment you turn it on; what is already in QuickBooks stays as "
                     "it is. Cash, cheques and manual payments are not affected.")


class PayoutsSettingsBox(QGroupBox):
    """The settings dialog's "Fees and payouts" box: the choice, with its explanation and example."""

    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("payoutsSettings")
        layout = QVBoxLayout(self)
        self.check = QCheckBox()
        self.check.setObjectName("payoutsClearing")
        self.check.setChecked(controller.setting("sync.payouts") == "clearing")
        self.explanation = wrap_label(object_name="hint")
        self.example = wrap_label(object_name="hint")
        self.applies = wrap_label(object_name="hint")
        self.next_step = wrap_label(object_name="warn")
        for widget in (self.check, self.explanation, self.example, self.applies, self.next_step):
            layout.addWidget(widget)
        self.check.toggled.connect(self._toggled)
        self.retranslate()
        self._toggled(self.check.isChecked())

    def _toggled(self, on: bool) -> None:
        self.next_step.setVisible(on)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Fees and payouts"))
        self.check.setText(self.tr("Record card payments through a clearing account (fees and payouts)"))
        self.explanation.setText(_explanation())
        self.example.setText(_example())
        self.applies.setText(_applies())
        self.next_step.setText(self.tr("Then choose the bank account each processor pays into, on the Payouts tab."))
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        QTimer.singleShot(0, self._fit)  # once laid out with its style: the real width and font

    def _fit(self) -> None:
        """A dialog sizes itself before word wrap: reserve each text's wrapped height, then resize."""
        for label in (self.explanation, self.example, self.applies, self.next_step):
            height = label.heightForWidth(max(label.width(), WRAP_WIDTH) if self.isVisible() else WRAP_WIDTH)
            if height > 0:
                label.setMinimumHeight(height)
        window = self.window()
        if self.isVisible() and window is not self and window.height() < window.sizeHint().height():
            window.resize(window.width(), window.sizeHint().height())

    def value(self) -> str:
        return "clearing" if self.check.isChecked() else "off"


class PayoutsPage(QWidget):
    """Each payout (newest first) with its items, whether it is booked, and the clearing account check."""

    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.report: Any = None
        self.setObjectName("payoutsPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        self.mode_label = wrap_label(object_name="cardTitle")
        self.intro_label = wrap_label(object_name="hint")
        self.balance_label = wrap_label(selectable=True)
        self.balance_label.setObjectName("payoutsBalance")
        layout.addWidget(self.mode_label)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.balance_label)

        self.accounts_box = QGroupBox()
        self.accounts_form = QFormLayout(self.accounts_box)
        self.account_combos: dict[tuple[str, str], QComboBox] = {}
        layout.addWidget(self.accounts_box)

        self.tree = QTreeWidget()
        self.tree.setObjectName("payoutsTree")
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tree, 1)
        bottom = QHBoxLayout()
        self.error_label = wrap_label(object_name="error")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refreshPayouts")
        self.refresh_button.clicked.connect(self.refresh)
        bottom.addWidget(self.error_label, 1)
        bottom.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(bottom)
        controller.sync_finished.connect(lambda *_: self.refresh())
        controller.settings_saved.connect(lambda *_: self.refresh())
        self._retranslate()
        # first read when the page is first shown or a sync ends: the engine loads after the first screen

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self.report is None:
            self.refresh()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Refresh"))
        self.accounts_box.setTitle(self.tr("Where payouts go"))
        self.tree.setHeaderLabels([self.tr("Arrival"), self.tr("Payout or item"), self.tr("Amount"),
                                   self.tr("Status")])
        self._show()

    # -- data ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx = self.controller.ctx
        controller = self.controller

        from crocoqb_desktop.gui import i18n

        language = i18n.current_language()

        def work() -> Any:
            from crocoqb_desktop.app.payouts import payouts_report
            from crocoqb_desktop.errors import CrocoQBError

            client = None
            connection = getattr(controller.service, "connection", None)  # on the io thread: may load the engine
            if connection is not None:
                try:
                    client = connection.client()
                except CrocoQBError:
                    client = None
            return payouts_report(ctx.settings, ctx.store, client, language)

        self.controller.tasks.io(work, self._loaded, self._failed)

    def _loaded(self, report: Any) -> None:
        self.report = report
        self.error_label.setText("")
        self._show()

    def _failed(self, exc: BaseException) -> None:
        self.error_label.setText(str(getattr(exc, "message", exc)))

    def choose_account(self, kind: str, provider: str, index: int) -> None:
        """The user picked an account (a payout's bank, or disputes and reserves): checked in QuickBooks and
        saved as the user's mapping on the io thread; records waiting on it are tried again."""
        combo = self.account_combos.get((kind, provider))
        if combo is None or index < 0 or not combo.itemData(index):
            return
        account_id = str(combo.itemData(index))
        ctx = self.controller.ctx

        def work() -> None:
            from crocoqb_desktop.app.preflight import set_mapping

            set_mapping(ctx, kind, provider, account_id)

        self.controller.tasks.io(work, lambda _: self.refresh(), self._failed)

    # -- view ------------------------------------------------------------------------------------
    def _show(self) -> None:
        report = self.report
        on = report is not None and report.mode == "clearing"
        self.mode_label.setText(self.tr("Clearing is on: payouts are recorded as transfers to your bank") if on
                                else self.tr("Clearing is off: card payments are recorded as gross sales receipts"))
        # the explanation and its example before clearing is on; then the page is about the payouts
        self.intro_label.setText(self.tr("Each paid payout becomes one transfer to your bank once everything it "
                                         "settles is in QuickBooks.") if on else
                                 _explanation() + "\n\n" + _example() + "\n\n"
                                 + self.tr("Turn it on in Settings > Fees and payouts."))
        self._show_balance()
        self._show_accounts()
        self._show_payouts()

    def _show_balance(self) -> None:
        report = self.report
        lines, drift = [], False
        for c in report.clearing if report else []:
            if Decimal(c.drift) != 0:
                drift = True
                lines.append(self.tr("{account}: QuickBooks shows {balance}, but the payments not paid out yet come to "
                                     "{expected} (a difference of {drift}). A transaction in this account was changed "
                                     "or deleted in QuickBooks: compare its register with this list.")
                             .format(account=c.account, balance=c.balance, expected=c.expected, drift=c.drift))
            else:
                lines.append(self.tr("{account}: {balance}, what {provider} still holds for you. Balanced.")
                             .format(account=c.account, balance=c.balance, provider=c.provider))
        if report is not None and report.balance_error:
            lines.append(self.tr("The balance could not be checked: {reason}").format(reason=report.balance_error))
        self.balance_label.setObjectName("error" if drift else "ok" if lines else "hint")
        self.balance_label.style().unpolish(self.balance_label)  # the style follows the new object name
        self.balance_label.style().polish(self.balance_label)
        self.balance_label.setText("\n".join(lines))
        self.balance_label.setVisible(bool(lines))

    def _combo(self, kind: str, provider: str, chosen: tuple[str, str] | None, empty: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"{kind}Account-{provider}")
        combo.addItem(empty, "")
        for account_id, name in (self.report.choices.get(kind) or []) if self.report else []:
            combo.addItem(name, account_id)
        if chosen:
            index = combo.findData(chosen[0])
            if index < 0:
                combo.addItem(chosen[1] or chosen[0], chosen[0])
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        combo.currentIndexChanged.connect(lambda i, k=kind, p=provider: self.choose_account(k, p, i))
        self.account_combos[(kind, provider)] = combo
        return combo

    def _show_accounts(self) -> None:
        while self.accounts_form.rowCount():
            self.accounts_form.removeRow(0)
        self.account_combos.clear()
        report = self.report
        if report is None:
            self.accounts_box.hide()
            return
        self.accounts_box.setVisible(report.mode == "clearing" or bool(report.clearing))
        for acc in report.accounts:
            self.accounts_form.addRow(
                QLabel(self.tr("{provider} pays into").format(provider=acc.provider)),
                self._combo("payout", acc.provider, acc.payout, self.tr("Choose a bank account")))
            self.accounts_form.addRow(
                QLabel(self.tr("Disputes and reserves of {provider}").format(provider=acc.provider)),
                self._combo("adjustment", acc.provider, acc.adjustment, self.tr("Choose an expense or income account")))
            names = [self.tr("clearing: {name}").format(name=acc.clearing[1]) if acc.clearing
                     else self.tr("clearing: created at the first payment"),
                     self.tr("fees: {name}").format(name=acc.fees[1]) if acc.fees
                     else self.tr("fees: \"Merchant fees\", created at the first payment")]
            self.accounts_form.addRow("", wrap_label("; ".join(names), object_name="hint"))

    def _state_text(self, state: str) -> str:
        return {
            "waiting": self.tr("Pending"),
            "booked": self.tr("Booked"),
            "failed": self.tr("Failed at the bank, nothing booked"),
            "reversed": self.tr("Failed at the bank, transfer reversed"),
            "reversing": self.tr("Failed at the bank, reversing"),
            "manual": self.tr("To record by hand"),
            "not_clearing": self.tr("Recorded before clearing"),
        }.get(state, state)

    def _show_payouts(self) -> None:
        self.tree.clear()
        report = self.report
        if report is None:
            return
        if not report.payouts:
            QTreeWidgetItem(self.tree, ["", self.tr("No payouts yet"), "", ""])
            return
        for p in report.payouts:
            status = self._state_text(p.state) + (f": {p.detail}" if p.detail and p.state != "booked" else "")
            top = QTreeWidgetItem(self.tree, [p.arrival_date or "", f"{p.provider} {p.id}",
                                              f"{p.amount} {p.currency or ''}", status])
            top.setToolTip(3, status)
            top.setExpanded(p.state != "booked")  # what a payout still waits for is in its items
            for item in p.items:
                what = {"payment": self.tr("payment {id}"), "refund": self.tr("refund {id}")}.get(
                    item.type, "{id}").format(id=item.payment_id if item.type == "payment" else
                                             item.refund_id or item.description or "")
                if item.type == "adjustment":
                    what = item.description or self.tr("adjustment")
                here = self.tr("in QuickBooks") if item.in_quickbooks else self.tr("not in QuickBooks yet")
                QTreeWidgetItem(top, ["", what, item.net, here])

    def row_texts(self) -> list[list[str]]:
        """The top rows as shown (for tests and the screenshots' checks)."""
        rows = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [[row.text(c) for c in range(4)] for row in rows if row is not None]
