"""The Ledger tab: vouchers and their rows, reports for a period (PDF/CSV), manual vouchers with a
live balance check, the VAT return with its settlement voucher and the OSS report, SIE4 export and
import, the period lock. What it shows is read from the window's own store (on a workstation the
replica, which holds the ledger); every change is a `ledger.*` command (core/commands/ledger.py),
run where the books are kept. Every database call runs on the lane; file dialogs only pick paths.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import show_error
from backoffice.models import ledger_model as lm
from backoffice.tabs.ledger_pages import LedgerPages, date_edit, day_of, qdate
from backoffice.widgets import fill_combo

TITLE = "Ledger"
AREA = "ledger"


def _ref(result: dict) -> str:
    """A posted voucher's reference ("M12") from a command's answer."""
    return result["ref"]


class LedgerTab(LedgerPages, QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("ledgerTab")
        self.ctx = ctx
        today = dt.date.today()
        self.start = date_edit(today.replace(day=1), "periodStart")
        self.end = date_edit(today, "periodEnd")
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

    # --- loading ---------------------------------------------------------------------------------

    def period(self) -> tuple[dt.date, dt.date]:
        return day_of(self.start), day_of(self.end)

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.start.setDate(qdate(start))
        self.end.setDate(qdate(end))
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

    def _command(self, name: str, args: dict, message: str, shown: Callable[[Any], Any] = _ref,
                 done=None) -> None:
        """Run the command (on the server when this is a replica); say what it did in the status
        (`message` formatted with `r` = `shown(the answer)`)."""
        def finished(result):
            self.status.setText(message.format(r=shown(result)))
            if done:
                done(result)
        self.ctx.command(name, args, finished, area=AREA, on_error=lambda exc: show_error(self, exc))

    def _balance_changed(self, imbalance) -> None:
        self.balance.setText(lm.balance_text(imbalance))
        self.post_button.setEnabled(self.entry.ready())

    def post_manual(self) -> None:
        """Post the typed voucher; the ledger refuses it when it does not balance (nothing is written)."""
        try:
            rows = self.entry.draft_rows()
        except Exception as exc:  # noqa: BLE001 — shown as the user's error to fix
            show_error(self, exc)
            return
        args = {"date": day_of(self.entry_date).isoformat(), "text": self.entry_text.text(), "rows": rows}
        self._command("ledger.post_manual", args, self.tr("Voucher {r} posted"),
                      done=lambda _r: (self.entry.clear(), self.entry_text.clear()))

    def reverse_selected(self) -> None:
        v = self.selected_voucher()
        if v is None:
            return
        on = max(v.date, day_of(self.end))
        self._command("ledger.reverse", {"voucher_id": v.id, "date": on.isoformat()},
                      self.tr("Reversing voucher {r} posted"))

    def post_vat_settlement(self) -> None:
        start, end = self.period()
        self._command("ledger.post_vat_settlement", {"start": start.isoformat(), "end": end.isoformat()},
                      self.tr("VAT settlement {r} posted"))

    def lock_period(self, through: dt.date | None = None) -> None:
        day = through or day_of(self.lock_date)
        self._command("ledger.lock_period", {"through": day.isoformat()},
                      self.tr("Books locked through {r}"), lambda r: r["locked_through"])

    def post_pending(self) -> None:
        self._command("ledger.post_pending", {}, self.tr("{r} document(s) posted"),
                      lambda r: r["posted"])

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
        """Send the file's bytes to `ledger.import_sie` (read on the lane; the server imports it)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Import SIE"), "",
                                                  self.tr("SIE files (*.se *.si *.sie)"))
            if not path:
                return
        self.ctx.submit(lambda: base64.b64encode(Path(path).read_bytes()).decode("ascii"),
                        lambda data: self._command(
                            "ledger.import_sie", {"data": data},
                            self.tr("SIE imported: {r.accounts_added} accounts added, "
                                    "{r.balances} opening balances"),
                            lambda r: SimpleNamespace(**r)),
                        lambda exc: show_error(self, exc))

    def _changed(self, area: str) -> None:
        if area in (AREA, "orders", "purchasing", "stock", "invoicing"):
            self.refresh()


def make(ctx) -> QWidget:
    return LedgerTab(ctx)
