"""Reorder page of the Purchasing tab: reorder points per product and location, the suggestion per
supplier, and draft purchase orders created from the selected suggestion lines.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import show_error
from backoffice.models import reorder_model as rm
from backoffice.tabs.suppliers import selected_rows, table_view
from backoffice.widgets import fill_combo
from core.errors import UserError
from core.quantity import parse_qty

AREA = "purchasing"


class ReorderPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("reorderPage")
        self.ctx = ctx
        self.points, self.suggestions = rm.ReorderPointsModel(self), rm.SuggestionsModel(self)
        self.points_view = table_view(self.points, "reorderPoints", "name")
        self.suggestions_view = table_view(self.suggestions, "reorderSuggestions", "name", multi=True)
        self.location, self.supplier = QComboBox(), QComboBox()
        fill_combo(self.location, [], self.tr("All locations"))
        fill_combo(self.supplier, [], self.tr("All suppliers"))
        self.location.currentIndexChanged.connect(lambda _i: self.reload())
        self.supplier.currentIndexChanged.connect(lambda _i: self.reload())
        self.sku, self.point, self.up_to = QLineEdit(), QLineEdit(), QLineEdit()
        self.sku.setPlaceholderText(self.tr("Our SKU"))
        self.point.setPlaceholderText(self.tr("Reorder point"))
        self.up_to.setPlaceholderText(self.tr("Order up to"))
        self.set_button, self.remove_button = QPushButton(self.tr("Set")), QPushButton(self.tr("Remove"))
        self.set_button.clicked.connect(self.set_point)
        self.remove_button.clicked.connect(self.remove_point)
        self.create_button = QPushButton(self.tr("Create purchase orders"))
        self.create_button.clicked.connect(self.create_pos)
        self.select_all = QPushButton(self.tr("Select all"))
        self.select_all.clicked.connect(self.suggestions_view.selectAll)
        self.note = QLabel()
        self.note.setObjectName("reorderNote")
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Location")))
        filters.addWidget(self.location, 1)
        filters.addWidget(self.supplier, 1)
        entry = QHBoxLayout()
        for w in (self.sku, self.point, self.up_to, self.set_button, self.remove_button):
            entry.addWidget(w)
        actions = QHBoxLayout()
        actions.addWidget(self.select_all)
        actions.addWidget(self.create_button)
        actions.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(QLabel(self.tr("Reorder points (on hand − reserved + on order at or below the point "
                                        "is suggested, up to the order-up-to level)")))
        layout.addLayout(entry)
        layout.addWidget(self.points_view, 1)
        layout.addWidget(QLabel(self.tr("Suggestion per supplier")))
        layout.addWidget(self.suggestions_view, 2)
        layout.addLayout(actions)

    def set_lookups(self, lookups) -> None:
        fill_combo(self.location, lookups.locations, self.tr("All locations"))
        fill_combo(self.supplier, lookups.suppliers, self.tr("All suppliers"))
        self.reload()

    def reload(self) -> None:
        loc, sup = self.location.currentData(), self.supplier.currentData()
        self.points.load(self.ctx, lambda s: rm.reorder_point_rows(s, loc))
        self.suggestions.load(self.ctx, lambda s: rm.suggestion_rows(s, loc, sup))

    def set_point(self) -> None:
        loc = self.location.currentData()
        if loc is None:
            show_error(self, UserError("choose the location the reorder point is for", field="location"))
            return
        try:
            point = parse_qty(self.point.text(), "reorder_point")
            up_to = parse_qty(self.up_to.text(), "order_up_to")
        except UserError as exc:
            show_error(self, exc)
            return
        self.ctx.command("reorder.set_point", {"sku": self.sku.text().strip(), "location_id": loc,
                                               "reorder_point": point, "order_up_to": up_to},
                         on_error=lambda exc: show_error(self, exc))

    def remove_point(self) -> None:
        rows = selected_rows(self.points_view)
        if rows:
            self.ctx.command("reorder.remove_point", {"product_id": rows[0].product_id,
                                                      "location_id": rows[0].location_id},
                             on_error=lambda exc: show_error(self, exc))

    def create_pos(self) -> None:
        self.ctx.command("reorder.create_pos", rm.create_pos_args(selected_rows(self.suggestions_view)),
                         self._created, on_error=lambda exc: show_error(self, exc))

    def _created(self, result: dict) -> None:
        self.note.setText(self.tr("Draft purchase orders created: {n}").format(
            n=", ".join(str(n) for n in result["numbers"])))

    def changed(self, area: str) -> None:
        if area in (AREA, "stock", "products"):
            self.reload()
