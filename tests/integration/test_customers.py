"""Customers on a real SQLite file: create, update, search, merge."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.customers.models import Customer, CustomerAddress
from core.customers.service import (
    AddressIn,
    CustomerIn,
    addresses_of,
    create_customer,
    find_customers,
    merge_customers,
    resolve_customer,
    update_customer,
)
from core.errors import Conflict, NotFound, ValidationError


def add(store, **fields) -> str:
    with store.write() as s:
        customer = create_customer(s, CustomerIn(**fields))
        s.commit()
        return customer.id


def test_a_customer_is_stored_normalised_with_its_addresses(store):
    cid = add(store, name="Åsa Öberg", email="Asa@Example.se", personal_number="198112289874",
              number="1001", addresses=[AddressIn("invoice", "Storgatan 1", "11455", "Stockholm"),
                                        AddressIn("delivery", "Lillgatan 2", "41136", "Göteborg")])
    with store.read() as s:
        c = s.get(Customer, cid)
        assert (c.email, c.personal_number, c.number, c.name_key) == (
            "asa@example.se", "811228-9874", "1001", "åsa öberg")
        assert len(cid) == 36 and c.created_at is not None and c.merged_into is None
        assert sorted((a.kind, a.postal_code) for a in addresses_of(s, cid)) == [
            ("delivery", "411 36"), ("invoice", "114 55")]


def test_a_customer_number_is_unique(store):
    add(store, name="A", number="1001")
    with store.write() as s, pytest.raises(Conflict) as err:
        create_customer(s, CustomerIn(name="B", number="1001"))
    assert err.value.field == "number"


def test_update_changes_only_what_is_given_and_validates_it(store):
    cid = add(store, name="Bo Ek", email="bo@example.se", addresses=[AddressIn("invoice", "A 1", "11455", "X")])
    with store.write() as s:
        before = s.get(Customer, cid).updated_at
        c = update_customer(s, cid, phone="08-123 456 00", name="Bo Eklund")
        assert (c.phone, c.name, c.name_key, c.email) == ("+46812345600", "Bo Eklund", "bo eklund", "bo@example.se")
        assert c.updated_at >= before
        assert len(addresses_of(s, cid)) == 1  # addresses untouched unless given
        update_customer(s, cid, addresses=[AddressIn("delivery", "B 2", "41136", "Y")])
        assert [a.kind for a in addresses_of(s, cid)] == ["delivery"]
        with pytest.raises(ValidationError) as err:
            update_customer(s, cid, email="not-an-email")
        assert err.value.field == "email"
        with pytest.raises(ValidationError) as err:
            update_customer(s, cid, shoe_size=42)
        assert err.value.field == "shoe_size"
        s.commit()
    with store.read() as s, pytest.raises(NotFound):
        update_customer(s, "no-such-id", name="X")


def test_find_customers_by_name_email_number_and_phone(store):
    asa = add(store, name="Åsa Öberg", email="asa@example.se", phone="070-123 45 67", number="1001")
    bo = add(store, name="Bo Åberg", kind="company", org_number="556036-0793", email="info@aberg.se")
    carl = add(store, name="Carl 5% Nöjd", phone="+4631112233")
    with store.read() as s:
        ids = lambda text: [hit.id for hit in find_customers(s, text)]
        assert ids("åsa") == [asa]          # Swedish letters fold case
        assert ids("ÖBER") == [asa]         # a later word of the name
        assert ids("åberg") == [bo]
        assert ids("info@") == [bo]
        assert ids("ASA@EX") == [asa]
        assert ids("100") == [asa]           # customer number
        assert ids("070 123") == [asa]       # phone as written locally
        assert ids("+4670") == [asa]
        assert ids("556036") == [bo]         # organisation number
        assert ids("5560360793") == [bo]     # written without the dash
        assert ids("811228-98") == [] and ids("55603607") == [bo]
        assert ids("5%") == [carl]
        assert ids("%") == [] and ids("_") == []  # not wildcards
        assert ids("  ") == []
        hit = find_customers(s, "bo")[0]
        assert (hit.name, hit.kind, hit.org_number) == ("Bo Åberg", "company", "556036-0793")
        assert len(find_customers(s, "a", limit=1)) == 1


def test_merge_moves_addresses_fills_empty_fields_and_hides_the_dropped_customer(store):
    keep = add(store, name="Anna Svensson", email="anna@example.se",
               addresses=[AddressIn("invoice", "A 1", "11455", "X")])
    drop = add(store, name="Anna Svensson", phone="0701234567", personal_number="811228-9874", number="77",
               addresses=[AddressIn("delivery", "B 2", "41136", "Y")])
    older = add(store, name="Anna S")
    with store.write() as s:
        merge_customers(s, drop, older)
        merge_customers(s, keep, drop)
        s.commit()
    with store.read() as s:
        k, d, o = s.get(Customer, keep), s.get(Customer, drop), s.get(Customer, older)
        assert (k.phone, k.personal_number, k.email) == ("+46701234567", "811228-9874", "anna@example.se")
        assert k.number is None and d.number == "77"  # numbers stay with their customer (unique)
        assert d.merged_into == keep and o.merged_into == keep  # no chains
        assert sorted(a.kind for a in addresses_of(s, keep)) == ["delivery", "invoice"]
        assert s.scalars(select(CustomerAddress).where(CustomerAddress.customer_id == drop)).all() == []
        assert [h.id for h in find_customers(s, "anna")] == [keep]
        assert resolve_customer(s, older).id == keep


def test_merge_refusals(store):
    a, b = add(store, name="A"), add(store, name="B")
    with store.write() as s:
        with pytest.raises(ValidationError, match="itself"):
            merge_customers(s, a, a)
        with pytest.raises(NotFound):
            merge_customers(s, a, "missing")
        merge_customers(s, a, b)
        with pytest.raises(Conflict) as err:
            merge_customers(s, a, b)
        assert err.value.field == "drop_id"
        with pytest.raises(Conflict) as err:
            update_customer(s, b, name="C")
        assert "merged" in str(err.value)
