"""A back-office workstation on a replica: it reads the office scope, and its changes are
commands the server runs exactly once (live server on 127.0.0.1, real HTTP, real replica)."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from core.commands.gateway import RemoteGateway
from core.db import open_store
from core.errors import Unavailable, UserError
from core.ledger.models import ExchangeRate
from core.sync.client import SyncClient
from tests.e2e.office import office_workstation
from tests.live import bearer
from tests.sync_support import DropProxy

pytestmark = pytest.mark.slow


@pytest.fixture
def office(tmp_path, monkeypatch):
    with office_workstation(tmp_path, monkeypatch) as o:
        yield o


def _add_rate(db_url: str, day: dt.date) -> None:
    store = open_store(db_url, migrate=False)
    try:
        with store.write() as s:
            s.add(ExchangeRate(currency="EUR", on=day, rate_micro=11_234_567))
            s.commit()
    finally:
        store.dispose()


def test_the_office_replica_gets_office_tables_and_a_till_does_not(office):
    assert office.replica_rows("select value from sync_state where key = 'scope'") == [("office",)]
    _add_rate(office.db_url, dt.date(2026, 11, 2))
    assert office.gateway.catch_up() >= 1
    assert office.replica_rows("select currency, rate_micro from exchange_rate") == [("EUR", 11_234_567)]

    till = office.server.enrol_device("pos", register_code="K1")["token"]
    client = SyncClient(office.server.url, till)
    try:
        tables = client.snapshot_tables()
        assert tables["scope"] == "pos" and "exchange_rate" not in tables["tables"]
        assert "product" in tables["tables"]
        page = client.changes(0, 5000)
        assert all(c["table"] != "exchange_rate" for c in page["changes"])
        head = office.server_rows("select value from change_seq")[0][0]
        assert page["last_seq"] == head and not page["more"]   # skipped ahead, nothing rescanned
    finally:
        client.close()
    r = requests.get(f"{office.server.url}/api/v1/snapshot/exchange_rate", headers=bearer(till),
                     timeout=30)
    assert r.status_code == 404


def test_commands_need_a_user_with_the_role(office):
    url = office.server.url
    body = {"id": "0b7f6a6e-0000-4000-8000-000000000001", "args": {}}
    # a device token cannot run commands, a cashier lacks the role, no token is 401
    r = requests.post(f"{url}/api/v1/commands/customers.create", json=body,
                      headers=bearer(office.device_token), timeout=30)
    assert r.status_code == 403
    cashier = office.server.login("cashier", "cashier-password-1")
    r = requests.post(f"{url}/api/v1/commands/customers.create", json=body, headers=bearer(cashier),
                      timeout=30)
    assert r.status_code == 403
    assert requests.post(f"{url}/api/v1/commands/customers.create", json=body, timeout=30).status_code == 401
    manager = office.server.login("manager", "manager-password-1")
    r = requests.post(f"{url}/api/v1/commands/no.such", json=body, headers=bearer(manager), timeout=30)
    assert r.status_code == 404
    listed = requests.get(f"{url}/api/v1/commands", headers=bearer(manager), timeout=30).json()
    names = {c["name"] for c in listed["commands"]}
    assert "customers.create" in names and "orders.confirm" in names


def test_a_change_runs_on_the_server_and_comes_back_to_the_replica(office):
    made = office.gateway.call("customers.create", {"name": "Kundén Åberg", "email": "aberg@example.se"})
    assert office.server_rows("select name, email from customer where id = :i", i=made["id"]) == [
        ("Kundén Åberg", "aberg@example.se")]
    # the gateway pulled the feed before answering: the replica already shows it
    assert office.replica_rows("select name from customer where id = :i", i=made["id"]) == [("Kundén Åberg",)]
    history = office.server_rows("select type, device_id from applied_event where type like 'cmd:%'")
    assert history == [("cmd:customers.create", history[0][1])] and history[0][1].startswith("user:")


def test_a_refusal_names_the_field_and_changes_nothing(office):
    before = office.server_rows("select count(*) from customer")
    with pytest.raises(UserError) as refused:
        office.gateway.call("customers.create", {"name": "X", "colour": "red"})
    assert refused.value.field == "colour"
    with pytest.raises(UserError) as bad:
        office.gateway.call("customers.create", {"name": "Y", "email": "not an e-mail"})
    assert bad.value.field == "email"
    assert office.server_rows("select count(*) from customer") == before


def test_the_same_id_is_applied_once_and_another_body_is_refused(office):
    client = office.user_client()
    try:
        first = client.command("customers.create", "cmd-0000-0001", {"name": "Once"})
        again = client.command("customers.create", "cmd-0000-0001", {"name": "Once"})
        assert again["result"] == first["result"] and again["replayed"] and not first["replayed"]
        with pytest.raises(UserError) as clash:
            client.command("customers.create", "cmd-0000-0001", {"name": "Twice"})
        assert clash.value.field == "id"
    finally:
        client.close()
    assert office.server_rows("select count(*) from customer where name in ('Once', 'Twice')") == [(1,)]


def test_a_lost_answer_and_a_second_press_make_one_customer(office):
    """The proxy drops the server's answer after it committed; pressing again reuses the id."""
    port = int(office.server.url.rsplit(":", 1)[1])
    plans = iter([("cut_response", 10), ("pass",), ("pass",), ("pass",)])
    proxy = DropProxy("127.0.0.1", port, plan=lambda: next(plans, ("pass",)))
    token = office.server.login("manager", "manager-password-1")
    through = SyncClient(f"http://127.0.0.1:{proxy.port}", token, retries=0)
    gateway = RemoteGateway(office.replica, through, office.gateway.feed, "manager")
    try:
        with pytest.raises(Unavailable):
            gateway.call("customers.create", {"name": "Lost answer"})
        assert office.server_rows("select count(*) from customer where name = 'Lost answer'") == [(1,)]
        made = gateway.call("customers.create", {"name": "Lost answer"})
        assert office.server_rows("select id from customer where name = 'Lost answer'") == [(made["id"],)]
    finally:
        through.close()
        proxy.close()
