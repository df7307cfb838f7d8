"""Stock rules without a database: bundle component quantities, levels, movement validation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import ValidationError
from core.inventory.items import component_qty
from core.inventory.levels import Level
from core.inventory.movements import REASONS, MovementIn, _validate


def test_a_bundle_of_two_moves_twice_each_component_quantity():
    assert component_qty(2000, 3000) == 6000      # 2 bundles × 3 pieces
    assert component_qty(-1000, 500) == -500      # selling one bundle of ½ kg
    assert component_qty(1500, 1000) == 1500


@given(st.integers(-10**9, 10**9), st.integers(1, 10**6))
def test_component_quantity_is_exact_when_whole_and_keeps_the_sign(bundle_qty, per_bundle):
    q = component_qty(bundle_qty * 1000, per_bundle)
    assert q == bundle_qty * per_bundle
    assert component_qty(-bundle_qty, per_bundle) == -component_qty(bundle_qty, per_bundle)


def test_available_is_on_hand_minus_reserved():
    assert Level(5000, 2000).available == 3000
    assert Level(1000, 3000).available == -2000
    assert Level().available == 0


@pytest.mark.parametrize("change, field", [
    ({"qty": 0}, "qty"),
    ({"qty": 1.5}, "qty"),
    ({"qty": True}, "qty"),
    ({"reason": "stolen-by-elves"}, "reason"),
    ({"idem_key": ""}, "idem_key"),
    ({"idem_key": "k" * 161}, "idem_key"),
])
def test_a_bad_movement_is_refused_naming_the_field(change, field):
    base = dict(product_id=1, location_id=1, qty=1000, reason="sale", source_type="receipt",
                source_id="r1", idem_key="r1:1")
    with pytest.raises(ValidationError) as err:
        _validate(MovementIn(**{**base, **change}))
    assert err.value.field == field


def test_the_reasons_cover_every_flow_of_goods():
    assert {"initial", "sale", "return", "purchase_receipt", "delivery", "adjustment", "count",
            "transfer_out", "transfer_in", "drop_ship"} <= REASONS
