"""Purchasing on a real SQLite file: suppliers, purchase orders, receipts, supplier invoices, reorder, PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from core.documents.purchase_order_pdf import purchase_order_pdf
from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.inventory.models import StockMovement
from core.inventory.valuation import average_cost
from core.numbering import last_number
from core.purchasing.invoices import (
    InvoiceLineIn,
    SupplierInvoiceIn,
    accounts_payable,
    differences,
    mark_paid,
    register_supplier_invoice,
)
from core.purchasing.orders import (
    PoLineIn,
    add_line,
    cancel_po,
    change_line,
    close_po,
    confirm_po,
    create_po,
    get_po,
    on_order,
    po_lines,
    send_po,
)
from core.purchasing.receiving import line_for_barcode, receipts_of, receive, receive_scanned
from core.purchasing.reorder import (
    create_pos_from_suggestions,
    reorder_suggestions,
    set_reorder_point,
)
from core.purchasing.suppliers import (
    SupplierIn,
    create_supplier,
    list_suppliers,
    set_supplier_article,
    supplier_of,
    update_supplier,
)
from core.quantity import pieces
from tests.purchasing_support import TODAY, WHO, on_hand, setup_shop


@pytest.fixture
def shop(store):
    return setup_shop(store)


def _sent_po(s, shop, lines, **kw):
    po = create_po(s, shop.supplier, lines, WHO, location_id=shop.warehouse, order_date=TODAY,
                   **kw)
    send_po(s, po.id, WHO)
    return po


def _movements(s) -> int:
    return s.scalar(select(func.count()).select_from(StockMovement))


# --- suppliers -------------------------------------------------------------------------------

def test_supplier_terms_currency_and_articles(store, shop):
    with store.write() as s:
        update_supplier(s, shop.supplier, lead_time_days=10, payment_terms_days=45)
        names = [x.code for x in list_suppliers(s)]
        assert names == ["EURO", "LEV1", "MOBEL"]
        with pytest.raises(Conflict, match="code LEV1 is taken"):
            create_supplier(s, SupplierIn(code="LEV1", name="Dubblett"))
        with pytest.raises(ValidationError, match="unknown currency"):
            update_supplier(s, shop.supplier, currency="XXX")
        with pytest.raises(ValidationError) as exc:
            set_supplier_article(s, shop.supplier, shop.p["MUGG"], "L-200", -1)
        assert exc.value.field == "price"
        # a second supplier article made preferred takes over reordering
        assert supplier_of(s, shop.p["KAFFE"]) == shop.euro
        set_supplier_article(s, shop.supplier, shop.p["KAFFE"], "LK-1", 4100)
        assert supplier_of(s, shop.p["KAFFE"]) == shop.supplier


# --- purchase orders --------------------------------------------------------------------------

def test_a_po_is_numbered_gap_free_priced_from_the_supplier_article_and_dated_by_lead_time(
        store, shop):
    with store.write() as s:
        first = create_po(s, shop.supplier, [PoLineIn(shop.p["TSHIRT"], pieces(10)),
                                             PoLineIn(shop.p["MUGG"], pieces(12))],
                          WHO, location_id=shop.warehouse, order_date=TODAY)
        assert first.number == 1
        assert first.expected_date == TODAY + dt.timedelta(days=7)
        lines = po_lines(s, first.id)
        assert [(ln.supplier_sku, ln.unit_price, ln.amount) for ln in lines] == [
            ("L-100", 10000, 100000), ("L-200", 5000, 60000)]
        assert first.total == 160000
        with pytest.raises(ValidationError):  # a refused order gives its number back
            create_po(s, shop.supplier, [PoLineIn(shop.p["SET"], pieces(1))], WHO,
                      location_id=shop.warehouse)
        second = create_po(s, shop.supplier, [PoLineIn(shop.p["TSHIRT"], pieces(1))], WHO,
                           location_id=shop.warehouse)
        assert second.number == 2
        assert last_number(s, "purchase_order") == 2
        s.commit()


def test_only_a_draft_is_edited_and_lifecycle_steps_are_checked(store, shop):
    with store.write() as s:
        po = create_po(s, shop.supplier, [PoLineIn(shop.p["TSHIRT"], pieces(10))], WHO,
                       location_id=shop.warehouse)
        extra = add_line(s, po.id, PoLineIn(shop.p["MUGG"], pieces(6), unit_price=4500))
        change_line(s, po.id, extra.id, qty=pieces(12))
        assert po.total == 100000 + 54000
        with pytest.raises(InvalidTransition, match="draft and cannot become confirmed"):
            confirm_po(s, po.id, WHO)
        send_po(s, po.id, WHO)
        with pytest.raises(InvalidTransition, match="only a draft can be edited"):
            add_line(s, po.id, PoLineIn(shop.p["KAFFE"], pieces(1), unit_price=1))
        confirm_po(s, po.id, WHO, supplier_reference="SO-881")
        assert get_po(s, po.id).status == "confirmed"
        cancel_po(s, po.id, WHO)
        assert [ln.cancelled_qty for ln in po_lines(s, po.id)] == [pieces(10), pieces(12)]
        with pytest.raises(InvalidTransition):
            send_po(s, po.id, WHO)


def test_foreign_currency_needs_a_rate_and_receipts_cost_in_kronor(store, shop):
    with store.write() as s:
        with pytest.raises(ValidationError, match="invoices in EUR") as exc:
            create_po(s, shop.euro, [PoLineIn(shop.p["KAFFE"], pieces(1))], WHO,
                      location_id=shop.warehouse)
        assert exc.value.field == "exchange_rate_micro"
        po = create_po(s, shop.euro, [PoLineIn(shop.p["KAFFE"], pieces(100))], WHO,
                       location_id=shop.warehouse, exchange_rate_micro=11_500_000)
        send_po(s, po.id, WHO)
        receive(s, po.id, {po_lines(s, po.id)[0].id: pieces(100)}, WHO)
        assert average_cost(s, shop.p["KAFFE"]) == 4025  # 3,50 EUR × 11,50


def test_receiving_more_than_ordered_is_refused_unless_confirmed(store, shop):
    with store.write() as s:
        po = _sent_po(s, shop, [PoLineIn(shop.p["TSHIRT"], pieces(10))])
        line = po_lines(s, po.id)[0]
        s.commit()
    with store.write() as s:
        before = _movements(s)
        with pytest.raises(ValidationError, match="12 received but only 10 is still owed") as exc:
            receive(s, po.id, {line.id: pieces(12)}, WHO)
        assert "confirm" in exc.value.hint
        s.commit()
    with store.read() as s:  # nothing changed
        assert _movements(s) == before
        assert po_lines(s, po.id)[0].received_qty == 0
        assert receipts_of(s, po.id) == []
        assert average_cost(s, shop.p["TSHIRT"]) is None
    with store.write() as s:
        receive(s, po.id, {line.id: pieces(12)}, WHO, allow_over=True)
        assert get_po(s, po.id).status == "received"
        s.commit()
    assert on_hand(store, shop.p["TSHIRT"], shop.warehouse) == pieces(12)


def test_a_replayed_receipt_moves_nothing_twice(store, shop):
    with store.write() as s:
        po = _sent_po(s, shop, [PoLineIn(shop.p["TSHIRT"], pieces(10))])
        line = po_lines(s, po.id)[0]
        first = receive(s, po.id, {line.id: pieces(4)}, WHO, receipt_id="r-1")
        again = receive(s, po.id, {line.id: pieces(4)}, WHO, receipt_id="r-1")
        assert first.id == again.id
        assert po_lines(s, po.id)[0].received_qty == pieces(4)
        s.commit()
    assert on_hand(store, shop.p["TSHIRT"], shop.warehouse) == pieces(4)


def test_scan_to_receive_counts_one_piece_per_scan(store, shop):
    with store.write() as s:
        po = _sent_po(s, shop, [PoLineIn(shop.p["TSHIRT"], pieces(3)),
                                PoLineIn(shop.p["MUGG"], pieces(6))])
        assert line_for_barcode(s, po.id, "7310000000010").sku == "TSHIRT"
        with pytest.raises(NotFound, match="no product has barcode 7310000000034"):
            line_for_barcode(s, po.id, "7310000000034")
        only_tshirts = _sent_po(s, shop, [PoLineIn(shop.p["TSHIRT"], pieces(1))])
        with pytest.raises(NotFound, match="barcode 7310000000027 is not on purchase order 2"):
            receive_scanned(s, only_tshirts.id, ["7310000000010", "7310000000027"], WHO)
        assert po_lines(s, only_tshirts.id)[0].received_qty == 0
        receive_scanned(s, po.id, ["7310000000010", "7310000000027", "7310000000010"], WHO)
        got = {ln.sku: ln.received_qty for ln in po_lines(s, po.id)}
        assert got == {"TSHIRT": pieces(2), "MUGG": pieces(1)}
        assert get_po(s, po.id).status == "partly_received"


def test_close_with_backorder_carries_the_rest_to_a_new_order(store, shop):
    with store.write() as s:
        po = _sent_po(s, shop, [PoLineIn(shop.p["TSHIRT"], pieces(10)),
                                PoLineIn(shop.p["MUGG"], pieces(12))])
        confirm_po(s, po.id, WHO)
        t, m = po_lines(s, po.id)
        receive(s, po.id, {t.id: pieces(6), m.id: pieces(12)}, WHO)
        assert on_order(s, location_id=shop.warehouse) == {shop.p["TSHIRT"]: pieces(4)}
        closed, back = close_po(s, po.id, WHO, backorder=True)
        assert closed.status == "closed"
        assert back.status == "confirmed" and back.backorder_of == po.id
        assert [(ln.sku, ln.qty, ln.unit_price) for ln in po_lines(s, back.id)] == [
            ("TSHIRT", pieces(4), 10000)]
        assert t.cancelled_qty == pieces(4)
        assert on_order(s, location_id=shop.warehouse) == {shop.p["TSHIRT"]: pieces(4)}
        # without a back order the rest is simply cancelled
        receive(s, back.id, {po_lines(s, back.id)[0].id: pieces(1)}, WHO)
        _, none = close_po(s, back.id, WHO)
        assert none is None
        assert on_order(s) == {}


# --- supplier invoices -----------------------------------------------------------------------

def test_supplier_invoice_flags_price_and_quantity_differences_and_is_payable(store, shop):
    with store.write() as s:
        po = _sent_po(s, shop, [PoLineIn(shop.p["TSHIRT"], pieces(10)),
                                PoLineIn(shop.p["MUGG"], pieces(12))])
        t, m = po_lines(s, po.id)
        receive(s, po.id, {t.id: pieces(10), m.id: pieces(10)}, WHO)
        exact = register_supplier_invoice(s, SupplierInvoiceIn(
            shop.supplier, "F-100", TODAY, [InvoiceLineIn(pieces(10), 10000, t.id)],
            po_id=po.id, vat=25000), WHO)
        assert (exact.net, exact.vat, exact.total) == (100000, 25000, 125000)
        assert exact.due_date == TODAY + dt.timedelta(days=30)
        assert not exact.has_differences
        off = register_supplier_invoice(s, SupplierInvoiceIn(
            shop.supplier, "F-101", TODAY + dt.timedelta(days=2),
            [InvoiceLineIn(pieces(12), 5200, m.id)], po_id=po.id, vat=15600), WHO)
        assert off.has_differences
        assert {(d.kind, d.expected, d.invoiced) for d in differences(s, off.id)} == {
            ("qty", pieces(10), pieces(12)), ("price", 5000, 5200)}
        with pytest.raises(Conflict, match="F-100 from Leverantören AB is already registered"):
            register_supplier_invoice(s, SupplierInvoiceIn(
                shop.supplier, "F-100", TODAY, [InvoiceLineIn(pieces(1), 1)]), WHO)
        payable = accounts_payable(s, on=TODAY + dt.timedelta(days=31))
        assert [(p.invoice_number, p.due_date, p.total, p.days_overdue, p.has_differences)
                for p in payable] == [
            ("F-100", dt.date(2026, 6, 3), 125000, 1, False),
            ("F-101", dt.date(2026, 6, 5), 78000, 0, True)]
        mark_paid(s, exact.id, TODAY + dt.timedelta(days=29))
        assert [p.invoice_number for p in accounts_payable(s)] == ["F-101"]
        with pytest.raises(InvalidTransition):
            mark_paid(s, exact.id, TODAY)


# --- reorder ---------------------------------------------------------------------------------

def test_reorder_suggestion_per_supplier_becomes_purchase_orders(store, shop):
    with store.write() as s:
        set_reorder_point(s, shop.p["TSHIRT"], shop.warehouse, pieces(5), pieces(20))
        set_reorder_point(s, shop.p["MUGG"], shop.warehouse, pieces(2), pieces(10))
        set_reorder_point(s, shop.p["KAFFE"], shop.warehouse, pieces(3), pieces(8))
        with pytest.raises(ValidationError, match="above the reorder point"):
            set_reorder_point(s, shop.p["MUGG"], shop.warehouse, pieces(5), pieces(5))
        # T-shirts: 3 on hand, 2 already on order → 5 ≤ 5, order 15
        po = _sent_po(s, shop, [PoLineIn(shop.p["TSHIRT"], pieces(5))])
        receive(s, po.id, {po_lines(s, po.id)[0].id: pieces(3)}, WHO)
        _closed, back = close_po(s, po.id, WHO, backorder=True)
        assert back.status == "sent"  # still owed: 2
        s.commit()
    with store.write() as s:
        suggestions = reorder_suggestions(s, location_id=shop.warehouse)
        got = [(g.supplier_name, [(ln.sku, ln.available, ln.on_order, ln.qty) for ln in g.lines])
               for g in suggestions]
        assert got == [
            ("Euro GmbH", [("KAFFE", 0, 0, pieces(8))]),
            # mugs come in packs of 6: 10 needed → 12
            ("Leverantören AB", [("MUGG", 0, 0, pieces(12)), ("TSHIRT", pieces(3), pieces(2),
                                                              pieces(15))])]
        lev = [g for g in suggestions if g.supplier_id == shop.supplier]
        pos = create_pos_from_suggestions(s, lev, WHO)
        assert len(pos) == 1 and pos[0].status == "draft"
        assert [(ln.sku, ln.qty, ln.unit_price) for ln in po_lines(s, pos[0].id)] == [
            ("MUGG", pieces(12), 5000), ("TSHIRT", pieces(15), 10000)]


# --- the PDF ---------------------------------------------------------------------------------

def test_purchase_order_pdf_reads_back(store, shop):
    with store.write() as s:
        po = create_po(s, shop.supplier, [PoLineIn(shop.p["TSHIRT"], pieces(10))], WHO,
                       location_id=shop.warehouse, order_date=TODAY)
        text = "\n".join(p.extract_text() for p in PdfReader(
            io.BytesIO(purchase_order_pdf(s, po.id))).pages)
    for expected in ("Inköpsorder", "Leverantören AB", "Industrivägen 3", "L-100",
                     "T-shirt röd", "1 000,00", "Centrallager", "Butiken AB"):
        assert expected in text
