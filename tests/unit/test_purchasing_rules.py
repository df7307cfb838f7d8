"""Purchasing and valuation rules without a database: the PO state machine, average cost, currency."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidTransition
from core.inventory.valuation import blend_average, value_of
from core.purchasing import states
from core.purchasing.receiving import to_base


def test_the_purchase_order_lifecycle():
    path = ["draft", "sent", "confirmed", "partly_received", "received", "closed"]
    for current, target in itertools.pairwise(path):
        assert states.allowed(current, target)
    assert states.allowed("sent", "received")  # goods before the confirmation
    assert states.allowed("partly_received", "closed")
    for current in ("draft", "sent", "confirmed"):
        assert states.allowed(current, "cancelled")


@pytest.mark.parametrize("current,target", [
    ("draft", "confirmed"), ("draft", "received"), ("partly_received", "cancelled"),
    ("received", "cancelled"), ("closed", "sent"), ("cancelled", "sent"), ("received", "draft")])
def test_forbidden_steps_are_refused_with_the_number(current, target):
    with pytest.raises(InvalidTransition, match=f"purchase order 17 is {current}"):
        states.check_transition(17, current, target)


def test_after_a_receipt_the_order_is_received_only_when_every_line_is_covered():
    assert states.after_receipt([(10, 10, 0), (5, 2, 3)]) == "received"
    assert states.after_receipt([(10, 10, 0), (5, 2, 0)]) == "partly_received"
    assert states.after_receipt([(10, 12, 0)]) == "received"  # over-receipt


def test_two_receipts_at_different_prices_average_exactly():
    first = blend_average(0, None, 10_000, 10_000)
    assert first == 10_000
    assert blend_average(10_000, first, 10_000, 13_000) == 11_500


def test_negative_stock_carries_no_cost_and_rounding_is_half_up():
    assert blend_average(-5_000, 9_000, 1_000, 12_000) == 12_000
    assert blend_average(2_000, 100, 1_000, 101) == 100  # 301/3 = 100.33
    assert blend_average(1_000, 100, 1_000, 101) == 101  # 100.5 rounds up


@given(st.integers(0, 10**7), st.integers(0, 10**8), st.integers(1, 10**7), st.integers(0, 10**8))
def test_the_average_lies_between_the_old_average_and_the_new_price(have, old, qty, price):
    new = blend_average(have, old, qty, price)
    assert min(old, price) <= new <= max(old, price)


@given(st.integers(-10**9, 10**9), st.integers(0, 10**7))
def test_value_of_is_quantity_times_cost_to_the_nearest_ore(qty, cost):
    exact = qty * cost / 1000
    assert abs(value_of(qty, cost) - exact) <= 0.5


def test_foreign_prices_are_converted_to_base_currency_ore():
    assert to_base(350, 11_500_000) == 4025      # 3,50 EUR at 11,50
    assert to_base(333, 11_123_456) == 3704      # 37.041 → 37,04 kr
    assert to_base(1000, 1_000_000) == 1000
