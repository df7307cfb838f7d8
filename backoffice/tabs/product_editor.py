"""The product editor: fields, barcodes, VAT class with per-country overrides, drop-ship, supplier, images."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import show_error
from backoffice.models.lookups import load_lookups
from backoffice.models.product_form import ProductForm, load_product, save_command
from backoffice.tabs.product_images import ImagesBox
from backoffice.widgets import EnterStaysInField, fill_combo, money_text, parse_money, select
from core.catalog.models import KINDS, PRODUCT_TYPES, UNITS
from core.catalog.products import ProductIn
from core.errors import UserError, ValidationError


class ProductEditor(EnterStaysInField, QDialog):
    """Create a product (product_id None) or edit one; `saved(id)` after the write is committed."""

    saved = Signal(int)

    def __init__(self, ctx, product_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("productEditor")
        self.ctx, self.product_id = ctx, product_id
        self.setWindowTitle(self.tr("New product") if product_id is None else self.tr("Edit product"))
        self.sku, self.name_sv, self.name_en = QLineEdit(), QLineEdit(), QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(60)
        self.unit, self.kind, self.product_type = QComboBox(), QComboBox(), QComboBox()
        fill_combo(self.unit, [(u, u) for u in UNITS])
        fill_combo(self.kind, [(k, self.tr(k)) for k in KINDS])
        fill_combo(self.product_type, [(t, self.tr(t)) for t in PRODUCT_TYPES if t != "variant"])
        self.category, self.vat_class, self.supplier = QComboBox(), QComboBox(), QComboBox()
        self.cost_price, self.weight_g = QLineEdit(), QLineEdit()
        self.active = QCheckBox(self.tr("Active (for sale)"))
        self.active.setChecked(True)
        self.drop_ship = QCheckBox(self.tr("Drop-ship: the supplier ships to the customer"))

        form = QFormLayout()
        form.addRow(self.tr("SKU"), self.sku)
        form.addRow(self.tr("Name (Swedish)"), self.name_sv)
        form.addRow(self.tr("Name (English)"), self.name_en)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Type"), self.product_type)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Unit"), self.unit)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("VAT class"), self.vat_class)
        form.addRow(self.tr("Cost price (excl. VAT)"), self.cost_price)
        form.addRow(self.tr("Weight (g)"), self.weight_g)
        form.addRow(self.tr("Supplier"), self.supplier)
        form.addRow("", self.drop_ship)
        form.addRow("", self.active)

        # barcodes
        self.barcodes = QListWidget()
        self.barcodes.setFixedHeight(70)
        self.new_barcode = QLineEdit()
        self.new_barcode.setPlaceholderText(self.tr("EAN-13, EAN-8 or UPC-A"))
        add_code, remove_code = QPushButton(self.tr("Add")), QPushButton(self.tr("Remove"))
        add_code.clicked.connect(self.add_barcode)
        self.new_barcode.returnPressed.connect(self.add_barcode)
        remove_code.clicked.connect(lambda: [self.barcodes.takeItem(self.barcodes.row(i))
                                             for i in self.barcodes.selectedItems()])
        codes = QGroupBox(self.tr("Barcodes"))
        cl = QVBoxLayout(codes)
        cl.addWidget(self.barcodes)
        row = QHBoxLayout()
        for w in (self.new_barcode, add_code, remove_code):
            row.addWidget(w)
        cl.addLayout(row)

        # VAT class per country
        self.overrides = QTableWidget(0, 2)
        self.overrides.setHorizontalHeaderLabels([self.tr("Country"), self.tr("VAT class")])
        self.overrides.setFixedHeight(90)
        self.override_country, self.override_class = QComboBox(), QComboBox()
        add_ov, remove_ov = QPushButton(self.tr("Set")), QPushButton(self.tr("Remove"))
        add_ov.clicked.connect(self.add_override)
        remove_ov.clicked.connect(lambda: self.overrides.removeRow(self.overrides.currentRow())
                                  if self.overrides.currentRow() >= 0 else None)
        ovbox = QGroupBox(self.tr("VAT class per country (when it differs)"))
        ol = QVBoxLayout(ovbox)
        ol.addWidget(self.overrides)
        row = QHBoxLayout()
        for w in (self.override_country, self.override_class, add_ov, remove_ov):
            row.addWidget(w)
        ol.addLayout(row)

        self.images = ImagesBox(ctx, self)  # saved at once, each action its own unit of work

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)  # until the lists and the product are loaded

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(codes)
        layout.addWidget(ovbox)
        layout.addWidget(self.images)
        layout.addWidget(self.buttons)
        self.fields = {"sku": self.sku, "name_sv": self.name_sv, "name_en": self.name_en,
                       "cost_price": self.cost_price, "weight_g": self.weight_g, "barcode": self.new_barcode,
                       "supplier_id": self.supplier, "category_id": self.category, "vat_class": self.vat_class,
                       "product_type": self.product_type, "kind": self.kind, "unit": self.unit,
                       "stocked": self.drop_ship}
        lang = getattr(ctx, "lang", "sv")
        ctx.read(lambda s: (load_lookups(s, lang), load_product(s, product_id) if product_id else None),
                 self._loaded)

    # --- loading -------------------------------------------------------------------------------

    def _loaded(self, result) -> None:
        lookups, form = result
        fill_combo(self.category, lookups.categories, self.tr("(none)"))
        fill_combo(self.vat_class, [(c, f"{c} — {n}") for c, n in lookups.vat_classes])
        select(self.vat_class, "standard")
        fill_combo(self.supplier, lookups.suppliers, self.tr("(none)"))
        fill_combo(self.override_country, [(c, c) for c in lookups.countries])
        fill_combo(self.override_class, [(c, c) for c, _ in lookups.vat_classes])
        if form is not None:
            self.show_form(form)
        self.images.set_product(self.product_id)
        self.save_button.setEnabled(True)

    def show_form(self, form: ProductForm) -> None:
        p = form.product
        self.sku.setText(p.sku)
        self.name_sv.setText(p.name_sv)
        self.name_en.setText(p.name_en)
        self.description.setPlainText(p.description or "")
        if p.product_type == "variant":  # a variant keeps its type; it is made by the matrix
            self.product_type.addItem(self.tr("variant"), "variant")
        for combo, value in ((self.unit, p.unit), (self.kind, p.kind), (self.product_type, p.product_type),
                             (self.category, p.category_id), (self.vat_class, p.vat_class),
                             (self.supplier, p.supplier_id)):
            select(combo, value)
        self.product_type.setEnabled(p.product_type != "variant")
        self.cost_price.setText(money_text(p.cost_price))
        self.weight_g.setText("" if p.weight_g is None else str(p.weight_g))
        self.active.setChecked(p.active)
        self.drop_ship.setChecked(p.drop_ship)
        self.parent_id = p.parent_id
        self.barcodes.clear()
        self.barcodes.addItems(p.barcodes)
        self.overrides.setRowCount(0)
        for country, vat_class in sorted(form.overrides.items()):
            self._put_override(country, vat_class)

    # --- editing -------------------------------------------------------------------------------

    def add_barcode(self) -> None:
        from core.catalog.barcodes import validate_barcode
        try:
            code = validate_barcode(self.new_barcode.text())
        except UserError as exc:
            self.refuse(exc)
            return
        if code not in self.barcode_list():
            self.barcodes.addItem(code)
        self.new_barcode.clear()

    def barcode_list(self) -> list[str]:
        return [self.barcodes.item(i).text() for i in range(self.barcodes.count())]

    def add_override(self) -> None:
        country, vat_class = self.override_country.currentData(), self.override_class.currentData()
        if country is None or vat_class is None:
            return
        for r in range(self.overrides.rowCount()):
            if self.overrides.item(r, 0).text() == country:
                self.overrides.item(r, 1).setText(vat_class)
                return
        self._put_override(country, vat_class)

    def _put_override(self, country: str, vat_class: str) -> None:
        r = self.overrides.rowCount()
        self.overrides.insertRow(r)
        self.overrides.setItem(r, 0, QTableWidgetItem(country))
        self.overrides.setItem(r, 1, QTableWidgetItem(vat_class))

    def override_map(self) -> dict[str, str]:
        return {self.overrides.item(r, 0).text(): self.overrides.item(r, 1).text()
                for r in range(self.overrides.rowCount())}

    def form(self) -> ProductForm:
        """What the fields say; raises ValidationError for text that is not a number."""
        weight = self.weight_g.text().strip()
        if weight and not weight.isdigit():
            raise ValidationError(f"{weight!r} is not a whole number of grams", field="weight_g")
        ptype = self.product_type.currentData()
        product = ProductIn(
            sku=self.sku.text(), name_sv=self.name_sv.text(), name_en=self.name_en.text(),
            description=self.description.toPlainText(), unit=self.unit.currentData(),
            kind=self.kind.currentData(), stocked=None, drop_ship=self.drop_ship.isChecked(),
            supplier_id=self.supplier.currentData(),
            cost_price=parse_money(self.cost_price.text(), "cost_price"),
            weight_g=int(weight) if weight else None, category_id=self.category.currentData(),
            vat_class=self.vat_class.currentData(), product_type=ptype,
            parent_id=getattr(self, "parent_id", None) if ptype == "variant" else None,
            active=self.active.isChecked(), barcodes=self.barcode_list())
        return ProductForm(product, self.product_id, self.override_map())

    def submit(self) -> None:
        try:
            form = self.form()
        except UserError as exc:
            self.refuse(exc)
            return
        self.save_button.setEnabled(False)

        def done(result):
            pid = result["id"]
            self.product_id = pid
            self.saved.emit(pid)
            self.accept()

        def failed(exc):
            self.save_button.setEnabled(True)
            self.refuse(exc)

        name, args = save_command(form)
        self.ctx.command(name, args, done, on_error=failed)

    def refuse(self, exc: BaseException) -> None:
        """Show the error and put the cursor in the field it names."""
        widget = self.fields.get(getattr(exc, "field", None) or "")
        if widget is not None:
            widget.setFocus()
        show_error(self, exc)
