"""The products table: id-ordered pages over the catalogue with search and filters, never all rows.

`fetch_products` is one indexed statement per page (keyset on product.id), so the first page at a
million products costs a few milliseconds; search goes through the FTS5 index
(`core.catalog.search.search_products`) and shows at most SEARCH_LIMIT matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import Integer, bindparam, text

from backoffice.models.paged import PagedModel
from core.catalog.search import search_products
from core.inventory.levels import bundle_available
from core.money import format_amount
from core.quantity import format_qty

SEARCH_LIMIT = 1000
TYPES = ("single", "variant_parent", "variant", "bundle")


@dataclass(frozen=True)
class ProductFilter:
    """What the products tab shows: search text, a category (with its subcategories), type, active."""

    text: str = ""
    category_id: int | None = None
    product_type: str | None = None
    #: True = active only, False = inactive only, None = both
    active: bool | None = None


@dataclass(frozen=True)
class ProductRow:
    id: int
    sku: str
    name: str
    product_type: str
    category: str
    vat_class: str
    #: regular base price in the default list (öre), None when it has none
    price: int | None
    #: available over all locations (thousandths); bundles: whole sets from components; None = not stocked
    available: int | None
    active: bool
    drop_ship: bool


def category_subtree(conn, category_id: int) -> list[int]:
    rows = conn.execute(text(
        "WITH RECURSIVE t(id) AS (SELECT :c UNION ALL SELECT c.id FROM category c JOIN t ON c.parent_id = t.id) "
        "SELECT id FROM t"), {"c": category_id}).all()
    return [r[0] for r in rows]


def _default_list(conn) -> int | None:
    return conn.execute(text("SELECT id FROM price_list WHERE is_default AND active ORDER BY id LIMIT 1")).scalar()


def fetch_products(conn, flt: ProductFilter, after_id: int | None = None, limit: int = 200,
                   lang: str = "sv", price_list_id: int | None = None) -> list[ProductRow]:
    """One page of products matching `flt` with id > after_id, in id order."""
    conds, params = ["p.id > :after"], {"after": after_id or 0, "n": limit}
    binds = []
    if flt.text.strip():
        hits = search_products(conn, flt.text, limit=SEARCH_LIMIT, active_only=flt.active is True, lang=lang)
        ids = [h.id for h in hits if h.id > (after_id or 0)]
        if not ids:
            return []
        conds.append("p.id IN :ids")
        params["ids"] = ids
        binds.append(bindparam("ids", expanding=True, type_=Integer))
    if flt.category_id is not None:
        conds.append("p.category_id IN :cats")
        params["cats"] = category_subtree(conn, flt.category_id)
        binds.append(bindparam("cats", expanding=True, type_=Integer))
    if flt.product_type:
        conds.append("p.product_type = :ptype")
        params["ptype"] = flt.product_type
    if flt.active is not None:
        conds.append("p.active" if flt.active else "NOT p.active")
    params["pl"] = price_list_id if price_list_id is not None else _default_list(conn)
    name = "p.name_en" if lang == "en" else "p.name_sv"
    cat = "c.name_en" if lang == "en" else "c.name_sv"
    sql = text(f"""
        SELECT p.id, p.sku, {name}, p.product_type, coalesce({cat}, ''), p.vat_class,
               (SELECT i.price FROM price_list_item i WHERE i.price_list_id = :pl AND i.product_id = p.id
                  AND i.min_qty = 1000 AND NOT i.campaign
                ORDER BY i.valid_from IS NOT NULL, i.id LIMIT 1),
               CASE WHEN p.stocked THEN (SELECT coalesce(sum(s.on_hand - s.reserved), 0)
                                         FROM stock_level s WHERE s.product_id = p.id) END,
               p.active, p.drop_ship
        FROM product p LEFT JOIN category c ON c.id = p.category_id
        WHERE {' AND '.join(conds)} ORDER BY p.id LIMIT :n""").bindparams(*binds)
    rows = [ProductRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                       None if r[7] is None else int(r[7]), bool(r[8]), bool(r[9]))
            for r in conn.execute(sql, params)]
    # SET articles have no stock of their own: show whole sets the components allow (few per page)
    return [ProductRow(**{**r.__dict__, "available": bundle_available(conn, r.id, None)})
            if r.product_type == "bundle" else r for r in rows]


class ProductsModel(PagedModel):
    """Products with named columns; `set_filter` starts again from the first page."""

    COLUMNS = (("sku", "SKU"), ("name", "Name"), ("product_type", "Type"), ("category", "Category"),
               ("vat_class", "VAT class"), ("price", "Price"), ("available", "Available"),
               ("active", "Active"))
    NUMERIC = frozenset({"price", "available"})
    TYPE_NAMES: ClassVar[dict[str, str]] = {"single": "Single", "variant_parent": "Variant parent", "variant": "Variant",
                  "bundle": "SET article"}

    def __init__(self, runner, page_size: int = 200, lang: str = "sv", parent=None):
        super().__init__(runner, page_size, parent)
        self.filter = ProductFilter()
        self.lang = lang

    def set_filter(self, flt: ProductFilter) -> None:
        self.filter = flt
        self.reload()

    def fetch(self, session, after, limit):
        return fetch_products(session, self.filter, after, limit, self.lang)

    def display(self, row: ProductRow, key: str):
        from backoffice.models.paged import tr
        if key == "price":
            return "" if row.price is None else format_amount(row.price)
        if key == "available":
            return "" if row.available is None else format_qty(row.available)
        if key == "active":
            return tr("ProductsModel", "yes") if row.active else tr("ProductsModel", "no")
        if key == "product_type":
            return tr("ProductsModel", self.TYPE_NAMES.get(row.product_type, row.product_type))
        return getattr(row, key)
