"""Posting rules, as pure functions: each document gives a voucher that balances to the öre with the right accounts."""

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import ValidationError
from core.ledger import rules
from core.ledger.chart import DEFAULT_ROLES
from core.ledger.posting import Row, VoucherDraft, merged
from core.money import cash_rounding, vat_summary

R = dict(DEFAULT_ROLES)
DAY = dt.date(2026, 4, 10)
EUR = 11_500_000  # 11.50 SEK per EUR


def on(draft: VoucherDraft, account: int) -> int:
    return draft.amount_on(account)


def test_z_report_books_sales_vat_payments_gift_cards_and_rounding():
    facts = rules.ZReportFacts("KASSA1", 17, DAY, vat=[(2500, 80_000, 20_000), (1200, 10_000, 1_200),
                                                       (600, 5_000, 300)],
                               payments={"cash": 60_000, "card": 40_000, "swish": 12_000,
                                         "gift_card": 5_000},
                               cash_rounding=-50, gift_cards_sold=550 - 50 + 50)
    # payments 117 000 = sales 116 500 + gift cards 550 − rounding 50
    draft = rules.z_report_voucher(facts, R)
    assert draft.imbalance == 0
    assert (draft.series, draft.source_type, draft.source_id) == ("A", "z_report", "KASSA1:17")
    assert draft.text == "Z-dagrapport 17 KASSA1"
    assert on(draft, 1910) == 60_000 and on(draft, 1580) == 40_000 and on(draft, 1930) == 12_000
    assert on(draft, 3001) == -80_000 and on(draft, 2611) == -20_000
    assert on(draft, 3002) == -10_000 and on(draft, 2621) == -1_200
    assert on(draft, 3003) == -5_000 and on(draft, 2631) == -300
    assert on(draft, 2421) == 5_000 - 550  # redeemed (debit) minus sold (credit)
    assert on(draft, 3740) == 50  # the customer paid 50 öre less than the goods: a cost


def test_z_report_with_an_unknown_payment_method_is_refused():
    facts = rules.ZReportFacts("K", 1, DAY, vat=[(2500, 800, 200)], payments={"bitcoin": 1000})
    with pytest.raises(ValidationError, match="bitcoin"):
        rules.z_report_voucher(facts, R)


def test_card_payments_follow_the_configured_provider_receivable():
    roles = dict(R, card=1686, provider_receivable=1686)
    facts = rules.ZReportFacts("K", 1, DAY, vat=[(2500, 800, 200)], payments={"card": 1000})
    assert on(rules.z_report_voucher(facts, roles), 1686) == 1000


def test_domestic_invoice_and_its_credit_note_mirror_each_other():
    inv = rules.InvoiceFacts(1001, DAY, [(2500, 10_000, 2_500), (600, 1_000, 60)], customer="Kund AB")
    credit = rules.InvoiceFacts(1002, DAY, [(2500, -10_000, -2_500), (600, -1_000, -60)],
                                kind="credit_note")
    a, b = rules.invoice_voucher(inv, R), rules.invoice_voucher(credit, R)
    assert a.imbalance == b.imbalance == 0
    assert on(a, 1510) == 13_560 and on(a, 3001) == -10_000 and on(a, 2611) == -2_500
    assert on(a, 3003) == -1_000 and on(a, 2631) == -60
    assert {r.account: r.amount for r in b.rows} == {r.account: -r.amount for r in a.rows}
    assert b.text.startswith("Kreditfaktura 1002") and a.series == "B"


def test_oss_invoice_uses_3106_and_2670_tagged_with_country_and_rate():
    f = rules.InvoiceFacts(7, DAY, [(1900, 10_000, 1_900)], currency="EUR", rate_micro=EUR,
                           treatment="oss", country="DE", paid_by_provider="klarna")
    d = rules.invoice_voucher(f, R)
    assert d.imbalance == 0
    sales = next(r for r in d.rows if r.account == 3106)
    vat = next(r for r in d.rows if r.account == 2670)
    assert (sales.country, sales.rate_bp, sales.amount, sales.currency_amount) == ("DE", 1900, -115_000, -10_000)
    assert (vat.country, vat.amount) == ("DE", -21_850)
    receivable = next(r for r in d.rows if r.account == 1580)  # paid through Klarna
    assert (receivable.amount, receivable.currency, receivable.currency_amount) == (136_850, "EUR", 11_900)


@pytest.mark.parametrize("treatment,account", [("reverse_charge", 3108), ("export", 3105)])
def test_exempt_sales_abroad(treatment, account):
    d = rules.invoice_voucher(rules.InvoiceFacts(9, DAY, [(0, 50_000, 0)], treatment=treatment,
                                                 country="DE" if treatment != "export" else "NO"), R)
    assert on(d, account) == -50_000 and on(d, 1510) == 50_000 and d.imbalance == 0
    with pytest.raises(ValidationError):
        rules.invoice_voucher(rules.InvoiceFacts(9, DAY, [(2500, 100, 25)], treatment=treatment), R)


def test_a_euro_payment_books_the_exchange_difference():
    gain = rules.payment_voucher(rules.PaymentFacts("p1", DAY, 7, amount=10_000, amount_sek=116_000,
                                                    cleared_sek=115_000, currency="EUR"), R)
    loss = rules.payment_voucher(rules.PaymentFacts("p2", DAY, 8, amount=10_000, amount_sek=114_000,
                                                    cleared_sek=115_000, currency="EUR"), R)
    assert gain.imbalance == loss.imbalance == 0
    assert on(gain, 3960) == -1_000 and on(gain, 1930) == 116_000 and on(gain, 1510) == -115_000
    assert on(loss, 7960) == 1_000
    sek = rules.payment_voucher(rules.PaymentFacts("p3", DAY, 9, 5_000, 5_000, 5_000), R)
    assert [r.account for r in sek.rows] == [1930, 1510] and sek.series == "C"


def test_provider_settlement_clears_each_order_and_books_fees_with_vat():
    items = [rules.SettlementItem("order 100", 20_000, 20_000),
             rules.SettlementItem("order 101", 30_000, 30_000)]
    f = rules.SettlementFacts("S-1", "klarna", DAY, payout=48_750, payout_sek=48_750, items=items,
                              fee_net_sek=1_000, fee_vat_sek=250)
    d = rules.settlement_voucher(f, R)
    assert d.imbalance == 0 and d.series == "E"
    assert [r.text for r in d.rows if r.account == 1580] == ["order 100", "order 101"]
    assert on(d, 1930) == 48_750 and on(d, 6040) == 1_000 and on(d, 2641) == 250
    bank_fee = rules.settlement_voucher(
        rules.SettlementFacts("S-2", "nets", DAY, 9_900, 9_900, [rules.SettlementItem("o", 10_000, 10_000)],
                              fee_net_sek=100, fee_role="bank_fees"), R)
    assert on(bank_fee, 6570) == 100


def test_a_settlement_in_sek_that_does_not_add_up_stays_unbalanced():
    f = rules.SettlementFacts("S-3", "klarna", DAY, 10_000, 10_000, [rules.SettlementItem("o", 9_000, 9_000)])
    assert rules.settlement_voucher(f, R).imbalance == 1_000  # post() refuses it


def test_swedish_supplier_invoice_to_purchases_or_stock():
    f = rules.SupplierInvoiceFacts("si1", "F-77", "Grossisten AB", DAY, [(2500, 40_000, 10_000)])
    d = rules.supplier_invoice_voucher(f, R)
    assert (on(d, 4010), on(d, 2641), on(d, 2440), d.imbalance) == (40_000, 10_000, -50_000, 0)
    stock = rules.supplier_invoice_voucher(
        rules.SupplierInvoiceFacts("si2", "F-78", "G", DAY, [(2500, 40_000, 10_000)], to_stock=True), R)
    assert on(stock, 1460) == 40_000 and on(stock, 4010) == 0


@pytest.mark.parametrize("origin,base,out_vat,box,vat_box", [("EU", 4070, 2614, "20", "30"),
                                                            ("import", 4080, 2615, "50", "60")])
def test_foreign_purchase_computes_its_own_vat(origin, base, out_vat, box, vat_box):
    f = rules.SupplierInvoiceFacts("si", "X1", "Lieferant GmbH", DAY, [(2500, 10_000, 0)],
                                   currency="EUR", rate_micro=EUR, origin=origin)
    d = rules.supplier_invoice_voucher(f, R)
    assert d.imbalance == 0
    rows = {r.account: r for r in d.rows}
    assert rows[base].amount == 115_000 and rows[base].vat_box == box
    assert rows[out_vat].amount == -28_750 and rows[2645].amount == 28_750
    assert (rows[2440].amount, rows[2440].currency_amount) == (-115_000, -10_000)


def test_supplier_payment_in_euro_with_exchange_loss():
    f = rules.SupplierPaymentFacts("si", "X1", DAY, amount=10_000, amount_sek=117_000,
                                   cleared_sek=115_000, currency="EUR")
    d = rules.supplier_payment_voucher(f, R)
    assert (on(d, 2440), on(d, 1930), on(d, 7960), d.imbalance) == (115_000, -117_000, 2_000, 0)


def test_stock_rules():
    count = rules.stock_count_voucher(rules.StockCountFacts("3", 3, DAY, -4_500), R)
    assert (on(count, 1460), on(count, 4960)) == (-4_500, 4_500)
    value = rules.stock_valuation_voucher(rules.StockValuationFacts(DAY, 100_000, 90_000), R)
    assert (on(value, 1460), on(value, 4960), value.source_id) == (10_000, -10_000, "2026-04-10")
    receipt = rules.goods_receipt_voucher(rules.GoodsReceiptFacts("r1", DAY, 7_000), R)
    assert (on(receipt, 1460), receipt.series) == (7_000, "F")


def test_merged_adds_rows_of_the_same_account_and_drops_zero_rows():
    rows = merged([Row(1910, 100), Row(1910, 50), Row(3740, 0), Row(2611, -150)])
    assert rows == [Row(1910, 150), Row(2611, -150)]


# --- properties ------------------------------------------------------------------------------------

RATES = [2500, 1200, 600, 0]
line_st = st.tuples(st.integers(-20_000, 200_000), st.sampled_from(RATES))
receipt_st = st.fixed_dictionaries({
    "lines": st.lists(line_st, min_size=1, max_size=6),
    "gift": st.sampled_from([0, 0, 10_000, 50_000]),
    "card_part": st.integers(0, 100),
    "method": st.sampled_from(["card", "swish", "gift_card"]),
})


def receipt_of(spec) -> dict:
    """A receipt as the till makes one: VAT per rate, non-cash first, the rest in cash rounded."""
    total = sum(a for a, _ in spec["lines"]) + spec["gift"]
    non_cash = total * spec["card_part"] // 100
    rest = total - non_cash
    rounding = cash_rounding(rest)
    payments = {spec["method"]: non_cash, "cash": rest + rounding}
    return {"vat": vat_summary(spec["lines"]), "payments": payments, "rounding": rounding,
            "gift": spec["gift"]}


@settings(max_examples=200, deadline=None)
@given(st.lists(receipt_st, min_size=1, max_size=30))
def test_any_day_of_receipts_posts_balanced_with_the_receipts_vat(specs):
    receipts = [receipt_of(s) for s in specs]
    vat, payments = Counter(), Counter()
    for r in receipts:
        for part in r["vat"]:
            vat[(part.rate_bp, "net")] += part.net
            vat[(part.rate_bp, "vat")] += part.vat
        payments.update(r["payments"])
    facts = rules.ZReportFacts("K", 1, DAY,
                               vat=[(rate, vat[(rate, "net")], vat[(rate, "vat")]) for rate in RATES
                                    if (rate, "net") in vat],
                               payments=dict(payments), cash_rounding=sum(r["rounding"] for r in receipts),
                               gift_cards_sold=sum(r["gift"] for r in receipts))
    draft = rules.z_report_voucher(facts, R)
    assert draft.imbalance == 0
    for rate, (sales, output) in {2500: (3001, 2611), 1200: (3002, 2621), 600: (3003, 2631)}.items():
        assert -on(draft, output) == vat[(rate, "vat")]
        assert -on(draft, sales) == vat[(rate, "net")]


invoice_st = st.fixed_dictionaries({
    "lines": st.lists(st.tuples(st.integers(1, 10_000_000), st.sampled_from(RATES[:3])), min_size=1,
                      max_size=8),
    "treatment": st.sampled_from(["domestic", "domestic", "oss", "reverse_charge", "export"]),
    "currency": st.sampled_from(["SEK", "EUR"]),
    "rate_micro": st.integers(9_000_000, 13_000_000),
    "credit": st.booleans(),
    "include_vat": st.booleans(),
})


@settings(max_examples=300, deadline=None)
@given(invoice_st)
def test_any_invoice_posts_balanced_with_the_invoices_vat(spec):
    sign = -1 if spec["credit"] else 1
    if spec["treatment"] in ("reverse_charge", "export"):
        parts = [(0, sign * sum(a for a, _ in spec["lines"]), 0)]
    else:
        parts = [(p.rate_bp, sign * p.net, sign * p.vat)
                 for p in vat_summary(spec["lines"], spec["include_vat"])]
    sek = spec["currency"] == "SEK"
    f = rules.InvoiceFacts(1, DAY, parts, kind="credit_note" if spec["credit"] else "invoice",
                           currency=spec["currency"], rate_micro=1_000_000 if sek else spec["rate_micro"],
                           treatment=spec["treatment"], country="SE" if spec["treatment"] == "domestic" else "FI")
    draft = rules.invoice_voucher(f, R)
    assert draft.imbalance == 0
    if sek:
        vat_accounts = {2500: 2611, 1200: 2621, 600: 2631}
        for rate, net, vat in parts:
            if spec["treatment"] == "domestic":
                assert -on(draft, vat_accounts[rate]) == vat
            elif spec["treatment"] == "oss":
                assert -sum(r.amount for r in draft.rows if r.account == 2670 and r.rate_bp == rate) == vat
        assert on(draft, 1510) == f.gross
    else:
        assert next(r for r in draft.rows if r.account == 1510).currency_amount == f.gross

