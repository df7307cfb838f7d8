"""The demo shop: deterministic, complete, and consistent (levels = movements, search works)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from core.catalog.search import lookup_barcode, search_index_problems, search_products
from core.db import open_store
from core.demo.builder import build_demo
from core.errors import Conflict
from core.inventory.levels import bundle_available, check_levels


def _digest(store) -> list:
    with store.engine.connect() as conn:
        return [conn.execute(text(f"SELECT count(*), coalesce(sum(length({col})), 0) FROM {table}")).one()
                for table, col in [("product", "sku"), ("barcode", "code"), ("price_list_item", "price"),
                                   ("customer", "email"), ("stock_movement", "qty")]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("demo") / "server.sqlite")
    summary = build_demo(store, products=600)
    yield store, summary
    store.dispose()


def test_builds_what_a_swedish_shop_has(demo):
    store, summary = demo
    assert summary.products == 600
    assert summary.customers == 200
    with store.engine.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).scalar()
        assert q("SELECT count(*) FROM store") == 2
        assert q("SELECT count(*) FROM location WHERE kind = 'warehouse'") == 1
        assert q("SELECT count(*) FROM channel WHERE kind = 'webshop'") >= 1
        assert q("SELECT count(*) FROM product WHERE product_type = 'variant'") > 0
        assert q("SELECT count(*) FROM product WHERE product_type = 'bundle'") >= 5
        assert q("SELECT count(*) FROM product WHERE vat_class = 'food'") > 0
        assert q("SELECT count(*) FROM product WHERE vat_class = 'books_culture'") > 0
        assert q("SELECT count(*) FROM product WHERE kind = 'service' AND vat_class = 'standard'") > 0
        lists = conn.execute(text("SELECT code, currency, includes_vat FROM price_list ORDER BY id")).all()
        assert [(c, cur, bool(v)) for c, cur, v in lists] == [
            ("RETAIL", "SEK", True), ("RESELLER", "SEK", False), ("EUR", "EUR", True)]
        kinds = dict(conn.execute(text("SELECT kind, count(*) FROM customer GROUP BY kind")).all())
        assert kinds["private"] > 0 and kinds["company"] > 0


def test_identifiers_are_valid(demo):
    from stdnum import ean
    from stdnum.se import orgnr, personnummer

    store, _ = demo
    with store.engine.connect() as conn:
        assert all(ean.is_valid(c) for (c,) in conn.execute(text("SELECT code FROM barcode")))
        for org, pnr in conn.execute(text("SELECT org_number, personal_number FROM customer")):
            assert (org and orgnr.is_valid(org)) or (pnr and personnummer.is_valid(pnr))
        company = conn.execute(text("SELECT org_number FROM company")).scalar()
        assert orgnr.is_valid(company)


def test_stock_levels_equal_movements_and_bundles_have_none(demo):
    store, _ = demo
    with store.engine.connect() as conn:
        assert check_levels(conn) == []
        bundle = conn.execute(text("SELECT id FROM product WHERE product_type = 'bundle' LIMIT 1")).scalar()
        assert conn.execute(text("SELECT count(*) FROM stock_level WHERE product_id = :b"), {"b": bundle}).scalar() == 0
        assert bundle_available(conn, bundle, 3) is not None


def test_search_and_barcodes_work_on_the_built_shop(demo):
    store, _ = demo
    with store.engine.connect() as conn:
        assert search_index_problems(conn) == []
        pid, code = conn.execute(text("SELECT product_id, code FROM barcode LIMIT 1 OFFSET 17")).one()
        assert lookup_barcode(conn, code) == pid
        name = conn.execute(text("SELECT name_sv FROM product WHERE id = :p"), {"p": pid}).scalar()
        hits = search_products(conn, name.split()[0][:3])
        assert hits


def test_same_seed_same_shop(tmp_path, demo):
    store, _ = demo
    again = open_store(tmp_path / "again.sqlite")
    try:
        build_demo(again, products=600)
        assert _digest(again) == _digest(store)
    finally:
        again.dispose()


def test_refuses_a_store_with_products(demo):
    store, _ = demo
    with pytest.raises(Conflict):
        build_demo(store, products=600)


def test_cli_builds_and_prints_a_summary(tmp_path):
    result = subprocess.run([sys.executable, "-m", "core.cli.main", "demo", "--no-gui", "--data-dir",
                             str(tmp_path), "--products", "300"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "products" in result.stdout and "customers" in result.stdout
    assert (tmp_path / "server.sqlite").exists()
    again = subprocess.run([sys.executable, "-m", "core.cli.main", "demo", "--no-gui", "--data-dir",
                            str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "already built" in again.stdout
