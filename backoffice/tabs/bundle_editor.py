"""SET article editor: components with quantities, their stock, and the computed availability."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from backoffice.errors import show_error
from backoffice.models.bundle_form import (
    BundleView,
    ComponentRow,
    bundle_args,
    component_by_sku,
    load_bundle,
)
from backoffice.widgets import EnterStaysInField
from core.errors import UserError
from core.quantity import format_qty, parse_qty

HEAD = ("SKU", "Name", "Qty per set", "Available")


class BundleEditor(EnterStaysInField, QDialog):
    """Edit one SET article's components; availability is recomputed from the saved components."""

    def __init__(self, ctx, bundle_id: int, title: str = "", parent=None):
        super().__init__(parent)
        self.setObjectName("bundleEditor")
        self.ctx, self.bundle_id = ctx, bundle_id
        self.lang = getattr(ctx, "lang", "sv")
        self.setWindowTitle(self.tr("Components of {name}").format(name=title))
        self.table = QTableWidget(0, len(HEAD))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEAD])
        self.ids: list[int] = []
        self.availability = QLabel()
        self.availability.setObjectName("bundleAvailability")
        self.sku, self.qty = QLineEdit(), QLineEdit("1")
        self.sku.setPlaceholderText(self.tr("component SKU"))
        add, remove = QPushButton(self.tr("Add")), QPushButton(self.tr("Remove"))
        add.clicked.connect(self.add_component)
        self.sku.returnPressed.connect(self.add_component)
        remove.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        for w in (self.sku, self.qty, add, remove):
            row.addWidget(w)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.availability)
        layout.addWidget(self.buttons)
        self.resize(640, 420)
        self.reload()

    def show_view(self, view: BundleView) -> None:
        self.table.setRowCount(0)
        self.ids = []
        for c in view.components:
            self._put(c)
        parts = []
        for label, sets in view.availability:
            label = self.tr("all locations") if label == "*" else label
            parts.append(f"{label}: {self.tr('not limited') if sets is None else format_qty(sets)}")
        self.availability.setText(self.tr("Sets available — ") + "; ".join(parts))

    def _put(self, c: ComponentRow) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.ids.append(c.id)
        for col, value in enumerate((c.sku, c.name, format_qty(c.qty),
                                     "" if c.available is None else format_qty(c.available))):
            self.table.setItem(r, col, QTableWidgetItem(value))

    def parts(self) -> list[tuple[int, int]]:
        return [(pid, parse_qty(self.table.item(r, 2).text(), "qty")) for r, pid in enumerate(self.ids)]

    def add_component(self) -> None:
        sku, qty_text = self.sku.text().strip(), self.qty.text()
        try:
            qty = parse_qty(qty_text, "qty")
        except UserError as exc:
            show_error(self, exc)
            return

        def found(c: ComponentRow):
            c.qty = qty
            self._put(c)
            self.sku.clear()
        self.ctx.read(lambda s: component_by_sku(s, sku, self.lang), found,
                      on_error=lambda exc: show_error(self, exc))

    def remove_selected(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            del self.ids[r]

    def submit(self) -> None:
        try:
            parts = self.parts()
        except UserError as exc:
            show_error(self, exc)
            return
        self.ctx.command("bundles.set_components", bundle_args(self.bundle_id, parts), self.reload,
                         on_error=lambda exc: show_error(self, exc))

    def reload(self, _result=None) -> None:
        """Show the saved components and the availability computed from them."""
        bundle_id, lang = self.bundle_id, self.lang
        self.ctx.read(lambda s: load_bundle(s, bundle_id, lang), self.show_view)
