"""The customers tab: the model's search and paging without a window; create and merge in the real window."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from backoffice.models.customers_model import CustomersModel, duplicates_of
from core.customers.service import CustomerIn, create_customer
from tests.gui.backoffice_fixtures import *  # the fixtures
from tests.gui.backoffice_fixtures import settle

pytestmark = pytest.mark.usefixtures("qapp")


def count(store, sql, **params):
    with store.read() as s:
        return s.execute(text(sql), params).scalar()


def test_model_pages_by_name_and_searches(runner, bo_store):
    model = CustomersModel(runner, page_size=70)
    model.set_search("")
    model.fetch_all_for_test()
    names = [r.name.casefold() for r in model.rows]
    assert names == sorted(names) and len(names) == count(bo_store, "SELECT count(*) FROM customer") == 200
    first = model.rows[0]
    model.set_search(first.email)
    assert [r.id for r in model.rows] == [first.id] and model.exhausted
    model.set_search(first.number)
    assert first.id in {r.id for r in model.rows}


def test_create_search_and_merge_duplicates_in_the_window(qtbot, window, bo_store):
    from backoffice import errors

    tab = window.pages["customers"]
    window.tabs.setCurrentWidget(tab)
    tab.open_editor(None)
    dialog = tab.dialog
    dialog.fields["name"].setText("Greta Garbo")
    dialog.fields["email"].setText("greta@example.se")
    dialog.fields["personal_number"].setText("not a number")
    dialog.submit()
    settle(qtbot, window)
    assert errors.shown[-1][1].startswith("personal_number:") and dialog.isVisible()
    errors.close_all()
    errors.shown.clear()
    dialog.fields["personal_number"].setText("")
    dialog.addresses["invoice"]["address1"].setText("Filmgatan 1")
    dialog.addresses["invoice"]["postal_code"].setText("11122")
    dialog.addresses["invoice"]["city"].setText("Stockholm")
    dialog.submit()
    settle(qtbot, window)
    assert not dialog.isVisible()
    with bo_store.write() as s:  # a duplicate arrives (same e-mail, other spelling)
        dup = create_customer(s, CustomerIn(name="G. Garbo", email="GRETA@example.se", phone="070-123 45 67")).id
        s.commit()
    tab.search.setText("greta@")
    tab.apply_search()
    settle(qtbot, window)
    assert sorted(r.name for r in tab.model.rows) == ["G. Garbo", "Greta Garbo"]
    keep = next(i for i, r in enumerate(tab.model.rows) if r.name == "Greta Garbo")
    tab.table.selectRow(keep)
    keep_id = tab.selected().id
    with bo_store.read() as s:
        assert [(d.id, d.reason) for d in duplicates_of(s, keep_id)] == [(dup, "email")]
    tab.open_merge()
    merge = tab.dialog
    settle(qtbot, window)
    assert merge.list.count() == 1
    merge.submit()
    settle(qtbot, window)
    assert errors.shown == []
    assert count(bo_store, "SELECT merged_into FROM customer WHERE id = :i", i=dup) == keep_id
    assert count(bo_store, "SELECT phone FROM customer WHERE id = :i", i=keep_id) == "+46701234567"
    assert [r.name for r in tab.model.rows] == ["Greta Garbo"]


def test_export_csv_for_the_webshop(qtbot, window, tmp_path):
    tab = window.pages["customers"]
    tab.export(str(tmp_path / "kunder.csv"))
    settle(qtbot, window)
    lines = (tmp_path / "kunder.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("customer_number,kind,email") and len(lines) == 201


def test_a_customers_till_receipts_come_from_the_receipts_command(qtbot, window, bo_store):
    import datetime as dt

    from core.sync.received import SalesReceipt

    tab = window.pages["customers"]
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    cid = tab.model.rows[0].id
    with bo_store.write() as s:
        s.add(SalesReceipt(id="rcpt-1", register_code="KASSA9", number=41, kind="sale", total=12_900,
                           customer_id=cid, body={}, created_at=dt.datetime(2026, 3, 1, 10, 5)))
        s.commit()
    tab.table.clearSelection()
    tab.table.selectRow(0)
    settle(qtbot, window)
    shown = [tab.receipts.item(0, c).text() for c in range(tab.receipts.columnCount())]
    assert shown == ["KASSA9", "41", "2026-03-01 10:05", "sale", "129,00"]
