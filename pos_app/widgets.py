"""Touch building blocks: big buttons, a number pad, kinetic-scrolling lists, the message bar."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScroller,
    QSizePolicy,
    QTableView,
    QWidget,
)

from pos_app.i18n import tr

MIN_TOUCH = 56  # px: comfortably above the 48 px a finger needs


class TouchButton(QPushButton):
    """A button a finger hits: at least MIN_TOUCH px high; `role` picks its colour in the style sheet."""

    def __init__(self, text: str = "", role: str | None = None, on_click: Callable | None = None,
                 parent: QWidget | None = None, *, wrap: int = 16):
        super().__init__(parent)
        self.wrap = wrap
        self.setText(text)
        self.setMinimumHeight(MIN_TOUCH)
        self.setMinimumWidth(MIN_TOUCH)
        # the text wraps instead of widening the window: 1024 px must hold the whole sale screen
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the keyboard focus (and scans) where they are
        if role:
            self.setProperty("role", role)
        if on_click is not None:
            self.clicked.connect(lambda _=False: on_click())

    def setText(self, text: str) -> None:
        self.full_text = text
        lines = [textwrap.fill(part, self.wrap, break_long_words=False) if self.wrap else part
                 for part in text.split("\n")]
        super().setText("\n".join(lines))


class NumPad(QWidget):
    """Digits, decimal comma, backspace and clear, typing into a line edit."""

    KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", ",", "0", "⌫")

    def __init__(self, target: QLineEdit, parent: QWidget | None = None, *, decimal: bool = True):
        super().__init__(parent)
        self.target = target
        grid = QGridLayout(self)
        grid.setSpacing(6)
        for i, key in enumerate(self.KEYS):
            if key == "," and not decimal:
                key = "C"
            b = TouchButton(key, role="key", on_click=lambda k=key: self.press(k))
            grid.addWidget(b, i // 3, i % 3)

    def press(self, key: str) -> None:
        if key == "⌫":
            self.target.backspace()
        elif key == "C":
            self.target.clear()
        else:
            self.target.insert(key)


def touch_table(model, parent: QWidget | None = None, *, stretch: str = "name") -> QTableView:
    """A table with big rows, whole-row selection and kinetic scrolling by finger."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(MIN_TOUCH)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if hasattr(model, "column"):
        header.setSectionResizeMode(model.column(stretch), QHeaderView.ResizeMode.Stretch)
    QScroller.grabGesture(view.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return view


def selected_row(view: QTableView) -> int | None:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return rows[0].row() if rows else None


class MessageBar(QLabel):
    """The one place the till shows what went wrong (or right): a coloured bar that fades after a while."""

    shown = Signal(str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setWordWrap(True)
        self.setMinimumHeight(MIN_TOUCH)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._timer = QTimer(self, singleShot=True, timeout=self.clear_message)
        self.level = ""
        self.hide()

    def show_message(self, text: str, level: str = "info", seconds: float = 6.0) -> None:
        self.level = level
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.show()
        self._timer.start(int(seconds * 1000))
        self.shown.emit(text, level)

    def clear_message(self) -> None:
        self.setText("")
        self.level = ""
        self.hide()

    def mousePressEvent(self, event) -> None:
        self.clear_message()


def title_label(text: str, role: str = "title") -> QLabel:
    label = QLabel(text)
    label.setProperty("role", role)
    label.setWordWrap(True)
    return label


def ok_cancel(on_ok: Callable, on_cancel: Callable, ok_text: str | None = None) -> list[TouchButton]:
    return [TouchButton(tr("Cancel"), on_click=on_cancel),
            TouchButton(ok_text or tr("OK"), role="primary", on_click=on_ok)]
