"""One order as the back office shows it: lines (ordered, delivered, back order), customer,
addresses, payment, deliveries with tracking, invoices with what is left to pay, and history.

`load_detail` runs on the database lane and returns plain data (no ORM objects reach the GUI).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.company.models import Channel
from core.inventory.movements import location_codes
from core.invoicing.models import Invoice
from core.invoicing.service import balance
from core.invoicing.service import lines_of as invoice_lines
from core.orders import states
from core.orders.delivery import deliveries_of, delivery_lines
from core.orders.models import OrderEvent
from core.orders.service import get_order, lines_of
from core.quantity import format_qty


@dataclass(frozen=True)
class LineInfo:
    id: str
    position: int
    kind: str
    sku: str
    name: str
    qty: int
    delivered: int
    unit_price: int
    discount_bp: int
    amount: int
    vat_rate_bp: int
    drop_ship: bool
    product_id: int | None

    @property
    def backorder(self) -> int:
        return self.qty - self.delivered


@dataclass(frozen=True)
class DeliveryInfo:
    id: str
    seq: int
    delivered_on: dt.date
    location: str
    drop_ship: bool
    gross: int
    carrier: str | None
    tracking_number: str | None
    invoice_number: int | None
    #: "2 × TSHIRT, 1 × BOK"
    contents: str


@dataclass(frozen=True)
class InvoiceLineInfo:
    id: int
    position: int
    sku: str
    name: str
    qty: int
    credited_qty: int
    amount: int


@dataclass(frozen=True)
class InvoiceInfo:
    id: str
    number: int
    kind: str
    invoice_date: dt.date
    due_date: dt.date
    ocr: str
    total_gross: int
    #: left to pay (credit notes: 0)
    open_amount: int
    settled: bool
    paid_by_provider: str | None
    credited_number: int | None
    lines: list[InvoiceLineInfo] = field(default_factory=list)


@dataclass(frozen=True)
class EventInfo:
    at: dt.datetime
    who: str
    kind: str
    text: str


@dataclass
class OrderDetail:
    id: str
    number: int
    channel_id: int
    channel: str
    channel_kind: str
    channel_order_no: str | None
    status: str
    order_date: dt.date
    customer_id: str | None
    customer_name: str
    customer_email: str | None
    customer_reference: str | None
    invoice_address: dict | None
    delivery_address: dict | None
    currency: str
    prices_include_vat: bool
    vat_treatment: str
    vat_country: str
    price_list_id: int | None
    location_id: int | None
    payment_terms_days: int
    payment_provider: str
    payment_reference: str | None
    payment_authorised: int
    payment_captured: int
    total_net: int
    total_vat: int
    total_gross: int
    lines: list[LineInfo]
    deliveries: list[DeliveryInfo]
    invoices: list[InvoiceInfo]
    events: list[EventInfo]
    note: str | None = None

    @property
    def editable(self) -> bool:
        return self.status in states.EDITABLE

    @property
    def deliverable(self) -> bool:
        return self.status in states.DELIVERABLE

    @property
    def shipping_fee(self) -> int | None:
        fees = [ln.unit_price for ln in self.lines if ln.kind == "shipping"]
        return fees[0] if fees else None


def address_text(address: dict | None) -> str:
    if not address:
        return ""
    place = " ".join(p for p in (address.get("postal_code"), address.get("city")) if p)
    parts = [address.get("name"), address.get("address1"), address.get("address2"), place,
             address.get("country")]
    return "\n".join(p for p in parts if p)


def _event_text(e: OrderEvent) -> str:
    if e.kind == "status" and e.to_status:
        moved = f"{e.from_status or '—'} → {e.to_status}"
        return moved + (f" ({e.note})" if e.note else "")
    return e.note or ""


def load_detail(session: Session, order_id: str) -> OrderDetail:
    """Everything the order's detail pane shows, read in one session."""
    order = get_order(session, order_id)
    channel = session.get(Channel, order.channel_id)
    lines = [LineInfo(ln.id, ln.position, ln.kind, ln.sku, ln.name, ln.qty, ln.delivered_qty,
                      ln.unit_price, ln.discount_bp, ln.amount, ln.vat_rate_bp, ln.drop_ship,
                      ln.product_id) for ln in lines_of(session, order.id)]
    invoices = list(session.scalars(select(Invoice).where(Invoice.order_id == order.id)
                                    .order_by(Invoice.number)))
    numbers = {inv.id: inv.number for inv in invoices}
    deliveries = []
    for d in deliveries_of(session, order.id):
        loc = location_codes(session, [d.location_id]).get(d.location_id, "") if d.location_id else ""
        contents = ", ".join(f"{format_qty(dl.qty)} × {ol.sku or ol.name}" for dl, ol in delivery_lines(session, d.id))
        deliveries.append(DeliveryInfo(d.id, d.seq, d.delivered_on, loc, d.drop_ship, d.gross, d.carrier,
                                       d.tracking_number, numbers.get(d.invoice_id), contents))
    invoice_infos = []
    for inv in invoices:
        open_amount = balance(session, inv) if inv.kind == "invoice" else 0
        invoice_infos.append(InvoiceInfo(
            inv.id, inv.number, inv.kind, inv.invoice_date, inv.due_date, inv.ocr, inv.total_gross,
            open_amount, inv.settled, inv.paid_by_provider, numbers.get(inv.credited_invoice_id),
            [InvoiceLineInfo(ln.id, ln.position, ln.sku, ln.name, ln.qty, ln.credited_qty, ln.amount)
             for ln in invoice_lines(session, inv.id)]))
    events = [EventInfo(e.at, e.who, e.kind, _event_text(e)) for e in session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id))]
    return OrderDetail(
        order.id, order.number, order.channel_id, channel.name if channel else "",
        channel.kind if channel else "", order.channel_order_no, order.status, order.order_date,
        order.customer_id, order.customer_name, order.customer_email, order.customer_reference,
        order.invoice_address, order.delivery_address, order.currency, order.prices_include_vat,
        order.vat_treatment, order.vat_country, order.price_list_id, order.location_id,
        order.payment_terms_days, order.payment_provider, order.payment_reference,
        order.payment_authorised, order.payment_captured, order.total_net, order.total_vat,
        order.total_gross, lines, deliveries, invoice_infos, events, order.note)

