"""Read stock: levels per product and location, bundle availability, and the ledger ↔ cache check.

Available = on hand − reserved. Readers take a `Connection` or a `Session` (anything with
`execute`); single lookups are one statement on the (product_id, location_id) primary key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, text
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.inventory.items import bundle_components, chunks, product_kinds


@dataclass(frozen=True, slots=True)
class Level:
    """Thousandths: what is here, what is promised, and what can still be sold."""

    on_hand: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


ZERO = Level()

_AT = text("SELECT on_hand, reserved FROM stock_level WHERE product_id = :p AND location_id = :l")
_ALL = text("SELECT coalesce(sum(on_hand), 0), coalesce(sum(reserved), 0) FROM stock_level "
            "WHERE product_id = :p")
_MANY_AT = text("SELECT product_id, on_hand, reserved FROM stock_level "
                "WHERE location_id = :l AND product_id IN :ids").bindparams(
    bindparam("ids", expanding=True, type_=Integer))
_MANY_ALL = text("SELECT product_id, sum(on_hand), sum(reserved) FROM stock_level "
                 "WHERE product_id IN :ids GROUP BY product_id").bindparams(
    bindparam("ids", expanding=True, type_=Integer))


def level(conn, product_id: int, location_id: int | None = None) -> Level:
    """The cached level at one location, or summed over all locations when `location_id` is None."""
    if location_id is None:
        row = conn.execute(_ALL, {"p": product_id}).one()
    else:
        row = conn.execute(_AT, {"p": product_id, "l": location_id}).first()
    return Level(int(row[0]), int(row[1])) if row else ZERO


def levels_for(conn, product_ids: Iterable[int], location_id: int | None = None
               ) -> dict[int, Level]:
    """Levels for many products at once; products without stock rows get a zero level."""
    ids = sorted(set(product_ids))
    out = dict.fromkeys(ids, ZERO)
    for part in chunks(ids):
        if location_id is None:
            rows = conn.execute(_MANY_ALL, {"ids": list(part)})
        else:
            rows = conn.execute(_MANY_AT, {"ids": list(part), "l": location_id})
        for pid, on_hand, reserved in rows:
            out[pid] = Level(int(on_hand), int(reserved))
    return out


def bundle_available(conn, bundle_id: int, location_id: int | None) -> int | None:
    """Whole bundles that can be sold (in thousandths): min over stocked components of
    floor(available / qty per bundle), never below zero. None when no component is stocked
    (a bundle of services is not limited by stock).
    """
    components = bundle_components(conn, [bundle_id])[bundle_id]
    if not components:
        return 0
    kinds = product_kinds(conn, (cid for cid, _q in components))
    stocked = [(cid, q) for cid, q in components if kinds[cid].stocked and q > 0]
    if not stocked:
        return None
    have = levels_for(conn, (cid for cid, _q in stocked), location_id)
    whole = min(have[cid].available // per_bundle for cid, per_bundle in stocked)
    return max(whole, 0) * 1000


_LEDGER = """
SELECT product_id, location_id, sum(c_on) AS cached_on_hand, sum(l_on) AS ledger_on_hand,
       sum(c_res) AS cached_reserved, sum(l_res) AS ledger_reserved
FROM (
    SELECT product_id, location_id, on_hand AS c_on, 0 AS l_on, reserved AS c_res, 0 AS l_res
    FROM stock_level
    UNION ALL
    SELECT product_id, location_id, 0, qty, 0, 0 FROM stock_movement
    UNION ALL
    SELECT product_id, location_id, 0, 0, 0, qty FROM reservation WHERE released_at IS NULL
) AS t
GROUP BY product_id, location_id
"""


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A cached level that disagrees with the ledger (movements) or the open reservations."""

    product_id: int
    location_id: int
    cached_on_hand: int
    ledger_on_hand: int
    cached_reserved: int
    ledger_reserved: int


def check_levels(conn) -> list[Mismatch]:
    """Every (product, location) whose cached level differs from Σ movements / Σ open reservations."""
    sql = text(_LEDGER + " HAVING sum(c_on) <> sum(l_on) OR sum(c_res) <> sum(l_res) "
                         "ORDER BY product_id, location_id")
    return [Mismatch(*(int(v) for v in row)) for row in conn.execute(sql)]


def rebuild_levels(session: Session) -> int:
    """Recompute the whole cache from the ledger and open reservations; returns the rows written.

    On PostgreSQL the stock tables are locked against writers meanwhile (readers go on).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE stock_level, stock_movement, reservation "
                             "IN EXCLUSIVE MODE"))
    session.execute(text("DELETE FROM stock_level"))
    result = session.execute(text(
        "INSERT INTO stock_level (product_id, location_id, on_hand, reserved, updated_at) "
        "SELECT product_id, location_id, ledger_on_hand, ledger_reserved, :now "
        f"FROM ({_LEDGER}) AS g"),
        {"now": utcnow()})
    return result.rowcount
