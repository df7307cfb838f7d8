"""The shoppers' side of the demo webshops: each shop's assortment, and seeded customers placing paid orders.

A shop holds part of the demo catalogue (the products with a price on its price list; variants of
one garment as one shop product with several variants). Customers only buy what the shop shows:
a SKU whose stock and price the integration runner has published. Each order is paid the way a
real checkout leaves it — an authorised Klarna order or a reserved Nets payment whose lines and
amount equal the shop's order to the öre (the shop's rounding: per line, ex VAT, then VAT).
Quantities above one are only used where the line's VAT is exact, so our totals agree with the
shop's and the imported orders are not flagged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import bindparam, text

from core.demo import words as W
from core.vat.rates import RateTable

CENT = Decimal("0.01")
#: 49,00 kr / 5,95 € including 25 % VAT, free from 500 kr / 50 €
SHIPPING_EX_VAT = {"SEK": Decimal("39.20"), "EUR": Decimal("4.76")}
FREE_SHIPPING_FROM = {"SEK": Decimal(500), "EUR": Decimal(50)}
KLARNA_SHARE = 0.6

_CANDIDATES = text(
    "SELECT p.id, p.sku, p.parent_id, p.vat_class FROM product p "
    "WHERE p.id IN :ids AND p.active AND p.product_type IN ('single', 'variant', 'bundle') "
    "AND (p.stocked OR p.product_type = 'bundle') AND p.kind = 'goods' "
    "AND EXISTS (SELECT 1 FROM price_list_item i WHERE i.price_list_id = :pl "
    "AND i.product_id = p.id AND i.min_qty = 1000) ORDER BY p.id"
).bindparams(bindparam("ids", expanding=True))
_CUSTOMERS = text(
    "SELECT c.name, c.email, a.address1, a.postal_code, a.city FROM customer c "
    "JOIN customer_address a ON a.customer_id = c.id AND a.kind = 'delivery' "
    "WHERE c.kind = 'private' AND c.email IS NOT NULL ORDER BY c.number LIMIT :n")


@dataclass
class ShopSide:
    """One simulated shop as its customers see it."""

    code: str                 # our connection code
    name: str
    sim: object               # tests.simulators.starweb.StarwebSimulator
    currency: str
    shop_pricelist: int = 1
    shop_location: int = 1
    skus: dict[str, int] = field(default_factory=dict)   # SKU → VAT rate (basis points)


@dataclass(frozen=True)
class Shopper:
    first: str
    last: str
    email: str
    address: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class PlacedOrder:
    shop: str
    shop_order_id: int
    provider: str
    amount: int               # öre (or cents) to pay, as authorised at the provider


def seed_assortment(session, shop: ShopSide, price_list_id: int, rng: random.Random,
                    size: int) -> int:
    """Put up to `size` demo products with a price on the list into the shop; returns how many."""
    top = session.execute(text("SELECT max(id) FROM product")).scalar() or 0
    ids = list(range(1, top + 1))
    if top > size * 5:          # a big catalogue: a seeded spread, not the first ids (all services)
        ids = sorted(rng.sample(ids, size * 5))
    rows = []
    for start in range(0, len(ids), 900):
        rows += session.execute(_CANDIDATES, {"ids": ids[start:start + 900],
                                              "pl": price_list_id}).all()
    rows = rows[:size]
    rates, today = RateTable.load(session), dt.date.today()
    groups: dict[object, list[str]] = defaultdict(list)
    for pid, sku, parent, vat_class in rows:
        shop.skus[sku] = rates.rate("SE", vat_class, today, pid)
        groups[parent if parent is not None else ("single", pid)].append(sku)
    for skus in groups.values():
        shop.sim.add_product(*skus)
    return len(rows)


def demo_shoppers(session, count: int = 150) -> list[Shopper]:
    """The demo's private customers with an e-mail and a delivery address (they are matched on import)."""
    out = []
    for name, email, address, postal_code, city in session.execute(_CUSTOMERS, {"n": count}):
        first, _, last = name.partition(" ")
        out.append(Shopper(first, last or first, email, address, postal_code, city))
    return out


def new_shopper(rng: random.Random, n: int) -> Shopper:
    """A customer the shop has never seen (a new customer record on import)."""
    first, last = rng.choice(W.FIRST_NAMES), rng.choice(W.LAST_NAMES)
    city, postal_code = rng.choice(W.CITIES)
    mail = f"{first}.{last}.webb{n}".lower().translate(str.maketrans("åäöé", "aaoe"))
    return Shopper(first, last, f"{mail}@example.se", f"{rng.choice(W.STREETS)} {rng.randint(1, 80)}",
                   postal_code, city)


def _ore(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _pick_lines(shop: ShopSide, rng: random.Random) -> list[tuple[str, int, Decimal, int]]:
    """[(sku, qty, unit price ex VAT, rate bp)] among what the shop shows in stock with a price."""
    wanted = rng.choice((1, 1, 2, 2, 3))
    lines = []
    for sku in rng.sample(sorted(shop.skus), min(len(shop.skus), 12)):
        stock = shop.sim.stock(sku, shop.shop_location)
        price = shop.sim.price(sku, shop.shop_pricelist)
        if not stock or stock < 1 or not price:
            continue
        unit = Decimal(str(price["priceExVat"])).quantize(CENT)
        rate = shop.skus[sku]
        exact = (_ore(unit) * rate) % 10000 == 0   # the unit's VAT has no rounding
        qty = min(int(stock), rng.choice((1, 1, 1, 2)) if exact else 1)
        lines.append((sku, qty, unit, rate))
        if len(lines) == wanted:
            break
    return lines


def place_order(shop: ShopSide, shopper: Shopper, rng: random.Random, klarna, nets
                ) -> PlacedOrder | None:
    """A new, paid order in the simulated shop; None while the shop shows nothing in stock."""
    with shop.sim.lock:
        lines = _pick_lines(shop, rng)
    if not lines:
        return None
    cur = shop.currency
    priced = []                                   # (sku, qty, unit, rate, net, vat) per line
    for sku, qty, unit, rate in lines:
        net = (unit * qty).quantize(CENT, ROUND_HALF_UP)
        vat = (net * rate / 10000).quantize(CENT, ROUND_HALF_UP)
        priced.append((sku, qty, unit, rate, net, vat))
    goods = sum(net + vat for *_x, net, vat in priced)
    shipping = SHIPPING_EX_VAT[cur] if goods < FREE_SHIPPING_FROM[cur] else Decimal(0)
    ship_vat = (shipping * Decimal("0.25")).quantize(CENT, ROUND_HALF_UP)
    amount = _ore(goods + shipping + ship_vat)
    provider = "klarna" if rng.random() < KLARNA_SHARE else "nets"
    if provider == "klarna":
        k_lines = [{"type": "physical", "reference": sku, "name": sku, "quantity": qty,
                    "unit_price": _ore(net + vat) // qty, "tax_rate": rate,
                    "total_amount": _ore(net + vat), "total_tax_amount": _ore(vat)}
                   for sku, qty, unit, rate, net, vat in priced]
        if shipping:
            k_lines.append({"type": "shipping_fee", "name": "Frakt", "quantity": 1,
                            "unit_price": _ore(shipping + ship_vat), "tax_rate": 2500,
                            "total_amount": _ore(shipping + ship_vat),
                            "total_tax_amount": _ore(ship_vat)})
        reference = klarna.add_order(k_lines, currency=cur)
    else:
        items = [{"reference": sku, "name": sku, "quantity": qty, "unit": "pcs",
                  "unitPrice": _ore(unit), "taxRate": rate, "taxAmount": _ore(vat),
                  "grossTotalAmount": _ore(net + vat), "netTotalAmount": _ore(net)}
                 for sku, qty, unit, rate, net, vat in priced]
        if shipping:
            items.append({"reference": "FRAKT", "name": "Frakt", "quantity": 1, "unit": "pcs",
                          "unitPrice": _ore(shipping), "taxRate": 2500, "taxAmount": _ore(ship_vat),
                          "grossTotalAmount": _ore(shipping + ship_vat),
                          "netTotalAmount": _ore(shipping)})
        reference = nets.add_payment(amount, items, currency=cur)
    delivery = {"firstName": shopper.first, "lastName": shopper.last, "address": shopper.address,
                "postalCode": shopper.postal_code, "city": shopper.city, "countryCode": "SE",
                "mobilePhoneNo": ""}
    order_id = shop.sim.add_order(
        [(sku, qty, str(unit), str(Decimal(rate) / 100)) for sku, qty, unit, rate, *_x in priced],
        email=shopper.email, currency=cur, shipping_cost=str(shipping), shipping_vat="25",
        delivery=delivery, payment_method=provider, payment_reference=reference)
    return PlacedOrder(shop.code, order_id, provider, amount)
