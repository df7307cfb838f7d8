"""Catalogue speed: barcode lookup, search-as-you-type and price resolution at N products.

Builds (or reuses) the demo shop with N products and prints p50/p99 in milliseconds of a barcode
lookup, an FTS search for a 3-letter prefix, and price resolution for a customer.
Targets at N = 1,000,000: barcode ≤ 1 ms p99, search ≤ 20 ms p99, price ≤ 1 ms p99.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import text

from bench.common import demo_store, ms, percentile, time_each
from core.catalog.search import lookup_barcode, search_products
from core.pricing.resolve import resolve_price

PREFIXES = ["trö", "kaf", "sag", "ull", "röd", "blå", "bom", "jac", "kjo", "mös", "hon", "cho", "lak",
            "vis", "åre", "kir", "lin", "mer", "sil", "ost", "te ", "kex", "väg", "his", "lön", "gra"]


def add_arguments(p) -> None:
    p.add_argument("--products", type=int, default=100_000, metavar="N", help="catalogue size (default 100000)")
    p.add_argument("--samples", type=int, default=2000, help="lookups per measurement (default 2000)")


def run(args) -> dict:
    store = demo_store(args, "catalog", args.products, quiet=args.json)
    rng = random.Random(7)
    try:
        with store.engine.connect() as conn:
            max_id = conn.execute(text("SELECT max(product_id) FROM barcode")).scalar()
            codes = [r[0] for r in conn.execute(
                text("SELECT code FROM barcode WHERE product_id IN (%s)" %
                     ",".join(str(rng.randint(1, max_id)) for _ in range(args.samples * 2)))).all()][:args.samples]
            sellable = [r[0] for r in conn.execute(text(
                "SELECT product_id FROM price_list_item WHERE price_list_id = 1 AND product_id IN (%s)" %
                ",".join(str(rng.randint(1, max_id)) for _ in range(args.samples * 2)))).all()][:args.samples]
            customers = [r[0] for r in conn.execute(text("SELECT id FROM customer")).all()]
            today = dt.date(2026, 12, 1)
            # warm the page cache once, as a till does in its first minutes
            for code in codes[:100]:
                lookup_barcode(conn, code)
            barcode = time_each(lambda c: lookup_barcode(conn, c), codes)
            prefixes = [rng.choice(PREFIXES).strip() for _ in range(max(200, args.samples // 4))]
            search = time_each(lambda q: search_products(conn, q, limit=50), prefixes)
            pairs = [(pid, rng.choice(customers)) for pid in sellable]
            price = time_each(lambda pc: resolve_price(conn, pc[0], customer_id=pc[1], channel_id=1, on=today),
                              pairs)
            products = conn.execute(text("SELECT count(*) FROM product")).scalar()
    finally:
        store.dispose()
    return {
        "products": products,
        "barcode_p50_ms": ms(percentile(barcode, 50)), "barcode_p99_ms": ms(percentile(barcode, 99)),
        "search_p50_ms": ms(percentile(search, 50)), "search_p99_ms": ms(percentile(search, 99)),
        "price_p50_ms": ms(percentile(price, 50)), "price_p99_ms": ms(percentile(price, 99)),
    }
