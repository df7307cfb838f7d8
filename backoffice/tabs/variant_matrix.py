"""Variant matrix dialogs: create a whole colour × size matrix from a template in one step, and
the per-variant grid (SKU, EAN, price, stock) with a stock table of rows × columns for two axes.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from backoffice.errors import show_error
from backoffice.models.lookups import load_lookups
from backoffice.models.variants_model import (
    VariantRowsModel,
    load_variant_rows,
    matrix_args,
    parse_values,
)
from backoffice.widgets import fill_combo, parse_money, select
from core.catalog.editor import MatrixSpec
from core.catalog.variants import value_code
from core.errors import UserError
from core.quantity import format_qty

AXES = 3


class VariantMatrixDialog(QDialog):
    """A template: parent SKU, names, up to three attributes with their values, shared fields, a price."""

    created = Signal(object)  # the command's answer: {"parent_id", "variants": [{"codes", "product_id"}]}

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("variantMatrix")
        self.ctx = ctx
        self.setWindowTitle(self.tr("New variant matrix"))
        self.parent_sku, self.name_sv, self.name_en = QLineEdit(), QLineEdit(), QLineEdit()
        self.attr_names = [QLineEdit() for _ in range(AXES)]
        self.attr_values = [QLineEdit() for _ in range(AXES)]
        for i, (n, v) in enumerate(zip(self.attr_names, self.attr_values)):
            n.setPlaceholderText([self.tr("e.g. Colour"), self.tr("e.g. Size"), ""][i])
            v.setPlaceholderText([self.tr("Red, Blue, Black"), self.tr("S, M, L, XL"), ""][i])
            n.textChanged.connect(self.update_preview)
            v.textChanged.connect(self.update_preview)
        self.parent_sku.textChanged.connect(self.update_preview)
        self.category, self.vat_class, self.supplier, self.price_list = (QComboBox() for _ in range(4))
        self.cost_price, self.price = QLineEdit(), QLineEdit()
        self.preview = QLabel()
        self.preview.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Parent SKU"), self.parent_sku)
        form.addRow(self.tr("Name (Swedish)"), self.name_sv)
        form.addRow(self.tr("Name (English)"), self.name_en)
        axes = QGroupBox(self.tr("Attributes and values (comma separated; Value=CODE sets the SKU code)"))
        al = QFormLayout(axes)
        for n, v in zip(self.attr_names, self.attr_values):
            al.addRow(n, v)
        shared = QFormLayout()
        shared.addRow(self.tr("Category"), self.category)
        shared.addRow(self.tr("VAT class"), self.vat_class)
        shared.addRow(self.tr("Supplier"), self.supplier)
        shared.addRow(self.tr("Cost price (excl. VAT)"), self.cost_price)
        shared.addRow(self.tr("Price for every variant"), self.price)
        shared.addRow(self.tr("in price list"), self.price_list)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText(self.tr("Create matrix"))
        self.create_button.setEnabled(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(axes)
        layout.addLayout(shared)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        self.fields = {"sku": self.parent_sku, "name_sv": self.name_sv, "attributes": self.attr_values[0],
                       "price": self.price, "cost_price": self.cost_price}
        lang = getattr(ctx, "lang", "sv")
        ctx.read(lambda s: load_lookups(s, lang), self._loaded)

    def _loaded(self, lookups) -> None:
        fill_combo(self.category, lookups.categories, self.tr("(none)"))
        fill_combo(self.vat_class, [(c, f"{c} — {n}") for c, n in lookups.vat_classes])
        select(self.vat_class, "standard")
        fill_combo(self.supplier, lookups.suppliers, self.tr("(none)"))
        fill_combo(self.price_list, [(i, f"{label} ({cur}, {self.tr('incl. VAT') if incl else self.tr('excl. VAT')})")
                                     for i, label, cur, incl in lookups.price_lists])
        self.create_button.setEnabled(True)

    def attributes(self) -> list[tuple[str, list]]:
        return [(n.text().strip(), parse_values(v.text())) for n, v in zip(self.attr_names, self.attr_values)
                if n.text().strip() or v.text().strip()]

    def skus(self) -> list[str]:
        """The variant SKUs the template would make (as far as the text can tell)."""
        attrs = self.attributes()
        if not attrs or not all(values for _n, values in attrs):
            return []
        codes = [[v[1] if isinstance(v, tuple) else value_code(v) for v in values] for _n, values in attrs]
        return ["-".join([self.parent_sku.text().strip(), *combo]) for combo in itertools.product(*codes)]

    def update_preview(self) -> None:
        skus = self.skus()
        if not skus:
            self.preview.setText(self.tr("Give at least one attribute with values."))
            return
        shown = ", ".join(skus[:6]) + (" …" if len(skus) > 6 else "")
        self.preview.setText(self.tr("Will create {n} variants: {skus}").format(n=len(skus), skus=shown))

    def spec(self) -> MatrixSpec:
        return MatrixSpec(
            parent_sku=self.parent_sku.text(), name_sv=self.name_sv.text(), name_en=self.name_en.text(),
            attributes=self.attributes(), category_id=self.category.currentData(),
            vat_class=self.vat_class.currentData() or "standard", supplier_id=self.supplier.currentData(),
            cost_price=parse_money(self.cost_price.text(), "cost_price"),
            price=parse_money(self.price.text(), "price"), price_list_id=self.price_list.currentData())

    def submit(self) -> None:
        try:
            spec = self.spec()
        except UserError as exc:
            self.refuse(exc)
            return
        self.create_button.setEnabled(False)

        def done(matrix):
            self.matrix = matrix
            self.created.emit(matrix)
            self.accept()

        def failed(exc):
            self.create_button.setEnabled(True)
            self.refuse(exc)

        self.ctx.command("variants.create_matrix", matrix_args(spec), done, on_error=failed)

    def refuse(self, exc) -> None:
        widget = self.fields.get(getattr(exc, "field", None) or "")
        if widget is not None:
            widget.setFocus()
        show_error(self, exc)


class VariantGridDialog(QDialog):
    """A variant parent's variants: editable EAN and price per variant, and stock as rows × columns."""

    def __init__(self, ctx, parent_id: int, price_list_id: int | None, title: str = "", parent=None):
        super().__init__(parent)
        self.setObjectName("variantGrid")
        self.ctx, self.parent_id, self.price_list_id = ctx, parent_id, price_list_id
        self.setWindowTitle(self.tr("Variants of {name}").format(name=title))
        self.model = VariantRowsModel(ctx, price_list_id, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.stock = QTableWidget()
        self.stock.setObjectName("stockGrid")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Edit EAN and price in place; stock is available over all locations.")))
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel(self.tr("Stock")))
        layout.addWidget(self.stock, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(760, 520)
        self.reload()

    def reload(self) -> None:
        self.ctx.read(lambda s: load_variant_rows(s, self.parent_id, self.price_list_id), self._loaded)

    def _loaded(self, result) -> None:
        axes, rows = result
        self.model.set_rows(axes, rows)
        self.table.resizeColumnsToContents()
        self._fill_stock(axes, rows)

    def _fill_stock(self, axes, rows) -> None:
        """Two axes: first axis down, second across; one axis: a single column."""
        def row_key(r):  # a third axis goes down with the first
            return " ".join([r.values[0], *r.values[2:]])
        down = list(dict.fromkeys(row_key(r) for r in rows)) if axes else []
        across = list(dict.fromkeys(r.values[1] for r in rows)) if len(axes) > 1 else [self.tr("Available")]
        self.stock.clear()
        self.stock.setRowCount(len(down))
        self.stock.setColumnCount(len(across))
        self.stock.setVerticalHeaderLabels(down)
        self.stock.setHorizontalHeaderLabels(across)
        for r in rows:
            i = down.index(row_key(r))
            j = across.index(r.values[1]) if len(axes) > 1 else 0
            self.stock.setItem(i, j, QTableWidgetItem(format_qty(r.available)))
