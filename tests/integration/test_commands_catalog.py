"""Catalogue commands through the local gateway: products with barcodes and VAT overrides, a variant
matrix with prices, a variant's EAN, SET components, images sent as base64, the CSV import — and
bad arguments refused with the field named and nothing changed."""

from __future__ import annotations

import base64
from functools import partial
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from core.catalog.barcodes import ean13_with_check
from core.catalog.images import MAX_BYTES
from core.catalog.models import Category
from core.catalog.products import ProductIn, create_product
from core.commands import get
from core.commands.gateway import LocalGateway
from core.errors import Conflict, NotFound, ValidationError
from core.pricing.lists import create_price_list
from core.purchasing.suppliers import SupplierIn, create_supplier
from core.vat.seed import seed_vat
from tests import commands_support

TABLES = ("product", "barcode", "product_vat_override", "variant_attribute", "variant_attribute_value",
          "product_variant_value", "bundle_component", "product_image", "price_list_item", "price_change")
snapshot = partial(commands_support.snapshot, tables=TABLES)
refused = partial(commands_support.refused, tables=TABLES)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPG = b"\xff\xd8\xff\xe0" + b"\x01" * 40


@pytest.fixture
def shop(store):
    with store.write() as s:
        seed_vat(s)
        cat = Category(code="KLADER", name_sv="Kläder", name_en="Clothes")
        s.add(cat)
        s.flush()
        lev = create_supplier(s, SupplierIn(code="LEV1", name="Leverantören AB")).id
        retail = create_price_list(s, "RETAIL", "Butikspris", "SEK", True, is_default=True).id
        mug = create_product(s, ProductIn(sku="MUGG", name_sv="Mugg", barcodes=["7310000000027"]))
        cup = create_product(s, ProductIn(sku="KOPP", name_sv="Kopp"))
        gift = create_product(s, ProductIn(sku="PRESENT", name_sv="Presentset", product_type="bundle"))
        s.commit()
        return SimpleNamespace(category=cat.id, supplier=lev, retail=retail, mug=mug, cup=cup, gift=gift)


@pytest.fixture
def gw(store):
    return LocalGateway(store, "lisa")




def one(store, sql, **params):
    with store.read() as s:
        return s.execute(text(sql), params).one()




def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# ------------------------------------------------------------------ products

def test_a_product_is_created_with_barcodes_and_overrides_then_updated_field_by_field(store, gw, shop):
    ean = ean13_with_check("735000000001")
    made = gw.call("products.create", {"sku": "TE-1", "name_sv": "Te", "vat_class": "food",
                                       "category_id": shop.category, "cost_price": 1250,
                                       "barcodes": [ean], "vat_overrides": {"NO": "standard"}})
    pid = made["id"]
    assert one(store, "SELECT name_en, vat_class, category_id, cost_price, stocked FROM product WHERE id = :i",
               i=pid) == ("Te", "food", shop.category, 1250, 1)
    assert one(store, "SELECT code FROM barcode WHERE product_id = :i", i=pid) == (ean,)
    assert one(store, "SELECT country, vat_class FROM product_vat_override WHERE product_id = :i",
               i=pid) == ("NO", "standard")

    other = ean13_with_check("735000000002")
    changed = gw.call("products.update", {"product_id": pid, "name_en": "Tea", "drop_ship": True,
                                          "supplier_id": shop.supplier, "barcodes": [other]})
    assert changed["id"] == pid
    assert one(store, "SELECT name_sv, name_en, drop_ship, stocked, vat_class FROM product WHERE id = :i",
               i=pid) == ("Te", "Tea", 1, 0, "food")  # drop-ship is never stocked; unsent fields stay
    assert one(store, "SELECT code FROM barcode WHERE product_id = :i", i=pid) == (other,)
    assert one(store, "SELECT count(*) FROM product_vat_override WHERE product_id = :i", i=pid) == (1,)
    gw.call("products.update", {"product_id": pid, "vat_overrides": {}})
    assert one(store, "SELECT count(*) FROM product_vat_override WHERE product_id = :i", i=pid) == (0,)


@pytest.mark.parametrize("name, args, field, kind", [
    ("products.create", {"name_sv": "Te"}, "sku", ValidationError),                        # missing
    ("products.create", {"sku": "TE-1", "name_sv": "Te", "colour": "red"}, "colour", ValidationError),
    ("products.create", {"sku": "TE-1", "name_sv": "Te", "cost_price": "12,50"}, "cost_price", ValidationError),
    ("products.create", {"sku": "TE-1", "name_sv": "Te", "active": "yes"}, "active", ValidationError),
    ("products.create", {"sku": "TE-1", "name_sv": "Te", "barcodes": "7310000000027"}, "barcodes",
     ValidationError),
    ("products.create", {"sku": "TE-1", "name_sv": "Te", "barcodes": ["7350000000013"]}, "barcode",
     ValidationError),                                                                    # check digit
    ("products.create", {"sku": "TE-1", "name_sv": "Te", "vat_overrides": ["NO"]}, "vat_overrides",
     ValidationError),
    ("products.create", {"sku": "MUGG", "name_sv": "Dubblett"}, "sku", Conflict),
    ("products.create", {"sku": "TE-1", "name_sv": "Te", "drop_ship": True}, "supplier_id", ValidationError),
    ("products.update", {"name_sv": "Ny"}, "product_id", ValidationError),
    ("products.update", {"product_id": "1", "name_sv": "Ny"}, "product_id", ValidationError),
    ("products.update", {"product_id": 999, "name_sv": "Ny"}, "product_id", NotFound),
    ("products.update", {"product_id": 1, "sku": "KOPP"}, "sku", Conflict),
    ("products.update", {"product_id": 1, "unit": None}, "unit", ValidationError),
])
def test_bad_product_arguments_are_refused_naming_the_field(store, gw, shop, name, args, field, kind):
    refused(store, gw, name, args, field, kind)


# ------------------------------------------------------------------ variants and bundles

MATRIX = {"parent_sku": "MOSS", "name_sv": "Mössa", "name_en": "Beanie",
          "attributes": [{"name": "Färg", "values": ["Röd", {"value": "Blå", "code": "BL"}]},
                         {"name": "Storlek", "values": ["S", "M"]}]}


def test_a_matrix_is_made_in_one_step_with_a_price_per_variant_by_the_user(store, gw, shop):
    made = gw.call("variants.create_matrix", {**MATRIX, "category_id": shop.category, "price": 19900,
                                              "price_list_id": shop.retail})
    assert [v["codes"] for v in made["variants"]] == [["ROD", "S"], ["ROD", "M"], ["BL", "S"], ["BL", "M"]]
    with store.read() as s:
        rows = s.execute(text("SELECT p.sku, i.price, c.changed_by FROM product p JOIN price_list_item i "
                              "ON i.product_id = p.id JOIN price_change c ON c.product_id = p.id "
                              "WHERE p.parent_id = :p ORDER BY p.id"), {"p": made["parent_id"]}).all()
    assert rows == [(f"MOSS-{c}", 19900, "lisa") for c in ("ROD-S", "ROD-M", "BL-S", "BL-M")]
    variant = made["variants"][0]["product_id"]
    ean = ean13_with_check("735000000099")
    assert gw.call("variants.set_ean", {"product_id": variant, "ean": ean}) == {"product_id": variant, "ean": ean}
    assert one(store, "SELECT code FROM barcode WHERE product_id = :i", i=variant) == (ean,)
    gw.call("variants.set_ean", {"product_id": variant, "ean": ""})
    assert one(store, "SELECT count(*) FROM barcode WHERE product_id = :i", i=variant) == (0,)


@pytest.mark.parametrize("name, args, field, kind", [
    ("variants.create_matrix", {"parent_sku": "MOSS", "name_sv": "Mössa"}, "attributes", ValidationError),
    ("variants.create_matrix", {**MATRIX, "attributes": {"Färg": ["Röd"]}}, "attributes", ValidationError),
    ("variants.create_matrix", {**MATRIX, "attributes": [["Färg", ["Röd"]]]}, "attributes[0]", ValidationError),
    ("variants.create_matrix", {**MATRIX, "attributes": [{"name": "Färg", "values": ["Röd", 7]}]},
     "attributes[0].values[1]", ValidationError),
    ("variants.create_matrix", {**MATRIX, "price": 19900}, "price_list_id", ValidationError),
    ("variants.create_matrix", {**MATRIX, "price": 199.0, "price_list_id": 1}, "price", ValidationError),
    ("variants.create_matrix", {**MATRIX, "parent_sku": "MUGG"}, "sku", Conflict),
    ("variants.create_matrix", {**MATRIX, "size": "L"}, "size", ValidationError),
    ("variants.set_ean", {"product_id": 1, "ean": "7350000000013"}, "ean", ValidationError),
    ("variants.set_ean", {"product_id": 1}, "ean", ValidationError),
    ("variants.set_ean", {"product_id": 1, "ean": 7310000000027}, "ean", ValidationError),
])
def test_bad_variant_arguments_are_refused_naming_the_field(store, gw, shop, name, args, field, kind):
    refused(store, gw, name, args, field, kind)


def test_a_set_article_gets_its_components(store, gw, shop):
    done = gw.call("bundles.set_components", {"bundle_id": shop.gift, "components": [
        {"product_id": shop.mug, "qty": 2000}, {"product_id": shop.cup, "qty": 1000}]})
    assert done == {"bundle_id": shop.gift, "components": 2}
    with store.read() as s:
        assert s.execute(text("SELECT component_id, qty FROM bundle_component WHERE bundle_id = :b "
                              "ORDER BY component_id"), {"b": shop.gift}).all() == [(shop.mug, 2000), (shop.cup, 1000)]


@pytest.mark.parametrize("components, field", [
    (None, "components"),
    ([[1, 1000]], "components[0]"),
    ([{"product_id": 1, "qty": 1.5}], "components[0].qty"),
    ([{"product_id": 1, "qty": 0}], "qty"),
    ([{"product_id": "MUGG", "qty": 1000}], "components[0].product_id"),
    ([{"product_id": 3, "qty": 1000}], "component_id"),  # itself
])
def test_bad_components_are_refused_naming_the_field(store, gw, shop, components, field):
    args = {"bundle_id": shop.gift} if components is None else {"bundle_id": shop.gift, "components": components}
    refused(store, gw, "bundles.set_components", args, field)


# ------------------------------------------------------------------ images

def test_images_are_added_as_base64_stored_beside_the_database_reordered_fetched_and_removed(
        store, gw, shop, tmp_path):
    added = gw.call("images.add", {"product_id": shop.mug, "images": [{"name": "a.png", "data": b64(PNG)},
                                                                      {"name": "b.jpg", "data": b64(JPG)}]})
    first, second = added["ids"]
    with store.read() as s:
        rows = s.execute(text("SELECT id, path, position FROM product_image ORDER BY position")).all()
    assert [(r[0], r[2]) for r in rows] == [(first, 0), (second, 1)]
    folder = tmp_path / "images"  # beside butik.sqlite
    assert (folder / rows[0][1]).read_bytes() == PNG and (folder / rows[1][1]).read_bytes() == JPG

    gw.call("images.reorder", {"product_id": shop.mug, "image_ids": [second, first]})
    assert one(store, "SELECT position FROM product_image WHERE id = :i", i=second) == (0,)
    fetched = gw.call("images.fetch", {"image_id": first})
    assert base64.b64decode(fetched["data"]) == PNG and fetched["path"] == rows[0][1]

    assert gw.call("images.remove", {"image_id": second}) == {"product_id": shop.mug, "removed": second}
    assert not (folder / rows[1][1]).exists()
    assert one(store, "SELECT id, position FROM product_image") == (first, 0)


@pytest.mark.parametrize("args, field, kind", [
    ({"images": [{"name": "a.png", "data": b64(PNG)}]}, "product_id", ValidationError),
    ({"product_id": 999, "images": [{"name": "a.png", "data": b64(PNG)}]}, "product_id", NotFound),
    ({"product_id": 1, "images": []}, "images", ValidationError),
    ({"product_id": 1, "images": [{"name": "a.png"}]}, "images[0]", ValidationError),
    ({"product_id": 1, "images": [{"name": "a.png", "data": "not base64!"}]}, "images[0].data",
     ValidationError),
    ({"product_id": 1, "images": [{"name": "a.png", "data": b64(PNG)},
                                  {"name": "notes.png", "data": b64(b"just text")}]}, "image", ValidationError),
    ({"product_id": 1, "images": [{"name": "huge.png", "data": b64(PNG + b"\x00" * MAX_BYTES)}]}, "image",
     ValidationError),
    ({"product_id": 1, "images": [{"name": f"{i}.png", "data": b64(PNG)} for i in range(21)]}, "images",
     ValidationError),
])
def test_bad_images_are_refused_naming_the_field_and_no_row_is_added(store, gw, shop, args, field, kind):
    error = refused(store, gw, "images.add", args, field, kind)
    if field == "image":
        assert "at most 10 MB" in error.message or "is not a PNG, JPEG or WebP image" in error.message


def test_image_reorder_and_remove_refuse_bad_ids(store, gw, shop):
    first = gw.call("images.add", {"product_id": shop.mug, "images": [{"name": "a.png", "data": b64(PNG)}]})["ids"][0]
    refused(store, gw, "images.reorder", {"product_id": shop.mug, "image_ids": [first, first]}, "image_ids")
    refused(store, gw, "images.reorder", {"product_id": shop.mug, "image_ids": first}, "image_ids")
    refused(store, gw, "images.remove", {"image_id": 999}, "image_id", NotFound)
    refused(store, gw, "images.remove", {"image_id": None}, "image_id")
    with pytest.raises(NotFound) as caught:
        gw.call("images.fetch", {"image_id": 999})
    assert caught.value.field == "image_id" and not get("images.fetch").writes


# ------------------------------------------------------------------ CSV import

CSV = "sku;name_sv;price;barcodes\nNY-A;Ny A;49;\nNY-B;Ny B;fel;\n"


def test_a_csv_with_a_bad_row_imports_nothing_unless_told_to_skip_it(store, gw, shop):
    before = snapshot(store)
    report = gw.call("catalog.import_csv", {"csv_text": "\ufeff" + CSV})
    assert not report["committed"] and report["errors"] == [[3, "price", report["errors"][0][2]]]
    assert report["errors_total"] == 1 and report["created"] == 0
    assert snapshot(store) == before
    report = gw.call("catalog.import_csv", {"csv_text": CSV, "skip_bad": True})
    assert report["committed"] and (report["rows"], report["created"], report["prices_changed"]) == (2, 1, 1)
    assert one(store, "SELECT p.name_sv, i.price FROM product p JOIN price_list_item i ON i.product_id = p.id "
                      "WHERE p.sku = 'NY-A'") == ("Ny A", 4900)
    again = gw.call("catalog.import_csv", {"csv_text": CSV, "skip_bad": True})
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)


@pytest.mark.parametrize("args, field", [
    ({}, "csv_text"),
    ({"csv_text": None}, "csv_text"),
    ({"csv_text": "sku,name_sv\n", "skip_bad": "yes"}, "skip_bad"),
    ({"csv_text": "sku,name_sv\n", "path": "/tmp/x.csv"}, "path"),
    ({"csv_text": "sku,colour\nA,red\n"}, "header"),
])
def test_bad_import_arguments_are_refused_naming_the_field(store, gw, shop, args, field):
    refused(store, gw, "catalog.import_csv", args, field)
