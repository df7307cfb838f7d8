"""Keeps `stock_level` in step with the ledger: one UPSERT per (product, location), in a stable order.

`INSERT … ON CONFLICT (product_id, location_id) DO UPDATE SET on_hand = stock_level.on_hand +
excluded.on_hand` is a single atomic statement on PostgreSQL (no lost update between concurrent
writers) and on SQLite (where the write lock serialises writers anyway). Rows are touched sorted
by (product_id, location_id) so two transactions never lock the same rows in opposite orders.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.inventory import hooks
from core.inventory.models import StockLevel

LEVEL = StockLevel.__table__


def dialect_insert(session: Session, table):
    """`INSERT` of the session's dialect, which knows ON CONFLICT (SQLite and PostgreSQL)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"stock needs SQLite or PostgreSQL, not {name}")


def bump_levels(session: Session, deltas: Mapping[tuple[int, int], tuple[int, int]]
                ) -> dict[tuple[int, int], tuple[int, int]]:
    """Add (Δon_hand, Δreserved) to each (product_id, location_id); returns the new (on_hand, reserved)."""
    if not deltas:
        return {}
    now = utcnow()
    rows = [{"product_id": pid, "location_id": loc, "on_hand": d_on, "reserved": d_res,
             "updated_at": now}
            for (pid, loc), (d_on, d_res) in sorted(deltas.items())]
    ins = dialect_insert(session, LEVEL)
    stmt = ins.on_conflict_do_update(
        index_elements=[LEVEL.c.product_id, LEVEL.c.location_id],
        set_={"on_hand": LEVEL.c.on_hand + ins.excluded.on_hand,
              "reserved": LEVEL.c.reserved + ins.excluded.reserved,
              "updated_at": ins.excluded.updated_at},
    ).returning(LEVEL.c.product_id, LEVEL.c.location_id, LEVEL.c.on_hand, LEVEL.c.reserved)
    after: dict[tuple[int, int], tuple[int, int]] = {}
    for row in rows:  # one statement per row keeps the lock order exactly the sorted order
        pid, loc, on_hand, reserved = session.execute(stmt, row).one()
        after[(pid, loc)] = (int(on_hand), int(reserved))
    hooks.notify(session, {pid for pid, _loc in deltas})
    return after
