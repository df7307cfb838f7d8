"""What a stock line really moves: bundles expand into their components, non-stocked products drop out.

Reads the catalogue with plain SQL on `product(id, sku, stocked, product_type)` and
`bundle_component(bundle_id, component_id, qty)` so stock does not depend on the catalogue's classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy import Integer, bindparam, text

from core.errors import NotFound, ValidationError
from core.money import div_round_half_up

#: bundles inside bundles are followed this deep, then refused (a cycle, most likely)
MAX_BUNDLE_DEPTH = 4
#: ids per IN (...) statement, well under every SQLite build's parameter limit
CHUNK = 900

_PRODUCTS = text("SELECT id, sku, stocked, product_type FROM product WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True, type_=Integer))
_COMPONENTS = text("SELECT bundle_id, component_id, qty FROM bundle_component "
                   "WHERE bundle_id IN :ids ORDER BY bundle_id, component_id").bindparams(
    bindparam("ids", expanding=True, type_=Integer))


@dataclass(frozen=True, slots=True)
class ProductKind:
    id: int
    sku: str
    stocked: bool
    product_type: str


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def product_kinds(conn, product_ids: Iterable[int]) -> dict[int, ProductKind]:
    """Stock-relevant facts for each product; raises NotFound naming the first unknown id."""
    ids = sorted(set(product_ids))
    found: dict[int, ProductKind] = {}
    for part in chunks(ids):
        for pid, sku, stocked, ptype in conn.execute(_PRODUCTS, {"ids": list(part)}):
            found[pid] = ProductKind(pid, sku, bool(stocked), ptype or "single")
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"no product with id {missing[0]}", field="product_id",
                       hint="create the product in the catalogue first")
    return found


def bundle_components(conn, bundle_ids: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
    """{bundle_id: [(component_id, qty per bundle in thousandths), …]} ordered by component id."""
    ids = sorted(set(bundle_ids))
    out: dict[int, list[tuple[int, int]]] = {i: [] for i in ids}
    for part in chunks(ids):
        for bundle_id, component_id, qty in conn.execute(_COMPONENTS, {"ids": list(part)}):
            out[bundle_id].append((component_id, int(qty)))
    return out


def component_qty(bundle_qty: int, per_bundle: int) -> int:
    """Component thousandths for `bundle_qty` thousandths of a bundle; exact, else rounded half up."""
    return div_round_half_up(bundle_qty * per_bundle, 1000)


T = TypeVar("T")


def expand(conn, lines: Sequence[T], names: dict[int, str] | None = None) -> list[T]:
    """Replace bundle lines by component lines and drop lines for non-stocked products.

    `names`, when given, is filled with {product id: SKU} of every product seen (for messages).
    A line is a dataclass with `product_id`, `qty` and `idem_key`; a component line keeps every
    other field and gets `qty` × component qty and the key `idem_key#component_id`.
    """
    result: list[T] = []
    todo = list(lines)
    for _depth in range(MAX_BUNDLE_DEPTH + 1):
        if not todo:
            return result
        kinds = product_kinds(conn, (ln.product_id for ln in todo))
        if names is not None:
            names.update((k.id, k.sku) for k in kinds.values())
        bundles = [ln for ln in todo if kinds[ln.product_id].product_type == "bundle"]
        parts = bundle_components(conn, (ln.product_id for ln in bundles)) if bundles else {}
        nxt: list[T] = []
        for ln in todo:
            kind = kinds[ln.product_id]
            if kind.product_type == "bundle":
                if not parts[ln.product_id]:
                    raise ValidationError(
                        f"bundle {kind.sku} (id {ln.product_id}) has no components",
                        field="product_id", hint="add its components in the catalogue")
                for component_id, per_bundle in parts[ln.product_id]:
                    qty = component_qty(ln.qty, per_bundle)
                    if qty:
                        nxt.append(replace(ln, product_id=component_id, qty=qty,
                                           idem_key=f"{ln.idem_key}#{component_id}"))
            elif kind.product_type == "variant_parent":
                raise ValidationError(f"product {kind.sku} (id {ln.product_id}) is a variant "
                                      "template and holds no stock", field="product_id",
                                      hint="move one of its variants")
            elif kind.stocked:
                result.append(ln)
        todo = nxt
    raise ValidationError("bundles nest too deep (a bundle contains itself?)", field="product_id")
