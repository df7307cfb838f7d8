"""Pricing a document's lines: price list, line discount, VAT per line from the buyer's country and the product's class.

Shared by orders and quotes. Amounts are in the document's VAT basis (incl. VAT for retail lists,
excl. VAT for B2B lists and for sales that carry no VAT). Parts of a line (a partial delivery, a
partial credit) are exact shares: the cumulative share up to a quantity, minus the share before
it, so the parts of a line always sum to the line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog.models import Product
from core.company.models import Company
from core.customers.models import Customer
from core.errors import NotFound, ValidationError
from core.money import (
    BP,
    VatPart,
    div_round_half_up,
    gross_from_net,
    line_amount,
    net_from_gross,
    percent_of,
    vat_summary,
)
from core.pricing.models import PriceList, PriceListChannel
from core.pricing.resolve import resolve_price
from core.quantity import ONE, format_qty
from core.vat.rates import RateTable, VatDecision, sale_vat_country


@dataclass
class LineIn:
    """A line as entered: a product (by id or SKU) or the shipping fee (kind='shipping')."""

    product_id: int | None = None
    sku: str | None = None
    qty: int = ONE
    #: öre per unit in the document's VAT basis; None takes the price list's price
    unit_price: int | None = None
    #: basis points, 1000 = 10 %
    discount_bp: int = 0
    name: str | None = None
    kind: str = "product"
    vat_class: str | None = None


@dataclass(frozen=True, slots=True)
class PricedLine:
    kind: str
    product_id: int | None
    sku: str
    name: str
    qty: int
    unit_price: int
    discount_bp: int
    amount: int
    vat_class: str
    vat_rate_bp: int
    drop_ship: bool


@dataclass(frozen=True)
class PricingContext:
    """Everything a line's price and VAT depend on, decided once per document."""

    seller_country: str
    decision: VatDecision
    currency: str
    prices_include_vat: bool
    on: dt.date
    rates: RateTable
    customer_id: str | None = None
    channel_id: int | None = None


def line_total(unit_price: int, qty: int, discount_bp: int) -> int:
    """qty × unit price, less the line discount; each step rounded half up to the öre."""
    amount = line_amount(unit_price, qty)
    return amount - percent_of(amount, discount_bp)


def prorate(total: int, total_qty: int, upto: int) -> int:
    """The part of `total` that belongs to the first `upto` of `total_qty` (exact at the ends)."""
    if total_qty <= 0:
        return total if upto > 0 else 0
    return div_round_half_up(total * upto, total_qty)


def share(total: int, total_qty: int, done: int, qty: int) -> int:
    """The amount of `qty` more after `done` already taken; all shares sum to `total` exactly."""
    return prorate(total, total_qty, done + qty) - prorate(total, total_qty, done)


def summarise(lines: Iterable[tuple[int, int]], prices_include_vat: bool
              ) -> tuple[int, int, int, list[VatPart]]:
    """(net, vat, gross, parts) of (amount, rate_bp) lines; VAT per rate, parts sum exactly."""
    parts = vat_summary(lines, prices_include_vat)
    net = sum(p.net for p in parts)
    vat = sum(p.vat for p in parts)
    return net, vat, net + vat, parts


def seller_country(session: Session) -> str:
    return session.scalar(select(Company.country).order_by(Company.id).limit(1)) or "SE"


def list_includes_vat(session: Session, price_list_id: int | None, customer: Customer | None,
                      channel_id: int | None) -> tuple[int | None, bool]:
    """The document's price list (given, the customer's, the channel's, the default) and its VAT flag."""
    if price_list_id is None and customer is not None:
        price_list_id = customer.price_list_id
    if price_list_id is None and channel_id is not None:
        price_list_id = session.scalar(
            select(PriceListChannel.price_list_id).where(PriceListChannel.channel_id == channel_id)
            .order_by(PriceListChannel.price_list_id).limit(1))
    if price_list_id is None:
        price_list_id = session.scalar(select(PriceList.id).where(PriceList.is_default)
                                       .order_by(PriceList.id).limit(1))
    if price_list_id is None:
        return None, True
    pl = session.get(PriceList, price_list_id)
    if pl is None:
        raise NotFound(f"no price list with id {price_list_id}", field="price_list_id")
    return pl.id, bool(pl.includes_vat)


def decide_vat(session: Session, customer: Customer | None, buyer_country: str | None,
               oss: bool) -> tuple[str, VatDecision]:
    seller = seller_country(session)
    if customer is None:
        return seller, sale_vat_country(seller, buyer_country, False, None, oss)
    return seller, sale_vat_country(seller, buyer_country or customer.vat_country,
                                    customer.kind == "company", customer.vat_number, oss)


def _check_int(value, field: str, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (
            maximum is not None and value > maximum):
        top = f"–{maximum}" if maximum is not None else " or more"
        raise ValidationError(f"must be a whole number {minimum}{top}, got {value!r}", field=field)
    return value


def _product(session: Session, line: LineIn) -> Product:
    if line.product_id is not None:
        product = session.get(Product, line.product_id)
        missing = f"no product with id {line.product_id}"
    elif line.sku:
        product = session.scalar(select(Product).where(Product.sku == line.sku.strip()))
        missing = f"no product with SKU {line.sku!r}"
    else:
        raise ValidationError("a product line needs a product", field="product_id",
                              hint="give product_id or sku")
    if product is None:
        raise NotFound(missing, field="product_id")
    if product.product_type == "variant_parent":
        raise ValidationError(f"{product.sku} is a variant template", field="product_id",
                              hint="choose one of its variants")
    if not product.active:
        raise ValidationError(f"{product.sku} is not active", field="product_id",
                              hint="activate it in the catalogue or choose another product")
    return product


def _list_price(session: Session, ctx: PricingContext, product: Product, qty: int,
                vat_class: str) -> int:
    found = resolve_price(session, product.id, qty, customer_id=ctx.customer_id,
                          channel_id=ctx.channel_id, on=ctx.on, currency=ctx.currency)
    if found is None:
        raise NotFound(f"no price for {product.sku} in {ctx.currency} on {ctx.on.isoformat()}",
                       field="unit_price", hint="set a price in the price list or type a unit price")
    if found.includes_vat == ctx.prices_include_vat:
        return found.unit_price
    # convert at the seller's own rate: an export sale takes the Swedish VAT out of a retail price
    rate = ctx.rates.rate(ctx.seller_country, vat_class, ctx.on, product.id)
    if found.includes_vat:
        return net_from_gross(found.unit_price, rate)
    return gross_from_net(found.unit_price, rate)


def price_line(session: Session, ctx: PricingContext, line: LineIn) -> PricedLine:
    """Validate and price one line; the VAT rate follows the buyer's country and the product's class."""
    discount = _check_int(line.discount_bp, "discount_bp", 0, BP)
    if line.kind == "shipping":
        price = _check_int(line.unit_price, "unit_price", 0)
        qty = _check_int(line.qty, "qty", 1)
        vat_class = line.vat_class or "standard"
        rate = ctx.rates.rate_for_sale(ctx.decision, vat_class, ctx.on)
        return PricedLine("shipping", None, "", (line.name or "Frakt").strip()[:200], qty, price,
                          discount, line_total(price, qty, discount), vat_class, rate, False)
    if line.kind != "product":
        raise ValidationError(f"unknown line kind {line.kind!r}", field="kind",
                              hint="product or shipping")
    qty = _check_int(line.qty, "qty", 1)
    product = _product(session, line)
    vat_class = product.vat_class
    rate = ctx.rates.rate_for_sale(ctx.decision, vat_class, ctx.on, product.id)
    if line.unit_price is None:
        price = _list_price(session, ctx, product, qty, vat_class)
    else:
        price = _check_int(line.unit_price, "unit_price", 0)
    if product.unit == "pcs" and qty % ONE:
        raise ValidationError(f"{product.sku} is sold in whole pieces, not {format_qty(qty)}",
                              field="qty")
    name = (line.name or product.name_sv).strip()[:200]
    return PricedLine("product", product.id, product.sku, name, qty, price, discount,
                      line_total(price, qty, discount), vat_class, rate, bool(product.drop_ship))
