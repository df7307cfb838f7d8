"""Purchase orders for the Purchasing tab: a paged list (newest first), one order's lines, and the
arguments of the commands that change them (core/commands/purchasing.py): a PO from SKUs, status
steps, and receiving (typed quantities or scanned codes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import text

from backoffice.models.paged import PagedModel, tr
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


#: the status buttons' commands: action → (command, extra arguments)
STEPS: dict[str, tuple[str, dict]] = {
    "send": ("purchase_orders.send", {}),
    "confirm": ("purchase_orders.confirm", {}),
    "cancel": ("purchase_orders.cancel", {}),
    "close": ("purchase_orders.close", {"backorder": False}),
    "backorder": ("purchase_orders.close", {"backorder": True}),
}


def step_command(po_id: int, action: str) -> tuple[str, dict]:
    """The command (name, arguments) that moves a PO one step: send, confirm, cancel, close or backorder."""
    name, extra = STEPS[action]
    return name, {"po_id": po_id} | extra


def new_po_args(supplier_id: int, location_id: int, lines: list[tuple[str, int, int | None]]) -> dict:
    """`purchase_orders.create`'s arguments from (SKU, qty in thousandths, unit price or None)."""
    return {"supplier_id": supplier_id, "location_id": location_id,
            "lines": [{"sku": sku, "qty": qty} | ({} if price is None else {"unit_price": price})
                      for sku, qty, price in lines]}


def receive_args(po_id: int, quantities: dict[int, int], prices: dict[int, int],
                 allow_over: bool = False) -> dict:
    """`purchase_orders.receive`'s arguments: the lines with a quantity, each at its (edited) price."""
    return {"po_id": po_id, "allow_over": allow_over,
            "lines": [{"line_id": lid, "qty": q, "unit_price": prices[lid]} if lid in prices
                      else {"line_id": lid, "qty": q} for lid, q in quantities.items() if q > 0]}
