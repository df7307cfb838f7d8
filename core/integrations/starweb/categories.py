"""Our categories ↔ each shop's: the `category_map`, and a one-time push that creates what the shop lacks.

The push walks our tree parents first. For each category not yet mapped it looks in the shop for
one we created before (`externalType` "Butik", `externalId` = our category id — so a lost answer
to a POST never creates a twin), then for one with the same name under the same parent (mapped,
not created), and only then creates it (`POST /product-categories`, Swedish and English names).
Each mapping is committed as soon as it is known, so a push stopped halfway resumes where it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog.models import Category
from core.db import Store
from core.errors import Conflict, NotFound, ValidationError
from core.integrations.connections import Connection, log_problem
from core.integrations.http import VendorError
from core.integrations.models import CategoryMap, IntegrationConnection
from core.integrations.payload import Reader
from core.integrations.starweb.client import StarwebClient

JOB = "categories"
EXTERNAL_TYPE = "Butik"
NAME_MAX = 90
_read = Reader("Starweb")


@dataclass(frozen=True)
class ShopCategory:
    category_id: int
    parent_id: int | None
    name: str
    external_type: str
    external_id: str


@dataclass
class PushResult:
    created: int = 0
    matched: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)


# -- the mapping ------------------------------------------------------------------------------
def map_category(session: Session, connection_id: int, category_id: int, shop_category_id: int,
                 origin: str = "manual") -> CategoryMap:
    """Map one of our categories to a shop category (replaces an earlier mapping of ours)."""
    conn = session.get(IntegrationConnection, connection_id)
    if conn is None or conn.kind != "starweb":
        raise NotFound(f"no webshop connection {connection_id}", field="connection_id")
    if session.get(Category, category_id) is None:
        raise NotFound(f"no category {category_id}", field="category_id")
    if isinstance(shop_category_id, bool) or not isinstance(shop_category_id, int) \
            or shop_category_id < 1:
        raise ValidationError("the shop's category id, a whole number ≥ 1",
                              field="shop_category_id")
    taken = session.scalar(select(CategoryMap).where(
        CategoryMap.connection_id == connection_id,
        CategoryMap.shop_category_id == shop_category_id))
    if taken is not None and taken.category_id != category_id:
        raise Conflict(f"shop category {shop_category_id} is already mapped to category "
                       f"{taken.category_id}", field="shop_category_id",
                       hint="unmap that one first")
    row = session.get(CategoryMap, (connection_id, category_id))
    if row is None:
        row = CategoryMap(connection_id=connection_id, category_id=category_id)
        session.add(row)
    row.shop_category_id, row.origin = shop_category_id, origin
    session.flush()
    return row


def unmap_category(session: Session, connection_id: int, category_id: int) -> None:
    row = session.get(CategoryMap, (connection_id, category_id))
    if row is not None:
        session.delete(row)


def shop_category_of(session: Session, connection_id: int, category_id: int | None) -> int | None:
    """The shop's category for one of ours (None when not mapped) — for publishing products."""
    if category_id is None:
        return None
    return session.scalar(select(CategoryMap.shop_category_id).where(
        CategoryMap.connection_id == connection_id, CategoryMap.category_id == category_id))


# -- the shop's side --------------------------------------------------------------------------
def _parse(raw, where: str) -> ShopCategory:
    c = _read.obj(raw, where)
    langs = _read.list((c.get("languages") or {}).get("data") or [], f"{where}.languages",
                       max_items=20)
    names = {}
    for i, lang in enumerate(langs):
        lang = _read.obj(lang, f"{where}.languages[{i}]")
        names[_read.str(lang, "langCode", where, required=False) or ""] = \
            _read.str(lang, "name", where, required=False) or ""
    return ShopCategory(
        _read.int(c, "categoryId", where, minimum=1),
        _read.int(c, "parentId", where, required=False) or None,
        names.get("sv") or next(iter(names.values()), ""),
        _read.str(c, "externalType", where, required=False) or "",
        _read.str(c, "externalId", where, required=False) or "")


def shop_categories(client: StarwebClient, max_pages: int = 1000) -> list[ShopCategory]:
    """Every category of the shop, with its (primary language) name."""
    out, page = [], 1
    while page <= max_pages:
        body = _read.obj(client._call("GET", "/product-categories", params={
            "page": page, "include": "languages"}), "categories")
        rows = _read.list(body.get("data"), "categories.data", max_items=1000)
        out += [_parse(raw, f"categories[{i}]") for i, raw in enumerate(rows)]
        meta = _read.obj((body.get("meta") or {}).get("pagination") or {}, "meta.pagination")
        if not rows or page >= (_read.int(meta, "total_pages", "meta", required=False) or page):
            break
        page += 1
    return out


def create_shop_category(client: StarwebClient, category: Category, parent_id: int | None
                         ) -> int:
    """POST one category (tagged with our id, so it is found again after a lost answer)."""
    languages = [{"langCode": "sv", "name": category.name_sv[:NAME_MAX]}]
    if category.name_en:
        languages.append({"langCode": "en", "name": category.name_en[:NAME_MAX]})
    body = {"externalType": EXTERNAL_TYPE, "externalId": str(category.id),
            "sortIndex": int(category.sort), "languages": languages}
    if parent_id is not None:
        body["parentId"] = parent_id
    data = client._call("POST", "/product-categories", json_body=body, expect=(201,))
    return _read.int(_read.obj(_read.obj(data, "category").get("data"), "category.data"),
                     "categoryId", "category", minimum=1)


# -- the push ---------------------------------------------------------------------------------
def _tree_order(categories: list[Category]) -> list[Category]:
    by_parent: dict[int | None, list[Category]] = {}
    for c in categories:
        by_parent.setdefault(c.parent_id, []).append(c)
    out, todo = [], sorted(by_parent.get(None, []), key=lambda c: (c.sort, c.id))
    while todo:
        node = todo.pop(0)
        out.append(node)
        todo += sorted(by_parent.get(node.id, []), key=lambda c: (c.sort, c.id))
    return out


def push_categories(store: Store, conn: Connection, client: StarwebClient) -> PushResult:
    """Map every category of ours to the shop's, creating the missing ones (parents first)."""
    result = PushResult()
    with store.read() as s:
        ours = _tree_order(list(s.scalars(select(Category))))
        mapped = dict(s.execute(select(CategoryMap.category_id, CategoryMap.shop_category_id)
                                .where(CategoryMap.connection_id == conn.id)).all())
        s.expunge_all()
    theirs = shop_categories(client)
    by_ext = {c.external_id: c for c in theirs if c.external_type == EXTERNAL_TYPE and c.external_id}
    by_name = {(c.parent_id, c.name.strip().casefold()): c for c in theirs}
    taken = set(mapped.values())
    for cat in ours:
        if cat.id in mapped:
            result.already += 1
            continue
        if cat.parent_id is not None and cat.parent_id not in mapped:
            result.problems.append(f"{cat.code}: its parent is not in the shop; left out")
            continue
        parent = mapped.get(cat.parent_id) if cat.parent_id is not None else None
        found = by_ext.get(str(cat.id)) or by_name.get((parent, cat.name_sv.strip().casefold()))
        if found is not None and found.category_id not in taken:
            shop_id, origin = found.category_id, "matched"
            result.matched += 1
        else:
            try:
                shop_id, origin = create_shop_category(client, cat, parent), "pushed"
            except VendorError as exc:  # a refusal of this one; outages propagate
                result.problems.append(f"{cat.code}: {exc}")
                with store.write() as s:
                    log_problem(s, JOB, f"category {cat.code}: {exc}", connection_id=conn.id,
                                ref=cat.code)
                    s.commit()
                continue
            result.created += 1
        with store.write() as s:
            map_category(s, conn.id, cat.id, shop_id, origin)
            s.commit()
        mapped[cat.id] = shop_id
        taken.add(shop_id)
    return result
