"""Money dialogs of the orders tab: credit an invoice (in full or per line), register a payment,
import a bank file (BgMax or CSV), and the accounts receivable with ageing, reminder PDFs and e-mail.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from sqlalchemy import select

from backoffice.errors import show_error
from backoffice.models.order_detail import InvoiceInfo
from backoffice.widgets import money_text, parse_money, setup_table
from core.errors import UserError, ValidationError
from core.invoicing.models import Reminder
from core.invoicing.receivables import BUCKET_NAMES, receivables
from core.quantity import format_qty, parse_qty


def _date(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def _today_edit() -> QDateEdit:
    edit = QDateEdit(dt.date.today())
    edit.setCalendarPopup(True)
    return edit


class CreditDialog(QDialog):
    """A credit note for the rest of an invoice, or for chosen quantities of its lines."""

    credited = Signal(int)
    NOW = 4

    def __init__(self, ctx, invoice: InvoiceInfo, parent=None):
        super().__init__(parent)
        self.setObjectName("creditInvoice")
        self.ctx, self.invoice = ctx, invoice
        self.setWindowTitle(self.tr("Credit invoice {n}").format(n=invoice.number))
        self.lines = [ln for ln in invoice.lines if ln.credited_qty < ln.qty]
        self.table = QTableWidget(len(self.lines), 5)
        self.table.setHorizontalHeaderLabels([self.tr("SKU"), self.tr("Name"), self.tr("Invoiced"),
                                              self.tr("Credited"), self.tr("Credit now")])
        setup_table(self.table, stretch=1)
        for r, ln in enumerate(self.lines):
            for c, text in enumerate((ln.sku, ln.name, format_qty(ln.qty), format_qty(ln.credited_qty))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
            self.table.setItem(r, self.NOW, QTableWidgetItem(""))
        self.everything = QCheckBox(self.tr("Credit everything that is left"))
        self.everything.setChecked(True)
        self.everything.toggled.connect(lambda on: self.table.setEnabled(not on))
        self.table.setEnabled(False)
        self.reason = QLineEdit()
        form = QFormLayout()
        form.addRow("", self.everything)
        form.addRow(self.tr("Reason"), self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Make credit note"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def set_quantity(self, sku: str, qty: str) -> None:
        self.everything.setChecked(False)
        for r, ln in enumerate(self.lines):
            if ln.sku == sku:
                self.table.item(r, self.NOW).setText(qty)
                return
        raise KeyError(sku)

    def chosen(self) -> dict[int, int] | None:
        if self.everything.isChecked():
            return None
        out = {}
        for r, ln in enumerate(self.lines):
            text = self.table.item(r, self.NOW).text().strip()
            if text:
                out[ln.id] = parse_qty(text, f"lines[{ln.position}].qty")
        if not out:
            raise ValidationError("give a quantity to credit on at least one line", field="lines",
                                  hint="or tick “credit everything that is left”")
        return out

    def submit(self) -> None:
        try:
            lines = self.chosen()
        except UserError as exc:
            show_error(self, exc)
            return
        args = {"invoice_id": self.invoice.id, "reason": self.reason.text().strip() or None,
                "lines": None if lines is None else [{"line_id": k, "qty": v} for k, v in lines.items()]}

        def done(result):
            self.credited.emit(result["number"])
            self.accept()
        self.ctx.command("invoices.credit", args, done, on_error=lambda exc: show_error(self, exc))


class PaymentDialog(QDialog):
    """Money received for one invoice, by hand."""

    registered = Signal()

    def __init__(self, ctx, invoice: InvoiceInfo, currency: str, parent=None):
        super().__init__(parent)
        self.setObjectName("registerPayment")
        self.ctx, self.invoice, self.currency = ctx, invoice, currency
        self.setWindowTitle(self.tr("Payment for invoice {n}").format(n=invoice.number))
        self.amount = QLineEdit(money_text(invoice.open_amount))
        self.paid_on = _today_edit()
        self.reference = QLineEdit(invoice.ocr)
        form = QFormLayout(self)
        form.addRow(self.tr("Amount"), self.amount)
        form.addRow(self.tr("Paid on"), self.paid_on)
        form.addRow(self.tr("Reference"), self.reference)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def submit(self) -> None:
        try:
            amount = parse_money(self.amount.text(), "amount", required=True, allow_negative=True)
        except UserError as exc:
            show_error(self, exc)
            return
        args = {"amount": amount, "paid_on": _date(self.paid_on).isoformat(), "reference": self.reference.text(),
                "invoice_id": self.invoice.id, "currency": self.currency}

        def done(_result):
            self.registered.emit()
            self.accept()
        self.ctx.command("payments.register", args, done, on_error=lambda exc: show_error(self, exc))


class ImportPaymentsDialog(QDialog):
    imported = Signal(int, int, int)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("importPayments")
        self.ctx = ctx
        self.setWindowTitle(self.tr("Import payments (BgMax or CSV)"))
        self.path = QLineEdit()
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.result_label = QLabel(self.tr("CSV header: date;amount;reference;payer"))
        self.result_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        self.go = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.go.setText(self.tr("Import"))
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("File")))
        layout.addLayout(row)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.windowTitle(), self.path.text())
        if path:
            self.path.setText(path)

    def start(self) -> None:
        path = Path(self.path.text().strip())
        if not self.path.text().strip() or not path.is_file():
            show_error(self, ValidationError(self.tr("Choose a file first."), field="file"))
            return
        args = {"content": base64.b64encode(path.read_bytes()).decode("ascii"), "name": path.name}

        def done(result):
            m, u, s = result["matched"], result["unmatched"], result["skipped"]
            self.result_label.setText(self.tr("{m} payments matched, {u} unmatched, {s} already imported")
                                      .format(m=m, u=u, s=s))
            self.imported.emit(m, u, s)
        self.ctx.command("payments.import_file", args, done, on_error=lambda exc: show_error(self, exc))


def reminder_of(session, invoice_id: str, on: dt.date) -> int | None:
    """The id of the invoice's latest reminder dated `on` (None: no reminder that day)."""
    return session.scalar(select(Reminder.id).where(Reminder.invoice_id == invoice_id,
                                                     Reminder.reminder_date == on)
                          .order_by(Reminder.level.desc()).limit(1))


class ReceivablesDialog(QDialog):
    """Open invoices aged in buckets, totals per bucket; a reminder PDF or e-mail for an overdue one."""

    mailed = Signal(str)

    HEAD = ("Invoice", "Customer", "Due", "Days overdue", "Left to pay", "Bucket", "Reminders")

    def __init__(self, ctx, save_pdf, parent=None):
        super().__init__(parent)
        self.setObjectName("receivables")
        self.ctx, self.save_pdf = ctx, save_pdf
        self.setWindowTitle(self.tr("Accounts receivable"))
        self.resize(820, 480)
        self.on = _today_edit()
        self.on.dateChanged.connect(lambda _d: self.reload())
        self.table = QTableWidget(0, len(self.HEAD))
        self.table.setObjectName("receivablesTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEAD])
        setup_table(self.table, stretch=1)
        self.totals = QLabel()
        self.totals.setObjectName("ageingTotals")
        self.remind = QPushButton(self.tr("Reminder PDF…"))
        self.remind.clicked.connect(self.make_reminder)
        self.mail = QPushButton(self.tr("E-mail reminder"))
        self.mail.setObjectName("emailReminder")
        self.mail.setToolTip(self.tr("E-mails the reminder of the chosen day (made now if there is none)"))
        self.mail.clicked.connect(self.email_reminder)
        self.sent = QLabel()
        self.sent.setObjectName("reminderSent")
        self.rows = []
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("On")))
        top.addWidget(self.on)
        top.addStretch(1)
        top.addWidget(self.remind)
        top.addWidget(self.mail)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.sent)
        self.reload()

    def reload(self) -> None:
        on = _date(self.on)
        self.ctx.read(lambda s: receivables(s, on), self._show)

    def _show(self, ageing) -> None:
        self.rows = ageing.rows
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = (str(row.number), row.customer_name, row.due_date.isoformat(), str(max(row.days_overdue, 0)),
                      f"{money_text(row.open_amount)} {row.currency}", self.tr(row.bucket), str(row.reminders))
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        parts = [f"{self.tr(b)}: {money_text(ageing.totals.get((cur, b), 0))} {cur}"
                 for cur in sorted({c for c, _ in ageing.totals} or {"SEK"}) for b in BUCKET_NAMES]
        self.totals.setText(" · ".join(parts))

    def _row(self):
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def make_reminder(self, path: str | None = None) -> None:
        row = self._row()
        if row is None:
            return

        def done(result):
            self.save_pdf("reminder", result["reminder_id"], f"paminnelse-{row.number}.pdf", path)
            self.reload()
        self.ctx.command("invoices.remind", {"invoice_id": row.invoice_id, "on": _date(self.on).isoformat()},
                         done, on_error=lambda exc: show_error(self, exc))

    def email_reminder(self) -> None:
        """E-mail the chosen invoice's reminder of the chosen day: the one made that day (e.g. with
        its PDF) or, when there is none, a new one (invoices.remind) — then invoices.email_reminder,
        sent from the server."""
        row = self._row()
        if row is None:
            return
        on = _date(self.on)

        def failed(exc: BaseException) -> None:
            show_error(self, exc)

        def send(reminder_id: int) -> None:
            self.ctx.command("invoices.email_reminder", {"reminder_id": reminder_id}, sent, on_error=failed)

        def sent(result) -> None:
            self.sent.setText(self.tr("Reminder e-mailed to {to}").format(to=result["to"]))
            self.mailed.emit(result["to"])
            self.reload()

        def found(reminder_id: int | None) -> None:
            if reminder_id is not None:
                send(reminder_id)
            else:
                self.ctx.command("invoices.remind", {"invoice_id": row.invoice_id, "on": on.isoformat()},
                                 lambda result: send(result["reminder_id"]), on_error=failed)
        self.ctx.read(lambda s: reminder_of(s, row.invoice_id, on), found, failed)
