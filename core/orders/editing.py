"""Editing an order until it is delivered: lines (add, change, remove, or set all at once), references and
addresses; reservations follow the edit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.inventory.reservations import release, release_one
from core.orders import states
from core.orders.lifecycle import reserve_line
from core.orders.models import Order, OrderLine
from core.orders.pricing import LineIn, price_line
from core.orders.service import (
    clean_address,
    get_order,
    lines_of,
    new_line,
    pricing_context,
    recompute_totals,
)
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


@dataclass(frozen=True)
class LineEdit:
    """One line as an editor shows it; `line_id` set for a line the order already has."""

    qty: int
    line_id: str | None = None
    sku: str | None = None
    product_id: int | None = None
    #: None: the price list's price (a new line) or the line's current price (an existing one)
    unit_price: int | None = None
    discount_bp: int = 0


def set_lines(session: Session, order_id: str, lines: list[LineEdit], shipping_fee: int | None,
              who: str) -> Order:
    """Make the order's product lines `lines` and its shipping fee `shipping_fee` (None: none).

    New lines are added first (so the order's only line can be replaced), then changed lines are
    changed, the shipping line follows the fee, and product lines not in `lines` are removed. It
    all happens in a savepoint: a refusal (a delivered line changed, a bad SKU) changes nothing.
    """
    order = get_order(session, order_id)
    _editable(order)
    current = lines_of(session, order.id)
    by_id = {ln.id: ln for ln in current}
    for n, edit in enumerate(lines, start=1):
        if edit.line_id is not None and edit.line_id not in by_id:
            raise NotFound(f"order {order.number} has no line {edit.line_id!r}", field=f"lines[{n}].line_id")
    keep = {e.line_id for e in lines if e.line_id}
    with session.begin_nested():
        for n, e in enumerate(lines, start=1):
            if e.line_id is None:
                try:
                    add_line(session, order.id, LineIn(product_id=e.product_id, sku=e.sku, qty=e.qty,
                                                       unit_price=e.unit_price, discount_bp=e.discount_bp), who)
                except ValidationError as exc:
                    exc.field = f"lines[{n}].{exc.field}" if exc.field else f"lines[{n}]"
                    raise
        shipping = [ln for ln in current if ln.kind == "shipping"]
        if shipping_fee and not shipping:
            add_line(session, order.id, LineIn(kind="shipping", unit_price=shipping_fee), who)
        for e in lines:
            line = by_id.get(e.line_id) if e.line_id else None
            if line is None:
                continue
            price = line.unit_price if e.unit_price is None else e.unit_price
            if (e.qty, price, e.discount_bp) != (line.qty, line.unit_price, line.discount_bp):
                change_line(session, order.id, line.id, who, qty=e.qty, unit_price=price,
                            discount_bp=e.discount_bp)
        for line in shipping:
            if not shipping_fee:
                remove_line(session, order.id, line.id, who)
            elif shipping_fee != line.unit_price:
                change_line(session, order.id, line.id, who, unit_price=shipping_fee)
        for line in current:
            if line.kind == "product" and line.id not in keep:
                remove_line(session, order.id, line.id, who)
        session.flush()
    return order


#: the order's fields `set_details` may change (the customer and currency stay: they decide prices and VAT)
DETAILS = ("customer_name", "customer_email", "customer_reference", "invoice_address",
           "delivery_address", "payment_terms_days", "note")


def set_details(session: Session, order_id: str, who: str, **changes) -> Order:
    """Change references, e-mail, addresses, payment terms or the note of an order not yet delivered.

    The delivery country cannot change: it decided the VAT of every line.
    """
    order = get_order(session, order_id)
    _editable(order)
    unknown = sorted(set(changes) - set(DETAILS))
    if unknown:
        raise ValidationError(f"an order's {unknown[0]} cannot be changed here", field=unknown[0],
                              hint="changeable: " + ", ".join(DETAILS))
    values = dict(changes)
    for key in ("invoice_address", "delivery_address"):
        if key in values:
            values[key] = clean_address(values[key], key)
    if "delivery_address" in values:
        before = (order.delivery_address or {}).get("country")
        after = (values["delivery_address"] or {}).get("country")
        if before and after and after != before:
            raise ValidationError(f"the delivery country {before} decided the order's VAT and cannot "
                                  f"become {after}", field="delivery_address.country",
                                  hint="cancel the order and make a new one")
    if "customer_name" in values and not (values["customer_name"] or "").strip():
        raise ValidationError("must not be empty", field="customer_name")
    terms = values.get("payment_terms_days", order.payment_terms_days)
    if isinstance(terms, bool) or not isinstance(terms, int) or not 0 <= terms <= 365:
        raise ValidationError(f"{terms!r} is not a number of days (0–365)", field="payment_terms_days")
    changed = []
    for key, value in values.items():
        if isinstance(value, str):
            value = value.strip() or None
        if getattr(order, key) != value:
            setattr(order, key, value)
            changed.append(key)
    if changed:
        states.log_event(session, order, who, "edit", "changed " + ", ".join(changed))
        session.flush()
    return order
