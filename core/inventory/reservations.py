"""Reserve stock for documents not yet delivered (order lines) and release it; kept in stock_level.reserved.

A bundle reserves its components (keys `idem_key#component_id`); non-stocked products reserve
nothing. Reserving is idempotent on its key; releasing is atomic, so two releases never count twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, update
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.errors import Conflict, ValidationError
from core.inventory.cache import bump_levels, dialect_insert
from core.inventory.items import expand
from core.inventory.models import Reservation
from core.inventory.movements import MAX_KEY, location_codes
from core.quantity import format_qty

RESERVATION = Reservation.__table__


@dataclass(frozen=True, slots=True)
class _Line:
    product_id: int
    location_id: int
    qty: int
    idem_key: str


def reserve(session: Session, product_id: int, location_id: int, qty: int, source_type: str,
            source_id: str, idem_key: str, *, allow_short: bool = True) -> list[int]:
    """Reserve `qty` thousandths for a document; returns the reservation ids (one per component).

    A replayed key returns the existing ids and reserves nothing more. With `allow_short=False`
    a reservation beyond what is available raises `Conflict` and reserves nothing.
    """
    if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0:
        raise ValidationError(f"reserve a positive quantity in thousandths, not {qty!r}",
                              field="qty")
    if not idem_key or len(idem_key) > MAX_KEY:
        raise ValidationError(f"an idempotency key of 1–{MAX_KEY} characters is required",
                              field="idem_key")
    codes = location_codes(session, [location_id])
    skus: dict[int, str] = {}
    lines = sorted(expand(session, [_Line(product_id, location_id, qty, idem_key)], skus),
                   key=lambda ln: (ln.product_id, ln.idem_key))
    if not lines:
        return []
    now = utcnow()
    ins = dialect_insert(session, RESERVATION)
    stmt = ins.on_conflict_do_nothing(index_elements=[RESERVATION.c.idem_key]).returning(
        RESERVATION.c.id)
    ids: list[int] = []
    deltas: dict[tuple[int, int], tuple[int, int]] = {}
    with session.begin_nested():
        for ln in lines:
            rid = session.execute(stmt, {
                "product_id": ln.product_id, "location_id": ln.location_id, "qty": ln.qty,
                "source_type": source_type, "source_id": source_id, "idem_key": ln.idem_key,
                "request_key": idem_key, "created_at": now}).scalar()
            if rid is None:  # replay (or a concurrent twin): keep the one that is there
                rid = session.execute(RESERVATION.select().with_only_columns(RESERVATION.c.id)
                                      .where(RESERVATION.c.idem_key == ln.idem_key)).scalar_one()
            else:
                deltas[(ln.product_id, ln.location_id)] = (0, ln.qty)
            ids.append(rid)
        after = bump_levels(session, deltas)
        if not allow_short:
            for (pid, loc), (on_hand, reserved) in sorted(after.items()):
                if reserved > on_hand:
                    raise Conflict(f"only {format_qty(on_hand - reserved + deltas[(pid, loc)][1])} "
                                   f"of product {skus[pid]} (id {pid}) available at location "
                                   f"{codes[loc]} (id {loc}), "
                                   f"{format_qty(deltas[(pid, loc)][1])} asked for",
                                   field="qty", hint="reserve less, or allow a back order")
    return ids


def _release(session: Session, condition) -> int:
    # one UPDATE … RETURNING claims the open rows: a concurrent release waits and then finds none
    rows = session.execute(
        update(RESERVATION).where(condition, RESERVATION.c.released_at.is_(None))
        .values(released_at=utcnow())
        .returning(RESERVATION.c.product_id, RESERVATION.c.location_id, RESERVATION.c.qty)).all()
    deltas: dict[tuple[int, int], int] = defaultdict(int)
    for pid, loc, qty in rows:
        deltas[(pid, loc)] -= int(qty)
    bump_levels(session, {k: (0, d) for k, d in deltas.items()})
    return len(rows)


def release(session: Session, source_type: str, source_id: str) -> int:
    """Release every open reservation of a document; returns how many were released."""
    return _release(session, and_(RESERVATION.c.source_type == source_type,
                                  RESERVATION.c.source_id == source_id))


def release_one(session: Session, idem_key: str) -> int:
    """Release the reservation with this key (and, for a bundle, its components' `key#…`)."""
    return _release(session, RESERVATION.c.request_key == idem_key)
