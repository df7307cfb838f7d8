"""Ledger tables for the back office: vouchers (paged) and their rows, reports shown as
`LedgerTable`s (general ledger, trial balance, statements, VAT return, OSS). All of it reads the
window's own store (a workstation's replica holds the ledger); changes are `ledger.*` commands
(core/commands/ledger.py). The manual voucher being typed lives in ledger_entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, Qt
from sqlalchemy import text

from backoffice.models.ledger_entry import ManualVoucherModel, balance_text  # noqa: F401 (the tab's)
from backoffice.models.paged import NO_PARENT, PagedModel
from core.documents import ledger_pdf
from core.documents.ledger_pdf import LedgerTable
from core.errors import ValidationError
from core.money import format_amount

# --- vouchers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoucherLine:
    id: int
    date: dt.date
    series: str
    number: int
    text: str
    amount: int
    source: str
    reverses: str

    @property
    def ref(self) -> str:
        return f"{self.series}{self.number}"


def fetch_vouchers(conn, start: dt.date, end: dt.date, series: str | None, after, limit: int
                   ) -> list[VoucherLine]:
    """Newest first: a page of the period's vouchers with their total debit (one indexed query)."""
    conds, params = ["v.date BETWEEN :s AND :e"], {"s": start, "e": end, "n": limit}
    if series:
        conds.append("v.series = :series")
        params["series"] = series
    if after is not None:
        conds.append("(v.date < :ad OR (v.date = :ad AND v.id < :ai))")
        params.update(ad=after[0], ai=after[1])
    rows = conn.execute(text(
        "SELECT v.id, v.date, v.series, v.number, v.text, "
        "(SELECT SUM(r.amount) FROM voucher_row r WHERE r.voucher_id = v.id AND r.amount > 0), "
        "COALESCE(v.source_type || ' ' || v.source_id, ''), "
        "COALESCE((SELECT o.series || o.number FROM voucher o WHERE o.id = v.reverses_id), '') "
        f"FROM voucher v WHERE {' AND '.join(conds)} ORDER BY v.date DESC, v.id DESC LIMIT :n"),
        params).all()
    return [VoucherLine(int(r[0]), _date(r[1]), r[2], int(r[3]), r[4], int(r[5] or 0), r[6], r[7])
            for r in rows]


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


class VouchersModel(PagedModel):
    COLUMNS = (("ref", "Voucher"), ("date", "Date"), ("text", "Text"), ("amount", "Amount"),
               ("source", "Source document"), ("reverses", "Reverses"))
    NUMERIC = frozenset({"amount"})

    def __init__(self, runner, page_size: int = 200, parent=None):
        super().__init__(runner, page_size, parent)
        today = dt.date.today()
        self.start, self.end, self.series = today.replace(month=1, day=1), today, None

    def set_period(self, start: dt.date, end: dt.date, series: str | None = None) -> None:
        self.start, self.end, self.series = start, end, series or None
        self.reload()

    def fetch(self, session, after, limit):
        return fetch_vouchers(session.connection(), self.start, self.end, self.series, after, limit)

    def key_of(self, row: VoucherLine):
        return (row.date, row.id)

    def display(self, row: VoucherLine, key: str):
        if key == "amount":
            return format_amount(row.amount, thousands_sep=" ")
        if key == "date":
            return row.date.isoformat()
        return getattr(row, key)


@dataclass(frozen=True)
class DetailRow:
    account: int
    name: str
    amount: int
    text: str
    vat_box: str

    @property
    def debit(self) -> str:
        return format_amount(self.amount, thousands_sep=" ") if self.amount > 0 else ""

    @property
    def credit(self) -> str:
        return format_amount(-self.amount, thousands_sep=" ") if self.amount < 0 else ""


def voucher_detail(session, voucher_id: int) -> tuple[VoucherLine | None, list[DetailRow]]:
    """A voucher's head and rows (account, name, amount, text, VAT box)."""
    conn = session.connection()
    rows = conn.execute(text(
        "SELECT r.account, a.name, r.amount, COALESCE(r.text, ''), COALESCE(r.vat_box, '') "
        "FROM voucher_row r JOIN account a ON a.number = r.account WHERE r.voucher_id = :v "
        "ORDER BY r.id"), {"v": voucher_id}).all()
    head = conn.execute(text("SELECT date FROM voucher WHERE id = :v"), {"v": voucher_id}).first()
    line = None
    if head is not None:
        day = _date(head[0])
        line = next((v for v in fetch_vouchers(conn, day, day, None, None, 10_000)
                     if v.id == voucher_id), None)
    return line, [DetailRow(int(a), n, int(m), t, b) for a, n, m, t, b in rows]


# --- reports ---------------------------------------------------------------------------------

#: report key → English name shown in the chooser
REPORTS = (("general_ledger", "General ledger"), ("trial_balance", "Trial balance"),
           ("income_statement", "Income statement"), ("balance_sheet", "Balance sheet"),
           ("vouchers", "Voucher list"), ("vat_return", "VAT return"), ("oss", "OSS report"))


def oss_table(conn, start: dt.date, end: dt.date) -> LedgerTable:
    from core.ledger.oss import oss_report

    t = LedgerTable("OSS-rapport", f"{start.isoformat()} – {end.isoformat()}",
                    ["Land", "Momssats", "Försäljning", "Moms"], numeric=(2, 3))
    lines = oss_report(conn, start, end)
    for ln in lines:
        t.rows.append([ln.country, f"{ln.rate_bp / 100:g} %".replace(".", ","), ledger_pdf.kr(ln.net),
                       ledger_pdf.kr(ln.vat)])
    t.rows.append(["Summa", "", ledger_pdf.kr(sum(ln.net for ln in lines)),
                   ledger_pdf.kr(sum(ln.vat for ln in lines))])
    t.bold.add(len(t.rows) - 1)
    return t


def build_report(session, kind: str, start: dt.date, end: dt.date, account: int | None = None
                 ) -> LedgerTable:
    """The report `kind` (a key of REPORTS) for [start, end] as a LedgerTable. Off the GUI thread."""
    if end < start:
        raise ValidationError("the period ends before it starts", field="period",
                              hint="pick a 'to' date on or after the 'from' date")
    conn = session.connection()
    if kind == "general_ledger":
        if account is None:
            raise ValidationError("choose an account for the general ledger", field="account")
        return ledger_pdf.general_ledger_table(conn, account, start, end)
    if kind == "trial_balance":
        return ledger_pdf.trial_balance_table(conn, start, end)
    if kind == "income_statement":
        return ledger_pdf.income_statement_table(conn, start, end)
    if kind == "balance_sheet":
        return ledger_pdf.balance_sheet_table(conn, end)
    if kind == "vouchers":
        return ledger_pdf.vouchers_table(conn, start, end)
    if kind == "vat_return":
        return ledger_pdf.vat_return_table(conn, start, end)
    if kind == "oss":
        return oss_table(conn, start, end)
    raise ValidationError(f"unknown report {kind!r}", field="report")


class ReportModel(QAbstractTableModel):
    """Shows a LedgerTable as it will print: its own (Swedish) column titles, totals in bold."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table: LedgerTable | None = None

    def set_table(self, table: LedgerTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if self.table and role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.table.columns[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if self.table is None or not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.table.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() in self.table.bold:
            from PySide6.QtGui import QFont
            font = QFont()
            font.setBold(True)
            return font
        return None

    def cell(self, row: int, column: int) -> str:
        return self.table.rows[row][column] if self.table else ""


# --- reads on the lane (the replica holds the ledger) ------------------------------------------


def ledger_state(session) -> dict:
    """What the tab shows around the reports: the lock, the years, the series."""
    from sqlalchemy import select

    from core.ledger.models import FinancialYear, VoucherSeries
    from core.ledger.periods import locked_through

    series = [tuple(r) for r in session.execute(select(VoucherSeries.code, VoucherSeries.name)
                                                .order_by(VoucherSeries.code))]
    years = [y.start_date.year for y in session.scalars(select(FinancialYear)
                                                        .order_by(FinancialYear.start_date))]
    return {"locked_through": locked_through(session), "series": series, "years": years}


def sie_export(session, year: int, path: str) -> int:
    from core.ledger.periods import year_starting
    from core.ledger.sie4 import export_sie4

    return export_sie4(session.connection(), path, year_starting(session, year).id)
