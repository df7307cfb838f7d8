"""Adapters from the other areas' stored documents to the posting rules: invoices and payments in EUR,
supplier invoices by the supplier's country, supplier payments, the stock valuation."""

import datetime as dt

import pytest

from core.errors import NotFound, ValidationError
from core.invoicing.models import IncomingPayment, Invoice
from core.ledger import adapters
from core.ledger.chart import roles, seed_ledger
from core.ledger.fx import set_rate
from core.ledger.posting import post, rows_of
from core.ledger.rules import stock_valuation_voucher
from core.purchasing.models import Supplier, SupplierInvoice

D1, D2 = dt.date(2026, 5, 4), dt.date(2026, 5, 25)


@pytest.fixture
def s(store):
    with store.write() as session:
        seed_ledger(session)
        set_rate(session, "EUR", D1, 11_000_000)
        set_rate(session, "EUR", D2, 11_200_000)
        yield session


def amounts(session, voucher) -> dict[int, int]:
    out: dict[int, int] = {}
    for r in rows_of(session, voucher.id):
        out[r.account] = out.get(r.account, 0) + r.amount
    return out


def test_a_euro_invoice_and_its_payment_book_the_exchange_gain(s):
    inv = Invoice(number=9001, ocr="90016", invoice_date=D1, due_date=D2, kind="invoice",
                  currency="EUR", vat_treatment="domestic", vat_country="SE", total_net=10_000,
                  total_vat=2_500, total_gross=12_500,
                  vat_parts=[{"rate_bp": 2500, "net": 10_000, "vat": 2_500}], customer_name="Ölkompaniet")
    s.add(inv)
    s.flush()
    with pytest.raises(NotFound, match="not posted"):
        adapters.payment_facts(s, IncomingPayment(paid_on=D2, amount=12_500, currency="EUR",
                                                  source="manual", invoice_id=inv.id))
    v = adapters.post_invoice(s, inv)
    assert amounts(s, v) == {1510: 137_500, 3001: -110_000, 2611: -27_500}
    assert v.text == "Faktura 9001 Ölkompaniet"
    pay = IncomingPayment(paid_on=D2, amount=12_500, currency="EUR", source="manual", invoice_id=inv.id)
    s.add(pay)
    s.flush()
    p = adapters.post_payment(s, pay)
    assert amounts(s, p) == {1930: 140_000, 1510: -137_500, 3960: -2_500}
    assert adapters.post_payment(s, pay).id == p.id  # posted once
    provider = IncomingPayment(paid_on=D2, amount=1, currency="SEK", source="provider", invoice_id=inv.id)
    with pytest.raises(ValidationError, match="settlement"):
        adapters.payment_facts(s, provider)


def test_a_partial_payment_clears_its_share_at_the_invoice_rate(s):
    inv = Invoice(number=9002, ocr="90024", invoice_date=D1, due_date=D2, currency="EUR",
                  vat_treatment="oss", vat_country="FI", total_net=10_000, total_vat=2_550,
                  total_gross=12_550, vat_parts=[{"rate_bp": 2550, "net": 10_000, "vat": 2_550}])
    s.add(inv)
    s.flush()
    adapters.post_invoice(s, inv)
    pay = IncomingPayment(paid_on=D1, amount=5_000, currency="EUR", source="manual", invoice_id=inv.id)
    s.add(pay)
    s.flush()
    assert amounts(s, adapters.post_payment(s, pay)) == {1930: 55_000, 1510: -55_000}


@pytest.mark.parametrize("country,origin", [(None, "SE"), ("SE", "SE"), ("DE", "EU"), ("CN", "import")])
def test_supplier_origin(country, origin):
    assert adapters.supplier_origin(country) == origin


def test_supplier_invoice_from_an_eu_supplier_and_its_payment(s):
    sup = Supplier(id=7, code="LIEF", name="Lieferant GmbH", country="DE", currency="EUR")
    s.add(sup)
    s.flush()
    inv = SupplierInvoice(supplier_id=7, invoice_number="R-55", invoice_date=D1, due_date=D2,
                          currency="EUR", net=20_000, vat=0, total=20_000, status="open")
    s.add(inv)
    s.flush()
    v = adapters.post_supplier_invoice(s, inv)
    assert amounts(s, v) == {4070: 220_000, 2614: -55_000, 2645: 55_000, 2440: -220_000}
    inv.paid_on = D2
    p = adapters.post_supplier_payment(s, inv)
    assert amounts(s, p) == {2440: 220_000, 1930: -224_000, 7960: 4_000}


def test_swedish_supplier_invoice_in_sek(s):
    s.add(Supplier(id=8, code="GROSS", name="Grossisten AB", country="SE"))
    s.flush()
    inv = SupplierInvoice(supplier_id=8, invoice_number="1234", invoice_date=D1, due_date=D2,
                          currency="SEK", net=80_000, vat=20_000, total=100_000, status="open")
    s.add(inv)
    s.flush()
    assert amounts(s, adapters.post_supplier_invoice(s, inv, to_stock=True)) == \
        {1460: 80_000, 2641: 20_000, 2440: -100_000}
    with pytest.raises(ValidationError, match="not paid"):
        adapters.supplier_payment_facts(s, inv)
    inv.paid_on = D2
    assert amounts(s, adapters.post_supplier_payment(s, inv)) == {2440: 100_000, 1930: -100_000}


def test_the_stock_valuation_brings_1460_to_the_stock_value(s):
    s.add(Supplier(id=9, code="G2", name="G2 AB"))
    s.flush()
    inv = SupplierInvoice(supplier_id=9, invoice_number="9", invoice_date=D1, due_date=D2,
                          currency="SEK", net=50_000, vat=12_500, total=62_500, status="open")
    s.add(inv)
    s.flush()
    adapters.post_supplier_invoice(s, inv, to_stock=True)
    facts = adapters.stock_valuation_facts(s, D2)
    assert (facts.book_value, facts.stock_value) == (50_000, 0)  # nothing on hand in this shop
    v = post(s, stock_valuation_voucher(facts, roles(s)))
    assert amounts(s, v) == {1460: -50_000, 4960: 50_000}
    assert adapters.stock_valuation_facts(s, D2).book_value == 0


def test_only_a_z_report_is_posted():
    with pytest.raises(ValidationError, match="Z-dagrapport"):
        adapters.z_report_facts({"type": "X"})


def test_a_klarna_payout_clears_the_orders_it_settled_and_books_the_fee(s):
    from core.integrations.models import IntegrationConnection, ProviderSettlement
    from core.invoicing.payments import settle_provider

    s.add(IntegrationConnection(id=1, code="klarna", kind="klarna", base_url="http://127.0.0.1:1"))
    invoices = []
    for number, gross in ((9101, 12_500), (9102, 25_000)):
        inv = Invoice(number=number, ocr=f"{number}1", invoice_date=D1, due_date=D2, currency="SEK",
                      total_net=gross * 4 // 5, total_vat=gross // 5, total_gross=gross,
                      vat_parts=[{"rate_bp": 2500, "net": gross * 4 // 5, "vat": gross // 5}],
                      paid_by_provider="klarna")
        s.add(inv)
        s.flush()
        assert amounts(s, adapters.post_invoice(s, inv))[1580] == gross
        invoices.append(inv)
    for inv in invoices:
        settle_provider(s, inv.id, D2, "klarna:klarna", reference="PAYOUT-1")
    payout = ProviderSettlement(connection_id=1, provider="klarna", payout_ref="PAYOUT-1", payout_date=D2,
                                currency="SEK", amount=37_500 - 1_100, sales=37_500, fees=1_100, fee_vat=0)
    s.add(payout)
    s.flush()
    v = adapters.post_settlement(s, payout)
    assert amounts(s, v) == {1930: 36_400, 1580: -37_500, 6040: 1_100}
    assert [r.text for r in rows_of(s, v.id) if r.account == 1580] == ["Faktura 9101", "Faktura 9102"]
    assert payout.posted_at is not None and v.series == "E"
