"""Vendor payload rules: exact major→minor conversion, exact JSON numbers out, typed field access."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.integrations.http import VendorPayloadError, dumps, idempotency_key, parse_json
from core.integrations.payload import Reader, major_to_minor, minor_to_major, percent_to_bp


@pytest.mark.parametrize("value, minor", [
    (199.2, 19920), (Decimal("199.2"), 19920), (0.1, 10), (1e-2, 1), (622.4, 62240), (778, 77800),
    ("15.20", 1520), (-3.5, -350), (0.29, 29), (1.15, 115), (4.35, 435), (8.2, 820)])
def test_major_to_minor_is_exact(value, minor):
    assert major_to_minor(value) == minor


@pytest.mark.parametrize("value", [True, None, "abc", "", float("nan"), float("inf"), [1], 1.005])
def test_major_to_minor_refuses(value):
    with pytest.raises(ValueError):
        major_to_minor(value)


def test_sub_ore_unit_prices_round_half_up_when_allowed():
    assert major_to_minor(Decimal("79.925"), exact=False) == 7993
    assert major_to_minor(Decimal("79.924"), exact=False) == 7992


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_round_trip_through_json_is_exact(minor):
    wire = dumps({"price": minor_to_major(minor)})
    assert major_to_minor(parse_json(wire)["price"]) == minor


@given(st.integers(min_value=0, max_value=10**9))
def test_float_json_from_a_vendor_converts_exactly(minor):
    as_float = float(minor_to_major(minor))        # what a vendor's serializer would emit
    assert major_to_minor(as_float) == minor


def test_dumps_writes_exact_decimal_digits():
    assert dumps({"a": Decimal("159.20"), "b": [Decimal("0.10")], "c": "x"}) == \
        b'{"a": 159.20, "b": [0.10], "c": "x"}'


def test_percent_to_bp():
    assert [percent_to_bp(v) for v in (25, 12.5, "6.0", Decimal(0))] == [2500, 1250, 600, 0]
    for bad in (101, -1, 12.345, "x"):
        with pytest.raises(ValueError):
            percent_to_bp(bad)


def test_reader_names_the_path_and_refuses_wrong_types():
    r = Reader("Shop")
    data = {"n": Decimal(3), "b": True, "s": 5, "x": "7", "big": 10**20}
    assert r.int(data, "n", "o") == 3 and r.str(data, "s", "o") == "5"
    for call in (lambda: r.int(data, "b", "o"), lambda: r.int(data, "x", "o"),
                 lambda: r.int(data, "missing", "o"), lambda: r.int(data, "big", "o"),
                 lambda: r.list({}, "o.items"), lambda: r.obj([], "o")):
        with pytest.raises(VendorPayloadError) as err:
            call()
        assert "Shop" in str(err.value) and "o" in str(err.value)


def test_idempotency_key_is_deterministic_and_short():
    assert idempotency_key("klarna-capture", 42) == idempotency_key("klarna-capture", "42")
    assert idempotency_key("klarna-capture", 42) != idempotency_key("klarna-capture", 43)
    assert len(idempotency_key("x", "y")) == 36
