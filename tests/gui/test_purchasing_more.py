"""Purchasing screens beyond the PO list, as table models without a window: suppliers and their
articles, a supplier invoice with a flagged price difference and accounts payable, reorder → PO,
stock value, sending a PO (PDF + e-mail) and a drop-ship shipment that delivers the customer line."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from backoffice.models import dropship_model as dm
from backoffice.models import payables_model as pm
from backoffice.models import po_send_model as ps
from backoffice.models import reorder_model as rm
from backoffice.models import suppliers_model as sm
from backoffice.models.valuation_model import ValuationModel, valuation_summary
from backoffice.worker import SyncRunner
from core.errors import ValidationError
from core.inventory.models import StockMovement
from core.mail.smtp import SmtpSettings
from core.purchasing.orders import PoLineIn, create_po, get_po, send_po
from core.purchasing.receiving import receive
from core.quantity import pieces
from tests import purchasing_support
from tests.purchasing_support import WHO


@pytest.fixture
def shop(store):
    return purchasing_support.setup_shop(store)


@pytest.fixture
def runner(store):
    return SyncRunner(store)


def _po(store, shop, qty=10, price=10000, receive_qty=None) -> int:
    with store.write() as s:
        po = create_po(s, shop.supplier, [PoLineIn(shop.p["TSHIRT"], pieces(qty), price)], WHO,
                       location_id=shop.warehouse)
        if receive_qty is not None:
            send_po(s, po.id, WHO)
            from core.purchasing.orders import po_lines
            lines = {ln.id: pieces(receive_qty) for ln in po_lines(s, po.id)}
            receive(s, po.id, lines, WHO)
        s.commit()
        return po.id


def test_a_new_supplier_and_its_article_show_in_the_lists(runner, store, shop):
    texts = {k: "" for k, _ in sm.FORM_FIELDS} | {
        "code": "NYLEV", "name": "Nya Leverantören AB", "currency": "eur", "payment_terms_days": "14",
        "lead_time_days": "5", "email": "inkop@nylev.se", "city": "Malmö", "our_customer_no": "K-778"}
    runner.command(*sm.supplier_command(None, texts))
    assert runner.announced == ["purchasing"]
    model = sm.SuppliersModel()
    model.load(runner, sm.supplier_rows)
    [row] = [r for r in model.rows if r.code == "NYLEV"]
    assert (row.currency, row.payment_terms_days, row.lead_time_days, row.our_customer_no) == (
        "EUR", 14, 5, "K-778")
    r = model.rows.index(row)
    assert model.text(r, "active") == "yes" and model.text(r, "articles") == "0"
    assert [t for _k, t in model.COLUMNS][:3] == ["Code", "Name", "Currency"]

    runner.command("suppliers.set_article", {"supplier_id": row.id, "sku": "KAFFE", "supplier_sku": "NY-K1",
                                             "price": 3950, "pack_qty": pieces(12)})
    articles = sm.ArticlesModel()
    articles.load(runner, lambda s: sm.article_rows(s, row.id))
    assert [(a.sku, a.supplier_sku, a.price, a.pack_qty, a.preferred) for a in articles.rows] == [
        ("KAFFE", "NY-K1", 3950, 12000, True)]
    assert (articles.text(0, "price"), articles.text(0, "pack_qty")) == ("39,50", "12")

    # editing keeps the fields not shown changed; bad days are refused with the field named
    form = {}
    runner.read(lambda s: sm.supplier_form(s, row.id), form.update)
    assert form["email"] == "inkop@nylev.se" and form["payment_terms_days"] == "14"
    runner.command(*sm.supplier_command(row.id, form | {"lead_time_days": "9"}))
    with pytest.raises(ValidationError) as refused:
        runner.command(*sm.supplier_command(row.id, form | {"payment_terms_days": "tio"}))
    assert refused.value.field == "payment_terms_days"
    model.load(runner, sm.supplier_rows)
    assert [r.lead_time_days for r in model.rows if r.code == "NYLEV"] == [9]


def test_supplier_invoice_against_a_po_flags_a_price_difference_and_lands_in_payables(runner, store, shop):
    po_id = _po(store, shop, qty=10, price=10000, receive_qty=10)
    drafts = []
    runner.read(lambda s: pm.invoice_draft_lines(s, po_id), drafts.extend)
    [line] = drafts
    assert (line.sku, line.received, line.to_invoice, line.unit_price) == ("TSHIRT", 10000, 10000, 10000)
    got = []
    runner.command("supplier_invoices.register",
                   pm.invoice_args(po_id, "F-5501", dt.date(2026, 5, 10), {line.po_line_id: (pieces(10), 10500)},
                                   vat=26250), lambda r: got.append(pm.RegisteredInvoice.from_result(r)))
    [inv] = got
    assert (inv.total, inv.due_date) == (131250, dt.date(2026, 6, 9))  # 30 days' terms
    assert [(d.kind, d.expected, d.invoiced, d.text()) for d in inv.differences] == [
        ("price", 10000, 10500, "TSHIRT: 100,00 → 105,00")]

    payables = pm.PayablesModel()
    payables.load(runner, lambda s: pm.payable_rows(s, on=dt.date(2026, 6, 12)))
    [p] = payables.rows
    assert (p.invoice_number, p.po_number, p.days_overdue, p.has_differences) == (
        "F-5501", get_po_number(store, po_id), 3, True)
    assert payables.text(0, "total").replace("\xa0", " ") == "1 312,50 SEK"
    assert payables.text(0, "has_differences") == "yes" and payables.text(0, "due_date") == "2026-06-09"

    runner.command("supplier_invoices.mark_paid", {"invoice_id": p.invoice_id, "paid_on": "2026-06-12"})
    payables.load(runner, lambda s: pm.payable_rows(s))
    assert payables.rows == []
    with pytest.raises(Exception, match="already registered"):
        runner.command("supplier_invoices.register", pm.invoice_args(
            po_id, "F-5501", dt.date(2026, 5, 10), {line.po_line_id: (pieces(1), 10000)}))


def get_po_number(store, po_id):
    with store.read() as s:
        return get_po(s, po_id).number


def test_reorder_points_give_a_suggestion_per_supplier_that_becomes_a_purchase_order(runner, store, shop):
    for sku, point, up_to in (("TSHIRT", 5, 20), ("MUGG", 2, 10)):
        runner.command("reorder.set_point", {"sku": sku, "location_id": shop.warehouse,
                                             "reorder_point": pieces(point), "order_up_to": pieces(up_to)})
    points = rm.ReorderPointsModel()
    points.load(runner, lambda s: rm.reorder_point_rows(s, shop.warehouse))
    assert [(r.sku, points.text(i, "reorder_point"), points.text(i, "order_up_to"))
            for i, r in enumerate(points.rows)] == [("MUGG", "2", "10"), ("TSHIRT", "5", "20")]

    model = rm.SuggestionsModel()
    model.load(runner, lambda s: rm.suggestion_rows(s, shop.warehouse))
    assert [(r.supplier, r.sku, r.qty, r.unit_price) for r in model.rows] == [
        ("Leverantören AB", "MUGG", 12000, 5000),     # 10 rounded up to whole packs of 6
        ("Leverantören AB", "TSHIRT", 20000, 10000)]
    assert model.text(0, "qty") == "12" and model.text(1, "unit_price") == "100,00"

    numbers = []
    runner.command("reorder.create_pos", rm.create_pos_args([model.rows[1]]), lambda r: numbers.extend(r["numbers"]))
    [number] = numbers
    from core.purchasing.orders import po_by_number, po_lines
    with store.read() as s:
        po = po_by_number(s, number)
        assert (po.status, po.supplier_id, po.location_id, po.total) == ("draft", shop.supplier, shop.warehouse,
                                                                         200000)
        assert [(ln.sku, ln.qty) for ln in po_lines(s, po.id)] == [("TSHIRT", 20000)]
        po_id = po.id
    runner.command("purchase_orders.send", {"po_id": po_id})
    model.load(runner, lambda s: rm.suggestion_rows(s, shop.warehouse))
    assert [r.sku for r in model.rows] == ["MUGG"]  # the T-shirt is on order once the PO is sent
    with pytest.raises(ValidationError, match="at least one"):
        runner.command("reorder.create_pos", rm.create_pos_args([]))


def test_stock_value_per_product_with_total_and_per_location(runner, store, shop):
    _po(store, shop, qty=10, price=10000, receive_qty=10)
    model = ValuationModel(runner, page_size=1)
    model.reload()
    model.fetch_all_for_test()
    assert [(r.sku, r.on_hand, r.avg_cost, r.value) for r in model.rows] == [("TSHIRT", 10000, 10000, 100000)]
    assert model.data(model.index(0, model.column("value"))).replace("\xa0", " ") == "1 000,00"
    got = []
    runner.read(valuation_summary, got.append)
    [summary] = got
    assert summary.total == 100000
    assert [(v.location, v.value) for v in summary.locations] == [
        ("LAGER — Centrallager", 100000), ("BUTIK — Butiken", 0)]
    model.set_location(shop.store_loc)
    assert model.rows == []


def test_sending_a_draft_marks_it_sent_and_gives_the_pdf_and_the_mail(runner, store, shop, tmp_path):
    po_id = _po(store, shop)
    runner.command("purchase_orders.send", {"po_id": po_id})
    docs = []
    runner.read(lambda s: (ps.po_status(s, po_id), ps.po_document(s, po_id)), docs.append)
    [(status, doc)] = docs
    assert status == "sent" and doc.pdf.startswith(b"%PDF") and doc.supplier_email == "order@lev.se"
    path = ps.save_pdf(doc, tmp_path / ps.filename(doc.number))
    assert path.read_bytes() == doc.pdf
    msg = ps.po_message(SmtpSettings(host="smtp.example.se", sender="order@butiken.se"), doc)
    assert msg["To"] == "order@lev.se" and msg["Subject"] == f"Inköpsorder {doc.number}"
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == ps.filename(doc.number)
    with pytest.raises(Exception, match="sent"):  # a sent PO is not sent twice
        runner.command("purchase_orders.send", {"po_id": po_id})
    with pytest.raises(ValidationError, match="no e-mail address"):
        ps.po_message(SmtpSettings(host="smtp.example.se", sender="order@butiken.se"),
                      ps.PoDocument(1, 1, b"", "X AB", None, None))


def test_drop_ship_confirmation_delivers_the_customer_line_without_stock_movement(store):
    from core.orders.lifecycle import confirm_order
    from core.orders.pricing import LineIn
    from core.orders.service import OrderIn, create_order, get_order, lines_of
    from core.purchasing.dropship import drop_ship_line
    from tests import orders_support

    shop = orders_support.setup_shop(store)
    with store.write() as s:
        order = create_order(s, OrderIn(channel_id=shop.web, channel_order_no="W-77", customer_id=shop.c["anna"],
                                        order_date=orders_support.TODAY, lines=[
                                            LineIn(product_id=shop.p["SOFFA"], qty=pieces(1))]), "webshop")
        confirm_order(s, order.id, "lisa")
        line = lines_of(s, order.id)[0]
        placed = drop_ship_line(s, order.id, line.id, shop.p["SOFFA"], pieces(1), order.delivery_address)
        send_po(s, placed.po_id, "lisa")
        s.commit()
        order_id, order_number = order.id, order.number
    runner = SyncRunner(store)
    model = dm.DropShipModel()
    model.load(runner, dm.drop_ship_rows)
    [row] = model.rows
    assert (row.po_id, row.order_number, row.status, row.owed) == (placed.po_id, order_number, "sent", 1000)
    assert "Göteborg" in row.ship_to and model.text(0, "owed") == "1"
    with store.read() as s:
        moves = s.scalar(select(func.count()).select_from(StockMovement))
    delivered = []
    runner.command("dropship.confirm", {"po_id": placed.po_id, "tracking": " 00370712345678901234 "},
                   delivered.append)
    assert delivered[0]["delivery_id"] is not None and runner.announced == ["orders"]
    with store.read() as s:
        assert get_order(s, order_id).status == "delivered"
        assert lines_of(s, order_id)[0].delivered_qty == pieces(1)
        assert s.scalar(select(func.count()).select_from(StockMovement)) == moves
    model.load(runner, dm.drop_ship_rows)
    assert model.rows == []
    with pytest.raises(Exception, match="po_number"):
        runner.command("dropship.import_file", {"text": "order;sku\n1;X\n"})
