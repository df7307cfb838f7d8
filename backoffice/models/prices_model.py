"""Prices of one price list (paged, keyset on product, break, id), the filtered product set for a
bulk change, and the price history — shown incl. or excl. VAT as the list says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from sqlalchemy import Integer, bindparam, text

from backoffice.models.paged import PagedModel, tr
from backoffice.models.products_model import SEARCH_LIMIT, ProductFilter, category_subtree
from core.catalog.search import search_products
from core.money import format_amount
from core.quantity import format_qty


@dataclass(frozen=True)
class PriceRow:
    id: int
    product_id: int
    sku: str
    name: str
    min_qty: int
    price: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    campaign: bool


@dataclass(frozen=True)
class ListInfo:
    id: int
    code: str
    name: str
    currency: str
    includes_vat: bool


def list_info(conn, list_id: int) -> ListInfo:
    r = conn.execute(text("SELECT id, code, name, currency, includes_vat FROM price_list WHERE id = :i"),
                     {"i": list_id}).one()
    return ListInfo(r[0], r[1], r[2], r[3], bool(r[4]))


def filter_product_ids(conn, flt: ProductFilter) -> list[int] | None:
    """The products a filter selects (search text, category subtree); None when it selects all."""
    ids: list[int] | None = None
    if flt.text.strip():
        ids = [h.id for h in search_products(conn, flt.text, limit=SEARCH_LIMIT, active_only=False)]
    if flt.category_id is not None:
        cats = category_subtree(conn, flt.category_id)
        stmt = text("SELECT id FROM product WHERE category_id IN :c ORDER BY id").bindparams(
            bindparam("c", expanding=True, type_=Integer))
        in_cat = [r[0] for r in conn.execute(stmt, {"c": cats})]
        ids = in_cat if ids is None else sorted(set(ids) & set(in_cat))
    return ids


def fetch_prices(conn, list_id: int, flt: ProductFilter, after: tuple | None, limit: int,
                 lang: str = "sv") -> list[PriceRow]:
    name = "p.name_en" if lang == "en" else "p.name_sv"
    params = {"pl": list_id, "n": limit}
    conds = ["i.price_list_id = :pl"]
    binds = []
    if after is not None:
        conds.append("(i.product_id, i.min_qty, i.id) > (:ap, :aq, :ai)")
        params.update(ap=after[0], aq=after[1], ai=after[2])
    if flt.text.strip():
        ids = [h.id for h in search_products(conn, flt.text, limit=SEARCH_LIMIT, active_only=False, lang=lang)]
        if not ids:
            return []
        conds.append("i.product_id IN :ids")
        params["ids"] = ids
        binds.append(bindparam("ids", expanding=True, type_=Integer))
    if flt.category_id is not None:
        conds.append("p.category_id IN :cats")
        params["cats"] = category_subtree(conn, flt.category_id)
        binds.append(bindparam("cats", expanding=True, type_=Integer))
    sql = text(f"""
        SELECT i.id, i.product_id, p.sku, {name}, i.min_qty, i.price, i.valid_from, i.valid_to, i.campaign
        FROM price_list_item i JOIN product p ON p.id = i.product_id
        WHERE {' AND '.join(conds)} ORDER BY i.product_id, i.min_qty, i.id LIMIT :n""").bindparams(*binds)
    return [PriceRow(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), _date(r[6]), _date(r[7]), bool(r[8]))
            for r in conn.execute(sql, params)]


def _when(v) -> dt.datetime:
    """Text SQL on SQLite gives timestamps as text."""
    return v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(str(v))


def _date(v):
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


class PricesModel(PagedModel):
    """Prices of the chosen list; the price header says incl. or excl. VAT and the currency."""

    COLUMNS = (("sku", "SKU"), ("name", "Name"), ("min_qty", "From qty"), ("price", "Price"),
               ("valid_from", "Valid from"), ("valid_to", "Valid to"), ("campaign", "Campaign"))
    NUMERIC = frozenset({"min_qty", "price"})

    def __init__(self, runner, page_size: int = 200, lang: str = "sv", parent=None):
        super().__init__(runner, page_size, parent)
        self.lang = lang
        self.info: ListInfo | None = None
        self.filter = ProductFilter()

    def set_list(self, info: ListInfo | None, flt: ProductFilter | None = None) -> None:
        self.info = info
        if flt is not None:
            self.filter = flt
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        self.reload()

    def set_filter(self, flt: ProductFilter) -> None:
        self.filter = flt
        self.reload()

    def fetch(self, session, after, limit):
        if self.info is None:
            return []
        return fetch_prices(session, self.info.id, self.filter, after, limit, self.lang)

    def key_of(self, row: PriceRow):
        return (row.product_id, row.min_qty, row.id)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (self.info is not None and role == Qt.ItemDataRole.DisplayRole
                and orientation == Qt.Orientation.Horizontal and self.COLUMNS[section][0] == "price"):
            vat = tr("PricesModel", "incl. VAT") if self.info.includes_vat else tr("PricesModel", "excl. VAT")
            return f"{tr('PricesModel', 'Price')} ({self.info.currency}, {vat})"
        return super().headerData(section, orientation, role)

    def display(self, row: PriceRow, key: str):
        if key == "price":
            return format_amount(row.price)
        if key == "min_qty":
            return format_qty(row.min_qty)
        if key == "campaign":
            return tr("PricesModel", "campaign") if row.campaign else ""
        if key in ("valid_from", "valid_to"):
            value = getattr(row, key)
            return value.isoformat() if value else ""
        return getattr(row, key)


@dataclass(frozen=True)
class HistoryRow:
    changed_at: dt.datetime
    sku: str
    min_qty: int
    campaign: bool
    old_price: int | None
    new_price: int
    changed_by: str | None


def price_history(conn, list_id: int, product_id: int | None = None, limit: int = 200) -> list[HistoryRow]:
    """The newest price changes of a list (of one product when given)."""
    cond = "AND c.product_id = :p" if product_id is not None else ""
    rows = conn.execute(text(f"""
        SELECT c.changed_at, p.sku, c.min_qty, c.campaign, c.old_price, c.new_price, c.changed_by
        FROM price_change c JOIN product p ON p.id = c.product_id
        WHERE c.price_list_id = :l {cond} ORDER BY c.id DESC LIMIT :n"""),
        {"l": list_id, "p": product_id, "n": limit}).all()
    return [HistoryRow(_when(r[0]), r[1], int(r[2]), bool(r[3]), r[4], int(r[5]), r[6]) for r in rows]
