"""Purchasing dialogs: a new purchase order from SKUs, and receiving goods (typed or scanned)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from backoffice.errors import show_error
from backoffice.models.purchasing_model import (
    PoLineRow,
    barcodes_for_lines,
    new_po_args,
    po_line_rows,
    receive_args,
)
from backoffice.widgets import EnterStaysInField, fill_combo, money_text, parse_money
from core.errors import UserError, ValidationError
from core.quantity import format_qty, parse_qty


def parse_po_lines(text: str) -> list[tuple[str, int, int | None]]:
    """'SKU qty [price]' per line → [(sku, qty thousandths, price öre or None)]."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) not in (2, 3):
            raise ValidationError(f"line {n}: write 'SKU quantity [price]', e.g. LV-0000009 12 45,50",
                                  field="lines")
        out.append((parts[0], parse_qty(parts[1], f"lines[{n}].qty"),
                    parse_money(parts[2], f"lines[{n}].unit_price") if len(parts) == 3 else None))
    if not out:
        raise ValidationError("an order needs at least one line", field="lines")
    return out


class NewPoDialog(QDialog):
    created = Signal(int)

    def __init__(self, ctx, suppliers, locations, parent=None):
        super().__init__(parent)
        self.setObjectName("newPo")
        self.ctx = ctx
        self.setWindowTitle(self.tr("New purchase order"))
        self.supplier, self.location = QComboBox(), QComboBox()
        fill_combo(self.supplier, suppliers)
        fill_combo(self.location, locations)
        self.lines = QPlainTextEdit()
        self.lines.setPlaceholderText(self.tr("One line per product: SKU quantity [price excl. VAT]"))
        form = QFormLayout(self)
        form.addRow(self.tr("Supplier"), self.supplier)
        form.addRow(self.tr("Deliver to"), self.location)
        form.addRow(self.tr("Lines"), self.lines)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def submit(self) -> None:
        try:
            lines = parse_po_lines(self.lines.toPlainText())
        except UserError as exc:
            show_error(self, exc)
            return
        def done(po):
            self.created.emit(po["id"])
            self.accept()
        self.ctx.command("purchase_orders.create",
                         new_po_args(self.supplier.currentData(), self.location.currentData(), lines),
                         done, on_error=lambda exc: show_error(self, exc))


class ReceiveDialog(EnterStaysInField, QDialog):
    """Receive against one PO: quantities per line (scanning a barcode adds one), prices editable.

    Receiving more than is owed is refused by the purchasing rules unless the box is ticked.
    """

    received = Signal(str)
    QTY, PRICE = 4, 5

    def __init__(self, ctx, po_id: int, number: int, parent=None):
        super().__init__(parent)
        self.setObjectName("receivePo")
        self.ctx, self.po_id = ctx, po_id
        self.setWindowTitle(self.tr("Receive goods on PO {n}").format(n=number))
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("SKU"), self.tr("Name"), self.tr("Ordered"),
                                              self.tr("Still owed"), self.tr("Receive now"),
                                              self.tr("Unit price")])
        self.scan = QLineEdit()
        self.scan.setPlaceholderText(self.tr("Scan a barcode: one more of that line"))
        self.scan.returnPressed.connect(self.scanned)
        self.allow_over = QCheckBox(self.tr("Accept more than ordered"))
        self.note = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Receive"))
        self.ok.setEnabled(False)
        self.ok.setAutoDefault(False)
        self.ok.setDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.scan, 1)
        row.addWidget(self.allow_over)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self.rows: list[PoLineRow] = []
        self.codes: dict[str, int] = {}
        ctx.read(lambda s: (po_line_rows(s, po_id), barcodes_for_lines(s, po_id)), self._loaded)

    def _loaded(self, result) -> None:
        self.rows, self.codes = result
        self.table.setRowCount(len(self.rows))
        for r, ln in enumerate(self.rows):
            for c, v in enumerate((ln.sku, ln.name, format_qty(ln.qty), format_qty(ln.owed), "0",
                                   money_text(ln.unit_price))):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.ok.setEnabled(True)
        self.scan.setFocus()

    def set_qty(self, row: int, qty: int) -> None:
        self.table.item(row, self.QTY).setText(format_qty(qty))

    def scanned(self) -> None:
        code = self.scan.text().strip()
        self.scan.clear()
        line_id = self.codes.get(code)
        if line_id is None:
            show_error(self, ValidationError(f"barcode {code} is not on this purchase order", field="barcode"))
            return
        r = [ln.id for ln in self.rows].index(line_id)
        self.set_qty(r, parse_qty(self.table.item(r, self.QTY).text() or "0", "qty") + 1000)
        self.note.setText(self.tr("{sku}: {n} scanned").format(sku=self.rows[r].sku,
                                                                 n=self.table.item(r, self.QTY).text()))

    def submit(self) -> None:
        try:
            qty = {ln.id: parse_qty(self.table.item(r, self.QTY).text() or "0", "qty")
                   for r, ln in enumerate(self.rows)}
            prices = {ln.id: parse_money(self.table.item(r, self.PRICE).text(), "unit_price", required=True)
                      for r, ln in enumerate(self.rows)}
        except UserError as exc:
            show_error(self, exc)
            return
        def done(receipt):
            self.received.emit(receipt["receipt_id"])
            self.accept()
        self.ctx.command("purchase_orders.receive",
                         receive_args(self.po_id, qty, prices, self.allow_over.isChecked()), done,
                         on_error=lambda exc: show_error(self, exc))
