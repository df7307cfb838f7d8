"""Order dialogs: the editor for manual/B2B orders and quotes (customer lookup, price list, lines with
discounts, shipping fee) and delivering a chosen quantity per line from a chosen location.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from backoffice.errors import show_error
from backoffice.models.order_detail import OrderDetail
from backoffice.models.order_form import (
    EditorChoices,
    LineRow,
    OrderForm,
    edit_args,
    editor_choices,
    order_args,
    quote_args,
)
from backoffice.widgets import EnterStaysInField, fill_combo, money_text, select, setup_table
from core.customers.service import find_customers
from core.errors import UserError, ValidationError
from core.money import format_rate
from core.quantity import format_qty, parse_qty


def _item(text: str, editable: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class CustomerLookup(QVBoxLayout):
    """A search field and its hits; choosing one sets `customer_id` (find_customers on the lane)."""

    def __init__(self, ctx, parent_widget):
        super().__init__()
        self.ctx, self.parent_widget = ctx, parent_widget
        self.customer_id: str | None = None
        self.search = QLineEdit()
        self.search.setObjectName("customerSearch")
        self.search.setPlaceholderText(parent_widget.tr("Search customer: name, e-mail, number, phone"))
        self.hits = QListWidget()
        self.hits.setMaximumHeight(90)
        self.chosen = QLabel(parent_widget.tr("No customer chosen"))
        self._debounce = QTimer(parent_widget, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.lookup)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.hits.itemClicked.connect(lambda item: self.choose(*item.data(Qt.ItemDataRole.UserRole)))
        self.addWidget(self.search)
        self.addWidget(self.hits)
        self.addWidget(self.chosen)

    def lookup(self) -> None:
        text = self.search.text()
        self.ctx.read(lambda s: find_customers(s, text, limit=20), self._show)

    def _show(self, hits) -> None:
        self.hits.clear()
        for h in hits:
            label = " · ".join(x for x in (h.number, h.name, h.email, h.org_number) if x)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, (h.id, h.name))
            self.hits.addItem(item)

    def choose(self, customer_id: str | None, name: str = "") -> None:
        self.customer_id = customer_id
        self.chosen.setText(name if customer_id else self.parent_widget.tr("No customer chosen"))


class OrderEditor(EnterStaysInField, QDialog):
    """New order, edit an order's lines, or new quote (`mode`: 'order', 'edit', 'quote')."""

    saved = Signal(str, int)
    SKU, NAME, QTY, PRICE, DISCOUNT = range(5)

    def __init__(self, ctx, mode: str = "order", detail: OrderDetail | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("orderEditor")
        self.ctx, self.mode, self.detail = ctx, mode, detail
        self.setWindowTitle({"order": self.tr("New order"), "quote": self.tr("New quote"),
                             "edit": self.tr("Edit order {n}").format(n=detail.number if detail else "")}[mode])
        self.resize(760, 620)
        self.channel, self.price_list = QComboBox(), QComboBox()
        self.customer = CustomerLookup(ctx, self)
        self.customer_name, self.customer_email = QLineEdit(), QLineEdit()
        self.customer_name.setPlaceholderText(self.tr("only without a customer record"))
        self.reference, self.terms, self.shipping, self.note = QLineEdit(), QLineEdit("30"), QLineEdit(), QLineEdit()
        self.shipping.setPlaceholderText(self.tr("empty: no shipping fee"))
        self.valid_until = QDateEdit(dt.date.today() + dt.timedelta(days=30))
        self.valid_until.setCalendarPopup(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("editorLines")
        self.table.setHorizontalHeaderLabels([self.tr("SKU"), self.tr("Name"), self.tr("Qty"),
                                              self.tr("Unit price"), self.tr("Discount %")])
        setup_table(self.table, stretch=self.NAME)
        add, remove = QPushButton(self.tr("Add line")), QPushButton(self.tr("Remove line"))
        add.clicked.connect(lambda: self.add_row())
        remove.clicked.connect(self.remove_row)
        form = QFormLayout()
        if mode == "edit":
            form.addRow(self.tr("Customer"), QLabel(detail.customer_name))
        else:
            form.addRow(self.tr("Channel"), self.channel)
            form.addRow(self.tr("Customer"), self.customer)
            form.addRow(self.tr("Customer name"), self.customer_name)
            form.addRow(self.tr("E-mail"), self.customer_email)
            form.addRow(self.tr("Price list"), self.price_list)
            form.addRow(self.tr("Your reference"), self.reference)
            form.addRow(self.tr("Payment terms (days)"), self.terms)
            if mode == "quote":
                form.addRow(self.tr("Valid until"), self.valid_until)
            form.addRow(self.tr("Note"), self.note)
        form.addRow(self.tr("Shipping fee"), self.shipping)
        rows = QHBoxLayout()
        rows.addWidget(add)
        rows.addWidget(remove)
        rows.addStretch(1)
        rows.addWidget(QLabel(self.tr("Empty price: the price list's price")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(rows)
        layout.addWidget(buttons)
        if detail is not None:
            for ln in detail.lines:
                if ln.kind == "product":
                    self.add_row(LineRow(ln.sku, format_qty(ln.qty), money_text(ln.unit_price),
                                         format_rate(ln.discount_bp) if ln.discount_bp else "", ln.id),
                                 name=ln.name, locked=ln.delivered > 0)
            self.shipping.setText(money_text(detail.shipping_fee))
        else:
            self.add_row()
        ctx.read(editor_choices, self._choices)

    def _choices(self, choices: EditorChoices) -> None:
        fill_combo(self.channel, choices.channels)
        fill_combo(self.price_list, choices.price_lists, self.tr("(the customer's or channel's)"))

    # --- rows ------------------------------------------------------------------------------------

    def add_row(self, row: LineRow | None = None, name: str = "", locked: bool = False) -> None:
        row = row or LineRow("", "1")
        r = self.table.rowCount()
        self.table.insertRow(r)
        for col, text in ((self.SKU, row.sku), (self.NAME, name), (self.QTY, row.qty),
                          (self.PRICE, row.unit_price), (self.DISCOUNT, row.discount)):
            item = _item(text, editable=not locked and col not in (self.NAME,) and
                         not (row.line_id and col == self.SKU))
            if col == self.SKU:
                item.setData(Qt.ItemDataRole.UserRole, (row.line_id, locked))
            self.table.setItem(r, col, item)

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        _line_id, locked = self.table.item(r, self.SKU).data(Qt.ItemDataRole.UserRole)
        if locked:
            show_error(self, ValidationError("this line is delivered and cannot be removed",
                                             field=f"lines[{r + 1}]", hint="credit it on the invoice"))
            return
        self.table.removeRow(r)

    def set_line(self, r: int, sku: str, qty: str, price: str = "", discount: str = "") -> None:
        """Fill row `r` (tests, and typing by hand)."""
        while self.table.rowCount() <= r:
            self.add_row()
        for col, text in ((self.SKU, sku), (self.QTY, qty), (self.PRICE, price), (self.DISCOUNT, discount)):
            self.table.item(r, col).setText(text)

    def rows(self) -> list[LineRow]:
        out = []
        for r in range(self.table.rowCount()):
            text = lambda c, r=r: (self.table.item(r, c).text() if self.table.item(r, c) else "")
            line_id, _locked = self.table.item(r, self.SKU).data(Qt.ItemDataRole.UserRole)
            out.append(LineRow(text(self.SKU), text(self.QTY), text(self.PRICE), text(self.DISCOUNT), line_id))
        return out

    def form(self) -> OrderForm:
        until = self.valid_until.date()
        return OrderForm(
            channel_id=self.channel.currentData(), customer_id=self.customer.customer_id,
            customer_name=self.customer_name.text(), customer_email=self.customer_email.text(),
            price_list_id=self.price_list.currentData(), customer_reference=self.reference.text(),
            payment_terms_days=self.terms.text(), shipping_fee=self.shipping.text(), note=self.note.text(),
            lines=self.rows(), valid_until=dt.date(until.year(), until.month(), until.day()))

    def command_args(self, form: OrderForm) -> tuple[str, dict]:
        """The command that saves what the editor shows, and its arguments."""
        if self.mode == "edit":
            return "orders.edit", edit_args(self.detail.id, form)
        if self.mode == "quote":
            return "quotes.create", quote_args(form)
        return "orders.create", order_args(form)

    def submit(self) -> None:
        try:
            name, args = self.command_args(self.form())
        except UserError as exc:
            show_error(self, exc)
            return

        def done(result):
            self.saved.emit(result["id"], result["number"])
            self.accept()
        self.ctx.command(name, args, done, on_error=lambda exc: show_error(self, exc))


class DeliverDialog(EnterStaysInField, QDialog):
    """Deliver part of an order: a quantity per line (default: all that is left) from a location."""

    delivered = Signal(str)
    NOW = 5

    def __init__(self, ctx, detail: OrderDetail, parent=None):
        super().__init__(parent)
        self.setObjectName("deliverOrder")
        self.ctx, self.detail = ctx, detail
        self.setWindowTitle(self.tr("Deliver order {n}").format(n=detail.number))
        self.lines = [ln for ln in detail.lines if ln.kind == "product" and ln.backorder > 0]
        self.table = QTableWidget(len(self.lines), 6)
        self.table.setObjectName("deliverLines")
        self.table.setHorizontalHeaderLabels([self.tr("SKU"), self.tr("Name"), self.tr("Ordered"),
                                              self.tr("Delivered"), self.tr("Left"), self.tr("Deliver now")])
        setup_table(self.table, stretch=1)
        for r, ln in enumerate(self.lines):
            name = ln.name + (" " + self.tr("(drop-ship)") if ln.drop_ship else "")
            for c, text in enumerate((ln.sku, name, format_qty(ln.qty), format_qty(ln.delivered),
                                      format_qty(ln.backorder))):
                self.table.setItem(r, c, _item(text, editable=False))
            self.table.setItem(r, self.NOW, _item("" if ln.drop_ship else format_qty(ln.backorder)))
        self.location = QComboBox()
        self.drop_ship = QCheckBox(self.tr("The supplier confirmed the drop-ship lines"))
        self.tracking = QLineEdit()
        self.tracking.setPlaceholderText(self.tr("optional; the carrier booking sets it later"))
        form = QFormLayout()
        form.addRow(self.tr("From location"), self.location)
        form.addRow(self.tr("Tracking number"), self.tracking)
        form.addRow("", self.drop_ship)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Deliver"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)
        ctx.read(editor_choices, lambda c: (fill_combo(self.location, c.locations),
                                            select(self.location, detail.location_id)))

    def set_quantity(self, sku: str, qty: str) -> None:
        for r, ln in enumerate(self.lines):
            if ln.sku == sku:
                self.table.item(r, self.NOW).setText(qty)
                return
        raise KeyError(sku)

    def quantities(self) -> dict[str, int]:
        out = {}
        for r, ln in enumerate(self.lines):
            text = self.table.item(r, self.NOW).text().strip()
            if text:
                qty = parse_qty(text, f"lines[{ln.position}].qty")
                if qty:
                    out[ln.id] = qty
        if not out:
            raise ValidationError("nothing to deliver: give a quantity on at least one line", field="lines")
        return out

    def submit(self) -> None:
        try:
            lines = self.quantities()
        except UserError as exc:
            show_error(self, exc)
            return
        drop = self.drop_ship.isChecked()
        args = {"order_id": self.detail.id, "lines": [{"line_id": k, "qty": v} for k, v in lines.items()],
                "location_id": None if drop else self.location.currentData(), "drop_ship_confirmed": drop,
                "tracking_number": self.tracking.text().strip() or None}

        def done(result):
            self.delivered.emit(result["delivery_id"])
            self.accept()
        self.ctx.command("orders.deliver", args, done, on_error=lambda exc: show_error(self, exc))
