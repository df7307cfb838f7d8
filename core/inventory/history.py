"""What only the server holds about stock: a product's movement history and the open exceptions.

API:
    movement_history(conn, product_id, location_id=None, before_id=None, limit=100) -> list[MovementLine]
    exception_rows(conn, location_id=None, after_id=None, limit=200) -> list[ExceptionLine]

Replicas never receive `stock_movement` or `stock_exception` (core/sync/tables.py), so the back
office reads these through the query commands `stock.movements` / `stock.exceptions`, which run
here on the server's database. Both are keyset pages over indexed columns: newest movements first
(by id, on the product/location/id index), exceptions oldest first (by id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text

#: the most rows one page may hold (a query command never returns a whole ledger)
MAX_PAGE = 1000


@dataclass(frozen=True, slots=True)
class MovementLine:
    id: int
    created_at: dt.datetime
    location: str
    qty: int
    reason: str
    #: the document it came from ("receipt R-1", "stock_count 4"), "" when none
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class ExceptionLine:
    id: int
    created_at: dt.datetime
    product_id: int
    sku: str
    location_id: int
    location: str
    on_hand_after: int
    source: str


def _source(source_type: str | None, source_id: str | None) -> str:
    return " ".join(x for x in (source_type, source_id) if x)


def _when(value) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def movement_history(conn, product_id: int, location_id: int | None = None, before_id: int | None = None,
                     limit: int = 100) -> list[MovementLine]:
    """A product's movements (at one location or all), newest first, older than `before_id`."""
    conds, params = ["m.product_id = :p"], {"p": product_id, "n": min(limit, MAX_PAGE)}
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
    return [MovementLine(int(mid), _when(at), loc, int(qty), reason, _source(stype, sid), note or "")
            for mid, at, loc, qty, reason, stype, sid, note in rows]


def exception_rows(conn, location_id: int | None = None, after_id: int | None = None,
                   limit: int = 200) -> list[ExceptionLine]:
    """Open negative-stock exceptions, oldest first, with the source document of the movement."""
    conds, params = ["e.resolved_at IS NULL"], {"n": min(limit, MAX_PAGE)}
    if location_id is not None:
        conds.append("e.location_id = :l")
        params["l"] = location_id
    if after_id is not None:
        conds.append("e.id > :a")
        params["a"] = after_id
    rows = conn.execute(text(f"""
        SELECT e.id, e.created_at, e.product_id, p.sku, e.location_id, l.code, e.on_hand_after,
               m.source_type, m.source_id
        FROM stock_exception e JOIN product p ON p.id = e.product_id
        JOIN location l ON l.id = e.location_id JOIN stock_movement m ON m.id = e.movement_id
        WHERE {' AND '.join(conds)} ORDER BY e.id LIMIT :n"""), params).all()
    return [ExceptionLine(int(eid), _when(at), int(pid), sku, int(lid), loc, int(after), _source(st, si))
            for eid, at, pid, sku, lid, loc, after, st, si in rows]
