"""A SET article's components with their stock, how many whole sets each location can make, and the
command that replaces the components."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.catalog.products import get_by_sku
from core.inventory.levels import bundle_available, levels_for


@dataclass
class ComponentRow:
    id: int
    sku: str
    name: str
    qty: int  # thousandths per set
    available: int | None  # over all locations; None when not stocked


@dataclass
class BundleView:
    bundle_id: int
    components: list[ComponentRow]
    #: (location label, whole sets in thousandths or None = not limited by stock); first row is all locations
    availability: list[tuple[str, int | None]]


def load_bundle(session: Session, bundle_id: int, lang: str = "sv") -> BundleView:
    name = "p.name_en" if lang == "en" else "p.name_sv"
    rows = session.execute(text(f"""
        SELECT p.id, p.sku, {name}, b.qty, p.stocked FROM bundle_component b
        JOIN product p ON p.id = b.component_id WHERE b.bundle_id = :b ORDER BY p.sku"""),
        {"b": bundle_id}).all()
    levels = levels_for(session, [r[0] for r in rows])
    comps = [ComponentRow(r[0], r[1], r[2], int(r[3]), levels[r[0]].available if r[4] else None) for r in rows]
    avail = [("*", bundle_available(session, bundle_id, None))]
    for lid, code in session.execute(text("SELECT id, code FROM location ORDER BY id")):
        avail.append((code, bundle_available(session, bundle_id, lid)))
    return BundleView(bundle_id, comps, avail)


def component_by_sku(session: Session, sku: str, lang: str = "sv") -> ComponentRow:
    p = get_by_sku(session, sku)
    available = levels_for(session, [p.id])[p.id].available if p.stocked else None
    return ComponentRow(p.id, p.sku, p.name_en if lang == "en" else p.name_sv, 1000, available)


def bundle_args(bundle_id: int, parts: list[tuple[int, int]]) -> dict:
    """The `bundles.set_components` arguments: [(component id, qty in thousandths)] as objects."""
    return {"bundle_id": bundle_id, "components": [{"product_id": pid, "qty": qty} for pid, qty in parts]}
