"""Stock valuation at weighted average cost: the running average per product and the value of the stock.

API:
    average_cost(conn, product_id) -> int | None
    average_costs(conn, product_ids) -> dict[int, int | None]
    receive_at_cost(session, product_id, qty, unit_cost) -> int       (new average, öre per unit)
    blend_average(on_hand, old_avg, qty, unit_cost) -> int             (the rule, pure)
    set_average_cost(session, product_id, avg_cost) -> None
    stock_value(conn, location_id=None) -> int                         (öre, one SQL aggregate)
    valuation_rows(conn, location_id=None, limit=200, offset=0) -> list[ValuationRow]
    value_of(qty, unit_cost) -> int

The average lives in `product_cost` (öre excl. VAT in the base currency per unit); a product
without a row falls back to the catalogue's `product.cost_price`, then to 0. The average moves
only when goods are bought in: new = (on hand × old + received × price) / (on hand + received),
rounded half up to the öre, where on hand is the total over all locations, never below zero.
Negative levels carry no value. Valuation multiplies `stock_level.on_hand` by the average in one
aggregate (no ORM loading), so it scales to a million products.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, text
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.errors import ValidationError
from core.inventory.cache import dialect_insert
from core.inventory.items import chunks
from core.inventory.ops_models import ProductCost
from core.money import div_round_half_up
from core.quantity import ONE

COST = ProductCost.__table__

_COST = text("SELECT coalesce(pc.avg_cost, p.cost_price) FROM product p "
             "LEFT JOIN product_cost pc ON pc.product_id = p.id WHERE p.id = :p")
_COSTS = text("SELECT p.id, coalesce(pc.avg_cost, p.cost_price) FROM product p "
              "LEFT JOIN product_cost pc ON pc.product_id = p.id WHERE p.id IN :ids").bindparams(
    bindparam("ids", expanding=True, type_=Integer))
_ON_HAND = text("SELECT coalesce(sum(on_hand), 0) FROM stock_level WHERE product_id = :p")


def value_of(qty: int, unit_cost: int) -> int:
    """Öre for `qty` thousandths at `unit_cost` öre per unit, rounded half up."""
    return div_round_half_up(qty * unit_cost, ONE)


def blend_average(on_hand: int, old_avg: int | None, qty: int, unit_cost: int) -> int:
    """(on hand × old + qty × cost) / (on hand + qty), half up; stock below zero or without a
    known cost counts as none (the new goods set the average)."""
    on_hand = max(on_hand, 0)
    if old_avg is None or on_hand == 0:
        return unit_cost
    return div_round_half_up(on_hand * old_avg + qty * unit_cost, on_hand + qty)


def average_cost(conn, product_id: int) -> int | None:
    """The product's average cost per unit (öre), or its catalogue cost price, or None."""
    value = conn.execute(_COST, {"p": product_id}).scalar()
    return None if value is None else int(value)


def average_costs(conn, product_ids: Iterable[int]) -> dict[int, int | None]:
    ids = sorted(set(product_ids))
    out: dict[int, int | None] = dict.fromkeys(ids)
    for part in chunks(ids):
        for pid, cost in conn.execute(_COSTS, {"ids": list(part)}):
            out[pid] = None if cost is None else int(cost)
    return out


def _upsert(session: Session, product_id: int, avg_cost: int) -> None:
    ins = dialect_insert(session, COST)
    session.execute(ins.on_conflict_do_update(
        index_elements=[COST.c.product_id],
        set_={"avg_cost": ins.excluded.avg_cost, "updated_at": ins.excluded.updated_at}),
        {"product_id": product_id, "avg_cost": avg_cost, "updated_at": utcnow()})


def set_average_cost(session: Session, product_id: int, avg_cost: int) -> None:
    """Set the average by hand (opening balance, correction)."""
    if isinstance(avg_cost, bool) or not isinstance(avg_cost, int) or avg_cost < 0:
        raise ValidationError(f"the average cost is whole öre, not below zero; got {avg_cost!r}",
                              field="avg_cost")
    _upsert(session, product_id, avg_cost)


def receive_at_cost(session: Session, product_id: int, qty: int, unit_cost: int) -> int:
    """Blend `qty` thousandths bought at `unit_cost` öre/unit into the average; returns the new one.

    Call it *before* recording the receipt's movement: the on-hand it reads is the stock the old
    average applies to.
    """
    if qty <= 0:
        raise ValidationError("only goods coming in change the average cost", field="qty")
    if unit_cost < 0:
        raise ValidationError(f"a cost cannot be negative ({unit_cost})", field="unit_cost")
    have = int(session.execute(_ON_HAND, {"p": product_id}).scalar())
    new = blend_average(have, average_cost(session, product_id), qty, unit_cost)
    _upsert(session, product_id, new)
    return new


_VALUE = ("SELECT coalesce(sum(sl.on_hand * coalesce(pc.avg_cost, p.cost_price, 0)), 0) "
          "FROM stock_level sl JOIN product p ON p.id = sl.product_id "
          "LEFT JOIN product_cost pc ON pc.product_id = sl.product_id WHERE sl.on_hand > 0")


def stock_value(conn, location_id: int | None = None) -> int:
    """Σ on hand × average cost over every product (at one location, or all), öre rounded half up."""
    if location_id is None:
        raw = conn.execute(text(_VALUE)).scalar()
    else:
        raw = conn.execute(text(_VALUE + " AND sl.location_id = :l"), {"l": location_id}).scalar()
    return div_round_half_up(int(raw), ONE)


@dataclass(frozen=True, slots=True)
class ValuationRow:
    product_id: int
    sku: str
    name: str
    on_hand: int
    avg_cost: int
    value: int


def valuation_rows(conn, location_id: int | None = None, limit: int = 200, offset: int = 0
                   ) -> list[ValuationRow]:
    """Per-product value, largest first (a page of it; the stock tab pages through)."""
    where = "sl.on_hand > 0" + (" AND sl.location_id = :l" if location_id is not None else "")
    sql = text(
        "SELECT p.id, p.sku, p.name_sv, sum(sl.on_hand) AS q, "
        "coalesce(pc.avg_cost, p.cost_price, 0) AS c "
        "FROM stock_level sl JOIN product p ON p.id = sl.product_id "
        f"LEFT JOIN product_cost pc ON pc.product_id = sl.product_id WHERE {where} "
        "GROUP BY p.id, p.sku, p.name_sv, pc.avg_cost, p.cost_price "
        "ORDER BY sum(sl.on_hand) * coalesce(pc.avg_cost, p.cost_price, 0) DESC, p.id "
        "LIMIT :lim OFFSET :off")
    params = {"lim": limit, "off": offset}
    if location_id is not None:
        params["l"] = location_id
    return [ValuationRow(pid, sku, name, int(q), int(c), value_of(int(q), int(c)))
            for pid, sku, name, q, c in conn.execute(sql, params)]
