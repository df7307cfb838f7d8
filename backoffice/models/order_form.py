"""What the order/quote editor holds, turned into the domain's inputs; saving a new order or an edit.

The editor's text (SKU, quantity, price, discount %) is parsed here without a database; a refusal
names the line and the field. `apply_form` turns an edited form into add/change/remove calls in
one unit of work (added first, so removing the old only line of an order is possible).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.money import parse_amount, parse_rate
from core.orders.editing import add_line, change_line, remove_line
from core.orders.pricing import LineIn
from core.orders.quotes import QuoteIn, create_quote
from core.orders.service import OrderIn, create_order, get_order, lines_of
from core.quantity import parse_qty


@dataclass
class LineRow:
    """One editor row as typed; `line_id` is set for a line the order already has."""

    sku: str
    qty: str
    unit_price: str = ""
    discount: str = ""
    line_id: str | None = None


@dataclass
class OrderForm:
    channel_id: int | None
    customer_id: str | None = None
    customer_name: str = ""
    customer_email: str = ""
    price_list_id: int | None = None
    customer_reference: str = ""
    payment_terms_days: str = "30"
    shipping_fee: str = ""
    note: str = ""
    lines: list[LineRow] = field(default_factory=list)
    #: quotes only
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class ParsedLine:
    line_id: str | None
    sku: str
    qty: int
    unit_price: int | None
    discount_bp: int


def parse_line(row: LineRow, n: int) -> ParsedLine:
    sku = row.sku.strip()
    if not sku:
        raise ValidationError("write the product's SKU", field=f"lines[{n}].sku")
    qty = parse_qty(row.qty.strip() or "1", f"lines[{n}].qty")
    if qty <= 0:
        raise ValidationError("must be more than zero", field=f"lines[{n}].qty")
    price = parse_amount(row.unit_price, f"lines[{n}].unit_price", allow_negative=False) \
        if row.unit_price.strip() else None
    discount = parse_rate(row.discount.strip().rstrip("%").strip(), f"lines[{n}].discount") \
        if row.discount.strip() else 0
    if not 0 <= discount <= 10000:
        raise ValidationError("a discount is between 0 and 100 %", field=f"lines[{n}].discount")
    return ParsedLine(row.line_id, sku, qty, price, discount)


def parse_lines(form: OrderForm) -> list[ParsedLine]:
    rows = [r for r in form.lines if r.sku.strip() or r.qty.strip() or r.unit_price.strip()]
    return [parse_line(r, n) for n, r in enumerate(rows, start=1)]


def shipping_fee(form: OrderForm) -> int | None:
    if not form.shipping_fee.strip():
        return None
    fee = parse_amount(form.shipping_fee, "shipping_fee", allow_negative=False)
    return fee or None


def terms(form: OrderForm) -> int:
    text = form.payment_terms_days.strip() or "30"
    if not text.isdigit() or int(text) > 365:
        raise ValidationError(f"{text!r} is not a number of days (0–365)", field="payment_terms_days")
    return int(text)


def line_ins(form: OrderForm) -> list[LineIn]:
    lines = [LineIn(sku=p.sku, qty=p.qty, unit_price=p.unit_price, discount_bp=p.discount_bp)
             for p in parse_lines(form)]
    fee = shipping_fee(form)
    if fee:
        lines.append(LineIn(kind="shipping", unit_price=fee))
    if not lines:
        raise ValidationError("add at least one line", field="lines", hint="write a SKU and a quantity")
    return lines


def _check_channel(form: OrderForm) -> int:
    if form.channel_id is None:
        raise ValidationError("choose the sales channel", field="channel_id")
    return form.channel_id


def to_order_in(form: OrderForm) -> OrderIn:
    return OrderIn(channel_id=_check_channel(form), lines=line_ins(form), customer_id=form.customer_id,
                   customer_name=form.customer_name.strip() or None,
                   customer_email=form.customer_email.strip() or None,
                   price_list_id=form.price_list_id, payment_terms_days=terms(form),
                   customer_reference=form.customer_reference.strip() or None,
                   note=form.note.strip() or None)


def to_quote_in(form: OrderForm) -> QuoteIn:
    return QuoteIn(channel_id=_check_channel(form), lines=line_ins(form), customer_id=form.customer_id,
                   customer_name=form.customer_name.strip() or None,
                   customer_email=form.customer_email.strip() or None,
                   price_list_id=form.price_list_id, valid_until=form.valid_until,
                   payment_terms_days=terms(form), note=form.note.strip() or None)


def create_from_form(session: Session, form: OrderForm, who: str) -> tuple[str, int]:
    """A new order (status new) from the editor; returns (id, our number)."""
    order = create_order(session, to_order_in(form), who)
    return order.id, order.number


def create_quote_from_form(session: Session, form: OrderForm, who: str) -> tuple[str, int]:
    quote = create_quote(session, to_quote_in(form), who)
    return quote.id, quote.number


def apply_form(session: Session, order_id: str, form: OrderForm, who: str) -> int:
    """Make the order's lines what the editor shows: add new rows, change edited ones, drop removed ones."""
    order = get_order(session, order_id)
    parsed = parse_lines(form)
    fee = shipping_fee(form)
    current = lines_of(session, order.id)
    by_id = {ln.id: ln for ln in current}
    keep = {p.line_id for p in parsed if p.line_id}
    for p in parsed:
        if p.line_id is None:
            add_line(session, order.id, LineIn(sku=p.sku, qty=p.qty, unit_price=p.unit_price,
                                               discount_bp=p.discount_bp), who)
    shipping = [ln for ln in current if ln.kind == "shipping"]
    if fee and not shipping:
        add_line(session, order.id, LineIn(kind="shipping", unit_price=fee), who)
    for p in parsed:
        line = by_id.get(p.line_id) if p.line_id else None
        if line is None:
            continue
        price = line.unit_price if p.unit_price is None else p.unit_price
        if (p.qty, price, p.discount_bp) != (line.qty, line.unit_price, line.discount_bp):
            change_line(session, order.id, line.id, who, qty=p.qty, unit_price=price,
                        discount_bp=p.discount_bp)
    for line in shipping:
        if fee is None:
            remove_line(session, order.id, line.id, who)
        elif fee != line.unit_price:
            change_line(session, order.id, line.id, who, unit_price=fee)
    for line in current:
        if line.kind == "product" and line.id not in keep:
            remove_line(session, order.id, line.id, who)
    session.flush()
    return order.number


@dataclass
class EditorChoices:
    #: (id, label, kind) of channels that take orders entered by hand (manual, B2B)
    channels: list[tuple[int, str]] = field(default_factory=list)
    price_lists: list[tuple[int, str]] = field(default_factory=list)
    locations: list[tuple[int, str]] = field(default_factory=list)


def editor_choices(conn) -> EditorChoices:
    from sqlalchemy import text
    out = EditorChoices()
    out.channels = [(r[0], f"{r[1]} — {r[2]}") for r in conn.execute(text(
        "SELECT id, code, name FROM channel WHERE kind IN ('manual', 'b2b') ORDER BY kind DESC, id"))]
    out.price_lists = [(r[0], f"{r[1]} — {r[2]} ({r[3]})") for r in conn.execute(text(
        "SELECT id, code, name, currency FROM price_list WHERE active ORDER BY is_default DESC, id"))]
    out.locations = [(r[0], f"{r[1]} — {r[2]}") for r in conn.execute(text(
        "SELECT id, code, name FROM location ORDER BY id"))]
    return out
