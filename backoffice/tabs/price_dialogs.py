"""Dialogs of the Prices tab: set one price (break, dates, campaign) and a bulk change with a preview."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from backoffice.errors import show_error
from backoffice.models.prices_model import ListInfo, PriceRow, filter_product_ids
from backoffice.models.products_model import SEARCH_LIMIT, ProductFilter
from backoffice.widgets import money_text, parse_money
from core.errors import UserError, ValidationError
from core.money import format_amount, parse_rate
from core.pricing.bulk import bulk_change
from core.quantity import format_qty, parse_qty

PREVIEW_ROWS = 500


def parse_date(value: str, field: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{value!r} is not a date", field=field, hint="write e.g. 2026-12-24") from None


class SetPriceDialog(QDialog):
    """One price of one product in the list: from a quantity, maybe dated, maybe a campaign."""

    saved = Signal()

    def __init__(self, ctx, info: ListInfo, row: PriceRow | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("setPrice")
        self.ctx, self.info = ctx, info
        vat = self.tr("incl. VAT") if info.includes_vat else self.tr("excl. VAT")
        self.setWindowTitle(self.tr("Price in {code}").format(code=info.code))
        self.sku, self.price, self.min_qty = QLineEdit(), QLineEdit(), QLineEdit("1")
        self.valid_from, self.valid_to = QLineEdit(), QLineEdit()
        for w in (self.valid_from, self.valid_to):
            w.setPlaceholderText("YYYY-MM-DD")
        self.campaign = QCheckBox(self.tr("Campaign price (wins over regular prices while valid)"))
        if row is not None:
            self.sku.setText(row.sku)
            self.price.setText(money_text(row.price))
            self.min_qty.setText(format_qty(row.min_qty))
            self.valid_from.setText(row.valid_from.isoformat() if row.valid_from else "")
            self.valid_to.setText(row.valid_to.isoformat() if row.valid_to else "")
            self.campaign.setChecked(row.campaign)
        form = QFormLayout(self)
        form.addRow(self.tr("SKU"), self.sku)
        form.addRow(self.tr("Price ({currency}, {vat})").format(currency=info.currency, vat=vat), self.price)
        form.addRow(self.tr("From quantity"), self.min_qty)
        form.addRow(self.tr("Valid from"), self.valid_from)
        form.addRow(self.tr("Valid to"), self.valid_to)
        form.addRow("", self.campaign)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def submit(self) -> None:
        try:
            valid_from = parse_date(self.valid_from.text(), "valid_from")
            valid_to = parse_date(self.valid_to.text(), "valid_to")
            args = {"price_list_id": self.info.id, "sku": self.sku.text().strip(),
                    "price": parse_money(self.price.text(), "price", required=True),
                    "min_qty": parse_qty(self.min_qty.text(), "min_qty"),
                    "valid_from": valid_from.isoformat() if valid_from else None,
                    "valid_to": valid_to.isoformat() if valid_to else None,
                    "campaign": self.campaign.isChecked()}
        except UserError as exc:
            show_error(self, exc)
            return

        def done(_r):
            self.saved.emit()
            self.accept()
        self.ctx.command("prices.set", args, done, on_error=lambda exc: show_error(self, exc))


class BulkChangeDialog(QDialog):
    """Change the regular prices of the filtered products by a percentage or an amount.

    Preview first: the table shows every price before and after. Apply writes exactly the change
    that was previewed (same parameters, same product set) and records history.
    """

    applied = Signal(int)

    def __init__(self, ctx, info: ListInfo, flt: ProductFilter, parent=None):
        super().__init__(parent)
        self.setObjectName("bulkChange")
        self.ctx, self.info, self.filter = ctx, info, flt
        self.setWindowTitle(self.tr("Bulk price change in {code}").format(code=info.code))
        scope = []
        if flt.text.strip():
            scope.append(self.tr("search “{text}”").format(text=flt.text.strip())
                         + self.tr(" (at most {n} matches)").format(n=SEARCH_LIMIT))
        if flt.category_id is not None:
            scope.append(self.tr("the chosen category"))
        self.scope = QLabel(self.tr("Applies to: ") + (", ".join(scope) if scope else self.tr("every product in the list")))
        self.by_percent, self.by_amount = QRadioButton(self.tr("Percent")), QRadioButton(self.tr("Amount"))
        self.by_percent.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_percent)
        group.addButton(self.by_amount)
        self.value = QLineEdit()
        self.value.setPlaceholderText(self.tr("e.g. 10 or -5,5 (percent); 20,00 or -10 (amount)"))
        self.round_krona = QCheckBox(self.tr("Round to whole kronor"))
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.clicked.connect(self.preview)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("SKU"), self.tr("Old price"), self.tr("New price")])
        self.summary = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Close)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.by_percent, self.by_amount)
        form.addRow(self.tr("Change"), self.value)
        form.addRow("", self.round_krona)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addLayout(form)
        layout.addWidget(self.preview_button)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(620, 520)
        self.previewed: tuple | None = None
        self.deltas = []
        for w in (self.value,):
            w.textChanged.connect(self._invalidate)
        for w in (self.by_percent, self.by_amount, self.round_krona):
            w.toggled.connect(self._invalidate)

    def _invalidate(self, *_):
        self.previewed = None
        self.apply_button.setEnabled(False)

    def parameters(self) -> dict:
        if self.by_percent.isChecked():
            change = {"percent_bp": parse_rate(self.value.text(), "percent_bp")
                      if not self.value.text().strip().startswith("-")
                      else -parse_rate(self.value.text().strip()[1:], "percent_bp")}
        else:
            change = {"amount": parse_money(self.value.text(), "amount", required=True, allow_negative=True)}
        change["round_to"] = 100 if self.round_krona.isChecked() else None
        return change

    def _preview_job(self, params: dict):
        flt, list_id = self.filter, self.info.id

        def job(session):
            ids = filter_product_ids(session, flt)
            return ids, bulk_change(session, list_id, ids, preview=True, **params)
        return job

    def preview(self) -> None:
        try:
            params = self.parameters()
        except UserError as exc:
            show_error(self, exc)
            return

        def done(result):
            ids, deltas = result
            self.deltas = deltas
            self.previewed = (params, ids)
            self.show_deltas(deltas)
            self.apply_button.setEnabled(bool(deltas))
        self.ctx.read(self._preview_job(params), done, on_error=lambda exc: show_error(self, exc))

    def show_deltas(self, deltas) -> None:
        skus = getattr(self, "_skus", {})
        shown = deltas[:PREVIEW_ROWS]
        self.table.setRowCount(len(shown))
        for r, d in enumerate(shown):
            for c, v in enumerate((skus.get(d.product_id, str(d.product_id)), format_amount(d.old),
                                   format_amount(d.new))):
                self.table.setItem(r, c, QTableWidgetItem(v))
        changed = sum(1 for d in deltas if d.new != d.old)
        more = self.tr(" (first {n} shown)").format(n=PREVIEW_ROWS) if len(deltas) > PREVIEW_ROWS else ""
        self.summary.setText(self.tr("{n} prices, {c} change").format(n=len(deltas), c=changed) + more)
        self.ctx.read(lambda s: _skus_of(s, [d.product_id for d in shown]), self._fill_skus)

    def _fill_skus(self, skus: dict) -> None:
        for r in range(self.table.rowCount()):
            d = self.deltas[r]
            self.table.item(r, 0).setText(skus.get(d.product_id, str(d.product_id)))

    def apply(self) -> None:
        if self.previewed is None:
            return
        params, ids = self.previewed
        self.apply_button.setEnabled(False)

        def done(result):
            self.summary.setText(self.tr("{c} prices changed").format(c=result["changed"]))
            self.applied.emit(result["prices"])
        # exactly the previewed change: the same parameters over the same products
        self.ctx.command("prices.bulk_change", {"price_list_id": self.info.id, "product_ids": ids, **params},
                         done, on_error=lambda exc: show_error(self, exc))


def _skus_of(session, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import Integer, bindparam, text
    if not ids:
        return {}
    stmt = text("SELECT id, sku FROM product WHERE id IN :ids").bindparams(bindparam("ids", expanding=True, type_=Integer))
    return dict(session.execute(stmt, {"ids": sorted(set(ids))}).all())
