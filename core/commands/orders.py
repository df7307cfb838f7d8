"""Back-office commands for orders and quotes: create, edit, confirm, cancel, deliver, close, convert.

Each command turns its JSON arguments into core.orders' types (naming the argument that does not
fit) and calls the use case; results are ids, numbers and statuses. Lines are objects:
`{"sku": "TSHIRT-M"}` or `{"product_id": 12}`, with `qty` in thousandths, `unit_price` in öre
(left out: the price list's) and `discount_bp` in basis points. Invoices and payments are in
core/commands/invoices.py, e-mail (sent from the server) in core/commands/mail.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.commands import as_date, as_int, command
from core.errors import ValidationError
from core.orders.pricing import LineIn

AREA = "orders"
_UNSET: Any = object()
LINE_KEYS = ("sku", "product_id", "qty", "unit_price", "discount_bp")
ADDRESS_KEYS = ("name", "address1", "address2", "postal_code", "city", "country")


# ------------------------------------------------------------------ argument checks (shared with invoices.py)

def as_text(value: Any, field: str, *, optional: bool = True) -> str | None:
    """A text argument (None allowed when optional)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text, not {value!r}", field=field)
    return value


def as_bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{field} must be true or false, not {value!r}", field=field)
    return value


def as_id(value: Any, field: str) -> str:
    """A record's id (uuid text), not empty."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field} must be the id of a record (text), not {value!r}", field=field)
    return value


def objects(value: Any, field: str, required: tuple[str, ...], allowed: tuple[str, ...]) -> list[dict]:
    """A list of objects with these keys (`required` must be there, nothing outside `allowed`)."""
    if not isinstance(value, list):
        raise ValidationError(f"{field} must be a list of objects", field=field)
    for i, item in enumerate(value, start=1):
        where = f"{field}[{i}]"
        if not isinstance(item, dict):
            raise ValidationError(f"{where} must be an object", field=where)
        unknown = sorted(set(item) - set(allowed))
        if unknown:
            raise ValidationError(f"{where} has no field {unknown[0]!r}", field=f"{where}.{unknown[0]}",
                                  hint="it takes: " + ", ".join(allowed))
        missing = [k for k in required if k not in item]
        if missing:
            raise ValidationError(f"{where} needs {missing[0]!r}", field=f"{where}.{missing[0]}")
    return value


def as_address(value: Any, field: str) -> dict | None:
    """An address object (name, address1, address2, postal_code, city, country) or None."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationError(f"{field} must be an object with " + ", ".join(ADDRESS_KEYS), field=field)
    unknown = sorted(set(value) - set(ADDRESS_KEYS))
    if unknown:
        raise ValidationError(f"{field} has no field {unknown[0]!r}", field=f"{field}.{unknown[0]}",
                              hint="it takes: " + ", ".join(ADDRESS_KEYS))
    for key, text in value.items():
        as_text(text, f"{field}.{key}")
    return value


def quantities(value: Any, field: str = "lines") -> list[tuple[Any, int]]:
    """[{line_id, qty}] as (line id, qty) pairs (qty in thousandths)."""
    objects(value, field, ("line_id", "qty"), ("line_id", "qty"))
    return [(item["line_id"], as_int(item["qty"], f"{field}[{i}].qty")) for i, item in enumerate(value, start=1)]


def _product_line(item: dict, where: str) -> dict:
    if ("sku" in item) == ("product_id" in item):
        raise ValidationError(f"{where} needs either 'sku' or 'product_id'", field=f"{where}.sku")
    return {"sku": as_text(item.get("sku"), f"{where}.sku"),
            "product_id": as_int(item.get("product_id"), f"{where}.product_id", optional=True),
            "qty": as_int(item["qty"], f"{where}.qty"),
            "unit_price": as_int(item.get("unit_price"), f"{where}.unit_price", optional=True),
            "discount_bp": as_int(item.get("discount_bp", 0), f"{where}.discount_bp")}


def line_ins(lines: Any, shipping_fee: Any) -> list[LineIn]:
    """Order/quote lines (plus a shipping line for a fee) as core.orders.pricing.LineIn."""
    objects(lines, "lines", ("qty",), LINE_KEYS)
    out = [LineIn(**_product_line(item, f"lines[{i}]")) for i, item in enumerate(lines, start=1)]
    fee = as_int(shipping_fee, "shipping_fee", optional=True)
    if fee:
        out.append(LineIn(kind="shipping", unit_price=fee))
    return out


def _parties(customer_id, customer_name, customer_email, invoice_address, delivery_address,
             price_list_id, payment_terms_days, note, currency) -> dict:
    return {"customer_id": as_text(customer_id, "customer_id"),
            "customer_name": as_text(customer_name, "customer_name"),
            "customer_email": as_text(customer_email, "customer_email"),
            "invoice_address": as_address(invoice_address, "invoice_address"),
            "delivery_address": as_address(delivery_address, "delivery_address"),
            "price_list_id": as_int(price_list_id, "price_list_id", optional=True),
            "payment_terms_days": as_int(payment_terms_days, "payment_terms_days"),
            "note": as_text(note, "note"), "currency": as_text(currency, "currency", optional=False)}


def _order(order) -> dict:
    return {"id": order.id, "number": order.number, "status": order.status,
            "total_gross": order.total_gross}


# ------------------------------------------------------------------ orders

@command("orders.create", area=AREA)
def create(session: Session, who: str, channel_id: int, lines: list, customer_id: str | None = None,
           customer_name: str | None = None, customer_email: str | None = None,
           invoice_address: dict | None = None, delivery_address: dict | None = None,
           price_list_id: int | None = None, payment_terms_days: int = 30,
           customer_reference: str | None = None, note: str | None = None,
           shipping_fee: int | None = None, channel_order_no: str | None = None,
           order_date: str | None = None, location_id: int | None = None, currency: str = "SEK") -> dict:
    """A new order (status new) entered by hand: a manual or B2B order."""
    from core.orders.service import OrderIn, create_order

    data = OrderIn(channel_id=as_int(channel_id, "channel_id"), lines=line_ins(lines, shipping_fee),
                   customer_reference=as_text(customer_reference, "customer_reference"),
                   channel_order_no=as_text(channel_order_no, "channel_order_no"),
                   order_date=as_date(order_date, "order_date"),
                   location_id=as_int(location_id, "location_id", optional=True),
                   **_parties(customer_id, customer_name, customer_email, invoice_address,
                              delivery_address, price_list_id, payment_terms_days, note, currency))
    return _order(create_order(session, data, who))


@command("orders.edit", area=AREA)
def edit(session: Session, who: str, order_id: str, lines: list, shipping_fee: int | None = None) -> dict:
    """Make the order's product lines `lines` (with `line_id` for a line it has) and its shipping fee."""
    from core.orders.editing import LineEdit, set_lines

    objects(lines, "lines", ("qty",), LINE_KEYS + ("line_id",))
    edits = []
    for i, item in enumerate(lines, start=1):
        where = f"lines[{i}]"
        line_id = as_text(item.get("line_id"), f"{where}.line_id")
        if line_id is None:
            edits.append(LineEdit(**_product_line(item, where)))
        else:
            edits.append(LineEdit(line_id=line_id, qty=as_int(item["qty"], f"{where}.qty"),
                                  unit_price=as_int(item.get("unit_price"), f"{where}.unit_price", optional=True),
                                  discount_bp=as_int(item.get("discount_bp", 0), f"{where}.discount_bp")))
    order = set_lines(session, as_id(order_id, "order_id"), edits,
                      as_int(shipping_fee, "shipping_fee", optional=True), who)
    return _order(order)


@command("orders.set_details", area=AREA)
def set_details(session: Session, who: str, order_id: str, customer_name: Any = _UNSET,
                customer_email: Any = _UNSET, customer_reference: Any = _UNSET,
                invoice_address: Any = _UNSET, delivery_address: Any = _UNSET,
                payment_terms_days: Any = _UNSET, note: Any = _UNSET) -> dict:
    """Change only the fields sent: references, e-mail, addresses, payment terms, note."""
    sent = {k: v for k, v in locals().items() if v is not _UNSET and k not in ("session", "who", "order_id")}
    from core.orders.editing import set_details as change

    for key, value in sent.items():
        if key.endswith("_address"):
            as_address(value, key)
        elif key == "payment_terms_days":
            as_int(value, key)
        else:
            as_text(value, key)
    return _order(change(session, as_id(order_id, "order_id"), who, **sent))


@command("orders.confirm", area=AREA)
def confirm(session: Session, who: str, order_id: str) -> dict:
    """new → confirmed: the lines' stock is reserved."""
    from core.orders.lifecycle import confirm_order
    return _order(confirm_order(session, as_id(order_id, "order_id"), who))


@command("orders.cancel", area=AREA)
def cancel(session: Session, who: str, order_id: str, reason: str | None = None) -> dict:
    """new/confirmed → cancelled: reservations and an authorised payment are released."""
    from core.orders.lifecycle import cancel_order
    return _order(cancel_order(session, as_id(order_id, "order_id"), who, as_text(reason, "reason")))


@command("orders.close_backorder", area=AREA)
def close_backorder(session: Session, who: str, order_id: str, reason: str | None = None) -> dict:
    """partly delivered → delivered: what is still back-ordered is dropped."""
    from core.orders.lifecycle import cancel_backorder
    return _order(cancel_backorder(session, as_id(order_id, "order_id"), who, as_text(reason, "reason")))


@command("orders.close", area=AREA)
def close(session: Session, who: str, order_id: str, note: str | None = None) -> dict:
    """invoiced → closed by hand."""
    from core.orders.lifecycle import close_order
    return _order(close_order(session, as_id(order_id, "order_id"), who, as_text(note, "note")))


@command("orders.deliver", area=AREA)
def deliver(session: Session, who: str, order_id: str, lines: list, location_id: int | None = None,
            drop_ship_confirmed: bool = False, tracking_number: str | None = None,
            on: str | None = None, delivery_id: str | None = None) -> dict:
    """Deliver lines [{line_id, qty}] from a location (stock moves); the rest stays back-ordered."""
    from core.orders.delivery import deliver as ship
    from core.orders.service import get_order

    pairs = [(as_id(line_id, f"lines[{i}].line_id"), qty)
             for i, (line_id, qty) in enumerate(quantities(lines), start=1)]
    drop = as_bool(drop_ship_confirmed, "drop_ship_confirmed")
    delivery = ship(session, as_id(order_id, "order_id"), pairs, who,
                    location_id=None if drop else as_int(location_id, "location_id", optional=True),
                    on=as_date(on, "on"), drop_ship_confirmed=drop,
                    tracking_number=(as_text(tracking_number, "tracking_number") or "").strip() or None,
                    delivery_id=as_text(delivery_id, "delivery_id"))
    order = get_order(session, delivery.order_id)
    return {"delivery_id": delivery.id, "seq": delivery.seq, "gross": delivery.gross,
            "order_id": order.id, "status": order.status}


@command("orders.set_tracking", area=AREA)
def set_tracking(session: Session, who: str, delivery_id: str, tracking_number: str,
                 carrier: str | None = None) -> dict:
    """The carrier's tracking number of a delivery."""
    from core.orders.delivery import set_tracking as track
    delivery = track(session, as_id(delivery_id, "delivery_id"),
                     as_text(tracking_number, "tracking_number", optional=False), who,
                     as_text(carrier, "carrier"))
    return {"delivery_id": delivery.id, "tracking_number": delivery.tracking_number}


# ------------------------------------------------------------------ quotes

def _quote_in(channel_id, lines, shipping_fee, valid_until, **parties):
    from core.orders.quotes import QuoteIn
    return QuoteIn(channel_id=as_int(channel_id, "channel_id"), lines=line_ins(lines, shipping_fee),
                   valid_until=as_date(valid_until, "valid_until"), **_parties(**parties))


def _quote(quote) -> dict:
    return {"id": quote.id, "number": quote.number, "status": quote.status,
            "total_gross": quote.total_gross}


@command("quotes.create", area="quotes")
def create_quote(session: Session, who: str, channel_id: int, lines: list, customer_id: str | None = None,
                 customer_name: str | None = None, customer_email: str | None = None,
                 invoice_address: dict | None = None, delivery_address: dict | None = None,
                 price_list_id: int | None = None, payment_terms_days: int = 30, note: str | None = None,
                 shipping_fee: int | None = None, valid_until: str | None = None,
                 currency: str = "SEK") -> dict:
    """A new quote (draft), priced like an order."""
    from core.orders.quotes import create_quote as make
    return _quote(make(session, _quote_in(
        channel_id, lines, shipping_fee, valid_until, customer_id=customer_id,
        customer_name=customer_name, customer_email=customer_email, invoice_address=invoice_address,
        delivery_address=delivery_address, price_list_id=price_list_id,
        payment_terms_days=payment_terms_days, note=note, currency=currency), who))


@command("quotes.edit", area="quotes")
def edit_quote(session: Session, who: str, quote_id: str, channel_id: int, lines: list,
               customer_id: str | None = None, customer_name: str | None = None,
               customer_email: str | None = None, invoice_address: dict | None = None,
               delivery_address: dict | None = None, price_list_id: int | None = None,
               payment_terms_days: int = 30, note: str | None = None, shipping_fee: int | None = None,
               valid_until: str | None = None, currency: str = "SEK") -> dict:
    """Replace a draft or sent quote's content (all of it: send what the editor shows)."""
    from core.orders.quotes import edit_quote as change
    return _quote(change(session, as_id(quote_id, "quote_id"), _quote_in(
        channel_id, lines, shipping_fee, valid_until, customer_id=customer_id,
        customer_name=customer_name, customer_email=customer_email, invoice_address=invoice_address,
        delivery_address=delivery_address, price_list_id=price_list_id,
        payment_terms_days=payment_terms_days, note=note, currency=currency), who))


@command("quotes.convert", area=AREA)
def convert(session: Session, who: str, quote_id: str, channel_order_no: str | None = None) -> dict:
    """Accept the quote (if not yet) and make it an order at the quoted prices."""
    from core.orders.quotes import convert_quote
    order = convert_quote(session, as_id(quote_id, "quote_id"), who,
                          channel_order_no=as_text(channel_order_no, "channel_order_no"))
    return {**_order(order), "quote_id": quote_id}


@command("quotes.reject", area="quotes")
def reject(session: Session, who: str, quote_id: str) -> dict:
    """The customer said no."""
    from core.orders.quotes import reject_quote
    return _quote(reject_quote(session, as_id(quote_id, "quote_id")))
