"""Quotes (CRM): the list, a new or edited quote in the order editor, its PDF and e-mail, and conversion to an order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from sqlalchemy import text

from backoffice.errors import show_error
from backoffice.models.order_form import LineRow, OrderForm, QuoteDraft, load_quote, quote_edit_args
from backoffice.tabs.order_dialogs import OrderEditor
from backoffice.widgets import money_text, select, setup_table
from core.money import format_rate
from core.quantity import format_qty

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


#: the statuses a quote can still be edited in (quotes.edit)
EDITABLE = ("draft", "sent")


class QuoteEditor(OrderEditor):
    """The quote editor opened on an existing quote, pre-filled; saves with quotes.edit."""

    def __init__(self, ctx, draft: QuoteDraft, parent=None):
        super().__init__(ctx, "quote", parent=parent)
        self.draft = draft
        self.setWindowTitle(self.tr("Edit quote {n}").format(n=draft.number))
        self.notice = QLabel(self.tr("This quote has been sent. Saving makes it a draft again: "
                                     "send the new version to the customer.") if draft.status == "sent" else "")
        self.notice.setObjectName("quoteSentNotice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(draft.status == "sent")
        self.layout().insertWidget(0, self.notice)
        if draft.customer_id:
            self.customer.choose(draft.customer_id, draft.customer_name)
        else:
            self.customer_name.setText(draft.customer_name)
        self.customer_email.setText(draft.customer_email or "")
        self.terms.setText(str(draft.payment_terms_days))
        self.note.setText(draft.note or "")
        self.valid_until.setDate(draft.valid_until)
        self.shipping.setText(money_text(draft.shipping_fee))
        self.table.setRowCount(0)
        for ln in draft.lines:
            if ln.kind == "product":
                self.add_row(LineRow(ln.sku, format_qty(ln.qty), money_text(ln.unit_price),
                                     format_rate(ln.discount_bp) if ln.discount_bp else ""), name=ln.name)
        self._select_saved()

    def _choices(self, choices) -> None:
        super()._choices(choices)
        self._select_saved()

    def _select_saved(self) -> None:
        draft = getattr(self, "draft", None)
        if draft is not None and self.channel.count():
            select(self.channel, draft.channel_id)
            select(self.price_list, draft.price_list_id)

    def command_args(self, form: OrderForm) -> tuple[str, dict]:
        return "quotes.edit", quote_edit_args(self.draft, form)


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
        self.table.itemSelectionChanged.connect(self._enable)
        buttons = {}
        for key, label in (("new", "New quote…"), ("edit", "Edit quote…"), ("pdf", "Save PDF…"),
                           ("mail", "Send by e-mail"), ("convert", "Convert to order")):
            buttons[key] = QPushButton(self.tr(label))
            buttons[key].setObjectName(f"quote_{key}")
        self.buttons = buttons
        buttons["new"].clicked.connect(self.new_quote)
        buttons["edit"].clicked.connect(self.edit_quote)
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
        self._enable()

    def _enable(self) -> None:
        q = self.selected()
        self.buttons["edit"].setEnabled(bool(q and q.status in EDITABLE))

    def selected(self) -> QuoteRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def new_quote(self) -> None:
        self._show_editor(OrderEditor(self.ctx, "quote", parent=self))

    def edit_quote(self) -> None:
        """Open the selected quote in the editor (a draft or sent one; saving makes it a draft)."""
        q = self.selected()
        if q is not None and q.status in EDITABLE:
            quote_id = q.id
            self.ctx.read(lambda s: load_quote(s, quote_id),
                          lambda draft: self._show_editor(QuoteEditor(self.ctx, draft, parent=self)),
                          lambda exc: show_error(self, exc))

    def _show_editor(self, editor: OrderEditor) -> None:
        self.editor = editor
        editor.saved.connect(lambda _id, _number: self.reload())
        editor.setWindowModality(Qt.WindowModality.WindowModal)
        editor.show()

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
