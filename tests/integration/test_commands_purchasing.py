"""Purchasing commands through the local gateway: suppliers and their articles, a PO's whole life,
the supplier's invoice and payment, reorder → draft POs, mailing a PO, drop-ship confirmations —
and bad arguments refused with the field named and nothing changed."""

from __future__ import annotations

from functools import partial

import pytest
from sqlalchemy import text

from core.commands.gateway import LocalGateway
from core.errors import InvalidTransition, NotFound, UserError
from core.quantity import pieces
from tests import commands_support, purchasing_support
from tests.smtp_sink import start_sink

TABLES = ("supplier", "supplier_article", "purchase_order", "purchase_order_line", "purchase_receipt",
          "supplier_invoice", "reorder_point", "stock_movement")
snapshot = partial(commands_support.snapshot, tables=TABLES)
refused = partial(commands_support.refused, tables=TABLES)


@pytest.fixture
def shop(store):
    return purchasing_support.setup_shop(store)


@pytest.fixture
def gw(store):
    return LocalGateway(store, "lisa")




def one(store, sql, **params):
    with store.read() as s:
        return s.execute(text(sql), params).one()




def new_po(gw, shop, qty=10, price=10000) -> dict:
    return gw.call("purchase_orders.create", {"supplier_id": shop.supplier, "location_id": shop.warehouse,
                                              "lines": [{"sku": "TSHIRT", "qty": pieces(qty), "unit_price": price}]})


def test_a_supplier_is_created_changed_and_gets_an_article_that_is_removed_again(store, gw, shop):
    made = gw.call("suppliers.create", {"code": "TYG", "name": "Tygverket AB", "currency": "eur",
                                        "lead_time_days": 5, "email": "inkop@tyg.se"})
    assert made["code"] == "TYG"
    assert one(store, "SELECT currency, lead_time_days, payment_terms_days, active FROM supplier WHERE id = :i",
               i=made["id"]) == ("EUR", 5, 30, 1)
    gw.call("suppliers.update", {"supplier_id": made["id"], "changes": {"lead_time_days": 9, "active": False}})
    assert one(store, "SELECT lead_time_days, active, email FROM supplier WHERE id = :i", i=made["id"]) == (
        9, 0, "inkop@tyg.se")

    got = gw.call("suppliers.set_article", {"supplier_id": made["id"], "sku": "KAFFE", "supplier_sku": "T-1",
                                            "price": 3950, "pack_qty": pieces(12)})
    assert got == {"supplier_id": made["id"], "product_id": shop.p["KAFFE"]}
    assert one(store, "SELECT supplier_sku, price, pack_qty, preferred FROM supplier_article "
                      "WHERE supplier_id = :s", s=made["id"]) == ("T-1", 3950, 12000, 1)
    gw.call("suppliers.remove_article", {"supplier_id": made["id"], "product_id": shop.p["KAFFE"]})
    assert one(store, "SELECT count(*) FROM supplier_article WHERE supplier_id = :s", s=made["id"]) == (0,)


def test_bad_supplier_arguments_are_refused_naming_the_field(store, gw, shop):
    refused(store, gw, "suppliers.create", {"name": "Utan kod AB"}, "code")                   # missing
    refused(store, gw, "suppliers.create", {"code": "X", "name": "X", "colour": "red"}, "colour")  # unknown
    refused(store, gw, "suppliers.create", {"code": "X", "name": "X", "lead_time_days": "5"}, "lead_time_days")
    refused(store, gw, "suppliers.create", {"code": 7, "name": "X"}, "code")                  # wrong type
    refused(store, gw, "suppliers.create", {"code": "LEV1", "name": "Igen"}, "code", UserError)  # taken
    refused(store, gw, "suppliers.update", {"supplier_id": shop.supplier, "changes": {"rating": 5}}, "rating")
    refused(store, gw, "suppliers.update", {"supplier_id": shop.supplier, "changes": {"active": "yes"}}, "active")
    refused(store, gw, "suppliers.update", {"supplier_id": "1", "changes": {}}, "supplier_id")
    refused(store, gw, "suppliers.set_article", {"supplier_id": shop.supplier, "supplier_sku": "Z",
                                                 "price": 100}, "sku")                        # no product
    refused(store, gw, "suppliers.set_article", {"supplier_id": shop.supplier, "sku": "NOPE",
                                                 "supplier_sku": "Z", "price": 100}, "sku", NotFound)
    refused(store, gw, "suppliers.set_article", {"supplier_id": shop.supplier, "sku": "KAFFE",
                                                 "supplier_sku": "Z", "price": 1.5}, "price")
    refused(store, gw, "suppliers.remove_article", {"supplier_id": shop.supplier,
                                                    "product_id": shop.p["KAFFE"]}, "product_id", NotFound)


def test_a_po_is_created_sent_confirmed_received_in_two_parts_and_closed_with_a_back_order(store, gw, shop):
    po = new_po(gw, shop)
    assert (po["status"], po["total"]) == ("draft", 100000)
    assert gw.call("purchase_orders.send", {"po_id": po["id"]})["status"] == "sent"
    confirmed = gw.call("purchase_orders.confirm", {"po_id": po["id"], "supplier_reference": "AB-77",
                                                    "expected_date": "2026-05-20"})
    assert confirmed["status"] == "confirmed"
    assert one(store, "SELECT supplier_reference, expected_date FROM purchase_order WHERE id = :i", i=po["id"]) == (
        "AB-77", "2026-05-20")
    [line_id] = one(store, "SELECT id FROM purchase_order_line WHERE po_id = :i", i=po["id"])
    before = purchasing_support.on_hand(store, shop.p["TSHIRT"], shop.warehouse)

    first = gw.call("purchase_orders.receive", {"po_id": po["id"], "lines": [
        {"line_id": line_id, "qty": pieces(4), "unit_price": 10500}]})
    assert first["seq"] == 1
    assert one(store, "SELECT status FROM purchase_order WHERE id = :i", i=po["id"]) == ("partly_received",)
    assert one(store, "SELECT unit_price FROM purchase_receipt_line WHERE receipt_id = :r",
               r=first["receipt_id"]) == (10500,)
    refused(store, gw, "purchase_orders.receive", {"po_id": po["id"], "lines": [
        {"line_id": line_id, "qty": pieces(7)}]}, "lines[1].qty")                          # more than owed
    gw.call("purchase_orders.receive", {"po_id": po["id"], "lines": [{"line_id": line_id, "qty": pieces(2)}]})
    assert purchasing_support.on_hand(store, shop.p["TSHIRT"], shop.warehouse) == before + pieces(6)

    closed = gw.call("purchase_orders.close", {"po_id": po["id"], "backorder": True})
    assert closed["status"] == "closed" and closed["backorder"]["status"] == "confirmed"
    assert one(store, "SELECT qty FROM purchase_order_line WHERE po_id = :i",
               i=closed["backorder"]["id"]) == (pieces(4),)


def test_a_po_with_nothing_received_is_cancelled_and_a_cancelled_one_goes_nowhere(store, gw, shop):
    po = new_po(gw, shop)
    assert gw.call("purchase_orders.cancel", {"po_id": po["id"]})["status"] == "cancelled"
    refused(store, gw, "purchase_orders.send", {"po_id": po["id"]}, "status", InvalidTransition)
    refused(store, gw, "purchase_orders.confirm", {"po_id": po["id"]}, "status", InvalidTransition)


def test_bad_purchase_order_arguments_are_refused_naming_the_field(store, gw, shop):
    lines = [{"sku": "TSHIRT", "qty": pieces(1)}]
    refused(store, gw, "purchase_orders.create", {"lines": lines}, "supplier_id")
    refused(store, gw, "purchase_orders.create", {"supplier_id": shop.supplier, "lines": "TSHIRT 1"}, "lines")
    refused(store, gw, "purchase_orders.create", {"supplier_id": shop.supplier, "lines": lines, "rush": True},
            "rush")
    refused(store, gw, "purchase_orders.create", {"supplier_id": shop.supplier,
                                                  "lines": [{"sku": "TSHIRT", "qty": "1"}]}, "lines[1].qty")
    refused(store, gw, "purchase_orders.create", {"supplier_id": shop.supplier,
                                                  "lines": [{"sku": "TSHIRT", "qty": 1, "colour": "red"}]},
            "lines[1].colour")
    refused(store, gw, "purchase_orders.create", {"supplier_id": shop.supplier,
                                                  "lines": [lines[0], {"sku": "NOPE", "qty": 1000}]},
            "lines[2].sku", NotFound)
    refused(store, gw, "purchase_orders.create", {"supplier_id": shop.supplier, "lines": lines,
                                                  "expected_date": "20/5"}, "expected_date")
    po = new_po(gw, shop)
    refused(store, gw, "purchase_orders.receive", {"po_id": po["id"], "lines": [{"qty": 1000}]},
            "lines[1].line_id")
    refused(store, gw, "purchase_orders.close", {"po_id": po["id"], "backorder": "yes"}, "backorder")
    refused(store, gw, "purchase_orders.send", {}, "po_id")


def test_the_suppliers_invoice_flags_a_price_difference_and_is_paid(store, gw, shop):
    po = new_po(gw, shop)
    gw.call("purchase_orders.send", {"po_id": po["id"]})
    [line_id] = one(store, "SELECT id FROM purchase_order_line WHERE po_id = :i", i=po["id"])
    gw.call("purchase_orders.receive", {"po_id": po["id"], "lines": [{"line_id": line_id, "qty": pieces(10)}]})
    args = {"po_id": po["id"], "invoice_number": "F-5501", "invoice_date": "2026-05-10", "vat": 26250,
            "lines": [{"po_line_id": line_id, "qty": pieces(10), "unit_price": 10500}]}
    for bad, field in (({"invoice_date": "10 maj"}, "invoice_date"), ({"vat": "262,50"}, "vat"),
                       ({"lines": [{"po_line_id": line_id, "qty": pieces(10)}]}, "lines[1].unit_price"),
                       ({"supplier": 1}, "supplier")):
        refused(store, gw, "supplier_invoices.register", args | bad, field)
    invoice = gw.call("supplier_invoices.register", args)
    assert (invoice["total"], invoice["due_date"]) == (131250, "2026-06-09")
    assert invoice["differences"] == [{"sku": "TSHIRT", "kind": "price", "expected": 10000, "invoiced": 10500}]
    refused(store, gw, "supplier_invoices.register", args, "invoice_number", UserError)  # registered once

    refused(store, gw, "supplier_invoices.mark_paid", {"invoice_id": invoice["id"], "paid_on": None}, "paid_on")
    paid = gw.call("supplier_invoices.mark_paid", {"invoice_id": invoice["id"], "paid_on": "2026-06-12"})
    assert (paid["status"], paid["paid_on"]) == ("paid", "2026-06-12")
    refused(store, gw, "supplier_invoices.mark_paid", {"invoice_id": invoice["id"], "paid_on": "2026-06-13"},
            "status", InvalidTransition)


def test_reorder_points_become_draft_purchase_orders(store, gw, shop):
    for sku, point, up_to in (("TSHIRT", 5, 20), ("MUGG", 2, 10)):
        gw.call("reorder.set_point", {"sku": sku, "location_id": shop.warehouse,
                                      "reorder_point": pieces(point), "order_up_to": pieces(up_to)})
    refused(store, gw, "reorder.set_point", {"sku": "TSHIRT", "location_id": shop.warehouse,
                                             "reorder_point": pieces(5), "order_up_to": pieces(2)}, "order_up_to")
    refused(store, gw, "reorder.set_point", {"sku": "TSHIRT", "reorder_point": 1, "order_up_to": 2}, "location_id")
    made = gw.call("reorder.create_pos", {"lines": [
        {"supplier_id": shop.supplier, "location_id": shop.warehouse, "product_id": shop.p["TSHIRT"],
         "qty": pieces(20), "unit_price": 10000, "supplier_sku": "L-100"},
        {"supplier_id": shop.supplier, "location_id": shop.warehouse, "product_id": shop.p["MUGG"],
         "qty": pieces(12), "unit_price": None, "supplier_sku": None}]})
    [po_id] = made["ids"]
    assert one(store, "SELECT status, supplier_id, location_id, total FROM purchase_order WHERE id = :i",
               i=po_id) == ("draft", shop.supplier, shop.warehouse, 200000 + 12 * 5000)
    refused(store, gw, "reorder.create_pos", {"lines": []}, "lines")
    refused(store, gw, "reorder.create_pos", {"lines": [{"supplier_id": None, "location_id": shop.warehouse,
                                                         "product_id": shop.p["KAFFE"], "qty": 1000}]},
            "supplier_id")
    refused(store, gw, "reorder.create_pos", {"lines": [{"location_id": shop.warehouse,
                                                         "product_id": shop.p["KAFFE"], "qty": 1000}]},
            "lines[1].supplier_id")
    gw.call("reorder.remove_point", {"product_id": shop.p["MUGG"], "location_id": shop.warehouse})
    refused(store, gw, "reorder.remove_point", {"product_id": shop.p["MUGG"], "location_id": shop.warehouse},
            "product_id", NotFound)


def test_a_po_is_mailed_with_the_servers_settings_and_marked_sent(store, gw, shop, tmp_path, monkeypatch):
    from core.mail.server import save_settings
    from core.mail.smtp import SmtpSettings

    monkeypatch.setenv("BUTIK_DATA_DIR", str(tmp_path))  # the commands' machine: its config folder
    po = new_po(gw, shop)
    refused(store, gw, "purchase_orders.email", {"po_id": po["id"]}, "smtp")  # not set up: still a draft
    sink, server = start_sink()
    try:
        save_settings(None, SmtpSettings(host=sink.host, port=sink.port, security="none",
                                         sender="order@butiken.se"), None)
        refused(store, gw, "purchase_orders.email", {"po_id": po["id"], "to": "nobody"}, "to")
        sent = gw.call("purchase_orders.email", {"po_id": po["id"]})
    finally:
        server.shutdown()
        server.server_close()
    assert sent == {"po_id": po["id"], "to": "order@lev.se"}
    assert one(store, "SELECT status FROM purchase_order WHERE id = :i", i=po["id"]) == ("sent",)
    [mail] = sink.messages
    assert mail.recipients == ["order@lev.se"]
    [attachment] = list(mail.message.iter_attachments())
    assert attachment.get_content().startswith(b"%PDF")


def test_drop_ship_shipments_deliver_the_customer_line_by_hand_or_by_file(store, gw):
    from core.orders.lifecycle import confirm_order
    from core.orders.pricing import LineIn
    from core.orders.service import OrderIn, create_order, get_order
    from core.purchasing.dropship import drop_ship_line
    from core.purchasing.orders import send_po
    from tests import orders_support

    shop = orders_support.setup_shop(store)
    placed = []
    with store.write() as s:
        for n in (1, 2):
            order = create_order(s, OrderIn(channel_id=shop.web, channel_order_no=f"W-{n}",
                                            customer_id=shop.c["anna"], order_date=orders_support.TODAY,
                                            lines=[LineIn(product_id=shop.p["SOFFA"], qty=pieces(1))]), "webshop")
            confirm_order(s, order.id, "lisa")
            from core.orders.service import lines_of
            line = lines_of(s, order.id)[0]
            ds = drop_ship_line(s, order.id, line.id, shop.p["SOFFA"], pieces(1), order.delivery_address)
            send_po(s, ds.po_id, "lisa")
            placed.append((order.id, ds))
        s.commit()
    (first_order, first), (second_order, second) = placed
    refused(store, gw, "dropship.confirm", {"po_id": first.po_id, "tracking": 123}, "tracking")
    done = gw.call("dropship.confirm", {"po_id": first.po_id, "tracking": "00370712345678901234"})
    assert done["delivery_id"] and done["po_number"] == first.po_number
    refused(store, gw, "dropship.import_file", {"text": f"po_number;sku;qty\n{second.po_number};NOPE;1\n"},
            None, UserError)  # a bad row refuses the whole file
    refused(store, gw, "dropship.import_file", {"file": "x"}, "file")
    got = gw.call("dropship.import_file", {"text": f"po_number;sku;qty;tracking\n{second.po_number};SOFFA;1;T-2\n"})
    assert got["shipments"] == 1 and len(got["deliveries"]) == 1
    with store.read() as s:
        assert [get_order(s, o).status for o in (first_order, second_order)] == ["delivered", "delivered"]
