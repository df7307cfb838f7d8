"""Customer dialogs: create or edit a customer with its invoice and delivery address, and merge a duplicate."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from backoffice.errors import show_error
from backoffice.models.customers_model import (
    address,
    duplicates_of,
    form_args,
    load_form,
)
from backoffice.widgets import fill_combo, money_text, select
from core.customers.service import CustomerIn
from core.errors import UserError

FIELDS = (("name", "Name"), ("number", "Customer no."), ("contact_name", "Contact person"),
          ("personal_number", "Personal number"), ("org_number", "Organisation number"), ("email", "E-mail"),
          ("phone", "Phone"), ("vat_country", "VAT country"), ("vat_number", "VAT number"),
          ("credit_limit", "Credit limit"), ("notes", "Notes"))
ADDRESS_PARTS = (("name", "Recipient"), ("address1", "Street"), ("postal_code", "Postal code"),
                 ("city", "City"), ("country", "Country"))


class CustomerDialog(QDialog):
    """New customer (customer_id None) or edit one; validation is the customers area's."""

    saved = Signal(str)

    def __init__(self, ctx, customer_id: str | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("customerDialog")
        self.ctx, self.customer_id = ctx, customer_id
        self.setWindowTitle(self.tr("Edit customer") if customer_id else self.tr("New customer"))
        self.kind = QComboBox()
        fill_combo(self.kind, [("private", self.tr("private")), ("company", self.tr("company"))])
        self.fields = {key: QLineEdit() for key, _ in FIELDS}
        self.fields["vat_country"].setText("SE")
        self.addresses = {kind: {key: QLineEdit() for key, _ in ADDRESS_PARTS} for kind in ("invoice", "delivery")}
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        for key, label in FIELDS:
            form.addRow(self.tr(label), self.fields[key])
        boxes = QHBoxLayout()
        for kind, title in (("invoice", "Invoice address"), ("delivery", "Delivery address")):
            box = QGroupBox(self.tr(title))
            f = QFormLayout(box)
            for key, label in ADDRESS_PARTS:
                f.addRow(self.tr(label), self.addresses[kind][key])
            boxes.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(boxes)
        layout.addWidget(buttons)
        if customer_id is not None:
            ctx.read(lambda s: load_form(s, customer_id), self._loaded)

    def _loaded(self, data: CustomerIn) -> None:
        select(self.kind, data.kind)
        for key, _ in FIELDS:
            value = getattr(data, key)
            if key == "credit_limit":
                value = money_text(value)
            self.fields[key].setText("" if value is None else str(value))
        for a in data.addresses:
            for key, _ in ADDRESS_PARTS:
                self.addresses[a.kind][key].setText(getattr(a, key) or "")

    def data(self) -> CustomerIn:
        values = {key: (self.fields[key].text().strip() or None) for key, _ in FIELDS}
        values["name"] = values["name"] or ""
        values["vat_country"] = values["vat_country"] or "SE"
        found = [address(kind, **{k: w.text() for k, w in parts.items()}) for kind, parts in self.addresses.items()]
        return CustomerIn(kind=self.kind.currentData(), addresses=[a for a in found if a], **values)

    def submit(self) -> None:
        try:
            args = form_args(self.data())
        except UserError as exc:  # a field that does not parse (credit limit): say which
            show_error(self, exc)
            return
        if self.customer_id is None:
            name = "customers.create"
        else:
            name, args["customer_id"] = "customers.update", self.customer_id

        def done(result):
            self.saved.emit(result["id"])
            self.accept()
        self.ctx.command(name, args, done, on_error=lambda exc: show_error(self, exc))


class MergeDialog(QDialog):
    """Keep the chosen customer and merge a duplicate into it (its addresses move, gaps are filled)."""

    merged = Signal(str)

    def __init__(self, ctx, keep_id: str, keep_name: str, parent=None):
        super().__init__(parent)
        self.setObjectName("mergeCustomers")
        self.ctx, self.keep_id = ctx, keep_id
        self.setWindowTitle(self.tr("Merge duplicates into {name}").format(name=keep_name))
        self.list = QListWidget()
        self.list.setObjectName("duplicates")
        self.other = QLineEdit()
        self.other.setPlaceholderText(self.tr("or the other customer's number"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Merge"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Customers that share e-mail, organisation or personal number, phone or name:")))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.other)
        layout.addWidget(buttons)
        ctx.read(lambda s: duplicates_of(s, keep_id), self._show)

    def _show(self, dups) -> None:
        self.list.clear()
        for d in dups:
            item = QListWidgetItem(" · ".join(x for x in (d.number, d.name, d.email, self.tr(d.reason)) if x))
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            self.list.addItem(item)
        if dups:
            self.list.setCurrentRow(0)

    def submit(self) -> None:
        item = self.list.currentItem()
        number = self.other.text().strip()
        args = {"keep_id": self.keep_id}
        if number:
            args["drop_number"] = number
        elif item is not None:
            args["drop_id"] = item.data(Qt.ItemDataRole.UserRole)

        def done(result):
            self.merged.emit(result["id"])
            self.accept()
        self.ctx.command("customers.merge", args, done, on_error=lambda exc: show_error(self, exc))
