"""The orders tab: its table model without a window (filters, search, sorting, paging) and, in the real
window, creating an order and delivering part of it (stock moves once, the back order shows)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from backoffice.models.order_detail import load_detail
from backoffice.models.orders_model import OrdersModel
from core.orders.delivery import deliver
from core.orders.lifecycle import confirm_order
from core.orders.pricing import LineIn
from core.orders.queries import OrderFilter
from core.orders.service import OrderIn, create_order, lines_of
from core.quantity import pieces
from tests.gui.backoffice_fixtures import *  # the fixtures
from tests.gui.backoffice_fixtures import settle

pytestmark = pytest.mark.usefixtures("qapp")
WAREHOUSE, MANUAL, WEB = 3, 5, 3


def stocked(store, n: int = 3, at: int = WAREHOUSE) -> list[tuple[int, str]]:
    """(id, sku) of simple goods with at least 20 pieces at the warehouse."""
    with store.read() as s:
        return [tuple(r) for r in s.execute(text(
            "SELECT p.id, p.sku FROM product p JOIN stock_level l ON l.product_id = p.id "
            "WHERE p.product_type = 'single' AND p.kind = 'goods' AND p.unit = 'pcs' AND p.drop_ship = 0 "
            "AND l.location_id = :loc AND l.on_hand - l.reserved >= 20000 ORDER BY p.id LIMIT :n"),
            {"loc": at, "n": n})]


def customers(store, n: int = 3) -> list[tuple[str, str]]:
    with store.read() as s:
        return [tuple(r) for r in s.execute(text(
            "SELECT id, name FROM customer ORDER BY number LIMIT :n"), {"n": n})]


def make_orders(store, count: int = 12) -> list[int]:
    """`count` orders over two channels and three customers; every third confirmed and part-delivered."""
    prods, custs = stocked(store), customers(store)
    numbers = []
    with store.write() as s:
        for i in range(count):
            order = create_order(s, OrderIn(
                channel_id=WEB if i % 2 else MANUAL, channel_order_no=f"W-{1000 + i}" if i % 2 else None,
                customer_id=custs[i % 3][0], order_date=dt.date(2026, 5, 1) + dt.timedelta(days=i),
                lines=[LineIn(product_id=prods[0][0], qty=pieces(1 + i % 4)),
                       LineIn(product_id=prods[1][0], qty=pieces(2))]), "test")
            if i % 3 == 0:
                confirm_order(s, order.id, "test")
                first = lines_of(s, order.id)[0]
                deliver(s, order.id, {first.id: pieces(1)}, "test")
            numbers.append(order.number)
        s.commit()
    return numbers


def cell(model, row, key):
    return model.data(model.index(row, model.column(key)))


def test_model_lists_newest_first_with_named_columns_and_pages(runner, bo_store):
    numbers = make_orders(bo_store, 12)
    model = OrdersModel(runner, page_size=5)
    model.set_filter(OrderFilter())
    titles = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert titles == ["No.", "Channel order no.", "Channel", "Date", "Customer", "Status", "Total",
                      "Delivered", "Payment"]
    assert model.rowCount() == 5 and model.canFetchMore()
    model.fetch_all_for_test()
    assert [r.number for r in model.rows] == sorted(numbers, reverse=True)
    assert model.exhausted
    with bo_store.read() as s:
        assert model.count(s) == 12


def test_filters_status_channel_backorder_customer_and_date(runner, bo_store):
    make_orders(bo_store, 12)
    model = OrdersModel(runner)
    model.set_filter(OrderFilter(status="partly_delivered"))
    assert model.rowCount() == 4 and {r.status for r in model.rows} == {"partly_delivered"}
    assert all(cell(model, i, "status") == "partly delivered" for i in range(4))
    assert all(cell(model, i, "delivery").endswith("· backorder") for i in range(4))
    model.set_filter(OrderFilter(has_backorder=True))
    assert model.rowCount() == 4
    model.set_filter(OrderFilter(channel_id=WEB))
    assert model.rowCount() == 6 and {cell(model, i, "channel") for i in range(6)} == {"Webbshop butikdemo.se"}
    cid = customers(bo_store)[1][0]
    model.set_filter(OrderFilter(customer_id=cid))
    assert model.rowCount() == 4 and {r.customer_id for r in model.rows} == {cid}
    model.set_filter(OrderFilter(date_from=dt.date(2026, 5, 3), date_to=dt.date(2026, 5, 5)))
    assert sorted(r.order_date.day for r in model.rows) == [3, 4, 5]


def test_search_by_our_number_channel_number_and_customer(runner, bo_store):
    numbers = make_orders(bo_store, 12)
    model = OrdersModel(runner)
    model.set_filter(OrderFilter(text=str(numbers[4])))
    assert [r.number for r in model.rows] == [numbers[4]]
    model.set_filter(OrderFilter(text="W-1003"))
    assert [r.channel_order_no for r in model.rows] == ["W-1003"]
    name = customers(bo_store)[2][1]
    model.set_filter(OrderFilter(text=name.split()[0][:4].lower()))
    assert model.rowCount() >= 4 and name in {r.customer_name for r in model.rows}


def test_sorting_by_total_and_customer(runner, bo_store):
    make_orders(bo_store, 12)
    model = OrdersModel(runner)
    model.set_filter(OrderFilter())
    model.sort(model.column("total"), Qt.SortOrder.AscendingOrder)
    totals = [r.total_gross for r in model.rows]
    assert totals == sorted(totals) and len(set(totals)) > 1
    model.sort(model.column("customer_name"), Qt.SortOrder.DescendingOrder)
    names = [r.customer_name for r in model.rows]
    assert names == sorted(names, reverse=True)
    model.sort(model.column("delivery"), Qt.SortOrder.AscendingOrder)  # not sortable: unchanged
    assert [r.customer_name for r in model.rows] == names


def _stock(store, product_id: int) -> tuple[int, int, int]:
    with store.read() as s:
        on_hand, reserved = s.execute(text("SELECT on_hand, reserved FROM stock_level WHERE product_id = :p "
                                           "AND location_id = :l"), {"p": product_id, "l": WAREHOUSE}).one()
        moves = s.execute(text("SELECT count(*) FROM stock_movement WHERE product_id = :p AND reason = 'delivery'"),
                          {"p": product_id}).scalar()
    return int(on_hand), int(reserved), int(moves)


def test_create_an_order_and_deliver_part_of_it(qtbot, window, bo_store):
    from backoffice import errors

    tab = window.pages["orders"]
    window.tabs.setCurrentWidget(tab)
    (p1, sku1), (p2, sku2) = stocked(bo_store, 2)
    cid, cname = customers(bo_store, 1)[0]
    before1, before2 = _stock(bo_store, p1), _stock(bo_store, p2)
    tab.open_editor("order")
    editor = tab.dialog
    settle(qtbot, window)
    editor.customer.choose(cid, cname)
    editor.set_line(0, sku1, "3", "", "10")
    editor.set_line(1, sku2, "2")
    editor.shipping.setText("49")
    editor.submit()
    settle(qtbot, window)
    assert errors.shown == [] and not editor.isVisible()
    row = tab.selected()
    assert row.customer_name == cname and row.status == "new"
    detail = tab.detail
    assert [(ln.sku, ln.qty, ln.discount_bp) for ln in detail.lines] == [
        (sku1, 3000, 1000), (sku2, 2000, 0), ("", 1000, 0)]
    assert detail.lines[2].kind == "shipping" and detail.lines[2].unit_price == 4900

    tab.b["confirm"].click()
    settle(qtbot, window)
    assert tab.detail.status == "confirmed"
    assert _stock(bo_store, p1)[1] == before1[1] + 3000  # reserved

    tab.open_deliver()
    dialog = tab.dialog
    settle(qtbot, window)
    dialog.set_quantity(sku1, "4")  # more than ordered: refused, nothing changes
    dialog.submit()
    settle(qtbot, window)
    assert "only 3 is left" in errors.shown[-1][1] and dialog.isVisible()
    assert _stock(bo_store, p1) == (before1[0], before1[1] + 3000, before1[2])
    errors.close_all()
    dialog.set_quantity(sku1, "2")
    dialog.set_quantity(sku2, "2")
    dialog.submit()
    settle(qtbot, window)
    assert not dialog.isVisible()
    d = tab.detail
    assert d.status == "partly_delivered" and len(d.deliveries) == 1
    assert [(ln.delivered, ln.backorder) for ln in d.lines[:2]] == [(2000, 1000), (2000, 0)]
    assert tab.lines.item(0, 5).text() == "1"  # the backorder column
    assert cell(tab.model, tab.table.currentIndex().row(), "delivery").endswith("· backorder")
    assert _stock(bo_store, p1) == (before1[0] - 2000, before1[1] + 1000, before1[2] + 1)
    assert _stock(bo_store, p2) == (before2[0] - 2000, before2[1], before2[2] + 1)


def test_invoice_credit_pay_pdf_and_mail(qtbot, window, bo_store, tmp_path, monkeypatch):
    from pypdf import PdfReader

    from backoffice import errors
    from core.mail.server import save_settings
    from core.mail.smtp import SmtpSettings
    from tests.smtp_sink import start_sink

    # e-mail goes out where commands run: here (LocalGateway), with this data dir's settings
    monkeypatch.setenv("BUTIK_DATA_DIR", str(tmp_path / "data"))
    numbers = make_orders(bo_store, 3)
    tab = window.pages["orders"]
    tab.model.reload()
    settle(qtbot, window)
    assert tab.select_number(numbers[0])
    settle(qtbot, window)
    tab.b["invoice_order"].click()
    settle(qtbot, window)
    inv = tab.detail.invoices[0]
    assert inv.kind == "invoice" and inv.open_amount == inv.total_gross > 0
    tab.invoices.selectRow(0)
    tab.open_credit()
    credit = tab.dialog
    credit.set_quantity(credit.lines[0].sku, "1")
    credit.submit()
    settle(qtbot, window)
    assert errors.shown == []
    credit_note = tab.detail.invoices[1]
    assert credit_note.kind == "credit_note" and credit_note.total_gross == -inv.total_gross
    assert tab.detail.invoices[0].open_amount == 0  # one piece invoiced, one credited
    tab.invoices.selectRow(0)
    tab.save_document("invoice", str(tmp_path / "f.pdf"))
    settle(qtbot, window)
    pdf_text = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / "f.pdf")).pages)
    assert str(inv.number) in pdf_text and inv.ocr in pdf_text
    sink, server = start_sink()
    try:
        save_settings(None, SmtpSettings(host=sink.host, port=sink.port, security="none",
                                         sender="order@butikdemo.se"), "123-4567")
        tab.mail_document("order")
        qtbot.waitUntil(lambda: tab.last_sent is not None, timeout=10000)
        msg = sink.messages[0].message
        assert f"Orderbekräftelse {numbers[0]}" == msg["Subject"]
        assert [a.get_filename() for a in msg.iter_attachments()] == [f"orderbekraftelse-{numbers[0]}.pdf"]
    finally:
        server.shutdown()
        server.server_close()


def test_detail_reads_lines_deliveries_and_history(runner, bo_store):
    make_orders(bo_store, 1)
    with bo_store.read() as s:
        order_id = s.execute(text("SELECT id FROM sales_order")).scalar()
        d = load_detail(s, order_id)
    assert d.status == "partly_delivered" and d.deliveries[0].seq == 1
    assert d.lines[0].backorder == 0 and d.lines[1].backorder == 2000
    assert [e.kind for e in d.events][:2] == ["status", "status"]


def test_back_order_payments_file_quotes_and_mail_settings_are_commands(qtbot, window, bo_store, tmp_path,
                                                                        monkeypatch):
    from backoffice import errors

    monkeypatch.setenv("BUTIK_DATA_DIR", str(tmp_path / "data"))  # where commands run: this PC
    numbers = make_orders(bo_store, 1)
    tab = window.pages["orders"]
    window.tabs.setCurrentWidget(tab)
    tab.model.reload()
    settle(qtbot, window)
    assert tab.select_number(numbers[0])
    settle(qtbot, window)
    assert tab.detail.status == "partly_delivered" and tab.b["close_backorder"].isEnabled()
    tab.b["close_backorder"].click()
    settle(qtbot, window)
    assert tab.detail.status == "delivered" and not tab.detail.lines[1].backorder
    tab.b["invoice_order"].click()
    settle(qtbot, window)
    inv = tab.detail.invoices[0]
    tab.invoices.selectRow(0)
    tab.open_payment()
    tab.dialog.amount.setText("1,00")
    tab.dialog.submit()
    settle(qtbot, window)
    assert errors.shown == [] and tab.detail.invoices[0].open_amount == inv.total_gross - 100
    rest = inv.total_gross - 100
    bank = tmp_path / "bank.csv"
    bank.write_text(f"date;amount;reference\n2026-06-01;{rest // 100}.{rest % 100:02d};{inv.ocr}\n", encoding="utf-8")
    tab.open_import()
    tab.dialog.path.setText(str(bank))
    tab.dialog.start()
    settle(qtbot, window)
    assert "1" in tab.dialog.result_label.text() and tab.detail.invoices[0].settled
    assert tab.detail.status == "closed"

    tab.open_smtp()
    smtp = tab.dialog
    settle(qtbot, window)
    smtp.host.setText("mail.example.se")
    smtp.sender.setText("order@butikdemo.se")
    smtp.bankgiro.setText("123-4567")
    smtp.submit()
    settle(qtbot, window)
    assert errors.shown == [] and not smtp.isVisible()
    assert '"bankgiro": "123-4567"' in (tmp_path / "data" / "config" / "smtp.json").read_text()

    tab.open_quotes()
    quotes = tab.dialog
    settle(qtbot, window)
    quotes.new_quote()
    editor = quotes.editor
    settle(qtbot, window)
    cid, cname = customers(bo_store, 1)[0]
    editor.customer.choose(cid, cname)
    editor.set_line(0, stocked(bo_store, 1)[0][1], "2")
    editor.submit()
    settle(qtbot, window)
    assert errors.shown == [] and not editor.isVisible() and quotes.rows
    quotes.table.selectRow(0)
    quotes.convert()
    settle(qtbot, window)
    assert errors.shown == [] and quotes.rows[0].status == "converted" and quotes.rows[0].order_number


# --- edit a quote, an order's details, e-mail a reminder ------------------------------------------

def _order_row(store, number: int) -> dict:
    with store.read() as s:
        row = s.execute(text("SELECT id, customer_reference, invoice_address, delivery_address, note "
                             "FROM sales_order WHERE number = :n"), {"n": number}).mappings().one()
    out = dict(row)
    for key in ("invoice_address", "delivery_address"):
        if isinstance(out[key], str):
            out[key] = json.loads(out[key])
    return out


def test_edit_a_sent_quote_in_the_editor_prefilled_and_it_becomes_a_draft(qtbot, window, bo_store):
    from backoffice import errors
    from backoffice.tabs.order_quotes import QuoteEditor
    from core.orders.models import Quote
    from core.orders.quotes import QuoteIn, create_quote, mark_sent, quote_lines

    (_p1, sku1), (_p2, sku2) = stocked(bo_store, 2)
    cid, _cname = customers(bo_store, 1)[0]
    with bo_store.write() as s:
        quote = create_quote(s, QuoteIn(channel_id=MANUAL, customer_id=cid, note="first version",
                                        valid_until=dt.date.today() + dt.timedelta(days=10),
                                        lines=[LineIn(sku=sku1, qty=pieces(2), discount_bp=500)]), "test")
        mark_sent(s, quote.id)
        quote_id, number, addresses = quote.id, quote.number, (quote.invoice_address, quote.delivery_address)
        s.commit()
    tab = window.pages["orders"]
    window.tabs.setCurrentWidget(tab)
    tab.open_quotes()
    quotes = tab.dialog
    settle(qtbot, window)
    quotes.table.selectRow([q.number for q in quotes.rows].index(number))
    assert quotes.buttons["edit"].isEnabled()
    quotes.buttons["edit"].click()
    settle(qtbot, window)
    editor = quotes.editor
    assert isinstance(editor, QuoteEditor) and editor.isVisible()
    assert editor.windowTitle() == f"Edit quote {number}"
    assert not editor.notice.isHidden() and "draft again" in editor.notice.text()
    assert [(r.sku, r.qty, r.discount) for r in editor.rows()] == [(sku1, "2", "5")]
    assert editor.channel.currentData() == MANUAL and editor.customer.customer_id == cid
    assert editor.note.text() == "first version"

    editor.set_line(0, sku1, "5", "", "")
    editor.set_line(1, sku2, "1")
    new_until = dt.date.today() + dt.timedelta(days=45)
    editor.valid_until.setDate(new_until)
    editor.note.setText("second version")
    editor.submit()
    settle(qtbot, window)
    assert errors.shown == [] and not editor.isVisible()
    with bo_store.read() as s:
        q = s.get(Quote, quote_id)
        lines = [(ln.sku, ln.qty, ln.discount_bp) for ln in quote_lines(s, quote_id)]
        assert (q.status, q.valid_until, q.note, q.customer_id) == ("draft", new_until, "second version", cid)
        assert (q.invoice_address, q.delivery_address) == addresses
    assert lines == [(sku1, 5000, 0), (sku2, 1000, 0)]
    row = quotes.rows[[r.number for r in quotes.rows].index(number)]
    assert row.status == "draft" and row.valid_until == new_until  # the list shows it too

    # a converted quote cannot be edited: the button says so before anything opens
    quotes.table.selectRow([q.number for q in quotes.rows].index(number))
    quotes.convert()
    settle(qtbot, window)
    quotes.table.selectRow([q.number for q in quotes.rows].index(number))
    assert quotes.selected().status == "converted" and not quotes.buttons["edit"].isEnabled()


def test_edit_an_orders_details_and_a_new_delivery_country_is_refused(qtbot, window, bo_store):
    from backoffice import errors
    from backoffice.tabs.order_details import DetailsDialog

    numbers = make_orders(bo_store, 2)
    tab = window.pages["orders"]
    window.tabs.setCurrentWidget(tab)
    tab.model.reload()
    settle(qtbot, window)
    assert tab.select_number(numbers[1])
    settle(qtbot, window)
    assert tab.detail.status == "new" and tab.b["details"].isEnabled()
    tab.b["details"].click()
    dialog = tab.dialog
    assert isinstance(dialog, DetailsDialog) and dialog.customer_name.text() == tab.detail.customer_name
    dialog.reference.setText("PO-77")
    dialog.note.setText("ring före leverans")
    dialog.terms.setText("20")
    for key, value in (("address1", "Storgatan 9"), ("postal_code", "222 21"), ("city", "Lund"),
                       ("country", "SE")):
        dialog.delivery_address[key].setText(value)
    dialog.invoice_address["address2"].setText("Box 12")
    dialog.submit()
    settle(qtbot, window)
    assert errors.shown == [] and not dialog.isVisible()
    row = _order_row(bo_store, numbers[1])
    assert (row["customer_reference"], row["note"]) == ("PO-77", "ring före leverans")
    assert row["delivery_address"]["address1"] == "Storgatan 9" and row["delivery_address"]["city"] == "Lund"
    assert row["invoice_address"]["address2"] == "Box 12"
    assert tab.detail.payment_terms_days == 20 and "Storgatan 9" in tab.delivery_address.text()

    tab.b["details"].click()
    dialog = tab.dialog
    assert dialog.delivery_address["address1"].text() == "Storgatan 9"  # pre-filled from the replica
    dialog.delivery_address["country"].setText("DE")
    dialog.delivery_address["city"].setText("Berlin")
    dialog.submit()
    settle(qtbot, window)
    assert "delivery country SE" in errors.shown[-1][1] and dialog.isVisible()
    assert _order_row(bo_store, numbers[1]) == row  # nothing changed
    errors.close_all()


def test_email_a_reminder_reaches_the_customer_and_reuses_the_days_reminder(qtbot, window, bo_store, tmp_path,
                                                                           monkeypatch):
    from backoffice import errors
    from core.mail.server import save_settings
    from core.mail.smtp import SmtpSettings
    from tests.smtp_sink import start_sink

    monkeypatch.setenv("BUTIK_DATA_DIR", str(tmp_path / "data"))  # e-mail goes out where commands run
    numbers = make_orders(bo_store, 1)
    tab = window.pages["orders"]
    window.tabs.setCurrentWidget(tab)
    tab.model.reload()
    settle(qtbot, window)
    assert tab.select_number(numbers[0])
    settle(qtbot, window)
    tab.b["invoice_order"].click()
    settle(qtbot, window)
    inv = tab.detail.invoices[0]
    tab.open_receivables()
    dialog = tab.dialog
    dialog.on.setDate(inv.due_date + dt.timedelta(days=10))  # overdue on that day
    settle(qtbot, window)
    dialog.table.selectRow([r.number for r in dialog.rows].index(inv.number))
    sink, server = start_sink()
    try:
        save_settings(None, SmtpSettings(host=sink.host, port=sink.port, security="none",
                                         sender="order@butikdemo.se"), "123-4567")
        dialog.mail.click()
        qtbot.waitUntil(lambda: len(sink.messages) == 1, timeout=10000)
        settle(qtbot, window)
        msg = sink.messages[0].message
        assert msg["Subject"] == f"Påminnelse faktura {inv.number}"
        assert [a.get_filename() for a in msg.iter_attachments()] == [f"paminnelse-{inv.number}-1.pdf"]
        assert errors.shown == [] and dialog.sent.text() == f"Reminder e-mailed to {msg['To']}"
        dialog.table.selectRow([r.number for r in dialog.rows].index(inv.number))
        dialog.mail.click()  # again the same day: the same reminder, not a second one
        qtbot.waitUntil(lambda: len(sink.messages) == 2, timeout=10000)
        settle(qtbot, window)
        assert [a.get_filename() for a in sink.messages[1].message.iter_attachments()] == [
            f"paminnelse-{inv.number}-1.pdf"]
    finally:
        server.shutdown()
        server.server_close()
    with bo_store.read() as s:
        assert s.execute(text("SELECT count(*) FROM invoice_reminder WHERE invoice_id = :i"),
                         {"i": inv.id}).scalar() == 1
