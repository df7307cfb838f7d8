"""The server's change log: every change to a synced table, with a global gap-free seq, in the same transaction.

How changes are captured:
- ORM writes are seen by a Session hook (`after_flush`) that notes the table and primary key of
  every new, changed or deleted object of a synced table (core/sync/tables.py).
- Core-statement writes (bulk upserts of stock levels…) call `log_change(session, table, op, pk)`.
- At commit (`before_commit`) the noted keys are written: the counter row `change_seq` is bumped
  by the number of keys with one `UPDATE … RETURNING` — this row lock serialises committing
  writers, so seqs are gap-free and committed in order (never a PostgreSQL sequence: a rollback
  would leave a hole) — then each key's CURRENT row is read back and logged as an `upsert` with
  the full row, or as a `delete` when the row is gone. Re-reading at commit means the log always
  carries the final state, whatever mix of ORM and Core wrote it.
- Capture is on only in a database whose `change_seq` row exists: the server creates it
  (`enable_capture`); a client replica has the table but no row, so its local writes log nothing.
The counter is taken last in every transaction, after any stock row locks, so it adds no
deadlock cycle.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Integer,
    String,
    event,
    func,
    insert,
    inspect,
    literal,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db.base import Base, utcnow
from core.db.multirow import insert_rows
from core.sync.tables import ORDER, SYNCED, public_row

_PENDING = "butik_changelog_pending"
_CHUNK = 500


class ChangeLog(Base):
    """One change to a synced row: seq (global, gap-free), table, op, primary key, full row."""

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    table_name: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))
    pk: Mapped[dict] = mapped_column(JSON)
    row: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ChangeSeq(Base):
    """The one counter row (id 1) holding the last seq handed out; its presence turns capture on."""

    __tablename__ = "change_seq"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


# ---------------------------------------------------------------------------- values and rows

def jsonable(value: Any) -> Any:
    """A column value as JSON: dates and timestamps as ISO text (timestamps are naive UTC)."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def row_dict(mapping) -> dict:
    return {k: jsonable(v) for k, v in mapping.items()}


def table(name: str):
    tables = Base.metadata.tables
    if name not in tables:
        from core.db.schema import load_all

        load_all()
    return Base.metadata.tables[name]


def pk_columns(tbl) -> list:
    return list(tbl.primary_key.columns)


# ---------------------------------------------------------------------------- capture

def log_change(session: Session, table_name: str, op: str, pk: dict, row: dict | None = None) -> None:
    """Note a change written with a Core statement; it is logged at commit with the row as it is then.

    `op` and `row` are accepted for readability; the logged op/row always reflect the committed
    state (present → upsert with the full row, gone → delete).
    """
    if table_name not in SYNCED:
        return
    pending: dict = session.info.setdefault(_PENDING, {})
    pending.setdefault((table_name, tuple(sorted(pk.items()))), dict(pk))


def touch_levels(session: Session, pairs: Iterable[tuple[int, int]]) -> None:
    """Log the stock_level rows of these (product_id, location_id) pairs at commit."""
    for product_id, location_id in pairs:
        log_change(session, "stock_level", "upsert",
                   {"product_id": product_id, "location_id": location_id})


def touch_levels_of_movements(session: Session, movement_ids: Iterable[int]) -> None:
    """Log the levels moved by these stock movements (bundles are already expanded in the ledger)."""
    ids = list(movement_ids)
    mv = table("stock_movement")
    for i in range(0, len(ids), _CHUNK):
        rows = session.execute(select(mv.c.product_id, mv.c.location_id)
                               .where(mv.c.id.in_(ids[i:i + _CHUNK]))).all()
        touch_levels(session, {(r[0], r[1]) for r in rows})


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _flush_context) -> None:
    dirty = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    for deleted, objs in ((False, session.new), (False, dirty), (True, session.deleted)):
        for obj in objs:
            state = inspect(obj)
            mapper = state.mapper
            tname = mapper.local_table.name
            if tname not in SYNCED:
                continue
            cols = [c.name for c in mapper.primary_key]
            if deleted and state.identity is not None:
                values = list(state.identity)
            else:
                values = mapper.primary_key_from_instance(obj)
            if any(v is None for v in values):
                continue
            log_change(session, tname, "delete" if deleted else "upsert", dict(zip(cols, values)))


@event.listens_for(Session, "before_commit")
def _write(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint is being released (SQLAlchemy fires before_commit for it too)
    if session.new or session.dirty or session.deleted:
        session.flush()  # ORM changes not flushed yet are collected by _collect now
    pending = session.info.pop(_PENDING, None)
    if pending:
        write_changes(session, list(pending.items()))


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_PENDING, None)


def _next_seqs(session: Session, n: int) -> int | None:
    """Reserve n seqs; returns the first, or None when capture is off in this database."""
    last = session.execute(text("UPDATE change_seq SET value = value + :n WHERE id = 1 "
                                "RETURNING value"), {"n": n}).scalar()
    return None if last is None else last - n + 1


def write_changes(session: Session, keys: list[tuple[tuple, dict]]) -> int:
    """Write change_log rows for the noted keys (current row or delete); returns how many."""
    if not keys:
        return 0
    first = _next_seqs(session, len(keys))
    if first is None:
        return 0
    by_table: dict[str, list[dict]] = {}
    for (tname, _), pk in keys:
        by_table.setdefault(tname, []).append(pk)
    upserts: list[tuple[str, dict, dict]] = []
    deletes: list[tuple[str, dict]] = []
    for tname in sorted(by_table, key=ORDER.__getitem__):
        tbl = table(tname)
        cols = pk_columns(tbl)
        names = [c.name for c in cols]
        pks = by_table[tname]
        found: dict[tuple, dict] = {}
        for i in range(0, len(pks), _CHUNK):
            chunk = pks[i:i + _CHUNK]
            if len(cols) == 1:
                cond = cols[0].in_([p[names[0]] for p in chunk])
            else:
                cond = tuple_(*cols).in_([tuple(p[n] for n in names) for p in chunk])
            for r in session.execute(select(tbl).where(cond)).mappings():
                found[tuple(r[n] for n in names)] = row_dict(r)
        for p in pks:
            key = tuple(p[n] for n in names)
            row = found.get(key)
            pk = {n: row[n] for n in names} if row else {n: jsonable(p[n]) for n in names}
            if row is not None:
                upserts.append((tname, pk, row))
            else:
                deletes.append((tname, pk))
    deletes.sort(key=lambda d: -ORDER[d[0]])  # children first
    now = utcnow()
    entries = [{"seq": 0, "table_name": t, "op": "upsert", "pk": pk, "row": row, "created_at": now}
               for t, pk, row in upserts]
    entries += [{"seq": 0, "table_name": t, "op": "delete", "pk": pk, "row": None, "created_at": now}
                for t, pk in deletes]
    for i, e in enumerate(entries):
        e["seq"] = first + i
    log = ChangeLog.__table__
    for i in range(0, len(entries), _CHUNK):
        session.execute(insert(log), entries[i:i + _CHUNK])
    return len(entries)


def log_rows(session: Session, table_name: str, rows: list[dict]) -> int:
    """Log these rows as upserts NOW, in one insert; returns how many (0 when capture is off).

    For set-based writers that already hold the final rows (e.g. a stock-level upsert's RETURNING):
    no read-back at commit. The caller promises the rows are locked by its transaction and not
    changed again before it commits, and calls this as the last write of the transaction: the
    counter row it bumps serialises committing writers, so it must come after every other lock.
    """
    if table_name not in SYNCED or not rows:
        return 0
    first = _next_seqs(session, len(rows))
    if first is None:
        return 0
    names = [c.name for c in pk_columns(table(table_name))]
    now = utcnow()
    insert_rows(session, ChangeLog.__table__, [
        {"seq": first + i, "table_name": table_name, "op": "upsert",
         "pk": {n: jsonable(r[n]) for n in names}, "row": row_dict(r), "created_at": now}
        for i, r in enumerate(rows)])
    return len(rows)


# ---------------------------------------------------------------------------- server side

def enable_capture(session: Session) -> None:
    """Turn capture on in this database (the server does it at start); idempotent. Caller commits."""
    exists = session.execute(select(ChangeSeq.value).where(ChangeSeq.id == 1)).scalar()
    if exists is None:
        last = session.execute(select(func.coalesce(func.max(ChangeLog.seq), 0))).scalar()
        session.execute(insert(ChangeSeq.__table__).values(id=1, value=last))


def current_seq(session: Session) -> int:
    """The last committed seq (0 when nothing was logged yet)."""
    return session.execute(select(ChangeSeq.value).where(ChangeSeq.id == 1)).scalar() or 0


def scoped_changes(session: Session, after: int, limit: int,
                   tables: Iterable[str]) -> tuple[list[dict], int, bool]:
    """Up to `limit` changes of `tables` after `after`: (changes, cursor to ask from next, more).

    The head is read first: everything up to it is committed (commits take the counter in seq
    order), so when no more changes of these tables follow, the cursor jumps to the head and a
    till never rescans the office's changes it does not get.
    """
    head = current_seq(session)
    log = ChangeLog.__table__
    rows = session.execute(select(log.c.seq, log.c.table_name, log.c.op, log.c.pk, log.c.row)
                           .where(log.c.seq > after, log.c.seq <= head,
                                  log.c.table_name.in_(list(tables)))
                           .order_by(log.c.seq).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = rows[-1][0] if more else max(after, head)
    return ([{"seq": r[0], "table": r[1], "op": r[2], "pk": r[3], "row": public_row(r[1], r[4])}
             for r in rows], cursor, more)


def changes_after(session: Session, after: int, limit: int) -> tuple[list[dict], bool]:
    """Up to `limit` changes with seq > after, in order, and whether more follow."""
    log = ChangeLog.__table__
    rows = session.execute(select(log.c.seq, log.c.table_name, log.c.op, log.c.pk, log.c.row)
                           .where(log.c.seq > after).order_by(log.c.seq).limit(limit + 1)).all()
    more = len(rows) > limit
    return ([{"seq": r[0], "table": r[1], "op": r[2], "pk": r[3], "row": public_row(r[1], r[4])}
             for r in rows[:limit]], more)


def log_all(session: Session, table_name: str, page: int = 5000) -> int:
    """Log every row of a synced table as an upsert (after a bulk load written with plain SQL)."""
    tbl = table(table_name)
    cols = pk_columns(tbl)
    names = [c.name for c in cols]
    total = 0
    last = None
    while True:
        stmt = select(*cols).order_by(*cols).limit(page)
        if last is not None:
            stmt = stmt.where((cols[0] > last[0]) if len(cols) == 1 else
                              tuple_(*cols) > tuple_(*[literal(v) for v in last]))
        keys = session.execute(stmt).all()
        if not keys:
            return total
        pend = [((table_name, tuple(sorted(zip(names, k)))), dict(zip(names, k))) for k in keys]
        total += write_changes(session, pend)
        last = tuple(keys[-1])
