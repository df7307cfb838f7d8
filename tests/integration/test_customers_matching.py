"""Matching imported customers: e-mail first, then organisation/personal number, under every option combination."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from core.customers.matching import MatchOptions, match_customer
from core.customers.models import Customer
from core.customers.service import (
    AddressIn,
    CustomerIn,
    addresses_of,
    create_customer,
    merge_customers,
    update_customer,
)
from core.errors import ValidationError

ANNA_PNR, CARL_PNR, OTHER_PNR = "811228-9874", "701063-2391", "121212-1212"
FIRMA_ORG = "556036-0793"


@pytest.fixture
def people(store):
    """anna (e-mail + personal number), carl (other e-mail + personal number), firma (company, org. number)."""
    with store.write() as s:
        ids = {
            "anna": create_customer(s, CustomerIn(name="Anna Andersson", email="anna@example.se",
                                                  personal_number=ANNA_PNR)).id,
            "carl": create_customer(s, CustomerIn(name="Carl Carlsson", email="carl@example.se",
                                                  personal_number=CARL_PNR)).id,
            "firma": create_customer(s, CustomerIn(name="Firma AB", kind="company", email="info@firma.se",
                                                   org_number=FIRMA_ORG)).id,
        }
        s.commit()
    return ids


# incoming data: what the import carries besides the new name "Ny Namn"
CASES = {
    "email only":                 dict(email="ANNA@example.se"),
    "unknown email, known pnr":   dict(email="new@example.se", personal_number=ANNA_PNR),
    "email of anna, pnr of carl": dict(email="anna@example.se", personal_number=CARL_PNR),
    "no email, known pnr":        dict(personal_number="19" + ANNA_PNR),
    "no email, known org number": dict(kind="company", org_number="5560360793"),
    "nothing known":              dict(email="new@example.se", personal_number=OTHER_PNR),
    "nothing at all":             dict(),
}

# (case, ignore_email, new_when_email_differs) -> (who is matched or "new", matched_on)
RULES = {
    ("email only", False, False): ("anna", "email"),
    ("email only", True, False): ("new", None),
    ("email only", False, True): ("anna", "email"),
    ("unknown email, known pnr", False, False): ("anna", "personal_number"),
    ("unknown email, known pnr", True, False): ("anna", "personal_number"),
    ("unknown email, known pnr", False, True): ("new", None),
    ("email of anna, pnr of carl", False, False): ("anna", "email"),
    ("email of anna, pnr of carl", True, False): ("carl", "personal_number"),
    ("email of anna, pnr of carl", False, True): ("anna", "email"),
    ("no email, known pnr", False, False): ("anna", "personal_number"),
    ("no email, known pnr", True, False): ("anna", "personal_number"),
    ("no email, known pnr", False, True): ("new", None),
    ("no email, known org number", False, False): ("firma", "org_number"),
    ("no email, known org number", True, False): ("firma", "org_number"),
    ("no email, known org number", False, True): ("new", None),
    ("nothing known", False, False): ("new", None),
    ("nothing known", True, False): ("new", None),
    ("nothing known", False, True): ("new", None),
    ("nothing at all", False, False): ("new", None),
    ("nothing at all", True, False): ("new", None),
    ("nothing at all", False, True): ("new", None),
}


def test_the_rule_table_covers_every_case_and_allowed_option_combination():
    assert set(RULES) == {(c, i, n) for c in CASES for i, n in [(False, False), (True, False), (False, True)]}


def count(store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(Customer))


@pytest.mark.parametrize("force_update", [False, True], ids=["as-is", "force"])
@pytest.mark.parametrize("case, ignore_email, new_when_email_differs", sorted(RULES),
                         ids=[f"{c}|ignore_email={i}|new_when_email_differs={n}" for c, i, n in sorted(RULES)])
def test_matching_rules(store, people, case, ignore_email, new_when_email_differs, force_update):
    expected_who, expected_on = RULES[case, ignore_email, new_when_email_differs]
    options = MatchOptions(ignore_email=ignore_email, new_when_email_differs=new_when_email_differs,
                           force_update=force_update)
    before = count(store)
    with store.write() as s:
        result = match_customer(s, CustomerIn(name="Ny Namn", **CASES[case]), options)
        s.commit()
    if expected_who == "new":
        assert (result.action, result.matched_on) == ("created", None)
        assert count(store) == before + 1
        with store.read() as s:
            assert s.get(Customer, result.customer_id).name == "Ny Namn"
        return
    assert result.customer_id == people[expected_who]
    assert result.matched_on == expected_on
    assert count(store) == before
    with store.read() as s:
        name = s.get(Customer, result.customer_id).name
    if force_update:  # the incoming name overwrites the stored one
        assert (result.action, name) == ("updated", "Ny Namn")
    else:  # used as it is: every incoming field is already set on the match
        assert result.action == "matched" and name != "Ny Namn"


@pytest.mark.parametrize("force_update", [False, True])
def test_ignore_email_and_new_when_email_differs_together_are_refused(store, force_update):
    with store.write() as s, pytest.raises(ValidationError) as err:
        match_customer(s, CustomerIn(name="X", email="a@b.se"),
                       MatchOptions(ignore_email=True, new_when_email_differs=True, force_update=force_update))
    assert err.value.field == "options"


def test_without_force_only_empty_fields_are_filled(store, people):
    incoming = CustomerIn(name="Anna Ny", email="new@example.se", personal_number=ANNA_PNR, phone="070-1234567",
                          addresses=[AddressIn("delivery", "Ny väg 1", "11455", "Stockholm")])
    with store.write() as s:
        update_customer(s, people["anna"], addresses=[AddressIn("invoice", "Gamla vägen 1", "41136", "Göteborg")])
        result = match_customer(s, incoming, MatchOptions())
        s.commit()
    assert (result.action, result.matched_on) == ("updated", "personal_number")
    with store.read() as s:
        anna = s.get(Customer, people["anna"])
        assert (anna.name, anna.email, anna.phone) == ("Anna Andersson", "anna@example.se", "+46701234567")
        assert sorted((a.kind, a.city) for a in addresses_of(s, anna.id)) == [
            ("delivery", "Stockholm"), ("invoice", "Göteborg")]
    with store.write() as s:  # a second import of the same data changes nothing
        incoming.addresses = [AddressIn("delivery", "Annan väg 9", "11455", "Solna")]
        assert match_customer(s, incoming, MatchOptions()).action == "matched"


def test_force_update_overwrites_fields_and_replaces_addresses_of_the_incoming_kinds(store, people):
    with store.write() as s:
        update_customer(s, people["anna"], phone="0701111111", addresses=[
            AddressIn("invoice", "Gamla vägen 1", "41136", "Göteborg"),
            AddressIn("delivery", "Gamla leveransen 2", "41136", "Göteborg")])
        incoming = CustomerIn(name="Anna Ny", email="anna@example.se", phone="0702222222",
                              addresses=[AddressIn("delivery", "Ny väg 1", "11455", "Stockholm")])
        result = match_customer(s, incoming, MatchOptions(force_update=True))
        assert result.action == "updated"
        anna = s.get(Customer, people["anna"])
        assert (anna.name, anna.phone, anna.personal_number) == ("Anna Ny", "+46702222222", ANNA_PNR)
        assert sorted((a.kind, a.city) for a in addresses_of(s, anna.id)) == [
            ("delivery", "Stockholm"), ("invoice", "Göteborg")]
        # the same data again: nothing left to change
        assert match_customer(s, incoming, MatchOptions(force_update=True)).action == "matched"


def test_force_update_turning_a_company_private_drops_its_org_number(store, people):
    with store.write() as s:
        result = match_customer(s, CustomerIn(name="Firma", email="info@firma.se"), MatchOptions(force_update=True))
        firma = s.get(Customer, result.customer_id)
        assert (firma.kind, firma.org_number) == ("private", None)


def test_merged_customers_are_never_matched_and_the_oldest_wins_a_tie(store, people):
    with store.write() as s:
        twin = create_customer(s, CustomerIn(name="Anna Tvilling", email="anna@example.se")).id
        assert match_customer(s, CustomerIn(name="x", email="anna@example.se")).customer_id == people["anna"]
        merge_customers(s, twin, people["anna"])
        result = match_customer(s, CustomerIn(name="x", email="anna@example.se"))
        assert result.customer_id == twin
        s.commit()


def test_invalid_incoming_data_is_refused_before_any_lookup(store, people):
    with store.write() as s, pytest.raises(ValidationError) as err:
        match_customer(s, CustomerIn(name="x", email="anna@example.se", personal_number="811228-9875"))
    assert err.value.field == "personal_number"


def test_every_option_combination_has_a_defined_outcome(store, people):
    for ignore, new, force in itertools.product([False, True], repeat=3):
        with store.write() as s:
            options = MatchOptions(ignore, new, force)
            if ignore and new:
                with pytest.raises(ValidationError):
                    match_customer(s, CustomerIn(name="x", email="anna@example.se"), options)
            else:
                assert match_customer(s, CustomerIn(name="x", email="anna@example.se"), options).action in (
                    "created", "updated", "matched")
