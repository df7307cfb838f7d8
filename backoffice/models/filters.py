"""Search text and category filters shared by the product-based tables (products, stock levels).

`ProductConditions` collects SQL conditions with their parameters and expanding binds;
`match_products` adds "found by the search index" and "in this category or below" on a product
column, so every list filters the same way and one place decides the search limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, bindparam
from sqlalchemy import text as sql

from core.catalog.search import search_products

#: search shows at most this many matches (the FTS5 index ranks them)
SEARCH_LIMIT = 1000


def category_subtree(conn, category_id: int) -> list[int]:
    """The category and every category below it."""
    rows = conn.execute(sql(
        "WITH RECURSIVE t(id) AS (SELECT :c UNION ALL SELECT c.id FROM category c JOIN t ON c.parent_id = t.id) "
        "SELECT id FROM t"), {"c": category_id}).all()
    return [r[0] for r in rows]


@dataclass
class ProductConditions:
    """WHERE conditions with their parameters; `binds` are the expanding IN-list parameters."""

    conds: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    binds: list = field(default_factory=list)

    def add(self, cond: str, **params) -> None:
        self.conds.append(cond)
        self.params.update(params)

    def add_in(self, column: str, name: str, values: list[int]) -> None:
        self.conds.append(f"{column} IN :{name}")
        self.params[name] = values
        self.binds.append(bindparam(name, expanding=True, type_=Integer))

    def where(self) -> str:
        return ("WHERE " + " AND ".join(self.conds)) if self.conds else ""


def match_products(conn, where: ProductConditions, *, text: str, category_id: int | None, lang: str,
                   product_col: str = "p.id", category_col: str = "p.category_id",
                   active_only: bool = False) -> bool:
    """Add the search and category conditions; False when the search finds nothing at all."""
    if text.strip():
        ids = [h.id for h in search_products(conn, text, limit=SEARCH_LIMIT, active_only=active_only,
                                             lang=lang)]
        if not ids:
            return False
        where.add_in(product_col, "ids", ids)
    if category_id is not None:
        where.add_in(category_col, "cats", category_subtree(conn, category_id))
    return True
