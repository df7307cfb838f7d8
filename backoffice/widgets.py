"""Little widget helpers shared by the tabs: combos over (value, label) pairs, buttons, money fields."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget

from core.money import format_amount, parse_amount


def fill_combo(combo: QComboBox, items, none_label: str | None = None) -> None:
    """Replace a combo's entries with (value, label) pairs; `none_label` adds a first entry for None."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if none_label is not None:
        combo.addItem(none_label, None)
    for value, label in items:
        combo.addItem(label, value)
    select(combo, current)
    combo.blockSignals(False)


def select(combo: QComboBox, value) -> None:
    """Select the entry holding `value` (the first entry when none does)."""
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            combo.setCurrentIndex(i)
            return
    if combo.count():
        combo.setCurrentIndex(0)


def button_row(*buttons: QPushButton, stretch_first: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    if stretch_first:
        row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    if not stretch_first:
        row.addStretch(1)
    return row


def money_text(value: int | None) -> str:
    return "" if value is None else format_amount(value, thousands_sep="")


def parse_money(text: str, field: str, *, required: bool = False, allow_negative: bool = False) -> int | None:
    """Öre from what the user typed ('129,50'); None for an empty optional field."""
    if not text.strip():
        if required:
            return parse_amount("", field)  # raises, naming the field
        return None
    return parse_amount(text, field, allow_negative=allow_negative)


def hbox(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    return row


def setup_table(view, stretch: int | None = None, widths: dict[int, int] | None = None) -> None:
    """One line per row, compact rows, one column taking the spare width (no measuring of content:
    at a million rows that would read them all)."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    view.setWordWrap(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    for col, width in (widths or {}).items():
        header.resizeSection(col, width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


class EnterStaysInField:
    """Mixin for dialogs with scan fields: Enter ends a scan or an entry, it never presses the
    dialog's default button (a scanner sends Enter after every code). Put it before QDialog."""

    def keyPressEvent(self, event) -> None:
        from PySide6.QtCore import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)
