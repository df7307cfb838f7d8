"""What the sale screen browses: categories, their products, favourites, search and the variant grid.

Read-only indexed queries on the local store; they run off the GUI thread and return plain tuples.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, text

from core.catalog.search import search_products
from core.catalog.variants import variant_grid
from core.db.engine import Store
from core.inventory.levels import levels_for

#: product types a cashier can pick (a variant parent opens the picker; variants come from it)
PICKABLE = ("single", "variant_parent", "bundle")
GRID_LIMIT = 60


@dataclass(frozen=True)
class Item:
    """A product tile or search hit."""

    id: int
    sku: str
    name: str
    product_type: str = "single"
    unit: str = "pcs"

    @property
    def is_parent(self) -> bool:
        return self.product_type == "variant_parent"

    @property
    def by_weight(self) -> bool:
        return self.unit in ("kg", "g", "l", "m")


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    parent_id: int | None


_CATEGORIES = text("SELECT id, name_sv, parent_id FROM category ORDER BY sort, name_sv")
_IN_CATEGORY = text(
    "SELECT id, sku, name_sv, product_type, unit FROM product WHERE active AND product_type IN "
    "('single', 'variant_parent', 'bundle') AND category_id IN :cats ORDER BY name_sv LIMIT :n"
).bindparams(bindparam("cats", expanding=True))
_BY_SKUS = text("SELECT id, sku, name_sv, product_type, unit FROM product WHERE sku IN :skus"
                ).bindparams(bindparam("skus", expanding=True))
_FIRST = text("SELECT id, sku, name_sv, product_type, unit FROM product WHERE active AND "
              "product_type IN ('single', 'variant_parent', 'bundle') ORDER BY id LIMIT :n")
_DETAILS = text("SELECT id, sku, name_sv, product_type, unit FROM product WHERE id IN :ids"
                ).bindparams(bindparam("ids", expanding=True))


def categories(store: Store) -> list[Category]:
    with store.read() as s:
        return [Category(*row) for row in s.execute(_CATEGORIES)]


def in_category(store: Store, category_id: int, limit: int = GRID_LIMIT) -> list[Item]:
    """Products of a category and its sub-categories (one level down), by name."""
    with store.read() as s:
        cats = [category_id] + [c for (c,) in s.execute(
            text("SELECT id FROM category WHERE parent_id = :p"), {"p": category_id})]
        return [Item(*row) for row in s.execute(_IN_CATEGORY, {"cats": cats, "n": limit})]


def favourites(store: Store, skus: list[str], limit: int = 12) -> list[Item]:
    with store.read() as s:
        if skus:
            found = {row[1]: Item(*row) for row in s.execute(_BY_SKUS, {"skus": list(skus)})}
            return [found[k] for k in skus if k in found][:limit]
        return [Item(*row) for row in s.execute(_FIRST, {"n": limit})]


def search(store: Store, user_text: str, limit: int = 40) -> list[Item]:
    """Search as you type over the whole catalogue (FTS5), variants included."""
    with store.read() as s:
        hits = search_products(s, user_text, limit=limit)
        if not hits:
            return []
        rows = {row[0]: Item(*row) for row in s.execute(_DETAILS, {"ids": [h.id for h in hits]})}
    return [rows[h.id] for h in hits if h.id in rows]


@dataclass(frozen=True)
class VariantCell:
    product_id: int | None
    available: int  # thousandths at the till's location


@dataclass(frozen=True)
class VariantChoice:
    """The colour × size grid of one parent with stock at the till's store."""

    parent_id: int
    row_axis: str
    col_axis: str
    rows: list[str]
    cols: list[str]
    cells: list[list[VariantCell]]


def variant_choice(store: Store, parent_id: int, location_id: int | None) -> VariantChoice:
    with store.read() as s:
        grid = variant_grid(s, parent_id)
        table = grid.table()
        ids = [pid for row in table for pid in row if pid is not None]
        levels = levels_for(s, ids, location_id) if ids else {}
    cells = [[VariantCell(pid, levels[pid].available if pid in levels else 0) for pid in row]
             for row in table]
    return VariantChoice(parent_id, grid.axes[0].name if grid.axes else "",
                         grid.axes[1].name if len(grid.axes) > 1 else "",
                         [v for _, v in grid.rows], [v for _, v in grid.cols] or [""], cells)
