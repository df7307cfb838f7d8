"""Purchase orders for the Purchasing tab: a paged list (newest first), one order's lines, and the
GUI's use cases — a PO from SKUs, status steps, and receiving (typed quantities or scanned codes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import text
from sqlalchemy.orm import Session

from backoffice.models.paged import PagedModel, tr
from core.catalog.products import get_by_sku
from core.money import format_amount
from core.quantity import format_qty

#: the status filter's choices: label → statuses (None = every status)
STATUS_SETS: dict[str, tuple[str, ...] | None] = {
    "Open": ("draft", "sent", "confirmed", "partly_received"),
    "To receive": ("sent", "confirmed", "partly_received"),
    "Done": ("received", "closed", "cancelled"),
    "All": None,
}


@dataclass(frozen=True)
class PoRow:
    id: int
    number: int
    supplier: str
    status: str
    order_date: dt.date
    expected_date: dt.date | None
    location: str
    total: int
    currency: str
    drop_ship: bool


def _date(v):
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def fetch_pos(conn, statuses: tuple[str, ...] | None, supplier_id: int | None, before: int | None,
              limit: int) -> list[PoRow]:
    conds, params = ["1 = 1"], {"n": limit}
    if statuses:
        conds.append("o.status IN (" + ", ".join(f":s{i}" for i in range(len(statuses))) + ")")
        params.update({f"s{i}": s for i, s in enumerate(statuses)})
    if supplier_id is not None:
        conds.append("o.supplier_id = :sup")
        params["sup"] = supplier_id
    if before is not None:
        conds.append("o.number < :before")
        params["before"] = before
    rows = conn.execute(text(f"""
        SELECT o.id, o.number, s.code, o.status, o.order_date, o.expected_date, coalesce(l.code, ''),
               o.total, o.currency, o.drop_ship
        FROM purchase_order o JOIN supplier s ON s.id = o.supplier_id
        LEFT JOIN location l ON l.id = o.location_id
        WHERE {' AND '.join(conds)} ORDER BY o.number DESC LIMIT :n"""), params).all()
    return [PoRow(r[0], int(r[1]), r[2], r[3], _date(r[4]), _date(r[5]), r[6], int(r[7]), r[8], bool(r[9]))
            for r in rows]


class PurchaseOrdersModel(PagedModel):
    COLUMNS = (("number", "PO no."), ("supplier", "Supplier"), ("status", "Status"),
               ("order_date", "Ordered"), ("expected_date", "Expected"), ("location", "Deliver to"),
               ("total", "Total excl. VAT"))
    NUMERIC = frozenset({"number", "total"})
    STATUS_NAMES: ClassVar[dict[str, str]] = {
        "draft": "draft", "sent": "sent", "confirmed": "confirmed", "partly_received": "partly received",
        "received": "received", "closed": "closed", "cancelled": "cancelled"}

    def __init__(self, runner, page_size: int = 200, parent=None):
        super().__init__(runner, page_size, parent)
        self.statuses: tuple[str, ...] | None = STATUS_SETS["Open"]
        self.supplier_id: int | None = None

    def set_filter(self, statuses, supplier_id) -> None:
        self.statuses, self.supplier_id = statuses, supplier_id
        self.reload()

    def fetch(self, session, after, limit):
        return fetch_pos(session, self.statuses, self.supplier_id, after, limit)

    def key_of(self, row: PoRow):
        return row.number

    def display(self, row: PoRow, key: str):
        if key == "total":
            return f"{format_amount(row.total)} {row.currency}"
        if key == "status":
            return tr("PurchaseOrdersModel", self.STATUS_NAMES.get(row.status, row.status))
        if key in ("order_date", "expected_date"):
            value = getattr(row, key)
            return value.isoformat() if value else ""
        if key == "location":
            return tr("PurchaseOrdersModel", "drop-ship") if row.drop_ship else row.location
        return getattr(row, key)


@dataclass(frozen=True)
class PoLineRow:
    id: int
    position: int
    product_id: int
    sku: str
    name: str
    qty: int
    received: int
    cancelled: int
    unit_price: int
    amount: int

    @property
    def owed(self) -> int:
        return max(self.qty - self.received - self.cancelled, 0)


def po_line_rows(conn, po_id: int) -> list[PoLineRow]:
    rows = conn.execute(text("""
        SELECT id, position, product_id, sku, name, qty, received_qty, cancelled_qty, unit_price, amount
        FROM purchase_order_line WHERE po_id = :p ORDER BY position"""), {"p": po_id}).all()
    return [PoLineRow(*(int(v) if i not in (3, 4) else v for i, v in enumerate(r))) for r in rows]


def barcodes_for_lines(conn, po_id: int) -> dict[str, int]:
    """{barcode: PO line id} for scanning goods in (the first line of a product wins)."""
    rows = conn.execute(text("""
        SELECT b.code, min(l.id) FROM purchase_order_line l JOIN barcode b ON b.product_id = l.product_id
        WHERE l.po_id = :p GROUP BY b.code"""), {"p": po_id}).all()
    return {code: int(lid) for code, lid in rows}


def line_text(row: PoLineRow) -> list[str]:
    return [str(row.position), row.sku, row.name, format_qty(row.qty), format_qty(row.received),
            format_qty(row.owed), format_amount(row.unit_price), format_amount(row.amount)]


def create_po_from_skus(session: Session, supplier_id: int, location_id: int,
                        lines: list[tuple[str, int, int | None]], who: str):
    """A draft PO from (SKU, qty in thousandths, unit price or None = the supplier's price)."""
    from core.purchasing.orders import PoLineIn, create_po

    items = [PoLineIn(get_by_sku(session, sku).id, qty, price) for sku, qty, price in lines]
    return create_po(session, supplier_id, items, who, location_id=location_id).id


def step(session: Session, po_id: int, action: str, who: str) -> None:
    """Move a PO one step: send, confirm, cancel, close (rest cancelled) or backorder (rest re-ordered)."""
    from core.purchasing import orders

    if action == "send":
        orders.send_po(session, po_id, who)
    elif action == "confirm":
        orders.confirm_po(session, po_id, who)
    elif action == "cancel":
        orders.cancel_po(session, po_id, who)
    elif action in ("close", "backorder"):
        orders.close_po(session, po_id, who, backorder=action == "backorder")
    else:
        raise ValueError(action)


def receive_lines(session: Session, po_id: int, quantities: dict[int, int], prices: dict[int, int],
                  who: str, allow_over: bool = False) -> str:
    """Receive {line id: qty} at {line id: price} (only lines with a quantity); returns the receipt id."""
    from core.purchasing.receiving import receive

    lines = {lid: q for lid, q in quantities.items() if q > 0}
    return receive(session, po_id, lines, who, prices={lid: p for lid, p in prices.items() if lid in lines},
                   allow_over=allow_over).id
