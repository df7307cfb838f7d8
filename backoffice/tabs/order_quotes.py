"""Quotes (CRM): the list, a new quote in the order editor, its PDF and e-mail, and conversion to an order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from sqlalchemy import text

from backoffice.errors import show_error
from backoffice.widgets import money_text, setup_table

AREA = "orders"


@dataclass(frozen=True)
class QuoteRow:
    id: str
    number: int
    quote_date: dt.date
    valid_until: dt.date
    customer_name: str
    status: str
    total_gross: int
    currency: str
    order_number: int | None


def _day(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def list_quotes(conn, limit: int = 500) -> list[QuoteRow]:
    """The newest quotes first, with the number of the order a converted one became."""
    rows = conn.execute(text(
        "SELECT q.id, q.number, q.quote_date, q.valid_until, q.customer_name, q.status, q.total_gross, "
        "q.currency, o.number FROM quote q LEFT JOIN sales_order o ON o.id = q.order_id "
        "ORDER BY q.number DESC LIMIT :n"), {"n": limit})
    return [QuoteRow(r[0], int(r[1]), _day(r[2]), _day(r[3]), r[4], r[5], int(r[6]), r[7], r[8]) for r in rows]


class QuotesDialog(QDialog):
    """Quotes with their status; PDF, e-mail and convert act on the selected one."""

    converted = Signal(str, int)
    HEAD = ("No.", "Date", "Valid until", "Customer", "Status", "Total", "Order")

    def __init__(self, ctx, tab, parent=None):
        super().__init__(parent)
        self.setObjectName("quotes")
        self.ctx, self.tab = ctx, tab
        self.setWindowTitle(self.tr("Quotes"))
        self.resize(860, 460)
        self.rows: list[QuoteRow] = []
        self.table = QTableWidget(0, len(self.HEAD))
        self.table.setObjectName("quotesTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEAD])
        setup_table(self.table, stretch=3)
        buttons = {}
        for key, label in (("new", "New quote…"), ("pdf", "Save PDF…"), ("mail", "Send by e-mail"),
                           ("convert", "Convert to order")):
            buttons[key] = QPushButton(self.tr(label))
        buttons["new"].clicked.connect(self.new_quote)
        buttons["pdf"].clicked.connect(lambda: self.save_pdf())
        buttons["mail"].clicked.connect(self.send)
        buttons["convert"].clicked.connect(self.convert)
        row = QHBoxLayout()
        for b in buttons.values():
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.editor = None
        if hasattr(ctx, "changed"):
            ctx.changed.connect(lambda area: self.reload() if area in ("quotes", AREA) else None)
        self.reload()

    def reload(self) -> None:
        self.ctx.read(list_quotes, self._show)

    def _show(self, rows: list[QuoteRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, q in enumerate(rows):
            values = (str(q.number), q.quote_date.isoformat(), q.valid_until.isoformat(), q.customer_name,
                      self.tr(q.status), f"{money_text(q.total_gross)} {q.currency}",
                      str(q.order_number or ""))
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        if rows and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def selected(self) -> QuoteRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def new_quote(self) -> None:
        from backoffice.tabs.order_dialogs import OrderEditor
        self.editor = OrderEditor(self.ctx, "quote", parent=self)
        self.editor.setWindowModality(Qt.WindowModality.WindowModal)
        self.editor.show()

    def save_pdf(self, path: str | None = None) -> None:
        q = self.selected()
        if q is not None:
            self.tab.save_pdf("quote", q.id, f"offert-{q.number}.pdf", path)

    def send(self) -> None:
        q = self.selected()
        if q is not None:
            self.tab.send_mail("quote", q.id)

    def convert(self) -> None:
        q = self.selected()
        if q is None:
            return

        def done(result):
            self.converted.emit(result["id"], result["number"])
            self.reload()
        self.ctx.command("quotes.convert", {"quote_id": q.id}, done, on_error=lambda exc: show_error(self, exc))
