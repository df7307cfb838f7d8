"""CSV import and export of products from the GUI: the CLI's own functions, with a progress bar.

Import reads the file here and sends its text as the `catalog.import_csv` command, so on a
workstation the server imports it; every row is validated with the catalogue's rules
(`core.dataio.products_import`), by default one bad row imports nothing, and the bad rows are
listed with line, field and reason. Export reads the window's own store (a replica holds the
catalogue and prices).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from backoffice.errors import show_error
from backoffice.widgets import fill_combo
from core.dataio.csvrows import open_text
from core.dataio.export import export_products


class ProgressRelay(QObject):
    """Carries progress(done, total) from the database lane to the GUI thread (a queued signal)."""

    progressed = Signal(int, int)

    def __call__(self, done: int, total: int | None) -> None:  # runs off the GUI thread
        self.progressed.emit(int(done), int(total or 0))


def read_csv_text(path: str) -> str:
    """Runs on the lane: the file's text (UTF-8, a BOM dropped)."""
    with open_text(path) as fh:
        return fh.read()


class ImportAnswer:
    """The `catalog.import_csv` answer, read as attributes."""

    def __init__(self, answer: dict):
        self.__dict__.update(answer)
        self.errors = [tuple(e) for e in answer["errors"]]


class _FileDialog(QDialog):
    def __init__(self, ctx, title: str, save: bool, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.path = QLineEdit()
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(lambda: self._browse(save))
        self.file_row = QHBoxLayout()
        self.file_row.addWidget(self.path)
        self.file_row.addWidget(browse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.relay = ProgressRelay(self)
        self.relay.progressed.connect(self._progressed)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        self.go = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

    def _browse(self, save: bool) -> None:
        pick = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        path, _ = pick(self, self.windowTitle(), self.path.text(), "CSV (*.csv)")
        if path:
            self.path.setText(path)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def failed(self, exc) -> None:
        self.go.setEnabled(True)
        show_error(self, exc)


class ImportDialog(_FileDialog):
    """Choose a products CSV, import it on the lane, show the summary and any bad rows."""

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, self.tr("Import products (CSV)"), save=False, parent=parent)
        self.setObjectName("importDialog")
        self.go.setText(self.tr("Import"))
        self.skip_bad = QCheckBox(self.tr("Import the good rows even when some rows are bad"))
        self.errors = QTableWidget(0, 3)
        self.errors.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Field"), self.tr("Problem")])
        layout = QVBoxLayout(self)
        layout.addLayout(self.file_row)
        layout.addWidget(self.skip_bad)
        layout.addWidget(self.progress)
        layout.addWidget(self.result_label)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self.resize(640, 420)
        self.report = None

    def start(self) -> None:
        path, skip = self.path.text().strip(), self.skip_bad.isChecked()
        if not path:
            self.result_label.setText(self.tr("Choose a file first."))
            return
        self.go.setEnabled(False)
        self.progress.setRange(0, 0)  # busy: the import runs where the command runs

        def send(content: str) -> None:
            self.ctx.command("catalog.import_csv", {"csv_text": content, "skip_bad": skip},
                             self.finished_import, on_error=self.failed)
        self.ctx.submit(lambda: read_csv_text(path), send, self.failed)

    def failed(self, exc) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        super().failed(exc)

    def finished_import(self, answer: dict) -> None:
        report = self.report = ImportAnswer(answer)
        self.go.setEnabled(True)
        self.progress.setRange(0, max(report.rows, 1))
        self.progress.setValue(max(report.rows, 1))
        shown = report.summary
        if report.errors_total > len(report.errors):
            shown += " " + self.tr("(the first {n} bad rows are listed)").format(n=len(report.errors))
        self.result_label.setText(shown)
        self.errors.setRowCount(len(report.errors))
        for r, (line, field, reason) in enumerate(report.errors):
            for c, v in enumerate((str(line), field or "", reason)):
                self.errors.setItem(r, c, QTableWidgetItem(v))


class ExportDialog(_FileDialog):
    """Export every product with its barcodes and one price list's prices."""

    def __init__(self, ctx, price_lists: list[tuple[int, str, str, bool]], parent=None):
        super().__init__(ctx, self.tr("Export products (CSV)"), save=True, parent=parent)
        self.setObjectName("exportDialog")
        self.go.setText(self.tr("Export"))
        self.price_list = QComboBox()
        fill_combo(self.price_list, [(label.split(" — ")[0], label) for _i, label, _c, _v in price_lists])
        form = QFormLayout()
        form.addRow(self.tr("File"), self.file_row)
        form.addRow(self.tr("Prices from"), self.price_list)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self.rows = None

    def start(self) -> None:
        path, code = self.path.text().strip(), self.price_list.currentData()
        if not path:
            self.result_label.setText(self.tr("Choose a file first."))
            return
        self.go.setEnabled(False)
        store = self.ctx.store

        def job():
            with store.engine.connect() as conn:
                return export_products(conn, path, code, progress=self.relay)

        def done(rows):
            self.rows = rows
            self.go.setEnabled(True)
            self.result_label.setText(self.tr("{n} products written to {path}").format(n=rows, path=path))
        self.ctx.submit(job, done, self.failed)
