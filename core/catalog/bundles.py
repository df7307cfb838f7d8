"""SET articles: a bundle's components and quantities; no cycles, no services or variant parents inside."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from core.catalog.models import BundleComponent, Product
from core.errors import ValidationError
from core.money import div_round_half_up

#: bundles inside bundles are followed this deep (stock expands them the same way)
MAX_DEPTH = 4


def set_components(session: Session, bundle_id: int, parts: Iterable[tuple[int, int]]) -> None:
    """Replace a bundle's components with `parts` [(component_id, qty in thousandths)]."""
    parts = list(parts)
    bundle = session.get(Product, bundle_id)
    if bundle is None:
        raise ValidationError(f"no product with id {bundle_id}", field="bundle_id")
    if bundle.product_type != "bundle":
        raise ValidationError(f"{bundle.sku} is not a SET article (product type {bundle.product_type})",
                              field="bundle_id", hint="set its product type to bundle first")
    if not parts:
        raise ValidationError(f"SET article {bundle.sku} needs at least one component", field="components")
    seen: set[int] = set()
    for component_id, qty in parts:
        if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
            raise ValidationError(f"quantity of component {component_id} must be a positive whole number "
                                  f"of thousandths, got {qty!r}", field="qty")
        if component_id in seen:
            raise ValidationError(f"component {component_id} is listed twice", field="component_id",
                                  hint="give it once with the total quantity")
        seen.add(component_id)
        if component_id == bundle_id:
            raise ValidationError(f"{bundle.sku} cannot contain itself", field="component_id")
        comp = session.get(Product, component_id)
        if comp is None:
            raise ValidationError(f"no product with id {component_id}", field="component_id")
        if comp.kind == "service":
            raise ValidationError(f"{comp.sku} is a service and cannot be part of a SET article",
                                  field="component_id")
        if comp.product_type == "variant_parent":
            raise ValidationError(f"{comp.sku} is a variant parent; choose one of its variants",
                                  field="component_id")
        if comp.product_type == "bundle":
            if bundle_id in _nested_bundles(session, component_id):
                raise ValidationError(f"{comp.sku} already contains {bundle.sku}: that would be a loop",
                                      field="component_id")
    with session.begin_nested():  # a refusal below leaves the old components in place
        session.execute(delete(BundleComponent).where(BundleComponent.bundle_id == bundle_id))
        session.execute(insert(BundleComponent), [dict(bundle_id=bundle_id, component_id=c, qty=q)
                                                  for c, q in parts])
        components(session, bundle_id)  # refuses nesting deeper than MAX_DEPTH


def _direct_typed(session: Session, bundle_id: int) -> list[tuple[int, int, str]]:
    return [(c, q, t) for c, q, t in session.execute(
        select(BundleComponent.component_id, BundleComponent.qty, Product.product_type)
        .join(Product, Product.id == BundleComponent.component_id)
        .where(BundleComponent.bundle_id == bundle_id).order_by(BundleComponent.component_id))]


def _nested_bundles(session: Session, start: int) -> set[int]:
    """Every bundle reachable from `start` through components, `start` included."""
    seen, todo = {start}, [start]
    while todo:
        for component_id, _qty, ptype in _direct_typed(session, todo.pop()):
            if ptype == "bundle" and component_id not in seen:
                seen.add(component_id)
                todo.append(component_id)
    return seen


def components(session: Session, bundle_id: int) -> list[tuple[int, int]]:
    """The stock items in one bundle, nested bundles expanded: [(product id, qty in thousandths)]."""
    out: dict[int, int] = {}

    def walk(bid: int, factor: int, path: tuple[int, ...]) -> None:
        if len(path) > MAX_DEPTH:
            raise ValidationError(f"SET articles are nested more than {MAX_DEPTH} deep",
                                  field="component_id")
        for component_id, qty, ptype in _direct_typed(session, bid):
            q = div_round_half_up(factor * qty, 1000)
            if ptype == "bundle":
                if component_id in path:
                    raise ValidationError(f"SET article {component_id} contains itself", field="component_id")
                walk(component_id, q, path + (component_id,))
            else:
                out[component_id] = out.get(component_id, 0) + q

    walk(bundle_id, 1000, (bundle_id,))
    return sorted(out.items())
