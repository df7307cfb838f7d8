"""The back-office window on a workstation: it reads its replica and every change goes to a real
server as a command (live `butik server` on the demo shop, replica enrolled as a back-office
device, manager logged in). What a tab shows after a change came back through the change feed."""

from __future__ import annotations

import pytest

from backoffice import errors
from backoffice.app import open_window
from tests.e2e.office import office_workstation
from tests.gui.backoffice_fixtures import settle
from tests.gui.test_orders_tab import customers, stocked

pytestmark = [pytest.mark.usefixtures("qapp"), pytest.mark.slow]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    with office_workstation(tmp_path_factory.mktemp("office"), mp, demo=True, products=300) as o:
        yield o
    mp.undo()


@pytest.fixture
def window(qtbot, office):
    errors.shown.clear()
    w = open_window(office.replica, lang="en", gateway=office.gateway)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    settle(qtbot, w)
    yield w
    w.close()
    w.ctx.shutdown()


def test_every_tab_opens_on_the_replica_without_an_error(qtbot, window):
    assert window.ctx.remote and window.ctx.user == "manager"
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        settle(qtbot, window)
    assert errors.shown == []


def test_an_order_made_and_delivered_in_part_on_a_workstation_is_the_servers(qtbot, window, office):
    tab = window.pages["orders"]
    window.tabs.setCurrentWidget(tab)
    (p1, sku1), (p2, sku2) = stocked(office.replica, 2)
    cid, cname = customers(office.replica, 1)[0]
    tab.open_editor("order")
    editor = tab.dialog
    settle(qtbot, window)
    editor.customer.choose(cid, cname)
    editor.set_line(0, sku1, "3")
    editor.set_line(1, sku2, "2")
    editor.submit()
    settle(qtbot, window)
    assert errors.shown == [] and not editor.isVisible()
    number = tab.selected().number
    server_order = office.server_rows("select id, status, created_by from sales_order where number = :n",
                                      n=number)
    assert len(server_order) == 1 and server_order[0][1:] == ("new", "manager")
    order_id = server_order[0][0]

    tab.b["confirm"].click()
    settle(qtbot, window)
    assert tab.detail.status == "confirmed"
    tab.open_deliver()
    dialog = tab.dialog
    settle(qtbot, window)
    dialog.set_quantity(sku1, "4")            # more than ordered: the server refuses, nothing moves
    dialog.submit()
    settle(qtbot, window)
    assert "only 3 is left" in errors.shown[-1][1] and dialog.isVisible()
    errors.close_all()
    dialog.set_quantity(sku1, "2")
    dialog.set_quantity(sku2, "2")
    dialog.submit()
    settle(qtbot, window)
    assert tab.detail.status == "partly_delivered"
    assert office.server_rows("select status from sales_order where id = :i", i=order_id) == [
        ("partly_delivered",)]
    moved = office.server_rows(
        "select product_id, sum(qty) from stock_movement where source_id = :i or source_id in "
        "(select id from delivery where order_id = :i) group by product_id order by product_id",
        i=order_id)
    assert sorted(moved) == sorted([(p1, -2000), (p2, -2000)])
    # the replica shows what the server did (pulled right after each command)
    assert office.replica_rows("select status from sales_order where id = :i", i=order_id) == [
        ("partly_delivered",)]
