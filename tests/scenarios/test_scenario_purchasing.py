"""Scenario: buying and keeping stock, with exact figures — a purchase order received in two parts at
different prices (average cost 115,00), the supplier's invoice with a price difference flagged, a
stock count with variances and the value change, a transfer received in part, bad input refused
without changes; and a drop-ship customer order delivered end to end without any stock movement."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.errors import ValidationError
from core.inventory.counts import create_count, enter_count, post_count, variance_report
from core.inventory.models import StockMovement
from core.inventory.transfers import create_transfer, in_transit, receive_transfer, send_transfer
from core.inventory.valuation import average_cost, stock_value
from core.orders.delivery import deliveries_of
from core.orders.lifecycle import confirm_order
from core.orders.models import IntegrationTask
from core.orders.pricing import LineIn
from core.orders.service import OrderIn, create_order, get_order, lines_of
from core.purchasing.dropship import (
    confirm_drop_ship_shipment,
    deliver_customer_lines,
    drop_ship_line,
)
from core.purchasing.invoices import (
    InvoiceLineIn,
    SupplierInvoiceIn,
    accounts_payable,
    register_supplier_invoice,
)
from core.purchasing.orders import PoLineIn, confirm_po, create_po, get_po, po_lines, send_po
from core.purchasing.receiving import receive
from core.quantity import pieces
from tests import orders_support, purchasing_support
from tests.purchasing_support import TODAY, WHO, on_hand


def movement_count(store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(StockMovement))


def test_purchase_receive_invoice_count_and_transfer(store):
    run_purchase_scenario(store)


def test_drop_ship_order_end_to_end_without_stock_movement(store):
    run_drop_ship_scenario(store)


@pytest.mark.parametrize("scenario", ["purchase", "drop_ship"])
def test_the_same_scenarios_on_postgresql(pg_url, scenario):
    from core.db import open_store

    pg_store = open_store(pg_url)
    try:
        (run_purchase_scenario if scenario == "purchase" else run_drop_ship_scenario)(pg_store)
    finally:
        pg_store.dispose()


def run_purchase_scenario(store):
    shop = purchasing_support.setup_shop(store)
    tshirt, mugg = shop.p["TSHIRT"], shop.p["MUGG"]

    # --- order 20 T-shirts at 100,00 and 12 mugs at 50,00 from Leverantören -------------------
    with store.write() as s:
        po = create_po(s, shop.supplier, [PoLineIn(tshirt, pieces(20)), PoLineIn(mugg, pieces(12))],
                       WHO, location_id=shop.warehouse, order_date=TODAY)
        send_po(s, po.id, WHO)
        confirm_po(s, po.id, WHO, supplier_reference="OC-5512")
        s.commit()
        po_id, number = po.id, po.number
        l_t, l_m = [ln.id for ln in po_lines(s, po_id)]
    with store.read() as s:
        assert (number, get_po(s, po_id).total) == (1, 20 * 10000 + 12 * 5000)

    # --- first delivery: 10 T-shirts at the ordered 100,00 and all the mugs --------------------
    with store.write() as s:
        receive(s, po_id, {l_t: pieces(10), l_m: pieces(12)}, WHO, on=TODAY)
        s.commit()
    with store.read() as s:
        assert get_po(s, po_id).status == "partly_received"
        assert average_cost(s, tshirt) == 10000
        assert stock_value(s) == 10 * 10000 + 12 * 5000                     # 1 600,00

    # --- the supplier sends 12 where 10 are left: refused, nothing changes ----------------------
    before = movement_count(store)
    with store.write() as s:
        with pytest.raises(ValidationError, match="12 received but only 10 is still owed"):
            receive(s, po_id, {l_t: pieces(12)}, WHO)
        s.commit()
    assert movement_count(store) == before
    assert on_hand(store, tshirt, shop.warehouse) == pieces(10)

    # --- second delivery: the last 10 at 130,00 → average (10×100 + 10×130)/20 = 115,00 ---------
    with store.write() as s:
        receive(s, po_id, {l_t: pieces(10)}, WHO, prices={l_t: 13000}, on=TODAY)
        s.commit()
    with store.read() as s:
        assert get_po(s, po_id).status == "received"
        assert average_cost(s, tshirt) == 11500
        assert stock_value(s) == 20 * 11500 + 12 * 5000                     # 2 900,00
    assert on_hand(store, tshirt, shop.warehouse) == pieces(20)

    # --- the invoice bills all 20 T-shirts at 130,00: the price difference is flagged -----------
    with store.write() as s:
        inv = register_supplier_invoice(s, SupplierInvoiceIn(
            shop.supplier, "INV-77", TODAY + dt.timedelta(days=1),
            [InvoiceLineIn(pieces(20), 13000, l_t), InvoiceLineIn(pieces(12), 5000, l_m)],
            po_id=po_id, vat=80000), WHO)
        s.commit()
        assert (inv.net, inv.vat, inv.total) == (320000, 80000, 400000)
        payable = accounts_payable(s, on=dt.date(2026, 6, 10))
        assert [(p.invoice_number, p.due_date, p.total, p.days_overdue, p.has_differences)
                for p in payable] == [("INV-77", dt.date(2026, 6, 4), 400000, 6, True)]

    # --- a count finds 18 T-shirts and 13 mugs: −2 × 115,00 + 1 × 50,00 = −180,00 ---------------
    with store.write() as s:
        count = create_count(s, shop.warehouse, WHO, product_ids=[tshirt, mugg])
        enter_count(s, count.id, pieces(18), product_id=tshirt)
        enter_count(s, count.id, pieces(13), barcode="7310000000027")
        with pytest.raises(ValidationError, match="cannot be negative"):
            enter_count(s, count.id, pieces(-1), product_id=mugg)
        report = variance_report(s, count.id)
        assert [(ln.sku, ln.variance, ln.value) for ln in report.lines] == [
            ("MUGG", pieces(1), 5000), ("TSHIRT", pieces(-2), -23000)]
        post_count(s, count.id, WHO)
        s.commit()
    with store.read() as s:
        assert stock_value(s) == 290000 - 18000                            # 2 720,00
    assert on_hand(store, mugg, shop.warehouse) == pieces(13)

    # --- 8 T-shirts go to the store; 5 arrive first, 3 later -------------------------------------
    with store.write() as s:
        tr = create_transfer(s, shop.warehouse, shop.store_loc, {tshirt: pieces(8)}, WHO)
        send_transfer(s, tr.id, WHO)
        receive_transfer(s, tr.id, WHO, {tshirt: pieces(5)})
        s.commit()
        tr_id = tr.id
    assert on_hand(store, tshirt, shop.warehouse) == pieces(10)
    assert on_hand(store, tshirt, shop.store_loc) == pieces(5)
    with store.read() as s:
        assert in_transit(s, shop.store_loc) == {tshirt: pieces(3)}
        assert stock_value(s) == 272000 - 3 * 11500                        # 3 on the road
    with store.write() as s:
        receive_transfer(s, tr_id, WHO)
        s.commit()
    assert on_hand(store, tshirt, shop.store_loc) == pieces(8)
    with store.read() as s:
        assert stock_value(s) == 272000
        assert stock_value(s, shop.store_loc) == 8 * 11500


def run_drop_ship_scenario(store):
    shop = orders_support.setup_shop(store)
    soffa = shop.p["SOFFA"]
    before = movement_count(store)

    # --- Anna orders a sofa in the webshop, paid with Klarna --------------------------------------
    with store.write() as s:
        order = create_order(s, OrderIn(
            channel_id=shop.web, channel_order_no="W-2001", customer_id=shop.c["anna"],
            order_date=orders_support.TODAY, payment_provider="klarna",
            payment_reference="kl-abc", payment_authorised=999900,
            lines=[LineIn(product_id=soffa, qty=pieces(1))]), "webshop")
        confirm_order(s, order.id, "lisa")
        line = lines_of(s, order.id)[0]
        assert line.drop_ship and line.reservation_key is None
        ship_to = order.delivery_address
        placed = drop_ship_line(s, order.id, line.id, soffa, pieces(1), ship_to)
        again = drop_ship_line(s, order.id, line.id, soffa, pieces(1), ship_to)
        assert placed == again
        s.commit()
        oid, lid = order.id, line.id
    with store.read() as s:
        po = get_po(s, placed.po_id)
        assert (po.drop_ship, po.ship_to, po.sales_order_id, po.location_id) == (
            True, ship_to, oid, None)
        assert ship_to["city"] == "Göteborg"
        assert [(ln.sku, ln.qty, ln.order_line_id) for ln in po_lines(s, po.id)] == [
            ("SOFFA", pieces(1), lid)]

    # --- the order goes to the supplier, who confirms the shipment with a tracking number --------
    with store.write() as s:
        send_po(s, placed.po_id, "lisa")
        with pytest.raises(ValidationError, match="drop shipment"):
            receive(s, placed.po_id, {placed.po_line_id: pieces(1)}, "lisa")
        shipped = confirm_drop_ship_shipment(s, placed.po_id, tracking="00370712345678901234")
        assert [(c.order_id, c.order_line_id, c.qty) for c in shipped.lines] == [
            (oid, lid, pieces(1))]
        delivery_id = deliver_customer_lines(s, shipped, "lisa")
        assert deliver_customer_lines(s, shipped, "lisa") == delivery_id  # a replay
        s.commit()

    # --- the customer line is delivered; Klarna is captured; no stock moved -----------------------
    with store.read() as s:
        assert get_order(s, oid).status == "delivered"
        assert lines_of(s, oid)[0].delivered_qty == pieces(1)
        [delivery] = deliveries_of(s, oid)
        assert (delivery.id, delivery.drop_ship, delivery.tracking_number, delivery.gross) == (
            delivery_id, True, "00370712345678901234", 999900)
        tasks = {t.type: t for t in s.scalars(select(IntegrationTask).where(
            IntegrationTask.order_id == oid))}
        assert set(tasks) == {"capture_payment"}  # the supplier ships: nothing to book
        assert tasks["capture_payment"].body["amount"] == 999900
        assert get_po(s, placed.po_id).status == "received"
    assert movement_count(store) == before
