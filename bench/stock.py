"""Stock speed: level lookup for one product, valuation of the whole stock, opening the products tab.

Builds (or reuses) the demo shop with N products, then pads the movement ledger to M movements
(pairs in and out that cancel, so cached levels stay true) and gives half the products an average
cost. Targets at N = 1,000,000 and M = 10,000,000: level lookup ≤ 1 ms (p99), valuation ≤ 10 s,
products tab open ≤ 300 ms (the tab's table model with its first page, through the synchronous
runner; null when the back office is not installed).
"""

from __future__ import annotations

import os
import random
import time

from sqlalchemy import text

from bench.common import demo_store, ms, percentile, time_each
from core.db.bulk import raw_insert
from core.inventory.levels import level
from core.inventory.valuation import stock_value
from core.progress import cli_progress

BATCH = 50_000


def add_arguments(p) -> None:
    p.add_argument("--products", type=int, default=100_000, metavar="N",
                   help="catalogue size (default 100000; the target is 1000000)")
    p.add_argument("--movements", type=int, default=1_000_000, metavar="M",
                   help="stock movements in the ledger (default 1000000; the target is 10000000)")
    p.add_argument("--samples", type=int, default=2000, help="level lookups measured (default 2000)")


def _pad_movements(store, target: int, quiet: bool) -> int:
    """Add cancelling in/out pairs until the ledger holds `target` movements; returns the count."""
    with store.engine.begin() as conn:
        have = conn.execute(text("SELECT count(*) FROM stock_movement")).scalar()
        if have >= target:
            return have
        pairs = conn.execute(text("SELECT product_id, location_id FROM stock_level")).all()
        first = conn.execute(text("SELECT coalesce(max(id), 0) FROM stock_movement")).scalar()
        rng = random.Random(11)
        todo = -(-(target - have) // 2) * 2  # whole pairs, at least the target
        cols = ("product_id", "location_id", "qty", "reason", "source_type", "source_id",
                "idem_key", "created_at")
        now = "2026-01-01 00:00:00.000000"
        with cli_progress("Padding the stock ledger", todo, enabled=not quiet) as progress:
            done = 0
            while done < todo:
                rows = []
                for i in range(done, min(done + BATCH, todo), 2):
                    pid, loc = pairs[rng.randrange(len(pairs))]
                    q = rng.randint(1, 5) * 1000
                    key = f"bench:{first}:{i}"
                    rows.append((pid, loc, q, "adjustment", "bench", None, key + ":in", now))
                    rows.append((pid, loc, -q, "adjustment", "bench", None, key + ":out", now))
                raw_insert(conn, "stock_movement", cols, rows)
                done += len(rows)
                progress(done, todo)
        conn.execute(text("INSERT INTO product_cost (product_id, avg_cost, updated_at) "
                          "SELECT id, cost_price + 100, :now FROM product "
                          "WHERE id % 2 = 0 AND cost_price IS NOT NULL "
                          "AND id NOT IN (SELECT product_id FROM product_cost)"), {"now": now})
        return conn.execute(text("SELECT count(*) FROM stock_movement")).scalar()


def _products_tab_ms(store) -> float | None:
    try:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from backoffice.models.products_model import ProductsModel
        from backoffice.worker import SyncRunner
    except ImportError:  # no back office (or no Qt) here
        return None
    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        model = ProductsModel(SyncRunner(store))
        model.reload()
        assert model.rowCount() > 0
        samples.append((time.perf_counter() - t0) * 1000)
    return ms(max(samples))


def run(args) -> dict:
    store = demo_store(args, "stock", args.products, quiet=args.json)
    rng = random.Random(7)
    try:
        movements = _pad_movements(store, args.movements, quiet=args.json)
        with store.engine.connect() as conn:
            pairs = conn.execute(text("SELECT product_id, location_id FROM stock_level")).all()
            picks = [pairs[rng.randrange(len(pairs))] for _ in range(args.samples)]
            for pid, loc in picks:  # warm the page cache, as a running server's is
                level(conn, pid, loc)
            lookups = time_each(lambda pl: level(conn, pl[0], pl[1]), picks)
            t0 = time.perf_counter()
            value = stock_value(conn)
            valuation_s = time.perf_counter() - t0
            products = conn.execute(text("SELECT count(*) FROM product")).scalar()
        tab_ms = _products_tab_ms(store)
    finally:
        store.dispose()
    return {
        "products": products, "movements": movements,
        "level_lookup_ms": ms(percentile(lookups, 99)),
        "level_lookup_p50_ms": ms(percentile(lookups, 50)),
        "valuation_s": round(valuation_s, 3), "stock_value_ore": value,
        "products_tab_open_ms": tab_ms,
    }
