"""Supplier invoices and accounts payable: register an invoice against a PO (lines pre-filled from
what was received; price and quantity differences shown after saving), open payables, "mark paid".
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import show_error
from backoffice.models import payables_model as pm
from backoffice.tabs.suppliers import table_view
from backoffice.widgets import money_text, parse_money, setup_table
from core.errors import UserError
from core.quantity import format_qty, parse_qty

AREA = "purchasing"


def _date(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def _date_edit(value: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class InvoiceDialog(QDialog):
    """The supplier's invoice for one PO: number, date, VAT; quantity and price per line."""

    registered = Signal(object)
    QTY, PRICE = 4, 5

    def __init__(self, ctx, po_id: int, po_number: int, parent=None):
        super().__init__(parent)
        self.setObjectName("supplierInvoice")
        self.ctx, self.po_id = ctx, po_id
        self.setWindowTitle(self.tr("Supplier invoice for PO {n}").format(n=po_number))
        self.number, self.vat = QLineEdit(), QLineEdit()
        self.invoice_date = _date_edit(dt.date.today())
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("SKU"), self.tr("Name"), self.tr("Ordered"),
                                              self.tr("Received"), self.tr("Invoiced qty"),
                                              self.tr("Invoiced price")])
        setup_table(self.table, stretch=1)
        self.result_label = QLabel()
        self.result_label.setObjectName("invoiceDifferences")
        self.result_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Invoice no."), self.number)
        form.addRow(self.tr("Invoice date"), self.invoice_date)
        form.addRow(self.tr("VAT"), self.vat)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self.resize(760, 420)
        self.lines: list[pm.InvoiceDraftLine] = []
        self.result: pm.RegisteredInvoice | None = None
        ctx.read(lambda s: pm.invoice_draft_lines(s, po_id), self._loaded)

    def _loaded(self, lines) -> None:
        self.lines = lines
        self.table.setRowCount(len(lines))
        for r, ln in enumerate(lines):
            for c, v in enumerate((ln.sku, ln.name, format_qty(ln.ordered), format_qty(ln.received),
                                   format_qty(ln.to_invoice), money_text(ln.unit_price))):
                self.table.setItem(r, c, QTableWidgetItem(v))

    def set_line(self, row: int, qty: str | None = None, price: str | None = None) -> None:
        if qty is not None:
            self.table.item(row, self.QTY).setText(qty)
        if price is not None:
            self.table.item(row, self.PRICE).setText(price)

    def submit(self) -> None:
        try:
            lines = {ln.po_line_id:
                     (parse_qty(self.table.item(r, self.QTY).text() or "0", f"lines[{r + 1}].qty"),
                      parse_money(self.table.item(r, self.PRICE).text(), f"lines[{r + 1}].unit_price",
                                  required=True))
                     for r, ln in enumerate(self.lines)}
            vat = parse_money(self.vat.text(), "vat") or 0
        except UserError as exc:
            show_error(self, exc)
            return
        args = pm.invoice_args(self.po_id, self.number.text(), _date(self.invoice_date), lines, vat)
        self.ctx.command("supplier_invoices.register", args, self._saved,
                         on_error=lambda exc: show_error(self, exc))

    def _saved(self, answer: dict) -> None:
        self.result = result = pm.RegisteredInvoice.from_result(answer)
        self.registered.emit(result)
        if result.differences:
            self.result_label.setText(self.tr("Registered, due {d}. Differences to check before paying:")
                                      .format(d=result.due_date.isoformat()) + "\n" +
                                      "\n".join(self._diff(d) for d in result.differences))
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        else:
            self.accept()

    def _diff(self, d: pm.DifferenceRow) -> str:
        what = self.tr("quantity") if d.kind == "qty" else self.tr("price")
        return f"• {what} {d.text()}"


class PayablesPage(QWidget):
    """Open supplier invoices by due date; overdue days and flagged differences; mark paid."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("payablesPage")
        self.ctx = ctx
        self.model = pm.PayablesModel(self)
        self.table = table_view(self.model, "payablesTable", "supplier")
        self.paid_on = _date_edit(dt.date.today())
        self.pay_button = QPushButton(self.tr("Mark paid"))
        self.pay_button.clicked.connect(self.mark_paid)
        self.total = QLabel()
        self.model.loaded.connect(lambda _n: self._sum())
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Paid on")))
        row.addWidget(self.paid_on)
        row.addWidget(self.pay_button)
        row.addStretch(1)
        row.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Accounts payable: open supplier invoices, earliest due first")))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self.model.load(self.ctx, lambda s: pm.payable_rows(s))

    def _sum(self) -> None:
        by_currency: dict[str, int] = {}
        for r in self.model.rows:
            by_currency[r.currency] = by_currency.get(r.currency, 0) + r.total
        self.total.setText(self.tr("Open: {t}").format(
            t=", ".join(f"{money_text(v)} {c}" for c, v in sorted(by_currency.items())) or "0"))

    def mark_paid(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        self.ctx.command("supplier_invoices.mark_paid",
                         {"invoice_id": self.model.row_at(rows[0].row()).invoice_id,
                          "paid_on": _date(self.paid_on).isoformat()},
                         on_error=lambda exc: show_error(self, exc))

    def changed(self, area: str) -> None:
        if area == AREA:
            self.reload()


def open_invoice_dialog(parent, ctx, po) -> InvoiceDialog:
    dialog = InvoiceDialog(ctx, po.id, po.number, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
