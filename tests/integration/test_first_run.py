"""First-run set-up without Qt: a single-machine shop from the wizard's answers, a till connected to a server."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.db import open_store
from core.errors import Conflict, UserError
from core.paths import config_dir, replica_path, server_db_path
from core.setup.first_run import (
    Checker,
    ShopDetails,
    connect_to_server,
    create_single_machine_shop,
    read_standalone,
)
from server.app import prepare_database
from tests.live import live_server

ORG = "556016-0680"  # a valid Swedish organisation number (Luhn)


def details(**kw) -> ShopDetails:
    base = {"company_name": "Hörnbutiken AB", "org_number": ORG, "vat_number": "SE556016068001",
                "address1": "Storgatan 1", "postal_code": "11122", "city": "Stockholm", "store_code": "HORN",
                "store_name": "Hörnbutiken", "register_code": "kassa1", "username": "maria",
                "password": "långt-lösen-1", "pin": "4321"}
    return ShopDetails(**{**base, **kw})


def _scalar(store, sql, **params):
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_a_single_machine_shop_holds_company_store_register_and_first_user(tmp_path):
    ids = create_single_machine_shop(tmp_path, details(), prepare=prepare_database)
    assert ids["register_code"] == "KASSA1"
    assert read_standalone(tmp_path) == {"register_code": "KASSA1"}
    shop = open_store(server_db_path(tmp_path))
    try:
        assert _scalar(shop, "SELECT org_number FROM company") == ORG
        assert _scalar(shop, "SELECT vat_number FROM company") == "SE556016068001"
        assert _scalar(shop, "SELECT l.kind FROM store s JOIN location l ON l.id = s.location_id "
                             "WHERE s.code = 'HORN'") == "store"
        assert _scalar(shop, "SELECT s.code FROM register r JOIN store s ON s.id = r.store_id") == "HORN"
        assert _scalar(shop, "SELECT kind FROM channel WHERE code = 'HORN'") == "store"
        assert _scalar(shop, "SELECT is_default FROM price_list WHERE code = 'RETAIL'") == 1
        assert _scalar(shop, "SELECT role FROM user_account WHERE username = 'maria'") == "admin"
        assert _scalar(shop, "SELECT count(*) FROM vat_class") >= 6  # the server's start-up seeded VAT
    finally:
        shop.dispose()
    from core.auth.service import login_pin
    with open_store(server_db_path(tmp_path)).write() as s:
        assert login_pin(s, "maria", "4321")["role"] == "admin"


def test_a_bad_organisation_number_is_refused_with_the_field_named_and_nothing_created(tmp_path):
    with pytest.raises(UserError) as caught:
        create_single_machine_shop(tmp_path, details(org_number="556016-0681"), prepare=prepare_database)
    assert caught.value.field == "org_number"
    assert not server_db_path(tmp_path).exists()
    assert not replica_path(tmp_path).exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == []
    assert read_standalone(tmp_path) is None


@pytest.mark.parametrize("change, field", [
    ({"register_code": "KASSA-NUMMER-ETT-ALLDELES-FÖR-LÅNG"}, "register_code"),
    ({"store_code": "MIN BUTIK"}, "store_code"),
    ({"vat_number": "SE999999999901"}, "vat_number"),
    ({"company_name": " "}, "company_name"),
    ({"pin": "12"}, "pin"),
    ({"password": ""}, "password"),
])
def test_each_refusal_names_the_wizard_field(tmp_path, change, field):
    checker = Checker()
    try:
        assert checker.check(details()) is None
        refusal = checker.check(details(**change))
        assert refusal is not None and refusal.field == field, refusal
        assert checker.check(details()) is None  # nothing of the good check was kept either
    finally:
        checker.close()


def test_a_folder_with_a_database_is_not_set_up_twice(tmp_path):
    create_single_machine_shop(tmp_path, details(), prepare=prepare_database)
    with pytest.raises(Conflict):
        create_single_machine_shop(tmp_path, details(), prepare=prepare_database)


def test_connecting_to_a_server_enrols_and_bootstraps_the_replica(tmp_path, monkeypatch):
    monkeypatch.setenv("BUTIK_TOKEN_FILE", str(tmp_path / "till.token"))
    folder = tmp_path / "till"
    with live_server(tmp_path) as srv:
        with pytest.raises(UserError) as caught:
            connect_to_server(folder, srv.url, "WRONG-CODE", "Kassa 1")
        assert caught.value.field == "code"
        assert not replica_path(folder).exists()  # a refused code leaves no replica behind

        seen = []
        answer = connect_to_server(folder, srv.url, srv.enrolment_code("pos", register_code="K1"),
                                   "Kassa 1", progress=lambda done, total: seen.append((done, total)))
        assert answer["register_code"] == "K1" and "token" not in answer
        assert seen  # the progress bar moved
        replica = open_store(replica_path(folder))
        try:
            assert _scalar(replica, "SELECT count(*) FROM user_account WHERE username = 'cashier'") == 1
            assert _scalar(replica, "SELECT value FROM sync_state WHERE key = 'server_url'") == srv.url
        finally:
            replica.dispose()
        # called again (say after an interrupted bootstrap) it keeps the enrolment and needs no code
        assert connect_to_server(folder, srv.url, "", "Kassa 1")["token_kept_in"] == "kept"
    assert config_dir(folder).exists()
