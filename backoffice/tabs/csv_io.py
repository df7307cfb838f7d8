"""CSV import and export of products from the GUI: the CLI's own functions, with a progress bar.

Import validates every row with the catalogue's rules (`core.dataio.products_import`); by default
one bad row imports nothing, and the bad rows are listed with line, field and reason.
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
from core.dataio.export import export_products
from core.dataio.products_import import import_products


class ProgressRelay(QObject):
    """Carries progress(done, total) from the database lane to the GUI thread (a queued signal)."""

    progressed = Signal(int, int)

    def __call__(self, done: int, total: int | None) -> None:  # runs off the GUI thread
        self.progressed.emit(int(done), int(total or 0))


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
        store = self.ctx.store
        self.ctx.submit(lambda: import_products(store, path, skip_bad=skip, progress=self.relay),
                        self.finished_import, self.failed)

    def finished_import(self, report) -> None:
        self.report = report
        self.go.setEnabled(True)
        self.result_label.setText(report.summary())
        self.errors.setRowCount(len(report.errors))
        for r, (line, field, reason) in enumerate(report.errors):
            for c, v in enumerate((str(line), field or "", reason)):
                self.errors.setItem(r, c, QTableWidgetItem(v))
        if report.committed and hasattr(self.ctx, "changed"):
            self.ctx.changed.emit("products")
            self.ctx.changed.emit("prices")


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
