"""The back-office table models, tested without a window: columns, paging, filters, search, stock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from backoffice.models.prices_model import PricesModel, list_info, price_history
from backoffice.models.products_model import ProductFilter, ProductsModel, category_subtree
from backoffice.models.stock_model import (
    LevelsModel,
    MovementsModel,
    StockFilter,
    exception_rows,
)
from core.catalog.products import update_product
from core.inventory import MovementIn, bundle_available, record_movements
from tests.gui.backoffice_fixtures import *  # the fixtures

pytestmark = pytest.mark.usefixtures("qapp")


def scalar(store, sql, **params):
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def headers(model):
    return [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]


def cell(model, row, key):
    return model.data(model.index(row, model.column(key)))


def test_products_first_page_has_named_columns_and_no_more_than_a_page(runner):
    model = ProductsModel(runner, page_size=120)
    model.set_filter(ProductFilter(active=None))
    assert headers(model) == ["SKU", "Name", "Type", "Category", "VAT class", "Price", "Available", "Active"]
    assert model.rowCount() == 120 and model.canFetchMore()
    assert cell(model, 0, "sku") == "TJ-0000001"
    assert cell(model, 0, "price") == "519,00"  # the default list (RETAIL, incl. VAT)
    assert cell(model, 0, "available") == ""  # a service has no stock


def test_paging_walks_every_product_once_in_id_order(runner, bo_store):
    model = ProductsModel(runner, page_size=70)
    model.set_filter(ProductFilter(active=None))
    pages = 1
    while model.canFetchMore():
        model.fetchMore()
        pages += 1
    ids = [r.id for r in model.rows]
    assert ids == sorted(set(ids))
    assert len(ids) == scalar(bo_store, "SELECT count(*) FROM product") == 300
    assert pages == 5 and model.exhausted  # 70+70+70+70+20


def test_filter_by_category_includes_subcategories(runner, bo_store):
    model = ProductsModel(runner, page_size=1000)
    with bo_store.read() as s:
        kläder = s.execute(text("SELECT id FROM category WHERE code = 'KLADER'")).scalar()
        tree = category_subtree(s, kläder)
    model.set_filter(ProductFilter(category_id=kläder, active=None))
    expected = scalar(bo_store, f"SELECT count(*) FROM product WHERE category_id IN ({','.join(map(str, tree))})")
    assert len(tree) > 1 and model.rowCount() == expected > 0
    assert {r.category for r in model.rows} <= {"Kläder", "Tröjor", "Byxor", "Accessoarer"}


def test_filter_by_type_shows_bundle_availability_from_components(runner, bo_store):
    model = ProductsModel(runner)
    model.set_filter(ProductFilter(product_type="bundle", active=None))
    assert model.rowCount() == 5
    with bo_store.read() as s:
        for row in model.rows:
            assert row.product_type == "bundle"
            assert row.available == bundle_available(s, row.id, None)


def test_filter_inactive_and_active(runner, bo_store):
    with bo_store.write() as s:
        update_product(s, 7, active=False)
        s.commit()
    model = ProductsModel(runner)
    model.set_filter(ProductFilter(active=False))
    assert [r.id for r in model.rows] == [7]
    assert cell(model, 0, "active") == "no"
    model.set_filter(ProductFilter(active=True))
    model.fetch_all_for_test()
    assert 7 not in [r.id for r in model.rows] and model.rowCount() == 299


def test_search_by_name_sku_and_barcode(runner, bo_store):
    model = ProductsModel(runner)
    model.set_filter(ProductFilter(text="LV-0000009"))
    assert [r.sku for r in model.rows] == ["LV-0000009"]
    code = scalar(bo_store, "SELECT code FROM barcode WHERE product_id = 12")
    model.set_filter(ProductFilter(text=code))
    assert [r.id for r in model.rows] == [12]
    model.set_filter(ProductFilter(text="choklad"))
    assert model.rowCount() > 0 and all("choklad" in r.name.lower() for r in model.rows)
    model.set_filter(ProductFilter(text="choklad", product_type="bundle"))
    assert model.rowCount() == 0


def test_prices_follow_the_list_incl_or_excl_vat_with_breaks(runner, bo_store):
    model = PricesModel(runner)
    with bo_store.read() as s:
        reseller, retail = list_info(s, 2), list_info(s, 1)
    model.set_list(reseller)
    assert headers(model)[3] == "Price (SEK, excl. VAT)"
    first = model.rows[:2]
    assert [r.product_id for r in first] == [1, 1] and [r.min_qty for r in first] == [1000, 10000]
    assert cell(model, 1, "min_qty") == "10"
    model.set_list(retail)
    assert headers(model)[3] == "Price (SEK, incl. VAT)"
    model.set_filter(ProductFilter(text="TJ-0000003"))
    assert [(r.sku, r.price) for r in model.rows] == [("TJ-0000003", 6900)]


def test_levels_per_location_with_available(runner, bo_store):
    model = LevelsModel(runner, page_size=50)
    model.set_filter(StockFilter(location_id=3))
    model.fetch_all_for_test()
    assert headers(model) == ["SKU", "Name", "Location", "On hand", "Reserved", "Available", "On order"]
    assert model.rowCount() == scalar(bo_store, "SELECT count(*) FROM stock_level WHERE location_id = 3")
    assert {r.location for r in model.rows} == {"LAGER"}
    r = model.rows[0]
    on_hand = scalar(bo_store, "SELECT on_hand FROM stock_level WHERE product_id = :p AND location_id = 3",
                     p=r.product_id)
    assert r.on_hand == on_hand and r.available == r.on_hand - r.reserved and r.on_order == 0


def test_movements_newest_first_and_exceptions_resolved(runner, bo_store):
    pid = scalar(bo_store, "SELECT product_id FROM stock_level WHERE location_id = 1 ORDER BY product_id LIMIT 1")
    on_hand = scalar(bo_store, "SELECT on_hand FROM stock_level WHERE product_id = :p AND location_id = 1", p=pid)
    with bo_store.write() as s:  # an offline sale of more than there is: a fact, so stock goes negative
        record_movements(s, [MovementIn(pid, 1, -(on_hand + 2000), "sale", "receipt", "R-1", "r1:1")])
        s.commit()
    moves = MovementsModel(runner)
    moves.show_product(pid, 1)
    assert moves.rows[0].reason == "sale" and moves.rows[0].source == "receipt R-1"
    assert cell(moves, 0, "qty") == f"-{(on_hand + 2000) // 1000}"
    assert moves.rowCount() == scalar(bo_store, "SELECT count(*) FROM stock_movement WHERE product_id = :p "
                                                "AND location_id = 1", p=pid)
    levels = LevelsModel(runner)
    levels.set_filter(StockFilter(negative_only=True))
    assert [(r.product_id, r.on_hand) for r in levels.rows] == [(pid, -2000)]
    shown = []  # the exceptions come through the query command (the server's data)
    runner.command("stock.exceptions", {}, lambda items: shown.append(exception_rows(items)))
    open_now = shown[-1]
    assert [(e.sku, e.on_hand_after, e.source) for e in open_now][-1][1:] == (-2000, "receipt R-1")
    runner.command("stock.resolve_exception", {"exception_id": open_now[-1].id, "note": "counted"})
    assert runner.announced == ["stock"]
    runner.command("stock.exceptions", {}, lambda items: shown.append(exception_rows(items)))
    assert shown[-1] == open_now[:-1]
    assert scalar(bo_store, "SELECT resolved_by || ':' || note FROM stock_exception WHERE id = :i",
                  i=open_now[-1].id) == "test:counted"


def test_movements_page_through_the_query_command_and_say_when_the_server_is_away(runner, bo_store):
    import socket

    from backoffice import errors
    from backoffice.worker import SyncRunner
    from core.commands.gateway import RemoteGateway
    from core.sync.client import SyncClient

    pid = scalar(bo_store, "SELECT product_id FROM stock_level WHERE location_id = 1 ORDER BY product_id LIMIT 1")
    with bo_store.write() as s:
        record_movements(s, [MovementIn(pid, 1, -1000, "sale", "receipt", f"R-{i}", f"p{i}") for i in range(5)])
        s.commit()
    total = scalar(bo_store, "SELECT count(*) FROM stock_movement WHERE product_id = :p", p=pid)
    moves = MovementsModel(runner, page_size=2)
    moves.show_product(pid)
    assert [r.source for r in moves.rows] == ["receipt R-4", "receipt R-3"] and moves.canFetchMore()
    moves.fetch_all_for_test()
    ids = [r.id for r in moves.rows]
    assert len(ids) == total and ids == sorted(ids, reverse=True)

    errors.shown.clear()
    with socket.socket() as sock:  # a port nothing listens on: the server is away
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = SyncClient(url, "token", retries=0)
    away = MovementsModel(SyncRunner(bo_store, gateway=RemoteGateway(bo_store, server, server, "test")))
    said = []
    away.failed.connect(said.append)
    away.show_product(pid)
    assert away.rowCount() == 0 and not away.canFetchMore()
    assert "unreachable" in said[0] and errors.shown == []  # said in place, no dialog


def test_price_history_lists_changes_newest_first(runner, bo_store):
    from core.pricing.lists import set_price
    with bo_store.write() as s:
        set_price(s, 1, 3, 7900, changed_by="anna")
        set_price(s, 1, 3, 8900, changed_by="bo")
        s.commit()
    with bo_store.read() as s:
        rows = price_history(s, 1, 3)
    assert [(h.old_price, h.new_price, h.changed_by) for h in rows] == [(7900, 8900, "bo"), (6900, 7900, "anna")]


def test_variant_grid_edits_are_commands_and_a_bad_ean_keeps_the_cell(runner, bo_store):
    from backoffice import errors
    from backoffice.models.variants_model import VariantRowsModel, load_variant_rows
    from core.catalog.barcodes import ean13_with_check

    parent = scalar(bo_store, "SELECT id FROM product WHERE product_type = 'variant_parent' ORDER BY id LIMIT 1")
    model = VariantRowsModel(runner, 1)
    with bo_store.read() as s:
        model.set_rows(*load_variant_rows(s, parent, 1))
    first = model.rows[0]
    assert model.setData(model.index(0, model.keys.index("price")), "123,50")
    assert first.price == 12350 and runner.announced == ["prices"]
    assert scalar(bo_store, "SELECT price FROM price_list_item WHERE price_list_id = 1 AND product_id = :p "
                            "AND min_qty = 1000 AND NOT campaign AND valid_from IS NULL", p=first.id) == 12350
    assert scalar(bo_store, "SELECT changed_by FROM price_change WHERE product_id = :p ORDER BY id DESC LIMIT 1",
                  p=first.id) == "test"
    ean = ean13_with_check("735000000123")
    assert model.setData(model.index(0, model.keys.index("ean")), ean)
    assert first.ean == ean and runner.announced == ["prices", "products"]
    errors.shown.clear()
    assert not model.setData(model.index(0, model.keys.index("ean")), "7350000000013")  # bad check digit
    assert first.ean == ean and errors.shown[-1][1].startswith("ean:")
    assert scalar(bo_store, "SELECT code FROM barcode WHERE product_id = :p", p=first.id) == ean
    errors.close_all()
