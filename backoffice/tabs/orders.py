"""The Orders tab: every channel's orders with filters, search and sorting; the chosen order's lines,
customer, addresses, payment, deliveries, invoices and history; and the order's commands (edit,
confirm, cancel, deliver, invoice, credit, payments, PDFs, e-mail, quotes, receivables).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from backoffice.errors import show_error
from backoffice.models.order_detail import OrderDetail, address_text, load_detail
from backoffice.models.orders_model import STATUS_NAMES, OrdersModel, channel_names, payment_state
from backoffice.tabs.order_actions import AREA, OrderActions
from backoffice.widgets import fill_combo, money_text, setup_table
from core.errors import ValidationError
from core.money import format_rate
from core.orders.queries import OrderFilter
from core.quantity import format_qty

TITLE = "Orders"
LINE_HEAD = ("#", "SKU", "Name", "Ordered", "Delivered", "Backorder", "Unit price", "Discount", "VAT", "Amount")
DELIVERY_HEAD = ("No.", "Date", "From", "Contents", "Amount", "Tracking", "Invoice")
INVOICE_HEAD = ("No.", "Kind", "Date", "Due", "OCR", "Total", "Left to pay", "Paid")
EVENT_HEAD = ("When (UTC)", "By", "Kind", "What")


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            item = QTableWidgetItem(v)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(r, c, item)


class OrdersTab(QWidget, OrderActions):
    """The list with its filters and the chosen order's detail; the buttons' actions are OrderActions'."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("ordersTab")
        self.ctx = ctx
        self.model = OrdersModel(ctx, parent=self)
        self.detail: OrderDetail | None = None
        self.customer_id: str | None = None
        self.dialog = None
        self.last_saved: Path | None = None
        self.last_sent: str | None = None
        # --- filters -----------------------------------------------------------------------------
        self.search = QLineEdit()
        self.search.setObjectName("orderSearch")
        self.search.setPlaceholderText(self.tr("Search our number, the channel's order number or the customer"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        self.status, self.channel = QComboBox(), QComboBox()
        fill_combo(self.status, [(k, self.tr(v)) for k, v in STATUS_NAMES.items()], self.tr("All statuses"))
        fill_combo(self.channel, [], self.tr("All channels"))
        self.date_from, self.date_to = QLineEdit(), QLineEdit()
        for edit, hint in ((self.date_from, "from YYYY-MM-DD"), (self.date_to, "to YYYY-MM-DD")):
            edit.setPlaceholderText(self.tr(hint))
            edit.setMaximumWidth(115)
            edit.editingFinished.connect(self.apply_filter)
        self.backorder = QCheckBox(self.tr("Has backorder"))
        self.not_captured = QCheckBox(self.tr("Payment not captured"))
        self.customer_label = QLabel()
        self.clear_customer = QPushButton(self.tr("All customers"))
        self.clear_customer.clicked.connect(lambda: self.show_customer(None))
        self.clear_customer.hide()
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.status, self.channel):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        for box in (self.backorder, self.not_captured):
            box.toggled.connect(lambda _c: self.apply_filter())
        # --- list ----------------------------------------------------------------------------------
        self.table = QTableView()
        self.table.setObjectName("ordersTable")
        self.table.setModel(self.model)
        setup_table(self.table, stretch=self.model.column("customer_name"),
                    widths={0: 80, 1: 120, 2: 170, 3: 95, 6: 120, 7: 130, 8: 150})
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self.model.sort)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_selected())
        self.model.loaded.connect(self._loaded)
        self.count = QLabel()
        self.count.setObjectName("ordersCount")
        # --- detail --------------------------------------------------------------------------------
        self.header = QLabel()
        self.header.setObjectName("orderHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.addresses, self.delivery_address = QLabel(), QLabel()
        for label in (self.addresses, self.delivery_address):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.header.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.lines = self._table("orderLines", LINE_HEAD, 2)
        self.deliveries = self._table("orderDeliveries", DELIVERY_HEAD, 3)
        self.invoices = self._table("orderInvoices", INVOICE_HEAD, 4)
        self.history = self._table("orderHistory", EVENT_HEAD, 3)
        self.b = {}
        for key, label in (("new", "New order…"), ("edit", "Edit…"), ("details", "Edit details…"),
                           ("confirm", "Confirm"), ("cancel", "Cancel order"), ("deliver", "Deliver…"),
                           ("close_backorder", "Drop the back order"), ("invoice_order", "Invoice order"),
                           ("confirmation_pdf", "Confirmation PDF…"), ("confirmation_mail", "E-mail confirmation"),
                           ("invoice_delivery", "Invoice delivery"), ("delivery_pdf", "Delivery note PDF…"),
                           ("delivery_mail", "E-mail delivery note"), ("credit", "Credit…"),
                           ("payment", "Register payment…"), ("invoice_pdf", "Invoice PDF…"),
                           ("invoice_mail", "E-mail invoice"), ("quotes", "Quotes…"),
                           ("receivables", "Receivables…"), ("import", "Import payments…"),
                           ("smtp", "E-mail settings…")):
            self.b[key] = QPushButton(self.tr(label))
            self.b[key].setObjectName(key)
        self._connect_buttons()
        self.message = QLabel()
        self.message.setObjectName("ordersMessage")
        self._layout()
        if hasattr(ctx, "changed"):
            ctx.changed.connect(self._changed)
        ctx.read(channel_names, self._channels_loaded)
        self._enable()
        self.apply_filter(force=True)

    def _table(self, name: str, head: tuple[str, ...], stretch: int) -> QTableWidget:
        table = QTableWidget(0, len(head))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels([self.tr(h) for h in head])
        setup_table(table, stretch=stretch)
        table.itemSelectionChanged.connect(self._enable)
        return table

    def _connect_buttons(self) -> None:
        b = self.b
        b["new"].clicked.connect(lambda: self.open_editor("order"))
        b["edit"].clicked.connect(lambda: self.open_editor("edit"))
        b["details"].clicked.connect(self.open_details)
        b["confirm"].clicked.connect(lambda: self.step("orders.confirm"))
        b["cancel"].clicked.connect(lambda: self.step("orders.cancel"))
        b["close_backorder"].clicked.connect(lambda: self.step("orders.close_backorder"))
        b["deliver"].clicked.connect(self.open_deliver)
        b["invoice_order"].clicked.connect(self.invoice_order)
        b["invoice_delivery"].clicked.connect(self.invoice_delivery)
        b["credit"].clicked.connect(self.open_credit)
        b["payment"].clicked.connect(self.open_payment)
        b["quotes"].clicked.connect(self.open_quotes)
        b["receivables"].clicked.connect(self.open_receivables)
        b["import"].clicked.connect(self.open_import)
        b["smtp"].clicked.connect(self.open_smtp)
        b["confirmation_pdf"].clicked.connect(lambda: self.save_document("order"))
        b["delivery_pdf"].clicked.connect(lambda: self.save_document("delivery"))
        b["invoice_pdf"].clicked.connect(lambda: self.save_document("invoice"))
        b["confirmation_mail"].clicked.connect(lambda: self.mail_document("order"))
        b["delivery_mail"].clicked.connect(lambda: self.mail_document("delivery"))
        b["invoice_mail"].clicked.connect(lambda: self.mail_document("invoice"))

    def _layout(self) -> None:
        b = self.b
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for w in (self.status, self.channel, self.date_from, self.date_to, self.backorder, self.not_captured,
                  self.customer_label, self.clear_customer):
            filters.addWidget(w)
        actions = QHBoxLayout()
        for key in ("new", "edit", "confirm", "cancel", "deliver", "close_backorder", "invoice_order"):
            actions.addWidget(b[key])
        actions.addStretch(1)
        more = QHBoxLayout()
        more.addWidget(self.message, 1)
        for key in ("quotes", "receivables", "import", "smtp"):
            more.addWidget(b[key])
        list_box = QWidget()
        lb = QVBoxLayout(list_box)
        lb.setContentsMargins(0, 0, 0, 0)
        lb.addWidget(self.table, 1)
        lb.addWidget(self.count)
        pages = QTabWidget()
        pages.setObjectName("orderPages")
        pages.addTab(self._with_buttons(self.lines, "confirmation_pdf", "confirmation_mail"), self.tr("Lines"))
        pages.addTab(self._with_buttons(self.deliveries, "invoice_delivery", "delivery_pdf", "delivery_mail"),
                     self.tr("Deliveries"))
        pages.addTab(self._with_buttons(self.invoices, "credit", "payment", "invoice_pdf", "invoice_mail"),
                     self.tr("Invoices"))
        pages.addTab(self.history, self.tr("History"))
        self.pages = pages
        info = QHBoxLayout()
        info.addWidget(self.header, 3)
        info.addWidget(self.addresses, 1)
        info.addWidget(self.delivery_address, 1)
        info.addWidget(b["details"], 0, Qt.AlignmentFlag.AlignTop)
        detail_box = QWidget()
        db = QVBoxLayout(detail_box)
        db.setContentsMargins(0, 0, 0, 0)
        db.addLayout(info)
        db.addWidget(pages, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(list_box)
        split.addWidget(detail_box)
        split.setSizes([380, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        layout.addLayout(more)

    def _with_buttons(self, table: QTableWidget, *keys: str) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(table, 1)
        row = QHBoxLayout()
        for key in keys:
            row.addWidget(self.b[key])
        row.addStretch(1)
        v.addLayout(row)
        return box

    # --- list and filters ------------------------------------------------------------------------

    def _channels_loaded(self, names: dict[int, str]) -> None:
        fill_combo(self.channel, sorted(names.items()), self.tr("All channels"))

    def current_filter(self) -> OrderFilter:
        dates = []
        for edit, name in ((self.date_from, "date_from"), (self.date_to, "date_to")):
            text = edit.text().strip()
            try:
                dates.append(dt.date.fromisoformat(text) if text else None)
            except ValueError:
                raise ValidationError(f"{text!r} is not a date", field=name, hint="write YYYY-MM-DD") from None
        return OrderFilter(status=self.status.currentData(), channel_id=self.channel.currentData(),
                           customer_id=self.customer_id, date_from=dates[0], date_to=dates[1],
                           has_backorder=True if self.backorder.isChecked() else None,
                           payment_not_captured=self.not_captured.isChecked(),
                           text=self.search.text().strip() or None)

    def apply_filter(self, force: bool = False) -> None:
        try:
            flt = self.current_filter()
        except ValidationError as exc:
            show_error(self, exc)
            return
        if force or flt != self.model.filter:
            self.model.set_filter(flt)
            self.ctx.read(self.model.count, self._counted)

    def _counted(self, n: int) -> None:
        self.count.setText(self.tr("{n} orders").format(n=n))

    def show_customer(self, customer_id: str | None, name: str = "") -> None:
        """Show only this customer's orders (None: everyone's)."""
        self.customer_id = customer_id
        self.customer_label.setText(self.tr("Customer: {name}").format(name=name) if customer_id else "")
        self.clear_customer.setVisible(customer_id is not None)
        self.apply_filter()

    def _loaded(self, n: int) -> None:
        if n and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        elif not n:
            self.show_detail(None)

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_number(self, number: int) -> bool:
        for i, row in enumerate(self.model.rows):
            if row.number == number:
                self.table.selectRow(i)
                return True
        return False

    # --- detail -----------------------------------------------------------------------------------

    def show_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.show_detail(None)
            return
        order_id = row.id
        self.ctx.read(lambda s: load_detail(s, order_id), self._detail_loaded)

    def _detail_loaded(self, detail: OrderDetail) -> None:
        row = self.selected()
        if row is not None and row.id == detail.id:
            self.show_detail(detail)

    def show_detail(self, d: OrderDetail | None) -> None:
        self.detail = d
        if d is None:
            self.header.setText("")
            self.addresses.setText("")
            self.delivery_address.setText("")
            for t in (self.lines, self.deliveries, self.invoices, self.history):
                t.setRowCount(0)
            self._enable()
            return
        channel_no = f" · {d.channel} {d.channel_order_no}" if d.channel_order_no else f" · {d.channel}"
        name, _, state = payment_state(d.payment_provider, d.payment_authorised, d.payment_captured).partition(": ")
        paid = self.tr(name) + (": " + self.tr(state) if state else "")
        basis = self.tr("incl. VAT") if d.prices_include_vat else self.tr("excl. VAT")
        self.header.setText("\n".join([
            self.tr("Order {n}").format(n=d.number) + channel_no + f" · {d.order_date.isoformat()} · "
            + self.tr(STATUS_NAMES.get(d.status, d.status)),
            self.tr("Customer: {name}").format(name=d.customer_name) + (f" <{d.customer_email}>" if d.customer_email else "")
            + (" · " + self.tr("ref. {r}").format(r=d.customer_reference) if d.customer_reference else ""),
            self.tr("Payment: {p}").format(p=paid) + (f" ({d.payment_reference})" if d.payment_reference else "")
            + " · " + self.tr("{days} days").format(days=d.payment_terms_days),
            self.tr("Total {gross} {cur} ({basis}), VAT {vat}").format(
                gross=money_text(d.total_gross), cur=d.currency, basis=basis, vat=money_text(d.total_vat))]))
        self.addresses.setText(self.tr("Invoice address") + "\n" + address_text(d.invoice_address))
        self.delivery_address.setText(self.tr("Delivery address") + "\n" + address_text(d.delivery_address))
        _fill(self.lines, [(str(ln.position), ln.sku, ln.name, format_qty(ln.qty), format_qty(ln.delivered),
                            format_qty(ln.backorder) if ln.backorder else "", money_text(ln.unit_price),
                            f"{format_rate(ln.discount_bp)} %" if ln.discount_bp else "",
                            f"{format_rate(ln.vat_rate_bp)} %", money_text(ln.amount)) for ln in d.lines])
        _fill(self.deliveries, [(f"{d.number}-{x.seq}", x.delivered_on.isoformat(),
                                 self.tr("supplier") if x.drop_ship else x.location, x.contents, money_text(x.gross),
                                 " ".join(p for p in (x.carrier, x.tracking_number) if p),
                                 str(x.invoice_number or "")) for x in d.deliveries])
        _fill(self.invoices, [(str(i.number), self.tr("credit note") if i.kind == "credit_note" else self.tr("invoice"),
                               i.invoice_date.isoformat(), i.due_date.isoformat(), i.ocr, money_text(i.total_gross),
                               money_text(i.open_amount) if i.kind == "invoice" else "",
                               self.tr("yes") if i.settled else self.tr("no")) for i in d.invoices])
        _fill(self.history, [(f"{e.at:%Y-%m-%d %H:%M}", e.who, self.tr(e.kind), e.text) for e in d.events])
        self._enable()

    def selected_delivery(self):
        r = self.deliveries.currentRow()
        return self.detail.deliveries[r] if self.detail and 0 <= r < len(self.detail.deliveries) else None

    def selected_invoice(self):
        r = self.invoices.currentRow()
        return self.detail.invoices[r] if self.detail and 0 <= r < len(self.detail.invoices) else None

    def _enable(self) -> None:
        d = self.detail
        status = d.status if d else None
        inv, dlv = self.selected_invoice(), self.selected_delivery()
        rules = {
            "edit": status in ("new", "confirmed", "partly_delivered"), "confirm": status == "new",
            "details": bool(d and d.editable),
            "cancel": status in ("new", "confirmed"), "deliver": status in ("confirmed", "partly_delivered"),
            "close_backorder": status == "partly_delivered",
            "invoice_order": bool(d and any(x.invoice_number is None for x in d.deliveries)),
            "confirmation_pdf": d is not None, "confirmation_mail": d is not None,
            "invoice_delivery": bool(dlv and dlv.invoice_number is None),
            "delivery_pdf": dlv is not None, "delivery_mail": dlv is not None,
            "credit": bool(inv and inv.kind == "invoice"),
            "payment": bool(inv and inv.kind == "invoice" and not inv.settled),
            "invoice_pdf": inv is not None, "invoice_mail": inv is not None}
        for key, on in rules.items():
            self.b[key].setEnabled(on)

    def _changed(self, area: str) -> None:
        if area in (AREA, "customers"):
            self.reload_keep_selection()

    def reload_keep_selection(self) -> None:
        row = self.selected()
        keep = row.number if row else None

        def reselect(_n):
            self.model.loaded.disconnect(reselect)
            if keep is not None:
                self.select_number(keep)
            self.show_selected()
        self.model.loaded.connect(reselect)
        self.model.reload()
        self.ctx.read(self.model.count, self._counted)


def make(ctx) -> QWidget:
    return OrdersTab(ctx)
