"""`butik bench stock` at a small size: every figure is there and the padded ledger still matches the levels."""

from __future__ import annotations

import argparse

from bench import stock
from core.db import open_store
from core.inventory import check_levels
from core.paths import server_db_path


def test_bench_stock_reports_its_figures(data_dir):
    args = argparse.Namespace(products=300, movements=4000, samples=50, json=True,
                              data_dir=str(data_dir))
    figures = stock.run(args)
    assert {"level_lookup_ms", "valuation_s", "products_tab_open_ms"} <= set(figures)
    assert figures["movements"] >= 3999
    assert figures["level_lookup_ms"] > 0 and figures["valuation_s"] >= 0
    assert figures["stock_value_ore"] > 0
    store = open_store(server_db_path(data_dir / "bench" / "stock-300"))
    try:
        with store.read() as s:
            assert check_levels(s) == []
    finally:
        store.dispose()
    again = stock.run(args)  # the second run reuses the shop and the ledger
    assert again["movements"] == figures["movements"]
