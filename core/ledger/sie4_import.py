"""SIE import of a chart of accounts and opening balances from another system; all or nothing.

The whole file is read and checked first; any fault is refused with its line number and nothing
is written. Imported: #KONTO (accounts added or renamed), #RAR 0 (the financial year, opened
when missing) and #IB 0 (its opening balances, replacing earlier imported ones; they must sum
to zero). Other labels are read for their syntax and otherwise ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.errors import Conflict, ValidationError
from core.ledger.chart import is_balance_account
from core.ledger.models import Account, FinancialYear, OpeningBalance
from core.ledger.periods import check_open, open_year
from core.money import format_amount

TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\{[^}]*\})|(\S+)')


class SieError(ValidationError):
    """A malformed SIE file: says which line and why."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(f"line {line}: {message}", field="file",
                         hint="fix the file; nothing was imported")


def tokens(line: str) -> list[str]:
    """Split a SIE line into fields: quoted text unescaped, {…} kept whole, the rest by spaces."""
    out = []
    for quoted, braces, bare in TOKEN.findall(line):
        if braces:
            out.append(braces)
        elif bare:
            out.append(bare)
        else:
            out.append(re.sub(r"\\(.)", r"\1", quoted))
    return out


@dataclass
class SieData:
    accounts: dict[int, str] = field(default_factory=dict)
    year: tuple[dt.date, dt.date] | None = None
    opening: dict[int, int] = field(default_factory=dict)
    ib_line: int = 0
    company: str = ""


def _date(value: str, line: int) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise SieError(line, f"{value!r} is not a date YYYYMMDD") from None


def _account(value: str, line: int) -> int:
    if not re.fullmatch(r"\d{4}", value or ""):
        raise SieError(line, f"{value!r} is not a four-digit account number")
    return int(value)


def _ore(value: str, line: int) -> int:
    try:
        d = Decimal(value) * 100
    except InvalidOperation:
        raise SieError(line, f"{value!r} is not an amount") from None
    if not d.is_finite() or d != d.to_integral_value():
        raise SieError(line, f"{value!r} is not an amount with at most two decimals")
    return int(d)


def _need(fields: list[str], n: int, line: int, shape: str) -> None:
    if len(fields) < n:
        raise SieError(line, f"{fields[0]} needs {shape}")


def parse(data: bytes) -> SieData:
    """Read and check a SIE file (code page 437); raises SieError naming the line."""
    text = data.decode("cp437")
    out, depth, seen_flag, ib_lines = SieData(), 0, False, []
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line == "{":
            depth += 1
            if depth > 1:
                raise SieError(no, "'{' inside a block that is not closed")
            continue
        if line == "}":
            if depth == 0:
                raise SieError(no, "'}' without an opening '{'")
            depth -= 1
            continue
        if not line.startswith("#"):
            raise SieError(no, f"expected a #LABEL, got {line[:30]!r}")
        if len(re.findall(r'(?<!\\)"', line)) % 2:
            raise SieError(no, "a quoted text is not closed")
        fields = tokens(line)
        label = fields[0].upper()
        if not seen_flag:
            if label != "#FLAGGA":
                raise SieError(no, "a SIE file starts with #FLAGGA")
            seen_flag = True
        if label == "#FORMAT" and len(fields) > 1 and fields[1].upper() != "PC8":
            raise SieError(no, f"format {fields[1]!r} is not supported (SIE files are PC8)")
        elif label == "#FNAMN":
            _need(fields, 2, no, "a company name")
            out.company = fields[1]
        elif label == "#KONTO":
            _need(fields, 3, no, "an account number and a name")
            out.accounts[_account(fields[1], no)] = fields[2]
        elif label == "#RAR":
            _need(fields, 4, no, "a year number, a start and an end date")
            if fields[1] == "0":
                start, end = _date(fields[2], no), _date(fields[3], no)
                if end < start:
                    raise SieError(no, "the year ends before it starts")
                out.year = (start, end)
        elif label == "#IB":
            _need(fields, 4, no, "a year number, an account and an amount")
            account, ore = _account(fields[2], no), _ore(fields[3], no)
            if fields[1] == "0":
                if not is_balance_account(account):
                    raise SieError(no, f"account {account} is a result account; it has no "
                                       "opening balance")
                out.opening[account] = out.opening.get(account, 0) + ore
                ib_lines.append(no)
        elif label in ("#UB", "#RES", "#OUB"):
            _need(fields, 4, no, "a year number, an account and an amount")
            _account(fields[2], no), _ore(fields[3], no)
        elif label in ("#TRANS", "#RTRANS", "#BTRANS"):
            if depth != 1:
                raise SieError(no, f"{label} outside a voucher's {{ }} block")
            _need(fields, 4, no, "an account, a dimension list and an amount")
            _account(fields[1], no), _ore(fields[3], no)
        if depth and label not in ("#TRANS", "#RTRANS", "#BTRANS"):
            raise SieError(no, f"{label} inside a voucher's {{ }} block")
    if not seen_flag:
        raise SieError(1, "the file is empty or not a SIE file")
    if depth:
        raise SieError(no, "a '{' block is not closed")
    if out.opening:
        if out.year is None:
            raise SieError(ib_lines[0], "#IB 0 without #RAR 0 (which year do they open?)")
        out.ib_line = ib_lines[0]
        total = sum(out.opening.values())
        if total:
            raise SieError(ib_lines[-1], f"the opening balances sum to {format_amount(total)}, "
                                         "not 0 (book the previous year's result to equity)")
    return out


@dataclass(frozen=True)
class SieImport:
    accounts_added: int
    accounts_renamed: int
    balances: int
    year: tuple[dt.date, dt.date] | None


def import_sie(session: Session, data: bytes) -> SieImport:
    """Import the chart and opening balances of a SIE file; nothing is written when it is refused."""
    sie = parse(data)
    existing = {a.number: a for a in session.scalars(select(Account))}
    for account in sie.opening:
        if account not in sie.accounts and account not in existing:
            raise SieError(sie.ib_line, f"account {account} has an opening balance but is not in "
                                        "the file's #KONTO list nor in the chart")
    year = None
    if sie.year:
        start, end = sie.year
        year = session.scalars(select(FinancialYear).where(FinancialYear.start_date == start)).first()
        if year is not None and year.end_date != end:
            raise Conflict(f"the financial year starting {start} ends {year.end_date} here, "
                           f"{end} in the file", field="year")
    added = renamed = 0
    for number, name in sorted(sie.accounts.items()):
        name = (name or "").strip()[:100] or f"Konto {number}"
        account = existing.get(number)
        if account is None:
            session.add(Account(number=number, name=name, vat_box=None, active=True))
            added += 1
        elif account.name != name:
            account.name = name
            renamed += 1
    session.flush()
    if sie.opening:
        check_open(session, sie.year[0])
        if year is None:
            year = open_year(session, *sie.year)
        session.execute(delete(OpeningBalance).where(OpeningBalance.financial_year_id == year.id))
        session.add_all(OpeningBalance(financial_year_id=year.id, account=a, amount=v)
                        for a, v in sorted(sie.opening.items()) if v)
        session.flush()
    return SieImport(added, renamed, len(sie.opening), sie.year)
