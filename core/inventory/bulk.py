"""Set-based stock writes for big batches: one statement per step, rows locked in one global order.

`record_movements` applies one document's lines with a statement per row; the server's event intake
applies hundreds of receipts at once. These helpers do the same work for a whole batch: movements
in one `INSERT … ON CONFLICT (idem_key) DO NOTHING RETURNING`, level deltas summed per (product,
location) and applied in one upsert sorted by (product_id, location_id) — the order every stock
writer locks levels in, so concurrent batches cannot deadlock on them — and the stock exceptions of
the levels that ended below zero in one insert. Validation (locations, bundle expansion) stays with
the caller, through the same `items.expand` and `movements.location_codes` as `record_movements`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.db.multirow import insert_rows
from core.inventory.cache import LEVEL
from core.inventory.items import chunks
from core.inventory.movements import EXCEPTION, MOVEMENT, MovementIn

Pair = tuple[int, int]


@dataclass
class Inserted:
    """What `insert_movements` did: ids by key (new and adopted), the new lines, keys reused differently."""

    ids: dict[str, int] = field(default_factory=dict)
    new: list[tuple[MovementIn, int]] = field(default_factory=list)
    #: keys already in the ledger for another (product, location, qty): {key: that movement}
    clashes: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def insert_movements(session: Session, lines: Sequence[MovementIn]) -> Inserted:
    """Insert movements whose idempotency key is new, in one statement; adopt the keys already there.

    Lines must have distinct keys; new ids follow the order given (the later line, the higher id).
    Keys lock nothing another batch waits for (a key is born with its document), so no sort here. A key already recorded for the same (product, location, qty) is a
    replay and gives its movement id; one recorded differently is reported in `clashes`.
    """
    out = Inserted()
    if not lines:
        return out
    by_key = {ln.idem_key: ln for ln in lines}
    if len(by_key) != len(lines):
        raise ValueError("insert_movements needs distinct idempotency keys")
    now = utcnow()
    rows = insert_rows(session, MOVEMENT, [
        {"product_id": ln.product_id, "location_id": ln.location_id, "qty": ln.qty,
         "reason": ln.reason, "source_type": ln.source_type, "source_id": ln.source_id,
         "idem_key": ln.idem_key, "created_at": now, "note": ln.note} for ln in lines],
        conflict=["idem_key"], do_nothing=True, returning=["id", "idem_key"])
    for mid, key in rows:
        out.ids[key] = mid
        out.new.append((by_key[key], mid))
    out.new.sort(key=lambda pair: pair[1])
    missing = [ln.idem_key for ln in lines if ln.idem_key not in out.ids]
    for part in chunks(missing):
        for mid, key, pid, loc, qty in session.execute(
                select(MOVEMENT.c.id, MOVEMENT.c.idem_key, MOVEMENT.c.product_id,
                       MOVEMENT.c.location_id, MOVEMENT.c.qty)
                .where(MOVEMENT.c.idem_key.in_(list(part)))):
            ln = by_key[key]
            if (ln.product_id, ln.location_id, ln.qty) == (pid, loc, int(qty)):
                out.ids[key] = mid
            else:
                out.clashes[key] = (pid, loc, int(qty))
    return out


def level_deltas(new: Iterable[tuple[MovementIn, int]]) -> tuple[dict[Pair, int], dict[Pair, int]]:
    """Σ qty per (product, location) of new movements, and the last outgoing movement id of each."""
    deltas: dict[Pair, int] = defaultdict(int)
    last_out: dict[Pair, int] = {}
    for ln, mid in new:
        key = (ln.product_id, ln.location_id)
        deltas[key] += ln.qty
        if ln.qty < 0:
            last_out[key] = max(mid, last_out.get(key, 0))
    return {k: d for k, d in deltas.items() if d}, last_out


def bump_on_hand(session: Session, deltas: dict[Pair, int]) -> dict[Pair, dict]:
    """Add each Δon_hand in ONE upsert, rows in (product_id, location_id) order (the lock order).

    Returns the full level rows after the change ({column: value}), by (product, location).
    """
    if not deltas:
        return {}
    now = utcnow()
    names = [c.name for c in LEVEL.columns]
    rows = insert_rows(session, LEVEL, [
        {"product_id": pid, "location_id": loc, "on_hand": d, "reserved": 0, "updated_at": now}
        for (pid, loc), d in sorted(deltas.items())],
        conflict=["product_id", "location_id"],
        update={"on_hand": "{table}.on_hand + excluded.on_hand", "updated_at": "excluded.updated_at"},
        returning=names)
    out = {}
    for row in rows:
        level = dict(zip(names, row))
        out[(level["product_id"], level["location_id"])] = level
    return out


def note_shortages(session: Session, deltas: dict[Pair, int], after: dict[Pair, int],
                   last_out: dict[Pair, int]) -> list[Pair]:
    """Write a stock exception for each level that went down and ended below zero; returns those pairs."""
    short = sorted(k for k, on_hand in after.items() if deltas.get(k, 0) < 0 and on_hand < 0)
    if short:
        now = utcnow()
        insert_rows(session, EXCEPTION, [
            {"product_id": pid, "location_id": loc, "movement_id": last_out[(pid, loc)],
             "on_hand_after": after[(pid, loc)], "created_at": now} for pid, loc in short])
    return short


def apply_levels(session: Session, new: Iterable[tuple[MovementIn, int]]) -> list[dict]:
    """Apply the levels of newly inserted movements (negative allowed, then an exception).

    Returns the level rows that changed, as they are now, in (product, location) order.
    """
    deltas, last_out = level_deltas(new)
    after = bump_on_hand(session, deltas)
    note_shortages(session, deltas, {k: int(row["on_hand"]) for k, row in after.items()}, last_out)
    return [after[k] for k in sorted(after)]
