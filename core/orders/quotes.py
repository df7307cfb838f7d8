"""Quotes: priced like orders, valid until a date; an accepted quote becomes an order in one step."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.numbering import next_number
from core.orders import states
from core.orders.models import Order, Quote, QuoteLine
from core.orders.pricing import LineIn, summarise
from core.orders.service import (
    OrderIn,
    check_terms,
    create_order,
    get_channel,
    prepare_parties,
    price_lines,
)

DEFAULT_VALID_DAYS = 30
#: status → statuses it may move to
TRANSITIONS = {"draft": {"sent", "accepted", "rejected"}, "sent": {"accepted", "rejected"},
               "accepted": {"converted"}, "rejected": set(), "converted": set()}


@dataclass
class QuoteIn:
    channel_id: int
    lines: list[LineIn] = field(default_factory=list)
    customer_id: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None
    invoice_address: dict | None = None
    delivery_address: dict | None = None
    currency: str = "SEK"
    price_list_id: int | None = None
    quote_date: dt.date | None = None
    #: last day the offer holds (default: 30 days after the quote date)
    valid_until: dt.date | None = None
    payment_terms_days: int = 30
    note: str | None = None
    oss: bool = False


def get_quote(session: Session, quote_id: str) -> Quote:
    quote = session.get(Quote, quote_id)
    if quote is None:
        raise NotFound(f"no quote with id {quote_id!r}", field="quote_id")
    return quote


def quote_lines(session: Session, quote_id: str) -> list[QuoteLine]:
    return list(session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote_id)
                                .order_by(QuoteLine.position)))


def _priced(session: Session, data: QuoteIn, on: dt.date):
    """(values, priced lines) for `data` quoted on `on`; refuses before anything is written."""
    channel = get_channel(session, data.channel_id)
    check_terms(data)
    valid_until = data.valid_until or on + dt.timedelta(days=DEFAULT_VALID_DAYS)
    if valid_until < on:
        raise ValidationError(f"valid until {valid_until.isoformat()} is before the quote date "
                              f"{on.isoformat()}", field="valid_until")
    values, ctx = prepare_parties(session, data, channel, on)
    priced = price_lines(session, ctx, data.lines)
    values.update(channel_id=channel.id, valid_until=valid_until,
                  payment_terms_days=data.payment_terms_days, note=data.note)
    values["total_net"], values["total_vat"], values["total_gross"], _ = summarise(
        [(p.amount, p.vat_rate_bp) for p in priced], values["prices_include_vat"])
    return values, priced


def _store_lines(session: Session, quote: Quote, priced) -> None:
    for i, p in enumerate(priced, start=1):
        session.add(QuoteLine(quote_id=quote.id, position=i, kind=p.kind, product_id=p.product_id,
                              sku=p.sku, name=p.name, qty=p.qty, unit_price=p.unit_price,
                              discount_bp=p.discount_bp, amount=p.amount, vat_class=p.vat_class,
                              vat_rate_bp=p.vat_rate_bp))
    session.flush()


def create_quote(session: Session, data: QuoteIn, who: str) -> Quote:
    """Validate and price a quote with the next number of the "quote" series; status draft."""
    who = states.check_who(who)
    on = data.quote_date or dt.date.today()
    values, priced = _priced(session, data, on)
    quote = Quote(id=str(uuid.uuid4()), number=next_number(session, "quote"), status="draft",
                  quote_date=on, created_by=who, **values)
    session.add(quote)
    session.flush()
    _store_lines(session, quote, priced)
    return quote


def edit_quote(session: Session, quote_id: str, data: QuoteIn, who: str) -> Quote:
    """Replace a draft or sent quote's customer, lines, validity and note, priced anew on its date.

    A sent quote becomes a draft again: what the customer has is no longer what it says.
    """
    states.check_who(who)
    quote = get_quote(session, quote_id)
    if quote.status not in ("draft", "sent"):
        raise InvalidTransition(f"quote {quote.number} is {quote.status} and cannot be edited",
                                field="status", hint="make a new quote")
    values, priced = _priced(session, data, quote.quote_date)
    for old in quote_lines(session, quote.id):
        session.delete(old)
    session.flush()
    for key, value in values.items():
        setattr(quote, key, value)
    quote.status = "draft"
    _store_lines(session, quote, priced)
    return quote


def _move(quote: Quote, target: str) -> None:
    if target not in TRANSITIONS[quote.status]:
        nxt = sorted(TRANSITIONS[quote.status])
        raise InvalidTransition(f"quote {quote.number} is {quote.status} and cannot become {target}",
                                field="status",
                                hint=("it can become " + ", ".join(nxt)) if nxt else "it is final")
    quote.status = target


def _check_valid(quote: Quote, today: dt.date) -> None:
    if quote.valid_until < today:
        raise Conflict(f"quote {quote.number} expired on {quote.valid_until.isoformat()}",
                       field="valid_until", hint="make a new quote, or extend its validity")


def mark_sent(session: Session, quote_id: str) -> Quote:
    quote = get_quote(session, quote_id)
    _move(quote, "sent")
    return quote


def reject_quote(session: Session, quote_id: str) -> Quote:
    quote = get_quote(session, quote_id)
    _move(quote, "rejected")
    return quote


def accept_quote(session: Session, quote_id: str, today: dt.date | None = None) -> Quote:
    quote = get_quote(session, quote_id)
    _check_valid(quote, today or dt.date.today())
    _move(quote, "accepted")
    return quote


def convert_quote(session: Session, quote_id: str, who: str, today: dt.date | None = None,
                  channel_order_no: str | None = None, payment_provider: str = "invoice") -> Order:
    """Accept (if not yet) and turn the quote into a new order at the quoted prices, in one step."""
    quote = get_quote(session, quote_id)
    today = today or dt.date.today()
    if quote.status in ("draft", "sent"):
        _check_valid(quote, today)
        _move(quote, "accepted")
    if quote.status != "accepted":
        _move(quote, "converted")  # raises InvalidTransition naming the status
    lines = [LineIn(product_id=ln.product_id, qty=ln.qty, unit_price=ln.unit_price,
                    discount_bp=ln.discount_bp, name=ln.name, kind=ln.kind, vat_class=ln.vat_class)
             for ln in quote_lines(session, quote.id)]
    order = create_order(session, OrderIn(
        channel_id=quote.channel_id, lines=lines, customer_id=quote.customer_id,
        channel_order_no=channel_order_no, customer_name=quote.customer_name,
        customer_email=quote.customer_email, invoice_address=quote.invoice_address,
        delivery_address=quote.delivery_address, currency=quote.currency,
        price_list_id=quote.price_list_id, order_date=today,
        payment_terms_days=quote.payment_terms_days, payment_provider=payment_provider,
        note=quote.note, oss=quote.vat_treatment == "oss"), who)
    order.quote_id = quote.id
    states.log_event(session, order, who, "edit", f"from quote {quote.number}")
    _move(quote, "converted")
    quote.order_id = order.id
    session.flush()
    return order
