"""The ledger on PostgreSQL: posting, the immutability trigger, trial balance, VAT return and SIE4 export."""

import datetime as dt
import io

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from core.db import open_store
from core.ledger import rules
from core.ledger.chart import DEFAULT_ROLES, seed_ledger
from core.ledger.posting import post
from core.ledger.reports import trial_balance
from core.ledger.sie4 import write_sie4
from core.ledger.vat_return import month, vat_return


def test_ledger_on_postgresql(pg_url):
    store = open_store(pg_url)
    try:
        with store.write() as s:
            seed_ledger(s)
            facts = rules.ZReportFacts("K1", 1, dt.date(2026, 4, 10), [(2500, 80_000, 20_000)],
                                       {"cash": 100_000})
            v = post(s, rules.z_report_voucher(facts, DEFAULT_ROLES))
            s.commit()
            vid, year = v.id, v.financial_year_id
        for sql in ("UPDATE voucher_row SET amount = 0", "DELETE FROM voucher WHERE id = :v"):
            with store.write() as s, pytest.raises(DatabaseError, match="cannot be changed"):
                s.execute(text(sql), {"v": vid})
        with store.read() as s:
            conn = s.connection()
            lines = trial_balance(conn, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
            assert sum(ln.closing for ln in lines) == 0 and len(lines) == 3
            assert vat_return(conn, *month("2026-04")).boxes["10"] == 20_000
            out = io.BytesIO()
            assert write_sie4(conn, out, year) == 1
        assert b"#TRANS 2611 {} -200.00" in out.getvalue()
    finally:
        store.dispose()
