"""The first-run wizard: a single-machine shop made through it sells with the new PIN; a till connects to a server."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from core.db import open_store
from core.paths import config_dir, replica_path
from pos_app import settings as settings_file
from pos_app.standalone import start_local_shop
from pos_app.wizard import COMPANY, DONE, MODE, PRINTER, SERVER, STORE, USER, FirstRunWizard
from server.embedded import free_port
from tests.gui.support import Pos
from tests.live import live_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def _wizard(qtbot, folder: Path) -> FirstRunWizard:
    wizard = FirstRunWizard(folder, pos=True, language="en")
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.lane.idle, timeout=10000)  # the scratch database is ready
    return wizard


def _fill(page, **values) -> None:
    for name, value in values.items():
        page.form.edits[name].setText(value)


def _finish(qtbot, wizard) -> None:
    assert wizard.currentId() == PRINTER
    wizard.next()
    assert wizard.currentId() == DONE
    done = wizard.page(DONE)
    qtbot.waitUntil(lambda: done.ok or wizard.last_error is not None, timeout=30000)
    assert done.ok, wizard.last_error
    wizard.accept()


def test_a_single_machine_shop_made_in_the_wizard_lets_the_new_manager_log_in(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("BUTIK_TOKEN_FILE", str(tmp_path / "till.token"))
    folder = tmp_path / "data"
    wizard = _wizard(qtbot, folder)
    ARTIFACTS.mkdir(exist_ok=True)
    wizard.resize(760, 600)
    assert wizard.grab().save(str(ARTIFACTS / "wizard.png"))

    wizard.next()
    assert wizard.currentId() == MODE
    wizard.page(MODE).single.setChecked(True)
    wizard.next()
    assert wizard.currentId() == COMPANY
    company = wizard.page(COMPANY)
    _fill(company, company_name="Hörnbutiken AB", org_number="556016-0681", address1="Storgatan 1",
          postal_code="11122", city="Stockholm")
    wizard.next()  # refused: the error sits under the organisation number, nothing was created
    assert wizard.currentId() == COMPANY
    assert not company.form.errors["org_number"].isHidden()
    assert "organisation" in company.form.errors["org_number"].text().lower() or \
        company.form.errors["org_number"].text()
    assert not (folder / "server.sqlite").exists()
    _fill(company, org_number="556016-0680", vat_number="SE556016068001")
    wizard.next()
    assert wizard.currentId() == STORE
    store = wizard.page(STORE)
    assert store.form.value("register_code") == "KASSA1"
    _fill(store, store_code="HORN")
    wizard.next()
    assert wizard.currentId() == USER
    _fill(wizard.page(USER), username="maria", password="långt-lösen-1", pin="4321")
    wizard.next()
    _finish(qtbot, wizard)
    saved = settings_file.load(config_dir(folder))
    assert (saved.language, saved.register_code, saved.printer) == ("en", "KASSA1", {"kind": "dummy"})

    shop = start_local_shop(folder, register_code="KASSA1", device_name="Kassa 1", port=free_port(),
                            quiet=True)
    try:
        pos = Pos(qtbot, shop.replica, tmp_path / "pos-config")
        assert pos.window.ctx.session.register.code == "KASSA1"
        pos.login("maria", "4321")  # the PIN reached the till's replica through the embedded server
        pos.close()
    finally:
        shop.close()


def test_the_wizard_connects_a_till_to_a_running_server(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("BUTIK_TOKEN_FILE", str(tmp_path / "till.token"))
    folder = tmp_path / "till"
    with live_server(tmp_path) as srv:
        wizard = _wizard(qtbot, folder)
        wizard.next()
        wizard.page(MODE).server.setChecked(True)
        wizard.next()
        assert wizard.currentId() == SERVER
        _fill(wizard.page(SERVER), url=srv.url, code=srv.enrolment_code("pos", register_code="K1"),
              name="Kassa 1")
        wizard.next()
        _finish(qtbot, wizard)
    assert wizard.page(DONE).bar.value() == wizard.page(DONE).bar.maximum()
    assert settings_file.load(config_dir(folder)).register_code == "K1"
    replica = open_store(replica_path(folder))
    try:
        with replica.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM user_account WHERE username = 'cashier'")).scalar() == 1
    finally:
        replica.dispose()
