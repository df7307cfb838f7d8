"""Reorder points and suggestions for the Purchasing tab: points per product and location, the
suggestion per supplier as one flat table, and the arguments of `reorder.create_pos` (draft
purchase orders from the selected rows; core/commands/purchasing_more.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from backoffice.models.suppliers_model import RowsModel
from core.money import format_amount
from core.quantity import format_qty


@dataclass(frozen=True)
class ReorderPointRow:
    product_id: int
    location_id: int
    sku: str
    name: str
    location: str
    reorder_point: int
    order_up_to: int


def reorder_point_rows(conn, location_id: int | None = None) -> list[ReorderPointRow]:
    where = "WHERE rp.location_id = :l" if location_id is not None else ""
    rows = conn.execute(text(f"""
        SELECT rp.product_id, rp.location_id, p.sku, p.name_sv, l.code, rp.reorder_point, rp.order_up_to
        FROM reorder_point rp JOIN product p ON p.id = rp.product_id
        JOIN location l ON l.id = rp.location_id {where} ORDER BY p.sku, l.code"""),
        {"l": location_id} if location_id is not None else {}).all()
    return [ReorderPointRow(r[0], r[1], r[2], r[3], r[4], int(r[5]), int(r[6])) for r in rows]


class ReorderPointsModel(RowsModel):
    COLUMNS = (("sku", "SKU"), ("name", "Name"), ("location", "Location"),
               ("reorder_point", "Reorder point"), ("order_up_to", "Order up to"))
    NUMERIC = frozenset({"reorder_point", "order_up_to"})

    def display(self, row: ReorderPointRow, key: str):
        if key in self.NUMERIC:
            return format_qty(getattr(row, key))
        return super().display(row, key)


@dataclass(frozen=True)
class SuggestionRow:
    supplier_id: int | None
    supplier: str
    location_id: int
    product_id: int
    sku: str
    name: str
    available: int
    on_order: int
    reorder_point: int
    order_up_to: int
    qty: int
    supplier_sku: str | None
    unit_price: int | None


def suggestion_rows(session: Session, location_id: int | None = None, supplier_id: int | None = None
                    ) -> list[SuggestionRow]:
    """Every suggested line, grouped by supplier then location (core's reorder suggestions, flat)."""
    from core.purchasing.reorder import reorder_suggestions

    return [SuggestionRow(s.supplier_id, s.supplier_name, s.location_id, ln.product_id, ln.sku, ln.name,
                          ln.available, ln.on_order, ln.reorder_point, ln.order_up_to, ln.qty,
                          ln.supplier_sku, ln.unit_price)
            for s in reorder_suggestions(session, location_id, supplier_id) for ln in s.lines]


class SuggestionsModel(RowsModel):
    COLUMNS = (("supplier", "Supplier"), ("sku", "SKU"), ("name", "Name"), ("available", "Available"),
               ("on_order", "On order"), ("reorder_point", "Reorder point"), ("qty", "Order qty"),
               ("unit_price", "Unit price"))
    NUMERIC = frozenset({"available", "on_order", "reorder_point", "qty", "unit_price"})

    def display(self, row: SuggestionRow, key: str):
        if key == "supplier":
            return row.supplier or self.tr("(no supplier)")
        if key == "unit_price":
            return "" if row.unit_price is None else format_amount(row.unit_price)
        if key in self.NUMERIC:
            return format_qty(getattr(row, key))
        return super().display(row, key)


def create_pos_args(rows: list[SuggestionRow]) -> dict:
    """`reorder.create_pos`'s arguments from the chosen suggestion rows (one PO per supplier and location)."""
    return {"lines": [{"supplier_id": r.supplier_id, "location_id": r.location_id, "product_id": r.product_id,
                       "qty": r.qty, "unit_price": r.unit_price, "supplier_sku": r.supplier_sku}
                      for r in rows]}
