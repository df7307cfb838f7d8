"""Drop shipping on the purchasing side: lines gathered per customer order, shipments confirmed by hand or file."""

from __future__ import annotations

import pytest

from core.errors import Conflict, InvalidTransition, RowErrors, ValidationError
from core.purchasing.dropship import (
    confirm_drop_ship_shipment,
    drop_ship_line,
    import_shipment_file,
)
from core.purchasing.orders import close_po, get_po, on_order, po_lines, send_po
from core.quantity import pieces
from tests.purchasing_support import setup_shop

ANNA = {"name": "Anna Andersson", "address1": "Kundvägen 2", "postal_code": "41101",
        "city": "Göteborg", "country": "SE"}
OLA = {**ANNA, "name": "Ola Nordmann"}


@pytest.fixture
def shop(store):
    return setup_shop(store)


def test_lines_of_one_customer_order_share_a_draft_po_and_a_replay_adds_nothing(store, shop):
    soffa = shop.p["SOFFA"]
    with store.write() as s:
        a = drop_ship_line(s, "order-1", "line-1", soffa, pieces(1), ANNA)
        b = drop_ship_line(s, "order-1", "line-2", soffa, pieces(2), ANNA)
        assert a.po_id == b.po_id and a.po_number == 1
        assert drop_ship_line(s, "order-1", "line-1", soffa, pieces(1), ANNA) == a
        with pytest.raises(Conflict, match="already on purchase order 1"):
            drop_ship_line(s, "order-1", "line-1", soffa, pieces(5), ANNA)
        other = drop_ship_line(s, "order-2", "line-3", soffa, pieces(1), OLA)
        assert other.po_id != a.po_id
        po = get_po(s, a.po_id)
        assert (po.supplier_id, po.ship_to, po.total) == (shop.dropper, ANNA, 3 * 700000)
        assert [ln.unit_price for ln in po_lines(s, po.id)] == [700000, 700000]
        # once sent, a new line of the same order goes on a new purchase order
        send_po(s, po.id, "lisa")
        later = drop_ship_line(s, "order-1", "line-4", soffa, pieces(1), ANNA)
        assert later.po_id not in (a.po_id, other.po_id)
        # drop-ship orders are not stock on order
        assert on_order(s) == {}
        with pytest.raises(ValidationError, match="not a drop-ship product"):
            drop_ship_line(s, "order-1", "line-5", shop.p["TSHIRT"], pieces(1), ANNA)


def test_a_shipment_is_confirmed_in_parts_and_an_unsent_order_is_refused(store, shop):
    soffa = shop.p["SOFFA"]
    with store.write() as s:
        placed = drop_ship_line(s, "order-1", "line-1", soffa, pieces(3), ANNA)
        with pytest.raises(InvalidTransition, match="draft"):
            confirm_drop_ship_shipment(s, placed.po_id)
        send_po(s, placed.po_id, "lisa")
        first = confirm_drop_ship_shipment(s, placed.po_id, {placed.po_line_id: pieces(1)},
                                           tracking="T1")
        assert [(c.order_id, c.order_line_id, c.qty) for c in first.lines] == [
            ("order-1", "line-1", pieces(1))]
        assert get_po(s, placed.po_id).status == "partly_received"
        with pytest.raises(ValidationError, match="3 received but only 2 is still owed"):
            confirm_drop_ship_shipment(s, placed.po_id, {placed.po_line_id: pieces(3)})
        rest = confirm_drop_ship_shipment(s, placed.po_id)
        assert rest.lines[0].qty == pieces(2)
        assert get_po(s, placed.po_id).status == "received"
        with pytest.raises(ValidationError, match="everything .* has been shipped"):
            confirm_drop_ship_shipment(s, placed.po_id)


def test_shipments_from_the_supplier_file_are_checked_first_then_confirmed(store, shop):
    soffa = shop.p["SOFFA"]
    with store.write() as s:
        one = drop_ship_line(s, "order-1", "line-1", soffa, pieces(2), ANNA)
        two = drop_ship_line(s, "order-2", "line-2", soffa, pieces(1), OLA)
        send_po(s, one.po_id, "lisa")
        send_po(s, two.po_id, "lisa")
        bad = "po_number;sku;qty;tracking\n1;SOF-9;1;T1\n9;SOF-9;1;T2\n2;NOPE;1;T3\n"
        with pytest.raises(RowErrors) as exc:
            import_shipment_file(s, bad, "edi")
        assert [(line, field) for line, field, _ in exc.value.errors] == [
            (3, "number"), (4, "sku")]
        assert po_lines(s, one.po_id)[0].received_qty == 0
        good = "po_number;sku;qty;tracking\n1;SOF-9;1;T1\n1;SOFFA;1;T1\n2;SOF-9;1;T9\n"
        done = import_shipment_file(s, good, "edi")
        assert [(c.po_number, c.tracking, [ln.qty for ln in c.lines]) for c in done] == [
            (1, "T1", [pieces(2)]), (2, "T9", [pieces(1)])]
        assert get_po(s, one.po_id).status == "received"


def test_a_drop_ship_order_is_not_closed_with_a_back_order(store, shop):
    with store.write() as s:
        placed = drop_ship_line(s, "order-1", "line-1", shop.p["SOFFA"], pieces(2), ANNA)
        send_po(s, placed.po_id, "lisa")
        confirm_drop_ship_shipment(s, placed.po_id, {placed.po_line_id: pieces(1)})
        with pytest.raises(ValidationError, match="drop shipment"):
            close_po(s, placed.po_id, "lisa", backorder=True)
        closed, none = close_po(s, placed.po_id, "lisa")
        assert closed.status == "closed" and none is None
