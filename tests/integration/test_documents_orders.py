"""Order, delivery, invoice, credit note, quote and reminder PDFs read back as text; e-mails to a local SMTP server."""

from __future__ import annotations

import datetime as dt
import io
import socket
import statistics
import time

import pytest
from pypdf import PdfReader

from core.documents.delivery_pdf import delivery_note_pdf
from core.documents.invoice_pdf import invoice_pdf
from core.documents.order_pdf import order_confirmation_pdf
from core.documents.quote_pdf import quote_pdf
from core.documents.reminder_pdf import reminder_pdf
from core.errors import Unavailable, ValidationError
from core.invoicing.receivables import create_reminder
from core.invoicing.service import credit_invoice, invoice_delivery
from core.mail.documents import delivery_mail, invoice_mail, order_confirmation_mail, quote_mail
from core.mail.smtp import SmtpSettings, send_message
from core.orders.delivery import deliver, set_tracking
from core.orders.lifecycle import confirm_order
from core.orders.pricing import LineIn
from core.orders.quotes import QuoteIn, create_quote
from core.orders.service import OrderIn, create_order, lines_of
from core.quantity import pieces
from tests.orders_support import TODAY, setup_shop
from tests.smtp_sink import start_sink


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())  # table cells come out one per line


@pytest.fixture
def flow(store):
    """A webshop order W-77 of 2 T-shirts and 3 books, delivered in part and invoiced."""
    shop = setup_shop(store)
    with store.write() as s:
        order = create_order(s, OrderIn(
            channel_id=shop.web, channel_order_no="W-77", customer_id=shop.c["anna"],
            order_date=TODAY, customer_reference="Anna A", lines=[
                LineIn(product_id=shop.p["TSHIRT"], qty=pieces(2)),
                LineIn(product_id=shop.p["BOK"], qty=pieces(3)),
                LineIn(kind="shipping", unit_price=4900)]), "web")
        confirm_order(s, order.id, "lisa")
        tshirt, bok, _ = lines_of(s, order.id)
        d = deliver(s, order.id, {tshirt.id: pieces(2), bok.id: pieces(1)}, "lisa", on=TODAY)
        set_tracking(s, d.id, "SE0001112223", "sync", carrier="PostNord")
        inv = invoice_delivery(s, d.id, "lisa", on=TODAY)
        s.commit()
        return shop, order.id, d.id, inv.id, inv.number, inv.ocr


def test_order_confirmation_pdf(store, flow):
    _shop, oid, *_ = flow
    with store.read() as s:
        text = text_of(order_confirmation_pdf(s, oid))
    for needed in ("Orderbekräftelse", "Ordernummer", "W-77", "Anna Andersson", "Kundvägen 2",
                   "T-shirt röd", "Bok om öl", "Frakt", "1 194,00", "25 %", "6 %", "Butiken AB",
                   "559000-0005", "Priser inkl. moms"):
        assert needed in text, needed


def test_delivery_note_shows_sent_and_backordered(store, flow):
    _shop, _oid, did, *_ = flow
    with store.read() as s:
        text = text_of(delivery_note_pdf(s, did))
    for needed in ("Följesedel", "1-1", "W-77", "SE0001112223", "Levereras nu", "Restnoterat",
                   "Restnoterade artiklar"):
        assert needed in text, needed
    assert "BOK Bok om öl 3 0 1 2" in text


def test_invoice_and_credit_note_pdf(store, flow):
    _shop, _oid, _did, iid, number, ocr = flow
    with store.write() as s:
        credit = credit_invoice(s, iid, "lisa", on=TODAY)
        s.commit()
        inv_text = text_of(invoice_pdf(s, iid, bankgiro="5555-5555"))
        credit_text = text_of(invoice_pdf(s, credit.id))
    due = (TODAY + dt.timedelta(days=30)).isoformat()
    for needed in ("Faktura", f"Fakturanummer {number}", f"OCR-nummer {ocr}", f"Förfallodatum {due}",
                   "Ordernummer 1", "W-77", "Er referens Anna A", "Att betala (SEK) 696,00",
                   "bankgiro 5555-5555", "30 dagar netto", "Momsreg.nr SE559000000501"):
        assert needed in inv_text, needed
    # VAT per rate: 25 % on 447,00 incl. = 89,40; 6 % on 249,00 incl. = 14,09
    assert "25 % 357,60 89,40 447,00" in inv_text
    assert "6 % 234,91 14,09 249,00" in inv_text
    for needed in ("Kreditfaktura", f"Krediterar faktura {number}", "-696,00", "W-77"):
        assert needed in credit_text, needed


def test_reverse_charge_invoice_pdf(store):
    shop = setup_shop(store)
    with store.write() as s:
        order = create_order(s, OrderIn(channel_id=shop.b2b, customer_id=shop.c["gmbh"],
                                        order_date=TODAY, lines=[LineIn(sku="MUGG", qty=pieces(4))]),
                             "b2b")
        confirm_order(s, order.id, "lisa")
        d = deliver(s, order.id, {lines_of(s, order.id)[0].id: pieces(4)}, "lisa")
        inv = invoice_delivery(s, d.id, "lisa", on=TODAY)
        text = text_of(invoice_pdf(s, inv.id))
    for needed in ("Omvänd betalningsskyldighet", "DE136695976", "Priser exkl. moms", "320,00",
                   "Berlin"):
        assert needed in text, needed


def test_quote_and_reminder_pdfs(store, flow):
    shop, _oid, _did, iid, number, ocr = flow
    with store.write() as s:
        quote = create_quote(s, QuoteIn(channel_id=shop.b2b, customer_id=shop.c["firma"],
                                        quote_date=TODAY, valid_until=dt.date(2026, 6, 30),
                                        lines=[LineIn(sku="TSHIRT", qty=pieces(50))]), "sälj")
        reminder = create_reminder(s, iid, "ekonomi", TODAY + dt.timedelta(days=40), fee=6000)
        quote_number = quote.number
        s.commit()
        q_text = text_of(quote_pdf(s, quote.id))
        r_text = text_of(reminder_pdf(s, reminder.id))
    for needed in ("Offert", f"Offertnummer {quote_number}", "Giltig till 2026-06-30", "Firma AB",
                   "6 000,00", "7 500,00"):
        assert needed in q_text, needed
    for needed in ("Betalningspåminnelse", f"Fakturanummer {number}", ocr, "Påminnelseavgift 60,00",
                   "756,00", "W-77"):
        assert needed in r_text, needed


def test_invoice_pdf_renders_fast(store, flow):
    *_, iid, _number, _ocr = flow
    with store.read() as s:
        invoice_pdf(s, iid)  # warm up fonts
        times = []
        for _ in range(5):
            start = time.perf_counter()
            invoice_pdf(s, iid)
            times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.25


@pytest.fixture
def sink():
    sink, server = start_sink()
    yield sink
    server.shutdown()
    server.server_close()


def settings_for(sink) -> SmtpSettings:
    return SmtpSettings(host=sink.host, port=sink.port, security="none",
                        sender="order@butiken.se", sender_name="Butiken AB")


def test_emails_arrive_with_the_pdf_attached(store, flow, sink):
    shop, oid, did, iid, number, _ocr = flow
    settings = settings_for(sink)
    with store.write() as s:
        quote = create_quote(s, QuoteIn(channel_id=shop.b2b, customer_id=shop.c["firma"],
                                        quote_date=TODAY, lines=[LineIn(sku="BOK")]), "sälj")
        for msg in (order_confirmation_mail(s, settings, oid), delivery_mail(s, settings, did),
                    invoice_mail(s, settings, iid), quote_mail(s, settings, quote.id)):
            send_message(settings, msg)
    got = [m.message for m in sink.messages]
    assert [m["Subject"] for m in got] == ["Orderbekräftelse 1", "Leverans 1-1",
                                           f"Faktura {number}", f"Offert {quote.number}"]
    assert [r.recipients for r in sink.messages] == [["anna@example.se"]] * 3 + [["ekonomi@firma.se"]]
    delivery = got[1]
    body = delivery.get_body(("plain",)).get_content()
    assert "2 × T-shirt röd" in body and "Restnoterat" in body and "2 × Bok om öl" in body
    assert "SE0001112223" in body
    for msg, needle in zip(got, ("Orderbekräftelse", "Följesedel", "Faktura", "Offert")):
        (att,) = list(msg.iter_attachments())
        assert att.get_content_type() == "application/pdf"
        assert att.get_filename().endswith(".pdf")
        assert needle in text_of(att.get_content())


def test_mail_refusals(store, flow):
    _shop, oid, *_ = flow
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    closed = port.getsockname()[1]
    port.close()
    settings = SmtpSettings(host="127.0.0.1", port=closed, security="none",
                            sender="order@butiken.se", timeout=2)
    with store.read() as s:
        msg = order_confirmation_mail(s, settings, oid)
    with pytest.raises(Unavailable, match=f"127.0.0.1:{closed}"):
        send_message(settings, msg)
    with pytest.raises(ValidationError, match="sender"):
        SmtpSettings(host="x", sender="").check()
