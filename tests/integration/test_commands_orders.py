"""Orders, quotes, invoices, payments and their e-mail as commands (LocalGateway on a real SQLite file):
each does what its use case does, and bad arguments are refused naming the field with nothing changed."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from sqlalchemy import text

from core.commands.gateway import LocalGateway
from core.errors import ValidationError
from core.quantity import pieces
from tests.orders_support import on_hand, reserved, setup_shop

TABLES = ("sales_order", "order_line", "order_event", "delivery", "invoice", "invoice_line",
          "incoming_payment", "invoice_reminder", "quote", "quote_line", "stock_movement")


@pytest.fixture
def shop(store):
    return setup_shop(store)


@pytest.fixture
def gw(store):
    return LocalGateway(store, "lisa")


def fingerprint(store) -> tuple:
    """Row counts of every table a command here can touch, plus each order's status and total."""
    with store.read() as s:
        counts = tuple(s.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES)
        orders = tuple(s.execute(text("SELECT id, status, total_gross FROM sales_order ORDER BY id")).all())
        quotes = tuple(s.execute(text("SELECT id, status, total_gross FROM quote ORDER BY id")).all())
    return counts, orders, quotes


def lines_of(store, order_id: str) -> list[tuple]:
    with store.read() as s:
        return [tuple(r) for r in s.execute(text(
            "SELECT id, sku, kind, qty, unit_price, discount_bp, delivered_qty FROM order_line "
            "WHERE order_id = :o ORDER BY position"), {"o": order_id})]


def new_order(gw, shop, **kw) -> dict:
    args = {"channel_id": shop.web, "customer_id": shop.c["anna"],
            "lines": [{"sku": "TSHIRT", "qty": pieces(3), "discount_bp": 1000},
                      {"product_id": shop.p["KAFFE"], "qty": pieces(2)}], "shipping_fee": 4900}
    return gw.call("orders.create", {**args, **kw})


def test_create_edit_details_and_confirm_an_order(store, shop, gw):
    made = new_order(gw, shop, customer_reference="PO 77")
    assert made["status"] == "new" and made["number"] >= 1
    rows = lines_of(store, made["id"])
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("TSHIRT", "product", 3000, 19900, 1000), ("KAFFE", "product", 2000, 8950, 0), ("", "shipping", 1000, 4900, 0)]
    tshirt, kaffe = rows[0][0], rows[1][0]

    # keep the T-shirt at a new price, drop the coffee, add a mug, raise the shipping fee
    edited = gw.call("orders.edit", {"order_id": made["id"], "shipping_fee": 5900, "lines": [
        {"line_id": tshirt, "qty": pieces(2), "unit_price": 15000, "discount_bp": 0},
        {"sku": "MUGG", "qty": pieces(1)}]})
    rows = lines_of(store, made["id"])
    assert sorted((r[1], r[3], r[4]) for r in rows) == [("", 1000, 5900), ("MUGG", 1000, 12500), ("TSHIRT", 2000, 15000)]
    assert kaffe not in {r[0] for r in rows}
    assert edited["total_gross"] == 30000 + 12500 + 5900

    gw.call("orders.set_details", {"order_id": made["id"], "customer_reference": "PO 78",
                                   "delivery_address": {"name": "Anna", "address1": "Lagergatan 1",
                                                        "postal_code": "41102", "city": "Göteborg"}})
    with store.read() as s:
        ref, addr = s.execute(text("SELECT customer_reference, delivery_address FROM sales_order WHERE id = :o"),
                              {"o": made["id"]}).one()
    assert ref == "PO 78" and "Lagergatan 1" in str(addr)

    before = reserved(store, shop.p["TSHIRT"], shop.warehouse)
    assert gw.call("orders.confirm", {"order_id": made["id"]})["status"] == "confirmed"
    assert reserved(store, shop.p["TSHIRT"], shop.warehouse) == before + 2000


def test_deliver_part_close_the_back_order_invoice_credit_and_pay(store, shop, gw):
    made = new_order(gw, shop)
    gw.call("orders.confirm", {"order_id": made["id"]})
    tshirt, kaffe = (r[0] for r in lines_of(store, made["id"])[:2])
    stock = on_hand(store, shop.p["TSHIRT"], shop.warehouse)
    shipped = gw.call("orders.deliver", {"order_id": made["id"], "location_id": shop.warehouse,
                                         "lines": [{"line_id": tshirt, "qty": pieces(2)},
                                                   {"line_id": kaffe, "qty": pieces(2)}],
                                         "tracking_number": "TRACK1"})
    assert (shipped["seq"], shipped["status"]) == (1, "partly_delivered")
    assert on_hand(store, shop.p["TSHIRT"], shop.warehouse) == stock - 2000

    closed = gw.call("orders.close_backorder", {"order_id": made["id"], "reason": "sold out"})
    assert closed["status"] == "delivered"
    assert lines_of(store, made["id"])[0][3] == 2000  # the T-shirt line shrank to what was sent

    invoice = gw.call("invoices.invoice_order", {"order_id": made["id"]})
    assert invoice["kind"] == "invoice" and invoice["total_gross"] == shipped["gross"]
    with store.read() as s:
        inv_lines = s.execute(text("SELECT id, sku, qty, amount FROM invoice_line WHERE invoice_id = :i "
                                   "ORDER BY position"), {"i": invoice["id"]}).all()
    tshirt_line = next(r for r in inv_lines if r[1] == "TSHIRT")
    credit = gw.call("invoices.credit", {"invoice_id": invoice["id"], "reason": "torn",
                                         "lines": [{"line_id": tshirt_line[0], "qty": pieces(1)}]})
    assert credit["kind"] == "credit_note" and credit["total_gross"] == -tshirt_line[3] // 2

    left = invoice["total_gross"] + credit["total_gross"]
    paid = gw.call("payments.register", {"amount": left, "paid_on": "2026-06-01",
                                         "reference": invoice["ocr"]})
    assert paid["matched"] and paid["invoice_id"] == invoice["id"]
    with store.read() as s:
        status = s.execute(text("SELECT status FROM sales_order WHERE id = :o"), {"o": made["id"]}).scalar()
    assert status == "closed"


def test_invoice_a_delivery_remind_and_import_a_payment_file(store, shop, gw):
    made = new_order(gw, shop, order_date="2026-01-10")
    gw.call("orders.confirm", {"order_id": made["id"]})
    tshirt = lines_of(store, made["id"])[0][0]
    shipped = gw.call("orders.deliver", {"order_id": made["id"], "on": "2026-01-11",
                                         "lines": [{"line_id": tshirt, "qty": pieces(1)}]})
    invoice = gw.call("invoices.invoice_delivery", {"delivery_id": shipped["delivery_id"], "on": "2026-01-11"})
    with pytest.raises(Exception, match="already on invoice"):
        gw.call("invoices.invoice_delivery", {"delivery_id": shipped["delivery_id"]})
    reminder = gw.call("invoices.remind", {"invoice_id": invoice["id"], "on": "2026-03-01"})
    assert reminder["level"] == 1 and reminder["open_amount"] == invoice["total_gross"]

    amount = f"{invoice['total_gross'] // 100}.{invoice['total_gross'] % 100:02d}"
    csv = f"date;amount;reference\n2026-03-05;{amount};{invoice['ocr']}\n2026-03-05;10.00;okänd\n".encode()
    args = {"content": base64.b64encode(csv).decode(), "name": "bank.csv"}
    assert gw.call("payments.import_file", args) == {"matched": 1, "unmatched": 1, "skipped": 0}
    assert gw.call("payments.import_file", args) == {"matched": 0, "unmatched": 0, "skipped": 2}
    with store.read() as s:
        unmatched = s.execute(text("SELECT id FROM incoming_payment WHERE invoice_id IS NULL")).scalar()
        settled = s.execute(text("SELECT settled FROM invoice WHERE id = :i"), {"i": invoice["id"]}).scalar()
    assert settled
    assert gw.call("payments.assign", {"payment_id": unmatched, "invoice_id": invoice["id"]})["invoice_id"] == invoice["id"]


def test_quote_create_edit_and_convert(store, shop, gw):
    quote = gw.call("quotes.create", {"channel_id": shop.b2b, "customer_id": shop.c["firma"],
                                      "valid_until": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
                                      "lines": [{"sku": "TSHIRT", "qty": pieces(10)}]})
    assert quote["status"] == "draft" and quote["total_gross"] == 150000  # 10 × 120,00 + 25 %
    edited = gw.call("quotes.edit", {"quote_id": quote["id"], "channel_id": shop.b2b,
                                     "customer_id": shop.c["firma"], "note": "v2",
                                     "lines": [{"sku": "TSHIRT", "qty": pieces(10), "discount_bp": 1000},
                                               {"sku": "MUGG", "qty": pieces(5)}]})
    assert (edited["id"], edited["number"]) == (quote["id"], quote["number"])
    assert edited["total_gross"] == (108000 + 40000) * 125 // 100
    order = gw.call("quotes.convert", {"quote_id": quote["id"]})
    assert order["status"] == "new" and order["total_gross"] == edited["total_gross"]
    with store.read() as s:
        status = s.execute(text("SELECT status FROM quote WHERE id = :q"), {"q": quote["id"]}).scalar()
    assert status == "converted"
    with pytest.raises(Exception, match="converted"):
        gw.call("quotes.edit", {"quote_id": quote["id"], "channel_id": shop.b2b,
                                "customer_id": shop.c["firma"], "lines": [{"sku": "MUGG", "qty": 1000}]})


def test_refusals_of_the_use_cases_change_nothing(store, shop, gw):
    made = new_order(gw, shop)
    gw.call("orders.confirm", {"order_id": made["id"]})
    tshirt = lines_of(store, made["id"])[0][0]
    before = fingerprint(store)
    with pytest.raises(ValidationError) as err:
        gw.call("orders.deliver", {"order_id": made["id"], "lines": [{"line_id": tshirt, "qty": pieces(4)}]})
    assert err.value.field == "lines[1].qty" and "only 3 is left" in err.value.message
    gw.call("orders.deliver", {"order_id": made["id"], "lines": [{"line_id": tshirt, "qty": pieces(1)}]})
    after_delivery = fingerprint(store)
    with pytest.raises(Exception, match="delivered"):  # a delivered line cannot change
        gw.call("orders.edit", {"order_id": made["id"], "lines": [{"line_id": tshirt, "qty": pieces(2)}]})
    with pytest.raises(ValidationError, match="VAT") as err:
        gw.call("orders.set_details", {"order_id": made["id"], "delivery_address": {
            "address1": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}})
    assert err.value.field == "delivery_address.country"
    assert fingerprint(store) == after_delivery != before


ORDER = object()  # stands for the id of the test's order
BAD_ARGS = [
    ("orders.create", {"lines": []}, "channel_id"),                                   # missing
    ("orders.create", {"channel_id": 1, "lines": [], "colour": "red"}, "colour"),     # unknown
    ("orders.create", {"channel_id": "webb", "lines": [{"sku": "TSHIRT", "qty": 1000}]}, "channel_id"),
    ("orders.create", {"channel_id": 1, "lines": "TSHIRT"}, "lines"),
    ("orders.create", {"channel_id": 1, "lines": [{"sku": "TSHIRT", "qty": "2"}]}, "lines[1].qty"),
    ("orders.create", {"channel_id": 1, "lines": [{"qty": 1000}]}, "lines[1].sku"),
    ("orders.create", {"channel_id": 1, "lines": [{"sku": "TSHIRT", "qty": 1000, "colour": 1}]}, "lines[1].colour"),
    ("orders.create", {"channel_id": 1, "lines": [{"sku": "TSHIRT", "qty": 1000}], "invoice_address": "Gatan 1"},
     "invoice_address"),
    ("orders.create", {"channel_id": 1, "lines": [{"sku": "TSHIRT", "qty": 1000}], "order_date": "igår"}, "order_date"),
    ("orders.confirm", {}, "order_id"),
    ("orders.confirm", {"order_id": 5}, "order_id"),
    ("orders.edit", {"order_id": ORDER, "lines": [], "shipping_fee": 49.5}, "shipping_fee"),
    ("orders.set_details", {"order_id": ORDER, "payment_terms_days": "30"}, "payment_terms_days"),
    ("orders.set_details", {"order_id": ORDER, "currency": "EUR"}, "currency"),
    ("orders.deliver", {"order_id": ORDER, "lines": [{"line_id": "x"}]}, "lines[1].qty"),
    ("orders.deliver", {"order_id": ORDER, "lines": [], "drop_ship_confirmed": "yes"}, "drop_ship_confirmed"),
    ("orders.cancel", {"order_id": ORDER, "reason": 7}, "reason"),
    ("quotes.create", {"channel_id": 1, "lines": [{"sku": "TSHIRT", "qty": 1000}], "valid_until": "snart"},
     "valid_until"),
    ("quotes.convert", {"quote_id": None}, "quote_id"),
    ("invoices.invoice_order", {"order_id": ORDER, "on": "31/12"}, "on"),
    ("invoices.credit", {"invoice_id": "x", "lines": [{"line_id": "a", "qty": 1000}]}, "lines[1].line_id"),
    ("invoices.remind", {"invoice_id": "x", "fee": "50"}, "fee"),
    ("payments.register", {"amount": 10.5, "paid_on": "2026-05-01"}, "amount"),
    ("payments.register", {"amount": 1000}, "paid_on"),
    ("payments.import_file", {"content": "not base64!!"}, "content"),
    ("payments.import_file", {}, "content"),
    ("orders.email_confirmation", {"order_id": ["a"]}, "order_id"),
    ("invoices.email_reminder", {"reminder_id": "1"}, "reminder_id"),
    ("orders.save_mail_settings", {"host": "smtp.x", "sender": "a@b.se", "port": "25"}, "port"),
    ("orders.save_mail_settings", {"host": "smtp.x", "sender": "a@b.se", "password": 1234}, "password"),
]


@pytest.mark.parametrize("name,args,field", BAD_ARGS, ids=[f"{n}:{f}" for n, _a, f in BAD_ARGS])
def test_bad_arguments_are_refused_naming_the_field(store, shop, gw, name, args, field, tmp_path, monkeypatch):
    monkeypatch.setenv("BUTIK_DATA_DIR", str(tmp_path / "data"))
    made = new_order(gw, shop)
    args = {k: (made["id"] if v is ORDER else v) for k, v in args.items()}
    before = fingerprint(store)
    with pytest.raises(ValidationError) as err:
        gw.call(name, args)
    assert err.value.field == field, err.value.message
    assert fingerprint(store) == before
    assert not (tmp_path / "data" / "config" / "smtp.json").exists()


def test_documents_are_mailed_from_where_the_command_runs(store, shop, gw, tmp_path, monkeypatch):
    from tests.smtp_sink import start_sink

    monkeypatch.setenv("BUTIK_DATA_DIR", str(tmp_path / "server"))
    kept: dict = {}
    monkeypatch.setattr("core.mail.server.keyring.set_password", lambda svc, acc, pw: kept.__setitem__((svc, acc), pw))
    monkeypatch.setattr("core.mail.server.keyring.get_password", lambda svc, acc: kept.get((svc, acc)))
    made = new_order(gw, shop)
    with pytest.raises(ValidationError) as err:
        gw.call("orders.email_confirmation", {"order_id": made["id"]})
    assert err.value.field == "smtp"
    assert gw.call("orders.mail_settings") == {"configured": False, "bankgiro": None}

    sink, server = start_sink()
    try:
        gw.call("orders.save_mail_settings", {"host": sink.host, "port": sink.port, "security": "none",
                                              "sender": "order@butiken.se", "username": "order",
                                              "password": "hemligt", "bankgiro": "123-4567"})
        saved = (tmp_path / "server" / "config" / "smtp.json").read_text()
        assert "hemligt" not in saved and list(kept.values()) == ["hemligt"]
        shown = gw.call("orders.mail_settings")
        assert shown["has_password"] and shown["bankgiro"] == "123-4567" and "password" not in shown
        # the sink takes no login: the same settings without a user name
        gw.call("orders.save_mail_settings", {"host": sink.host, "port": sink.port, "security": "none",
                                              "sender": "order@butiken.se", "bankgiro": "123-4567"})
        assert gw.call("orders.email_confirmation", {"order_id": made["id"]}) == {"to": "anna@example.se"}
        quote = gw.call("quotes.create", {"channel_id": shop.web, "customer_id": shop.c["anna"],
                                          "lines": [{"sku": "BOK", "qty": 1000}]})
        gw.call("quotes.email", {"quote_id": quote["id"]})
        subjects = [m.message["Subject"] for m in sink.messages]
        assert subjects == [f"Orderbekräftelse {made['number']}", f"Offert {quote['number']}"]
        assert [a.get_filename() for a in sink.messages[1].message.iter_attachments()] == [
            f"offert-{quote['number']}.pdf"]
    finally:
        server.shutdown()
        server.server_close()
    with store.read() as s:
        assert s.execute(text("SELECT status FROM quote WHERE id = :q"), {"q": quote["id"]}).scalar() == "sent"
