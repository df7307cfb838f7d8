"""SIE type 4 export of a financial year: header, chart, opening/closing balances, results, every voucher.

Code page 437 ("PC8"), CR LF line ends, text in double quotes (a quote or backslash inside is
escaped with a backslash), amounts with a decimal point, debit positive and credit negative.
Characters code page 437 lacks become '?'. Vouchers stream from one ordered query, so a year
of a million rows is written without holding it in memory.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from sqlalchemy import text

from core import __version__
from core.ledger.chart import is_balance_account
from core.ledger.reports import _date, account_names, opening_balances, trial_balance

ENCODING = "cp437"
EOL = "\r\n"


def quote(value: str | None) -> str:
    return '"' + (value or "").replace("\\", "\\\\").replace('"', '\\"') + '"'


def amount(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(int(ore)), 100)
    return f"{sign}{whole}.{cents:02d}"


def ymd(day) -> str:
    return _date(day).strftime("%Y%m%d")


def _company(conn) -> tuple[str, str]:
    row = conn.execute(text("SELECT name, org_number FROM company ORDER BY id LIMIT 1")).first()
    return (row[0], row[1] or "") if row else ("", "")


def header(conn, start: dt.date, end: dt.date, generated: dt.date) -> list[str]:
    name, org = _company(conn)
    lines = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", f"#PROGRAM {quote('Butik')} {quote(__version__)}",
             f"#GEN {ymd(generated)}", f"#FNAMN {quote(name)}"]
    if org:
        lines.append(f"#ORGNR {org}")
    lines += [f"#RAR 0 {ymd(start)} {ymd(end)}", "#VALUTA SEK"]
    return lines


def balances(conn, start: dt.date, end: dt.date) -> list[str]:
    """#IB and #UB for balance accounts, #RES for result accounts (year 0)."""
    opening = opening_balances(conn, start)
    lines = [f"#IB 0 {a} {amount(v)}" for a, v in sorted(opening.items())]
    tb = trial_balance(conn, start, end)
    lines += [f"#UB 0 {ln.account} {amount(ln.closing)}" for ln in tb
              if is_balance_account(ln.account) and ln.closing]
    lines += [f"#RES 0 {ln.account} {amount(ln.closing)}" for ln in tb
              if not is_balance_account(ln.account) and ln.closing]
    return lines


def write_sie4(conn, out: IO[bytes], year_id: int, generated: dt.date | None = None,
               progress=None) -> int:
    """Write the financial year `year_id` as SIE4 to a binary stream; returns vouchers written."""
    start, end = (_date(d) for d in conn.execute(text(
        "SELECT start_date, end_date FROM financial_year WHERE id = :y"), {"y": year_id}).one())
    head = header(conn, start, end, generated or dt.date.today())
    head += [f"#KONTO {n} {quote(name)}" for n, name in sorted(account_names(conn).items())]
    head += balances(conn, start, end)
    out.write((EOL.join(head) + EOL).encode(ENCODING, errors="replace"))
    total = conn.execute(text("SELECT count(*) FROM voucher WHERE financial_year_id = :y"),
                         {"y": year_id}).scalar()
    rows = conn.execute(text(
        "SELECT v.id, v.series, v.number, v.date, v.text, r.account, r.amount FROM voucher v "
        "JOIN voucher_row r ON r.voucher_id = v.id WHERE v.financial_year_id = :y "
        "ORDER BY v.series, v.number, r.id"), {"y": year_id})
    days: dict = {}  # date → 'YYYYMMDD', formatted once per day
    buf: list[str] = []
    current, count = None, 0
    for chunk in rows.partitions(20_000):
        for vid, series, number, day, vtext, account, amt in chunk:
            if vid != current:
                if current is not None:
                    buf.append("}")
                when = days.get(day) or days.setdefault(day, ymd(day))
                buf.append(f"#VER {series} {number} {when} {quote(vtext)}")
                buf.append("{")
                current, count = vid, count + 1
            whole, cents = divmod(abs(amt), 100)
            buf.append(f"#TRANS {account} {{}} {'-' if amt < 0 else ''}{whole}.{cents:02d}")
        _flush(out, buf)
        if progress:
            progress(count, total)
    if current is not None:
        buf.append("}")
    _flush(out, buf)
    if progress:
        progress(count, total)
    return count


def _flush(out: IO[bytes], buf: list[str]) -> None:
    if not buf:
        return
    data = EOL.join(buf) + EOL
    buf.clear()
    try:  # most lines are ASCII, which is also code page 437, and that codec is much faster
        out.write(data.encode("ascii"))
    except UnicodeEncodeError:
        out.write(data.encode(ENCODING, errors="replace"))


def export_sie4(conn, path: str | Path, year_id: int, generated: dt.date | None = None,
                progress=None) -> int:
    """Write the year to `path` (replaced only when the export is complete); returns vouchers."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as out:
        count = write_sie4(conn, out, year_id, generated, progress)
    tmp.replace(path)
    return count
