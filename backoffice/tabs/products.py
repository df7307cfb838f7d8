"""The Products tab: search and filters over the catalogue, editor, variant matrix, SET components, CSV."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backoffice.models.lookups import Lookups, load_lookups
from backoffice.models.products_model import ProductFilter, ProductsModel
from backoffice.widgets import fill_combo, setup_table

TITLE = "Products"
AREA = "products"


class ProductsTab(QWidget):
    """A small view over `ProductsModel`; dialogs do the editing, the model reloads on 'products'."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("productsTab")
        self.ctx = ctx
        self.lookups = Lookups()
        self.model = ProductsModel(ctx, lang=getattr(ctx, "lang", "sv"), parent=self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name, SKU or barcode"))
        self.search.setClearButtonEnabled(True)
        self.category, self.product_type, self.active = QComboBox(), QComboBox(), QComboBox()
        fill_combo(self.category, [], self.tr("All categories"))
        fill_combo(self.product_type, [(t, self.tr(n)) for t, n in ProductsModel.TYPE_NAMES.items()],
                   self.tr("All types"))
        fill_combo(self.active, [(True, self.tr("Active")), (False, self.tr("Inactive"))], self.tr("Active and inactive"))
        self.active.setCurrentIndex(1)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.category, self.product_type, self.active):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())

        self.table = QTableView()
        self.table.setObjectName("productsTable")
        self.table.setModel(self.model)
        setup_table(self.table, stretch=self.model.column("name"),
                    widths={self.model.column("sku"): 150, self.model.column("category"): 140})
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.model.loaded.connect(self._loaded)
        self.count = QLabel()

        self.new_button = QPushButton(self.tr("New product…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.matrix_button = QPushButton(self.tr("New variant matrix…"))
        self.variants_button = QPushButton(self.tr("Variants…"))
        self.components_button = QPushButton(self.tr("SET components…"))
        self.import_button = QPushButton(self.tr("Import CSV…"))
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.new_button.clicked.connect(self.new_product)
        self.edit_button.clicked.connect(self.edit_selected)
        self.matrix_button.clicked.connect(self.new_matrix)
        self.variants_button.clicked.connect(self.open_variants)
        self.components_button.clicked.connect(self.open_components)
        self.import_button.clicked.connect(self.open_import)
        self.export_button.clicked.connect(self.open_export)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for w in (self.category, self.product_type, self.active):
            filters.addWidget(w, 1)
        actions = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.matrix_button, self.variants_button,
                  self.components_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self._enable()
        self.dialog = None
        if hasattr(ctx, "changed"):
            ctx.changed.connect(self._changed)
        lang = getattr(ctx, "lang", "sv")
        ctx.read(lambda s: load_lookups(s, lang), self._lookups_loaded)
        self.model.set_filter(self.current_filter())

    # --- filter and paging ---------------------------------------------------------------------

    def current_filter(self) -> ProductFilter:
        return ProductFilter(text=self.search.text(), category_id=self.category.currentData(),
                             product_type=self.product_type.currentData(), active=self.active.currentData())

    def apply_filter(self) -> None:
        flt = self.current_filter()
        if flt != self.model.filter:
            self.model.set_filter(flt)

    def _lookups_loaded(self, lookups: Lookups) -> None:
        self.lookups = lookups
        fill_combo(self.category, lookups.categories, self.tr("All categories"))

    def _loaded(self, n: int) -> None:
        more = "" if self.model.exhausted else self.tr(" (scroll for more)")
        self.count.setText(self.tr("{n} products shown").format(n=n) + more)
        if n and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._enable()

    def _changed(self, area: str) -> None:
        if area in (AREA, "prices", "stock"):
            self.model.reload()

    # --- selection and actions -----------------------------------------------------------------

    def selected(self):
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _enable(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.variants_button.setEnabled(row is not None and row.product_type == "variant_parent")
        self.components_button.setEnabled(row is not None and row.product_type == "bundle")

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def new_product(self) -> None:
        from backoffice.tabs.product_editor import ProductEditor
        self._open(ProductEditor(self.ctx, None, self))

    def edit_selected(self) -> None:
        from backoffice.tabs.product_editor import ProductEditor
        row = self.selected()
        if row is not None:
            self._open(ProductEditor(self.ctx, row.id, self))

    def new_matrix(self) -> None:
        from backoffice.tabs.variant_matrix import VariantMatrixDialog
        dialog = VariantMatrixDialog(self.ctx, self)
        dialog.created.connect(lambda m: self.open_variants(m["parent_id"]))
        self._open(dialog)

    def default_price_list(self) -> int | None:
        return self.lookups.price_lists[0][0] if self.lookups.price_lists else None

    def open_variants(self, parent_id: int | None = None) -> None:
        from backoffice.tabs.variant_matrix import VariantGridDialog
        row = self.selected()
        if parent_id is None:
            if row is None or row.product_type != "variant_parent":
                return
            parent_id = row.id
        title = row.name if row is not None and row.id == parent_id else ""
        self._open(VariantGridDialog(self.ctx, parent_id, self.default_price_list(), title, self))

    def open_components(self) -> None:
        from backoffice.tabs.bundle_editor import BundleEditor
        row = self.selected()
        if row is not None and row.product_type == "bundle":
            self._open(BundleEditor(self.ctx, row.id, row.name, self))

    def open_import(self) -> None:
        from backoffice.tabs.csv_io import ImportDialog
        self._open(ImportDialog(self.ctx, self))

    def open_export(self) -> None:
        from backoffice.tabs.csv_io import ExportDialog
        self._open(ExportDialog(self.ctx, self.lookups.price_lists, self))


def make(ctx) -> QWidget:
    return ProductsTab(ctx)
