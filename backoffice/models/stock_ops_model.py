"""Transfers and stock counts for the Stock tab: lists, lines, and the GUI's use cases over
`core.inventory.transfers` / `core.inventory.counts` (SKUs and scans in, the domain's rules apply).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.catalog.products import get_by_sku
from core.catalog.search import lookup_barcode
from core.errors import NotFound


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


def create_transfer_from_skus(session: Session, from_id: int, to_id: int, lines: list[tuple[str, int]],
                              who: str) -> int:
    from core.inventory.transfers import create_transfer

    pairs = [(get_by_sku(session, sku).id, qty) for sku, qty in lines]
    return create_transfer(session, from_id, to_id, pairs, who).id


def transfer_step(session: Session, transfer_id: int, action: str, who: str,
                  lines: dict[int, int] | None = None) -> None:
    """send, receive (`lines` {product id: qty}; None = all in transit), close or cancel."""
    from core.inventory import transfers as t

    if action == "send":
        t.send_transfer(session, transfer_id, who)
    elif action == "receive":
        t.receive_transfer(session, transfer_id, who, lines or None)
    elif action == "close":
        t.close_transfer(session, transfer_id, who)
    elif action == "cancel":
        t.cancel_transfer(session, transfer_id, who)
    else:
        raise ValueError(action)


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


def new_count(session: Session, location_id: int, who: str, category_id: int | None) -> int:
    from core.inventory.counts import create_count

    return create_count(session, location_id, who, category_id=category_id).id


def enter_by_code(session: Session, count_id: int, code: str, qty: int | None):
    """A scanned barcode (or typed SKU) with a quantity; no quantity = one more (a scan)."""
    from core.inventory.counts import enter_count

    code = code.strip()
    pid = lookup_barcode(session, code)
    if pid is None:
        try:
            pid = get_by_sku(session, code).id
        except NotFound:
            raise NotFound(f"no product with barcode or SKU {code!r}", field="barcode") from None
    if qty is None:
        return enter_count(session, count_id, 1000, product_id=pid, add=True)
    return enter_count(session, count_id, qty, product_id=pid)


#: count lines shown at once (a full count of a big shop has a line per stocked product)
COUNT_ROWS_SHOWN = 500


def count_view(conn, count_id: int):
    """(the first COUNT_ROWS_SHOWN rows in SKU order, the variance report) of a count."""
    from core.inventory.counts import count_rows, variance_report

    return count_rows(conn, count_id, limit=COUNT_ROWS_SHOWN), variance_report(conn, count_id)


def post(session: Session, count_id: int, who: str):
    from core.inventory.counts import post_count

    return post_count(session, count_id, who)


def stock_value(conn, location_id: int | None) -> int:
    """The stock's value at weighted average cost (öre), one aggregate."""
    from core.inventory.valuation import stock_value as value

    return value(conn, location_id)
