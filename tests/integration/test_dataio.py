"""CSV import/export: bad rows named by line and field, all-or-nothing by default, re-import changes nothing."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from sqlalchemy import text

from core.dataio.export import export_products, export_stock
from core.dataio.products_import import import_products
from core.db import open_store
from core.demo.builder import build_demo
from core.errors import ValidationError

HEADER = "sku,name_sv,name_en,unit,kind,vat_class,category,cost_price,barcodes,price,currency,price_list\n"
GOOD = [
    "NY-1,Tröja Ängel,Sweater Angel,pcs,goods,standard,TROJOR,120.00,7350000000016,499.00,SEK,RETAIL",
    "NY-2,Kaffe Åre 500 g,Coffee,pcs,goods,food,KAFFE-TE,35,7350000000023,89,,",
    "NY-3,Presentinslagning extra,Gift wrap,pcs,service,standard,TJANSTER,,,25,SEK,RETAIL",
]


@pytest.fixture
def shop(tmp_path):
    store = open_store(tmp_path / "server.sqlite")
    build_demo(store, products=100, customers=20)
    yield store
    store.dispose()


def _write(path, rows, header=HEADER):
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _counts(store) -> tuple:
    with store.engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                     for t in ("product", "barcode", "price_list_item", "price_change"))


def test_import_creates_products_with_barcodes_and_prices(shop, tmp_path):
    report = import_products(shop, _write(tmp_path / "p.csv", GOOD))
    assert (report.created, report.errors) == (3, [])
    with shop.engine.connect() as conn:
        row = conn.execute(text("SELECT p.id, p.stocked, p.cost_price, i.price FROM product p "
                                "JOIN price_list_item i ON i.product_id = p.id AND i.price_list_id = 1 "
                                "WHERE p.sku = 'NY-1'")).one()
        assert row[1:] == (1, 12000, 49900)
        assert conn.execute(text("SELECT product_id FROM barcode WHERE code = '7350000000016'")).scalar() == row[0]
        service = conn.execute(text("SELECT stocked, kind FROM product WHERE sku = 'NY-3'")).one()
        assert tuple(service) == (0, "service")


def test_reimporting_the_same_file_changes_nothing(shop, tmp_path):
    path = _write(tmp_path / "p.csv", GOOD)
    import_products(shop, path)
    before = _counts(shop)
    with shop.engine.connect() as conn:
        stamps = conn.execute(text("SELECT sku, updated_at FROM product WHERE sku LIKE 'NY-%' ORDER BY sku")).all()
    again = import_products(shop, path)
    assert (again.created, again.updated, again.unchanged, again.prices_changed) == (0, 0, 3, 0)
    assert _counts(shop) == before
    with shop.engine.connect() as conn:
        assert conn.execute(text("SELECT sku, updated_at FROM product WHERE sku LIKE 'NY-%' ORDER BY sku")).all() == stamps


def test_a_changed_price_is_updated_with_history(shop, tmp_path):
    import_products(shop, _write(tmp_path / "p.csv", GOOD))
    changed = [GOOD[0].replace("499.00", "449.00")] + GOOD[1:]
    report = import_products(shop, _write(tmp_path / "p2.csv", changed))
    assert (report.unchanged, report.prices_changed) == (3, 1)
    with shop.engine.connect() as conn:
        assert conn.execute(text("SELECT old_price, new_price FROM price_change ORDER BY id DESC LIMIT 1")).one() == (49900, 44900)


BAD = [
    ("NY-4,Bad EAN,,pcs,goods,standard,,,7350000000010,10,,", "barcode"),
    ("NY-5,Negative,,pcs,goods,standard,,,,-5,,", "price"),
    ("NY-6,Unknown cat,,pcs,goods,standard,NOPE,,,10,,", "category"),
    ("NY-7,Euro,,pcs,goods,standard,,,,10,EUR,RETAIL", "currency"),
    ("NY 8,Bad SKU,,pcs,goods,standard,,,,10,,", "sku"),
    ("NY-9,,,pcs,goods,standard,,,,10,,", "name_sv"),
    ("NY-1,Duplicate,,pcs,goods,standard,,,,10,,", "sku"),
    ("NY-10,Bad VAT,,pcs,goods,luxury,,,,10,,", "vat_class"),
]


def test_bad_rows_are_reported_by_line_and_field_and_nothing_is_imported(shop, tmp_path):
    before = _counts(shop)
    report = import_products(shop, _write(tmp_path / "bad.csv", GOOD + [b for b, _ in BAD]))
    assert [(line, field) for line, field, _ in report.errors] == [(5 + i, f) for i, (_, f) in enumerate(BAD)]
    assert all(reason for _, _, reason in report.errors)
    assert not report.committed and report.created == 0
    assert _counts(shop) == before


def test_skip_bad_imports_the_good_rows(shop, tmp_path):
    report = import_products(shop, _write(tmp_path / "bad.csv", GOOD + [b for b, _ in BAD]), skip_bad=True)
    assert report.committed and report.created == 3 and len(report.errors) == len(BAD)
    with shop.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM product WHERE sku LIKE 'NY-%'")).scalar() == 3


def test_missing_header_column_is_refused(shop, tmp_path):
    with pytest.raises(ValidationError) as err:
        import_products(shop, _write(tmp_path / "h.csv", ["X-1"], header="sku\n"))
    assert err.value.field == "header" and "name_sv" in str(err.value)


def test_export_then_import_round_trips_without_changes(shop, tmp_path):
    out = tmp_path / "products.csv"
    with shop.engine.connect() as conn:
        count = export_products(conn, out)
    assert count == 100
    before = _counts(shop)
    report = import_products(shop, out)
    assert report.errors == []
    assert (report.created, report.updated, report.prices_changed) == (0, 0, 0)
    assert _counts(shop) == before


def test_export_stock_has_available(shop, tmp_path):
    out = tmp_path / "stock.csv"
    with shop.engine.connect() as conn:
        n = export_stock(conn, out)
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert n == len(rows) > 0
    assert set(rows[0]) == {"sku", "location", "on_hand", "reserved", "available"}


def _butik(*args, data_dir):
    return subprocess.run([sys.executable, "-m", "core.cli.main", *args, "--data-dir", str(data_dir), "--quiet"],
                          capture_output=True, text=True, timeout=300)


def test_cli_import_exit_codes_and_messages(tmp_path):
    shop = open_store(tmp_path / "server.sqlite")
    build_demo(shop, products=60, customers=10)
    shop.dispose()
    bad = _write(tmp_path / "bad.csv", GOOD + [BAD[0][0]])
    result = _butik("import", "products", str(bad), data_dir=tmp_path)
    assert result.returncode == 1
    assert "line 5: barcode:" in result.stdout and "nothing imported" in result.stdout
    good = _write(tmp_path / "good.csv", GOOD)
    result = _butik("import", "products", str(good), data_dir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 created" in result.stdout
    for what in ("products", "customers", "stock"):
        result = _butik("export", what, str(tmp_path / f"{what}.csv"), data_dir=tmp_path)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / f"{what}.csv").stat().st_size > 50
