"""Small building blocks shared by the window's pages: a toggle switch, a card frame, a problem banner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

ACCENT = "#2e7d5b"  # CrocoClick green
PROBLEM = "#b3261e"
WARNING_BG = "#fdecea"
INFO_BG = "#e8f3ee"

STYLE = f"""
QFrame#card {{ background: palette(base); border: 1px solid palette(mid); border-radius: 8px; }}
QLabel#cardTitle {{ font-size: 15px; font-weight: 600; }}
QLabel#hint {{ color: palette(placeholder-text); }}
QLabel#ok {{ color: {ACCENT}; font-weight: 600; }}
QLabel#error {{ color: {PROBLEM}; }}
QLabel#warn {{ color: #8a5300; font-weight: 600; }}
QFrame#banner {{ background: {WARNING_BG}; border: 1px solid #f1b0a8; border-radius: 8px; }}
QFrame#statusStrip {{ background: palette(alternate-base); border-top: 1px solid palette(mid); }}
QPushButton#primary {{ background: {ACCENT}; color: white; border: none; border-radius: 5px;
                      padding: 6px 16px; font-weight: 600; }}
QPushButton#primary:disabled {{ background: #9dbfae; }}
QPushButton#primary:hover {{ background: #276b4e; }}
"""


class ToggleSwitch(QAbstractButton):
    """An on/off switch (a checkable button), like the toggles of CrocoClick's integration screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.toggled.connect(lambda _: self.update())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(42, 24)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(1, 1, self.width() - 2, self.height() - 2)
        on = self.isChecked()
        enabled = self.isEnabled()
        track = QColor(ACCENT if on else "#b8bec4")
        if not enabled:
            track.setAlpha(110)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        radius = rect.height() / 2
        painter.drawRoundedRect(rect, radius, radius)
        knob = rect.height() - 6
        x = rect.right() - knob - 3 if on else rect.left() + 3
        painter.setBrush(QColor("white"))
        painter.drawEllipse(QRectF(x, rect.top() + 3, knob, knob))
        if self.hasFocus():
            pen = QColor(ACCENT)
            pen.setAlpha(120)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5), radius, radius)
        painter.end()


class PageSwitcher(QWidget):
    """Shows one of its pages; unlike QStackedWidget it takes the height of the page shown only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current = -1

    def addWidget(self, page: QWidget) -> int:  # noqa: N802 - QStackedWidget-like API
        self._pages.append(page)
        self._layout.addWidget(page)
        page.setVisible(len(self._pages) == 1)
        if self._current < 0:
            self._current = 0
        return len(self._pages) - 1

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802
        self._current = index
        for i, page in enumerate(self._pages):
            page.setVisible(i == index)

    def currentIndex(self) -> int:  # noqa: N802
        return self._current

    def widget(self, index: int) -> QWidget:
        return self._pages[index]

    def count(self) -> int:
        return len(self._pages)


def card(title_label: QLabel) -> tuple[QFrame, QVBoxLayout]:
    """A white rounded frame with a title; returns the frame and its body layout."""
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 14)
    layout.setSpacing(8)
    title_label.setObjectName("cardTitle")
    layout.addWidget(title_label)
    return frame, layout


def wrap_label(text: str = "", object_name: str | None = None, selectable: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class Banner(QFrame):
    """The problem banner: a title, the message, the fix and up to one action button per problem."""

    action_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(14, 10, 14, 10)
        self._layout.setSpacing(10)
        self._rows: list[QWidget] = []
        self.hide()

    def show_problems(self, problems: list, action_label: Callable[[str], str]) -> None:
        for row in self._rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self._rows = []
        for problem in problems:
            row = QWidget(self)
            row.setObjectName(f"problem_{problem.kind}")
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            text = QLabel(row)
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setText(
                f"<b style='color:{PROBLEM}'>{_esc(problem.title)}</b><br>{_esc(problem.message)}"
                f"<br><i>{_esc(problem.fix)}</i>")
            h.addWidget(text, 1)
            if problem.action:
                button = QPushButton(action_label(problem.action), row)
                button.setObjectName(f"banner_{problem.action}")
                button.clicked.connect(lambda _=False, a=problem.action: self.action_requested.emit(a))
                h.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
            self._layout.addWidget(row)
            self._rows.append(row)
        self.setVisible(bool(problems))

    def texts(self) -> list[str]:
        """The banner's text, for tests and screen readers."""
        return [label.text() for row in self._rows for label in row.findChildren(QLabel)]


def _esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_language_change(event: QEvent) -> bool:
    return event.type() == QEvent.Type.LanguageChange
