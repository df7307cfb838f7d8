"""Order use cases: create from any channel, edit lines, confirm (reserve stock), cancel (release), close.

Each runs in the caller's unit of work (`store.write()`); a refusal raises before anything is
written, or inside a savepoint, so a refused command changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.company.models import Channel, Store
from core.customers.models import Customer, CustomerAddress
from core.customers.service import resolve_customer
from core.errors import Conflict, NotFound, ValidationError
from core.money import check_currency
from core.numbering import next_number
from core.orders import states
from core.orders.models import Order, OrderLine
from core.orders.pricing import (
    LineIn,
    PricedLine,
    PricingContext,
    decide_vat,
    list_includes_vat,
    price_line,
    seller_country,
    summarise,
)
from core.vat.rates import RateTable, VatDecision, check_country

PROVIDERS = ("invoice", "klarna", "nets", "card", "swish", "cash", "prepaid")
#: paid at checkout through a provider: the invoice is internal, settled when the provider pays out
PROVIDER_PAID = frozenset({"klarna", "nets", "card", "swish"})
ADDRESS_KEYS = ("name", "address1", "address2", "postal_code", "city", "country")


@dataclass
class OrderIn:
    """An order as entered by hand or imported from a channel (a webshop's order, a B2B order)."""

    channel_id: int
    lines: list[LineIn] = field(default_factory=list)
    customer_id: str | None = None
    channel_order_no: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None
    invoice_address: dict | None = None
    delivery_address: dict | None = None
    currency: str = "SEK"
    price_list_id: int | None = None
    order_date: dt.date | None = None
    location_id: int | None = None
    payment_terms_days: int = 30
    payment_provider: str = "invoice"
    payment_reference: str | None = None
    #: öre authorised at the provider (to be captured per delivery)
    payment_authorised: int = 0
    customer_reference: str | None = None
    note: str | None = None
    #: the seller uses the EU OSS scheme (distance sales taxed in the buyer's country)
    oss: bool = False


def clean_address(value: dict | None, field_name: str) -> dict | None:
    if not value:
        return None
    out = {k: (str(value.get(k)).strip() if value.get(k) not in (None, "") else None)
           for k in ADDRESS_KEYS}
    for key in ("address1", "postal_code", "city"):
        if not out[key]:
            raise ValidationError("must not be empty", field=f"{field_name}.{key}")
    out["country"] = check_country(out["country"] or "SE", f"{field_name}.country")
    return out


def _customer_address(session: Session, customer: Customer, kind: str) -> dict | None:
    row = session.scalar(select(CustomerAddress).where(
        CustomerAddress.customer_id == customer.id, CustomerAddress.kind == kind).limit(1))
    if row is None:
        return None
    return {"name": row.name or customer.name, "address1": row.address1,
            "address2": row.address2, "postal_code": row.postal_code, "city": row.city,
            "country": row.country}


def get_order(session: Session, order_id: str) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(f"no order with id {order_id!r}", field="order_id")
    return order


def order_by_number(session: Session, number: int) -> Order:
    order = session.scalar(select(Order).where(Order.number == number))
    if order is None:
        raise NotFound(f"no order number {number}", field="number")
    return order


def find_channel_order(session: Session, channel_id: int, channel_order_no: str) -> Order | None:
    """The order a channel already sent with this number (webshop imports are idempotent on it)."""
    return session.scalar(select(Order).where(Order.channel_id == channel_id,
                                              Order.channel_order_no == channel_order_no))


def lines_of(session: Session, order_id: str) -> list[OrderLine]:
    return list(session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)
                                .order_by(OrderLine.position)))


def _location_for(session: Session, channel: Channel, location_id: int | None) -> int | None:
    if location_id is not None:
        return location_id
    if channel.location_id is not None:
        return channel.location_id
    if channel.store_id is not None:
        return session.scalar(select(Store.location_id).where(Store.id == channel.store_id))
    return None


def pricing_context(session: Session, order: Order) -> PricingContext:
    """The context the order's lines are priced in (VAT decided when the order was created)."""
    return PricingContext(seller_country(session), VatDecision(order.vat_country, order.vat_treatment),
                          order.currency, order.prices_include_vat, order.order_date,
                          RateTable.load(session), order.customer_id, order.channel_id)


def new_line(order_id: str, position: int, p: PricedLine) -> OrderLine:
    return OrderLine(id=str(uuid.uuid4()), order_id=order_id, position=position, kind=p.kind,
                     product_id=p.product_id, sku=p.sku, name=p.name, qty=p.qty,
                     unit_price=p.unit_price, discount_bp=p.discount_bp, amount=p.amount,
                     vat_class=p.vat_class, vat_rate_bp=p.vat_rate_bp, drop_ship=p.drop_ship,
                     delivered_qty=0)


def recompute_totals(session: Session, order: Order) -> None:
    session.flush()
    rows = session.execute(select(OrderLine.amount, OrderLine.vat_rate_bp)
                           .where(OrderLine.order_id == order.id)).all()
    order.total_net, order.total_vat, order.total_gross, _ = summarise(
        [(a, r) for a, r in rows], order.prices_include_vat)


def prepare_parties(session: Session, data, channel: Channel, on: dt.date
                    ) -> tuple[dict, PricingContext]:
    """Customer, address snapshots, currency, price list and VAT decision shared by orders and quotes.

    `data` has customer_id, customer_name, customer_email, invoice_address, delivery_address,
    currency, price_list_id, oss and lines (an OrderIn or a QuoteIn).
    """
    currency = check_currency(data.currency)
    customer = resolve_customer(session, data.customer_id) if data.customer_id else None
    invoice_addr = clean_address(data.invoice_address, "invoice_address") or (
        _customer_address(session, customer, "invoice") if customer else None)
    delivery_addr = clean_address(data.delivery_address, "delivery_address") or (
        _customer_address(session, customer, "delivery") if customer else None) or invoice_addr
    name = (data.customer_name or (customer.name if customer else "")
            or (invoice_addr or {}).get("name") or "").strip()
    if not name:
        raise ValidationError("needs a customer or a customer name", field="customer_id")
    if not data.lines:
        raise ValidationError("needs at least one line", field="lines")
    seller, decision = decide_vat(session, customer, (delivery_addr or {}).get("country"), data.oss)
    price_list_id, includes_vat = list_includes_vat(session, data.price_list_id, customer,
                                                    channel.id)
    includes_vat = includes_vat and decision.charges_vat
    ctx = PricingContext(seller, decision, currency, includes_vat, on, RateTable.load(session),
                         customer.id if customer else None, channel.id)
    values = {
        "customer_id": customer.id if customer else None, "customer_name": name[:200],
        "customer_email": (data.customer_email or (customer.email if customer else None)),
        "buyer_is_business": bool(customer and customer.kind == "company"),
        "buyer_vat_number": customer.vat_number if customer else None,
        "invoice_address": invoice_addr, "delivery_address": delivery_addr, "currency": currency,
        "price_list_id": price_list_id, "prices_include_vat": includes_vat,
        "vat_treatment": decision.treatment, "vat_country": decision.country}
    return values, ctx


def price_lines(session: Session, ctx: PricingContext, lines: list[LineIn]) -> list[PricedLine]:
    """Price every line; a refusal names the line ("lines[2].qty")."""
    priced = []
    for i, line in enumerate(lines, start=1):
        try:
            priced.append(price_line(session, ctx, line))
        except ValidationError as exc:
            exc.field = f"lines[{i}].{exc.field}" if exc.field else f"lines[{i}]"
            raise
    return priced


def get_channel(session: Session, channel_id: int) -> Channel:
    channel = session.get(Channel, channel_id)
    if channel is None:
        raise NotFound(f"no sales channel with id {channel_id}", field="channel_id")
    return channel


def check_terms(data) -> None:
    for name in ("payment_terms_days", "payment_authorised"):
        value = getattr(data, name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(f"must be a whole number ≥ 0, got {value!r}", field=name)


def create_order(session: Session, data: OrderIn, who: str) -> Order:
    """Validate, price and store a new order with our next gap-free number; status `new`."""
    who = states.check_who(who)
    channel = get_channel(session, data.channel_id)
    channel_no = (data.channel_order_no or "").strip() or None
    if channel_no:
        existing = find_channel_order(session, channel.id, channel_no)
        if existing is not None:
            raise Conflict(f"{channel.name} order {channel_no} is already order {existing.number}",
                           field="channel_order_no", hint="open that order instead")
    if data.payment_provider not in PROVIDERS:
        raise ValidationError(f"unknown payment provider {data.payment_provider!r}",
                              field="payment_provider", hint="one of " + ", ".join(PROVIDERS))
    check_terms(data)
    on = data.order_date or dt.date.today()
    values, ctx = prepare_parties(session, data, channel, on)
    priced = price_lines(session, ctx, data.lines)
    order = Order(
        id=str(uuid.uuid4()), number=next_number(session, "order"), channel_id=channel.id,
        channel_order_no=channel_no, status="new", order_date=on,
        location_id=_location_for(session, channel, data.location_id),
        payment_terms_days=data.payment_terms_days, payment_provider=data.payment_provider,
        payment_reference=data.payment_reference, payment_authorised=data.payment_authorised,
        customer_reference=data.customer_reference, note=data.note, created_by=who, **values)
    session.add(order)
    session.flush()
    for i, p in enumerate(priced, start=1):
        session.add(new_line(order.id, i, p))
    recompute_totals(session, order)
    states.log_event(session, order, who, "status", f"created from channel {channel.code}",
                     None, "new")
    session.flush()
    return order
