"""The order's details dialog: name, e-mail, reference, addresses, payment terms and note (orders.set_details).

Pre-filled from this machine's copy; only what was changed is sent. The command refuses a new
delivery country (it decided the VAT of every line) and the dialog shows its message.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from backoffice.errors import show_error
from backoffice.models.order_detail import OrderDetail
from backoffice.models.order_form import ADDRESS_FIELDS, DetailsForm, details_args
from core.errors import UserError

ADDRESS_LABELS = {"name": "Name", "address1": "Address", "address2": "Address line 2",
                  "postal_code": "Postal code", "city": "City", "country": "Country"}


class DetailsDialog(QDialog):
    """Change an order's customer details; `saved` carries the order's number."""

    saved = Signal(int)

    def __init__(self, ctx, detail: OrderDetail, parent=None):
        super().__init__(parent)
        self.setObjectName("orderDetails")
        self.ctx, self.detail = ctx, detail
        self.setWindowTitle(self.tr("Details of order {n}").format(n=detail.number))
        self.customer_name = QLineEdit(detail.customer_name)
        self.customer_email = QLineEdit(detail.customer_email or "")
        self.reference = QLineEdit(detail.customer_reference or "")
        self.terms = QLineEdit(str(detail.payment_terms_days))
        self.note = QLineEdit(detail.note or "")
        form = QFormLayout()
        for label, widget in (("Customer name", self.customer_name), ("E-mail", self.customer_email),
                              ("Your reference", self.reference), ("Payment terms (days)", self.terms),
                              ("Note", self.note)):
            form.addRow(self.tr(label), widget)
        self.invoice_address = self._address_fields(detail.invoice_address)
        self.delivery_address = self._address_fields(detail.delivery_address)
        addresses = QHBoxLayout()
        addresses.addWidget(self._address_box(self.tr("Invoice address"), self.invoice_address))
        addresses.addWidget(self._address_box(self.tr("Delivery address"), self.delivery_address))
        hint = QLabel(self.tr("The delivery country cannot change: it decided the VAT of the order."))
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(addresses)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    @staticmethod
    def _address_fields(address: dict | None) -> dict[str, QLineEdit]:
        return {key: QLineEdit(str((address or {}).get(key) or "")) for key in ADDRESS_FIELDS}

    def _address_box(self, title: str, fields: dict[str, QLineEdit]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for key, edit in fields.items():
            form.addRow(self.tr(ADDRESS_LABELS[key]), edit)
        return box

    def form(self) -> DetailsForm:
        return DetailsForm(
            customer_name=self.customer_name.text(), customer_email=self.customer_email.text(),
            customer_reference=self.reference.text(), payment_terms_days=self.terms.text(),
            note=self.note.text(),
            invoice_address={k: e.text() for k, e in self.invoice_address.items()},
            delivery_address={k: e.text() for k, e in self.delivery_address.items()})

    def submit(self) -> None:
        try:
            args = details_args(self.detail, self.form())
        except UserError as exc:
            show_error(self, exc)
            return
        if set(args) == {"order_id"}:  # nothing changed
            self.accept()
            return

        def done(result):
            self.saved.emit(result["number"])
            self.accept()
        self.ctx.command("orders.set_details", args, done, on_error=lambda exc: show_error(self, exc))
