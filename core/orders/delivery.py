"""Partial deliveries: any quantity of any line from a chosen location; stock moves once per delivered unit.

A delivery moves stock out (idempotency keys from the delivery id, so a replay moves nothing
twice), releases the reservation for what left and re-reserves the back order, and leaves work
for the integrations: capture this delivery's amount at the payment provider, book a shipment.
Drop-ship lines are delivered without stock movement when the supplier confirms.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import InvalidTransition, NotFound, ValidationError
from core.inventory.movements import MovementIn, location_codes, record_movements
from core.inventory.reservations import release_one, reserve
from core.money import vat_of_net
from core.orders import states
from core.orders.models import Delivery, DeliveryLine, IntegrationTask, Order, OrderLine
from core.orders.pricing import share, summarise
from core.orders.service import PROVIDER_PAID, get_order, lines_of
from core.quantity import format_qty, line_quantities


def _requested(lines: Mapping[str, int] | Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    return line_quantities(lines, verb="deliver", document="a delivery")


def _check_lines(order: Order, by_id: dict[str, OrderLine], pairs: list[tuple[str, int]],
                 drop_ship_confirmed: bool) -> list[tuple[OrderLine, int]]:
    chosen = []
    for line_id, qty in pairs:
        line = by_id.get(line_id)
        if line is None:
            raise NotFound(f"order {order.number} has no line {line_id!r}", field="lines")
        what = f"line {line.position} ({line.sku or line.name})"
        left = line.qty - line.delivered_qty
        if qty > left:
            raise ValidationError(
                f"{what}: {format_qty(qty)} asked for, but only {format_qty(left)} is left to "
                f"deliver ({format_qty(line.qty)} ordered, {format_qty(line.delivered_qty)} "
                "delivered)", field=f"lines[{line.position}].qty",
                hint=f"deliver at most {format_qty(left)}")
        if line.drop_ship and not drop_ship_confirmed:
            raise ValidationError(f"{what} is drop-shipped: it is delivered when the supplier "
                                  "confirms", field=f"lines[{line.position}]",
                                  hint="deliver it with drop_ship_confirmed=True")
        if drop_ship_confirmed and not line.drop_ship:
            raise ValidationError(f"{what} is not drop-shipped; deliver it from a location",
                                  field=f"lines[{line.position}]",
                                  hint="make separate deliveries for drop-ship and stock lines")
        chosen.append((line, qty))
    return chosen


def _gross(amount: int, rate_bp: int, prices_include_vat: bool) -> int:
    return amount if prices_include_vat else amount + vat_of_net(amount, rate_bp)


def deliver(session: Session, order_id: str, lines: Mapping[str, int] | Iterable[tuple[str, int]],
            who: str, *, location_id: int | None = None, on: dt.date | None = None,
            drop_ship_confirmed: bool = False, allow_negative: bool = False,
            delivery_id: str | None = None, tracking_number: str | None = None) -> Delivery:
    """Deliver `lines` ({order line id: qty in thousandths}) of a confirmed order.

    The shipping fee rides with the first delivery. A replay with the same `delivery_id`
    returns the stored delivery and moves nothing.
    """
    who = states.check_who(who)
    if delivery_id is not None:
        existing = session.get(Delivery, delivery_id)
        if existing is not None:
            if existing.order_id != order_id:
                raise ValidationError(f"delivery {delivery_id} belongs to another order",
                                      field="delivery_id")
            return existing
    order = get_order(session, order_id)
    if order.status not in states.DELIVERABLE:
        hint = "confirm it first" if order.status == "new" else "nothing is left to deliver"
        raise InvalidTransition(f"order {order.number} is {order.status} and cannot be delivered",
                                field="status", hint=hint)
    all_lines = lines_of(session, order.id)
    by_id = {ln.id: ln for ln in all_lines}
    chosen = _check_lines(order, by_id, _requested(lines), drop_ship_confirmed)
    if any(ln.kind == "shipping" for ln, _ in chosen):
        raise ValidationError("the shipping fee is delivered with the first delivery by itself",
                              field="lines", hint="leave the shipping line out")
    if not drop_ship_confirmed:
        location_id = location_id if location_id is not None else order.location_id
        if location_id is None:
            raise ValidationError("choose the location the goods leave from", field="location_id")
        location_codes(session, [location_id])  # NotFound for an unknown location
    else:
        location_id = None
    seq = (session.scalar(select(func.max(Delivery.seq)).where(Delivery.order_id == order.id))
           or 0) + 1
    chosen += [(ln, ln.qty - ln.delivered_qty) for ln in all_lines
               if ln.kind == "shipping" and ln.delivered_qty < ln.qty]
    with session.begin_nested():  # a stock refusal below leaves nothing behind
        delivery = Delivery(id=delivery_id or str(uuid.uuid4()), order_id=order.id, seq=seq,
                            location_id=location_id, drop_ship=drop_ship_confirmed,
                            delivered_on=on or dt.date.today(), created_by=who,
                            tracking_number=tracking_number)
        session.add(delivery)
        session.flush()
        moves, parts = [], []
        for line, qty in chosen:
            amount = share(line.amount, line.qty, line.delivered_qty, qty)
            session.add(DeliveryLine(delivery_id=delivery.id, order_line_id=line.id, qty=qty,
                                     amount=amount))
            parts.append((line, qty, amount))
            if line.kind == "product" and not line.drop_ship:
                moves.append(MovementIn(line.product_id, location_id, -qty, "delivery", "delivery",
                                        delivery.id, f"delivery:{delivery.id}:{line.id}"))
        record_movements(session, moves, allow_negative=allow_negative)
        for line, qty, _amount in parts:
            line.delivered_qty += qty
            if line.reservation_key:
                release_one(session, line.reservation_key)
                line.reservation_key = None
                left = line.qty - line.delivered_qty
                if left > 0:
                    line.reservation_key = f"order_line:{line.id}:after:{delivery.id}"
                    reserve(session, line.product_id, order.location_id or location_id, left,
                            "order_line", line.id, line.reservation_key)
        _, _, delivery.gross, _ = summarise([(a, ln.vat_rate_bp) for ln, _q, a in parts],
                                            order.prices_include_vat)
        delivery.amount = sum(a for _l, _q, a in parts)
        short = any(ln.delivered_qty < ln.qty for ln in all_lines)
        order.has_backorder = short
        target = "partly_delivered" if short else "delivered"
        if order.status != target:
            states.move(session, order, target, who, f"delivery {seq}")
        states.log_event(session, order, who, "delivery", "delivery {}: {}".format(
            seq, ", ".join(f"{format_qty(q)} × {ln.sku or ln.name}" for ln, q, _ in parts)))
        _tasks(session, order, delivery, parts)
        session.flush()
    return delivery


def _tasks(session: Session, order: Order, delivery: Delivery, parts) -> None:
    lines = [{"order_line_id": ln.id, "sku": ln.sku, "name": ln.name, "kind": ln.kind, "qty": q,
              "unit_price": ln.unit_price, "discount_bp": ln.discount_bp, "amount": a,
              "gross": _gross(a, ln.vat_rate_bp, order.prices_include_vat),
              "vat_rate_bp": ln.vat_rate_bp} for ln, q, a in parts]
    head = {"order_id": order.id, "order_number": order.number, "delivery_id": delivery.id,
            "delivery_seq": delivery.seq, "channel_id": order.channel_id,
            "channel_order_no": order.channel_order_no}
    if order.payment_provider in PROVIDER_PAID and order.payment_authorised > 0:
        session.add(IntegrationTask(
            type="capture_payment", order_id=order.id, delivery_id=delivery.id,
            idem_key=f"capture_payment:{delivery.id}",
            body={**head, "provider": order.payment_provider,
                  "provider_reference": order.payment_reference, "currency": order.currency,
                  "amount": delivery.gross, "prices_include_vat": order.prices_include_vat,
                  "lines": lines}))
    if not delivery.drop_ship:
        session.add(IntegrationTask(
            type="book_shipment", order_id=order.id, delivery_id=delivery.id,
            idem_key=f"book_shipment:{delivery.id}",
            body={**head, "location_id": delivery.location_id, "customer_name": order.customer_name,
                  "customer_email": order.customer_email, "address": order.delivery_address,
                  "lines": [{k: ln[k] for k in ("sku", "name", "qty")} for ln in lines
                            if ln["kind"] == "product"]}))


def deliveries_of(session: Session, order_id: str) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(Delivery.order_id == order_id)
                                .order_by(Delivery.seq)))


def delivery_lines(session: Session, delivery_id: str) -> list[tuple[DeliveryLine, OrderLine]]:
    return list(session.execute(
        select(DeliveryLine, OrderLine).join(OrderLine, OrderLine.id == DeliveryLine.order_line_id)
        .where(DeliveryLine.delivery_id == delivery_id).order_by(OrderLine.position)))


def set_tracking(session: Session, delivery_id: str, tracking_number: str, who: str,
                 carrier: str | None = None) -> Delivery:
    """Store the carrier's tracking number once the integrations booked the shipment."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no delivery {delivery_id!r}", field="delivery_id")
    if not (tracking_number or "").strip():
        raise ValidationError("must not be empty", field="tracking_number")
    delivery.tracking_number = tracking_number.strip()[:100]
    delivery.carrier = carrier
    order = session.get(Order, delivery.order_id)
    states.log_event(session, order, who, "delivery",
                     f"delivery {delivery.seq}: tracking {delivery.tracking_number}")
    return delivery


def pending_tasks(session: Session, type_: str | None = None, limit: int = 100) -> list[IntegrationTask]:
    """Integration tasks not done yet, oldest first (the sync node works through them)."""
    stmt = select(IntegrationTask).where(IntegrationTask.done_at.is_(None))
    if type_ is not None:
        stmt = stmt.where(IntegrationTask.type == type_)
    return list(session.scalars(stmt.order_by(IntegrationTask.created_at).limit(limit)))
