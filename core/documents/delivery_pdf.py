"""Delivery note / packing slip PDF per delivery: what is in the parcel and what is still back-ordered."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.company.models import Channel
from core.documents.layout import Doc, address_lines, day, qty, render, seller_of
from core.errors import NotFound
from core.orders.delivery import delivery_lines
from core.orders.models import Delivery, DeliveryLine
from core.orders.service import get_order, lines_of


def delivery_doc(session: Session, delivery_id: str) -> Doc:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no delivery {delivery_id!r}", field="delivery_id")
    order = get_order(session, delivery.order_id)
    channel = session.get(Channel, order.channel_id)
    sent = {ol.id: dl.qty for dl, ol in delivery_lines(session, delivery.id)}
    # delivered before this one: every delivery of the order with a lower sequence number
    before = dict(session.execute(
        select(DeliveryLine.order_line_id, func.sum(DeliveryLine.qty))
        .join(Delivery, Delivery.id == DeliveryLine.delivery_id)
        .where(Delivery.order_id == order.id, Delivery.seq < delivery.seq)
        .group_by(DeliveryLine.order_line_id)).all())
    rows, backordered = [], False
    for ln in lines_of(session, order.id):
        if ln.kind != "product":
            continue
        now, earlier = sent.get(ln.id, 0), int(before.get(ln.id) or 0)
        rest = ln.qty - earlier - now
        backordered = backordered or rest > 0
        if now or rest:
            rows.append([ln.sku, ln.name, qty(ln.qty), qty(earlier), qty(now), qty(rest)])
    facts = [("Leverans", f"{order.number}-{delivery.seq}"), ("Ordernummer", str(order.number))]
    if order.channel_order_no:
        facts.append((f"{channel.name} ordernr", order.channel_order_no))
    facts.append(("Leveransdatum", day(delivery.delivered_on)))
    if delivery.tracking_number:
        facts.append(("Spårningsnummer", delivery.tracking_number))
    notes = []
    if backordered:
        notes.append("Restnoterade artiklar levereras så snart de finns i lager.")
    if delivery.drop_ship:
        notes.append("Levereras direkt från vår leverantör.")
    return Doc(
        title="Följesedel", seller=seller_of(session), facts=facts,
        addresses=[("Leveransadress", address_lines(order.delivery_address, order.customer_name)),
                   ("Kund", [order.customer_name])],
        columns=["Art.nr", "Benämning", "Beställt", "Tidigare lev.", "Levereras nu", "Restnoterat"],
        widths=[0.15, 0.37, 0.11, 0.12, 0.13, 0.12], numeric={2, 3, 4, 5}, rows=rows, notes=notes)


def delivery_note_pdf(session: Session, delivery_id: str) -> bytes:
    return render(delivery_doc(session, delivery_id))
