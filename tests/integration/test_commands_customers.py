"""The customers commands through the local gateway: create, partial update, merge, a customer's
till receipts; bad arguments are refused naming the argument and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.commands.gateway import LocalGateway
from core.customers.models import Customer, CustomerAddress
from core.errors import NotFound, ValidationError
from core.sync.received import SalesReceipt

ADDRESS = {"kind": "invoice", "address1": "Filmgatan 1", "postal_code": "111 22", "city": "Stockholm"}


@pytest.fixture
def gw(store):
    return LocalGateway(store, "lisa")


def snapshot(store) -> tuple:
    """Every customer and address as stored (to show a refusal changed nothing)."""
    with store.read() as s:
        customers = s.execute(select(Customer.__table__)).all()
        addresses = s.execute(select(CustomerAddress.__table__)).all()
    return sorted(map(repr, customers)), sorted(map(repr, addresses))


def test_create_update_and_merge(gw, store):
    made = gw.call("customers.create", {"name": "Greta Garbo", "email": "Greta@Example.se",
                                        "phone": "070-123 45 67", "credit_limit": 500000,
                                        "addresses": [ADDRESS]})
    dup = gw.call("customers.create", {"name": "G. Garbo", "email": "greta@example.se",
                                       "number": "K-77", "kind": "company", "org_number": "556036-0793"})
    with store.read() as s:
        greta = s.get(Customer, made["id"])
        assert (greta.email, greta.phone, greta.credit_limit) == ("greta@example.se", "+46701234567", 500000)
        assert s.scalar(select(CustomerAddress.postal_code).where(
            CustomerAddress.customer_id == made["id"])) == "111 22"

    gw.call("customers.update", {"customer_id": made["id"], "contact_name": "Greta"})
    with store.read() as s:  # a stored limit (öre) survives an update of another field unchanged
        assert s.get(Customer, made["id"]).credit_limit == 500000
    changed = gw.call("customers.update", {"customer_id": made["id"], "notes": "VIP", "credit_limit": None})
    assert changed == {"id": made["id"], "number": made["number"], "changed": ["credit_limit", "notes"]}
    with store.read() as s:
        greta = s.get(Customer, made["id"])
        # only the fields sent changed; the address stayed
        assert (greta.notes, greta.credit_limit, greta.email) == ("VIP", None, "greta@example.se")
        assert s.scalar(select(func.count()).select_from(CustomerAddress)
                        .where(CustomerAddress.customer_id == made["id"])) == 1

    assert gw.call("customers.merge", {"keep_id": made["id"], "drop_number": "K-77"}) == {
        "id": made["id"], "merged": dup["id"]}
    with store.read() as s:
        assert s.get(Customer, dup["id"]).merged_into == made["id"]


def test_merge_by_id_and_its_refusals(gw, store):
    a = gw.call("customers.create", {"name": "Anna"})["id"]
    b = gw.call("customers.create", {"name": "Anna A", "number": "K-1"})["id"]
    before = snapshot(store)
    for args, field, kind in (({"keep_id": a}, "drop_id", ValidationError),
                              ({"keep_id": a, "drop_number": "K-404"}, "drop_number", NotFound),
                              ({"keep_id": "nobody", "drop_id": b}, "keep_id", NotFound),
                              ({"keep_id": a, "drop_id": "nobody"}, "drop_id", NotFound),
                              ({"keep_id": a, "drop_id": a}, "drop_id", ValidationError),
                              ({"keep_id": a, "drop_id": 7}, "drop_id", ValidationError),
                              ({"drop_id": b}, "keep_id", ValidationError),
                              ({"keep_id": a, "drop_id": b, "force": True}, "force", ValidationError)):
        with pytest.raises(kind) as refused:
            gw.call("customers.merge", args)
        assert refused.value.field == field, args
    assert snapshot(store) == before
    assert gw.call("customers.merge", {"keep_id": a, "drop_id": b})["merged"] == b


@pytest.mark.parametrize("name, args, field", [
    ("customers.create", {}, "name"),
    ("customers.create", {"name": "X", "colour": "red"}, "colour"),
    ("customers.create", {"name": 12}, "name"),
    ("customers.create", {"name": "X", "credit_limit": "5 000"}, "credit_limit"),
    ("customers.create", {"name": "X", "credit_limit": 10.5}, "credit_limit"),
    ("customers.create", {"name": "X", "credit_limit": -100}, "credit_limit"),
    ("customers.create", {"name": "X", "price_list_id": "1"}, "price_list_id"),
    ("customers.create", {"name": "X", "personal_number": "not a number"}, "personal_number"),
    ("customers.create", {"name": "X", "addresses": {"kind": "invoice"}}, "addresses"),
    ("customers.create", {"name": "X", "addresses": [{"kind": "invoice", "city": "Sthlm"}]},
     "addresses[0].address1"),
    ("customers.create", {"name": "X", "addresses": [dict(ADDRESS, floor=3)]}, "addresses[0].floor"),
    ("customers.update", {"name": "X"}, "customer_id"),
    ("customers.update", {"customer_id": "GREETA", "name": "X"}, "customer_id"),
    ("customers.update", {"customer_id": "{id}", "email": "not-an-address"}, "email"),
    ("customers.update", {"customer_id": "{id}", "name": ""}, "name"),
    ("customers.receipts", {}, "customer_id"),
    ("customers.receipts", {"customer_id": "{id}", "limit": 0}, "limit"),
    ("customers.receipts", {"customer_id": "{id}", "limit": "ten"}, "limit"),
])
def test_bad_arguments_are_refused_and_change_nothing(gw, store, name, args, field):
    existing = gw.call("customers.create", {"name": "Greta", "email": "g@example.se"})["id"]
    args = {k: (existing if v == "{id}" else v) for k, v in args.items()}
    before = snapshot(store)
    with pytest.raises((ValidationError, NotFound)) as refused:
        gw.call(name, args)
    assert refused.value.field == field
    assert snapshot(store) == before


def test_receipts_come_from_the_servers_receipts(gw, store):
    c = gw.call("customers.create", {"name": "Kund"})["id"]
    t0 = dt.datetime(2026, 3, 1, 10, 0)
    with store.write() as s:
        for n, (who, kind, total) in enumerate([(c, "sale", 12900), (None, "sale", 500), (c, "return", -4900)]):
            s.add(SalesReceipt(id=f"r{n}", register_code="KASSA1", number=n + 1, kind=kind, total=total,
                               customer_id=who, body={}, created_at=t0 + dt.timedelta(minutes=n)))
        s.commit()
    assert gw.call("customers.receipts", {"customer_id": c}) == [
        {"register": "KASSA1", "number": 3, "created_at": "2026-03-01T10:02:00", "kind": "return", "total": -4900},
        {"register": "KASSA1", "number": 1, "created_at": "2026-03-01T10:00:00", "kind": "sale", "total": 12900}]
    assert len(gw.call("customers.receipts", {"customer_id": c, "limit": 1})) == 1
