"""Webshop catalogue: category map and one-time push; variants matched by template and value names."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.catalog.models import Category
from core.errors import Conflict, Unavailable
from core.integrations.connections import get_connection_row, make_client
from core.integrations.models import CategoryMap
from core.integrations.starweb.categories import map_category, push_categories
from tests.integration_jobs_support import build_world


@pytest.fixture
def world(store):
    w = build_world(store, second_shop=False)
    yield w
    w.stop()


def _shop1(store, world):
    conn = next(c for c in world.connections(store) if c.code == "SHOP1")
    return conn, make_client(conn)


def _tree(store) -> dict[str, int]:
    with store.write() as s:
        ids = {}
        for code, name, en, parent in (("KLADER", "Kläder", "Clothes", None),
                                       ("TROJOR", "Tröjor", "", "KLADER"),
                                       ("BYXOR", "Byxor", "Trousers", "KLADER"),
                                       ("KOK", "Kök", "", None)):
            cat = Category(code=code, name_sv=name, name_en=en,
                           parent_id=ids.get(parent), sort=len(ids))
            s.add(cat)
            s.flush()
            ids[code] = cat.id
        s.commit()
    return ids


def test_push_creates_the_missing_categories_parents_first_and_maps_existing_ones(store, world):
    ids = _tree(store)
    kok = world.web1.add_category("kök ")                  # already in the shop, by name
    conn, client = _shop1(store, world)
    result = push_categories(store, conn, client)
    assert (result.created, result.matched, result.problems) == (3, 1, [])
    cats = world.web1.categories
    with store.read() as s:
        mapped = dict(s.execute(select(CategoryMap.category_id, CategoryMap.shop_category_id)).all())
    assert mapped[ids["KOK"]] == kok
    klader = cats[mapped[ids["KLADER"]]]
    assert klader["parentId"] is None and klader["externalId"] == str(ids["KLADER"])
    assert [lang["name"] for lang in klader["languages"]] == ["Kläder", "Clothes"]
    assert cats[mapped[ids["TROJOR"]]]["parentId"] == klader["categoryId"]
    assert cats[mapped[ids["BYXOR"]]]["parentId"] == klader["categoryId"]
    # one-time: a second push creates nothing
    again = push_categories(store, conn, client)
    assert (again.created, again.matched, again.already) == (0, 0, 4)
    assert len(world.web1.calls_to("POST", r"/product-categories$")) == 3
    client.http.close()


def test_a_lost_answer_to_a_create_never_makes_a_twin(store, world):
    ids = _tree(store)
    conn, client = _shop1(store, world)
    world.web1.drop(after=True, method="POST", path=r"/product-categories$")
    with pytest.raises(Unavailable):
        push_categories(store, conn, client)               # the first POST's answer was lost
    result = push_categories(store, conn, client)
    assert result.matched == 1 and result.created == 3
    assert len(world.web1.categories) == 4
    with store.read() as s:
        assert s.scalar(select(CategoryMap.origin).where(
            CategoryMap.category_id == ids["KLADER"])) == "matched"
    client.http.close()


def test_the_simulator_refuses_what_starweb_refuses(store, world):
    _conn, client = _shop1(store, world)
    from core.integrations.http import VendorError
    for body in ({"languages": []}, {"languages": [{"langCode": "sv", "name": "x"}], "categoryId": 5},
                 {"languages": [{"langCode": "sv", "name": "x"}], "parentId": 99999},
                 {"languages": [{"langCode": "xx", "name": "x"}]}):
        with pytest.raises(VendorError) as err:
            client._call("POST", "/product-categories", json_body=body, expect=(201,))
        assert err.value.status == 400
    client.http.close()


def test_manual_mapping_is_checked(store, world):
    ids = _tree(store)
    with store.write() as s:
        conn_id = get_connection_row(s, "SHOP1").id
        map_category(s, conn_id, ids["KLADER"], 501)
        map_category(s, conn_id, ids["KLADER"], 502)        # remapped in place
        with pytest.raises(Conflict):
            map_category(s, conn_id, ids["KOK"], 502)
        s.commit()


def test_shop_variants_with_other_skus_are_matched_by_template_and_value_names(store, world):
    from core.catalog.variants import create_variant_matrix
    from core.inventory import MovementIn, record_movements
    from core.pricing.lists import set_price
    from core.pricing.models import PriceList
    from core.quantity import pieces

    with store.write() as s:
        m = create_variant_matrix(s, "TROJA", "Tröja", [("Färg", ["Röd", "Blå"]),
                                                         ("Storlek", ["S", "M"])])
        red_m = m.variants[("ROD", "M")]
        blue_s = m.variants[("BLA", "S")]
        record_movements(s, [MovementIn(red_m, world.shop.warehouse, pieces(7), "initial",
                                        None, None, "vm-1"),
                             MovementIn(blue_s, world.shop.warehouse, pieces(2), "initial",
                                        None, None, "vm-2")])
        retail = s.scalar(select(PriceList.id).where(PriceList.code == "RETAIL"))
        set_price(s, retail, red_m, 25000)
        s.commit()
    world.web1.add_variant_product(" tröja", [("SW-100", ["röd", "M"]), ("SW-101", ["Blå", "S"]),
                                              ("SW-102", ["Grön", "S"])])
    runner = world.runner(store)
    report = runner.run_once()                      # the first round reconciles
    assert report.ok, report.problems
    assert world.web1.stock("SW-100") == 7 and world.web1.stock("SW-101") == 2
    assert world.web1.price("SW-100")["priceExVat"] == 200.0     # 250 kr incl. 25 % VAT
    assert world.web1.stock("SW-102") is None                    # no such variant of ours
    from core.integrations.models import PublishedItem
    with store.read() as s:
        assert s.scalar(select(PublishedItem.shop_sku).where(
            PublishedItem.product_id == red_m)) == "SW-100"
    # later changes go out at once through the ordinary publishing
    with store.write() as s:
        record_movements(s, [MovementIn(red_m, world.shop.warehouse, -pieces(3), "adjustment",
                                        None, None, "vm-3")])
        s.commit()
    runner.run_once()
    assert world.web1.stock("SW-100") == 4
    runner.close()
