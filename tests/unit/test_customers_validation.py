"""Personal and organisation numbers, VAT numbers, e-mail and phone: accepted forms, canonical output, clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from core.customers import validation as v
from core.errors import ValidationError

TODAY = dt.date(2026, 6, 1)


def with_check(nine: str, sign: str = "-") -> str:
    return f"{nine[:6]}{sign}{nine[6:]}{luhn.calc_check_digit(nine)}"


# -- personal numbers ------------------------------------------------------------------------

@pytest.mark.parametrize("text, canonical", [
    ("811228-9874", "811228-9874"),
    ("8112289874", "811228-9874"),
    (" 811228 9874 ", "811228-9874"),
    ("19811228-9874", "811228-9874"),
    ("198112289874", "811228-9874"),
    ("121212+1212", "121212+1212"),      # over 100: plus sign
    ("191212121212", "121212+1212"),     # 12 digits, born 1912: plus sign
    ("201212121212", "121212-1212"),     # 12 digits, born 2012
    ("701063-2391", "701063-2391"),      # coordination number: day 03 + 60
    ("19701063-2391", "701063-2391"),
])
def test_valid_personal_numbers_are_normalised(text, canonical):
    assert v.personal_number(text, today=TODAY) == canonical


def test_plus_starts_in_the_year_the_person_turns_100():
    born_1926 = "19" + with_check("260101123").replace("-", "")
    born_1927 = "19" + with_check("270101123").replace("-", "")
    assert v.personal_number(born_1926, today=TODAY) == with_check("260101123", "+")
    assert v.personal_number(born_1927, today=TODAY) == with_check("270101123", "-")


@pytest.mark.parametrize("text, words", [
    ("811228-9875", "check digit"),
    ("701063-2392", "check digit"),       # coordination number with a wrong check digit
    ("811328-9874", "valid date"),        # month 13
    ("810230-1234", "valid date"),        # 30 February
    ("701092-2391", "valid date"),        # coordination day 92 - 60 = 32
    ("8112-9874", "not a personal number"),
    ("abcdef-ghij", "not a personal number"),
    ("19121212+1212", "'+' is only used"),
    ("", "not a personal number"),
])
def test_invalid_personal_numbers_are_refused_naming_the_field(text, words):
    with pytest.raises(ValidationError) as err:
        v.personal_number(text, today=TODAY)
    assert err.value.field == "personal_number"
    assert words in str(err.value)


def test_a_birth_date_in_the_future_is_refused():
    with pytest.raises(ValidationError, match="future"):
        v.personal_number("20" + with_check("261231123").replace("-", ""), today=TODAY)


def test_the_caller_can_name_the_field():
    with pytest.raises(ValidationError) as err:
        v.personal_number("811228-9875", field="rows[3].personnummer", today=TODAY)
    assert str(err.value).startswith("rows[3].personnummer:")


@given(st.dates(min_value=dt.date(1910, 1, 1), max_value=dt.date(2025, 12, 31)),
       st.integers(0, 999), st.booleans())
def test_any_correct_number_is_accepted_and_normalising_is_idempotent(born, serial, coordination):
    day = born.day + (60 if coordination else 0)
    nine = f"{born.year % 100:02d}{born.month:02d}{day:02d}{serial:03d}"
    twelve = f"{born.year}{nine[2:]}{luhn.calc_check_digit(nine)}"
    canonical = v.personal_number(twelve, today=TODAY)
    assert canonical[-5] == ("+" if TODAY.year - born.year >= 100 else "-")
    assert v.personal_number(canonical, today=TODAY) == canonical


@given(st.integers(0, 999), st.integers(1, 9))
def test_any_wrong_check_digit_is_refused(serial, offset):
    nine = f"811228{serial:03d}"
    wrong = (int(luhn.calc_check_digit(nine)) + offset) % 10
    with pytest.raises(ValidationError, match="check digit"):
        v.personal_number(f"811228-{serial:03d}{wrong}", today=TODAY)


# -- organisation numbers --------------------------------------------------------------------

@pytest.mark.parametrize("text", ["556036-0793", "5560360793", "556036 0793", "16556036-0793",
                                  "165560360793"])
def test_valid_org_numbers_are_normalised(text):
    assert v.org_number(text) == "556036-0793"


def test_org_number_digits_3_and_4_must_be_20_or_more():
    personal_like = with_check("551234567")  # Luhn-valid, but digits 3–4 are 12
    with pytest.raises(ValidationError) as err:
        v.org_number(personal_like)
    assert err.value.field == "org_number"
    assert "digits 3–4" in str(err.value)
    assert v.org_number(with_check("552034567")) == with_check("552034567")


@pytest.mark.parametrize("text, words", [("556036-0794", "check digit"), ("55603-0793", "not an organisation"),
                                          ("ABCDEF-GHIJ", "not an organisation")])
def test_invalid_org_numbers_are_refused(text, words):
    with pytest.raises(ValidationError, match=words) as err:
        v.org_number(text)
    assert err.value.field == "org_number"


# -- VAT numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["SE556036079301", "se 556036-0793 01", "SE5560360793 01"])
def test_swedish_vat_numbers(text):
    assert v.swedish_vat_number(text) == "SE556036079301"


@pytest.mark.parametrize("text, words", [("SE5560360793", "not a Swedish VAT"), ("556036079301", "not a Swedish"),
                                          ("SE556036079402", "not a Swedish"), ("SE556036079401", "check digit")])
def test_bad_swedish_vat_numbers(text, words):
    with pytest.raises(ValidationError, match=words) as err:
        v.swedish_vat_number(text)
    assert err.value.field == "vat_number"


def test_foreign_vat_numbers_are_checked_with_their_country_rules():
    assert v.vat_number("DE 136 695 976", "DE") == "DE136695976"
    assert v.vat_number("13585628", "dk") == "DK13585628"
    with pytest.raises(ValidationError, match="DE VAT number"):
        v.vat_number("DE136695977", "DE")
    with pytest.raises(ValidationError) as err:
        v.vat_number("13585628", "Denmark")
    assert err.value.field == "vat_country"


# -- e-mail, phone, country ------------------------------------------------------------------

def test_email_is_lower_cased():
    assert v.email("  Anna.Svensson@Example.SE ") == "anna.svensson@example.se"


@pytest.mark.parametrize("text", ["anna", "anna@", "@example.se", "anna@example", "anna svensson@example.se",
                                  "anna@@example.se", "anna@exa_mple.se", "anna..b@example.se"])
def test_bad_email_is_refused(text):
    with pytest.raises(ValidationError, match="name@example.se") as err:
        v.email(text)
    assert err.value.field == "email"


@pytest.mark.parametrize("text", ["070-123 45 67", "+46 70 123 45 67", "0046701234567", "(070) 123-45-67"])
def test_phone_numbers_are_normalised(text):
    assert v.phone(text) == "+46701234567"


@pytest.mark.parametrize("text", ["123", "abc", "70 123 45 67", "+0701234567"])
def test_bad_phone_is_refused(text):
    with pytest.raises(ValidationError) as err:
        v.phone(text)
    assert err.value.field == "phone"


def test_country_codes():
    assert v.country_code(" se ") == "SE"
    with pytest.raises(ValidationError, match="two-letter"):
        v.country_code("SWE")
