"""The back office on a workstation replica: log in to the server, or work read-only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from backoffice import login
from core.commands.gateway import OfflineGateway, RemoteGateway
from core.errors import Unavailable, UserError
from tests.e2e.office import office_workstation
from tests.live import CASHIER, CASHIER_PASSWORD, MANAGER, MANAGER_PASSWORD

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    with office_workstation(tmp_path_factory.mktemp("office"), mp) as o:
        yield o
    mp.undo()


def _dialog(qtbot, office):
    url, kind = login.replica_server(office.replica)
    assert url == office.server.url and kind == "backoffice"
    dialog = login.LoginDialog(office.replica, url)
    qtbot.addWidget(dialog)
    return dialog


def test_a_wrong_password_or_a_cashier_is_told_why_and_stays(qtbot, office):
    dialog = _dialog(qtbot, office)
    dialog.username.setText(MANAGER)
    dialog.password.setText("wrong")
    qtbot.mouseClick(dialog.login_button, Qt.LeftButton)
    assert dialog.gateway is None and "wrong user name or password" in dialog.message.text()
    dialog.username.setText(CASHIER)
    dialog.password.setText(CASHIER_PASSWORD)
    qtbot.mouseClick(dialog.login_button, Qt.LeftButton)
    assert dialog.gateway is None and "needs a manager" in dialog.message.text()
    dialog.username.setText("")
    qtbot.mouseClick(dialog.login_button, Qt.LeftButton)
    assert "user name" in dialog.message.text()


def test_a_manager_gets_a_gateway_to_the_server(qtbot, office):
    dialog = _dialog(qtbot, office)
    dialog.username.setText(MANAGER)
    dialog.password.setText(MANAGER_PASSWORD)
    qtbot.mouseClick(dialog.login_button, Qt.LeftButton)
    assert isinstance(dialog.gateway, RemoteGateway) and dialog.gateway.who == MANAGER
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.gateway.catch_up() == 0          # nothing new on the server


def test_read_only_refuses_changes_with_a_clear_message_and_still_pulls(qtbot, office):
    dialog = _dialog(qtbot, office)
    qtbot.mouseClick(dialog.offline_button, Qt.LeftButton)
    gateway = dialog.gateway
    assert isinstance(gateway, OfflineGateway)
    with pytest.raises(Unavailable) as refused:
        gateway.call("customers.create", {})
    assert "nothing was changed" in str(refused.value)
    assert gateway.catch_up() == 0


def test_a_tills_replica_is_not_a_workstation():
    with pytest.raises(UserError) as exc:
        login.check_office_replica("pos", "http://127.0.0.1:1")
    assert exc.value.field == "device" and "backoffice" in exc.value.hint
    login.check_office_replica("backoffice", "http://127.0.0.1:1")
