"""Table and list models of the till, with named columns — testable without a window.

Each model shows an immutable value handed to it (`set_…`); none reads the database or the cart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from core.money import format_amount
from core.quantity import format_qty
from core.sales.payments import Payment
from core.sales.receipt_layout import METHOD_NAMES, local_time
from pos_app.catalog import Item
from pos_app.i18n import tr
from pos_app.session import CartSnapshot, Row

Index = QModelIndex | QPersistentModelIndex


def money(minor: int) -> str:
    return format_amount(minor, thousands_sep=" ")


class _Table(QAbstractTableModel):
    """A read-only table over a list of rows; columns are (key, title, getter, alignment)."""

    COLUMNS: Sequence[tuple[str, str, Callable[[Any], str], Qt.AlignmentFlag]] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def column(self, key: str) -> int:
        return [c[0] for c in self.COLUMNS].index(key)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.COLUMNS[section][1])
        return None

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        _key, _title, getter, align = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return getter(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def row(self, i: int):
        return self._rows[i]

    def text(self, row: int, key: str) -> str:
        return self.data(self.index(row, self.column(key)))

    def _replace(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()


LEFT, RIGHT = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight


def _line_name(r: Row) -> str:
    marks = []
    if r.list_price is not None:
        marks.append(tr("price changed"))
    if r.is_return:
        marks.append(tr("return"))
    return r.name + (f"  ({', '.join(marks)})" if marks else "")


class CartModel(_Table):
    """The lines of the sale being built."""

    COLUMNS = (
        ("name", "Item", _line_name, LEFT),
        ("qty", "Qty", lambda r: format_qty(r.qty), RIGHT),
        ("price", "Price", lambda r: money(r.unit_price), RIGHT),
        ("discount", "Discount", lambda r: money(-r.discount) if r.discount else "", RIGHT),
        ("amount", "Amount", lambda r: money(r.amount), RIGHT),
    )

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot: CartSnapshot | None = None

    def set_cart(self, snapshot: CartSnapshot) -> None:
        self.snapshot = snapshot
        self._replace(snapshot.rows)

    def line_id(self, row: int) -> str:
        return self._rows[row].line_id


class ItemsModel(_Table):
    """Search hits or a category's products."""

    COLUMNS = (
        ("name", "Item", lambda i: i.name + (" ▸" if i.is_parent else ""), LEFT),
        ("sku", "Article no.", lambda i: i.sku, LEFT),
    )

    def set_items(self, items: list[Item]) -> None:
        self._replace(items)


class PaymentsModel(_Table):
    """The payments taken so far on the payment screen."""

    COLUMNS = (
        ("method", "Method", lambda p: tr(METHOD_NAMES.get(p.method, p.method)), LEFT),
        ("reference", "Reference", lambda p: p.reference or "", LEFT),
        ("amount", "Amount", lambda p: money(p.amount), RIGHT),
    )

    def set_payments(self, payments: list[Payment]) -> None:
        self._replace(payments)


class ParkedModel(_Table):
    """Parked sales waiting at this register."""

    COLUMNS = (
        ("time", "Parked", lambda p: f"{local_time(p.parked_at):%H:%M}", LEFT),
        ("label", "Note", lambda p: p.label or "", LEFT),
        ("cashier", "Cashier", lambda p: p.cashier or "", LEFT),
        ("lines", "Lines", lambda p: str(p.lines), RIGHT),
        ("total", "Total", lambda p: money(p.total), RIGHT),
    )

    def set_parked(self, parked: list) -> None:
        self._replace(parked)


class CustomersModel(_Table):
    COLUMNS = (
        ("name", "Name", lambda c: c.name, LEFT),
        ("number", "Customer no.", lambda c: c.number or "", LEFT),
        ("phone", "Phone", lambda c: c.phone or "", LEFT),
        ("email", "E-mail", lambda c: c.email or "", LEFT),
    )

    def set_customers(self, hits: list) -> None:
        self._replace(hits)


class ReceiptLinesModel(_Table):
    """The lines of a receipt being returned: what was bought and what can still come back."""

    COLUMNS = (
        ("name", "Item", lambda r: r["name"], LEFT),
        ("bought", "Bought", lambda r: format_qty(r["qty"]), RIGHT),
        ("left", "Returnable", lambda r: format_qty(r["left"]), RIGHT),
        ("amount", "Paid", lambda r: money(r["amount"]), RIGHT),
    )

    def set_lines(self, lines: list[dict]) -> None:
        self._replace(lines)
