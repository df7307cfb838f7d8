"""What the order/quote editor holds, turned into command arguments (orders.create, orders.edit, quotes.*).

The editor's text (SKU, quantity, price, discount %) is parsed here without a database; a refusal
names the line and the field. The command does the rest where the authority is: an edit sends
every line the editor shows (kept ones by id) and core.orders.editing.set_lines applies it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.errors import ValidationError
from core.money import parse_amount, parse_rate
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
    return days(form.payment_terms_days)


def days(typed: str) -> int:
    """Payment terms typed as text: a whole number of days 0–365 (empty: 30)."""
    text = typed.strip() or "30"
    if not text.isdigit() or int(text) > 365:
        raise ValidationError(f"{text!r} is not a number of days (0–365)", field="payment_terms_days")
    return int(text)


def _line_arg(p: ParsedLine) -> dict:
    out = {"line_id": p.line_id} if p.line_id else {"sku": p.sku}
    out.update(qty=p.qty, discount_bp=p.discount_bp)
    if p.unit_price is not None:
        out["unit_price"] = p.unit_price
    return out


def _check_channel(form: OrderForm) -> int:
    if form.channel_id is None:
        raise ValidationError("choose the sales channel", field="channel_id")
    return form.channel_id


def _common(form: OrderForm) -> dict:
    lines = [_line_arg(p) for p in parse_lines(form)]
    fee = shipping_fee(form)
    if not lines and not fee:
        raise ValidationError("add at least one line", field="lines", hint="write a SKU and a quantity")
    return {"channel_id": _check_channel(form), "lines": lines, "shipping_fee": fee,
            "customer_id": form.customer_id, "customer_name": form.customer_name.strip() or None,
            "customer_email": form.customer_email.strip() or None, "price_list_id": form.price_list_id,
            "payment_terms_days": terms(form), "note": form.note.strip() or None}


def order_args(form: OrderForm) -> dict:
    """The `orders.create` arguments for a new order typed in the editor."""
    return {**_common(form), "customer_reference": form.customer_reference.strip() or None}


def quote_args(form: OrderForm, quote_id: str | None = None) -> dict:
    """The `quotes.create` arguments (or `quotes.edit` with `quote_id`)."""
    args = {**_common(form), "valid_until": form.valid_until.isoformat() if form.valid_until else None}
    return {"quote_id": quote_id, **args} if quote_id else args


def edit_args(order_id: str, form: OrderForm) -> dict:
    """The `orders.edit` arguments: the lines as the editor shows them (kept ones by id) and the fee."""
    return {"order_id": order_id, "lines": [_line_arg(p) for p in parse_lines(form)],
            "shipping_fee": shipping_fee(form)}


# --- editing a quote (quotes.edit) -----------------------------------------------------------------

@dataclass(frozen=True)
class QuoteLineInfo:
    kind: str
    sku: str
    name: str
    qty: int
    unit_price: int
    discount_bp: int


@dataclass(frozen=True)
class QuoteDraft:
    """A quote as the editor opens it (from this machine's copy)."""

    id: str
    number: int
    status: str
    channel_id: int
    customer_id: str | None
    customer_name: str
    customer_email: str | None
    invoice_address: dict | None
    delivery_address: dict | None
    price_list_id: int | None
    payment_terms_days: int
    note: str | None
    valid_until: dt.date
    currency: str
    lines: list[QuoteLineInfo] = field(default_factory=list)

    @property
    def shipping_fee(self) -> int | None:
        fees = [ln.unit_price for ln in self.lines if ln.kind == "shipping"]
        return fees[0] if fees else None


def load_quote(session, quote_id: str) -> QuoteDraft:
    """The quote and its lines, for the editor (runs on the database lane)."""
    from core.orders.quotes import get_quote, quote_lines

    q = get_quote(session, quote_id)
    lines = [QuoteLineInfo(ln.kind, ln.sku or "", ln.name, ln.qty, ln.unit_price, ln.discount_bp)
             for ln in quote_lines(session, q.id)]
    return QuoteDraft(q.id, q.number, q.status, q.channel_id, q.customer_id, q.customer_name,
                      q.customer_email, q.invoice_address, q.delivery_address, q.price_list_id,
                      q.payment_terms_days, q.note, q.valid_until, q.currency, lines)


def quote_edit_args(draft: QuoteDraft, form: OrderForm) -> dict:
    """The `quotes.edit` arguments: everything the editor shows, plus what it does not show (the
    currency, and the quote's addresses and name while its customer stays the same)."""
    args = quote_args(form, draft.id)
    args["currency"] = draft.currency
    if form.customer_id == draft.customer_id:
        args["invoice_address"], args["delivery_address"] = draft.invoice_address, draft.delivery_address
        args["customer_name"] = args["customer_name"] or draft.customer_name
    return args


# --- an order's details (orders.set_details) -----------------------------------------------------

ADDRESS_FIELDS = ("name", "address1", "address2", "postal_code", "city", "country")


@dataclass
class DetailsForm:
    """The details dialog as typed; the addresses are {field: text} over ADDRESS_FIELDS."""

    customer_name: str
    customer_email: str
    customer_reference: str
    payment_terms_days: str
    note: str
    invoice_address: dict[str, str]
    delivery_address: dict[str, str]


def typed_address(typed: dict | None) -> dict | None:
    """An address as {field: text or None}; None when every field is empty."""
    out = {k: (str((typed or {}).get(k) or "")).strip() or None for k in ADDRESS_FIELDS}
    return out if any(out.values()) else None


def details_args(detail, form: DetailsForm) -> dict:
    """The `orders.set_details` arguments: only what differs from the order as this machine has it."""
    new = {"customer_name": form.customer_name.strip(),
           "customer_email": form.customer_email.strip() or None,
           "customer_reference": form.customer_reference.strip() or None,
           "invoice_address": typed_address(form.invoice_address),
           "delivery_address": typed_address(form.delivery_address),
           "payment_terms_days": days(form.payment_terms_days), "note": form.note.strip() or None}
    old = {"customer_name": detail.customer_name, "customer_email": detail.customer_email or None,
           "customer_reference": detail.customer_reference or None,
           "invoice_address": typed_address(detail.invoice_address),
           "delivery_address": typed_address(detail.delivery_address),
           "payment_terms_days": detail.payment_terms_days, "note": detail.note or None}
    return {"order_id": detail.id, **{k: v for k, v in new.items() if v != old[k]}}


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
