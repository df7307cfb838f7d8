"""Logging in by PIN, opening a shift with the counted float, closing it with counting per method."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.errors import UserError
from core.money import format_amount, parse_amount
from core.sales.receipt_layout import METHOD_NAMES
from core.sales.shift import SEK_DENOMINATIONS, ShiftClose
from pos_app import auth
from pos_app.controller import Ctx
from pos_app.dialogs import Panel, TextDialog, parse_pin
from pos_app.i18n import tr
from pos_app.widgets import NumPad, TouchButton, ok_cancel, title_label


class LoginPage(QWidget):
    """Pick yourself (when the shop has users) and type your PIN."""

    def __init__(self, ctx: Ctx, on_login: Callable[[auth.Person], None]):
        super().__init__()
        self.ctx, self.on_login = ctx, on_login
        self.chosen: str | None = None
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(title_label(tr("Log in"), "title"))
        self.people_box = QGridLayout()
        left.addLayout(self.people_box)
        left.addStretch(1)
        outer.addLayout(left, 1)
        right = QVBoxLayout()
        self.who = title_label(tr("Enter your PIN"), "big")
        right.addWidget(self.who)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setProperty("role", "big")
        self.pin.returnPressed.connect(self.submit)
        right.addWidget(self.pin)
        right.addWidget(NumPad(self.pin, decimal=False), 1)
        self.login_button = TouchButton(tr("Log in"), role="primary", on_click=self.submit)
        right.addWidget(self.login_button)
        outer.addLayout(right, 1)
        self.person_buttons: dict[str, TouchButton] = {}

    def load_people(self) -> None:
        self.ctx.do(lambda: (auth.people(self.ctx.session.store), auth.is_open_mode(self.ctx.session.store)),
                    self._show_people)

    def _show_people(self, result) -> None:
        people, open_mode = result
        self.ctx.open_mode = open_mode
        for b in self.person_buttons.values():
            b.deleteLater()
        self.person_buttons.clear()
        for i, p in enumerate(people):
            b = TouchButton(p.username, role="toggle", on_click=lambda n=p.username: self.choose(n))
            b.setCheckable(True)
            self.people_box.addWidget(b, i // 2, i % 2)
            self.person_buttons[p.username] = b
        if open_mode:
            self.who.setText(tr("Open mode: no users with a PIN here — any 4-digit PIN logs in"))

    def choose(self, username: str) -> None:
        self.chosen = username
        for name, b in self.person_buttons.items():
            b.setChecked(name == username)
        self.who.setText(tr("PIN for") + f" {username}")

    def submit(self) -> None:
        try:
            pin = parse_pin(self.pin.text())
        except UserError as exc:
            self.ctx.fail(exc)
            return
        self.pin.clear()
        store, who = self.ctx.session.store, self.chosen
        self.ctx.do(lambda: auth.check_pin(store, pin, username=who), self.on_login)


class CountWidget(QWidget):
    """Count cash by note and coin: one field per denomination; the numpad types into the focused one."""

    def __init__(self, extra_methods: tuple[str, ...] = ()):
        super().__init__()
        layout = QHBoxLayout(self)
        grid = QGridLayout()
        self.fields: dict[int, QLineEdit] = {}
        for i, value in enumerate(SEK_DENOMINATIONS):
            grid.addWidget(QLabel(f"{value // 100} kr"), i % 5, (i // 5) * 2)
            f = QLineEdit()
            f.setObjectName(f"count_{value}")
            f.setPlaceholderText("0")
            f.textChanged.connect(self._update)
            grid.addWidget(f, i % 5, (i // 5) * 2 + 1)
            self.fields[value] = f
        self.methods: dict[str, QLineEdit] = {}
        for j, method in enumerate(extra_methods):
            grid.addWidget(QLabel(tr(METHOD_NAMES[method])), 5 + j, 0, 1, 2)
            f = QLineEdit()
            f.setObjectName(f"method_{method}")
            f.setPlaceholderText("0,00")
            grid.addWidget(f, 5 + j, 2, 1, 2)
            self.methods[method] = f
        self.total = title_label("", "big")
        left = QVBoxLayout()
        left.addLayout(grid)
        left.addWidget(self.total)
        layout.addLayout(left, 3)
        self.pad = QLineEdit()  # the pad's own target when no field has focus
        pad = NumPad(self.pad)
        pad.press = self._press  # type into whichever count field has focus
        layout.addWidget(pad, 2)
        self._focus = self.fields[SEK_DENOMINATIONS[0]]
        for f in list(self.fields.values()) + list(self.methods.values()):
            f.installEventFilter(self)
        self._update()

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent
        if event.type() == QEvent.Type.FocusIn:
            self._focus = obj
        return False

    def _press(self, key: str) -> None:
        f = self._focus
        if key == "⌫":
            f.backspace()
        elif key == "C":
            f.clear()
        elif key == "," and f in self.fields.values():
            return
        else:
            f.insert(key)

    def denominations(self) -> dict[int, int]:
        out = {}
        for value, f in self.fields.items():
            text = f.text().strip()
            if text:
                if not text.isdigit():
                    raise UserError(f"{value // 100} kr: " + tr("a count is a whole number"), field="count")
                out[value] = int(text)
        return out

    def counted(self) -> dict[str, int]:
        return {m: parse_amount(f.text(), field=m) for m, f in self.methods.items() if f.text().strip()}

    def _update(self) -> None:
        try:
            cash = sum(v * n for v, n in self.denominations().items())
        except UserError:
            cash = 0
        self.total.setText(tr("Cash counted:") + f" {format_amount(cash, thousands_sep=' ')} kr")


class ShiftOpenDialog(Panel):
    def __init__(self, parent, on_done: Callable[[dict[int, int]], None]):
        super().__init__(parent, tr("Open shift — count the float"), width=0.9, height=0.9)
        self.setObjectName("shiftOpen")
        self.on_done = on_done
        self.count = CountWidget()
        self.body.addWidget(self.count, 1)
        self.add_buttons(ok_cancel(self.submit, self.reject, tr("Open shift")))

    def submit(self) -> None:
        try:
            counts = self.count.denominations()
        except UserError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.on_done(counts)


class ShiftCloseDialog(Panel):
    METHODS = ("card", "swish", "gift_card", "voucher")

    def __init__(self, parent, on_done: Callable[[dict[str, int], dict[int, int]], None]):
        super().__init__(parent, tr("Close shift — count per payment method"), width=0.9, height=0.95)
        self.setObjectName("shiftClose")
        self.on_done = on_done
        self.count = CountWidget(self.METHODS)
        self.body.addWidget(self.count, 1)
        self.add_buttons(ok_cancel(self.submit, self.reject, tr("Close shift")))

    def submit(self) -> None:
        try:
            counts, counted = self.count.denominations(), self.count.counted()
        except UserError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.on_done(counted, counts)


def close_summary(result: ShiftClose) -> str:
    """The shift's expected, counted and difference per method, as text for the cashier."""
    def kr(v: int) -> str:
        return format_amount(v, thousands_sep=" ")

    lines = [f"{tr('Method'):<16}{tr('Expected'):>12}{tr('Counted'):>12}{tr('Difference'):>12}"]
    for method, diff in result.differences.items():
        lines.append(f"{tr(METHOD_NAMES.get(method, method)):<16}{kr(result.expected.get(method, 0)):>12}"
                     f"{kr(result.counted.get(method, 0)):>12}{kr(diff):>12}")
    lines.append("")
    lines.append(f"{tr('Total difference')}: {kr(result.difference)} kr")
    return "\n".join(lines)


def show_close_summary(parent, result: ShiftClose) -> TextDialog:
    dialog = TextDialog(parent, tr("Shift closed"), close_summary(result))
    dialog.setObjectName("shiftSummary")
    dialog.open()
    return dialog
