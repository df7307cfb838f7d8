"""Variant matrices and SET articles on a real SQLite store."""

import pytest
from sqlalchemy import func, select

from core.catalog.bundles import components, set_components
from core.catalog.models import BundleComponent, Product, ProductVariantValue, VariantAttribute
from core.catalog.products import ProductIn, create_product
from core.catalog.variants import create_variant_matrix, variant_grid
from core.errors import Conflict, ValidationError
from core.vat.seed import seed_vat

ATTRS = [("Färg", ["Röd", "Blå"]), ("Storlek", ["S", "M", "L"])]


@pytest.fixture
def shop(store):
    with store.write() as s:
        seed_vat(s)
        s.commit()
    return store


def _count(s, model):
    return s.scalar(select(func.count()).select_from(model))


def test_matrix_makes_six_stocked_variants_under_a_parent(shop):
    with shop.write() as s:
        m = create_variant_matrix(s, "TROJA", ("Tröja Basic", "Sweater Basic"), ATTRS, cost_price=10_000)
        s.commit()
    with shop.read() as s:
        parent = s.get(Product, m.parent_id)
        assert (parent.product_type, parent.stocked) == ("variant_parent", False)
        variants = s.scalars(select(Product).where(Product.parent_id == m.parent_id)
                             .order_by(Product.id)).all()
        assert [v.sku for v in variants] == ["TROJA-ROD-S", "TROJA-ROD-M", "TROJA-ROD-L",
                                             "TROJA-BLA-S", "TROJA-BLA-M", "TROJA-BLA-L"]
        assert all(v.stocked and v.product_type == "variant" and v.cost_price == 10_000 for v in variants)
        assert variants[0].name_sv == "Tröja Basic Röd S"
        assert variants[0].name_en == "Sweater Basic Röd S"
        assert m.variants[("BLA", "M")] == variants[4].id
        assert _count(s, ProductVariantValue) == 12


def test_grid_for_the_pos_picker(shop):
    with shop.write() as s:
        m = create_variant_matrix(s, "TROJA", "Tröja", ATTRS)
        grid = variant_grid(s, m.parent_id)
        assert [a.name for a in grid.axes] == ["Färg", "Storlek"]
        assert [v for _, v in grid.rows] == ["Röd", "Blå"]
        assert [v for _, v in grid.cols] == ["S", "M", "L"]
        table = grid.table()
        assert table[1][2] == m.variants[("BLA", "L")]
        assert s.get(Product, table[0][1]).sku == "TROJA-ROD-M"


def test_given_codes_are_used(shop):
    with shop.write() as s:
        m = create_variant_matrix(s, "BYX", "Byxa", [("Storlek", [("Extra large", "XL"), "M"])])
        assert set(m.variants) == {("XL",), ("M",)}


def _nothing_written(s):
    assert _count(s, Product) == 0
    assert _count(s, VariantAttribute) == 0


def test_existing_sku_refuses_the_whole_matrix(shop):
    with shop.write() as s:
        create_product(s, ProductIn(sku="TROJA-BLA-M", name_sv="Gammal"))
        s.commit()
    with shop.write() as s:
        with pytest.raises(Conflict, match="TROJA-BLA-M") as e:
            create_variant_matrix(s, "TROJA", "Tröja", ATTRS)
        assert e.value.field == "sku"
        assert _count(s, Product) == 1 and _count(s, VariantAttribute) == 0


def test_duplicate_within_the_matrix_is_refused(shop):
    with shop.write() as s:
        with pytest.raises(Conflict, match="ROD") as e:
            create_variant_matrix(s, "TROJA", "Tröja", [("Färg", ["Röd", "Rod"])])
        assert e.value.field == "attributes"
        with pytest.raises(Conflict, match="more than once"):
            create_variant_matrix(s, "P", "P", [("A", [("x", "A-B"), ("y", "A")]),
                                                ("B", [("u", "C"), ("v", "B-C")])])
        _nothing_written(s)


@pytest.mark.parametrize("attrs", [[], [("Färg", [])], [("", ["Röd"])], [("Färg", ["Röd"]), ("färg", ["S"])],
                                   [("Färg", ["—"])]])
def test_bad_attributes_are_refused(shop, attrs):
    with shop.write() as s:
        with pytest.raises(ValidationError) as e:
            create_variant_matrix(s, "TROJA", "Tröja", attrs)
        assert e.value.field == "attributes"
        _nothing_written(s)


def test_parent_sku_is_checked(shop):
    with shop.write() as s:
        with pytest.raises(ValidationError) as e:
            create_variant_matrix(s, "TRÖJA", "Tröja", ATTRS)
        assert e.value.field == "sku"
        _nothing_written(s)


@pytest.fixture
def goods(shop):
    with shop.write() as s:
        ids = {sku: create_product(s, ProductIn(sku=sku, name_sv=sku, **kw)) for sku, kw in [
            ("MUGG", {}), ("KAFFE", {}), ("SET1", dict(product_type="bundle")),
            ("SET2", dict(product_type="bundle")), ("SET3", dict(product_type="bundle")),
            ("TJ", dict(kind="service")), ("PARENT", dict(product_type="variant_parent"))]}
        s.commit()
    return ids


def test_bundle_components_flatten_nested_bundles(shop, goods):
    g = goods
    with shop.write() as s:
        set_components(s, g["SET1"], [(g["MUGG"], 2000), (g["KAFFE"], 1000)])
        set_components(s, g["SET2"], [(g["SET1"], 3000), (g["MUGG"], 500)])
        assert components(s, g["SET1"]) == [(g["MUGG"], 2000), (g["KAFFE"], 1000)]
        assert components(s, g["SET2"]) == [(g["MUGG"], 6500), (g["KAFFE"], 3000)]
        assert s.get(Product, g["SET1"]).stocked is False


def test_bundle_cycles_are_refused(shop, goods):
    g = goods
    with shop.write() as s:
        with pytest.raises(ValidationError, match="itself") as e:
            set_components(s, g["SET1"], [(g["SET1"], 1000)])
        assert e.value.field == "component_id"
        set_components(s, g["SET1"], [(g["MUGG"], 1000)])
        set_components(s, g["SET2"], [(g["SET1"], 1000)])
        set_components(s, g["SET3"], [(g["SET2"], 1000)])
        with pytest.raises(ValidationError, match="loop"):
            set_components(s, g["SET1"], [(g["MUGG"], 1000), (g["SET3"], 1000)])
        # the refused change left SET1 as it was
        assert components(s, g["SET1"]) == [(g["MUGG"], 1000)]


@pytest.mark.parametrize("component, qty, field", [
    ("TJ", 1000, "component_id"), ("PARENT", 1000, "component_id"), ("MUGG", 0, "qty"),
    ("MUGG", -1000, "qty"), ("MUGG", 1.5, "qty")])
def test_bad_components_are_refused(shop, goods, component, qty, field):
    with shop.write() as s:
        with pytest.raises(ValidationError) as e:
            set_components(s, goods["SET1"], [(goods[component], qty)])
        assert e.value.field == field
        assert _count(s, BundleComponent) == 0


def test_only_a_bundle_has_components(shop, goods):
    with shop.write() as s, pytest.raises(ValidationError) as e:
        set_components(s, goods["MUGG"], [(goods["KAFFE"], 1000)])
    assert e.value.field == "bundle_id"
