"""Suppliers for the Purchasing tab: the list, one supplier's form, and their article numbers and prices.

`RowsModel` (paged.py's named columns over a list loaded whole) is shared by the other purchasing
pages (payables, reorder, drop ship); lists here are short, so no paging. Changes are commands
(core/commands/purchasing.py): `supplier_command` gives the form's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication
from sqlalchemy import text
from sqlalchemy.orm import Session

from backoffice.models.paged import ColumnsModel
from core.money import format_amount
from core.quantity import format_qty


class RowsModel(ColumnsModel):
    """Rows shown as they are given; `load(runner, fn)` reads them on the database lane."""

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()
        self.loaded.emit(len(self.rows))

    def load(self, runner, fn) -> None:
        """`fn(session)` → rows, run off the GUI thread; shown when they arrive."""
        runner.read(fn, self.set_rows)


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


def supplier_command(supplier_id: int | None, texts: dict[str, str], active: bool = True
                     ) -> tuple[str, dict]:
    """The command (name, arguments) that creates (id None) or changes a supplier from the form's texts."""
    values = form_values(texts) | {"active": active}
    if supplier_id is None:
        return "suppliers.create", values
    return "suppliers.update", {"supplier_id": supplier_id, "changes": values}


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
