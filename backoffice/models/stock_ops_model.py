"""Transfers and stock counts for the Stock tab, read from the replica: lists, lines, a count's rows
and variances, the stock value. Changes go through the commands in core/commands/stock.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text


@dataclass(frozen=True)
class TransferRow:
    id: int
    number: int
    route: str
    status: str
    sent: int
    received: int


def list_transfers(conn, limit: int = 200) -> list[TransferRow]:
    """The newest transfers with what was sent and what has arrived (thousandths)."""
    rows = conn.execute(text("""
        SELECT t.id, t.number, f.code || ' → ' || d.code, t.status,
               coalesce(sum(l.qty), 0), coalesce(sum(l.received_qty), 0)
        FROM stock_transfer t JOIN location f ON f.id = t.from_location_id
        JOIN location d ON d.id = t.to_location_id LEFT JOIN stock_transfer_line l ON l.transfer_id = t.id
        GROUP BY t.id ORDER BY t.number DESC LIMIT :n"""), {"n": limit}).all()
    return [TransferRow(r[0], int(r[1]), r[2], r[3], int(r[4]), int(r[5])) for r in rows]


@dataclass(frozen=True)
class TransferLineRow:
    product_id: int
    sku: str
    name: str
    qty: int
    received: int
    lost: int

    @property
    def in_transit(self) -> int:
        return self.qty - self.received - self.lost


def transfer_line_rows(conn, transfer_id: int) -> list[TransferLineRow]:
    rows = conn.execute(text("""
        SELECT l.product_id, p.sku, p.name_sv, l.qty, l.received_qty, l.lost_qty
        FROM stock_transfer_line l JOIN product p ON p.id = l.product_id
        WHERE l.transfer_id = :t ORDER BY p.sku"""), {"t": transfer_id}).all()
    return [TransferLineRow(r[0], r[1], r[2], int(r[3]), int(r[4]), int(r[5])) for r in rows]


@dataclass(frozen=True)
class CountHead:
    id: int
    number: int
    location: str
    scope: str
    status: str
    count_date: str


def list_counts(conn, limit: int = 100) -> list[CountHead]:
    rows = conn.execute(text("""
        SELECT c.id, c.number, l.code, c.scope, c.status, c.count_date FROM stock_count c
        JOIN location l ON l.id = c.location_id ORDER BY c.number DESC LIMIT :n"""), {"n": limit}).all()
    return [CountHead(r[0], int(r[1]), r[2], r[3], r[4], str(r[5])[:10]) for r in rows]


#: count lines shown at once (a full count of a big shop has a line per stocked product)
COUNT_ROWS_SHOWN = 500


def count_view(conn, count_id: int):
    """(the first COUNT_ROWS_SHOWN rows in SKU order, the variance report) of a count."""
    from core.inventory.counts import count_rows, variance_report

    return count_rows(conn, count_id, limit=COUNT_ROWS_SHOWN), variance_report(conn, count_id)


def stock_value(conn, location_id: int | None) -> int:
    """The stock's value at weighted average cost (öre), one aggregate."""
    from core.inventory.valuation import stock_value as value

    return value(conn, location_id)
