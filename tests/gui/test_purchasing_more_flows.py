"""Purchasing flows in the real back-office window: a supplier and its article created on the
Suppliers page, a PO sent to a PDF file, a blind count list saved; every new string has Swedish."""

from __future__ import annotations

from sqlalchemy import text

from backoffice import errors
from backoffice.i18n import SV
from tests.gui.backoffice_fixtures import *
from tests.gui.backoffice_fixtures import settle


def rows(store, sql, **params):
    with store.read() as s:
        return [tuple(r) for r in s.execute(text(sql), params).all()]


def test_every_new_column_and_field_has_swedish():
    from backoffice.models import (
        dropship_model,
        payables_model,
        reorder_model,
        suppliers_model,
        valuation_model,
    )

    names = {t for _k, t in suppliers_model.FORM_FIELDS}
    for module in (suppliers_model, payables_model, reorder_model, valuation_model, dropship_model):
        for value in vars(module).values():
            names.update(title for _key, title in getattr(value, "COLUMNS", ()))
    names |= {"Suppliers", "Accounts payable", "Reorder", "Drop shipping", "Stock value", "PDF / e-mail…",
              "Supplier invoice…", "E-mail settings…", "Purchase orders"}
    assert sorted(names - set(SV)) == []


def test_create_a_supplier_and_its_article_on_the_suppliers_page(window, qtbot, bo_store):
    tab = window.pages["purchasing"]
    window.tabs.setCurrentWidget(tab)
    page = tab.suppliers
    tab.pages.setCurrentWidget(page)
    settle(qtbot, window)
    page.new_button.click()
    dialog = page.dialog
    settle(qtbot, window)
    assert dialog.fields["currency"].text() == "SEK" and dialog.fields["payment_terms_days"].text() == "30"
    for key, value in (("code", "TYG"), ("name", "Tygverket AB"), ("lead_time_days", "x")):
        dialog.fields[key].setText(value)
    dialog.submit()
    settle(qtbot, window)
    assert dialog.isVisible() and "lead_time_days" in errors.shown[-1][1]  # refused, nothing saved
    errors.close_all()
    dialog.fields["lead_time_days"].setText("10")
    dialog.fields["our_customer_no"].setText("4711")
    dialog.submit()
    settle(qtbot, window)
    assert not dialog.isVisible()
    assert rows(bo_store, "SELECT name, lead_time_days, our_customer_no FROM supplier WHERE code = 'TYG'") == [
        ("Tygverket AB", 10, "4711")]
    sid = rows(bo_store, "SELECT id FROM supplier WHERE code = 'TYG'")[0][0]
    page.select_supplier(sid)
    settle(qtbot, window)
    assert page.selected().code == "TYG"
    sku = rows(bo_store, "SELECT sku FROM product WHERE sku = 'LV-0000009'")[0][0]
    page.sku.setText(sku)
    page.supplier_sku.setText("TV-9")
    page.price.setText("42,50")
    page.set_button.click()
    settle(qtbot, window)
    assert [(a.sku, a.supplier_sku, a.price) for a in page.articles.rows] == [(sku, "TV-9", 4250)]


def test_send_a_po_marks_it_sent_and_saves_its_pdf(window, qtbot, bo_store, tmp_path):
    window.ctx.config_dir = tmp_path / "config"  # no e-mail settings: PDF only
    tab = window.pages["purchasing"]
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    tab.buttons["new"].click()
    new = tab.dialog
    new.supplier.setCurrentIndex(new.supplier.findData(2))
    new.location.setCurrentIndex(new.location.findData(3))
    new.lines.setPlainText("LV-0000009 5 80")
    new.submit()
    settle(qtbot, window)
    po = tab.selected()
    assert po.status == "draft"
    tab.buttons["send"].click()
    settle(qtbot, window)
    send = tab.dialog
    assert tab.selected().status == "sent" and send.objectName() == "sendPo"
    assert not send.mail.isEnabled()  # e-mail not set up
    target = tmp_path / "po.pdf"
    send.path.setText(str(target))
    send.submit()
    settle(qtbot, window)
    assert errors.shown == [] and not send.isVisible()
    assert target.read_bytes().startswith(b"%PDF")


def test_count_list_pdf_blind(window, qtbot, bo_store, tmp_path):
    from core.inventory.counts import create_count

    with bo_store.write() as s:
        create_count(s, 3, "tester")
        s.commit()
    stock = window.pages["stock"]
    stock.counts.reload()
    settle(qtbot, window)
    done = []
    stock.counts.save_list(str(tmp_path / "count.pdf"), done.append)
    settle(qtbot, window)
    assert done and (tmp_path / "count.pdf").read_bytes().startswith(b"%PDF")


def test_mail_a_po_from_the_send_dialog_runs_the_command_with_the_shops_mail_settings(
        window, qtbot, bo_store, tmp_path, monkeypatch):
    from core.mail.server import save_settings
    from core.mail.smtp import SmtpSettings
    from tests.smtp_sink import start_sink

    monkeypatch.setenv("BUTIK_DATA_DIR", str(tmp_path))  # where the commands run: this PC (one-PC shop)
    sink, server = start_sink()
    try:
        save_settings(None, SmtpSettings(host=sink.host, port=sink.port, security="none",
                                         sender="order@butiken.se"), None)
        tab = window.pages["purchasing"]
        window.tabs.setCurrentWidget(tab)
        settle(qtbot, window)
        tab.buttons["new"].click()
        new = tab.dialog
        new.supplier.setCurrentIndex(new.supplier.findData(2))
        new.location.setCurrentIndex(new.location.findData(3))
        new.lines.setPlainText("LV-0000009 2")
        new.submit()
        settle(qtbot, window)
        po = tab.selected()
        assert po.status == "draft"
        tab.buttons["pdf"].click()
        send = tab.dialog
        settle(qtbot, window)
        assert send.mail.isEnabled() and send.mail.isChecked()
        send.to.setText("inkop@example.se")
        send.path.setText(str(tmp_path / "po.pdf"))
        send.submit()
        settle(qtbot, window)
        assert errors.shown == [] and not send.isVisible()
    finally:
        server.shutdown()
        server.server_close()
    assert rows(bo_store, "SELECT status FROM purchase_order WHERE id = :i", i=po.id) == [("sent",)]
    assert (tmp_path / "po.pdf").read_bytes().startswith(b"%PDF")
    [mail] = sink.messages
    assert mail.recipients == ["inkop@example.se"] and mail.message["Subject"] == f"Inköpsorder {po.number}"


def test_the_purchasing_tab_fits_a_1280_px_window_in_swedish(qtbot, bo_store):
    from backoffice import i18n
    from backoffice.app import open_window

    w = open_window(bo_store, lang="sv")
    qtbot.addWidget(w)
    settle(qtbot, w)
    try:
        tab = w.pages["purchasing"]
        # the window's frame and tab bar take some of the 1280 px
        assert tab.minimumSizeHint().width() <= 1200, tab.minimumSizeHint()
        assert {tab.buttons[k].text() for k in ("backorder", "smtp")} <= set(SV.values())
    finally:
        w.close()
        w.ctx.shutdown()
        i18n.install("en")
