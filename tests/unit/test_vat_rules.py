"""VAT rules without a database: the shipped rates by date, overrides, and whose VAT a sale carries."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import NotFound, ValidationError
from core.vat.rates import EU_COUNTRIES, RateTable, VatDecision, check_country, sale_vat_country
from core.vat.seed import CLASSES, RATES, SEED_FROM

D = dt.date


@pytest.fixture(scope="module")
def table():
    rows = [(r.country, r.vat_class, r.rate_bp, r.valid_from, r.valid_to) for r in RATES]
    return RateTable.from_rows(CLASSES, rows, [(42, "SE", "food"), (42, "DE", "standard")])


@pytest.mark.parametrize("on,rate", [
    (D(2026, 3, 31), 1200), (D(2026, 4, 1), 600), (D(2027, 12, 31), 600), (D(2028, 1, 1), 1200),
    (D(2040, 6, 1), 1200)])
def test_swedish_food_vat_is_6_percent_from_april_2026_through_2027(table, on, rate):
    assert table.rate("SE", "food", on) == rate


@pytest.mark.parametrize("country,vat_class,on,rate", [
    ("SE", "standard", D(2026, 5, 1), 2500), ("SE", "hotel_restaurant", D(2026, 5, 1), 1200),
    ("SE", "books_culture", D(2026, 5, 1), 600), ("SE", "passenger_transport", D(2026, 5, 1), 600),
    ("DK", "standard", D(2026, 5, 1), 2500),
    ("FI", "standard", D(2024, 8, 31), 2400), ("FI", "standard", D(2024, 9, 1), 2550),
    ("FI", "food", D(2025, 12, 31), 1400), ("FI", "food", D(2026, 1, 1), 1350),
    ("FI", "books_culture", D(2024, 12, 31), 1000), ("FI", "books_culture", D(2025, 6, 1), 1400),
    ("FI", "books_culture", D(2026, 1, 1), 1350), ("FI", "passenger_transport", D(2026, 2, 1), 1350),
    ("DE", "standard", D(2026, 5, 1), 1900), ("DE", "food", D(2026, 5, 1), 700),
    ("DE", "books_culture", D(2026, 5, 1), 700),
    ("NO", "standard", D(2026, 5, 1), 2500), ("NO", "food", D(2026, 5, 1), 1500),
    ("NO", "passenger_transport", D(2026, 5, 1), 1200), ("NO", "hotel_restaurant", D(2026, 5, 1), 1200),
])
def test_seeded_rates(table, country, vat_class, on, rate):
    assert table.rate(country, vat_class, on) == rate


@pytest.mark.parametrize("country", ["SE", "DK", "FI", "DE", "NO"])
def test_exempt_is_zero_in_every_seeded_country(table, country):
    assert table.rate(country, "exempt", D(2026, 5, 1)) == 0


def test_seeded_periods_never_overlap_and_leave_no_gap():
    by_key = {}
    for r in RATES:
        by_key.setdefault((r.country, r.vat_class), []).append(r)
    for key, periods in by_key.items():
        periods.sort(key=lambda r: r.valid_from)
        assert periods[-1].valid_to is None, key  # the latest rate is open-ended
        for a, b in zip(periods, periods[1:]):
            assert a.valid_to is not None and a.valid_to + dt.timedelta(days=1) == b.valid_from, key


def test_a_missing_rate_is_never_guessed_and_the_error_says_how_to_add_it(table):
    with pytest.raises(NotFound) as err:
        table.rate("DK", "food", D(2026, 5, 1))
    text = str(err.value)
    assert "DK" in text and "'food'" in text and "2026-05-01" in text
    assert "butik vat import" in text


def test_no_rate_before_the_seeded_history(table):
    with pytest.raises(NotFound, match="2023-12-31"):
        table.rate("SE", "standard", SEED_FROM - dt.timedelta(days=1))


def test_an_unknown_class_is_named(table):
    with pytest.raises(NotFound) as err:
        table.rate("SE", "luxury", D(2026, 5, 1))
    assert err.value.field == "vat_class" and "luxury" in str(err.value)


def test_product_override_applies_only_in_its_country(table):
    # product 42 is food in SE but standard in DE, and follows its own class elsewhere
    assert table.rate("SE", "standard", D(2026, 5, 1), product_id=42) == 600
    assert table.rate("DE", "food", D(2026, 5, 1), product_id=42) == 1900
    assert table.rate("NO", "food", D(2026, 5, 1), product_id=42) == 1500
    assert table.rate("SE", "standard", D(2026, 5, 1), product_id=7) == 2500


def test_country_codes_are_normalised_and_checked(table):
    assert table.rate("se", "standard", D(2026, 5, 1)) == 2500
    with pytest.raises(ValidationError) as err:
        table.rate("Sweden", "standard", D(2026, 5, 1))
    assert err.value.field == "country"


@pytest.mark.parametrize("code", ["XX", "EU", "S", "SWE", "", None])
def test_unknown_country_codes_are_refused(code):
    with pytest.raises(ValidationError) as err:
        check_country(code, field="buyer_country")
    assert err.value.field == "buyer_country"


# --- whose VAT ------------------------------------------------------------------------------------

def test_sale_in_the_shop_is_domestic():
    assert sale_vat_country("SE", "SE", False, None, oss=True) == VatDecision("SE", "domestic")
    assert sale_vat_country("SE", None, False, None, oss=False) == VatDecision("SE", "domestic")
    assert sale_vat_country("SE", "SE", True, "SE556000016701", oss=True).treatment == "domestic"


def test_eu_consumer_pays_the_buyers_vat_under_oss():
    decision = sale_vat_country("SE", "FI", False, None, oss=True)
    assert decision == VatDecision("FI", "oss")
    assert decision.charges_vat and decision.invoice_text is None


def test_eu_consumer_below_the_threshold_pays_the_sellers_vat():
    assert sale_vat_country("SE", "DE", False, None, oss=False) == VatDecision("SE", "domestic")


def test_eu_business_with_vat_number_is_reverse_charged():
    decision = sale_vat_country("SE", "DE", True, "DE 136 695 976", oss=True)
    assert decision == VatDecision("DE", "reverse_charge")
    assert not decision.charges_vat
    assert decision.invoice_text == "Omvänd betalningsskyldighet"


def test_greek_vat_numbers_start_with_el():
    assert sale_vat_country("SE", "GR", True, "EL094259216", oss=True).treatment == "reverse_charge"


def test_eu_business_without_vat_number_is_taxed_like_a_consumer():
    assert sale_vat_country("SE", "DK", True, None, oss=True) == VatDecision("DK", "oss")
    assert sale_vat_country("SE", "DK", True, "  ", oss=False) == VatDecision("SE", "domestic")


def test_a_bad_or_foreign_vat_number_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as err:
        sale_vat_country("SE", "DE", True, "DE123", oss=True)
    assert err.value.field == "buyer_vat_number"
    with pytest.raises(ValidationError, match="not from FI"):
        sale_vat_country("SE", "FI", True, "DE136695976", oss=True)


@pytest.mark.parametrize("buyer,business", [("NO", False), ("NO", True), ("US", False), ("GB", True)])
def test_sales_outside_the_eu_are_export(buyer, business):
    decision = sale_vat_country("SE", buyer, business, None, oss=True)
    assert decision == VatDecision(buyer, "export")
    assert not decision.charges_vat


def test_a_seller_outside_the_eu_exports_abroad():
    assert sale_vat_country("NO", "SE", False, None, oss=True) == VatDecision("SE", "export")


def test_rate_for_sale_follows_the_decision(table):
    on = D(2026, 5, 1)
    assert table.rate_for_sale(sale_vat_country("SE", "FI", False, None, True), "food", on) == 1350
    assert table.rate_for_sale(sale_vat_country("SE", "DE", False, None, False), "food", on) == 600
    assert table.rate_for_sale(sale_vat_country("SE", "DE", True, "DE136695976", True), "food", on) == 0
    assert table.rate_for_sale(sale_vat_country("SE", "NO", False, None, True), "standard", on) == 0


def test_eu_list_has_27_members():
    assert len(EU_COUNTRIES) == 27 and "NO" not in EU_COUNTRIES and "GB" not in EU_COUNTRIES


@given(st.sampled_from(sorted(EU_COUNTRIES | {"NO", "US", "CH"})),
       st.sampled_from(sorted(EU_COUNTRIES | {"NO", "US", "CH"})), st.booleans())
def test_the_decision_always_names_a_known_treatment(seller, buyer, oss):
    d = sale_vat_country(seller, buyer, False, None, oss)
    assert d.treatment in ("domestic", "oss", "export")
    assert d.country in (seller, buyer)
    if d.treatment == "oss":
        assert d.country == buyer != seller
