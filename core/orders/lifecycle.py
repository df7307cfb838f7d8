"""Order lifecycle use cases: confirm (reserve stock), cancel (release), cancel the back order, close, captures.

Each runs in the caller's unit of work; a refusal raises before anything is written or inside a
savepoint, so a refused command changes nothing.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidTransition, ValidationError
from core.inventory.reservations import release, reserve
from core.invoicing.models import Invoice
from core.orders import states
from core.orders.models import Delivery, IntegrationTask, Order, OrderLine
from core.orders.pricing import prorate
from core.orders.service import PROVIDER_PAID, get_order, lines_of, recompute_totals


def reservation_key_for(line: OrderLine) -> str:
    return f"order_line:{line.id}:{uuid.uuid4().hex[:12]}"



def reserve_line(session: Session, order: Order, line: OrderLine, qty: int) -> None:
    if line.kind != "product" or line.drop_ship or qty <= 0:
        line.reservation_key = None
        return
    if order.location_id is None:
        raise ValidationError(f"order {order.number} has no stock location to reserve at",
                              field="location_id", hint="set the channel's location or choose one")
    line.reservation_key = reservation_key_for(line)
    reserve(session, line.product_id, order.location_id, qty, "order_line", line.id,
            line.reservation_key)



def confirm_order(session: Session, order_id: str, who: str) -> Order:
    """new → confirmed: reserve every stocked line at the order's location (bundles: components)."""
    order = get_order(session, order_id)
    states.check_transition(order, "confirmed")
    with session.begin_nested():
        for line in lines_of(session, order.id):
            reserve_line(session, order, line, line.qty - line.delivered_qty)
        states.move(session, order, "confirmed", who)
    return order


def _release_payment_task(session: Session, order: Order, reason: str) -> None:
    left = order.payment_authorised - order.payment_captured
    if order.payment_provider in PROVIDER_PAID and left > 0:
        session.add(IntegrationTask(
            type="release_payment", order_id=order.id, idem_key=f"release_payment:{order.id}",
            body={"order_id": order.id, "order_number": order.number,
                  "channel_order_no": order.channel_order_no,
                  "provider": order.payment_provider, "provider_reference": order.payment_reference,
                  "currency": order.currency, "amount": left, "reason": reason}))


def cancel_order(session: Session, order_id: str, who: str, reason: str | None = None) -> Order:
    """new/confirmed → cancelled: every reservation released, an authorised payment released."""
    order = get_order(session, order_id)
    states.check_transition(order, "cancelled")
    for line in lines_of(session, order.id):
        release(session, "order_line", line.id)
        line.reservation_key = None
    _release_payment_task(session, order, "cancelled")
    states.move(session, order, "cancelled", who, reason)
    return order


def cancel_backorder(session: Session, order_id: str, who: str, reason: str | None = None) -> Order:
    """partly_delivered → delivered: what is still back-ordered is dropped and its stock released."""
    order = get_order(session, order_id)
    states.check_transition(order, "delivered")
    if order.status != "partly_delivered":
        raise InvalidTransition(f"order {order.number} is {order.status}; only a partly delivered "
                                "order has a back order to cancel", field="status")
    for line in lines_of(session, order.id):
        if line.delivered_qty < line.qty:
            release(session, "order_line", line.id)
            line.reservation_key = None
            line.amount = prorate(line.amount, line.qty, line.delivered_qty)
            line.qty = line.delivered_qty
    order.has_backorder = False
    recompute_totals(session, order)
    _release_payment_task(session, order, "back order cancelled")
    states.move(session, order, "delivered", who, reason or "back order cancelled")
    _advance_billing(session, order, who)
    return order


def _advance_billing(session: Session, order: Order, who: str) -> None:
    """A delivered order whose deliveries are all invoiced is invoiced; paid in full, closed."""
    session.flush()
    uninvoiced = session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.order_id == order.id, Delivery.invoice_id.is_(None)))
    if uninvoiced:
        return
    states.move(session, order, "invoiced", who, "every delivery is invoiced")
    unpaid = session.scalar(select(func.count()).select_from(Invoice).where(
        Invoice.order_id == order.id, Invoice.kind == "invoice", Invoice.settled.is_(False)))
    if not unpaid:
        states.move(session, order, "closed", who, "every invoice is paid")


def close_order(session: Session, order_id: str, who: str, note: str | None = None) -> Order:
    """invoiced → closed (done automatically when every invoice is paid)."""
    order = get_order(session, order_id)
    states.move(session, order, "closed", who, note)
    return order


def record_capture(session: Session, order_id: str, amount: int, who: str,
                   reference: str | None = None) -> Order:
    """The provider captured `amount` öre (called by the integrations after a capture task)."""
    order = get_order(session, order_id)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError(f"a capture is a positive amount of öre, got {amount!r}", field="amount")
    if order.payment_captured + amount > order.payment_authorised:
        raise Conflict(f"order {order.number}: capturing {amount} öre would exceed the authorised "
                       f"{order.payment_authorised} öre ({order.payment_captured} already captured)",
                       field="amount")
    order.payment_captured += amount
    states.log_event(session, order, who, "payment", f"captured {amount} öre" +
                     (f" ({reference})" if reference else ""))
    return order
