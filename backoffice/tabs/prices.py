"""The Prices tab: a price list's prices (incl. or excl. VAT as the list says), quantity breaks,
campaigns with dates, bulk change with preview over the filtered products, and price history.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backoffice.models.lookups import Lookups, load_lookups
from backoffice.models.prices_model import ListInfo, PricesModel, list_info, price_history
from backoffice.models.products_model import ProductFilter
from backoffice.widgets import fill_combo, setup_table
from core.money import format_amount
from core.quantity import format_qty

TITLE = "Prices"
AREA = "prices"


class PricesTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("pricesTab")
        self.ctx = ctx
        self.lookups = Lookups()
        self.model = PricesModel(ctx, lang=getattr(ctx, "lang", "sv"), parent=self)
        self.price_list, self.category = QComboBox(), QComboBox()
        fill_combo(self.category, [], self.tr("All categories"))
        self.list_note = QLabel()
        self.list_note.setObjectName("listNote")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name, SKU or barcode"))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.category.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.price_list.currentIndexChanged.connect(lambda _i: self.choose_list())

        self.table = QTableView()
        self.table.setObjectName("pricesTable")
        self.table.setModel(self.model)
        setup_table(self.table, stretch=self.model.column("name"), widths={self.model.column("sku"): 150,
                                                                            self.model.column("price"): 190})
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.history = QTableWidget(0, 6)
        self.history.setObjectName("priceHistory")
        self.history.setHorizontalHeaderLabels([self.tr("When (UTC)"), self.tr("SKU"), self.tr("From qty"),
                                                self.tr("Old"), self.tr("New"), self.tr("By")])
        setup_table(self.history, stretch=1)

        self.set_button = QPushButton(self.tr("Set price…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.bulk_button = QPushButton(self.tr("Bulk change…"))
        self.set_button.clicked.connect(lambda: self.open_set(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.bulk_button.clicked.connect(self.open_bulk)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Price list")))
        top.addWidget(self.price_list, 2)
        top.addWidget(self.list_note, 2)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.category, 1)
        for b in (self.set_button, self.edit_button, self.bulk_button):
            filters.addWidget(b)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        box = QWidget()
        hl = QVBoxLayout(box)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(QLabel(self.tr("Price history (selected product, else the whole list)")))
        hl.addWidget(self.history)
        split.addWidget(box)
        split.setSizes([400, 160])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.load_history())
        self.dialog = None
        if hasattr(ctx, "changed"):
            ctx.changed.connect(self._changed)
        lang = getattr(ctx, "lang", "sv")
        ctx.read(lambda s: load_lookups(s, lang), self._lookups_loaded)

    def _lookups_loaded(self, lookups: Lookups) -> None:
        self.lookups = lookups
        fill_combo(self.category, lookups.categories, self.tr("All categories"))
        fill_combo(self.price_list, [(i, label) for i, label, _c, _v in lookups.price_lists])
        self.choose_list()

    def current_filter(self) -> ProductFilter:
        return ProductFilter(text=self.search.text(), category_id=self.category.currentData())

    def choose_list(self) -> None:
        list_id = self.price_list.currentData()
        if list_id is None:
            return
        self.ctx.read(lambda s: list_info(s, list_id), self._list_loaded)

    def _list_loaded(self, info: ListInfo) -> None:
        vat = self.tr("prices include VAT") if info.includes_vat else self.tr("prices exclude VAT")
        self.list_note.setText(f"{info.currency}, {vat}")
        self.model.set_list(info, self.current_filter())
        self.load_history()

    def apply_filter(self) -> None:
        flt = self.current_filter()
        if flt != self.model.filter:
            self.model.set_filter(flt)

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def load_history(self) -> None:
        info = self.model.info
        if info is None:
            return
        row = self.selected()
        pid = row.product_id if row is not None else None
        self.ctx.read(lambda s: price_history(s, info.id, pid), self._show_history)

    def _show_history(self, rows) -> None:
        self.history.setRowCount(len(rows))
        for r, h in enumerate(rows):
            values = (f"{h.changed_at:%Y-%m-%d %H:%M}", h.sku, format_qty(h.min_qty) + (" ★" if h.campaign else ""),
                      "" if h.old_price is None else format_amount(h.old_price), format_amount(h.new_price),
                      h.changed_by or "")
            for c, v in enumerate(values):
                self.history.setItem(r, c, QTableWidgetItem(v))

    def _changed(self, area: str) -> None:
        if area in (AREA, "products") and self.model.info is not None:
            self.model.reload()
            self.load_history()

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def open_set(self, row) -> None:
        from backoffice.tabs.price_dialogs import SetPriceDialog
        if self.model.info is not None:
            self._open(SetPriceDialog(self.ctx, self.model.info, row, self))

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_set(row)

    def open_bulk(self) -> None:
        from backoffice.tabs.price_dialogs import BulkChangeDialog
        if self.model.info is not None:
            self._open(BulkChangeDialog(self.ctx, self.model.info, self.current_filter(), self))


def make(ctx) -> QWidget:
    return PricesTab(ctx)
