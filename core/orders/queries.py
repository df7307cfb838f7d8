"""The orders list for the back office: filters, search and sorting over indexed columns, one page at a time.

Core SQL returning plain rows (no ORM objects): the list must stay fast at 200,000 orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from core.errors import ValidationError
from core.orders.models import Order
from core.orders.service import PROVIDER_PAID

T = Order.__table__

#: columns of a list row, in order
COLUMNS = ("id", "number", "channel_id", "channel_order_no", "order_date", "status",
           "customer_id", "customer_name", "currency", "total_gross", "has_backorder",
           "payment_provider", "payment_authorised", "payment_captured")
SORTABLE = frozenset({"number", "order_date", "status", "customer_name", "total_gross",
                      "channel_order_no", "channel_id"})


@dataclass
class OrderFilter:
    status: str | None = None
    channel_id: int | None = None
    customer_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    has_backorder: bool | None = None
    #: paid through a provider and not yet captured in full
    payment_not_captured: bool = False
    #: our number, the channel's number (prefix) or the customer's name (prefix)
    text: str | None = None


def _where(f: OrderFilter):
    cond = []
    if f.status:
        cond.append(T.c.status == f.status)
    if f.channel_id is not None:
        cond.append(T.c.channel_id == f.channel_id)
    if f.customer_id:
        cond.append(T.c.customer_id == f.customer_id)
    if f.date_from:
        cond.append(T.c.order_date >= f.date_from)
    if f.date_to:
        cond.append(T.c.order_date <= f.date_to)
    if f.has_backorder is not None:
        cond.append(T.c.has_backorder.is_(f.has_backorder))
    if f.payment_not_captured:
        cond += [T.c.payment_provider.in_(sorted(PROVIDER_PAID)),
                 T.c.payment_captured < T.c.payment_authorised, T.c.status != "cancelled"]
    text = (f.text or "").strip()
    if text:
        like = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        options = [T.c.channel_order_no.like(like, escape="\\"),
                   func.lower(T.c.customer_name).like(like.lower(), escape="\\")]
        if text.isdigit() and len(text) < 19:
            options.append(T.c.number == int(text))
        cond.append(or_(*options))
    return and_(*cond) if cond else None


def list_orders(conn, f: OrderFilter | None = None, *, sort: str = "number",
                descending: bool = True, limit: int = 100, offset: int = 0):
    """One page of orders as rows with COLUMNS; `conn` is a Session or Connection."""
    if sort not in SORTABLE:
        raise ValidationError(f"cannot sort by {sort!r}", field="sort",
                              hint="one of " + ", ".join(sorted(SORTABLE)))
    stmt = select(*(T.c[c] for c in COLUMNS))
    where = _where(f or OrderFilter())
    if where is not None:
        stmt = stmt.where(where)
    key = T.c[sort].desc() if descending else T.c[sort].asc()
    tie = T.c.number.desc() if descending else T.c.number.asc()
    stmt = stmt.order_by(key, tie).limit(limit).offset(offset)
    return conn.execute(stmt).all()


def count_orders(conn, f: OrderFilter | None = None) -> int:
    stmt = select(func.count()).select_from(T)
    where = _where(f or OrderFilter())
    if where is not None:
        stmt = stmt.where(where)
    return int(conn.execute(stmt).scalar())
