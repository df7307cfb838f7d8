"""Ledger speed: trial balance for a year, VAT return for a month, SIE4 export of the year.

Builds (or reuses) a ledger of N voucher rows in one financial year (2025), generated with raw
executemany: day vouchers of four balanced rows each (cash, card receivable, sales and output VAT
at 25 or 12 %), tagged with their VAT boxes like the posting rules tag them. Targets at
N = 1,000,000: trial balance ≤ 1 s, VAT return ≤ 1 s, SIE4 export ≤ 20 s.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from sqlalchemy import text

from bench.common import bench_folder
from core.db import open_store
from core.db.bulk import raw_insert
from core.ledger.chart import seed_ledger
from core.ledger.periods import year_of
from core.ledger.reports import trial_balance
from core.ledger.sie4 import export_sie4
from core.ledger.vat_return import month, vat_return
from core.money import vat_of_gross
from core.progress import cli_progress

YEAR = 2025
BATCH = 50_000
ROWS_PER_VOUCHER = 4
#: (sales account, VAT account, rate, sales box, VAT box)
RATES = [(3001, 2611, 2500, "05", "10"), (3002, 2621, 1200, "05", "11")]


def add_arguments(p) -> None:
    p.add_argument("--rows", type=int, default=1_000_000, metavar="N",
                   help="voucher rows in the year (default and target 1000000)")


def _fill(store, target: int, quiet: bool) -> int:
    """Add day vouchers until the year holds `target` rows; returns the row count."""
    with store.write() as session:
        seed_ledger(session)
        year = year_of(session, dt.date(YEAR, 6, 1))
        session.commit()
        year_id = year.id
    with store.engine.begin() as conn:
        have = conn.execute(text("SELECT count(*) FROM voucher_row")).scalar()
        if have >= target:
            return have
        first_id = conn.execute(text("SELECT coalesce(max(id), 0) FROM voucher")).scalar() + 1
        first_row = conn.execute(text("SELECT coalesce(max(id), 0) FROM voucher_row")).scalar() + 1
        number = conn.execute(text("SELECT coalesce(max(number), 0) FROM voucher WHERE series = 'A' "
                                   "AND financial_year_id = :y"), {"y": year_id}).scalar()
        rng = random.Random(7)
        todo = (target - have) // ROWS_PER_VOUCHER
        vouchers_per_day = max(1, todo // 365)
        vcols = ("id", "series", "financial_year_id", "number", "date", "text", "created_at",
                 "created_by")
        rcols = ("id", "voucher_id", "booked_on", "account", "amount", "vat_box")
        now = "2026-01-01 00:00:00.000000"
        with cli_progress("Generating voucher rows", todo * ROWS_PER_VOUCHER,
                          enabled=not quiet) as progress:
            done = 0
            while done < todo:
                vouchers, rows = [], []
                for i in range(done, min(done + BATCH // ROWS_PER_VOUCHER, todo)):
                    vid, number = first_id + i, number + 1
                    day = (dt.date(YEAR, 1, 1) + dt.timedelta(days=min(364, i // vouchers_per_day)))
                    sales, vat_acc, rate, sbox, vbox = RATES[i % len(RATES)]
                    gross = rng.randint(1_000, 5_000_000)
                    vat = vat_of_gross(gross, rate)
                    card = gross * rng.randint(0, 100) // 100
                    vouchers.append((vid, "A", year_id, number, day.isoformat(),
                                     f"Z-dagrapport {number} KASSA{i % 9 + 1}", now, "bench"))
                    r0 = first_row + i * ROWS_PER_VOUCHER
                    d = day.isoformat()
                    rows += [(r0, vid, d, 1910, gross - card, None), (r0 + 1, vid, d, 1580, card, None),
                             (r0 + 2, vid, d, sales, vat - gross, sbox), (r0 + 3, vid, d, vat_acc, -vat, vbox)]
                raw_insert(conn, "voucher", vcols, vouchers)
                raw_insert(conn, "voucher_row", rcols, rows)
                done += len(vouchers)
                progress(done * ROWS_PER_VOUCHER, todo * ROWS_PER_VOUCHER)
        series = f"voucher_a_{YEAR}0101"
        conn.execute(text("INSERT INTO number_series (series, value) VALUES (:s, :v) "
                          "ON CONFLICT (series) DO UPDATE SET value = :v"), {"s": series, "v": number})
        conn.execute(text("ANALYZE"))
        return conn.execute(text("SELECT count(*) FROM voucher_row")).scalar()


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return round(time.perf_counter() - t0, 3)


def run(args) -> dict:
    folder = bench_folder(args, "ledger", args.rows)
    quiet = getattr(args, "json", False)
    store = open_store(folder / "ledger.sqlite", synchronous="OFF")
    try:
        rows = _fill(store, args.rows, quiet)
        start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
        with store.read() as session:
            conn = session.connection()
            year_id = conn.execute(text("SELECT id FROM financial_year WHERE start_date = :s"),
                                   {"s": start}).scalar()
            tb = _timed(lambda: trial_balance(conn, start, end))
            vat = _timed(lambda: vat_return(conn, *month(f"{YEAR}-06")))
            sie = _timed(lambda: export_sie4(conn, folder / f"ledger-{YEAR}.se", year_id))
    finally:
        store.dispose()
    return {"voucher_rows": rows, "trial_balance_s": tb, "vat_return_s": vat, "sie_export_s": sie}
