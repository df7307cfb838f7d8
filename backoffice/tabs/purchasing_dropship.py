"""Drop-ship page of the Purchasing tab: open drop-ship POs with their customer order; the supplier's
shipment confirmed by hand (with tracking) or from their file, delivering the customer lines.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import show_error
from backoffice.models import dropship_model as dm
from backoffice.tabs.suppliers import selected_rows, table_view
from core.errors import UserError

AREA = "purchasing"


class DropShipPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("dropShipPage")
        self.ctx = ctx
        self.model = dm.DropShipModel(self)
        self.table = table_view(self.model, "dropShipTable", "ship_to")
        self.tracking = QLineEdit()
        self.tracking.setPlaceholderText(self.tr("Tracking number (optional)"))
        self.confirm_button = QPushButton(self.tr("Confirm shipment"))
        self.confirm_button.clicked.connect(self.confirm)
        self.import_button = QPushButton(self.tr("Import shipment file…"))
        self.import_button.clicked.connect(self.choose_file)
        self.note = QLabel()
        self.note.setObjectName("dropShipNote")
        row = QHBoxLayout()
        row.addWidget(self.tracking, 1)
        row.addWidget(self.confirm_button)
        row.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The supplier ships straight to the customer; confirming delivers "
                                        "the customer's order lines without any stock movement.")))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.reload()

    def reload(self) -> None:
        self.model.load(self.ctx, dm.drop_ship_rows)

    def confirm(self) -> None:
        rows = selected_rows(self.table)
        if not rows:
            return
        po = rows[0]

        def done(result):
            self.tracking.clear()
            self.note.setText(self.tr("PO {n} shipped; customer order {o} delivered.").format(
                n=po.po_number, o=po.order_number or "–") if result["delivery_id"] else
                self.tr("PO {n} shipped.").format(n=po.po_number))
        self.ctx.command("dropship.confirm", {"po_id": po.po_id, "tracking": self.tracking.text().strip() or None},
                         done, on_error=lambda exc: show_error(self, exc))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Shipment file from the supplier"), "",
                                              self.tr("CSV files (*.csv *.txt)"))
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        def read():  # off the GUI thread, like the database
            try:
                return Path(path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise UserError(f"cannot read {path}: {exc}", field="file") from None

        def send(content: str) -> None:
            self.ctx.command("dropship.import_file", {"text": content},
                             lambda r: self.note.setText(self.tr("{n} shipments confirmed.").format(
                                 n=r["shipments"])), on_error=lambda exc: show_error(self, exc))
        self.ctx.submit(read, send, on_error=lambda exc: show_error(self, exc))

    def changed(self, area: str) -> None:
        if area in (AREA, "orders"):
            self.reload()
