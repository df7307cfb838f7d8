"""Editing an order's lines (add, change, remove) until they are delivered; reservations follow the edit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.inventory.reservations import release, release_one
from core.orders import states
from core.orders.lifecycle import reserve_line
from core.orders.models import Order, OrderLine
from core.orders.pricing import LineIn, price_line
from core.orders.service import get_order, new_line, pricing_context, recompute_totals
from core.quantity import format_qty


def _editable(order: Order) -> None:
    if order.status not in states.EDITABLE:
        raise InvalidTransition(f"order {order.number} is {order.status}; its lines cannot change",
                                field="status", hint="credit the invoice or make a new order")


def _refuse_delivered(line: OrderLine, what: str) -> None:
    if line.delivered_qty:
        raise Conflict(f"line {line.position} ({line.sku or line.name}) is delivered "
                       f"({format_qty(line.delivered_qty)} of {format_qty(line.qty)}); "
                       f"it cannot be {what}", field=f"lines[{line.position}]",
                       hint="credit it on the invoice, or add a new line")


def get_line(session: Session, order: Order, line_id: str) -> OrderLine:
    line = session.get(OrderLine, line_id)
    if line is None or line.order_id != order.id:
        raise NotFound(f"order {order.number} has no line {line_id!r}", field="line_id")
    return line


def add_line(session: Session, order_id: str, line: LineIn, who: str) -> OrderLine:
    """Add a line to an order not yet delivered in full; a confirmed order reserves it at once."""
    order = get_order(session, order_id)
    _editable(order)
    priced = price_line(session, pricing_context(session, order), line)
    position = (session.scalar(select(func.max(OrderLine.position))
                               .where(OrderLine.order_id == order.id)) or 0) + 1
    row = new_line(order.id, position, priced)
    session.add(row)
    session.flush()
    if order.status != "new":
        reserve_line(session, order, row, row.qty)
    if order.status == "partly_delivered":
        order.has_backorder = True
    recompute_totals(session, order)
    states.log_event(session, order, who, "edit",
                     f"line {position} added: {format_qty(row.qty)} × {row.sku or row.name}")
    return row


def change_line(session: Session, order_id: str, line_id: str, who: str, *, qty: int | None = None,
                unit_price: int | None = None, discount_bp: int | None = None) -> OrderLine:
    """Change a line's quantity, price or discount; refused once any of it is delivered."""
    order = get_order(session, order_id)
    _editable(order)
    row = get_line(session, order, line_id)
    _refuse_delivered(row, "changed")
    priced = price_line(session, pricing_context(session, order), LineIn(
        product_id=row.product_id, qty=row.qty if qty is None else qty,
        unit_price=row.unit_price if unit_price is None else unit_price,
        discount_bp=row.discount_bp if discount_bp is None else discount_bp,
        name=row.name, kind=row.kind, vat_class=row.vat_class))
    row.qty, row.unit_price, row.discount_bp, row.amount = (priced.qty, priced.unit_price,
                                                            priced.discount_bp, priced.amount)
    if order.status != "new" and row.reservation_key:
        release_one(session, row.reservation_key)
        reserve_line(session, order, row, row.qty)
    recompute_totals(session, order)
    states.log_event(session, order, who, "edit",
                     f"line {row.position} changed: {format_qty(row.qty)} × "
                     f"{row.sku or row.name} at {row.unit_price} öre, discount {row.discount_bp} bp")
    return row


def remove_line(session: Session, order_id: str, line_id: str, who: str) -> None:
    """Remove a line that nothing has been delivered of; its reservation is released."""
    order = get_order(session, order_id)
    _editable(order)
    row = get_line(session, order, line_id)
    _refuse_delivered(row, "removed")
    if session.scalar(select(func.count()).select_from(OrderLine)
                      .where(OrderLine.order_id == order.id)) <= 1:
        raise ValidationError("an order needs at least one line", field="lines",
                              hint="cancel the order instead")
    release(session, "order_line", row.id)
    session.delete(row)
    recompute_totals(session, order)
    states.log_event(session, order, who, "edit", f"line {row.position} removed ({row.sku or row.name})")
