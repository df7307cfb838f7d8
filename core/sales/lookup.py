"""Scan-to-line at the till: code → product → price incl. VAT and VAT rate, in indexed Core SQL.

Hot path (p99 ≤ 5 ms at 1,000,000 products together with adding the line): a barcode primary-key
hit, one product row, `core.pricing.resolve_price`, and the in-memory `RateTable`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core.errors import NotFound, ValidationError
from core.money import gross_from_net
from core.pricing.resolve import resolve_price
from core.quantity import ONE

_BY_BARCODE = text("SELECT product_id FROM barcode WHERE code = :code")
_BY_SKU = text("SELECT id FROM product WHERE sku = :code")
_PRODUCT = text("""
SELECT p.id, p.sku, p.name_sv, p.kind, p.vat_class, p.product_type, p.active, c.name_sv
FROM product p LEFT JOIN category c ON c.id = p.category_id WHERE p.id = :id
""")


@dataclass(frozen=True)
class ProductInfo:
    """What a cart line needs from the catalogue, the price lists and the VAT table."""

    product_id: int
    sku: str
    name: str
    unit_price: int
    vat_rate_bp: int
    is_service: bool
    group: str | None
    product_type: str


def find_code(conn: Connection | Session, code: str) -> int | None:
    """A scanned or typed code → product id: a barcode first, then an exact SKU."""
    code = code.strip()
    pid = conn.execute(_BY_BARCODE, {"code": code}).scalar()
    if pid is None:
        pid = conn.execute(_BY_SKU, {"code": code}).scalar()
    return pid


def product_info(conn: Connection | Session, product_id: int, rates, *, on: dt.date,
                 qty: int = ONE, country: str = "SE", customer_id: str | None = None,
                 channel_id: int | None = None, currency: str = "SEK") -> ProductInfo:
    """The product's till data; refuses inactive products, variant parents and missing prices."""
    row = conn.execute(_PRODUCT, {"id": product_id}).first()
    if row is None:
        raise NotFound(f"no product {product_id}", field="product")
    pid, sku, name, kind, vat_class, product_type, active, group = row
    if not active:
        raise ValidationError(f"{sku} {name} is not sold any more", field="product",
                              hint="activate it in the back office")
    if product_type == "variant_parent":
        raise ValidationError(f"{name}: pick a colour and size", field="variant")
    rate = rates.rate(country, vat_class, on, product_id=pid)
    price = resolve_price(conn, pid, qty, customer_id=customer_id, channel_id=channel_id, on=on,
                          currency=currency)
    if price is None:
        raise NotFound(f"{sku} {name} has no price", field="price",
                       hint="give it a price in the default price list")
    unit = price.unit_price if price.includes_vat else gross_from_net(price.unit_price, rate)
    return ProductInfo(pid, sku, name, unit, rate, kind == "service", group, product_type)
