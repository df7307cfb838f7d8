"""Record stock movements: idempotent on their key, bundles moved as components, levels updated at once.

`record_movements` is the only writer of `stock_movement`. It runs inside the caller's unit of work
and under a savepoint, so a refused batch leaves nothing behind even if the caller commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Integer, bindparam, select, text
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.errors import Conflict, NotFound, ValidationError
from core.inventory.cache import bump_levels, dialect_insert
from core.inventory.items import chunks, expand
from core.inventory.models import StockException, StockMovement
from core.quantity import format_qty

MOVEMENT = StockMovement.__table__
EXCEPTION = StockException.__table__

#: why stock moved; a sale/return/delivery is out/in by its sign, counts and adjustments either way
REASONS = frozenset({
    "initial", "sale", "return", "purchase_receipt", "purchase_return", "delivery",
    "delivery_return", "adjustment", "count", "transfer_out", "transfer_in", "drop_ship",
    "scrap",
})
#: room left in `idem_key` (200) for the `#component_id` suffix of bundle components
MAX_KEY = 160


@dataclass(frozen=True, slots=True)
class MovementIn:
    """A movement to record: qty in signed thousandths (negative = out of the location)."""

    product_id: int
    location_id: int
    qty: int
    reason: str
    source_type: str | None
    source_id: str | None
    idem_key: str
    note: str | None = field(default=None, kw_only=True)


def _validate(m: MovementIn) -> None:
    if not isinstance(m.qty, int) or isinstance(m.qty, bool):
        raise ValidationError(f"quantity must be whole thousandths, not {m.qty!r}", field="qty")
    if m.qty == 0:
        raise ValidationError("a movement of zero moves nothing", field="qty",
                              hint="leave the line out")
    if m.reason not in REASONS:
        raise ValidationError(f"unknown reason {m.reason!r}", field="reason",
                              hint="one of " + ", ".join(sorted(REASONS)))
    if not m.idem_key or len(m.idem_key) > MAX_KEY:
        raise ValidationError(f"an idempotency key of 1–{MAX_KEY} characters is required",
                              field="idem_key")


_LOCATIONS = text("SELECT id, code FROM location WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True, type_=Integer))


def location_codes(session: Session, location_ids: Iterable[int]) -> dict[int, str]:
    """{id: code} for the locations; raises NotFound naming the first unknown one."""
    ids = sorted(set(location_ids))
    codes: dict[int, str] = {}
    for part in chunks(ids):
        codes.update((i, c) for i, c in session.execute(_LOCATIONS, {"ids": list(part)}))
    missing = [i for i in ids if i not in codes]
    if missing:
        raise NotFound(f"no stock location with id {missing[0]}", field="location_id")
    return codes


def _same(line: MovementIn, product_id: int, location_id: int, qty: int) -> None:
    if (line.product_id, line.location_id, line.qty) != (product_id, location_id, qty):
        raise Conflict(f"idempotency key {line.idem_key!r} was already used for another movement "
                       f"(product {product_id}, location {location_id}, qty {format_qty(qty)})",
                       field="idem_key", hint="use a new key for a new movement")


def _insert_new(session: Session, lines: list[MovementIn]
                ) -> tuple[dict[str, int], list[tuple[MovementIn, int]]]:
    """Insert the lines whose key is new; returns {key: movement id} for all and the new ones."""
    ids: dict[str, int] = {}
    first: dict[str, MovementIn] = {}
    for ln in lines:  # the same key twice in one batch is a replay of its first line
        if ln.idem_key in first:
            _same(ln, first[ln.idem_key].product_id, first[ln.idem_key].location_id,
                  first[ln.idem_key].qty)
        else:
            first[ln.idem_key] = ln
    existing = select(MOVEMENT.c.id, MOVEMENT.c.idem_key, MOVEMENT.c.product_id,
                      MOVEMENT.c.location_id, MOVEMENT.c.qty)

    def adopt(keys: list[str]) -> None:
        for part in chunks(keys):
            for mid, key, pid, loc, qty in session.execute(
                    existing.where(MOVEMENT.c.idem_key.in_(list(part)))):
                _same(first[key], pid, loc, int(qty))
                ids[key] = mid

    adopt(list(first))  # replays: nothing to insert
    now = utcnow()
    todo = [ln for key, ln in first.items() if key not in ids]
    new: list[tuple[MovementIn, int]] = []
    if todo:
        # ON CONFLICT DO NOTHING: a concurrent writer of the same key (PostgreSQL) wins; we adopt it
        stmt = (dialect_insert(session, MOVEMENT)
                .on_conflict_do_nothing(index_elements=[MOVEMENT.c.idem_key])
                .returning(MOVEMENT.c.id))
        for ln in todo:
            mid = session.execute(stmt, {
                "product_id": ln.product_id, "location_id": ln.location_id, "qty": ln.qty,
                "reason": ln.reason, "source_type": ln.source_type, "source_id": ln.source_id,
                "idem_key": ln.idem_key, "created_at": now, "note": ln.note}).scalar()
            if mid is None:
                continue
            ids[ln.idem_key] = mid
            new.append((ln, mid))
        adopt([ln.idem_key for ln in todo if ln.idem_key not in ids])
    return ids, new


def record_movements(session: Session, movements: Iterable[MovementIn],
                     allow_negative: bool = True) -> list[int]:
    """Record movements and update levels; returns movement ids (new or replayed, bundles expanded).

    Non-stocked products (services, drop-ship) record nothing. When a level would end below zero:
    with `allow_negative` (POS sales are facts) a `StockException` is written for a manager;
    without it `Conflict` names the product and location and nothing is recorded.
    """
    given = list(movements)
    for m in given:
        _validate(m)
    if not given:
        return []
    codes = location_codes(session, (m.location_id for m in given))
    # sorted rows: concurrent batches lock index entries and levels in the same order
    skus: dict[int, str] = {}
    expanded = expand(session, given, skus)
    lines = sorted(expanded, key=lambda ln: (ln.product_id, ln.location_id, ln.idem_key))
    with session.begin_nested():
        ids, new = _insert_new(session, lines)
        deltas: dict[tuple[int, int], int] = defaultdict(int)
        last_out: dict[tuple[int, int], int] = {}
        for ln, mid in new:
            deltas[(ln.product_id, ln.location_id)] += ln.qty
            if ln.qty < 0:
                key = (ln.product_id, ln.location_id)
                last_out[key] = max(mid, last_out.get(key, 0))
        after = bump_levels(session, {k: (d, 0) for k, d in deltas.items() if d})
        short = sorted(k for k, (on_hand, _r) in after.items() if deltas[k] < 0 and on_hand < 0)
        if short and not allow_negative:
            pid, loc = short[0]
            on_hand = after[(pid, loc)][0]
            raise Conflict(f"not enough stock of product {skus[pid]} (id {pid}) at location "
                           f"{codes[loc]} (id {loc}): "
                           f"{format_qty(on_hand - deltas[(pid, loc)])} on hand, "
                           f"{format_qty(-deltas[(pid, loc)])} to move out",
                           field="qty", hint="receive or count the stock first, or move less")
        if short:
            now = utcnow()
            session.execute(EXCEPTION.insert(), [
                {"product_id": pid, "location_id": loc, "movement_id": last_out[(pid, loc)],
                 "on_hand_after": after[(pid, loc)][0], "created_at": now} for pid, loc in short])
    return [ids[ln.idem_key] for ln in expanded]


def transfer(session: Session, product_id: int, from_location: int, to_location: int, qty: int,
             source_type: str | None, source_id: str | None, idem_key: str,
             allow_negative: bool = False) -> list[int]:
    """Move `qty` (positive thousandths) between locations: a transfer_out and a transfer_in."""
    if from_location == to_location:
        raise ValidationError("a transfer needs two different locations", field="to_location")
    if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0:
        raise ValidationError(f"transfer a positive quantity, not {qty!r}", field="qty")
    return record_movements(session, [
        MovementIn(product_id, from_location, -qty, "transfer_out", source_type, source_id,
                   f"{idem_key}:out"),
        MovementIn(product_id, to_location, qty, "transfer_in", source_type, source_id,
                   f"{idem_key}:in"),
    ], allow_negative=allow_negative)
