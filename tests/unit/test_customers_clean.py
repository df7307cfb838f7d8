"""A customer's input is validated and normalised before it is stored; each refusal names its field."""

from __future__ import annotations

import datetime as dt

import pytest

from core.customers.export import split_name
from core.customers.service import AddressIn, CustomerIn, clean_customer
from core.errors import ValidationError

TODAY = dt.date(2026, 6, 1)


def test_a_full_private_customer_is_normalised():
    values = clean_customer(CustomerIn(
        name=" Åsa Öberg ", personal_number="198112289874", email="Asa@Example.se", phone="070-123 45 67",
        credit_limit="5 000,00", vat_country="se",
        addresses=[AddressIn(kind="delivery", address1="Storgatan 1", postal_code="11455", city="Stockholm")]),
        TODAY)
    assert values["name"] == "Åsa Öberg"
    assert values["personal_number"] == "811228-9874"
    assert values["email"] == "asa@example.se"
    assert values["phone"] == "+46701234567"
    assert values["credit_limit"] == 500_000
    assert values["vat_country"] == "SE"
    assert values["addresses"][0]["postal_code"] == "114 55"


def test_empty_strings_become_none():
    values = clean_customer(CustomerIn(name="Bo", email="  ", phone="", personal_number=" ", credit_limit=""))
    assert values["email"] is values["phone"] is values["personal_number"] is values["credit_limit"] is None


@pytest.mark.parametrize("data, field, words", [
    (CustomerIn(name="  "), "name", "must not be empty"),
    (CustomerIn(name="Bo", kind="person"), "kind", "private or company"),
    (CustomerIn(name="Bo", org_number="556036-0793"), "org_number", "only company customers"),
    (CustomerIn(name="AB", kind="company", org_number="556036-0794"), "org_number", "check digit"),
    (CustomerIn(name="Bo", personal_number="811228-9875"), "personal_number", "check digit"),
    (CustomerIn(name="Bo", email="bo@"), "email", "not an e-mail"),
    (CustomerIn(name="Bo", phone="12"), "phone", "not a phone"),
    (CustomerIn(name="Bo", credit_limit=-100), "credit_limit", "negative"),
    (CustomerIn(name="Bo", credit_limit=1.5), "credit_limit", "never a float"),
    (CustomerIn(name="Bo", price_list_id="retail"), "price_list_id", "not a price list id"),
    (CustomerIn(name="Bo", vat_country="DE", vat_number="DE136695977"), "vat_number", "DE VAT"),
    (CustomerIn(name="Bo", addresses=[AddressIn(kind="home", address1="a", postal_code="11455", city="c")]),
     "addresses[0].kind", "invoice or delivery"),
    (CustomerIn(name="Bo", addresses=[AddressIn(kind="invoice", address1="a", postal_code="1145", city="c")]),
     "addresses[0].postal_code", "five digits"),
    (CustomerIn(name="Bo", addresses=[AddressIn(kind="invoice", address1=" ", postal_code="11455", city="c")]),
     "addresses[0].address1", "must not be empty"),
])
def test_bad_input_names_the_field(data, field, words):
    with pytest.raises(ValidationError) as err:
        clean_customer(data, TODAY)
    assert err.value.field == field
    assert words in str(err.value)


def test_a_company_may_have_an_org_number_and_a_foreign_postal_code_is_kept():
    values = clean_customer(CustomerIn(
        name="Firma AB", kind="company", org_number="5560360793", vat_number="SE556036079301",
        addresses=[AddressIn(kind="invoice", address1="Hauptstr. 1", postal_code="10115", city="Berlin",
                             country="de")]))
    assert values["org_number"] == "556036-0793"
    assert values["vat_number"] == "SE556036079301"
    assert values["addresses"][0]["country"] == "DE"
    assert values["addresses"][0]["postal_code"] == "10115"


@pytest.mark.parametrize("name, parts", [("Anna Svensson", ("Anna", "Svensson")),
                                         ("Anna Maria Svensson", ("Anna Maria", "Svensson")),
                                         ("Cher", ("Cher", ""))])
def test_split_name_for_the_webshop_export(name, parts):
    assert split_name(name) == parts
