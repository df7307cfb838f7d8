"""The Ledger tab: vouchers and their rows, reports for a period (PDF/CSV), manual vouchers with a
live balance check, the VAT return with its settlement voucher and the OSS report, SIE4 export and
import, the period lock. Every database call runs on the lane; file dialogs only pick paths.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import show_error
from backoffice.models import ledger_model as lm
from backoffice.widgets import fill_combo, setup_table

TITLE = "Ledger"
AREA = "ledger"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date_edit(day: dt.date, name: str) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(edit: QDateEdit) -> dt.date:
    return edit.date().toPython()


class LedgerTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("ledgerTab")
        self.ctx = ctx
        self.who = getattr(ctx, "user", "backoffice")
        today = dt.date.today()
        self.start = _date_edit(today.replace(day=1), "periodStart")
        self.end = _date_edit(today, "periodEnd")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel()
        self.status.setObjectName("ledgerStatus")
        top = QHBoxLayout()
        for w in (QLabel(self.tr("Period")), self.start, QLabel("–"), self.end, self.refresh_button):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.status)

        self.pages = QTabWidget()
        self.pages.addTab(self._vouchers_page(), self.tr("Vouchers"))
        self.pages.addTab(self._reports_page(), self.tr("Reports"))
        self.pages.addTab(self._manual_page(), self.tr("Manual voucher"))
        self.pages.addTab(self._vat_page(), self.tr("VAT"))
        self.pages.addTab(self._sie_page(), self.tr("SIE and period lock"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        if hasattr(ctx, "changed"):
            ctx.changed.connect(self._changed)
        self.refresh()

    # --- pages -----------------------------------------------------------------------------------

    def _vouchers_page(self) -> QWidget:
        self.vouchers = lm.VouchersModel(self.ctx, parent=self)
        self.series = QComboBox()
        self.series.setObjectName("seriesFilter")
        fill_combo(self.series, [], self.tr("All series"))
        self.series.currentIndexChanged.connect(lambda _i: self.load_vouchers())
        self.vouchers_view = QTableView()
        self.vouchers_view.setObjectName("vouchersTable")
        self.vouchers_view.setModel(self.vouchers)
        setup_table(self.vouchers_view, stretch=self.vouchers.column("text"), widths={0: 80, 1: 100})
        self.vouchers_view.selectionModel().selectionChanged.connect(lambda *_: self.show_detail())
        self.detail = QTableWidget(0, 5)
        self.detail.setObjectName("voucherRows")
        self.detail.setHorizontalHeaderLabels([self.tr("Account"), self.tr("Name"), self.tr("Debit"),
                                               self.tr("Credit"), self.tr("Text")])
        setup_table(self.detail, stretch=1)
        self.detail_title = QLabel()
        self.reverse_button = QPushButton(self.tr("Reverse voucher…"))
        self.reverse_button.clicked.connect(self.reverse_selected)
        box = QWidget()
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Series")))
        row.addWidget(self.series)
        row.addStretch(1)
        v.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.vouchers_view)
        lower = QWidget()
        lv = QVBoxLayout(lower)
        lv.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.detail_title, 1)
        head.addWidget(self.reverse_button)
        lv.addLayout(head)
        lv.addWidget(self.detail)
        split.addWidget(lower)
        v.addWidget(split, 1)
        return box

    def _reports_page(self) -> QWidget:
        self.report_kind = QComboBox()
        self.report_kind.setObjectName("reportKind")
        fill_combo(self.report_kind, [(k, self.tr(name)) for k, name in lm.REPORTS
                                      if k not in ("vat_return", "oss")])
        self.report_kind.currentIndexChanged.connect(lambda _i: self.load_report())
        self.account = QLineEdit("1930")
        self.account.setObjectName("reportAccount")
        self.account.setMaximumWidth(80)
        self.account.editingFinished.connect(self.load_report)
        self.report = lm.ReportModel(self)
        self.report_view = QTableView()
        self.report_view.setObjectName("reportTable")
        self.report_view.setModel(self.report)
        setup_table(self.report_view, stretch=2)
        pdf, csv = QPushButton(self.tr("Export PDF…")), QPushButton(self.tr("Export CSV…"))
        pdf.clicked.connect(lambda: self.export_report(self.report, "pdf"))
        csv.clicked.connect(lambda: self.export_report(self.report, "csv"))
        box = QWidget()
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        for w in (QLabel(self.tr("Report")), self.report_kind, QLabel(self.tr("Account")), self.account):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(pdf)
        row.addWidget(csv)
        v.addLayout(row)
        v.addWidget(self.report_view, 1)
        return box

    def _manual_page(self) -> QWidget:
        self.entry = lm.ManualVoucherModel(parent=self)
        self.entry_date = _date_edit(dt.date.today(), "manualDate")
        self.entry_text = QLineEdit()
        self.entry_text.setObjectName("manualText")
        self.entry_text.setPlaceholderText(self.tr("What the voucher is for"))
        self.entry_view = QTableView()
        self.entry_view.setObjectName("manualRows")
        self.entry_view.setModel(self.entry)
        setup_table(self.entry_view, stretch=3, widths={0: 90, 1: 120, 2: 120})
        self.balance = QLabel()
        self.balance.setObjectName("manualBalance")
        self.post_button = QPushButton(self.tr("Post voucher"))
        self.post_button.setObjectName("postManual")
        self.post_button.clicked.connect(self.post_manual)
        remove = QPushButton(self.tr("Remove row"))
        remove.clicked.connect(lambda: self.entry.remove_row(self.entry_view.currentIndex().row()))
        self.entry.balance_changed.connect(self._balance_changed)
        self.entry.rowsRemoved.connect(lambda *_: self._balance_changed(self.entry.imbalance()))
        self._balance_changed(0)
        box = QWidget()
        v = QVBoxLayout(box)
        form = QFormLayout()
        form.addRow(self.tr("Date"), self.entry_date)
        form.addRow(self.tr("Text"), self.entry_text)
        v.addLayout(form)
        v.addWidget(self.entry_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.balance, 1)
        row.addWidget(remove)
        row.addWidget(self.post_button)
        v.addLayout(row)
        return box

    def _vat_page(self) -> QWidget:
        self.vat = lm.ReportModel(self)
        self.oss = lm.ReportModel(self)
        self.vat_view, self.oss_view = QTableView(), QTableView()
        for view, model, name in ((self.vat_view, self.vat, "vatTable"), (self.oss_view, self.oss, "ossTable")):
            view.setObjectName(name)
            view.setModel(model)
            setup_table(view, stretch=1)
        settle = QPushButton(self.tr("Post VAT settlement"))
        settle.setObjectName("postVatSettlement")
        settle.clicked.connect(self.post_vat_settlement)
        buttons = QHBoxLayout()
        for label, model, kind in ((self.tr("VAT return PDF…"), self.vat, "pdf"),
                                   (self.tr("VAT return CSV…"), self.vat, "csv"),
                                   (self.tr("OSS CSV…"), self.oss, "csv")):
            b = QPushButton(label)
            b.clicked.connect(lambda _c=False, m=model, k=kind: self.export_report(m, k))
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(settle)
        box = QWidget()
        v = QVBoxLayout(box)
        v.addWidget(QLabel(self.tr("VAT return for the period, by box")))
        v.addWidget(self.vat_view, 3)
        v.addWidget(QLabel(self.tr("OSS: EU distance sales per country and rate")))
        v.addWidget(self.oss_view, 1)
        v.addLayout(buttons)
        return box

    def _sie_page(self) -> QWidget:
        self.sie_year = QSpinBox()
        self.sie_year.setObjectName("sieYear")
        self.sie_year.setRange(2000, 2100)
        self.sie_year.setValue(dt.date.today().year)
        export, imp = QPushButton(self.tr("Export SIE4…")), QPushButton(self.tr("Import SIE…"))
        export.clicked.connect(lambda: self.export_sie())
        imp.clicked.connect(lambda: self.import_sie())
        self.lock_date = _date_edit(dt.date.today().replace(day=1) - dt.timedelta(days=1), "lockDate")
        lock = QPushButton(self.tr("Lock the books through this day"))
        lock.clicked.connect(lambda: self.lock_period())
        self.lock_label = QLabel()
        self.lock_label.setObjectName("lockLabel")
        pending = QPushButton(self.tr("Post pending documents now"))
        pending.clicked.connect(self.post_pending)
        box = QWidget()
        form = QFormLayout(box)
        form.addRow(self.tr("Financial year"), self._hbox(self.sie_year, export, imp))
        form.addRow(self.tr("Period lock"), self._hbox(self.lock_date, lock))
        form.addRow("", self.lock_label)
        form.addRow(self.tr("Automatic posting"), self._hbox(pending))
        return box

    @staticmethod
    def _hbox(*widgets) -> QWidget:
        w = QWidget()
        row = QHBoxLayout(w)
        row.setContentsMargins(0, 0, 0, 0)
        for x in widgets:
            row.addWidget(x)
        row.addStretch(1)
        return w

    # --- loading ---------------------------------------------------------------------------------

    def period(self) -> tuple[dt.date, dt.date]:
        return _day(self.start), _day(self.end)

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))
        self.refresh()

    def refresh(self) -> None:
        self.ctx.read(lm.ledger_state, self._state_loaded)
        self.load_vouchers()
        self.load_report()
        self.load_vat()

    def _state_loaded(self, state: dict) -> None:
        fill_combo(self.series, [(c, f"{c} {n}") for c, n in state["series"]], self.tr("All series"))
        locked = state["locked_through"]
        self.lock_label.setText(self.tr("Locked through {d}").format(d=locked.isoformat()) if locked
                                else self.tr("No period is locked"))

    def load_vouchers(self) -> None:
        self.vouchers.set_period(*self.period(), self.series.currentData())

    def _run_report(self, model: lm.ReportModel, kind: str, account: int | None = None) -> None:
        start, end = self.period()
        self.ctx.read(lambda s: lm.build_report(s, kind, start, end, account), model.set_table,
                      lambda exc: show_error(self, exc))

    def load_report(self) -> None:
        kind = self.report_kind.currentData()
        account = None
        if kind == "general_ledger":
            try:
                account = int(self.account.text())
            except ValueError:
                self.report.set_table(None)
                return
        self._run_report(self.report, kind, account)

    def load_vat(self) -> None:
        self._run_report(self.vat, "vat_return")
        self._run_report(self.oss, "oss")

    def selected_voucher(self):
        rows = self.vouchers_view.selectionModel().selectedRows()
        return self.vouchers.row_at(rows[0].row()) if rows else None

    def show_detail(self) -> None:
        v = self.selected_voucher()
        if v is None:
            self.detail.setRowCount(0)
            self.detail_title.setText("")
            return
        self.ctx.read(lambda s: lm.voucher_detail(s, v.id), self._detail_loaded)

    def _detail_loaded(self, result) -> None:
        head, rows = result
        if head is not None:
            self.detail_title.setText(f"{head.ref}  {head.date.isoformat()}  {head.text}")
        self.detail.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate((str(row.account), row.name, row.debit, row.credit, row.text)):
                self.detail.setItem(r, c, QTableWidgetItem(value))

    # --- actions ---------------------------------------------------------------------------------

    def _write(self, fn, done, message: str) -> None:
        def finished(result):
            self.status.setText(message.format(r=result))
            if done:
                done(result)
        self.ctx.write(fn, finished, area=AREA, on_error=lambda exc: show_error(self, exc))

    def _balance_changed(self, imbalance) -> None:
        self.balance.setText(lm.balance_text(imbalance))
        self.post_button.setEnabled(self.entry.ready())

    def post_manual(self) -> None:
        """Post the typed voucher; the core refuses it when it does not balance (nothing is written)."""
        try:
            rows = self.entry.draft_rows()
        except Exception as exc:  # noqa: BLE001 — shown as the user's error to fix
            show_error(self, exc)
            return
        on, title, who = _day(self.entry_date), self.entry_text.text(), self.who
        self._write(lambda s: lm.post_manual_voucher(s, on, title, rows, who),
                    lambda _r: (self.entry.clear(), self.entry_text.clear()),
                    self.tr("Voucher {r} posted"))

    def reverse_selected(self) -> None:
        v = self.selected_voucher()
        if v is None:
            return
        on, who = max(v.date, _day(self.end)), self.who
        self._write(lambda s: lm.reverse_voucher(s, v.id, on, who), None,
                    self.tr("Reversing voucher {r} posted"))

    def post_vat_settlement(self) -> None:
        (start, end), who = self.period(), self.who
        self._write(lambda s: lm.post_vat_settlement(s, start, end, who), None,
                    self.tr("VAT settlement {r} posted"))

    def lock_period(self, through: dt.date | None = None) -> None:
        day, who = through or _day(self.lock_date), self.who
        self._write(lambda s: lm.lock_through(s, day, who), None, self.tr("Books locked through {r}"))

    def post_pending(self) -> None:
        who = self.who
        self._write(lambda s: lm.post_pending_now(s, who), None, self.tr("{r} document(s) posted"))

    def export_report(self, model: lm.ReportModel, kind: str, path: str | None = None) -> None:
        table = model.table
        if table is None:
            return
        if path is None:
            pattern = self.tr("PDF files (*.pdf)") if kind == "pdf" else self.tr("CSV files (*.csv *.txt)")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export report"),
                                                  f"{table.title}.{kind}", pattern)
            if not path:
                return
        render = lm.ledger_pdf.to_pdf if kind == "pdf" else lm.ledger_pdf.to_csv
        self.ctx.submit(lambda: Path(path).write_bytes(render(table)),
                        lambda _n: self.status.setText(self.tr("Saved {path}").format(path=path)),
                        lambda exc: show_error(self, exc))

    def export_sie(self, path: str | None = None) -> None:
        year = self.sie_year.value()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export SIE4"), f"bokforing-{year}.se",
                                                  self.tr("SIE files (*.se *.si *.sie)"))
            if not path:
                return
        self.ctx.read(lambda s: lm.sie_export(s, year, path),
                      lambda n: self.status.setText(self.tr("{n} vouchers written to {path}")
                                                    .format(n=n, path=path)),
                      lambda exc: show_error(self, exc))

    def import_sie(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Import SIE"), "",
                                                  self.tr("SIE files (*.se *.si *.sie)"))
            if not path:
                return
        self._write(lambda s: lm.sie_import(s, path), None,
                    self.tr("SIE imported: {r.accounts_added} accounts added, {r.balances} opening balances"))

    def _changed(self, area: str) -> None:
        if area in (AREA, "orders", "purchasing", "stock", "invoicing"):
            self.refresh()


def make(ctx) -> QWidget:
    return LedgerTab(ctx)
