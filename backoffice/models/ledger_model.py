"""Ledger tables for the back office: vouchers (paged) and their rows, reports shown as
`LedgerTable`s (general ledger, trial balance, statements, VAT return, OSS), and the manual voucher
being typed with its live balance. Use-case wrappers at the end run on the database lane.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from sqlalchemy import text

from backoffice.models.paged import NO_PARENT, PagedModel, tr
from core.documents import ledger_pdf
from core.documents.ledger_pdf import LedgerTable
from core.errors import ValidationError
from core.money import format_amount, parse_amount

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


# --- manual voucher -----------------------------------------------------------------------------


@dataclass
class EntryRow:
    account: str = ""
    debit: str = ""
    credit: str = ""
    text: str = ""


def _ore(value: str, field: str) -> int:
    return parse_amount(value, field) if value.strip() else 0


class ManualVoucherModel(QAbstractTableModel):
    """The rows of a manual voucher being typed: account, debit, credit, text. `balance_changed`
    carries debit − credit (öre) after every edit, or None while an amount does not parse."""

    COLUMNS = (("account", "Account"), ("debit", "Debit"), ("credit", "Credit"), ("text", "Text"))
    balance_changed = Signal(object)

    def __init__(self, rows: int = 4, parent=None):
        super().__init__(parent)
        self.rows = [EntryRow() for _ in range(rows)]

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(type(self).__name__, self.COLUMNS[section][1])
        return None

    def flags(self, index):
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = self.COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(self.rows[index.row()], key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("debit", "credit"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        key = self.COLUMNS[index.column()][0]
        setattr(self.rows[index.row()], key, str(value or "").strip())
        self.dataChanged.emit(index, index)
        self.balance_changed.emit(self.imbalance())
        if index.row() == len(self.rows) - 1 and str(value or "").strip():
            self.add_row()  # typing in the last row opens a new one
        return True

    def set_row(self, row: int, account: str = "", debit: str = "", credit: str = "",
                text_: str = "") -> None:
        """Fill a row as a user would (tests, and copying a voucher)."""
        while row >= len(self.rows):
            self.add_row()
        for col, value in enumerate((account, debit, credit, text_)):
            self.setData(self.index(row, col), value)

    def add_row(self) -> None:
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(EntryRow())
        self.endInsertRows()

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()
            self.balance_changed.emit(self.imbalance())

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = [EntryRow() for _ in range(4)]
        self.endResetModel()
        self.balance_changed.emit(0)

    def filled(self) -> list[tuple[int, EntryRow]]:
        return [(i, r) for i, r in enumerate(self.rows) if r.account or r.debit or r.credit]

    def imbalance(self) -> int | None:
        """Σ debit − Σ credit in öre; None while some amount does not parse."""
        try:
            return sum(_ore(r.debit, "debit") - _ore(r.credit, "credit") for _, r in self.filled())
        except ValidationError:
            return None

    def ready(self) -> bool:
        """At least two rows and balanced to the öre (what the Post button waits for)."""
        return len(self.filled()) >= 2 and self.imbalance() == 0

    def draft_rows(self):
        """The rows as `core.ledger.posting.Row`s; refuses a row that is unclear, naming its line."""
        from core.ledger.posting import Row

        out = []
        for i, r in self.filled():
            line = f"row {i + 1}"
            try:
                account = int(r.account)
            except ValueError:
                raise ValidationError(f"{line}: {r.account!r} is not an account number",
                                      field="account", hint="a four-digit BAS account, e.g. 1930") from None
            debit, credit = _ore(r.debit, "debit"), _ore(r.credit, "credit")
            if debit and credit:
                raise ValidationError(f"{line}: give a debit or a credit, not both", field="amount")
            if not debit and not credit:
                raise ValidationError(f"{line}: the row has no amount", field="amount")
            out.append(Row(account, debit - credit, text=r.text or None))
        return out


def balance_text(imbalance: int | None) -> str:
    if imbalance is None:
        return tr("ManualVoucherModel", "An amount is not a number")
    if imbalance == 0:
        return tr("ManualVoucherModel", "Balanced")
    return tr("ManualVoucherModel", "Difference {d} kr").format(
        d=format_amount(imbalance, thousands_sep=" "))


# --- use cases on the lane ------------------------------------------------------------------------


def post_manual_voucher(session, on: dt.date, title: str, rows, who: str):
    """Post a manual voucher (series M); returns its reference 'M12'."""
    from core.ledger.posting import post_manual

    seed(session)  # a shop's first voucher may be a manual one
    voucher = post_manual(session, on, title, rows, who)
    return f"{voucher.series}{voucher.number}"


def reverse_voucher(session, voucher_id: int, on: dt.date, who: str) -> str:
    from core.ledger.posting import reverse

    voucher = reverse(session, voucher_id, on, who)
    return f"{voucher.series}{voucher.number}"


def post_vat_settlement(session, start: dt.date, end: dt.date, who: str) -> str:
    from core.ledger.posting import post
    from core.ledger.vat_return import settlement_voucher

    seed(session)
    voucher = post(session, settlement_voucher(session, start, end), who)
    return f"{voucher.series}{voucher.number}"


def lock_through(session, through: dt.date, who: str) -> dt.date:
    from core.ledger.periods import lock_period

    return lock_period(session, through, who).locked_through


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


def sie_import(session, path: str):
    from core.ledger.sie4_import import import_sie

    with open(path, "rb") as f:
        return import_sie(session, f.read())


def post_pending_now(session, who: str) -> int:
    from core.ledger.autopost import post_pending

    return len(post_pending(session, who=who).posted)


def seed(session) -> None:
    from core.ledger.chart import seed_ledger

    seed_ledger(session)
