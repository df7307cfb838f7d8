"""Money: integer öre with a currency, VAT per rate that sums exactly, exact splits, cash rounding."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import ValidationError
from core.money import (
    BP,
    Money,
    allocate,
    cash_round,
    cash_rounding,
    check_currency,
    div_round_half_up,
    format_amount,
    format_rate,
    gross_from_net,
    line_amount,
    net_from_gross,
    parse_amount,
    parse_rate,
    percent_of,
    vat_of_gross,
    vat_of_net,
    vat_summary,
)

amounts = st.integers(min_value=-10**11, max_value=10**11)
rates = st.sampled_from([0, 600, 1000, 1200, 1350, 1400, 1500, 1900, 2400, 2500, 2550, 700])
lines = st.lists(st.tuples(amounts, rates), max_size=40)


# --- the value type ------------------------------------------------------------------------------

def test_money_adds_within_one_currency():
    assert Money("SEK", 1250) + Money("SEK", 50) == Money("SEK", 1300)
    assert Money("SEK", 1250) - Money("SEK", 1300) == Money("SEK", -50)
    assert -Money("EUR", 5) == Money("EUR", -5)
    assert Money("SEK", 999) * 3 == 3 * Money("SEK", 999) == Money("SEK", 2997)


@pytest.mark.parametrize("bad", [1.5, 0.1, 2.0, "12", None, True])
def test_money_refuses_floats_and_non_integers(bad):
    with pytest.raises(ValidationError) as err:
        Money("SEK", bad)
    assert err.value.field == "amount"


def test_money_multiplication_refuses_a_float_factor():
    with pytest.raises(ValidationError):
        Money("SEK", 100) * 1.5


def test_unknown_currency_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as err:
        Money("XYZ", 100)
    assert err.value.field == "currency"
    assert "XYZ" in str(err.value) and "SEK" in str(err.value)
    with pytest.raises(ValidationError) as err:
        check_currency("sek", field="price_list.currency")
    assert err.value.field == "price_list.currency"


@pytest.mark.parametrize("op", [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a < b,
                                lambda a, b: a <= b, lambda a, b: a > b, lambda a, b: a >= b])
def test_mixing_currencies_is_refused(op):
    with pytest.raises(ValidationError) as err:
        op(Money("SEK", 100), Money("EUR", 100))
    assert err.value.field == "currency"


def test_money_orders_within_a_currency():
    assert sorted([Money("SEK", 3), Money("SEK", -1), Money("SEK", 2)]) == [
        Money("SEK", -1), Money("SEK", 2), Money("SEK", 3)]


def test_money_prints_swedish_style():
    assert str(Money("SEK", 1234550)) == "12\u00a0345,50 SEK"


# --- parsing and formatting ----------------------------------------------------------------------

@pytest.mark.parametrize("text,minor", [
    ("12,50", 1250), ("12.50", 1250), ("1 234,5", 123450), ("1\u00a0234,50", 123450), ("-3", -300),
    ("0,01", 1), (" 149 ", 14900), (7, 700)])
def test_parse_amount(text, minor):
    assert parse_amount(text) == minor


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12,505", "NaN", "Infinity", 1.5, None])
def test_parse_amount_refuses_bad_input_naming_the_field(text):
    with pytest.raises(ValidationError) as err:
        parse_amount(text, field="price")
    assert err.value.field == "price"


def test_parse_amount_refuses_negative_when_asked():
    with pytest.raises(ValidationError, match="negative"):
        parse_amount("-1", field="price", allow_negative=False)


@pytest.mark.parametrize("minor,text", [(0, "0,00"), (5, "0,05"), (-5, "-0,05"), (100, "1,00"),
                                        (123456789, "1\u00a0234\u00a0567,89")])
def test_format_amount(minor, text):
    assert format_amount(minor) == text


@given(amounts)
def test_parse_format_round_trip(minor):
    assert parse_amount(format_amount(minor)) == minor
    assert parse_amount(format_amount(minor, decimal_sep=".", thousands_sep="")) == minor


@pytest.mark.parametrize("text,bp", [("25", 2500), ("25,5", 2550), ("25.5", 2550), ("6 %", 600),
                                     ("0", 0), (12, 1200), ("13,5", 1350)])
def test_parse_rate(text, bp):
    assert parse_rate(text) == bp


@pytest.mark.parametrize("text", ["-1", "101", "12,345", "x", "", 25.5, True])
def test_parse_rate_refuses_bad_rates(text):
    with pytest.raises(ValidationError) as err:
        parse_rate(text, field="rate")
    assert err.value.field == "rate"


@given(st.integers(min_value=0, max_value=BP))
def test_rate_format_parse_round_trip(bp):
    assert parse_rate(format_rate(bp)) == bp


# --- VAT -----------------------------------------------------------------------------------------

def test_vat_of_known_amounts():
    assert vat_of_gross(12500, 2500) == 2500
    assert net_from_gross(12500, 2500) == 10000
    assert vat_of_net(10000, 2500) == 2500
    assert gross_from_net(10000, 2500) == 12500
    assert vat_of_gross(10600, 600) == 600
    assert vat_of_gross(100, 600) == 6  # 5.66 öre rounds to 6
    assert vat_of_gross(-12500, 2500) == -2500  # a return mirrors the sale


def test_vat_summary_of_a_receipt_incl_vat():
    # 2 × 99,00 clothes at 25 %, 49,90 food at 6 %, 24,50 food at 6 %
    parts = vat_summary([(9900, 2500), (9900, 2500), (4990, 600), (2450, 600)])
    assert [(p.rate_bp, p.net, p.vat, p.gross) for p in parts] == [
        (2500, 15840, 3960, 19800), (600, 7019, 421, 7440)]


def test_vat_summary_excl_vat():
    parts = vat_summary([(10000, 2500), (333, 1200), (333, 1200)], prices_include_vat=False)
    assert [(p.rate_bp, p.net, p.vat) for p in parts] == [(2500, 10000, 2500), (1200, 666, 80)]


@given(lines)
def test_vat_summary_incl_vat_sums_to_the_document(doc):
    parts = vat_summary(doc, prices_include_vat=True)
    assert sum(p.gross for p in parts) == sum(a for a, _ in doc)
    assert sorted(p.rate_bp for p in parts) == sorted({r for _, r in doc})
    for p in parts:
        assert p.net + p.vat == p.gross
        total = sum(a for a, r in doc if r == p.rate_bp)
        exact = Fraction(total * p.rate_bp, BP + p.rate_bp)
        assert abs(p.vat - exact) <= Fraction(1, 2)  # rounded once per rate, not per line


@given(lines)
def test_vat_summary_excl_vat_sums_to_the_document(doc):
    parts = vat_summary(doc, prices_include_vat=False)
    assert sum(p.net for p in parts) == sum(a for a, _ in doc)
    for p in parts:
        assert p.net + p.vat == p.gross
        assert abs(p.vat - Fraction(p.net * p.rate_bp, BP)) <= Fraction(1, 2)


@given(amounts, rates)
def test_net_and_vat_make_the_gross(gross, rate):
    assert net_from_gross(gross, rate) + vat_of_gross(gross, rate) == gross


# --- exact splits --------------------------------------------------------------------------------

def test_allocate_examples():
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(1000, [0, 0]) == [500, 500]
    assert allocate(0, []) == []
    assert allocate(7, [0, 5]) == [0, 7]


def test_allocate_refuses_bad_weights():
    with pytest.raises(ValueError):
        allocate(10, [])
    with pytest.raises(ValueError):
        allocate(10, [1, -1])


@given(amounts, st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30))
def test_allocate_sums_exactly_and_stays_within_one_of_the_share(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights) or len(weights)
    effective = weights if sum(weights) else [1] * len(weights)
    for part, w in zip(parts, effective):
        assert abs(part - Fraction(total * w, weight_sum)) < 1


# --- cash rounding -------------------------------------------------------------------------------

@pytest.mark.parametrize("amount,rounded", [(14950, 15000), (14949, 14900), (14900, 14900),
                                            (50, 100), (49, 0), (-150, -200), (-149, -100)])
def test_cash_round_sek(amount, rounded):
    assert cash_round(amount, "SEK") == rounded
    assert cash_rounding(amount, "SEK") == rounded - amount


@given(amounts)
def test_cash_round_is_whole_kronor_within_50_ore(amount):
    rounded = cash_round(amount)
    assert rounded % 100 == 0
    assert -50 <= rounded - amount <= 50
    assert amount + cash_rounding(amount) == rounded


def test_fifty_ore_rounds_up():
    assert cash_round(12350) == 12400


def test_dkk_rounds_to_fifty_ore_and_eur_is_paid_exactly():
    assert cash_round(1024, "DKK") == 1000
    assert cash_round(1025, "DKK") == 1050
    assert cash_round(1234, "EUR") == 1234


def test_cash_round_refuses_an_unknown_currency():
    with pytest.raises(ValidationError):
        cash_round(100, "XYZ")


# --- lines and percentages -----------------------------------------------------------------------

def test_line_amount_and_percent():
    assert line_amount(4990, 3000) == 14970
    assert line_amount(8990, 250) == 2248  # 0,250 kg × 89,90 = 22,475 → 22,48
    assert percent_of(14970, 1000) == 1497
    assert div_round_half_up(5, 2) == 3 and div_round_half_up(-5, 2) == -3
