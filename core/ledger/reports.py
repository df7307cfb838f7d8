"""Trial balance, general ledger per account, income statement and balance sheet, from indexed aggregates.

Balances: an account's opening balance for a financial year is the opening balance imported for
the latest year that has them (SIE #IB) plus every row since; for years with no import, every row
before the year. The result of earlier years, not yet booked to equity, is carried on 2099 so
the opening balances always sum to zero. Result accounts (3000–8999) start each year at zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text

from core.ledger.chart import is_balance_account

#: what the year's unbooked result of earlier years is carried on
CARRIED_RESULT_ACCOUNT = 2099


@dataclass(frozen=True)
class TrialLine:
    account: int
    name: str
    opening: int
    debit: int
    credit: int

    @property
    def closing(self) -> int:
        return self.opening + self.debit + self.credit


def year_bounds(conn, on: dt.date) -> tuple[int, dt.date, dt.date] | None:
    row = conn.execute(text("SELECT id, start_date, end_date FROM financial_year "
                            "WHERE start_date <= :d AND end_date >= :d"), {"d": on}).first()
    if row is None:
        return None
    return int(row[0]), _date(row[1]), _date(row[2])


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def opening_balances(conn, year_start: dt.date) -> dict[int, int]:
    """Balance accounts' opening balances on `year_start` (sums to zero when the books balance)."""
    base = conn.execute(text(
        "SELECT fy.id, fy.start_date FROM financial_year fy WHERE fy.start_date <= :d AND EXISTS "
        "(SELECT 1 FROM opening_balance ob WHERE ob.financial_year_id = fy.id) "
        "ORDER BY fy.start_date DESC LIMIT 1"), {"d": year_start}).first()
    out: dict[int, int] = {}
    if base is not None:
        for account, amount in conn.execute(text(
                "SELECT account, amount FROM opening_balance WHERE financial_year_id = :y"),
                {"y": base[0]}):
            out[int(account)] = int(amount)
        since = _date(base[1])
    else:
        since = dt.date(1, 1, 1)
    carried = 0
    for account, total in conn.execute(text(
            "SELECT account, SUM(amount) FROM voucher_row WHERE booked_on >= :a AND booked_on < :b "
            "GROUP BY account"), {"a": since, "b": year_start}):
        if is_balance_account(int(account)):
            out[int(account)] = out.get(int(account), 0) + int(total)
        else:
            carried += int(total)
    if carried:
        out[CARRIED_RESULT_ACCOUNT] = out.get(CARRIED_RESULT_ACCOUNT, 0) + carried
    return {a: v for a, v in out.items() if v}


def account_names(conn) -> dict[int, str]:
    return {int(n): name for n, name in conn.execute(text("SELECT number, name FROM account"))}


def trial_balance(conn, start: dt.date, end: dt.date) -> list[TrialLine]:
    """Per account: balance at `start`, debits and credits in [start, end]; within one financial year."""
    bounds = year_bounds(conn, start)
    year_start = bounds[1] if bounds else start
    opening = opening_balances(conn, year_start)
    figures = {a: [v, 0, 0] for a, v in opening.items()}
    if start > year_start:  # rows of the year before the period add to the opening balance
        for account, before in conn.execute(text(
                "SELECT account, SUM(amount) FROM voucher_row WHERE booked_on >= :ys "
                "AND booked_on < :s GROUP BY account"), {"ys": year_start, "s": start}):
            figures.setdefault(int(account), [0, 0, 0])[0] += int(before)
    for account, debit, credit in conn.execute(text(
            "SELECT account, SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END), "
            "SUM(CASE WHEN amount < 0 THEN amount ELSE 0 END) "
            "FROM voucher_row WHERE booked_on >= :s AND booked_on <= :e GROUP BY account"),
            {"s": start, "e": end}):
        f = figures.setdefault(int(account), [0, 0, 0])
        f[1] += int(debit)
        f[2] += int(credit)
    names = account_names(conn)
    return [TrialLine(a, names.get(a, ""), *figures[a]) for a in sorted(figures)
            if any(figures[a])]


@dataclass(frozen=True)
class LedgerEntry:
    date: dt.date
    voucher: str
    text: str
    amount: int
    balance: int


def general_ledger(conn, account: int, start: dt.date, end: dt.date) -> tuple[int, list[LedgerEntry]]:
    """(opening balance, rows with a running balance) of one account over [start, end]."""
    before = trial_balance(conn, start, start - dt.timedelta(days=1))  # balances at `start`
    opening = next((ln.opening for ln in before if ln.account == account), 0)
    rows = conn.execute(text(
        "SELECT v.date, v.series, v.number, COALESCE(r.text, v.text), r.amount FROM voucher_row r "
        "JOIN voucher v ON v.id = r.voucher_id WHERE r.account = :a AND r.booked_on BETWEEN :s AND :e "
        "ORDER BY r.booked_on, v.series, v.number, r.id"), {"a": account, "s": start, "e": end})
    out, balance = [], opening
    for date, series, number, txt, amount in rows:
        balance += int(amount)
        out.append(LedgerEntry(_date(date), f"{series}{number}", txt, int(amount), balance))
    return opening, out


#: income statement sections: (heading, first account, last account)
INCOME_SECTIONS = [
    ("Rörelseintäkter", 3000, 3999), ("Handelsvaror", 4000, 4999),
    ("Övriga externa kostnader", 5000, 6999), ("Personalkostnader", 7000, 7699),
    ("Avskrivningar och övriga rörelsekostnader", 7700, 7999), ("Finansiella poster", 8000, 8999),
]
BALANCE_SECTIONS = [("Tillgångar", 1000, 1999), ("Eget kapital och skulder", 2000, 2999)]


@dataclass(frozen=True)
class Section:
    heading: str
    lines: list[tuple[int, str, int]]

    @property
    def total(self) -> int:
        return sum(amount for _, _, amount in self.lines)


def income_statement(conn, start: dt.date, end: dt.date) -> tuple[list[Section], int]:
    """Sections with income positive and costs negative, and the result (profit positive)."""
    lines = [ln for ln in trial_balance(conn, start, end) if not is_balance_account(ln.account)]
    sections = []
    for heading, lo, hi in INCOME_SECTIONS:
        picked = [(ln.account, ln.name, -(ln.debit + ln.credit)) for ln in lines if lo <= ln.account <= hi]
        if picked:
            sections.append(Section(heading, picked))
    return sections, sum(s.total for s in sections)


def balance_sheet(conn, on: dt.date) -> tuple[list[Section], int]:
    """Assets (debit positive), equity and liabilities (credit positive) on `on`, and the year's
    result so far that makes the two sides equal."""
    bounds = year_bounds(conn, on)
    start = bounds[1] if bounds else on
    lines = trial_balance(conn, start, on)
    result = -sum(ln.closing for ln in lines if not is_balance_account(ln.account))
    sections = []
    for heading, lo, hi in BALANCE_SECTIONS:
        sign = 1 if lo < 2000 else -1
        picked = [(ln.account, ln.name, sign * ln.closing) for ln in lines
                  if lo <= ln.account <= hi and ln.closing]
        sections.append(Section(heading, picked))
    return sections, result
