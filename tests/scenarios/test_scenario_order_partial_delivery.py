"""Scenario: a webshop order of three lines is delivered in two parts with one line back-ordered,
invoiced per delivery, credited in part and paid — every total and VAT exact to the öre, stock
moved exactly once per delivered unit, and bad input refused without changing anything."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, ValidationError
from core.inventory import MovementIn, record_movements
from core.inventory.models import StockMovement
from core.invoicing.payments import import_bgmax, import_payments_csv
from core.invoicing.receivables import receivables
from core.invoicing.service import balance, credit_invoice, invoice_delivery
from core.invoicing.service import lines_of as inv_lines
from core.orders.delivery import deliver
from core.orders.editing import change_line
from core.orders.lifecycle import cancel_backorder, confirm_order
from core.orders.models import OrderEvent
from core.orders.pricing import LineIn
from core.orders.service import OrderIn, create_order, get_order, lines_of
from core.quantity import pieces
from tests.orders_support import TODAY, on_hand, reserved, setup_shop


def bgmax(ocr: str, amount: int, day: dt.date) -> bytes:
    rows = ["01BGMAX               0120260510120000000000P",
            "050009912346          SEK",
            f"20{'0' * 10}{ocr:<25}{amount:018d}21{'1' * 12}0",
            "26Anna Andersson",
            f"15{'0' * 35}{day:%Y%m%d}00001{amount:018d}SEK{1:08d} ",
            f"70{1:08d}{0:08d}{0:08d}{1:08d}"]
    return ("\r\n".join(r.ljust(80) for r in rows) + "\r\n").encode("latin-1")


def movements(s, product_id: int) -> list[int]:
    return list(s.scalars(select(StockMovement.qty).where(
        StockMovement.product_id == product_id, StockMovement.reason == "delivery")))


def test_order_delivered_in_two_parts_invoiced_credited_and_paid(store):
    run_scenario(store)


def test_the_same_scenario_on_postgresql(pg_url):
    from core.db import open_store

    pg_store = open_store(pg_url)
    try:
        run_scenario(pg_store)
    finally:
        pg_store.dispose()


def run_scenario(store):
    shop = setup_shop(store)
    tshirt, kaffe, bok = shop.p["TSHIRT"], shop.p["KAFFE"], shop.p["BOK"]
    with store.write() as s:  # only one book in stock: the second is back-ordered
        record_movements(s, [MovementIn(bok, shop.warehouse, -pieces(9), "count", None, None, "cnt")])
        s.commit()

    # --- the webshop's order arrives and is confirmed ------------------------------------------
    with store.write() as s:
        order = create_order(s, OrderIn(
            channel_id=shop.web, channel_order_no="W-10045", customer_id=shop.c["anna"],
            order_date=TODAY, lines=[
                LineIn(product_id=tshirt, qty=pieces(3)),                     # 3 × 199,00
                LineIn(product_id=kaffe, qty=pieces(4), discount_bp=1000),    # 4 × 89,50 − 10 %
                LineIn(product_id=bok, qty=pieces(2)),                        # 2 × 249,00
                LineIn(kind="shipping", unit_price=4900)]), "webshop")
        confirm_order(s, order.id, "lisa")
        s.commit()
        oid = order.id
        l_tshirt, l_kaffe, l_bok, _l_ship = [ln.id for ln in lines_of(s, oid)]
    with store.read() as s:
        order = get_order(s, oid)
        assert [ln.amount for ln in lines_of(s, oid)] == [59700, 32220, 49800, 4900]
        assert [ln.vat_rate_bp for ln in lines_of(s, oid)] == [2500, 600, 600, 2500]
        # 25 %: 646,00 incl. → VAT 129,20; 6 %: 820,20 incl. → VAT 46,43
        assert (order.total_gross, order.total_vat, order.total_net) == (146620, 17563, 129057)
        assert order.number == 1 and order.channel_order_no == "W-10045"
    assert reserved(store, tshirt, shop.warehouse) == pieces(3)
    assert reserved(store, bok, shop.warehouse) == pieces(2)

    # --- first delivery: 2 T-shirts, all coffee, the shipping fee rides along --------------------
    with store.write() as s:
        d1 = deliver(s, oid, {l_tshirt: pieces(2), l_kaffe: pieces(4)}, "lisa",
                     on=TODAY, delivery_id="00000000-0000-0000-0000-0000000000d1")
        inv1 = invoice_delivery(s, d1.id, "lisa", on=TODAY)
        s.commit()
        assert (d1.amount, d1.gross) == (76920, 76920)
        assert (inv1.total_gross, inv1.total_vat, inv1.total_net) == (76920, 10764, 66156)
        assert inv1.vat_parts == [{"rate_bp": 2500, "net": 35760, "vat": 8940},
                                  {"rate_bp": 600, "net": 30396, "vat": 1824}]
        assert inv1.due_date == TODAY + dt.timedelta(days=30)
        inv1_id, inv1_ocr = inv1.id, inv1.ocr
    with store.read() as s:
        assert get_order(s, oid).status == "partly_delivered"

    # --- second delivery: the last T-shirt and the one book there is ---------------------------
    with store.write() as s:
        d2 = deliver(s, oid, {l_tshirt: pieces(1), l_bok: pieces(1)}, "lisa", on=TODAY)
        inv2 = invoice_delivery(s, d2.id, "lisa", on=TODAY)
        s.commit()
        assert d2.amount == 44800
        assert (inv2.total_gross, inv2.total_vat, inv2.total_net) == (44800, 5389, 39411)
        assert inv2.number == inv1.number + 1
        inv2_number = inv2.number
    with store.read() as s:
        order = get_order(s, oid)
        assert order.status == "partly_delivered" and order.has_backorder
        assert [ln.qty - ln.delivered_qty for ln in lines_of(s, oid)] == [0, 0, pieces(1), 0]
        # stock moved exactly once per delivered unit; the back order stays reserved
        assert movements(s, tshirt) == [-pieces(2), -pieces(1)]
        assert movements(s, kaffe) == [-pieces(4)]
        assert movements(s, bok) == [-pieces(1)]
    assert on_hand(store, tshirt, shop.warehouse) == pieces(7)
    assert on_hand(store, kaffe, shop.warehouse) == pieces(6)
    assert on_hand(store, bok, shop.warehouse) == 0
    assert reserved(store, tshirt, shop.warehouse) == 0
    assert reserved(store, bok, shop.warehouse) == pieces(1)

    # --- a replayed delivery (same id) moves nothing ------------------------------------------
    with store.write() as s:
        again = deliver(s, oid, {l_tshirt: pieces(2), l_kaffe: pieces(4)}, "lisa",
                        delivery_id="00000000-0000-0000-0000-0000000000d1")
        s.commit()
        assert again.seq == 1
        assert movements(s, tshirt) == [-pieces(2), -pieces(1)]

    # --- bad input is refused and changes nothing ----------------------------------------------
    def snapshot():
        with store.read() as s:
            return (get_order(s, oid).status,
                    [(ln.qty, ln.delivered_qty, ln.amount) for ln in lines_of(s, oid)],
                    s.scalar(select(func.count()).select_from(StockMovement)),
                    s.scalar(select(func.count()).select_from(OrderEvent)),
                    on_hand(store, bok, shop.warehouse), reserved(store, bok, shop.warehouse))

    before = snapshot()
    with store.write() as s, pytest.raises(ValidationError, match=r"line 3 \(BOK\): 2 asked for, "
                                                                  r"but only 1 is left"):
        deliver(s, oid, {l_bok: pieces(2)}, "lisa")
    with store.write() as s, pytest.raises(Conflict, match="already on invoice"):
        invoice_delivery(s, d1.id, "lisa")
    with store.write() as s, pytest.raises(Conflict, match=r"line 2 \(KAFFE\) is delivered"):
        change_line(s, oid, l_kaffe, "lisa", qty=pieces(5))
    assert snapshot() == before

    # --- one T-shirt of the first invoice comes back: credited -----------------------------------
    with store.write() as s:
        tshirt_line = next(ln for ln in inv_lines(s, inv1_id) if ln.sku == "TSHIRT")
        credit = credit_invoice(s, inv1_id, "lisa", {tshirt_line.id: pieces(1)}, on=TODAY,
                                reason="retur")
        s.commit()
        assert (credit.total_gross, credit.total_vat, credit.total_net) == (-19900, -3980, -15920)
        assert credit.kind == "credit_note" and credit.credited_invoice_id == inv1_id
        assert balance(s, s.get(type(credit), inv1_id)) == 57020
        tshirt_line_id = tshirt_line.id
    with store.write() as s, pytest.raises(ValidationError, match="only 1 is left"):
        credit_invoice(s, inv1_id, "lisa", {tshirt_line_id: pieces(2)})

    ageing = None
    with store.read() as s:
        ageing = receivables(s, TODAY + dt.timedelta(days=45))
        assert [(r.number, r.open_amount, r.bucket) for r in ageing.rows] == [
            (inv1.number, 57020, "1-30"), (inv2_number, 44800, "1-30")]
        assert ageing.total() == 101820

    # --- payments: the bank's OCR file and a CSV from the bank ----------------------------------
    with store.write() as s:
        result = import_bgmax(s, bgmax(inv1_ocr, 57020, TODAY + dt.timedelta(days=20)), "ekonomi")
        csv_result = import_payments_csv(
            s, f"date;amount;reference;payer\n2026-06-01;448,00;{inv2_number};Anna\n".encode(),
            "ekonomi")
        s.commit()
        assert len(result.matched) == 1 and not result.unmatched
        assert len(csv_result.matched) == 1
    with store.write() as s:  # the same file again changes nothing
        assert import_bgmax(s, bgmax(inv1_ocr, 57020, TODAY + dt.timedelta(days=20)),
                            "ekonomi").skipped == 1
        s.commit()
    with store.read() as s:
        assert receivables(s, TODAY + dt.timedelta(days=45)).rows == []
        assert get_order(s, oid).status == "partly_delivered"

    # --- the back-ordered book will not come: the rest is cancelled, the order closes -----------
    with store.write() as s:
        cancel_backorder(s, oid, "lisa", "förlaget har slutat trycka boken")
        s.commit()
    with store.read() as s:
        order = get_order(s, oid)
        assert order.status == "closed"
        assert [ln.qty for ln in lines_of(s, oid)] == [pieces(3), pieces(4), pieces(1), pieces(1)]
        assert order.total_gross == 76920 + 44800
        history = [(e.from_status, e.to_status) for e in s.scalars(
            select(OrderEvent).where(OrderEvent.order_id == oid, OrderEvent.kind == "status")
            .order_by(OrderEvent.id))]
        assert history == [(None, "new"), ("new", "confirmed"), ("confirmed", "partly_delivered"),
                           ("partly_delivered", "delivered"), ("delivered", "invoiced"),
                           ("invoiced", "closed")]
    assert reserved(store, bok, shop.warehouse) == 0
