"""Pricing rules without a database: bulk-change arithmetic, incl./excl. VAT, and refusals naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import ValidationError
from core.money import net_from_gross
from core.pricing.bulk import bulk_change, new_price
from core.pricing.lists import create_price_list, set_price
from core.pricing.resolve import ResolvedPrice, break_qty, unit_price_incl_excl


def resolved(price: int, includes_vat: bool) -> ResolvedPrice:
    return ResolvedPrice(1, price, "SEK", includes_vat, "default", False)


# --- bulk-change arithmetic --------------------------------------------------------------------

def test_percent_rounds_half_up_to_the_ore():
    assert new_price(1000, percent_bp=250) == 1025       # 10,00 + 2,5 % = 10,25
    assert new_price(999, percent_bp=50) == 1004         # 9,99 × 1,005 = 10,03995 → 10,04
    assert new_price(10, percent_bp=500) == 11           # 0,105 öre up → 0,11
    assert new_price(1990, percent_bp=-1000) == 1791     # 19,90 − 10 % = 17,91


def test_percent_to_whole_kronor_rounds_once_from_the_exact_value():
    # 149,00 + 3 % = 153,47 → 153 kr; 14,50 × 1,00 = 14,50 → 15 kr (half up)
    assert new_price(14900, percent_bp=300, round_to=100) == 15300
    assert new_price(1450, percent_bp=0, round_to=100) == 1500
    # 50,50 − 1 % = 49,995 → 50 kr
    assert new_price(5050, percent_bp=-100, round_to=100) == 5000
    # 33,33 + 0,5 % = 33,49665 → 33 kr; rounding to the öre first (33,50) would wrongly give 34 kr
    assert new_price(3333, percent_bp=50, round_to=100) == 3300


def test_amount_change_and_rounding():
    assert new_price(14900, amount=-1000) == 13900
    assert new_price(14950, amount=0, round_to=100) == 15000
    assert new_price(14949, amount=0, round_to=100) == 14900


@given(old=st.integers(0, 10**9), pct=st.integers(-9999, 50_000))
def test_percent_change_is_within_half_an_ore_of_exact(old, pct):
    new = new_price(old, percent_bp=pct)
    exact_times_bp = old * (10_000 + pct)
    assert abs(new * 10_000 - exact_times_bp) * 2 <= 10_000


@given(old=st.integers(0, 10**9), pct=st.integers(-9999, 50_000))
def test_whole_kronor_rounding_gives_whole_kronor(old, pct):
    assert new_price(old, percent_bp=pct, round_to=100) % 100 == 0


# --- incl./excl. VAT ---------------------------------------------------------------------------

def test_incl_excl_from_a_retail_price():
    assert unit_price_incl_excl(resolved(12500, True), 2500) == (12500, 10000)
    assert unit_price_incl_excl(resolved(10600, True), 600) == (10600, 10000)


def test_incl_excl_from_a_reseller_price():
    assert unit_price_incl_excl(resolved(10000, False), 2500) == (12500, 10000)
    assert unit_price_incl_excl(resolved(999, False), 1200) == (1119, 999)  # 119,88 öre VAT → 120


@given(price=st.integers(0, 10**10), rate=st.sampled_from([0, 600, 1200, 2400, 2500, 2550]))
def test_incl_minus_excl_is_the_vat(price, rate):
    incl, excl = unit_price_incl_excl(resolved(price, True), rate)
    assert incl == price and excl == net_from_gross(price, rate) and 0 <= incl - excl <= incl


def test_break_quantity_is_at_least_one_unit():
    assert break_qty(250) == 1000          # 0,250 kg still gets the base price
    assert break_qty(-3000) == 3000        # a return of 3 gets the price of 3
    assert break_qty(12_000) == 12_000


# --- refusals name the field (checked before any database access) ------------------------------

def field_of(excinfo) -> str:
    return excinfo.value.field


def test_negative_price_is_refused_naming_price():
    with pytest.raises(ValidationError) as e:
        set_price(None, 1, 1, -1)
    assert field_of(e) == "price" and "at least 0" in str(e.value)


@pytest.mark.parametrize("bad", [12.5, "100", None, True])
def test_a_price_must_be_whole_ore(bad):
    with pytest.raises(ValidationError) as e:
        set_price(None, 1, 1, bad)
    assert field_of(e) == "price"


def test_zero_or_negative_break_is_refused():
    with pytest.raises(ValidationError) as e:
        set_price(None, 1, 1, 100, min_qty=0)
    assert field_of(e) == "min_qty"


def test_dates_backwards_are_refused():
    with pytest.raises(ValidationError) as e:
        set_price(None, 1, 1, 100, valid_from=dt.date(2026, 5, 1), valid_to=dt.date(2026, 4, 30))
    assert field_of(e) == "valid_to"


def test_unknown_currency_is_refused_naming_currency():
    with pytest.raises(ValidationError) as e:
        create_price_list(None, "X", "X", "SEKK", True)
    assert field_of(e) == "currency" and "SEKK" in str(e.value)


def test_empty_code_is_refused():
    with pytest.raises(ValidationError) as e:
        create_price_list(None, "  ", "X", "SEK", True)
    assert field_of(e) == "code"


@pytest.mark.parametrize("kwargs, field", [
    ({}, "percent_bp"),
    ({"percent_bp": 100, "amount": 100}, "percent_bp"),
    ({"percent_bp": 1.5}, "percent_bp"),
    ({"amount": "10"}, "amount"),
    ({"percent_bp": -10_000}, "percent_bp"),
    ({"percent_bp": 100, "round_to": 0}, "round_to"),
])
def test_bad_bulk_change_arguments_are_refused(kwargs, field):
    with pytest.raises(ValidationError) as e:
        bulk_change(None, 1, [1], **kwargs)
    assert field_of(e) == field
