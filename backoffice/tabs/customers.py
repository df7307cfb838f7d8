"""The Customers tab: search, create, edit, merge duplicates, a customer's orders, invoices and till
receipts, and the CSV export a webshop imports.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import describe, show_error
from backoffice.models.customers_model import (
    CustomersModel,
    customer_invoices,
    customer_orders,
    receipt_rows,
)
from backoffice.models.orders_model import STATUS_NAMES
from backoffice.widgets import setup_table

TITLE = "Customers"
AREA = "customers"
ORDER_HEAD = ("No.", "Date", "Channel order no.", "Status", "Total")
INVOICE_HEAD = ("No.", "Kind", "Date", "Due", "Total", "Left to pay")
RECEIPT_HEAD = ("Register", "No.", "When (UTC)", "Kind", "Total")


def _table(tr, name: str, head) -> QTableWidget:
    table = QTableWidget(0, len(head))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([tr(h) for h in head])
    setup_table(table, stretch=len(head) - 1)
    return table


def _fill(table: QTableWidget, rows) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            item = QTableWidgetItem("" if v is None else str(v))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(r, c, item)


def export_csv(session, path: Path) -> int:
    from core.customers.export import export_customers_csv
    return export_customers_csv(session, path)


class CustomersTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("customersTab")
        self.ctx = ctx
        self.model = CustomersModel(ctx, parent=self)
        self.dialog = None
        self.search = QLineEdit()
        self.search.setObjectName("customerSearch")
        self.search.setPlaceholderText(self.tr("Search name, e-mail, customer no., phone or org./personal no."))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.table = QTableView()
        self.table.setObjectName("customersTable")
        self.table.setModel(self.model)
        setup_table(self.table, stretch=self.model.column("name"), widths={0: 100, 3: 240, 4: 130, 5: 130})
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_selected())
        self.model.loaded.connect(self._loaded)
        self.count = QLabel()
        self.orders = _table(self.tr, "customerOrders", ORDER_HEAD)
        self.invoices = _table(self.tr, "customerInvoices", INVOICE_HEAD)
        self.receipts = _table(self.tr, "customerReceipts", RECEIPT_HEAD)
        self.message = QLabel()
        self.message.setObjectName("customersMessage")
        self.b = {}
        for key, label in (("new", "New customer…"), ("edit", "Edit…"), ("merge", "Merge duplicates…"),
                           ("orders", "Show in Orders"), ("export", "Export CSV for webshop…")):
            self.b[key] = QPushButton(self.tr(label))
            self.b[key].setObjectName(key)
        self.b["new"].clicked.connect(lambda: self.open_editor(None))
        self.b["edit"].clicked.connect(lambda: self.open_editor(self.selected().id) if self.selected() else None)
        self.b["merge"].clicked.connect(self.open_merge)
        self.b["orders"].clicked.connect(self.show_in_orders)
        self.b["export"].clicked.connect(lambda: self.export())
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for b in self.b.values():
            top.addWidget(b)
        pages = QTabWidget()
        pages.addTab(self.orders, self.tr("Orders"))
        pages.addTab(self.invoices, self.tr("Invoices"))
        pages.addTab(self.receipts, self.tr("Receipts"))
        list_box = QWidget()
        lb = QVBoxLayout(list_box)
        lb.setContentsMargins(0, 0, 0, 0)
        lb.addWidget(self.table, 1)
        lb.addWidget(self.count)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(list_box)
        split.addWidget(pages)
        split.setSizes([420, 240])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        if hasattr(ctx, "changed"):
            ctx.changed.connect(self._changed)
        self._enable()
        self.model.set_search("")

    def apply_search(self) -> None:
        if self.search.text() != self.model.search:
            self.model.set_search(self.search.text())

    def _loaded(self, n: int) -> None:
        more = "" if self.model.exhausted else self.tr(" (scroll for more)")
        self.count.setText(self.tr("{n} customers shown").format(n=n) + more)
        if n and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._enable()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _enable(self) -> None:
        on = self.selected() is not None
        for key in ("edit", "merge", "orders"):
            self.b[key].setEnabled(on)

    def show_selected(self) -> None:
        self._enable()
        row = self.selected()
        if row is None:
            for t in (self.orders, self.invoices, self.receipts):
                t.setRowCount(0)
            return
        cid = row.id

        def job(s):
            return customer_orders(s, cid), customer_invoices(s, cid)

        def show(result):
            orders, invoices = result
            _fill(self.orders, [(n, d, no, self.tr(STATUS_NAMES.get(st, st)), t) for n, d, no, st, t in orders])
            _fill(self.invoices, [(n, self.tr("credit note") if k == "credit_note" else self.tr("invoice"), d, due,
                                   t, left) for n, k, d, due, t, left in invoices])
        self.ctx.read(job, show)

        def no_receipts(exc):  # e.g. the server cannot be reached: the rest of the tab still works
            self.receipts.setRowCount(0)
            _title, why, bug = describe(exc)
            self.message.setText(self.tr("Receipts not shown: {why}").format(why=why))
            if bug:
                show_error(self, exc)
        # till receipts live on the server (a workstation's replica does not hold them)
        self.ctx.command("customers.receipts", {"customer_id": cid, "limit": 200},
                         lambda rows: _fill(self.receipts, receipt_rows(rows)), on_error=no_receipts)

    def _changed(self, area: str) -> None:
        if area in (AREA, "orders"):
            self.model.reload()

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def open_editor(self, customer_id: str | None) -> None:
        from backoffice.tabs.customer_dialogs import CustomerDialog
        dialog = CustomerDialog(self.ctx, customer_id, self)
        dialog.saved.connect(lambda _cid: self.message.setText(self.tr("Customer saved")))
        self._open(dialog)

    def open_merge(self) -> None:
        from backoffice.tabs.customer_dialogs import MergeDialog
        row = self.selected()
        if row is not None:
            dialog = MergeDialog(self.ctx, row.id, row.name, self)
            dialog.merged.connect(lambda _cid: self.message.setText(self.tr("Customers merged")))
            self._open(dialog)

    def show_in_orders(self) -> None:
        """Switch to the Orders tab showing only this customer's orders."""
        row = self.selected()
        window = self.window()
        orders = getattr(window, "pages", {}).get("orders") if row else None
        if orders is not None:
            orders.show_customer(row.id, row.name)
            window.tabs.setCurrentWidget(orders)

    def export(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export customers (CSV)"),
                                                  str(Path.home() / "kunder.csv"), "CSV (*.csv)")
            if not path:
                return
        target = Path(path)
        self.ctx.read(lambda s: export_csv(s, target),
                      lambda n: self.message.setText(self.tr("{n} customers written to {path}").format(n=n, path=target)),
                      lambda exc: show_error(self, exc))


def make(ctx) -> QWidget:
    return CustomersTab(ctx)
