"""The Stock value tab: value per product at weighted average cost × on hand (largest first, paged),
the total, and the value per location.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backoffice.models.valuation_model import ValuationModel, ValuationSummary, valuation_summary
from backoffice.tabs.suppliers import table_view
from backoffice.widgets import fill_combo, setup_table
from core.money import format_amount

TITLE = "Stock value"


class ValuationTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("valuationTab")
        self.ctx = ctx
        self.model = ValuationModel(ctx, parent=self)
        self.table = table_view(self.model, "valuationTable", "name")
        self.location = QComboBox()
        fill_combo(self.location, [], self.tr("All locations"))
        self.location.currentIndexChanged.connect(lambda _i: self.model.set_location(self.location.currentData()))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.reload)
        self.total = QLabel()
        self.total.setObjectName("valuationTotal")
        self.per_location = QTableWidget(0, 2)
        self.per_location.setObjectName("valuationPerLocation")
        self.per_location.setHorizontalHeaderLabels([self.tr("Location"), self.tr("Value")])
        setup_table(self.per_location, stretch=0)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Location")))
        top.addWidget(self.location, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.total, 1)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.per_location)
        split.setSizes([800, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.summary: ValuationSummary | None = None
        if hasattr(ctx, "changed"):
            ctx.changed.connect(self._changed)
        self.reload()

    def reload(self) -> None:
        self.model.reload()
        self.ctx.read(valuation_summary, self._summary)

    def _summary(self, summary: ValuationSummary) -> None:
        self.summary = summary
        fill_combo(self.location, [(v.location_id, v.location) for v in summary.locations],
                   self.tr("All locations"))
        self.total.setText(self.tr("Total stock value: {v} kr").format(v=format_amount(summary.total)))
        self.per_location.setRowCount(len(summary.locations))
        for r, v in enumerate(summary.locations):
            self.per_location.setItem(r, 0, QTableWidgetItem(v.location))
            self.per_location.setItem(r, 1, QTableWidgetItem(format_amount(v.value)))

    def _changed(self, area: str) -> None:
        if area in ("stock", "purchasing"):
            self.reload()


def make(ctx) -> QWidget:
    return ValuationTab(ctx)
