"""Suppliers for the Purchasing tab: the list, one supplier's form, and their article numbers and prices.

`RowsModel` (a small table model over a list of rows, named columns) is shared by the other
purchasing pages (payables, reorder, drop ship); lists here are short, so no paging.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt, Signal
from sqlalchemy import text
from sqlalchemy.orm import Session

from core.catalog.products import get_by_sku
from core.money import format_amount
from core.quantity import format_qty

NO_PARENT = QModelIndex()


class RowsModel(QAbstractTableModel):
    """Rows shown as they are given; `load(runner, fn)` reads them on the database lane."""

    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()
    NUMERIC: ClassVar[frozenset[str]] = frozenset()
    loaded = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()
        self.loaded.emit(len(self.rows))

    def load(self, runner, fn) -> None:
        """`fn(session)` → rows, run off the GUI thread; shown when they arrive."""
        runner.read(fn, self.set_rows)

    def display(self, row, key: str) -> Any:
        value = getattr(row, key)
        return "" if value is None else value

    def column(self, key: str) -> int:
        return [k for k, _ in self.COLUMNS].index(key)

    def row_at(self, row: int):
        return self.rows[row]

    def text(self, row: int, key: str) -> str:
        """What a cell shows (tests read the table through this)."""
        return str(self.data(self.index(row, self.column(key))))

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate(type(self).__name__, self.COLUMNS[section][1])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        key = self.COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(self.rows[index.row()], key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in self.NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()]
        return None


def yes_no(value: bool) -> str:
    return QCoreApplication.translate("RowsModel", "yes" if value else "no")


@dataclass(frozen=True)
class SupplierRow:
    id: int
    code: str
    name: str
    currency: str
    payment_terms_days: int | None
    lead_time_days: int | None
    email: str | None
    our_customer_no: str | None
    city: str | None
    active: bool
    articles: int


def supplier_rows(conn, active_only: bool = False) -> list[SupplierRow]:
    rows = conn.execute(text(f"""
        SELECT s.id, s.code, s.name, s.currency, s.payment_terms_days, s.lead_time_days, s.email,
               s.our_customer_no, s.city, s.active,
               (SELECT count(*) FROM supplier_article a WHERE a.supplier_id = s.id)
        FROM supplier s {"WHERE s.active" if active_only else ""} ORDER BY s.code""")).all()
    return [SupplierRow(*r[:9], bool(r[9]), int(r[10])) for r in rows]


class SuppliersModel(RowsModel):
    COLUMNS = (("code", "Code"), ("name", "Name"), ("currency", "Currency"),
               ("payment_terms_days", "Payment terms (days)"), ("lead_time_days", "Lead time (days)"),
               ("email", "E-mail"), ("our_customer_no", "Our customer no."), ("articles", "Articles"),
               ("active", "Active"))
    NUMERIC = frozenset({"payment_terms_days", "lead_time_days", "articles"})

    def display(self, row: SupplierRow, key: str):
        if key == "active":
            return yes_no(row.active)
        return super().display(row, key)


#: the form's fields, in order: (field, English label)
FORM_FIELDS = (("code", "Code"), ("name", "Name"), ("currency", "Currency"),
               ("payment_terms_days", "Payment terms (days)"), ("lead_time_days", "Lead time (days)"),
               ("email", "E-mail"), ("phone", "Phone"), ("org_number", "Organisation number"),
               ("address1", "Address"), ("postal_code", "Postal code"), ("city", "City"),
               ("country", "Country"), ("our_customer_no", "Our customer no."), ("notes", "Note"))
DAY_FIELDS = ("payment_terms_days", "lead_time_days")


def supplier_form(session: Session, supplier_id: int | None) -> dict[str, str]:
    """The form's texts for a supplier (empty for a new one; SEK, 30 days' terms)."""
    from core.purchasing.suppliers import SupplierIn, get_supplier

    src = get_supplier(session, supplier_id) if supplier_id is not None else SupplierIn("", "")
    return {k: "" if getattr(src, k) is None else str(getattr(src, k)) for k, _ in FORM_FIELDS}


def form_values(texts: dict[str, str]) -> dict[str, Any]:
    """Typed values from the form's texts: empty → None, days as whole numbers (the rules check ranges)."""
    from core.errors import ValidationError

    out: dict[str, Any] = {}
    for key, value in texts.items():
        value = (value or "").strip()
        if key in DAY_FIELDS and value:
            if not value.isdigit():
                raise ValidationError(f"a whole number of days, not {value!r}", field=key)
            out[key] = int(value)
        else:
            out[key] = value or None
    out["code"], out["name"] = out.get("code") or "", out.get("name") or ""
    out["currency"] = out.get("currency") or "SEK"
    return out


def save_supplier(session: Session, supplier_id: int | None, texts: dict[str, str],
                  active: bool = True) -> int:
    """Create (id None) or change a supplier from the form's texts; its id."""
    from core.purchasing.suppliers import SupplierIn, create_supplier, update_supplier

    values = form_values(texts)
    values["active"] = active
    if supplier_id is None:
        fields = {f.name for f in dataclasses.fields(SupplierIn)}
        return create_supplier(session, SupplierIn(**{k: v for k, v in values.items() if k in fields})).id
    return update_supplier(session, supplier_id, **values).id


@dataclass(frozen=True)
class ArticleRow:
    product_id: int
    sku: str
    name: str
    supplier_sku: str
    price: int
    pack_qty: int
    preferred: bool


def article_rows(conn, supplier_id: int) -> list[ArticleRow]:
    rows = conn.execute(text("""
        SELECT a.product_id, p.sku, p.name_sv, a.supplier_sku, a.price, a.pack_qty, a.preferred
        FROM supplier_article a JOIN product p ON p.id = a.product_id
        WHERE a.supplier_id = :s ORDER BY p.sku"""), {"s": supplier_id}).all()
    return [ArticleRow(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), bool(r[6])) for r in rows]


class ArticlesModel(RowsModel):
    COLUMNS = (("sku", "SKU"), ("name", "Name"), ("supplier_sku", "Supplier's article no."),
               ("price", "Purchase price"), ("pack_qty", "Pack size"), ("preferred", "Preferred"))
    NUMERIC = frozenset({"price", "pack_qty"})

    def display(self, row: ArticleRow, key: str):
        if key == "price":
            return format_amount(row.price)
        if key == "pack_qty":
            return format_qty(row.pack_qty)
        if key == "preferred":
            return yes_no(row.preferred)
        return super().display(row, key)


def set_article_by_sku(session: Session, supplier_id: int, sku: str, supplier_sku: str, price: int,
                       pack_qty: int = 1000, preferred: bool = True) -> int:
    """The supplier's article number and price for our SKU (created or changed); the product id."""
    from core.purchasing.suppliers import set_supplier_article

    product_id = get_by_sku(session, (sku or "").strip()).id
    set_supplier_article(session, supplier_id, product_id, supplier_sku, price, pack_qty, preferred)
    return product_id


def remove_article(session: Session, supplier_id: int, product_id: int) -> None:
    from core.purchasing.suppliers import remove_supplier_article

    remove_supplier_article(session, supplier_id, product_id)
