"""Price commands through the local gateway: one price (by id or SKU, break, dates, campaign) and a bulk
change of a list — history written under the user's name, bad arguments refused with the field named
and nothing changed."""

from __future__ import annotations

from functools import partial
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from core.catalog.products import ProductIn, create_product
from core.commands.gateway import LocalGateway
from core.errors import NotFound, ValidationError
from core.pricing.lists import create_price_list, set_price
from core.vat.seed import seed_vat
from tests import commands_support

TABLES = ("price_list_item", "price_change")
snapshot = partial(commands_support.snapshot, tables=TABLES)
refused = partial(commands_support.refused, tables=TABLES)


@pytest.fixture
def shop(store):
    with store.write() as s:
        seed_vat(s)
        retail = create_price_list(s, "RETAIL", "Butikspris", "SEK", True, is_default=True).id
        ids = [create_product(s, ProductIn(sku=f"ART-{n}", name_sv=f"Artikel {n}")) for n in range(1, 4)]
        for pid, price in zip(ids, (14900, 9950, 2000)):
            set_price(s, retail, pid, price, changed_by="setup")
        s.commit()
        return SimpleNamespace(retail=retail, ids=ids)


@pytest.fixture
def gw(store):
    return LocalGateway(store, "lisa")




def rows(store, sql, **params):
    with store.read() as s:
        return s.execute(text(sql), params).all()




def test_a_price_is_set_by_sku_or_id_with_a_break_dates_and_a_campaign(store, gw, shop):
    made = gw.call("prices.set", {"price_list_id": shop.retail, "sku": "ART-1", "price": 12900,
                                  "valid_from": "2026-12-01", "valid_to": "2026-12-24", "campaign": True})
    assert made["product_id"] == shop.ids[0] and made["price"] == 12900
    gw.call("prices.set", {"price_list_id": shop.retail, "product_id": shop.ids[1], "price": 8900,
                           "min_qty": 10000})
    assert rows(store, "SELECT product_id, min_qty, price, valid_from, valid_to, campaign FROM price_list_item "
                       "WHERE id = :i", i=made["id"]) == [(shop.ids[0], 1000, 12900, "2026-12-01", "2026-12-24", 1)]
    assert rows(store, "SELECT product_id, min_qty, price FROM price_list_item WHERE min_qty = 10000") == [
        (shop.ids[1], 10000, 8900)]
    assert rows(store, "SELECT count(*) FROM price_change WHERE changed_by = 'lisa'") == [(2,)]


@pytest.mark.parametrize("args, field, kind", [
    ({"sku": "ART-1", "price": 100}, "price_list_id", ValidationError),                    # missing
    ({"price_list_id": 1, "sku": "ART-1"}, "price", ValidationError),
    ({"price_list_id": 1, "price": 100}, "sku", ValidationError),                          # no product
    ({"price_list_id": 1, "price": 100, "sku": "ART-1", "product_id": 1}, "sku", ValidationError),
    ({"price_list_id": 1, "price": 100, "sku": "NOPE"}, "sku", NotFound),
    ({"price_list_id": 1, "price": "99,00", "sku": "ART-1"}, "price", ValidationError),
    ({"price_list_id": 1, "price": -1, "sku": "ART-1"}, "price", ValidationError),
    ({"price_list_id": 1, "price": 100, "sku": "ART-1", "min_qty": 0}, "min_qty", ValidationError),
    ({"price_list_id": 1, "price": 100, "sku": "ART-1", "valid_from": "24/12"}, "valid_from", ValidationError),
    ({"price_list_id": 1, "price": 100, "sku": "ART-1", "campaign": "ja"}, "campaign", ValidationError),
    ({"price_list_id": 1, "price": 100, "sku": "ART-1", "currency": "SEK"}, "currency", ValidationError),
    ({"price_list_id": 9, "price": 100, "sku": "ART-1"}, "price_list_id", NotFound),
])
def test_bad_price_arguments_are_refused_naming_the_field(store, gw, shop, args, field, kind):
    refused(store, gw, "prices.set", args, field, kind)


def test_a_bulk_change_moves_exactly_the_named_products_and_records_who(store, gw, shop):
    done = gw.call("prices.bulk_change", {"price_list_id": shop.retail, "product_ids": shop.ids[:2],
                                          "percent_bp": 1000, "round_to": 100})
    assert done == {"prices": 2, "changed": 2}
    assert rows(store, "SELECT product_id, price FROM price_list_item ORDER BY product_id") == [
        (shop.ids[0], 16400), (shop.ids[1], 10900), (shop.ids[2], 2000)]  # 163,90 → 164; 109,45 → 109
    assert rows(store, "SELECT count(*) FROM price_change WHERE changed_by = 'lisa'") == [(2,)]
    every = gw.call("prices.bulk_change", {"price_list_id": shop.retail, "product_ids": None, "amount": -1000})
    assert every == {"prices": 3, "changed": 3}
    assert rows(store, "SELECT price FROM price_list_item ORDER BY product_id") == [(15400,), (9900,), (1000,)]


@pytest.mark.parametrize("args, field", [
    ({"price_list_id": 1, "percent_bp": 500}, "product_ids"),          # "every product" must be said
    ({"price_list_id": 1, "product_ids": [1], "percent_bp": 500, "amount": 100}, "percent_bp"),
    ({"price_list_id": 1, "product_ids": [1]}, "percent_bp"),
    ({"price_list_id": 1, "product_ids": "1,2", "percent_bp": 500}, "product_ids"),
    ({"price_list_id": 1, "product_ids": [1, "2"], "percent_bp": 500}, "product_ids[1]"),
    ({"price_list_id": 1, "product_ids": [1], "percent_bp": 5.5}, "percent_bp"),
    ({"price_list_id": 1, "product_ids": [1], "percent_bp": -10000}, "percent_bp"),
    ({"price_list_id": 1, "product_ids": [3], "amount": -5000}, "amount"),  # 20,00 would go negative
    ({"price_list_id": 1, "product_ids": [1], "percent_bp": 500, "round_to": 0}, "round_to"),
    ({"price_list_id": 1, "product_ids": [1], "percent_bp": 500, "preview": True}, "preview"),
])
def test_bad_bulk_arguments_are_refused_naming_the_field(store, gw, shop, args, field):
    refused(store, gw, "prices.bulk_change", args, field)
