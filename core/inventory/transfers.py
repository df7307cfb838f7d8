"""Transfers between locations: send (stock leaves, goes in transit), receive in parts, close short.

API:
    create_transfer(session, from_location_id, to_location_id, lines, who, note=None) -> StockTransfer
    send_transfer(session, transfer_id, who, allow_negative=False) -> StockTransfer
    receive_transfer(session, transfer_id, who, lines=None, idem_key=None) -> StockTransferReceipt
    close_transfer(session, transfer_id, who) -> StockTransfer    (what is still in transit is lost)
    cancel_transfer(session, transfer_id, who) -> StockTransfer   (draft only)
    get_transfer(session, transfer_id) -> StockTransfer
    transfer_lines(session, transfer_id) -> list[StockTransferLine]
    in_transit(conn, location_id=None) -> dict[int, int]          ({product id: thousandths} on the way)

`lines` are {product_id: qty} or [(product_id, qty)] in thousandths. Sending records a
`transfer_out` at the source; each receipt records `transfer_in` at the destination. Goods in
transit are in no location's level: they are the lines' sent − received − lost. Movement keys
derive from the transfer and receipt ids, so a replay moves nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.db.base import new_uuid, utcnow
from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.inventory.items import product_kinds
from core.inventory.movements import MovementIn, location_codes, record_movements
from core.inventory.ops_models import StockTransfer, StockTransferLine, StockTransferReceipt
from core.numbering import next_number
from core.quantity import format_qty

SOURCE = "stock_transfer"


def _pairs(lines, field: str = "lines") -> list[tuple[int, int]]:
    pairs = list(lines.items()) if isinstance(lines, Mapping) else [tuple(p) for p in lines]
    seen: set[int] = set()
    for pid, qty in pairs:
        if pid in seen:
            raise ValidationError(f"product {pid} is listed twice", field=field,
                                  hint="give each product once with its total quantity")
        seen.add(pid)
        if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
            raise ValidationError(f"product {pid}: move a positive quantity in thousandths, "
                                  f"not {qty!r}", field=f"{field}[{pid}].qty")
    if not pairs:
        raise ValidationError("a transfer needs at least one line", field=field)
    return pairs


def get_transfer(session: Session, transfer_id: int) -> StockTransfer:
    transfer = session.get(StockTransfer, transfer_id)
    if transfer is None:
        raise NotFound(f"no stock transfer with id {transfer_id}", field="transfer_id")
    return transfer


def transfer_lines(session: Session, transfer_id: int) -> list[StockTransferLine]:
    return list(session.scalars(select(StockTransferLine).where(
        StockTransferLine.transfer_id == transfer_id).order_by(StockTransferLine.id)))


def _who(who: str) -> str:
    if not (who or "").strip():
        raise ValidationError("say who does this", field="who")
    return who.strip()


def create_transfer(session: Session, from_location_id: int, to_location_id: int,
                    lines: Mapping[int, int] | Iterable[tuple[int, int]], who: str,
                    note: str | None = None) -> StockTransfer:
    """A draft transfer (numbered in series `stock_transfer`); nothing moves until it is sent."""
    who = _who(who)
    if from_location_id == to_location_id:
        raise ValidationError("a transfer needs two different locations", field="to_location_id")
    location_codes(session, [from_location_id, to_location_id])
    pairs = _pairs(lines)
    kinds = product_kinds(session, (pid for pid, _ in pairs))
    for pid, _qty in pairs:
        if not kinds[pid].stocked or kinds[pid].product_type not in ("single", "variant"):
            raise ValidationError(f"product {kinds[pid].sku} (id {pid}) is not kept in stock",
                                  field=f"lines[{pid}]",
                                  hint="transfer stocked articles (a SET article's components)")
    transfer = StockTransfer(number=next_number(session, "stock_transfer"),
                             from_location_id=from_location_id, to_location_id=to_location_id,
                             status="draft", note=note, created_by=who)
    session.add(transfer)
    session.flush()
    session.add_all(StockTransferLine(transfer_id=transfer.id, product_id=pid, qty=qty)
                    for pid, qty in pairs)
    session.flush()
    return transfer


def _need(transfer: StockTransfer, allowed: tuple[str, ...], action: str) -> None:
    if transfer.status not in allowed:
        raise InvalidTransition(f"transfer {transfer.number} is {transfer.status} and cannot be "
                                f"{action}", field="status")


def send_transfer(session: Session, transfer_id: int, who: str,
                  allow_negative: bool = False) -> StockTransfer:
    """Stock leaves the source: the transfer is in transit. Refused when the source is short."""
    _who(who)
    transfer = get_transfer(session, transfer_id)
    _need(transfer, ("draft",), "sent")
    record_movements(session, [
        MovementIn(ln.product_id, transfer.from_location_id, -ln.qty, "transfer_out", SOURCE,
                   str(transfer.id), f"transfer:{transfer.id}:out:{ln.product_id}")
        for ln in transfer_lines(session, transfer.id)], allow_negative=allow_negative)
    transfer.status, transfer.sent_at = "in_transit", utcnow()
    session.flush()
    return transfer


def receive_transfer(session: Session, transfer_id: int, who: str,
                     lines: Mapping[int, int] | Iterable[tuple[int, int]] | None = None,
                     idem_key: str | None = None) -> StockTransferReceipt:
    """Take in `lines` ({product_id: qty}; None = everything still in transit) at the destination.

    A replay with the same `idem_key` returns the first receipt and moves nothing.
    """
    who = _who(who)
    if idem_key is not None:
        done = session.scalar(select(StockTransferReceipt).where(
            StockTransferReceipt.idem_key == idem_key))
        if done is not None:
            if done.transfer_id != transfer_id:
                raise Conflict(f"key {idem_key!r} was used for another transfer", field="idem_key")
            return done
    transfer = get_transfer(session, transfer_id)
    _need(transfer, ("in_transit", "partly_received"), "received")
    by_product = {ln.product_id: ln for ln in transfer_lines(session, transfer.id)}
    left = {pid: ln.qty - ln.received_qty - ln.lost_qty for pid, ln in by_product.items()}
    if lines is None:
        pairs = [(pid, q) for pid, q in left.items() if q > 0]
    else:
        pairs = _pairs(lines)
    for pid, qty in pairs:
        if pid not in by_product:
            raise NotFound(f"transfer {transfer.number} has no product {pid}", field="lines")
        if qty > left[pid]:
            raise ValidationError(
                f"product {pid}: {format_qty(qty)} received but only {format_qty(left[pid])} is "
                f"in transit ({format_qty(by_product[pid].qty)} sent, "
                f"{format_qty(by_product[pid].received_qty)} received)", field=f"lines[{pid}].qty",
                hint=f"receive at most {format_qty(left[pid])}")
    seq = (session.scalar(select(func.max(StockTransferReceipt.seq)).where(
        StockTransferReceipt.transfer_id == transfer.id)) or 0) + 1
    with session.begin_nested():
        receipt = StockTransferReceipt(transfer_id=transfer.id, seq=seq,
                                       idem_key=idem_key or new_uuid(), created_by=who)
        session.add(receipt)
        session.flush()
        record_movements(session, [
            MovementIn(pid, transfer.to_location_id, qty, "transfer_in", SOURCE, str(transfer.id),
                       f"transfer:{transfer.id}:in:{receipt.id}:{pid}") for pid, qty in pairs])
        for pid, qty in pairs:
            by_product[pid].received_qty += qty
        done_all = all(ln.received_qty + ln.lost_qty >= ln.qty for ln in by_product.values())
        transfer.status = "received" if done_all else "partly_received"
        if done_all:
            transfer.closed_at = utcnow()
        session.flush()
    return receipt


def close_transfer(session: Session, transfer_id: int, who: str) -> StockTransfer:
    """Close a partly received transfer: what never arrived is written off as lost in transit."""
    _who(who)
    transfer = get_transfer(session, transfer_id)
    _need(transfer, ("in_transit", "partly_received"), "closed")
    for ln in transfer_lines(session, transfer.id):
        ln.lost_qty = ln.qty - ln.received_qty
    transfer.status, transfer.closed_at = "closed", utcnow()
    session.flush()
    return transfer


def cancel_transfer(session: Session, transfer_id: int, who: str) -> StockTransfer:
    """Drop a transfer that was never sent."""
    _who(who)
    transfer = get_transfer(session, transfer_id)
    _need(transfer, ("draft",), "cancelled")
    transfer.status, transfer.closed_at = "cancelled", utcnow()
    session.flush()
    return transfer


_TRANSIT = ("SELECT l.product_id, sum(l.qty - l.received_qty - l.lost_qty) "
            "FROM stock_transfer_line l JOIN stock_transfer t ON t.id = l.transfer_id "
            "WHERE t.status IN ('in_transit', 'partly_received')")


def in_transit(conn, location_id: int | None = None) -> dict[int, int]:
    """{product_id: thousandths} sent but not yet received (to `location_id`, or anywhere)."""
    sql = _TRANSIT + (" AND t.to_location_id = :l" if location_id is not None else "")
    rows = conn.execute(text(sql + " GROUP BY l.product_id"),
                        {"l": location_id} if location_id is not None else {})
    return {int(pid): int(q) for pid, q in rows if q}
