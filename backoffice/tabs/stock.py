"""The Stock tab: levels per product and location, a product's movements with their source
documents, and the queue of negative-stock exceptions (from offline sales) to resolve.
"""

from __future__ import annotations

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
from backoffice.models.lookups import Lookups, load_lookups
from backoffice.models.stock_model import (
    EXCEPTIONS_SHOWN,
    LevelsModel,
    MovementsModel,
    StockFilter,
    exception_rows,
)
from backoffice.widgets import fill_combo, setup_table
from core.errors import ButikError
from core.quantity import format_qty

TITLE = "Stock"
AREA = "stock"


def _table(model, name: str, stretch: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    setup_table(view, stretch=model.column(stretch), widths={0: 150})
    return view


class StockTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("stockTab")
        self.ctx = ctx
        lang = getattr(ctx, "lang", "sv")
        self.levels = LevelsModel(ctx, lang=lang, parent=self)
        self.movements = MovementsModel(ctx, parent=self)
        self.location, self.category = QComboBox(), QComboBox()
        fill_combo(self.location, [], self.tr("All locations"))
        fill_combo(self.category, [], self.tr("All categories"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name, SKU or barcode"))
        self.search.setClearButtonEnabled(True)
        self.negative = QCheckBox(self.tr("Only below zero"))
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.location.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.category.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.negative.toggled.connect(lambda _c: self.apply_filter())
        self.value_button = QPushButton(self.tr("Stock value"))
        self.value_button.clicked.connect(self.show_value)
        self.value = QLabel()
        self.value.setObjectName("stockValue")

        self.movements_title = QLabel(self.tr("Movements"))
        self.levels_view = _table(self.levels, "levelsTable", "name")
        self.movements_view = _table(self.movements, "movementsTable", "source")
        self.levels_view.selectionModel().selectionChanged.connect(lambda *_: self.show_movements())
        self.levels.loaded.connect(self._levels_loaded)
        self.movements.failed.connect(self.movements_title.setText)
        self.count = QLabel()

        self.exceptions = QTableWidget(0, 6)
        self.exceptions.setObjectName("exceptionsTable")
        self.exceptions.setHorizontalHeaderLabels([self.tr("When (UTC)"), self.tr("SKU"), self.tr("Location"),
                                                   self.tr("On hand after"), self.tr("Source document"), "#"])
        setup_table(self.exceptions, stretch=4)
        self.exception_rows = []
        self.exceptions_note = QLabel()
        self.exceptions_note.setObjectName("exceptionsNote")
        self.exceptions_note.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("What was done (counted, adjusted, …)"))
        self.resolve_button = QPushButton(self.tr("Mark resolved"))
        self.resolve_button.clicked.connect(self.resolve_selected)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.location, 1)
        filters.addWidget(self.category, 1)
        filters.addWidget(self.negative)
        filters.addWidget(self.value_button)
        filters.addWidget(self.value)
        levels_box = QWidget()
        lb = QVBoxLayout(levels_box)
        lb.setContentsMargins(0, 0, 0, 0)
        lb.addLayout(filters)
        lb.addWidget(self.levels_view, 1)
        lb.addWidget(self.count)
        moves_box = QWidget()
        mb = QVBoxLayout(moves_box)
        mb.setContentsMargins(0, 0, 0, 0)
        mb.addWidget(self.movements_title)
        mb.addWidget(self.movements_view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(levels_box)
        split.addWidget(moves_box)
        split.setSizes([420, 200])
        exc_box = QWidget()
        eb = QVBoxLayout(exc_box)
        eb.addWidget(QLabel(self.tr("Sales that drove stock below zero; count or adjust, then mark resolved.")))
        eb.addWidget(self.exceptions, 1)
        eb.addWidget(self.exceptions_note)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.resolve_button)
        eb.addLayout(row)
        self.pages = QTabWidget()
        self.pages.addTab(split, self.tr("Levels and movements"))
        self.pages.addTab(exc_box, self.tr("Exceptions"))
        from backoffice.tabs.stock_ops import CountsPage, TransfersPage
        self.transfers, self.counts = TransfersPage(ctx), CountsPage(ctx)
        self.pages.addTab(self.transfers, self.tr("Transfers"))
        self.pages.addTab(self.counts, self.tr("Counts"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        if hasattr(ctx, "changed"):
            ctx.changed.connect(self._changed)
        ctx.read(lambda s: load_lookups(s, lang), self._lookups_loaded)
        self.levels.set_filter(self.current_filter())
        self.load_exceptions()
        self.transfers.reload()
        self.counts.reload()

    def _lookups_loaded(self, lookups: Lookups) -> None:
        fill_combo(self.location, lookups.locations, self.tr("All locations"))
        fill_combo(self.category, lookups.categories, self.tr("All categories"))
        self.transfers.set_locations(lookups.locations)
        self.counts.set_lookups(lookups)

    def current_filter(self) -> StockFilter:
        return StockFilter(text=self.search.text(), category_id=self.category.currentData(),
                           location_id=self.location.currentData(), negative_only=self.negative.isChecked())

    def apply_filter(self) -> None:
        flt = self.current_filter()
        if flt != self.levels.filter:
            self.levels.set_filter(flt)

    def _levels_loaded(self, n: int) -> None:
        more = "" if self.levels.exhausted else self.tr(" (scroll for more)")
        self.count.setText(self.tr("{n} stock rows shown").format(n=n) + more)
        if n and not self.levels_view.selectionModel().hasSelection():
            self.levels_view.selectRow(0)

    def selected_level(self):
        rows = self.levels_view.selectionModel().selectedRows()
        return self.levels.row_at(rows[0].row()) if rows else None

    def show_movements(self) -> None:
        row = self.selected_level()
        if row is None:
            self.movements.show_product(None)
            return
        self.movements_title.setText(self.tr("Movements of {sku} at {loc}").format(sku=row.sku, loc=row.location))
        self.movements.show_product(row.product_id, row.location_id)

    def load_exceptions(self) -> None:
        """The open exceptions, from the server (a replica holds no stock_exception rows)."""
        self.ctx.command("stock.exceptions", {"location_id": self.location.currentData(),
                                              "limit": EXCEPTIONS_SHOWN},
                         self._show_exceptions, on_error=self._exceptions_failed)

    def _exceptions_failed(self, exc: BaseException) -> None:
        self.pages.setTabText(1, self.tr("Exceptions ({n})").format(n="?"))
        if isinstance(exc, ButikError):  # e.g. the server is out of reach: say so here, no dialog
            self.exceptions_note.setText(str(exc))
        else:
            show_error(self, exc)

    def _show_exceptions(self, items) -> None:
        self.exceptions_note.clear()
        rows = exception_rows(items)
        self.exception_rows = rows
        self.exceptions.setRowCount(len(rows))
        for r, e in enumerate(rows):
            for c, v in enumerate((f"{e.created_at:%Y-%m-%d %H:%M}", e.sku, e.location, format_qty(e.on_hand_after),
                                   e.source, str(e.id))):
                self.exceptions.setItem(r, c, QTableWidgetItem(v))
        shown = f"{len(rows)}+" if len(rows) >= EXCEPTIONS_SHOWN else str(len(rows))
        self.pages.setTabText(1, self.tr("Exceptions ({n})").format(n=shown))

    def resolve_selected(self) -> None:
        r = self.exceptions.currentRow()
        if r < 0 or r >= len(self.exception_rows):
            return
        args = {"exception_id": self.exception_rows[r].id, "note": self.note.text().strip() or None}
        self.ctx.command("stock.resolve_exception", args, lambda _r: self.note.clear(),
                         on_error=lambda exc: show_error(self, exc))

    def show_value(self) -> None:
        """Value at weighted average cost of the chosen location (or all): one aggregate, off the GUI thread."""
        from backoffice.models.stock_ops_model import stock_value
        from core.money import format_amount
        loc = self.location.currentData()
        self.value.setText("…")
        self.ctx.read(lambda s: stock_value(s, loc), lambda v: self.value.setText(f"{format_amount(v)} kr"))

    def _changed(self, area: str) -> None:
        if area == "counts":  # a count was created or entered: stock itself has not moved
            self.counts.reload()
        elif area in (AREA, "products", "purchasing"):  # receipts move stock and what is on order
            self.levels.reload()
            self.load_exceptions()
            self.transfers.reload()
            self.counts.reload()


def make(ctx) -> QWidget:
    return StockTab(ctx)
