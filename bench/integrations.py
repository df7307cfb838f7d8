"""Integration speed: POS sale → stock visible in the simulated shop; import of 1,000 new webshop orders.

Runs against the local simulators over real HTTP (Starweb, Klarna, Nets, Unifaun) with a fresh
SQLite store in a temporary folder. stock_propagation_s: from the commit of a POS-like sale to
the new quantity in the shop, with the sync node calling `run_once()` back to back (target ≤ 5 s).
import_1000_orders_s: one round that imports N new orders — customer matched, stock reserved,
our number written back — (target ≤ 30 s for N = 1,000).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def add_arguments(p) -> None:
    p.add_argument("--orders", type=int, default=1000, metavar="N",
                   help="webshop orders to import (default 1000)")


def run(args) -> dict:
    from core.db import open_store
    from core.inventory import MovementIn, record_movements
    from core.quantity import pieces
    from tests.integration_jobs_support import build_world

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.sqlite")
        world = build_world(store, second_shop=False)
        try:
            runner = world.runner(store)
            runner.run_once()                       # first reconciliation with the shop
            product, warehouse = world.shop.p["MUGG"], world.shop.warehouse
            before = world.web1.stock("MUGG", 1)
            with store.write() as s:
                record_movements(s, [MovementIn(product, warehouse, -pieces(1), "sale", "receipt",
                                                "bench", "bench:sale:MUGG")])
                s.commit()
            t0 = time.perf_counter()
            while world.web1.stock("MUGG", 1) == before and time.perf_counter() - t0 < 60:
                runner.run_once()
            propagation = time.perf_counter() - t0
            for i in range(args.orders):
                world.web1.add_order([("TSHIRT", 1, "159.20", "25"), ("KAFFE", 2, "79.91", "12")],
                                     email=f"kund{i % 300}@example.se")
            t0 = time.perf_counter()
            report = runner.run_once()
            imported = time.perf_counter() - t0
            runner.close()
        finally:
            world.stop()
            store.dispose()
    return {"stock_propagation_s": round(propagation, 3), "import_1000_orders_s": round(imported, 3),
            "orders_imported": report.imported, "orders": args.orders}
