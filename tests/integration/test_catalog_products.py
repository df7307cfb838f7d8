"""Creating and changing products on a real SQLite store: every refusal names its field."""

import pytest
from sqlalchemy import func, select

from core.catalog.models import Barcode, Category, Product
from core.catalog.products import (
    ProductIn,
    add_barcode,
    barcodes_of,
    create_product,
    get_by_sku,
    remove_barcode,
    update_product,
)
from core.errors import Conflict, NotFound, ValidationError
from core.purchasing.models import Supplier
from core.vat.seed import seed_vat


@pytest.fixture
def shop(store):
    with store.write() as s:
        seed_vat(s)
        s.add(Category(id=1, code="KLADER", name_sv="Kläder", name_en="Clothing"))
        s.add(Category(id=2, parent_id=1, code="TROJOR", name_sv="Tröjor", name_en="Sweaters"))
        s.add(Supplier(id=1, code="NORDTEX", name="Nordtextil AB"))
        s.commit()
    return store


def test_create_and_read_back(shop):
    with shop.write() as s:
        pid = create_product(s, ProductIn(sku="TR-1", name_sv="Tröja", name_en="Sweater", category_id=2,
                                          supplier_id=1, cost_price=12_500, weight_g=400,
                                          barcodes=["7310865004703", "73513537"]))
        s.commit()
    with shop.read() as s:
        p = get_by_sku(s, "TR-1")
        assert (p.id, p.name_sv, p.cost_price, p.stocked, p.kind, p.vat_class) == (
            pid, "Tröja", 12_500, True, "goods", "standard")
        assert barcodes_of(s, pid) == ["7310865004703", "73513537"]


def test_english_name_defaults_to_swedish(shop):
    with shop.write() as s:
        pid = create_product(s, ProductIn(sku="A", name_sv="Kaffe"))
        assert s.get(Product, pid).name_en == "Kaffe"


@pytest.mark.parametrize("changes, field", [
    (dict(sku="BAD SKU"), "sku"),
    (dict(sku=""), "sku"),
    (dict(name_sv=" "), "name_sv"),
    (dict(cost_price=-1), "cost_price"),
    (dict(cost_price=12.5), "cost_price"),
    (dict(weight_g=-5), "weight_g"),
    (dict(unit="st"), "unit"),
    (dict(kind="gift"), "kind"),
    (dict(category_id=99), "category_id"),
    (dict(vat_class="luxury"), "vat_class"),
    (dict(supplier_id=42), "supplier_id"),
    (dict(kind="service", stocked=True), "stocked"),
    (dict(drop_ship=True), "supplier_id"),
    (dict(product_type="variant"), "parent_id"),
    (dict(barcodes=["7310865004704"]), "barcode"),
])
def test_refusals_name_the_field(shop, changes, field):
    data = ProductIn(sku="OK-1", name_sv="Något")
    for k, v in changes.items():
        setattr(data, k, v)
    with shop.write() as s:
        with pytest.raises((ValidationError, NotFound)) as e:
            create_product(s, data)
        assert e.value.field == field
        assert s.scalar(select(func.count()).select_from(Product)) == 0


def test_service_is_never_stocked(shop):
    with shop.write() as s:
        pid = create_product(s, ProductIn(sku="TJ-1", name_sv="Presentinslagning", kind="service"))
        assert s.get(Product, pid).stocked is False
        with pytest.raises(ValidationError) as e:
            update_product(s, pid, stocked=True)
        assert e.value.field == "stocked"


def test_goods_becoming_a_service_stops_being_stocked(shop):
    with shop.write() as s:
        pid = create_product(s, ProductIn(sku="X-1", name_sv="Lagning"))
        assert update_product(s, pid, kind="service").stocked is False


def test_duplicate_sku_is_a_conflict(shop):
    with shop.write() as s:
        create_product(s, ProductIn(sku="TR-1", name_sv="Tröja"))
        with pytest.raises(Conflict) as e:
            create_product(s, ProductIn(sku="TR-1", name_sv="Annan tröja"))
        assert e.value.field == "sku"


def test_update_checks_the_whole_product_and_keeps_own_sku(shop):
    with shop.write() as s:
        pid = create_product(s, ProductIn(sku="TR-1", name_sv="Tröja"))
        other = create_product(s, ProductIn(sku="TR-2", name_sv="Tröja 2"))
        p = update_product(s, pid, name_sv="Ulltröja", sku="TR-1", cost_price=100)
        assert (p.name_sv, p.cost_price) == ("Ulltröja", 100)
        with pytest.raises(Conflict):
            update_product(s, other, sku="TR-1")
        with pytest.raises(ValidationError) as e:
            update_product(s, pid, colour="red")
        assert e.value.field == "colour"


def test_barcodes(shop):
    with shop.write() as s:
        a = create_product(s, ProductIn(sku="A", name_sv="A"))
        b = create_product(s, ProductIn(sku="B", name_sv="B"))
        assert add_barcode(s, a, "036000291452") == "036000291452"
        with pytest.raises(Conflict, match="belongs to A") as e:
            add_barcode(s, b, "0036000291452")  # the same UPC-A written as EAN-13
        assert e.value.field == "barcode"
        with pytest.raises(ValidationError) as e:
            add_barcode(s, b, "036000291453")
        assert e.value.field == "barcode"
        remove_barcode(s, "036000291452")
        assert s.scalar(select(func.count()).select_from(Barcode)) == 0


def test_unknown_sku(shop):
    with shop.read() as s, pytest.raises(NotFound) as e:
        get_by_sku(s, "NOPE")
    assert e.value.field == "sku"
