"""The orders list: every channel's orders with filters, search and sorting, a page at a time.

Rows come from `core.orders.queries.list_orders` (Core SQL over indexed columns); the page's
delivered quantities come from one aggregate over its order lines. Paging is by offset: a row
remembers its position, so the next page starts after the last row shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import bindparam, text

from backoffice.models.paged import PagedModel, tr
from core.money import format_amount
from core.orders.queries import SORTABLE, OrderFilter, count_orders, list_orders
from core.orders.service import PROVIDER_PAID
from core.quantity import format_qty

#: order status → English label (Swedish through the translator)
STATUS_NAMES = {"new": "new", "confirmed": "confirmed", "partly_delivered": "partly delivered",
                "delivered": "delivered", "invoiced": "invoiced", "closed": "closed",
                "cancelled": "cancelled"}
PROVIDER_NAMES = {"invoice": "invoice", "klarna": "Klarna", "nets": "Nets Easy", "card": "card",
                  "swish": "Swish", "cash": "cash", "prepaid": "prepaid"}


@dataclass(frozen=True)
class OrderRow:
    pos: int
    id: str
    number: int
    channel_id: int
    channel: str
    channel_order_no: str | None
    order_date: dt.date
    status: str
    customer_id: str | None
    customer_name: str
    currency: str
    total_gross: int
    has_backorder: bool
    payment_provider: str
    payment_authorised: int
    payment_captured: int
    #: product quantities of the order's lines, thousandths
    ordered: int
    delivered: int


def payment_state(provider: str, authorised: int, captured: int) -> str:
    """English words for the payment column (translated at display)."""
    if provider not in PROVIDER_PAID or authorised <= 0:
        return PROVIDER_NAMES.get(provider, provider)
    if captured >= authorised:
        state = "captured"
    elif captured > 0:
        state = "partly captured"
    else:
        state = "not captured"
    return f"{PROVIDER_NAMES.get(provider, provider)}: {state}"


def channel_names(conn) -> dict[int, str]:
    return {r[0]: r[1] for r in conn.execute(text("SELECT id, name FROM channel"))}


def delivered_per_order(conn, order_ids: list[str]) -> dict[str, tuple[int, int]]:
    """order id → (ordered, delivered) over its product lines (one grouped query for a page)."""
    if not order_ids:
        return {}
    stmt = text("SELECT order_id, sum(qty), sum(delivered_qty) FROM order_line "
                "WHERE order_id IN :ids AND kind = 'product' GROUP BY order_id").bindparams(
        bindparam("ids", expanding=True))
    return {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in conn.execute(stmt, {"ids": order_ids})}


def fetch_orders(conn, flt: OrderFilter, sort: str, descending: bool, offset: int,
                 limit: int) -> list[OrderRow]:
    rows = list_orders(conn, flt, sort=sort, descending=descending, limit=limit, offset=offset)
    names = channel_names(conn)
    qty = delivered_per_order(conn, [r.id for r in rows])
    out = []
    for i, r in enumerate(rows):
        ordered, delivered = qty.get(r.id, (0, 0))
        order_date = dt.date.fromisoformat(r.order_date) if isinstance(r.order_date, str) else r.order_date
        out.append(OrderRow(offset + i, r.id, int(r.number), r.channel_id, names.get(r.channel_id, ""),
                            r.channel_order_no, order_date, r.status, r.customer_id, r.customer_name,
                            r.currency, int(r.total_gross), bool(r.has_backorder), r.payment_provider,
                            int(r.payment_authorised), int(r.payment_captured), ordered, delivered))
    return out


class OrdersModel(PagedModel):
    """Orders from all channels; `set_filter` and `sort` start again from the first page."""

    COLUMNS = (("number", "No."), ("channel_order_no", "Channel order no."), ("channel", "Channel"),
               ("order_date", "Date"), ("customer_name", "Customer"), ("status", "Status"),
               ("total", "Total"), ("delivery", "Delivered"), ("payment", "Payment"))
    NUMERIC = frozenset({"number", "total", "delivery"})
    #: column key → the sort key of list_orders
    SORT_KEYS: ClassVar[dict[str, str]] = {"number": "number", "channel_order_no": "channel_order_no", "channel": "channel_id",
                 "order_date": "order_date", "customer_name": "customer_name", "status": "status",
                 "total": "total_gross"}

    def __init__(self, runner, page_size: int = 200, parent=None):
        super().__init__(runner, page_size, parent)
        self.filter = OrderFilter()
        self.sort_key, self.descending = "number", True

    def set_filter(self, flt: OrderFilter) -> None:
        self.filter = flt
        self.reload()

    def set_sort(self, key: str, descending: bool) -> None:
        if key not in SORTABLE:
            return
        self.sort_key, self.descending = key, descending
        self.reload()

    def sort(self, column: int, order=None) -> None:  # Qt: a header click
        from PySide6.QtCore import Qt
        key = self.SORT_KEYS.get(self.COLUMNS[column][0])
        if key is not None:
            self.set_sort(key, order == Qt.SortOrder.DescendingOrder)

    def fetch(self, session, after, limit):
        return fetch_orders(session, self.filter, self.sort_key, self.descending, after or 0, limit)

    def key_of(self, row: OrderRow):
        return row.pos + 1  # the offset of the next page

    def count(self, session) -> int:
        return count_orders(session, self.filter)

    def display(self, row: OrderRow, key: str):
        if key == "number":
            return str(row.number)
        if key == "order_date":
            return row.order_date.isoformat()
        if key == "status":
            return tr("OrdersModel", STATUS_NAMES.get(row.status, row.status))
        if key == "total":
            return f"{format_amount(row.total_gross)} {row.currency}"
        if key == "delivery":
            if not row.ordered or row.status == "cancelled":
                return ""
            text_ = f"{format_qty(row.delivered)} / {format_qty(row.ordered)}"
            return text_ + (" · " + tr("OrdersModel", "backorder") if row.has_backorder else "")
        if key == "payment":
            state = payment_state(row.payment_provider, row.payment_authorised, row.payment_captured)
            name, _, rest = state.partition(": ")
            return tr("OrdersModel", name) + (": " + tr("OrdersModel", rest) if rest else "")
        value = getattr(row, key)
        return "" if value is None else value
