"""What the back-office dialogs save — through the same commands the dialogs send (SyncRunner on a
LocalGateway): products with barcodes and VAT overrides, variant matrices, SET components — bad
input refused with a message naming the field, and nothing changed.
"""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import text

from backoffice.models.bundle_form import bundle_args, load_bundle
from backoffice.models.product_form import ProductForm, load_product, save_command
from backoffice.models.variants_model import load_variant_rows, matrix_args, parse_values
from core.catalog.barcodes import ean13_with_check
from core.catalog.editor import MatrixSpec
from core.catalog.products import ProductIn
from core.errors import Conflict, ValidationError
from tests.gui.backoffice_fixtures import *  # the fixtures


def count(store, sql, **params):
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def save(runner, form: ProductForm) -> int:
    out = []
    runner.command(*save_command(form), out.append)
    return out[0]["id"]


def test_new_product_with_barcodes_and_a_vat_override_then_edited(runner, bo_store):
    ean = ean13_with_check("735000000001")
    form = ProductForm(ProductIn(sku="TE-1", name_sv="Te Earl Grey", vat_class="food", category_id=6,
                                 barcodes=[ean]), overrides={"NO": "standard"})
    pid = save(runner, form)
    assert runner.announced == ["products"]
    with bo_store.read() as s:
        loaded = load_product(s, pid)
    assert loaded.product.barcodes == [ean] and loaded.overrides == {"NO": "standard"}
    assert loaded.product.stocked is True
    other = ean13_with_check("735000000002")
    loaded.product = dataclasses.replace(loaded.product, barcodes=[other], drop_ship=True, supplier_id=4,
                                         stocked=None)
    loaded.overrides = {}
    assert save(runner, loaded) == pid
    with bo_store.read() as s:
        again = load_product(s, pid)
    assert again.product.barcodes == [other] and again.overrides == {}
    assert again.product.drop_ship and not again.product.stocked  # drop-ship is never stocked


def test_bad_barcode_or_duplicate_sku_changes_nothing(runner, bo_store):
    before = count(bo_store, "SELECT count(*) FROM product")
    bad = ProductForm(ProductIn(sku="TE-2", name_sv="Te", barcodes=["7350000000013"]))
    with pytest.raises(ValidationError) as err:
        save(runner, bad)
    assert err.value.field == "barcode" and "check digit" in err.value.message
    dup = ProductForm(ProductIn(sku="TJ-0000001", name_sv="Dubblett"))
    with pytest.raises(Conflict) as err:
        save(runner, dup)
    assert err.value.field == "sku"
    assert count(bo_store, "SELECT count(*) FROM product") == before


def test_parse_values_takes_codes_after_equals():
    assert parse_values(" Röd, Blå=BL ,, Svart ") == ["Röd", ("Blå", "BL"), "Svart"]


def test_matrix_from_a_template_in_one_step_with_prices(runner, bo_store):
    spec = MatrixSpec("MOSS", "Mössa", "Beanie", [("Färg", parse_values("Röd, Grön")),
                                                  ("Storlek", parse_values("S, M, L"))],
                      category_id=4, price=19900, price_list_id=1, cost_price=5000)
    made = []
    runner.command("variants.create_matrix", matrix_args(spec), made.append)
    assert len(made[0]["variants"]) == 6 and made[0]["variants"][0]["codes"] == ["ROD", "S"]
    with bo_store.read() as s:
        axes, rows = load_variant_rows(s, made[0]["parent_id"], 1)
    assert axes == ["Färg", "Storlek"]
    assert [r.sku for r in rows] == ["MOSS-ROD-S", "MOSS-ROD-M", "MOSS-ROD-L",
                                     "MOSS-GRON-S", "MOSS-GRON-M", "MOSS-GRON-L"]
    assert [r.values for r in rows][:2] == [["Röd", "S"], ["Röd", "M"]]
    assert {r.price for r in rows} == {19900} and {r.available for r in rows} == {0}
    assert count(bo_store, "SELECT count(*) FROM price_change WHERE changed_by = 'test' AND new_price = 19900") == 6


def test_matrix_with_duplicate_skus_is_refused_and_nothing_is_written(runner, bo_store):
    before = count(bo_store, "SELECT count(*) FROM product")
    spec = MatrixSpec("MOSS", "Mössa", attributes=[("Storlek", ["S", ("Small", "S")])])
    with pytest.raises(Conflict) as err:
        runner.command("variants.create_matrix", matrix_args(spec))
    assert err.value.field == "attributes"
    taken = MatrixSpec("KL-0000080", "Tröja", attributes=[("Storlek", ["S"])])
    with pytest.raises(Conflict):
        runner.command("variants.create_matrix", matrix_args(taken))
    assert count(bo_store, "SELECT count(*) FROM product") == before


def test_bundle_components_and_availability_and_no_bundle_in_itself(runner, bo_store):
    bundle = count(bo_store, "SELECT id FROM product WHERE product_type = 'bundle' ORDER BY id LIMIT 1")
    with bo_store.read() as s:
        before = load_bundle(s, bundle)
    parts = [(c.id, c.qty) for c in before.components]
    runner.command("bundles.set_components", bundle_args(bundle, [(parts[0][0], 2000)]))
    with bo_store.read() as s:
        view = load_bundle(s, bundle)
    comp = view.components[0]
    assert [(c.id, c.qty) for c in view.components] == [(parts[0][0], 2000)]
    assert view.availability[0] == ("*", max(comp.available // 2000, 0) * 1000)
    assert [label for label, _ in view.availability] == ["*", "STHLM", "GBG", "LAGER"]
    with pytest.raises(ValidationError) as err:
        runner.command("bundles.set_components", bundle_args(bundle, [(bundle, 1000)]))
    assert err.value.field == "component_id" and "itself" in err.value.message
    with bo_store.read() as s:
        assert [(c.id, c.qty) for c in load_bundle(s, bundle).components] == [(parts[0][0], 2000)]
