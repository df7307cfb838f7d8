"""Scenario: a month (May 2026) of real shop activity posted by `post_pending` alone — till days closed
with Z-reports stored the way the server stores them, a webshop order paid by Klarna delivered and
invoiced in two parts, a B2B invoice with a credit note paid by a BgMax file, a purchase order
received with its supplier invoice and payment, a stock count with a shortage and a Klarna payout.
Every voucher balances, the trial balance sums to zero, the VAT return equals the documents' VAT
and box 49 its formula; a second run posts nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from core.auth.service import Principal
from core.company.setup import add_channel
from core.customers.service import AddressIn, CustomerIn, create_customer
from core.integrations.models import IntegrationConnection, ProviderSettlement
from core.integrations.settlements import settle_references
from core.inventory import MovementIn, record_movements
from core.inventory.counts import create_count, enter_count, post_count
from core.inventory.valuation import stock_value
from core.invoicing.payments import import_bgmax
from core.invoicing.service import balance, credit_invoice, invoice_delivery
from core.invoicing.service import lines_of as inv_lines
from core.ledger.autopost import post_pending
from core.ledger.models import Voucher, VoucherRow
from core.ledger.reports import trial_balance
from core.ledger.vat_return import month, vat_return
from core.orders.delivery import deliver
from core.orders.lifecycle import confirm_order
from core.orders.pricing import LineIn
from core.orders.service import OrderIn, create_order, lines_of
from core.purchasing.invoices import (
    InvoiceLineIn,
    SupplierInvoiceIn,
    mark_paid,
    register_supplier_invoice,
)
from core.purchasing.orders import PoLineIn, confirm_po, create_po, po_lines, send_po
from core.purchasing.receiving import receive
from core.purchasing.suppliers import SupplierIn, create_supplier, set_supplier_article
from core.quantity import pieces
from core.sales.payments import Payment, cash_due
from core.sales.till import Till
from server.intake import apply_z_report
from tests.sales_support import control_unit, setup_shop

MAY = month("2026-05")
WHO = "ekonomi"
#: product ids as tests.sales_support inserts them
TSHIRT, MILK, BOOK, REPAIR, CANDY = 1, 2, 3, 4, 5
LOC = 1  # the store's location: the till, the webshop and the purchases all use it
TILL_DEVICE = Principal(kind="device", id="dev-kassa1", name="Kassa 1", device_kind="till",
                        register_code="KASSA1")


def may(n: int) -> dt.date:
    return dt.date(2026, 5, n)


def bgmax(ocr: str, amount: int, day: dt.date) -> bytes:
    rows = ["01BGMAX               0120260520120000000000P",
            "050009912346          SEK",
            f"20{'0' * 10}{ocr:<25}{amount:018d}21{'1' * 12}0",
            "26Firma AB",
            f"15{'0' * 35}{day:%Y%m%d}00001{amount:018d}SEK{1:08d} ",
            f"70{1:08d}{0:08d}{0:08d}{1:08d}"]
    return ("\r\n".join(r.ljust(80) for r in rows) + "\r\n").encode("latin-1")


def sell_day(till: Till, n: int) -> None:
    """Standard, food and books, paid by card, cash (rounded), Swish; a gift card sold and redeemed."""
    till.scan("TSHIRT-RED")
    till.scan("MILK", 2000)
    till.complete([Payment("card", till.cart.total)])
    till.scan("BOOK")
    till.scan("MILK")
    till.complete([Payment("cash", cash_due(till.cart.total, []))])
    till.scan("CANDY", 333 + n)  # weighed: odd öre, so the cash rounding is not zero
    till.complete([Payment("cash", cash_due(till.cart.total, []))])
    till.add_gift_card(f"GC{n}", 20_000)
    till.scan("REPAIR")
    till.complete([Payment("swish", till.cart.total)])
    if n > 4:
        till.scan("TSHIRT-RED")
        total = till.cart.total
        till.complete([Payment("gift_card", 10_000, reference=f"GC{n - 1}"),
                       Payment("card", total - 10_000)])


@pytest.fixture
def month_done(store, monkeypatch):
    """Run the month through the real flows; returns (store, docs) with the documents' figures."""
    register = setup_shop(store)
    docs = Counter()
    with store.write() as s:
        web = add_channel(s, code="WEB", name="Webbshop", kind="webshop", location_id=LOC).id
        b2b = add_channel(s, code="B2B", name="Företag", kind="b2b", location_id=LOC).id
        se = AddressIn(kind="invoice", address1="Kundvägen 2", postal_code="41101", city="Göteborg")
        anna = create_customer(s, CustomerIn(name="Anna Andersson", email="anna@example.se",
                                             addresses=[se])).id
        firma = create_customer(s, CustomerIn(name="Firma AB", kind="company", org_number="556036-0793",
                                              email="ekonomi@firma.se", addresses=[se])).id
        lev = create_supplier(s, SupplierIn(code="LEV1", name="Leverantören AB",
                                            payment_terms_days=30)).id
        set_supplier_article(s, lev, TSHIRT, "L-100", 10_000)
        record_movements(s, [MovementIn(p, LOC, pieces(50), "initial", None, None, f"init:{p}")
                             for p in (MILK, BOOK, CANDY)])
        s.commit()

    # --- 4 May: 20 T-shirts ordered and received at 100,00 ----------------------------------------
    with store.write() as s:
        po = create_po(s, lev, [PoLineIn(TSHIRT, pieces(20))], WHO, location_id=LOC)
        send_po(s, po.id, WHO)
        confirm_po(s, po.id, WHO)
        (po_line,) = po_lines(s, po.id)
        receive(s, po.id, {po_line.id: pieces(20)}, WHO, on=may(4))
        s.commit()
        po_id, po_line_id = po.id, po_line.id

    # --- the till: five days, each closed by a Z-report the server stores -------------------------
    now = [dt.datetime(2026, 5, 4, 18, 0)]
    till = Till(store, register, control_unit(), cashier="Anna", clock=lambda: now[0])
    for n in (4, 5, 6, 7, 8):
        now[0] = dt.datetime(2026, 5, n, 18, 0)
        sell_day(till, n)
        body = till.z_report()
        for part in body["vat"]:
            docs[("vat", part["rate_bp"])] += part["vat"]
            docs[("net", part["rate_bp"])] += part["net"]
        with store.write() as s:
            apply_z_report(s, TILL_DEVICE, f"00000000-0000-0000-0000-00000000z00{n}", body)
            s.commit()
    till.close()

    # --- 11 May: a webshop order paid by Klarna, delivered and invoiced in two parts --------------
    with store.write() as s:
        order = create_order(s, OrderIn(
            channel_id=web, channel_order_no="W-501", customer_id=anna, order_date=may(11),
            payment_provider="klarna", payment_reference="KL-501", payment_authorised=64_700,
            lines=[LineIn(product_id=TSHIRT, qty=pieces(2)),   # 2 × 199,00 incl. 25 %
                   LineIn(product_id=BOOK, qty=pieces(1))]),   # 249,00 incl. 6 %
            "webshop")
        confirm_order(s, order.id, WHO)
        l_tshirt, l_book = [ln.id for ln in lines_of(s, order.id)]
        d1 = deliver(s, order.id, {l_tshirt: pieces(2)}, WHO, on=may(11))
        k1 = invoice_delivery(s, d1.id, WHO, on=may(11))
        d2 = deliver(s, order.id, {l_book: pieces(1)}, WHO, on=may(12))
        k2 = invoice_delivery(s, d2.id, WHO, on=may(12))
        s.commit()
        assert (k1.paid_by_provider, k2.paid_by_provider) == ("klarna", "klarna")
        assert k1.vat_parts == [{"rate_bp": 2500, "net": 31_840, "vat": 7_960}]  # 398,00 incl.
        assert k2.vat_parts == [{"rate_bp": 600, "net": 23_491, "vat": 1_409}]   # 249,00 incl.
    docs[("vat", 2500)] += 7_960
    docs[("net", 2500)] += 31_840
    docs[("vat", 600)] += 1_409
    docs[("net", 600)] += 23_491

    # --- 13 May: a B2B invoice for 3 T-shirts; 14 May one comes back and is credited ---------------
    with store.write() as s:
        order = create_order(s, OrderIn(
            channel_id=b2b, customer_id=firma, order_date=may(13),
            lines=[LineIn(product_id=TSHIRT, qty=pieces(3))]), WHO)  # 3 × 199,00 incl. 25 %
        confirm_order(s, order.id, WHO)
        (line,) = lines_of(s, order.id)
        d = deliver(s, order.id, {line.id: pieces(3)}, WHO, on=may(13))
        b = invoice_delivery(s, d.id, WHO, on=may(13))
        assert b.vat_parts == [{"rate_bp": 2500, "net": 47_760, "vat": 11_940}]  # 597,00
        (b_line,) = inv_lines(s, b.id)
        credit = credit_invoice(s, b.id, WHO, {b_line.id: pieces(1)}, on=may(14), reason="retur")
        assert credit.vat_parts == [{"rate_bp": 2500, "net": -15_920, "vat": -3_980}]
        assert balance(s, b) == 39_800
        s.commit()
        b_id, b_ocr = b.id, b.ocr
    docs[("vat", 2500)] += 11_940 - 3_980
    docs[("net", 2500)] += 47_760 - 15_920

    # --- 20 May: the bank's BgMax file pays the rest of the B2B invoice ---------------------------
    with store.write() as s:
        result = import_bgmax(s, bgmax(b_ocr, 39_800, may(20)), WHO)
        s.commit()
        assert len(result.matched) == 1 and not result.unmatched
        assert balance(s, s.get(type(b), b_id)) == 0

    # --- the supplier's invoice for the 20 T-shirts (2 000,00 + 500,00 VAT), paid 25 May -----------
    with store.write() as s:
        si = register_supplier_invoice(s, SupplierInvoiceIn(
            lev, "L-9001", may(15), [InvoiceLineIn(pieces(20), 10_000, po_line_id)], po_id=po_id,
            vat=50_000), WHO)
        assert (si.net, si.vat, si.total) == (200_000, 50_000, 250_000)
        mark_paid(s, si.id, may(25))
        s.commit()
    docs["input"] += 50_000

    # --- 18 May: a count of the T-shirts finds one missing (−1 × 100,00) ---------------------------
    with store.write() as s:
        count = create_count(s, LOC, WHO, product_ids=[TSHIRT])
        # 20 received − 2 webshop − 3 B2B (the till's sales move stock when the server takes in the
        # receipts, which this scenario leaves out)
        expected = pieces(20 - 2 - 3)
        enter_count(s, count.id, expected - pieces(1), product_id=TSHIRT)
        report = post_count(s, count.id, WHO, at=dt.datetime(2026, 5, 18, 16, 0))
        s.commit()
        assert report.value_change == -10_000

    # --- 22 May: Klarna pays out the order less its fee (financial service: no VAT) ----------------
    with store.write() as s:
        s.add(IntegrationConnection(id=1, code="klarna", kind="klarna", base_url="https://klarna.test"))
        s.flush()
        settled, unmatched = settle_references(s, "klarna", ["KL-501"], may(22), WHO, "KP-1")
        assert (settled, unmatched) == (2, [])
        s.add(ProviderSettlement(connection_id=1, provider="klarna", payout_ref="KP-1",
                                 payout_date=may(22), currency="SEK", amount=64_700 - 1_350,
                                 sales=64_700, fees=1_350, fee_vat=0, invoices_settled=2))
        s.commit()

    # --- the ledger posts it all by itself -------------------------------------------------------
    with store.write() as s:
        result = post_pending(s, who=WHO)
        s.commit()
    assert result.failed == {}
    return store, docs, result


def test_every_document_is_posted_once(month_done):
    store, _, result = month_done
    kinds = Counter(key.split(":")[0] for key in result.posted)
    assert kinds == {"z_report": 5, "invoice": 4, "incoming_payment": 1, "settlement": 1,
                     "supplier_invoice": 1, "supplier_payment": 1, "stock_count": 1}
    with store.write() as s:
        again = post_pending(s, who=WHO)
        s.commit()
        assert again.posted == [] and again.failed == {}
        assert s.scalar(select(func.count()).select_from(Voucher)) == 14
        series = Counter(s.scalars(select(Voucher.series)))
    assert series == {"A": 5, "B": 4, "C": 1, "E": 1, "D": 2, "F": 1}


def test_every_voucher_balances_and_the_trial_balance_is_zero(month_done):
    store, _, _ = month_done
    with store.read() as s:
        sums = s.execute(select(VoucherRow.voucher_id, func.sum(VoucherRow.amount))
                         .group_by(VoucherRow.voucher_id)).all()
        lines = trial_balance(s.connection(), *MAY)
    assert len(sums) == 14 and all(total == 0 for _, total in sums)
    assert sum(ln.closing for ln in lines) == 0
    assert sum(ln.debit for ln in lines) == -sum(ln.credit for ln in lines)
    closing = {ln.account: ln.closing for ln in lines}
    assert closing[1510] == 0                      # the B2B invoice, credited and paid in full
    assert closing[2440] == 0                      # the supplier is paid
    assert closing[1460] == -10_000 and closing[4960] == 10_000   # the count's shortage
    assert closing[2421] == -5 * 20_000 + 4 * 10_000              # gift cards sold less redeemed
    assert closing[6040] == 1_350                  # Klarna's fee (the card/provider fee account)
    # card takings: 234,80 the first day, 333,80 the next four (99,00 of the T-shirt on a gift
    # card); Klarna's two invoices (398,00 + 249,00) are cleared by the payout
    assert closing[1580] == 23_480 + 4 * 33_380 == 157_000
    assert closing[1910] == 5 * 30_100             # cash: 267,00 + 34,00 a day (rounded)
    # Swish 350,00 a day + the BgMax payment + Klarna's payout − the supplier paid
    assert closing[1930] == 5 * 35_000 + 39_800 + (64_700 - 1_350) - 250_000 == 28_150
    assert closing[3740] == -(43 + 33 + 23 + 13 + 3)  # the candy's cash rounding, day by day
    assert closing[4010] == 200_000 and closing[2641] == 50_000


def test_the_vat_return_equals_the_documents_vat(month_done):
    store, docs, _ = month_done
    with store.read() as s:
        b = vat_return(s.connection(), *MAY).boxes
    assert (b["10"], b["11"], b["12"]) == (docs[("vat", 2500)], docs[("vat", 1200)],
                                          docs[("vat", 600)])
    assert b["05"] == docs[("net", 2500)] + docs[("net", 1200)] + docs[("net", 600)] == 449_207
    assert b["48"] == docs["input"] == 50_000
    # 25 %: the till 69,80 + 4 × 109,60, the invoices 79,60 + 119,40 − the credit 39,80
    assert b["10"] == 6_980 + 4 * 10_960 + 7_960 + 11_940 - 3_980 == 66_740
    # 6 % (food is 6 % from April 2026, and books): the till's Z-reports + the webshop's book
    assert b["12"] == 1_905 + 1_905 + 1_906 + 1_906 + 1_907 + 1_409 == 10_938
    assert b["11"] == 0
    assert b["49"] == 66_740 + 10_938 - 50_000 == 27_678
    assert b["49"] == sum(b[k] for k in ("10", "11", "12", "30", "31", "32", "60", "61", "62")) - b["48"]


def test_the_month_end_stock_valuation_brings_the_stock_account_to_the_stock_value(month_done):
    store, _, _ = month_done
    with store.write() as s:
        result = post_pending(s, who=WHO, valuation_on=may(31))
        s.commit()
        assert result.posted == ["stock_valuation:2026-05-31"] and result.failed == {}
        # 14 T-shirts at 100,00 (the opening stock of the rest was taken in without a cost)
        assert stock_value(s.connection()) == 140_000
        lines = trial_balance(s.connection(), *MAY)
        again = post_pending(s, who=WHO, valuation_on=may(31))
        assert again.posted == []
    closing = {ln.account: ln.closing for ln in lines}
    assert sum(closing.values()) == 0
    assert closing[1460] == 140_000
    assert closing[4960] == 10_000 - 150_000  # the count's shortage, then the valuation
