"""A month of shop activity posted to the ledger: real till days and Z-reports, invoices (domestic, OSS
in EUR through Klarna, export, EU business, a credit note), payments, a Klarna settlement, purchases
in Sweden and from the EU, a stock count. Every voucher balances, the trial balance sums to zero,
the VAT return equals the VAT on the documents and box 49 its formula; reports export as PDF/CSV.
"""

import datetime as dt
import io
from collections import Counter

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from core.documents import ledger_pdf
from core.inventory.ops_models import StockCount
from core.invoicing.models import Invoice
from core.ledger import adapters, rules
from core.ledger.chart import roles, seed_ledger
from core.ledger.fx import set_rate
from core.ledger.models import VoucherRow
from core.ledger.oss import oss_report
from core.ledger.posting import post
from core.ledger.reports import balance_sheet, income_statement, trial_balance
from core.ledger.vat_return import month, settlement_voucher, vat_return
from core.sales.payments import Payment, cash_due
from core.sales.till import Till
from tests.sales_support import control_unit, setup_shop

APRIL = month("2026-04")
EUR = 11_400_000


def day(n: int) -> dt.date:
    return dt.date(2026, 4, n)


def sell_day(till: Till, n: int) -> None:
    """A few receipts: standard, food and books, cash (rounded), card, Swish, a gift card."""
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
    if n % 2:
        till.scan("TSHIRT-RED")
        total = till.cart.total
        till.complete([Payment("gift_card", 10_000, reference=f"GC{n - 1 or 1}"),
                       Payment("card", total - 10_000)])


def invoice(number, on, parts, **kw) -> Invoice:
    gross = sum(n + v for _, n, v in parts)
    return Invoice(number=number, invoice_date=on, kind=kw.pop("kind", "invoice"),
                   vat_parts=[{"rate_bp": r, "net": n, "vat": v} for r, n, v in parts],
                   currency=kw.pop("currency", "SEK"), vat_treatment=kw.pop("treatment", "domestic"),
                   vat_country=kw.pop("country", "SE"), paid_by_provider=kw.pop("provider", None),
                   customer_name=kw.pop("customer", "Kund"), total_gross=gross)


@pytest.fixture
def month_posted(store):
    register = setup_shop(store)
    now = [dt.datetime(2026, 4, 1, 18, 0)]
    till = Till(store, register, control_unit(), cashier="Anna", clock=lambda: now[0])
    with store.write() as s:
        seed_ledger(s)
        set_rate(s, "EUR", day(6), EUR)
        set_rate(s, "EUR", day(20), 11_600_000)
        s.commit()
    docs = Counter()  # VAT per rate and the other figures the documents carry
    for n in (1, 2, 3, 6, 7, 8, 9):
        now[0] = dt.datetime(2026, 4, n, 18, 0)
        sell_day(till, n)
        body = till.z_report()
        for part in body["vat"]:
            docs[("vat", part["rate_bp"])] += part["vat"]
            docs[("net", part["rate_bp"])] += part["net"]
        with store.write() as s:
            adapters.post_z_report(s, body)
            adapters.post_z_report(s, body)  # a replayed Z posts nothing more
            s.commit()
    with store.write() as s:
        r = roles(s)
        domestic = invoice(5001, day(6), [(2500, 40_000, 10_000), (1200, 5_000, 600)], customer="Företaget AB")
        oss = invoice(5002, day(6), [(1900, 10_000, 1_900)], currency="EUR", treatment="oss",
                      country="DE", provider="klarna")
        export = invoice(5003, day(7), [(0, 30_000, 0)], treatment="export", country="NO")
        eu_b2b = invoice(5004, day(7), [(0, 25_000, 0)], treatment="reverse_charge", country="FI")
        credit = invoice(5005, day(8), [(2500, -8_000, -2_000)], kind="credit_note")
        for inv in (domestic, oss, export, eu_b2b, credit):
            adapters.post_invoice(s, inv)
        docs[("vat", 2500)] += 10_000 - 2_000
        docs[("net", 2500)] += 40_000 - 8_000
        docs[("vat", 1200)] += 600
        docs[("net", 1200)] += 5_000
        # the customer pays the domestic invoice less the credit
        post(s, rules.payment_voucher(rules.PaymentFacts("pay-1", day(20), 5001, 40_000, 40_000, 40_000), r))
        # Klarna pays out the OSS order (EUR, rate moved) minus its fee with VAT
        cleared = 11_900 * EUR // 1_000_000
        post(s, rules.settlement_voucher(rules.SettlementFacts(
            "K-77", "klarna", day(20), payout=11_500, payout_sek=11_500 * 116 // 10, currency="EUR",
            items=[rules.SettlementItem("order 5002", 11_900, cleared)],
            fee_net_sek=3_200, fee_vat_sek=800), r))
        docs["input"] += 800
        se_purchase = rules.SupplierInvoiceFacts("si-1", "L-100", "Grossisten AB", day(9),
                                                 [(2500, 200_000, 50_000)])
        eu_purchase = rules.SupplierInvoiceFacts("si-2", "DE-9", "Lieferant GmbH", day(9),
                                                 [(2500, 10_000, 0)], currency="EUR",
                                                 rate_micro=EUR, origin="EU")
        post(s, rules.supplier_invoice_voucher(se_purchase, r))
        post(s, rules.supplier_invoice_voucher(eu_purchase, r))
        docs["input"] += 50_000 + 114_000 * 25 // 100
        docs["eu_base"] += 114_000
        post(s, rules.supplier_payment_voucher(rules.SupplierPaymentFacts(
            "si-1", "L-100", day(20), 250_000, 250_000, 250_000), r))
        count = StockCount(id=3, number=3, location_id=1, scope="full", status="posted",
                           count_date=day(28), posted_at=dt.datetime(2026, 4, 28, 9), value_change=-4_321,
                           created_by="Anna")
        adapters.post_stock_count(s, count)
        s.commit()
    return store, docs


def test_every_voucher_balances_and_the_trial_balance_is_zero(month_posted):
    store, _ = month_posted
    with store.read() as s:
        per_voucher = s.execute(select(VoucherRow.voucher_id, func.sum(VoucherRow.amount))
                                .group_by(VoucherRow.voucher_id)).all()
        assert len(per_voucher) == 7 + 5 + 1 + 1 + 2 + 1 + 1
        assert all(total == 0 for _, total in per_voucher)
        lines = trial_balance(s.connection(), *APRIL)
    assert sum(ln.closing for ln in lines) == 0
    assert sum(ln.debit for ln in lines) == -sum(ln.credit for ln in lines)
    closing = {ln.account: ln.closing for ln in lines}
    assert closing[1460] == -4_321 and closing[4960] == 4_321  # the count's shrinkage
    assert closing[1510] == 55_600 + 30_000 + 25_000 - 10_000 - 40_000  # invoices − credit − paid
    assert closing[1580] > 0  # card takings not yet settled; the Klarna order is cleared
    assert closing[2440] == -114_000  # the EU invoice is still to pay
    assert closing[2421] == -7 * 20_000 + 4 * 10_000  # gift cards sold, less those redeemed
    assert closing[3740] != 0  # the weighed candy paid in cash was rounded to whole kronor
    # Klarna paid 115 EUR at 11.60 for an order of 119 EUR booked at 11.40, less 40 kr in fees
    assert closing[3960] == -(11_500 * 116 // 10 + 3_200 + 800 - 11_900 * 114 // 10)


def test_the_vat_return_equals_the_documents_vat(month_posted):
    store, docs = month_posted
    with store.read() as s:
        ret = vat_return(s.connection(), *APRIL)
    b = ret.boxes
    assert (b["10"], b["11"], b["12"]) == (docs[("vat", 2500)], docs[("vat", 1200)], docs[("vat", 600)])
    assert b["05"] == docs[("net", 2500)] + docs[("net", 1200)] + docs[("net", 600)]
    assert b["36"] == 30_000 and b["35"] == 25_000  # export, EU business
    assert b["20"] == docs["eu_base"] and b["30"] == docs["eu_base"] // 4
    assert b["48"] == docs["input"]
    assert b["49"] == sum(b[k] for k in ("10", "11", "12", "30", "31", "32", "60", "61", "62")) - b["48"]
    assert b["42"] == docs[("net", 0)] == 0


def test_the_oss_report_and_the_vat_settlement(month_posted):
    store, _ = month_posted
    with store.write() as s:
        lines = oss_report(s.connection(), *APRIL)
        assert [(ln.country, ln.rate_bp, ln.net, ln.vat) for ln in lines] == \
            [("DE", 1900, 10_000 * 114 // 10, 1_900 * 114 // 10)]
        before = vat_return(s.connection(), *APRIL)
        v = post(s, settlement_voucher(s, *APRIL))
        assert v.series == "V"
        after = vat_return(s.connection(), *APRIL)
        closing = {ln.account: ln.closing for ln in trial_balance(s.connection(), *APRIL)}
    assert after.boxes == before.boxes
    assert closing[2650] == -before.to_pay
    for account in (2611, 2621, 2631, 2614, 2641, 2645):
        assert closing.get(account, 0) == 0
    assert closing[2670] == -21_660  # OSS VAT is paid through the OSS return, not 2650


def test_statements_and_their_pdf_and_csv(month_posted):
    store, _ = month_posted
    with store.read() as s:
        conn = s.connection()
        sections, result = income_statement(conn, *APRIL)
        assets, year_result = balance_sheet(conn, APRIL[1])
        assert result == year_result
        assert [x.heading for x in sections] == ["Rörelseintäkter", "Handelsvaror", "Övriga externa kostnader"]
        assert sections[0].total > 0 and sections[1].total < 0
        assert assets[0].total == assets[1].total + year_result
        tables = [ledger_pdf.trial_balance_table(conn, *APRIL), ledger_pdf.vouchers_table(conn, *APRIL),
                  ledger_pdf.general_ledger_table(conn, 1910, *APRIL),
                  ledger_pdf.income_statement_table(conn, *APRIL),
                  ledger_pdf.balance_sheet_table(conn, APRIL[1]), ledger_pdf.vat_return_table(conn, *APRIL)]
    for table in tables:
        pdf = PdfReader(io.BytesIO(ledger_pdf.to_pdf(table)))
        words = "".join(page.extract_text() for page in pdf.pages)
        assert table.title.split()[0] in words and "Butiken AB" in words
        csv = ledger_pdf.to_csv(table).decode("utf-8-sig")
        assert csv.splitlines()[0] == ";".join(table.columns)
    tb_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(ledger_pdf.to_pdf(tables[0]))).pages)
    assert "Öres- och kronutjämning" in tb_text and "Råbalans" in tb_text
