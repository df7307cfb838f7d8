"""Generic touch dialogs: numbers (amount, quantity, percent, PIN), choices, text and lists.

Dialogs open with `open()` (window-modal, never a nested event loop) and hand their value to a
callback; an input error is shown inside the dialog, which stays open so the cashier can fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.errors import UserError, ValidationError
from core.money import parse_amount, parse_rate
from core.quantity import parse_qty
from pos_app.i18n import tr
from pos_app.widgets import NumPad, TouchButton, ok_cancel, title_label


class Panel(QDialog):
    """A modal touch panel with a title, an inline error line and a row of big buttons."""

    def __init__(self, parent: QWidget | None, title: str, *, width: float = 0.6, height: float = 0.8):
        super().__init__(parent)
        self.setModal(True)
        self.setWindowTitle(title)
        self.setObjectName("panel")
        self.body = QVBoxLayout(self)
        self.body.setSpacing(10)
        self.body.addWidget(title_label(title))
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        if parent is not None:
            top = parent.window()
            self.resize(max(480, int(top.width() * width)), max(400, int(top.height() * height)))

    def fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def add_buttons(self, buttons: list[TouchButton]) -> None:
        self.body.addWidget(self.error)
        row = QHBoxLayout()
        for b in buttons:
            b.setMaximumHeight(80)
            row.addWidget(b)
        self.body.addLayout(row)


PARSERS: dict[str, Callable[[str], Any]] = {
    "amount": lambda t: parse_amount(t, allow_negative=False),
    "qty": lambda t: parse_qty(t),
    "percent": lambda t: parse_rate(t, field="percent"),
    "text": lambda t: t.strip(),
}


def parse_pin(text: str) -> str:
    if not text.isdigit() or not 4 <= len(text) <= 8:
        raise ValidationError("a PIN is 4–8 digits", field="pin")
    return text


class NumberDialog(Panel):
    """Enter one value with the number pad: kind is amount (öre), qty (thousandths), percent (bp),
    pin or text."""

    def __init__(self, parent: QWidget | None, title: str, on_value: Callable[[Any], None], *,
                 kind: str = "amount", initial: str = "", note: str | None = None):
        super().__init__(parent, title, width=0.45, height=0.85)
        self.kind, self.on_value = kind, on_value
        if note:
            self.body.addWidget(title_label(note, "note"))
        self.field = QLineEdit(initial)
        self.field.setProperty("role", "big")
        if kind == "pin":
            self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.returnPressed.connect(self.submit)
        self.body.addWidget(self.field)
        if kind != "text":
            self.body.addWidget(NumPad(self.field, decimal=kind not in ("pin",)), 1)
        self.add_buttons(ok_cancel(self.submit, self.reject))
        self.field.setFocus()

    def parse(self) -> Any:
        text = self.field.text().strip()
        if self.kind == "pin":
            return parse_pin(text)
        if not text:
            raise ValidationError(tr("enter a value"), field=self.kind)
        return PARSERS[self.kind](text)

    def submit(self) -> None:
        try:
            value = self.parse()
        except UserError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.on_value(value)


class DiscountDialog(NumberDialog):
    """A discount as an amount (kr) or a percentage; gives ('amount', öre) or ('percent', bp)."""

    def __init__(self, parent, title: str, on_value: Callable[[tuple[str, int]], None]):
        super().__init__(parent, title, on_value, kind="percent")
        row = QHBoxLayout()
        self.mode_buttons = {}
        for mode, label in (("percent", "%"), ("amount", "kr")):
            b = TouchButton(label, role="toggle", on_click=lambda m=mode: self.set_mode(m))
            b.setCheckable(True)
            self.mode_buttons[mode] = b
            row.addWidget(b)
        self.body.insertLayout(1, row)
        self.set_mode("percent")

    def set_mode(self, mode: str) -> None:
        self.kind = mode
        for m, b in self.mode_buttons.items():
            b.setChecked(m == mode)

    def parse(self) -> tuple[str, int]:
        return self.kind, super().parse()


class ChoiceDialog(Panel):
    """A question with big answer buttons: [(label, role, callback)]."""

    def __init__(self, parent, title: str, text: str, choices: list[tuple[str, str | None, Callable]]):
        super().__init__(parent, title, width=0.5, height=0.5)
        label = title_label(text, "big")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(label, 1)
        self.buttons = {}
        buttons = []
        for label_text, role, callback in choices:
            b = TouchButton(label_text, role=role, on_click=lambda cb=callback: self._choose(cb))
            self.buttons[label_text] = b
            buttons.append(b)
        self.add_buttons(buttons)

    def _choose(self, callback: Callable) -> None:
        self.accept()
        callback()


class TextDialog(Panel):
    """Monospaced text (an X/Z report, a receipt) with extra buttons such as Print."""

    def __init__(self, parent, title: str, text: str, extra: list[tuple[str, Callable]] = ()):
        super().__init__(parent, title, width=0.6, height=0.9)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(font)
        self.body.addWidget(self.text, 1)
        self.add_buttons([TouchButton(label, on_click=cb) for label, cb in extra]
                         + [TouchButton(tr("Close"), role="primary", on_click=self.accept)])
