"""Stock tables: levels per product and location (on hand, reserved, available, on order), the
movement history of a product with its source documents, and the open negative-stock exceptions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, inspect, text

from backoffice.models.paged import PagedModel, tr
from backoffice.models.products_model import SEARCH_LIMIT, category_subtree
from core.catalog.search import search_products
from core.quantity import format_qty


def on_order_for(conn, product_ids: list[int], location_id: int | None) -> dict[int, int]:
    """What suppliers still owe, when the purchasing area is installed (else nothing is on order)."""
    try:
        from core.purchasing.orders import on_order
    except ImportError:  # purchasing not there yet: nothing can be on order
        return {}
    bind = conn.get_bind() if hasattr(conn, "get_bind") else conn
    if not inspect(bind).has_table("purchase_order_line"):  # a database from before purchasing
        return {}
    return on_order(conn, product_ids, location_id)


@dataclass(frozen=True)
class StockFilter:
    text: str = ""
    category_id: int | None = None
    location_id: int | None = None
    #: only rows whose available quantity is below zero
    negative_only: bool = False


@dataclass(frozen=True)
class LevelRow:
    product_id: int
    location_id: int
    sku: str
    name: str
    location: str
    on_hand: int
    reserved: int
    on_order: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def fetch_levels(conn, flt: StockFilter, after: tuple | None, limit: int, lang: str = "sv") -> list[LevelRow]:
    """A page of cached levels in (product, location) order."""
    name = "p.name_en" if lang == "en" else "p.name_sv"
    conds, params, binds = [], {"n": limit}, []
    if after is not None:
        conds.append("(s.product_id, s.location_id) > (:ap, :al)")
        params.update(ap=after[0], al=after[1])
    if flt.location_id is not None:
        conds.append("s.location_id = :loc")
        params["loc"] = flt.location_id
    if flt.text.strip():
        ids = [h.id for h in search_products(conn, flt.text, limit=SEARCH_LIMIT, active_only=False, lang=lang)]
        if not ids:
            return []
        conds.append("s.product_id IN :ids")
        params["ids"] = ids
        binds.append(bindparam("ids", expanding=True, type_=Integer))
    if flt.category_id is not None:
        conds.append("p.category_id IN :cats")
        params["cats"] = category_subtree(conn, flt.category_id)
        binds.append(bindparam("cats", expanding=True, type_=Integer))
    if flt.negative_only:
        conds.append("s.on_hand - s.reserved < 0")
    where = ("WHERE " + " AND ".join(conds)) if conds else ""
    sql = text(f"""
        SELECT s.product_id, s.location_id, p.sku, {name}, l.code, s.on_hand, s.reserved
        FROM stock_level s JOIN product p ON p.id = s.product_id JOIN location l ON l.id = s.location_id
        {where} ORDER BY s.product_id, s.location_id LIMIT :n""").bindparams(*binds)
    rows = conn.execute(sql, params).all()
    owed: dict[tuple[int, int], int] = {}
    for loc in sorted({r[1] for r in rows}):
        ids = [r[0] for r in rows if r[1] == loc]
        for pid, q in on_order_for(conn, ids, loc).items():
            owed[(pid, loc)] = q
    return [LevelRow(r[0], r[1], r[2], r[3], r[4], int(r[5]), int(r[6]), owed.get((r[0], r[1]), 0)) for r in rows]


class LevelsModel(PagedModel):
    COLUMNS = (("sku", "SKU"), ("name", "Name"), ("location", "Location"), ("on_hand", "On hand"),
               ("reserved", "Reserved"), ("available", "Available"), ("on_order", "On order"))
    NUMERIC = frozenset({"on_hand", "reserved", "available", "on_order"})

    def __init__(self, runner, page_size: int = 200, lang: str = "sv", parent=None):
        super().__init__(runner, page_size, parent)
        self.filter = StockFilter()
        self.lang = lang

    def set_filter(self, flt: StockFilter) -> None:
        self.filter = flt
        self.reload()

    def fetch(self, session, after, limit):
        return fetch_levels(session, self.filter, after, limit, self.lang)

    def key_of(self, row: LevelRow):
        return (row.product_id, row.location_id)

    def display(self, row: LevelRow, key: str):
        if key in self.NUMERIC:
            return format_qty(getattr(row, key))
        return getattr(row, key)


@dataclass(frozen=True)
class MovementRow:
    id: int
    created_at: dt.datetime
    location: str
    qty: int
    reason: str
    source: str
    note: str


def fetch_movements(conn, product_id: int, location_id: int | None, before_id: int | None,
                    limit: int) -> list[MovementRow]:
    """A product's movements, newest first (keyset on movement id, uses the ledger's index)."""
    conds, params = ["m.product_id = :p"], {"p": product_id, "n": limit}
    if location_id is not None:
        conds.append("m.location_id = :l")
        params["l"] = location_id
    if before_id is not None:
        conds.append("m.id < :b")
        params["b"] = before_id
    rows = conn.execute(text(f"""
        SELECT m.id, m.created_at, l.code, m.qty, m.reason, m.source_type, m.source_id, m.note
        FROM stock_movement m JOIN location l ON l.id = m.location_id
        WHERE {' AND '.join(conds)} ORDER BY m.id DESC LIMIT :n"""), params).all()
    out = []
    for mid, at, loc, qty, reason, stype, sid, note in rows:
        source = " ".join(x for x in (stype, sid) if x) if (stype or sid) else ""
        if isinstance(at, str):
            at = dt.datetime.fromisoformat(at)
        out.append(MovementRow(mid, at, loc, int(qty), reason, source, note or ""))
    return out


class MovementsModel(PagedModel):
    """One product's movement history with the document each came from (receipt, order, count…)."""

    COLUMNS = (("created_at", "When (UTC)"), ("location", "Location"), ("qty", "Qty"),
               ("reason", "Reason"), ("source", "Source document"), ("note", "Note"))
    NUMERIC = frozenset({"qty"})

    def __init__(self, runner, page_size: int = 100, parent=None):
        super().__init__(runner, page_size, parent)
        self.product_id: int | None = None
        self.location_id: int | None = None

    def show_product(self, product_id: int | None, location_id: int | None = None) -> None:
        self.product_id, self.location_id = product_id, location_id
        self.reload()

    def fetch(self, session, after, limit):
        if self.product_id is None:
            return []
        return fetch_movements(session, self.product_id, self.location_id, after, limit)

    def display(self, row: MovementRow, key: str):
        if key == "created_at":
            return f"{row.created_at:%Y-%m-%d %H:%M}"
        if key == "qty":
            return format_qty(row.qty)
        if key == "reason":
            return tr("MovementsModel", row.reason)
        return getattr(row, key)


@dataclass(frozen=True)
class ExceptionRow:
    id: int
    created_at: dt.datetime
    sku: str
    location: str
    on_hand_after: int
    source: str


def fetch_exceptions(session, location_id: int | None) -> list[ExceptionRow]:
    """Open negative-stock exceptions (oldest first) with the movement's source document."""
    from core.inventory import open_exceptions
    excs = open_exceptions(session, location_id)
    if not excs:
        return []
    stmt = text("""SELECT e.id, p.sku, l.code, m.source_type, m.source_id FROM stock_exception e
                   JOIN product p ON p.id = e.product_id JOIN location l ON l.id = e.location_id
                   JOIN stock_movement m ON m.id = e.movement_id WHERE e.id IN :ids""").bindparams(
        bindparam("ids", expanding=True, type_=Integer))
    info = {r[0]: r[1:] for r in session.execute(stmt, {"ids": [e.id for e in excs]})}
    return [ExceptionRow(e.id, e.created_at, info[e.id][0], info[e.id][1], int(e.on_hand_after),
                         " ".join(x for x in info[e.id][2:] if x)) for e in excs]


def resolve(session, exception_id: int, who: str, note: str | None) -> None:
    from core.inventory import resolve_exception
    resolve_exception(session, exception_id, who, note or None)
