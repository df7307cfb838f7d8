"""Stock operations pages of the Stock tab: transfers between locations (send, in transit,
receive in part, close) and stock counts (create, enter by scanning, variance report, post).
Lists come from the replica; every change is a command (`transfers.*`, `counts.*`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import show_error
from backoffice.models import stock_ops_model as ops
from backoffice.widgets import fill_combo, setup_table
from core.errors import UserError, ValidationError
from core.money import format_amount
from core.quantity import format_qty, parse_qty


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(v))


def _table(heads: list[str], stretch: int) -> QTableWidget:
    t = QTableWidget(0, len(heads))
    t.setHorizontalHeaderLabels(heads)
    setup_table(t, stretch=stretch)
    return t


class TransfersPage(QWidget):
    """New transfer from 'SKU qty' lines; send; receive what is typed per line (or everything); close."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("transfersPage")
        self.ctx = ctx
        self.transfers = _table([self.tr("No."), self.tr("From → to"), self.tr("Status"), self.tr("Sent"),
                                 self.tr("Received")], 1)
        self.lines = _table([self.tr("SKU"), self.tr("Name"), self.tr("Quantity"), self.tr("Received"),
                             self.tr("In transit"), self.tr("Receive now")], 1)
        self.rows: list[ops.TransferRow] = []
        self.line_rows: list[ops.TransferLineRow] = []
        self.transfers.itemSelectionChanged.connect(self.show_lines)
        self.from_loc, self.to_loc = QComboBox(), QComboBox()
        self.new_lines = QPlainTextEdit()
        self.new_lines.setPlaceholderText(self.tr("One line per product: SKU quantity"))
        self.new_lines.setFixedHeight(60)
        self.buttons = {k: QPushButton(self.tr(label)) for k, label in (
            ("create", "Create transfer"), ("send", "Send"), ("receive", "Receive"),
            ("close", "Close (the rest is lost)"), ("cancel", "Cancel"))}
        self.buttons["create"].clicked.connect(self.create)
        for k in ("send", "receive", "close", "cancel"):
            self.buttons[k].clicked.connect(lambda _c=False, key=k: self.step(key))
        new = QHBoxLayout()
        for w in (QLabel(self.tr("From")), self.from_loc, QLabel(self.tr("to")), self.to_loc):
            new.addWidget(w)
        new.addWidget(self.new_lines, 1)
        new.addWidget(self.buttons["create"])
        actions = QHBoxLayout()
        for k in ("send", "receive", "close", "cancel"):
            actions.addWidget(self.buttons[k])
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(new)
        layout.addWidget(self.transfers, 1)
        layout.addLayout(actions)
        layout.addWidget(self.lines, 1)

    def set_locations(self, locations) -> None:
        fill_combo(self.from_loc, locations)
        fill_combo(self.to_loc, locations)
        if self.to_loc.count() > 1:
            self.to_loc.setCurrentIndex(1)

    def reload(self) -> None:
        self.ctx.read(lambda s: ops.list_transfers(s), self._loaded)

    def _loaded(self, rows) -> None:
        selected = self.selected()
        self.rows = rows
        _fill(self.transfers, [[str(r.number), r.route, self.tr(r.status), format_qty(r.sent),
                                format_qty(r.received)] for r in rows])
        ids = [r.id for r in rows]
        if rows:
            self.transfers.selectRow(ids.index(selected.id) if selected and selected.id in ids else 0)
            self.show_lines()  # the same row stays selected: no signal, but its lines changed

    def selected(self):
        r = self.transfers.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def show_lines(self) -> None:
        t = self.selected()
        if t is not None:
            self.ctx.read(lambda s: ops.transfer_line_rows(s, t.id), self._show_lines)

    def _show_lines(self, rows) -> None:
        self.line_rows = rows
        _fill(self.lines, [[ln.sku, ln.name, format_qty(ln.qty), format_qty(ln.received),
                            format_qty(ln.in_transit), ""] for ln in rows])

    def create(self) -> None:
        try:
            lines = []
            for n, line in enumerate(self.new_lines.toPlainText().splitlines(), 1):
                parts = line.split()
                if parts:
                    if len(parts) != 2:
                        raise ValidationError(f"line {n}: write 'SKU quantity'", field="lines")
                    lines.append({"sku": parts[0], "qty": parse_qty(parts[1], f"lines[{n}].qty")})
        except UserError as exc:
            show_error(self, exc)
            return
        args = {"from_location_id": self.from_loc.currentData(), "to_location_id": self.to_loc.currentData(),
                "lines": lines}
        self.ctx.command("transfers.create", args, lambda _r: self.new_lines.clear(),
                         on_error=lambda e: show_error(self, e))

    def step(self, action: str) -> None:
        t = self.selected()
        if t is None:
            return
        lines = None
        if action == "receive":  # typed quantities; none typed = everything in transit
            try:
                typed = {ln.product_id: parse_qty(self.lines.item(r, 5).text(), "qty")
                         for r, ln in enumerate(self.line_rows) if self.lines.item(r, 5).text().strip()}
            except UserError as exc:
                show_error(self, exc)
                return
            lines = [{"product_id": p, "qty": q} for p, q in typed.items() if q > 0] or None
        args = {"transfer_id": t.id} if lines is None else {"transfer_id": t.id, "lines": lines}
        self.ctx.command(f"transfers.{action}", args, on_error=lambda e: show_error(self, e))


class CountsPage(QWidget):
    """Counts: create (whole location or a category), scan or type counts, see variances, post."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("countsPage")
        self.ctx = ctx
        self.counts = _table([self.tr("No."), self.tr("Location"), self.tr("Scope"), self.tr("Status"),
                              self.tr("Date")], 1)
        self.rows_table = _table([self.tr("SKU"), self.tr("Name"), self.tr("On hand"), self.tr("Counted"),
                                  self.tr("Variance")], 1)
        self.heads: list[ops.CountHead] = []
        self.counts.itemSelectionChanged.connect(self.show_count)
        self.location, self.category = QComboBox(), QComboBox()
        self.create_button = QPushButton(self.tr("New count"))
        self.create_button.clicked.connect(self.create)
        self.code, self.qty = QLineEdit(), QLineEdit()
        self.code.setPlaceholderText(self.tr("Scan a barcode or type a SKU"))
        self.qty.setPlaceholderText(self.tr("quantity (empty: one more)"))
        self.code.returnPressed.connect(self.enter)
        self.post_button = QPushButton(self.tr("Post count"))
        self.post_button.clicked.connect(self.post)
        self.summary = QLabel()
        self.summary.setObjectName("countSummary")
        self.list_button = QPushButton(self.tr("Count list PDF…"))
        self.list_button.clicked.connect(self.choose_list_path)
        self.with_expected = QCheckBox(self.tr("With expected quantities"))
        top = QHBoxLayout()
        for w in (QLabel(self.tr("Location")), self.location, self.category, self.create_button,
                  self.list_button, self.with_expected):
            top.addWidget(w)
        top.addStretch(1)
        entry = QHBoxLayout()
        entry.addWidget(self.code, 2)
        entry.addWidget(self.qty, 1)
        entry.addWidget(self.post_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts, 1)
        layout.addLayout(entry)
        layout.addWidget(self.rows_table, 2)
        layout.addWidget(self.summary)

    def set_lookups(self, lookups) -> None:
        fill_combo(self.location, lookups.locations)
        fill_combo(self.category, lookups.categories, self.tr("Whole location"))

    def reload(self) -> None:
        self.ctx.read(lambda s: ops.list_counts(s), self._loaded)

    def _loaded(self, heads) -> None:
        current = self.selected()
        self.heads = heads
        _fill(self.counts, [[str(h.number), h.location, self.tr(h.scope), self.tr(h.status), h.count_date]
                            for h in heads])
        ids = [h.id for h in heads]
        if heads:
            self.counts.selectRow(ids.index(current.id) if current and current.id in ids else 0)
            self.show_count()

    def selected(self):
        r = self.counts.currentRow()
        return self.heads[r] if 0 <= r < len(self.heads) else None

    def show_count(self) -> None:
        head = self.selected()
        if head is not None:
            self.ctx.read(lambda s: ops.count_view(s, head.id), self._show_count)

    def _show_count(self, view) -> None:
        rows, report = view
        _fill(self.rows_table, [[r.sku, r.name, format_qty(r.on_hand),
                                 "" if r.counted_qty is None else format_qty(r.counted_qty),
                                 "" if r.variance is None else format_qty(r.variance)] for r in rows])
        self.summary.setText(self.tr("{c} counted, {u} not counted; {n} variances worth {v} kr").format(
            c=report.counted, u=report.uncounted, n=len(report.lines), v=format_amount(report.value_change)))

    def create(self) -> None:
        args = {"location_id": self.location.currentData(), "category_id": self.category.currentData()}
        self.ctx.command("counts.create", args, on_error=lambda e: show_error(self, e))

    def enter(self) -> None:
        head = self.selected()
        if head is None:
            return
        code, qty_text = self.code.text(), self.qty.text().strip()
        try:
            qty = parse_qty(qty_text, "qty") if qty_text else None
        except UserError as exc:
            show_error(self, exc)
            return
        self.code.clear()
        self.qty.clear()
        # the "counts" area is announced after it: the page reloads the count it shows
        self.ctx.command("counts.enter", {"count_id": head.id, "code": code, "qty": qty},
                         on_error=lambda e: show_error(self, e))

    def post(self) -> None:
        head = self.selected()
        if head is None:
            return
        self.ctx.command("counts.post", {"count_id": head.id}, on_error=lambda e: show_error(self, e))

    def choose_list_path(self) -> None:
        head = self.selected()
        if head is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save count list"), f"inventering-{head.number}.pdf",
                                              self.tr("PDF files (*.pdf)"))
        if path:
            self.save_list(path)

    def save_list(self, path: str, on_done=None) -> None:
        """Write the selected count's list (blind unless "with expected quantities" is ticked)."""
        head = self.selected()
        if head is None:
            return
        blind = not self.with_expected.isChecked()

        def job(session):
            from pathlib import Path

            from core.documents.count_list_pdf import count_list_pdf
            Path(path).write_bytes(count_list_pdf(session, head.id, blind=blind))
            return path
        self.ctx.read(job, on_done, on_error=lambda e: show_error(self, e))
