"""The Ledger tab's pages (vouchers, reports, manual voucher, VAT, SIE and period lock): widgets
and layout only. The tab (backoffice/tabs/ledger.py) loads them and runs the actions."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from backoffice.models import ledger_model as lm
from backoffice.widgets import fill_combo, setup_table


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def date_edit(day: dt.date, name: str) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def day_of(edit: QDateEdit) -> dt.date:
    return edit.date().toPython()


class LedgerPages:
    """Builds the pages of LedgerTab (a QWidget): each returns its page and keeps its widgets."""

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
        self.entry_date = date_edit(dt.date.today(), "manualDate")
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
        self.lock_date = date_edit(dt.date.today().replace(day=1) - dt.timedelta(days=1), "lockDate")
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
