"""The "Needs attention" page: the records that need the user (design rule 9), each with its message,
the fix, and one button per action; the customer picker for `relink` searches QuickBooks customers by
name or email. `AttentionModel` keeps the list (read off the GUI thread after every status change) and
notifies once per new problem."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.gui import i18n
from crocoqb_desktop.gui.controller import AppController
from crocoqb_desktop.gui.widgets import is_language_change
from crocoqb_desktop.messages import render
from crocoqb_desktop.sync.problems import Problem

if TYPE_CHECKING:  # the engine loads after the first screen is drawn (start at login costs little)
    from crocoqb_desktop.app.problems_service import ProblemsService

translate = QCoreApplication.translate


def action_text(action: str) -> str:
    return {"retry": translate("Attention", "Retry"), "resend": translate("Attention", "Resend"),
            "skip": translate("Attention", "Skip"), "relink": translate("Attention", "Relink…")}.get(action, action)


def record_title(problem: Problem) -> str:
    text = {"invoice": translate("Attention", "Invoice %1"), "payment": translate("Attention", "Payment %1"),
            "refund": translate("Attention", "Refund %1"), "payout": translate("Attention", "Payout %1")}.get(
        problem.kind, translate("Attention", "Contact %1"))
    return text.replace("%1", problem.label)


def sentence(text: str) -> str:
    """Engine messages are written to follow "X was not sent: "; on their own they start a sentence."""
    return text[:1].upper() + text[1:] if text else text


class AttentionModel(QObject):
    """The open problems, refreshed after each status change; a notification for new ones only."""

    changed = Signal(object)  # list[Problem]
    resolved = Signal(str)  # what was done, or why nothing was (a passing note)

    def __init__(self, controller: AppController, service: ProblemsService | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._service = service
        self.problems: list[Problem] = []
        controller.status_changed.connect(lambda _: self.refresh())

    @property
    def service(self) -> ProblemsService:
        if self._service is None:  # first used on the io thread, once the window is up
            from crocoqb_desktop.app.problems_service import ProblemsService

            self._service = ProblemsService(self.controller.ctx)
        return self._service

    def refresh(self) -> None:
        def load() -> tuple[list[Problem], list[Problem]]:
            return self.service.open_problems(), self.service.take_new()

        self.controller.tasks.io(load, self._loaded, lambda exc: None)

    def _loaded(self, result: tuple[list[Problem], list[Problem]]) -> None:
        self.problems, new = result
        self.changed.emit(self.problems)
        if new:
            title = translate("Problems", "%n record(s) could not be synced", "", len(self.problems))
            first = new[0]
            text = render(first.message_data(), i18n.current_language())
            self.controller.notify.emit(title, f"{record_title(first)}: {text}")

    def resolve(self, problem: Problem, action: str, qbo_id: str | None = None) -> None:
        def done(text: Any) -> None:
            self.resolved.emit(render(text, i18n.current_language()))
            if action == "skip":
                self.refresh()
            else:
                self.controller.sync_now()

        def refused(exc: BaseException) -> None:
            message = exc.message_data or exc.message if isinstance(exc, CrocoQBError) else str(exc)
            self.resolved.emit(render(message, i18n.current_language()))
            self.refresh()

        self.controller.tasks.io(lambda: self.service.resolve(problem.op_key, action, qbo_id), done, refused)


class ProblemCard(QFrame):
    def __init__(self, problem: Problem, on_action: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problem = problem
        self.setObjectName("card")
        language = i18n.current_language()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        title = QLabel(record_title(problem))
        title.setObjectName("cardTitle")
        self.message_label = QLabel(sentence(render(problem.message_data(), language)))
        self.message_label.setWordWrap(True)
        self.fix_label = QLabel(translate("Attention", "What to do: %1").replace(
            "%1", render(problem.fix_data(), language)) if problem.fix else "")
        self.fix_label.setObjectName("hint")
        self.fix_label.setWordWrap(True)
        ids = QLabel(translate("Attention", "CrocoClick id: %1").replace("%1", problem.croco_id))
        ids.setObjectName("hint")
        ids.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(title)
        layout.addWidget(self.message_label)
        layout.addWidget(self.fix_label)
        layout.addWidget(ids)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for action in problem.actions:
            button = QPushButton(action_text(action))
            button.setObjectName("primary" if action == problem.actions[0] else "")
            button.clicked.connect(lambda _=False, a=action: on_action(problem, a))
            buttons.addWidget(button)
            self.buttons[action] = button
        layout.addLayout(buttons)


class AttentionPage(QWidget):
    """The tab "Needs attention (N)"."""

    count_changed = Signal(int)

    def __init__(self, model: AttentionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.cards: list[ProblemCard] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("warn")
        self.note.setWordWrap(True)
        self.note.hide()
        outer.addWidget(self.intro)
        outer.addWidget(self.note)
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(10)
        self.list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.list_widget)
        outer.addWidget(scroll, 1)
        model.changed.connect(self.show_problems)
        model.resolved.connect(self._note)
        self.show_problems(model.problems)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self.show_problems(self.model.problems)
        super().changeEvent(event)

    def show_problems(self, problems: list[Problem]) -> None:
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        self.intro.setText(
            translate("Attention", "These records are not in QuickBooks as they are in CrocoClick. Nothing is lost: "
                      "each waits for your choice.") if problems else
            translate("Attention", "Nothing needs your attention: every record is synced or on its way."))
        for problem in problems:
            card = ProblemCard(problem, self._act)
            self.list_layout.insertWidget(self.list_layout.count() - 1, card)
            self.cards.append(card)
        self.count_changed.emit(len(problems))

    def _act(self, problem: Problem, action: str) -> None:
        if action == "relink":
            picker = CustomerPicker(self.model.service, self.model.controller, problem, self)
            if picker.exec() != QDialog.DialogCode.Accepted or not picker.chosen:
                return
            self.model.resolve(problem, action, picker.chosen)
            return
        self.model.resolve(problem, action)

    def _note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


class CustomerPicker(QDialog):
    """Search QuickBooks customers by name or email, pick one (for relink)."""

    def __init__(self, service: ProblemsService, controller: AppController, problem: Problem,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.controller = controller
        self.chosen: str | None = None
        self.results: list[dict[str, str]] = []
        self.setWindowTitle(translate("Attention", "Choose the QuickBooks customer"))
        self.resize(460, 380)
        layout = QVBoxLayout(self)
        intro = QLabel(translate("Attention", "%1 will use the customer you choose. Search by name or email:")
                       .replace("%1", record_title(problem)))
        intro.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(translate("Attention", "Name or email"))
        self.list = QListWidget()
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(translate("Attention", "Use this customer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        for widget in (intro, self.search, self.list, self.status, self.buttons):
            layout.addWidget(widget)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)  # search once the user pauses typing
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.list.currentRowChanged.connect(
            lambda row: self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(row >= 0))

    def run_search(self) -> None:
        text = self.search.text()
        self.status.setText(translate("Attention", "Searching…"))
        self.controller.tasks.io(lambda: self.service.search_customers(text), self._show, self._failed)

    def _show(self, rows: list[dict[str, str]]) -> None:
        self.results = rows
        self.list.clear()
        for row in rows:
            label = row["name"] + (f"  <{row['email']}>" if row["email"] else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.list.addItem(item)
        self.status.setText(translate("Attention", "%n customer(s) found", "", len(rows)))

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(exc.message if isinstance(exc, CrocoQBError) else str(exc))

    def _accept(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
            self.accept()
