"""The Purchasing tab: purchase orders by status and supplier, their lines, the status steps
(send — PDF and e-mail, confirm, close with or without back order, cancel), receiving goods in
parts and the supplier's invoice; beside it pages for suppliers, accounts payable, reorder and
drop shipping (each in its own module).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import show_error
from backoffice.models.lookups import Lookups, load_lookups
from backoffice.models.purchasing_model import (
    STATUS_SETS,
    PurchaseOrdersModel,
    line_text,
    po_line_rows,
    step_command,
)
from backoffice.widgets import fill_combo, setup_table

TITLE = "Purchasing"
AREA = "purchasing"
LINE_HEAD = ("#", "SKU", "Name", "Ordered", "Received", "Still owed", "Unit price", "Amount")


class PurchasingTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("purchasingTab")
        self.ctx = ctx
        self.lookups = Lookups()
        self.model = PurchaseOrdersModel(ctx, parent=self)
        self.status, self.supplier = QComboBox(), QComboBox()
        fill_combo(self.status, [(k, self.tr(k)) for k in STATUS_SETS])
        fill_combo(self.supplier, [], self.tr("All suppliers"))
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.supplier.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.table = QTableView()
        self.table.setObjectName("poTable")
        self.table.setModel(self.model)
        setup_table(self.table, stretch=self.model.column("supplier"), widths={self.model.column("total"): 170})
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_lines())
        self.model.loaded.connect(self._loaded)
        self.lines = QTableWidget(0, len(LINE_HEAD))
        self.lines.setObjectName("poLines")
        self.lines.setHorizontalHeaderLabels([self.tr(h) for h in LINE_HEAD])
        setup_table(self.lines, stretch=2)
        self.buttons = {}
        for key, label in (("new", "New PO…"), ("send", "Send"), ("confirm", "Confirmed by supplier"),
                           ("receive", "Receive…"), ("close", "Close, cancel the rest"),
                           ("backorder", "Close with back order"), ("cancel", "Cancel PO"),
                           ("pdf", "PDF / e-mail…"), ("invoice", "Supplier invoice…"),
                           ("smtp", "E-mail settings…")):
            self.buttons[key] = QPushButton(self.tr(label))
        self.buttons["new"].clicked.connect(self.new_po)
        self.buttons["receive"].clicked.connect(self.open_receive)
        self.buttons["pdf"].clicked.connect(self.open_send)
        self.buttons["invoice"].clicked.connect(self.open_invoice)
        self.buttons["smtp"].clicked.connect(self.open_smtp)
        for key in ("send", "confirm", "close", "backorder", "cancel"):
            self.buttons[key].clicked.connect(lambda _c=False, k=key: self.do_step(k))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Show")))
        top.addWidget(self.status)
        top.addWidget(self.supplier, 1)
        # two rows, so the tab fits a 1280 px window in Swedish too: the daily steps, then the rest
        actions = QVBoxLayout()
        for keys in (("new", "send", "confirm", "receive", "pdf", "invoice"),
                     ("close", "backorder", "cancel", "smtp")):
            row = QHBoxLayout()
            for key in keys:
                row.addWidget(self.buttons[key])
            row.addStretch(1)
            actions.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.lines)
        split.setSizes([380, 220])
        orders = QWidget()
        layout = QVBoxLayout(orders)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        self.pages = QTabWidget()
        self.pages.setObjectName("purchasingPages")
        self.pages.addTab(orders, self.tr("Purchase orders"))
        self._add_pages(ctx)
        QVBoxLayout(self).addWidget(self.pages)
        self.dialog = None
        self._enable()
        if hasattr(ctx, "changed"):
            ctx.changed.connect(self._changed)
        ctx.read(lambda s: load_lookups(s, getattr(ctx, "lang", "sv")), self._lookups_loaded)
        self.model.set_filter(STATUS_SETS["Open"], None)

    def _add_pages(self, ctx) -> None:
        from backoffice.tabs.purchasing_dropship import DropShipPage
        from backoffice.tabs.purchasing_invoices import PayablesPage
        from backoffice.tabs.purchasing_reorder import ReorderPage
        from backoffice.tabs.suppliers import SuppliersPage

        self.suppliers, self.payables = SuppliersPage(ctx), PayablesPage(ctx)
        self.reorder, self.drop_ship = ReorderPage(ctx), DropShipPage(ctx)
        for page, title in ((self.suppliers, "Suppliers"), (self.payables, "Accounts payable"),
                            (self.reorder, "Reorder"), (self.drop_ship, "Drop shipping")):
            self.pages.addTab(page, self.tr(title))

    def _lookups_loaded(self, lookups: Lookups) -> None:
        self.lookups = lookups
        fill_combo(self.supplier, lookups.suppliers, self.tr("All suppliers"))
        self.reorder.set_lookups(lookups)

    def apply_filter(self) -> None:
        self.model.set_filter(STATUS_SETS[self.status.currentData()], self.supplier.currentData())

    def _loaded(self, n: int) -> None:
        if n and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._enable()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _enable(self) -> None:
        po = self.selected()
        status = po.status if po is not None else None
        allowed = {"send": ("draft",), "confirm": ("sent",),
                   "receive": ("sent", "confirmed", "partly_received"),
                   "close": ("partly_received", "received"), "backorder": ("partly_received",),
                   "cancel": ("draft", "sent", "confirmed"),
                   "pdf": ("draft", "sent", "confirmed", "partly_received", "received", "closed"),
                   "invoice": ("partly_received", "received", "closed")}
        for key, statuses in allowed.items():
            self.buttons[key].setEnabled(status in statuses and not (key == "receive" and po.drop_ship))

    def show_lines(self) -> None:
        self._enable()
        po = self.selected()
        if po is None:
            self.lines.setRowCount(0)
            return
        self.ctx.read(lambda s: po_line_rows(s, po.id), self._show_lines)

    def _show_lines(self, rows) -> None:
        self.lines.setRowCount(len(rows))
        for r, ln in enumerate(rows):
            for c, v in enumerate(line_text(ln)):
                self.lines.setItem(r, c, QTableWidgetItem(v))

    def _changed(self, area: str) -> None:
        if area in (AREA, "stock", "products", "orders"):
            self.model.reload()
        for page in (self.suppliers, self.payables, self.reorder, self.drop_ship):
            page.changed(area)
        if area == AREA:  # a new supplier shows in the pickers
            self.ctx.read(lambda s: load_lookups(s, getattr(self.ctx, "lang", "sv")), self._lookups_loaded)

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def new_po(self) -> None:
        from backoffice.tabs.po_dialogs import NewPoDialog
        self._open(NewPoDialog(self.ctx, self.lookups.suppliers, self.lookups.locations, self))

    def open_receive(self) -> None:
        from backoffice.tabs.po_dialogs import ReceiveDialog
        po = self.selected()
        if po is not None:
            self._open(ReceiveDialog(self.ctx, po.id, po.number, self))

    def open_send(self) -> None:
        from backoffice.tabs.purchasing_send import open_send_dialog
        po = self.selected()
        if po is not None:
            self.dialog = open_send_dialog(self, self.ctx, po)

    def open_invoice(self) -> None:
        from backoffice.tabs.purchasing_invoices import open_invoice_dialog
        po = self.selected()
        if po is not None:
            self.dialog = open_invoice_dialog(self, self.ctx, po)

    def open_smtp(self) -> None:
        from backoffice.tabs.order_mail import SmtpDialog
        self._open(SmtpDialog(self.ctx, self))

    def do_step(self, action: str) -> None:
        po = self.selected()
        if po is None:
            return
        # sending marks the order sent at once, then offers its PDF and e-mail
        then = (lambda _r: self._sent(po)) if action == "send" else None
        name, args = step_command(po.id, action)
        self.ctx.command(name, args, then, on_error=lambda exc: show_error(self, exc))

    def _sent(self, po) -> None:
        from backoffice.tabs.purchasing_send import open_send_dialog
        self.dialog = open_send_dialog(self, self.ctx, po)


def make(ctx) -> QWidget:
    return PurchasingTab(ctx)
