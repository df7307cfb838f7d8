"""Shop variants whose SKU we do not know, matched by template and value names (Tröja + {Röd, M}).

A shop often names its variants differently from us (its own SKU scheme). For each shop product
with several variants, a variant whose SKU is not ours is matched on the product's name (our
variant parent's `name_sv`) plus the set of its attribute value names (our `Färg`/`Storlek`
values), compared without case and surrounding blanks. A match is kept in `published_item` with
the shop's SKU (`shop_sku`), so stock and prices are published to it like any SKU match.
"""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.catalog.models import Product
from core.db import Store
from core.integrations.connections import Connection
from core.integrations.models import PublishedItem
from core.integrations.payload import Reader
from core.integrations.starweb.client import StarwebClient

_read = Reader("Starweb")
Key = tuple[str, frozenset[str]]

_OUR_VARIANTS = text(
    "SELECT v.id, p.name_sv, a.value FROM product v "
    "JOIN product p ON p.id = v.parent_id "
    "JOIN product_variant_value pv ON pv.product_id = v.id "
    "JOIN variant_attribute_value a ON a.id = pv.value_id "
    "WHERE v.product_type = 'variant' AND v.active")


def _norm(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def our_variant_keys(session: Session) -> dict[Key, int]:
    """(template name, {value names}) → our variant product id; ambiguous keys are left out."""
    parts: dict[int, tuple[str, set[str]]] = {}
    for pid, parent_name, value in session.execute(_OUR_VARIANTS):
        parts.setdefault(pid, (_norm(parent_name), set()))[1].add(_norm(value))
    out: dict[Key, int] = {}
    twins: set[Key] = set()
    for pid, (name, values) in parts.items():
        key = (name, frozenset(values))
        if key in out:
            twins.add(key)  # two of ours look alike: never guess
        out[key] = pid
    return {k: v for k, v in out.items() if k not in twins}


def _name(product: dict, where: str) -> str:
    langs = _read.list((product.get("languages") or {}).get("data") or [], f"{where}.languages",
                       max_items=20)
    names = {}
    for lang in langs:
        lang = _read.obj(lang, f"{where}.languages")
        names[lang.get("langCode")] = lang.get("name") or ""
    return str(names.get("sv") or next(iter(names.values()), ""))


def _value_names(variant: dict, where: str) -> frozenset[str]:
    values = _read.list(variant.get("attributeValues") or [], f"{where}.attributeValues",
                        max_items=50)
    out = set()
    for value in values:
        langs = _read.list(_read.obj(value, f"{where}.attributeValues").get("languages") or [],
                           f"{where}.attributeValues.languages", max_items=20)
        names = {lang.get("langCode"): lang.get("name") or "" for lang in langs
                 if isinstance(lang, dict)}
        name = names.get("sv") or next(iter(names.values()), "")
        if name:
            out.add(_norm(str(name)))
    return frozenset(out)


def shop_unknown_variants(client: StarwebClient, known_skus: set[str], max_pages: int = 10_000):
    """(key, productId, variantId, sku) for each shop variant whose SKU is not one of ours."""
    page = 1
    while page <= max_pages:
        body = _read.obj(client._call("GET", "/products", params={
            "page": page, "include": "languages"}), "products")
        rows = _read.list(body.get("data"), "products.data", max_items=1000)
        for i, raw in enumerate(rows):
            product = _read.obj(raw, f"products[{i}]")
            if not product.get("hasSeveralVariants"):
                continue
            pid = _read.int(product, "productId", f"products[{i}]")
            name = _norm(_name(product, f"product {pid}"))
            variants = _read.obj(client._call("GET", f"/products/{pid}/variants", params={
                "include": "attributeValues"}), "variants").get("data") or []
            for j, v in enumerate(_read.list(variants, "variants", max_items=1000)):
                where = f"product {pid}.variants[{j}]"
                v = _read.obj(v, where)
                sku = _read.str(v, "sku", where, required=False) or ""
                if sku in known_skus:
                    continue
                yield (name, _value_names(v, where)), pid, _read.int(v, "variantId", where), sku
        meta = _read.obj((body.get("meta") or {}).get("pagination") or {}, "meta.pagination")
        if not rows or page >= (_read.int(meta, "total_pages", "meta", required=False) or page):
            return
        page += 1


def match_by_names(store: Store, conn: Connection, client: StarwebClient) -> set[int]:
    """Map the shop's unknown-SKU variants to ours by names; returns our product ids newly mapped."""
    with store.read() as s:
        keys = our_variant_keys(s)
        if not keys:
            return set()
        known = set(s.scalars(select(Product.sku)))
    found: dict[int, tuple[int, int, str]] = {}
    for key, product_id, variant_id, sku in shop_unknown_variants(client, known):
        ours = keys.get(key)
        if ours is not None and ours not in found:
            found[ours] = (product_id, variant_id, sku[:40])
    changed = set()
    with store.write() as s:
        for pid, (shop_product, shop_variant, sku) in found.items():
            row = s.get(PublishedItem, (conn.id, pid)) or PublishedItem(connection_id=conn.id,
                                                                         product_id=pid)
            if (row.shop_product_id, row.shop_variant_id) != (shop_product, shop_variant):
                row.shop_product_id, row.shop_variant_id = shop_product, shop_variant
                row.qty = row.price_ex_vat = None  # forces a fresh publish
                changed.add(pid)
            row.shop_sku = sku or None
            s.add(row)
        s.commit()
    return changed
