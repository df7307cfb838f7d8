"""Setting up the company, its stores, registers and channels; refusals name the field and the fix."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.company.setup import (
    add_channel,
    add_register,
    add_store,
    get_company,
    list_channels,
    list_registers,
    list_stores,
    register_by_code,
    set_company,
)
from core.errors import Conflict, NotFound, ValidationError


def company(s, **over):
    fields = dict(name="Butiken AB", org_number="5560360793", vat_number="se 556036-0793 01",
                  address1="Storgatan 1", postal_code="114 55", city="Stockholm", phone="08-123 456 00",
                  email="Info@Butiken.se")
    fields.update(over)
    return set_company(s, **fields)


def test_the_company_is_stored_normalised_and_updated_in_place(store):
    with store.write() as s:
        c = company(s)
        assert (c.org_number, c.vat_number, c.phone, c.email) == (
            "556036-0793", "SE556036079301", "+46812345600", "info@butiken.se")
        assert (c.country, c.base_currency, c.postal_code) == ("SE", "SEK", "114 55")
        again = company(s, name="Butiken i Stockholm AB", vat_number=None)
        assert again.id == c.id and get_company(s).name == "Butiken i Stockholm AB"
        assert again.vat_number is None
        s.commit()


@pytest.mark.parametrize("over, field, words", [
    (dict(org_number="551234-5678"), "org_number", "digits 3–4"),
    (dict(org_number="556036-0794"), "org_number", "check digit"),
    (dict(org_number=""), "org_number", "must not be empty"),
    (dict(vat_number="SE5560360793"), "vat_number", "SE + the 10-digit"),
    (dict(vat_number="SE556677889901"), "vat_number", "SE556036079301"),  # another company's number
    (dict(name=" "), "name", "must not be empty"),
    (dict(base_currency="SKR"), "base_currency", "unknown currency"),
    (dict(country="Sverige"), "country", "two-letter"),
    (dict(email="info@"), "email", "e-mail"),
    (dict(postal_code="1145"), "postal_code", "five digits"),
])
def test_bad_company_data_is_refused(store, over, field, words):
    with store.write() as s, pytest.raises(ValidationError) as err:
        company(s, **over)
    assert err.value.field == field
    assert words in str(err.value)


def test_no_company_yet(store):
    with store.read() as s, pytest.raises(NotFound, match="no company"):
        get_company(s)


def test_stores_registers_and_channels(store):
    with store.write() as s:
        company(s)
        sthlm = add_store(s, code="STHLM", name="Butiken Drottninggatan", city="Stockholm", postal_code="11151")
        assert sthlm.postal_code == "111 51"
        gbg = add_store(s, code="GBG", name="Butiken Avenyn")
        k1 = add_register(s, store_id=sthlm.id, code="STHLM-KASSA-0001", control_unit_serial="CU-123")
        add_register(s, store_id=gbg.id, code="GBG-K1", name="Kassa 1")
        add_channel(s, code="STHLM", name="Butiken", kind="store", store_id=sthlm.id)
        add_channel(s, code="WEB", name="Webbshop", kind="webshop")
        s.commit()
    with store.read() as s:
        assert [st.code for st in list_stores(s)] == ["GBG", "STHLM"]
        assert [r.code for r in list_registers(s, sthlm.id)] == ["STHLM-KASSA-0001"]
        r = register_by_code(s, "STHLM-KASSA-0001")
        assert (r.id, r.name, r.active, r.control_unit_serial) == (k1.id, "STHLM-KASSA-0001", True, "CU-123")
        assert [(c.code, c.kind, c.store_id) for c in list_channels(s)] == [
            ("STHLM", "store", sthlm.id), ("WEB", "webshop", None)]
        with pytest.raises(NotFound):
            register_by_code(s, "NOPE")


def test_refusals_when_adding_stores_registers_and_channels(store):
    with store.write() as s:
        with pytest.raises(NotFound, match="no company"):
            add_store(s, code="STHLM", name="x")
        company(s)
        sthlm = add_store(s, code="STHLM", name="x")
        add_register(s, store_id=sthlm.id, code="K1")
        add_channel(s, code="WEB", name="w", kind="webshop")
        cases = [
            (lambda: add_store(s, code="STHLM", name="y"), Conflict, "code", "already exists"),
            (lambda: add_store(s, code="ST HLM", name="y"), ValidationError, "code", "spaces"),
            (lambda: add_register(s, store_id=sthlm.id, code="K1"), Conflict, "code", "already exists"),
            (lambda: add_register(s, store_id=sthlm.id, code="STHLM-KASSA-00001"), ValidationError, "code",
             "at most 16"),
            (lambda: add_register(s, store_id=sthlm.id, code="Kassa 2"), ValidationError, "code", "letters"),
            (lambda: add_register(s, store_id=sthlm.id, code="KASSA-Ö"), ValidationError, "code", "letters"),
            (lambda: add_register(s, store_id=999, code="K2"), NotFound, "store_id", "no store"),
            (lambda: add_channel(s, code="WEB", name="y", kind="webshop"), Conflict, "code", "already exists"),
            (lambda: add_channel(s, code="X", name="y", kind="shop"), ValidationError, "kind", "webshop"),
            (lambda: add_channel(s, code="X", name="y", kind="store"), ValidationError, "store_id", "needs"),
        ]
        for call, error, field, words in cases:
            with pytest.raises(error) as err:
                call()
            assert err.value.field == field
            assert words in str(err.value)


def test_the_database_also_refuses_long_register_codes_and_unknown_channel_kinds(store):
    with store.write() as s:
        company(s)
        sthlm = add_store(s, code="STHLM", name="x")
        s.commit()
    for sql in (f"INSERT INTO register (store_id, code, name, active) VALUES ({sthlm.id}, "
                "'ABCDEFGHIJKLMNOPQ', 'x', 1)",
                "INSERT INTO channel (code, name, kind) VALUES ('X', 'x', 'shop')"):
        with store.write() as s, pytest.raises(IntegrityError):
            s.execute(text(sql))


def test_a_store_sells_from_its_location_and_a_webshop_ships_from_a_warehouse(store):
    with store.write() as s:
        s.execute(text("INSERT INTO location (id, code, name, kind) VALUES (1, 'STHLM', 'Butiken', 'store'), "
                       "(2, 'LAGER', 'Lager', 'warehouse')"))
        company(s)
        sthlm = add_store(s, code="STHLM", name="Butiken", location_id=1)
        web = add_channel(s, code="WEB", name="Webbshop", kind="webshop", location_id=2)
        s.commit()
        assert (sthlm.location_id, web.location_id) == (1, 2)
    with store.write() as s, pytest.raises(IntegrityError):  # the location must exist
        add_store(s, code="GBG", name="x", location_id=99)
