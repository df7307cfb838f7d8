"""Suppliers page of the Purchasing tab: the list, a form to create or change one (terms, currency,
lead time, address, our customer number), and their article numbers and prices per product.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import show_error
from backoffice.models import suppliers_model as sm
from backoffice.widgets import parse_money, setup_table
from core.errors import UserError
from core.quantity import parse_qty

AREA = "purchasing"


def table_view(model, name: str, stretch: str, multi: bool = False) -> QTableView:
    from PySide6.QtWidgets import QAbstractItemView

    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    setup_table(view, stretch=model.column(stretch))
    if multi:
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    return view


def selected_rows(view: QTableView) -> list:
    model = view.model()
    return [model.row_at(i.row()) for i in sorted(view.selectionModel().selectedRows(), key=lambda i: i.row())]


class SupplierDialog(QDialog):
    """Create (supplier_id None) or change a supplier; the fields are checked by the purchasing rules."""

    saved = Signal(int)

    def __init__(self, ctx, supplier_id: int | None, parent=None):
        super().__init__(parent)
        self.setObjectName("supplierDialog")
        self.ctx, self.supplier_id = ctx, supplier_id
        self.setWindowTitle(self.tr("New supplier") if supplier_id is None else self.tr("Edit supplier"))
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        for key, label in sm.FORM_FIELDS:
            self.fields[key] = QLineEdit()
            form.addRow(self.tr(label), self.fields[key])
        self.active = QCheckBox(self.tr("Active"))
        self.active.setChecked(True)
        form.addRow("", self.active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        ctx.read(lambda s: sm.supplier_form(s, supplier_id), self._loaded)

    def _loaded(self, texts: dict[str, str]) -> None:
        for key, value in texts.items():
            self.fields[key].setText(value)

    def submit(self) -> None:
        try:
            name, args = sm.supplier_command(self.supplier_id, {k: w.text() for k, w in self.fields.items()},
                                             self.active.isChecked())
        except UserError as exc:
            show_error(self, exc)
            return

        def done(result):
            self.saved.emit(result["id"])
            self.accept()
        self.ctx.command(name, args, done, on_error=lambda exc: show_error(self, exc))


class SuppliersPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("suppliersPage")
        self.ctx = ctx
        self.model, self.articles = sm.SuppliersModel(self), sm.ArticlesModel(self)
        self.table = table_view(self.model, "suppliersTable", "name")
        self.article_table = table_view(self.articles, "articlesTable", "name")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_articles())
        self.model.loaded.connect(self._loaded)
        self.new_button, self.edit_button = QPushButton(self.tr("New supplier…")), QPushButton(self.tr("Edit…"))
        self.new_button.clicked.connect(lambda: self.open_form(None))
        self.edit_button.clicked.connect(self.edit)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.sku, self.supplier_sku, self.price, self.pack = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.sku.setPlaceholderText(self.tr("Our SKU"))
        self.supplier_sku.setPlaceholderText(self.tr("Supplier's article no."))
        self.price.setPlaceholderText(self.tr("Purchase price excl. VAT"))
        self.pack.setPlaceholderText(self.tr("Pack size"))
        self.pack.setText("1")
        self.preferred = QCheckBox(self.tr("Preferred"))
        self.preferred.setChecked(True)
        self.set_button, self.remove_button = QPushButton(self.tr("Set")), QPushButton(self.tr("Remove"))
        self.set_button.clicked.connect(self.set_article)
        self.remove_button.clicked.connect(self.remove_article)
        self.article_table.clicked.connect(self._article_picked)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addStretch(1)
        entry = QHBoxLayout()
        for w in (self.sku, self.supplier_sku, self.price, self.pack, self.preferred, self.set_button,
                  self.remove_button):
            entry.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 2)
        self.articles_title = QLabel(self.tr("Their article numbers and prices"))
        layout.addWidget(self.articles_title)
        layout.addLayout(entry)
        layout.addWidget(self.article_table, 2)
        self.dialog = None
        self.reload()

    def reload(self) -> None:
        self.model.load(self.ctx, sm.supplier_rows)

    def _loaded(self, n: int) -> None:
        if n and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.show_articles()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows and rows[0].row() < len(self.model.rows) else None

    def show_articles(self) -> None:
        sup = self.selected()
        if sup is None:
            self.articles.set_rows([])
            return
        self.articles.load(self.ctx, lambda s: sm.article_rows(s, sup.id))

    def select_supplier(self, supplier_id: int) -> None:
        ids = [r.id for r in self.model.rows]
        if supplier_id in ids:
            self.table.selectRow(ids.index(supplier_id))

    def open_form(self, supplier_id: int | None) -> None:
        self.dialog = SupplierDialog(self.ctx, supplier_id, self)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.show()

    def edit(self) -> None:
        sup = self.selected()
        if sup is not None:
            self.open_form(sup.id)

    def _article_picked(self, index) -> None:
        a = self.articles.row_at(index.row())
        from core.money import format_amount
        from core.quantity import format_qty
        self.sku.setText(a.sku)
        self.supplier_sku.setText(a.supplier_sku)
        self.price.setText(format_amount(a.price, thousands_sep=""))
        self.pack.setText(format_qty(a.pack_qty))
        self.preferred.setChecked(a.preferred)

    def set_article(self) -> None:
        sup = self.selected()
        if sup is None:
            return
        try:
            price = parse_money(self.price.text(), "price", required=True)
            pack = parse_qty(self.pack.text() or "1", "pack_qty")
        except UserError as exc:
            show_error(self, exc)
            return
        args = {"supplier_id": sup.id, "sku": self.sku.text().strip(), "supplier_sku": self.supplier_sku.text(),
                "price": price, "pack_qty": pack, "preferred": self.preferred.isChecked()}
        self.ctx.command("suppliers.set_article", args, lambda _r: self._article_saved(),
                         on_error=lambda exc: show_error(self, exc))

    def _article_saved(self) -> None:
        for w in (self.sku, self.supplier_sku, self.price):
            w.clear()

    def remove_article(self) -> None:
        sup, rows = self.selected(), self.article_table.selectionModel().selectedRows()
        if sup is None or not rows:
            return
        pid = self.articles.row_at(rows[0].row()).product_id
        self.ctx.command("suppliers.remove_article", {"supplier_id": sup.id, "product_id": pid},
                         on_error=lambda exc: show_error(self, exc))

    def changed(self, area: str) -> None:
        if area in (AREA, "products"):
            current = self.selected()
            self.model.load(self.ctx, sm.supplier_rows)
            if current is not None:
                self.ctx.read(lambda s: None, lambda _r: self.select_supplier(current.id))
