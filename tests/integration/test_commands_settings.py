"""The settings commands through the local gateway: company, store, till, channel; a webshop connection
whose secret goes to the keyring of the machine running the command (never a table or a result),
its test and category push against the Starweb simulator; problems resolved; bad arguments refused
naming the argument, changing nothing."""

from __future__ import annotations

import json

import keyring
import keyring.backend
import pytest
from sqlalchemy import select

from core.catalog.models import Category
from core.commands.gateway import LocalGateway
from core.company.models import Channel, Company, Register, Store
from core.errors import NotFound, UserError, ValidationError
from core.integrations.connections import SECRETS_FILE_ENV, SERVICE, log_problem
from core.integrations.http import VendorError
from core.integrations.models import CategoryMap, IntegrationConnection, IntegrationLog
from tests.simulators.starweb import StarwebSimulator
from tests.sync_support import MemoryKeyring


@pytest.fixture
def ring(monkeypatch):
    monkeypatch.delenv(SECRETS_FILE_ENV, raising=False)
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def gw(store):
    return LocalGateway(store, "lisa")


@pytest.fixture
def shop():
    with StarwebSimulator("shop-client", "right-secret") as sim:
        yield sim


def setup_company(gw) -> int:
    """Company, a store with a till, and a webshop channel; the webshop channel's id."""
    gw.call("settings.company_set", {"name": "Butiken AB", "org_number": "5560360793",
                                     "vat_number": "SE556036079301", "city": "Umeå"})
    store_id = gw.call("settings.store_add", {"code": "UME", "name": "Butiken Umeå"})["id"]
    gw.call("settings.register_add", {"store_id": store_id, "code": "UME-KASSA1"})
    gw.call("settings.channel_add", {"code": "BUTIK", "name": "Butiken", "kind": "store", "store_id": store_id})
    return gw.call("settings.channel_add", {"code": "WEB", "name": "Webbshop", "kind": "webshop"})["id"]


def rows(store, model) -> list:
    with store.read() as s:
        return sorted(repr(tuple(r)) for r in s.execute(select(model.__table__)))


def test_company_store_till_and_channels(gw, store):
    web = setup_company(gw)
    with store.read() as s:
        company = s.scalars(select(Company)).one()
        assert (company.org_number, company.vat_number) == ("556036-0793", "SE556036079301")
        assert [r.code for r in s.scalars(select(Register))] == ["UME-KASSA1"]
        assert s.get(Channel, web).kind == "webshop"
    # the company is updated in place, not added twice
    gw.call("settings.company_set", {"name": "Butiken i Umeå AB", "org_number": "556036-0793"})
    with store.read() as s:
        assert [c.name for c in s.scalars(select(Company))] == ["Butiken i Umeå AB"]


@pytest.mark.parametrize("name, args, field", [
    ("settings.company_set", {"name": "X"}, "org_number"),
    ("settings.company_set", {"name": "X", "org_number": 5560360793}, "org_number"),
    ("settings.company_set", {"name": "X", "org_number": "5560360793", "vat_number": "SE999"}, "vat_number"),
    ("settings.store_add", {"code": "UME", "name": "Again"}, "code"),
    ("settings.store_add", {"code": "NEW", "name": "New", "location_id": "1"}, "location_id"),
    ("settings.register_add", {"store_id": 999, "code": "K2"}, "store_id"),
    ("settings.register_add", {"store_id": "1", "code": "K2"}, "store_id"),
    ("settings.register_add", {"store_id": 1, "code": "A-VERY-LONG-REGISTER-CODE"}, "code"),
    ("settings.channel_add", {"code": "X", "name": "X", "kind": "shop"}, "kind"),
    ("settings.channel_add", {"code": "X", "name": "X", "kind": "store"}, "store_id"),
    ("settings.channel_add", {"code": "X", "name": "X", "kind": "manual", "colour": "red"}, "colour"),
])
def test_bad_company_arguments_are_refused(gw, store, name, args, field):
    setup_company(gw)
    before = [rows(store, m) for m in (Company, Store, Register, Channel)]
    with pytest.raises(UserError) as refused:
        gw.call(name, args)
    assert refused.value.field == field
    assert [rows(store, m) for m in (Company, Store, Register, Channel)] == before


def connection(web: int, **extra) -> dict:
    return {"code": "web1", "kind": "starweb", "base_url": "https://shop.example/api/v2",
            "client_id": "shop-client", "channel_id": web, "buffer_qty": 1000, **extra}


def test_the_secret_goes_to_the_keyring_of_the_machine_running_the_command(gw, store, ring):
    web = setup_company(gw)
    with pytest.raises(ValidationError) as refused:  # a new connection needs its secret
        gw.call("settings.connection_save", connection(web))
    assert refused.value.field == "secret" and rows(store, IntegrationConnection) == []
    saved = gw.call("settings.connection_save", connection(web, secret="s3cret-XYZ"))
    assert saved["code"] == "web1" and "s3cret-XYZ" not in json.dumps(saved)
    assert ring.secrets == {(SERVICE, "web1"): "s3cret-XYZ"}
    assert "s3cret-XYZ" not in "".join(rows(store, IntegrationConnection))
    listed = gw.call("settings.connections", {})
    assert [(c["code"], c["has_secret"], c["buffer_qty"]) for c in listed] == [("web1", True, 1000)]
    assert "s3cret-XYZ" not in json.dumps(listed)
    # an edit without a secret keeps it; a page after the last id is empty
    gw.call("settings.connection_save", connection(web, poll_interval_s=300))
    assert ring.secrets[(SERVICE, "web1")] == "s3cret-XYZ"
    assert gw.call("settings.connections", {"after": listed[0]["id"]}) == []
    ring.secrets.clear()
    assert gw.call("settings.connections", {"limit": 1})[0]["has_secret"] is False


@pytest.mark.parametrize("args, field", [
    ({"secret": 12345}, "secret"),
    ({"secret": "pw", "kind": "shopify"}, "kind"),
    ({"secret": "pw", "base_url": "ftp://x"}, "base_url"),
    ({"secret": "pw", "buffer_qty": "1"}, "buffer_qty"),
    ({"secret": "pw", "poll_interval_s": 1}, "poll_interval_s"),
    ({"secret": "pw", "active": "yes"}, "active"),
    ({"secret": "pw", "status_map": "delivered=completed"}, "status_map"),
    ({"secret": "pw", "settings": {"password": "pw"}}, "settings.password"),
    ({"secret": "pw", "channel_id": None}, "channel_id"),
    ({"secret": "pw", "token": "x"}, "token"),
])
def test_a_refused_connection_keeps_nothing(gw, store, ring, args, field):
    web = setup_company(gw)
    with pytest.raises(ValidationError) as refused:
        gw.call("settings.connection_save", connection(web, **args))
    assert refused.value.field == field
    assert "12345" not in str(refused.value)  # a secret is never echoed
    assert rows(store, IntegrationConnection) == [] and ring.secrets == {}


def test_test_and_push_run_with_the_kept_secret(gw, store, ring, shop):
    web = setup_company(gw)
    gw.call("settings.connection_save", connection(web, base_url=shop.url + "/api/v2", secret="right-secret"))
    assert gw.call("settings.connection_test", {"code": "web1"})["message"].startswith("Connected")
    with store.write() as s:
        top = Category(code="KL", name_sv="Kläder", name_en="Clothes")
        s.add(top)
        s.flush()
        s.add(Category(code="KL-T", name_sv="Tröjor", name_en="Jumpers", parent_id=top.id))
        s.commit()
    pushed = gw.call("settings.categories_push", {"code": "web1"})
    assert (pushed["created"], pushed["matched"], pushed["already"], pushed["problems"]) == (2, 0, 0, [])
    assert len(rows(store, CategoryMap)) == 2
    assert gw.call("settings.categories_push", {"code": "web1"})["already"] == 2  # again: harmless
    ring.secrets[(SERVICE, "web1")] = "wrong-secret"
    with pytest.raises(VendorError):
        gw.call("settings.connection_test", {"code": "web1"})
    for name, args, field in (("settings.connection_test", {"code": "nope"}, "code"),
                              ("settings.connection_test", {}, "code"),
                              ("settings.categories_push", {"code": 1}, "code")):
        with pytest.raises(UserError) as refused:
            gw.call(name, args)
        assert refused.value.field == field


def test_problems_listed_and_resolved(gw, store):
    with store.write() as s:
        ids = [log_problem(s, "orders_in", f"problem {n}", ref=f"#{n}").id for n in range(3)]
        s.commit()
    listed = gw.call("settings.problems", {"limit": 2})
    assert [p["message"] for p in listed] == ["problem 2", "problem 1"]
    assert [p["id"] for p in gw.call("settings.problems", {"before": listed[-1]["id"]})] == [ids[0]]
    assert gw.call("settings.problem_resolve", {"log_id": ids[1]}) == {"id": ids[1]}
    assert [p["ref"] for p in gw.call("settings.problems", {})] == ["#2", "#0"]
    before = rows(store, IntegrationLog)
    for name, args, field, kind in (("settings.problem_resolve", {"log_id": 999}, "log_id", NotFound),
                                    ("settings.problem_resolve", {"log_id": "1"}, "log_id", ValidationError),
                                    ("settings.problem_resolve", {}, "log_id", ValidationError),
                                    ("settings.problems", {"limit": 0}, "limit", ValidationError),
                                    ("settings.task_retry", {"task_id": "nope"}, "task_id", UserError),
                                    ("settings.task_retry", {"task_id": 5}, "task_id", ValidationError)):
        with pytest.raises(kind) as refused:
            gw.call(name, args)
        assert refused.value.field == field
    assert rows(store, IntegrationLog) == before
