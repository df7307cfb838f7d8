"""Reorder points per product and location, a reorder suggestion per supplier, and turning it into orders.

API:
    set_reorder_point(session, product_id, location_id, reorder_point, order_up_to) -> ReorderPoint
    remove_reorder_point(session, product_id, location_id) -> None
    reorder_suggestions(session, location_id=None, supplier_id=None) -> list[Suggestion]
    create_pos_from_suggestions(session, suggestions, who, exchange_rates=None)
        -> list[PurchaseOrder]                                            (drafts, one per suggestion)

A product is suggested when available (on hand − reserved) + on order ≤ its reorder point; the
quantity brings it up to `order_up_to`, rounded up to the supplier's pack size. The supplier is the
product's preferred supplier article, else the product's supplier; products with neither are
grouped under supplier None so the manager sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.catalog.products import get_product
from core.errors import NotFound, ValidationError
from core.inventory.movements import location_codes
from core.purchasing.models import PurchaseOrder, ReorderPoint
from core.purchasing.orders import PoLineIn, create_po, on_order, who_of


@dataclass(frozen=True, slots=True)
class SuggestionLine:
    product_id: int
    sku: str
    name: str
    available: int
    on_order: int
    reorder_point: int
    order_up_to: int
    qty: int
    supplier_sku: str | None
    unit_price: int | None


@dataclass
class Suggestion:
    supplier_id: int | None
    supplier_name: str
    location_id: int
    lines: list[SuggestionLine] = field(default_factory=list)


def _qty(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"a quantity in thousandths, 0 or more; got {value!r}", field=name)
    return value


def set_reorder_point(session: Session, product_id: int, location_id: int, reorder_point: int,
                      order_up_to: int) -> ReorderPoint:
    product = get_product(session, product_id)
    if not product.stocked:
        raise ValidationError(f"{product.sku} is not kept in stock", field="product_id")
    location_codes(session, [location_id])
    reorder_point = _qty(reorder_point, "reorder_point")
    order_up_to = _qty(order_up_to, "order_up_to")
    if order_up_to <= reorder_point:
        raise ValidationError("order up to must be above the reorder point", field="order_up_to",
                              hint="e.g. reorder at 5, order up to 20")
    row = session.get(ReorderPoint, (product_id, location_id))
    if row is None:
        row = ReorderPoint(product_id=product_id, location_id=location_id)
        session.add(row)
    row.reorder_point, row.order_up_to = reorder_point, order_up_to
    session.flush()
    return row


def remove_reorder_point(session: Session, product_id: int, location_id: int) -> None:
    row = session.get(ReorderPoint, (product_id, location_id))
    if row is None:
        raise NotFound(f"product {product_id} has no reorder point at location {location_id}",
                       field="product_id")
    session.delete(row)
    session.flush()


_CANDIDATES = """
SELECT rp.product_id, rp.location_id, rp.reorder_point, rp.order_up_to, p.sku, p.name_sv,
       coalesce(sl.on_hand, 0) - coalesce(sl.reserved, 0) AS available,
       coalesce(sa.supplier_id, p.supplier_id) AS supplier_id, s.name, sa.supplier_sku, sa.price,
       coalesce(sa.pack_qty, 1000), p.cost_price
FROM reorder_point rp
JOIN product p ON p.id = rp.product_id
LEFT JOIN stock_level sl ON sl.product_id = rp.product_id AND sl.location_id = rp.location_id
LEFT JOIN supplier_article sa ON sa.id = (
    SELECT min(x.id) FROM supplier_article x WHERE x.product_id = rp.product_id AND x.preferred)
LEFT JOIN supplier s ON s.id = coalesce(sa.supplier_id, p.supplier_id)
WHERE p.active
"""


def reorder_suggestions(session: Session, location_id: int | None = None,
                        supplier_id: int | None = None) -> list[Suggestion]:
    sql, params = _CANDIDATES, {}
    if location_id is not None:
        sql += " AND rp.location_id = :l"
        params["l"] = location_id
    rows = session.execute(text(sql + " ORDER BY p.sku"), params).all()
    owed: dict[int, dict[int, int]] = {}
    groups: dict[tuple[int | None, int], Suggestion] = {}
    for (pid, loc, point, up_to, sku, name, available, sid, sname, ssku, price, pack,
         cost) in rows:
        if supplier_id is not None and sid != supplier_id:
            continue
        if loc not in owed:
            owed[loc] = on_order(session, location_id=loc)
        coming = owed[loc].get(pid, 0)
        if available + coming > point:
            continue
        need = up_to - (available + coming)
        qty = -(-need // pack) * pack  # whole packs, rounded up
        group = groups.setdefault((sid, loc), Suggestion(sid, sname or "", loc))
        group.lines.append(SuggestionLine(pid, sku, name, int(available), coming, int(point),
                                          int(up_to), int(qty), ssku,
                                          int(price) if price is not None else
                                          (int(cost) if cost is not None else None)))
    return sorted(groups.values(), key=lambda g: (g.supplier_id is None, g.supplier_name,
                                                  g.location_id))


def create_pos_from_suggestions(session: Session, suggestions: list[Suggestion], who: str,
                                exchange_rates: dict[str, int] | None = None
                                ) -> list[PurchaseOrder]:
    """One draft purchase order per suggestion (supplier and location), as suggested or edited."""
    from core.purchasing.suppliers import get_supplier

    who = who_of(who)
    pos = []
    with session.begin_nested():
        for sug in suggestions:
            if sug.supplier_id is None:
                raise ValidationError(f"{', '.join(ln.sku for ln in sug.lines)} have no supplier",
                                      field="supplier_id",
                                      hint="set the product's supplier or a supplier article")
            lines = [PoLineIn(ln.product_id, ln.qty, ln.unit_price, ln.supplier_sku)
                     for ln in sug.lines if ln.qty > 0]
            if not lines:
                continue
            currency = get_supplier(session, sug.supplier_id).currency
            pos.append(create_po(session, sug.supplier_id, lines, who,
                                 location_id=sug.location_id,
                                 exchange_rate_micro=(exchange_rates or {}).get(currency)))
    return pos
