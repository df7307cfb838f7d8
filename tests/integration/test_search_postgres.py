"""On PostgreSQL: migration 0002 adds no FTS table, and search falls back to ILIKE with the same rules."""

import pytest
from sqlalchemy import text

from core.catalog.products import ProductIn, create_product
from core.catalog.search import lookup_barcode, search_index_problems, search_products
from core.db import open_store
from core.vat.seed import seed_vat


@pytest.mark.postgres
def test_search_on_postgres(pg_url):
    store = open_store(pg_url)
    try:
        with store.write() as s:
            seed_vat(s)
            create_product(s, ProductIn(sku="HAND-1", name_sv="Kökshandduk", barcodes=["7310865004703"]))
            create_product(s, ProductIn(sku="KOK-2", name_sv="Kokbok", name_en="Cookbook"))
            s.commit()
        with store.read() as s:
            assert s.execute(text("SELECT to_regclass('product_fts')")).scalar() is None
            assert search_index_problems(s) == []
            assert [h.sku for h in search_products(s, "kök")] == ["HAND-1"]
            assert [h.sku for h in search_products(s, "KOKB")] == ["KOK-2"]
            assert [h.sku for h in search_products(s, "731086")] == ["HAND-1"]
            assert search_products(s, '"%_*') == []
            assert lookup_barcode(s, "7310865004703") is not None
    finally:
        store.dispose()
