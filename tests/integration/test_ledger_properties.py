"""Hypothesis through the database: random invoices and credit notes posted, and the VAT return moves
by exactly their VAT per rate; every voucher balances."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.ledger import rules
from core.ledger.chart import DEFAULT_ROLES, seed_ledger
from core.ledger.models import VoucherRow
from core.ledger.posting import post
from core.ledger.vat_return import month, vat_return
from core.money import vat_summary

MAY = month("2026-05")
BOX = {2500: "10", 1200: "11", 600: "12"}
doc_st = st.tuples(
    st.lists(st.tuples(st.integers(-50_000, 5_000_000), st.sampled_from([2500, 1200, 600])),
             min_size=1, max_size=6),
    st.booleans(),  # prices include VAT
    st.integers(1, 31))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=st.lists(doc_st, min_size=1, max_size=8))
def test_posted_invoices_move_the_vat_return_by_their_vat(store, docs):
    with store.write() as s:
        seed_ledger(s)
        before = vat_return(s.connection(), *MAY).boxes
        expected = {box: 0 for box in BOX.values()}
        sales = 0
        for lines, incl, day in docs:
            parts = [(p.rate_bp, p.net, p.vat) for p in vat_summary(lines, incl)]
            if not any(n or v for _, n, v in parts):
                continue  # nothing to post
            number = s.scalar(select(func.count()).select_from(VoucherRow)) + 1
            total = sum(n + v for _, n, v in parts)
            kind = "credit_note" if total < 0 else "invoice"
            post(s, rules.invoice_voucher(rules.InvoiceFacts(number, dt.date(2026, 5, day), parts, kind=kind),
                                          DEFAULT_ROLES))
            for rate, net, vat in parts:
                expected[BOX[rate]] += vat
                sales += net
        after = vat_return(s.connection(), *MAY).boxes
        unbalanced = s.execute(select(VoucherRow.voucher_id).group_by(VoucherRow.voucher_id)
                               .having(func.sum(VoucherRow.amount) != 0)).all()
        s.commit()
    assert unbalanced == []
    for box, vat in expected.items():
        assert after[box] - before[box] == vat
    assert after["05"] - before["05"] == sales
    assert after["49"] - before["49"] == sum(expected.values())
