"""Drop shipping for the Purchasing tab: open drop-ship POs with their customer order. The
supplier's shipment is confirmed by the commands `dropship.confirm` / `dropship.import_file`, which
deliver the customer lines (no stock moves).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from backoffice.models.suppliers_model import RowsModel
from core.quantity import format_qty

OPEN = ("draft", "sent", "confirmed", "partly_received")


@dataclass(frozen=True)
class DropShipRow:
    po_id: int
    po_number: int
    status: str
    supplier: str
    order_id: str | None
    order_number: int | None
    customer: str
    ship_to: str
    owed: int


def _place(ship_to: dict | str | None) -> str:
    if isinstance(ship_to, str):
        import json
        ship_to = json.loads(ship_to)
    if not ship_to:
        return ""
    return ", ".join(p for p in (ship_to.get("name"), ship_to.get("city")) if p)


def drop_ship_rows(conn) -> list[DropShipRow]:
    """Open drop-ship purchase orders, oldest first, with the customer order they serve."""
    rows = conn.execute(text(f"""
        SELECT o.id, o.number, o.status, s.code, o.sales_order_id, so.number, so.customer_name, o.ship_to,
               (SELECT coalesce(sum(l.qty - l.received_qty - l.cancelled_qty), 0)
                FROM purchase_order_line l WHERE l.po_id = o.id)
        FROM purchase_order o JOIN supplier s ON s.id = o.supplier_id
        LEFT JOIN sales_order so ON so.id = o.sales_order_id
        WHERE o.drop_ship AND o.status IN ({", ".join(f"'{s}'" for s in OPEN)})
        ORDER BY o.number""")).all()
    return [DropShipRow(r[0], int(r[1]), r[2], r[3], r[4], None if r[5] is None else int(r[5]),
                        r[6] or "", _place(r[7]), int(r[8])) for r in rows]


class DropShipModel(RowsModel):
    COLUMNS = (("po_number", "PO no."), ("status", "Status"), ("supplier", "Supplier"),
               ("order_number", "Customer order"), ("customer", "Customer"), ("ship_to", "Ship to"),
               ("owed", "Still owed"))
    NUMERIC = frozenset({"po_number", "order_number", "owed"})

    def display(self, row: DropShipRow, key: str):
        if key == "owed":
            return format_qty(row.owed)
        if key == "status":
            from backoffice.models.purchasing_model import PurchaseOrdersModel
            return self.tr(PurchaseOrdersModel.STATUS_NAMES.get(row.status, row.status))
        return super().display(row, key)
