"""Product search over FTS5 on a real SQLite store: Swedish letters, prefixes, barcodes, triggers."""

import pytest
from sqlalchemy import text

from core.catalog.products import ProductIn, add_barcode, create_product, update_product
from core.catalog.search import (
    lookup_barcode,
    rebuild_search_index,
    search_index_problems,
    search_products,
)
from core.catalog.variants import create_variant_matrix
from core.db import open_store
from core.db.migrate import current_revision
from core.vat.seed import seed_vat


@pytest.fixture
def shop(store):
    with store.write() as s:
        seed_vat(s)
        for sku, sv, en, codes in [
            ("HAND-1", "Kökshandduk linne", "Kitchen towel linen", ["7310865004703"]),
            ("KOK-2", "Kokbok för nybörjare", "Cookbook for beginners", []),
            ("TR-1", "Tröja ull", "Wool sweater", ["73513537"]),
            ("UPC-1", "Amerikanskt godis", "American candy", ["036000291452"]),
        ]:
            create_product(s, ProductIn(sku=sku, name_sv=sv, name_en=en, barcodes=codes))
        s.commit()
    return store


def skus(conn, q, **kw):
    return [h.sku for h in search_products(conn, q, **kw)]


def test_a_fresh_store_has_the_search_table_and_triggers(store):
    with store.engine.connect() as c:
        assert search_index_problems(c) == []
        assert c.execute(text("SELECT count(*) FROM product_fts")).scalar() == 0
    assert current_revision(store.engine) is not None


def test_swedish_letters_stay_distinct(shop):
    with shop.read() as s:
        assert skus(s, "kök") == ["HAND-1"]
        assert skus(s, "kok") == ["KOK-2"]
        assert skus(s, "KÖK") == ["HAND-1"]  # case folds, diacritics do not


def test_every_word_is_a_prefix_and_all_must_match(shop):
    with shop.engine.connect() as c:
        assert skus(c, "trö") == ["TR-1"]
        assert skus(c, "tr") == ["TR-1"]
        assert skus(c, "kö lin") == ["HAND-1"]
        assert skus(c, "kö ull") == []
        assert skus(c, "wool swe") == ["TR-1"]  # English names too


def test_search_by_sku_and_barcode(shop):
    with shop.read() as s:
        assert skus(s, "KOK-2") == ["KOK-2"]
        assert skus(s, "hand") == ["HAND-1"]  # the SKU word HAND, and 'handduk' is not a word start
        assert skus(s, "731086") == ["HAND-1"]
        assert skus(s, "73513537") == ["TR-1"]


def test_hits_carry_id_sku_and_name(shop):
    with shop.read() as s:
        [hit] = search_products(s, "ull")
        assert (hit.sku, hit.name) == ("TR-1", "Tröja ull")
        assert search_products(s, "ull", lang="en")[0].name == "Wool sweater"


@pytest.mark.parametrize("q", ['"', '*', 'tr"ö', 'ull*', 'NEAR(ull', 'name_sv:ull', '-', 'AND', "'", "(", "^ull",
                               "", "   "])
def test_operators_in_user_text_never_error(shop, q):
    with shop.read() as s:
        search_products(s, q)


def test_limit_and_inactive(shop):
    with shop.write() as s:
        for i in range(30):
            create_product(s, ProductIn(sku=f"M-{i:02d}", name_sv=f"Mugg {i}"))
        s.commit()
        assert len(search_products(s, "mugg", limit=10)) == 10
        first = search_products(s, "mugg", limit=1)[0]
        update_product(s, first.id, active=False)
        assert first.sku not in skus(s, "mugg", limit=50)
        assert first.sku in skus(s, "mugg", limit=50, active_only=False)


def test_triggers_follow_updates_and_deletes(shop):
    with shop.write() as s:
        pid = create_product(s, ProductIn(sku="GLAS-1", name_sv="Vinglas", name_en="Wine glass"))
        assert skus(s, "vingl") == ["GLAS-1"]
        update_product(s, pid, name_sv="Ölglas", sku="GLAS-2")
        assert skus(s, "vingl") == []
        assert skus(s, "ölgl") == ["GLAS-2"]
        assert skus(s, "GLAS-1") == []
        add_barcode(s, pid, "4006381333931")
        assert skus(s, "400638") == ["GLAS-2"]
        s.execute(text("UPDATE barcode SET code = '96385074' WHERE code = '4006381333931'"))
        assert skus(s, "400638") == [] and skus(s, "963850") == ["GLAS-2"]
        s.execute(text("DELETE FROM barcode WHERE code = '96385074'"))
        assert skus(s, "963850") == []
        s.execute(text("DELETE FROM product WHERE id = :id"), {"id": pid})
        assert skus(s, "ölgl") == []
        assert s.execute(text("SELECT count(*) FROM product_fts")).scalar() == 4


def test_raw_sql_bulk_insert_and_replace_keep_search_right(shop):
    with shop.write() as s:
        s.execute(text("INSERT INTO product (id, sku, name_sv, name_en, description, unit, kind, stocked, "
                       "drop_ship, vat_class, product_type, active, created_at, updated_at) VALUES "
                       "(:id, :sku, :n, :n, '', 'pcs', 'goods', 1, 0, 'standard', 'single', 1, "
                       "'2026-01-01', '2026-01-01')"),
                  [{"id": 100 + i, "sku": f"RAW-{i}", "n": f"Äppelmust {i}"} for i in range(5)])
        s.execute(text("INSERT INTO barcode (code, product_id) VALUES ('96385074', 100)"))
        assert skus(s, "äppel") == [f"RAW-{i}" for i in range(5)]
        assert skus(s, "96385074") == ["RAW-0"]
        # INSERT OR REPLACE deletes the old row without firing delete triggers
        s.execute(text("INSERT OR REPLACE INTO product (id, sku, name_sv, name_en, description, unit, kind, "
                       "stocked, drop_ship, vat_class, product_type, active, created_at, updated_at) VALUES "
                       "(101, 'RAW-1', 'Päronmust', 'Pear juice', '', 'pcs', 'goods', 1, 0, 'standard', "
                       "'single', 1, '2026-01-01', '2026-01-01')"))
        assert skus(s, "päron") == ["RAW-1"]
        assert "RAW-1" not in skus(s, "äppel")
        # an upsert (what replica sync does) goes through the update triggers
        s.execute(text("INSERT INTO barcode (code, product_id) VALUES ('96385074', 101) "
                       "ON CONFLICT (code) DO UPDATE SET product_id = excluded.product_id"))
        assert skus(s, "96385074") == ["RAW-1"]


def test_variants_are_found_by_colour_and_size(shop):
    with shop.write() as s:
        create_variant_matrix(s, "TROJA", "Tröja Basic", [("Färg", ["Röd", "Blå"]), ("Storlek", ["S", "M"])])
        assert skus(s, "basic blå") == ["TROJA-BLA-S", "TROJA-BLA-M"]
        assert skus(s, "basic blå m") == ["TROJA-BLA-M"]
        assert skus(s, "troja-bla") == ["TROJA-BLA-S", "TROJA-BLA-M"]


def test_barcode_lookup(shop):
    with shop.read() as s:
        kok = search_products(s, "HAND-1")[0].id
        assert lookup_barcode(s, "7310865004703") == kok
        assert lookup_barcode(s, "7310865004704") is None
        assert lookup_barcode(s, "") is None
        upc = search_products(s, "UPC-1")[0].id
        assert lookup_barcode(s, "036000291452") == upc
        assert lookup_barcode(s, "0036000291452") == upc  # scanner sends UPC-A as EAN-13
    with shop.engine.connect() as c:
        assert lookup_barcode(c, "73513537") == search_products(c, "TR-1")[0].id


def test_rebuild_and_an_upgraded_store_with_products(tmp_path, shop):
    with shop.engine.begin() as c:
        c.execute(text("DELETE FROM product_fts"))
        assert skus(c, "kök") == []
        assert rebuild_search_index(c) == 4
        assert skus(c, "kök") == ["HAND-1"]
    # downgrade to 0001 with products in it, then upgrade: 0002 fills the index
    from alembic import command

    from core.db.migrate import alembic_config
    with shop.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with shop.engine.connect() as c:
        assert "missing table product_fts" in search_index_problems(c)
    shop.dispose()
    again = open_store(shop.url.removeprefix("sqlite:///"))
    with again.read() as s:
        assert skus(s, "kök") == ["HAND-1"] and skus(s, "73513537") == ["TR-1"]
    again.dispose()


def _index(conn):
    return conn.execute(text("SELECT rowid, name_sv, name_en, sku, barcodes FROM product_fts "
                             "ORDER BY rowid")).all()


def _raw_products(conn, ids, name):
    conn.execute(text("INSERT INTO product (id, sku, name_sv, name_en, description, unit, kind, stocked, "
                      "drop_ship, vat_class, product_type, active, created_at, updated_at) VALUES "
                      "(:id, :sku, :n, :n, '', 'pcs', 'goods', 1, 0, 'standard', 'single', 1, "
                      "'2026-01-01', '2026-01-01')"),
                 [{"id": i, "sku": f"B-{i}", "n": f"{name} {i}"} for i in ids])


def test_bulk_append_gives_the_same_index_as_the_triggers(shop):
    from core.catalog.search import bulk_append
    with shop.engine.begin() as c:
        old = search_products(c, "tröja")[0].id
        with bulk_append(c):
            assert search_index_problems(c) == ["missing trigger product_fts_ai", "missing trigger barcode_fts_ai"]
            _raw_products(c, range(1000, 1010), "Bulkmugg")
            c.execute(text("INSERT INTO barcode (code, product_id) VALUES ('96385074', 1003), "
                           "('4006381333931', :old)"), {"old": old})
            c.execute(text("UPDATE product SET name_sv = 'Ändrad', name_en = 'Changed' WHERE id = 1001"))
        assert search_index_problems(c) == []
        assert [h.id for h in search_products(c, "bulkmugg")] == [1000] + list(range(1002, 1010))
        assert [h.id for h in search_products(c, "96385074")] == [1003]
        assert [h.id for h in search_products(c, "ändrad")] == [1001]
        assert [h.id for h in search_products(c, "4006381")] == [old]
        bulk = _index(c)
        rebuild_search_index(c)
        assert _index(c) == bulk
        # a low id slipped in: the counts disagree and the whole index is rebuilt
        with bulk_append(c):
            _raw_products(c, [500], "Lågt")
        assert skus(c, "lågt") == ["B-500"]


def test_bulk_append_rolls_back_with_the_transaction(shop):
    from core.catalog.search import bulk_append
    with shop.engine.connect() as c:
        c.begin()
        with bulk_append(c):
            _raw_products(c, [2000], "Rullas")
        c.rollback()
        assert search_index_problems(c) == [] and skus(c, "rullas") == []
