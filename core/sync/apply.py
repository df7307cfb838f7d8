"""Writing server rows into the replica's tables of the same names: JSON → column types, bulk upserts and deletes.

Rows arrive as JSON objects keyed by column name (dates and timestamps as ISO text). Each table gets
a `TableWriter` built once: it knows which columns need converting and holds one compiled
`INSERT … ON CONFLICT (pk) DO UPDATE` that runs as an executemany over a whole page.

The replica mirrors the server, so a write here never second-guesses the data. Foreign keys are
switched off while applying (see `apply_connection`): a snapshot is read table by table while the
server keeps changing, and replaying the feed after it passes through states where a child row
names a parent that only a later change brings. The same replay can briefly collide on a unique
column (two products swapping a SKU); `write_rows` then falls back to row-by-row writes that remove
the stale holder of the value — a later change in the feed restores it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, Time, and_, or_, tuple_
from sqlalchemy.exc import IntegrityError

from core.db import Store

log = logging.getLogger(__name__)

#: SQLite page cache while applying server data (negative = KiB): 256 MB
APPLY_CACHE_KIB = -262144
#: WAL pages between checkpoints during a bulk bootstrap (default 1000)
BULK_WAL_PAGES = 16384

#: Client-only tables the server may never write into.
LOCAL_ONLY = frozenset({"outbox_event", "sync_state", "alembic_version"})


def _to_datetime(value: Any) -> Any:
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        return parsed
    return value


def _to_date(value: Any) -> Any:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _to_time(value: Any) -> Any:
    return dt.time.fromisoformat(value) if isinstance(value, str) else value


def _converter(column) -> Callable[[Any], Any] | None:
    kind = column.type
    if isinstance(kind, DateTime):
        return _to_datetime
    if isinstance(kind, Date):
        return _to_date
    if isinstance(kind, Time):
        return _to_time
    return None


@contextlib.contextmanager
def apply_connection(store: Store, *, bulk: bool = False) -> Iterator[Connection]:
    """A connection for applying server data: write lock per transaction, foreign keys off.

    bulk=True (bootstrap only, SQLite): no fsync per commit (synchronous=OFF) and rarer WAL
    checkpoints. A killed process loses nothing committed; an OS crash may lose the last pages,
    which a resumed bootstrap fetches again. On leaving, durability is restored and the WAL is
    checkpointed under it, so everything written is on disk before the replica is used.
    """
    engine = store.engine
    if store.is_sqlite:
        engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        if store.is_sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction has effect
            cache = raw.execute("PRAGMA cache_size").fetchone()[0]
            # big pages into big indexes: a larger page cache while applying, given back after
            raw.execute(f"PRAGMA cache_size={APPLY_CACHE_KIB}")
            if bulk:
                sync = raw.execute("PRAGMA synchronous").fetchone()[0]
                autockpt = raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
                raw.execute("PRAGMA synchronous=OFF")
                raw.execute(f"PRAGMA wal_autocheckpoint={BULK_WAL_PAGES}")
        try:
            yield conn
        finally:
            if conn.in_transaction():
                conn.rollback()
            if store.is_sqlite:
                if bulk:
                    raw.execute(f"PRAGMA synchronous={int(sync)}")
                    raw.execute(f"PRAGMA wal_autocheckpoint={int(autockpt)}")
                    raw.execute("PRAGMA wal_checkpoint(PASSIVE)")
                raw.execute("PRAGMA foreign_keys=ON")
                raw.execute(f"PRAGMA cache_size={int(cache)}")


class TableWriter:
    """Bulk upsert/delete of server rows into one local table."""

    def __init__(self, table: Table, dialect: str):
        self.table = table
        self.name = table.name
        self.pk = [c.name for c in table.primary_key.columns]
        self.columns = {c.name: c for c in table.columns}
        self.convert = [(name, fn) for name, c in self.columns.items()
                        if (fn := _converter(c)) is not None]
        self.dialect = dialect
        self._warned: set[str] = set()
        self._upserts: dict[frozenset, Any] = {}
        self._driver: dict[tuple, tuple[str, list]] = {}
        self.uniques = [[c.name for c in uc.columns] for uc in table.constraints
                        if uc.__class__.__name__ == "UniqueConstraint"]
        self.uniques += [[c.name for c in ix.columns] for ix in table.indexes if ix.unique]

    def _insert(self):
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(self.table)

    def _upsert(self, keys: frozenset):
        stmt = self._upserts.get(keys)
        if stmt is None:
            ins = self._insert()
            update = {k: ins.excluded[k] for k in keys if k not in self.pk}
            stmt = (ins.on_conflict_do_update(index_elements=self.pk, set_=update) if update
                    else ins.on_conflict_do_nothing(index_elements=self.pk))
            self._upserts[keys] = stmt
        return stmt

    def prepare(self, rows: list[dict]) -> list[dict]:
        """Convert JSON values in place; drop columns this replica does not know (newer server)."""
        if not rows:
            return rows
        extra = [k for k in rows[0] if k not in self.columns]
        if extra:
            new = set(extra) - self._warned
            if new:
                log.warning("table %s: ignoring columns unknown to this replica: %s",
                            self.name, ", ".join(sorted(new)))
                self._warned |= new
        for row in rows:
            for k in extra:
                row.pop(k, None)
            for name, fn in self.convert:
                value = row.get(name)
                if value is not None:
                    row[name] = fn(value)
        return rows

    def _driver_sql(self, conn: Connection, keys: tuple[str, ...]):
        """SQLite: the upsert as driver SQL plus each column's bind processor, built once per key set.

        SQLAlchemy's per-parameter bookkeeping costs more than SQLite's own work on big pages;
        the column types' own bind processors keep the stored format exactly SQLAlchemy's.
        """
        cached = self._driver.get(keys)
        if cached is None:
            q = conn.dialect.identifier_preparer.quote
            cols = ", ".join(q(k) for k in keys)
            marks = ", ".join("?" for _ in keys)
            update = ", ".join(f"{q(k)} = excluded.{q(k)}" for k in keys if k not in self.pk)
            conflict = ", ".join(q(k) for k in self.pk)
            action = f"DO UPDATE SET {update}" if update else "DO NOTHING"
            sql = (f"INSERT INTO {q(self.name)} ({cols}) VALUES ({marks}) "
                   f"ON CONFLICT ({conflict}) {action}")
            procs = [self.columns[k].type.bind_processor(conn.dialect) for k in keys]
            cached = self._driver[keys] = (sql, procs)
        return cached

    def _tuples(self, rows: list[dict], keys: tuple[str, ...], procs: list) -> list[tuple]:
        if not any(procs):
            return [tuple(row.get(k) for k in keys) for row in rows]
        pairs = list(zip(keys, procs))
        return [tuple(v if (v := row.get(k)) is None or p is None else p(v) for k, p in pairs)
                for row in rows]

    def upsert(self, conn: Connection, rows: list[dict]) -> None:
        """Upsert prepared rows: one executemany, or row by row if a unique value collides."""
        if not rows:
            return
        savepoint = conn.begin_nested()
        try:
            if conn.dialect.name == "sqlite":
                keys = tuple(rows[0])
                sql, procs = self._driver_sql(conn, keys)
                conn.exec_driver_sql(sql, self._tuples(rows, keys, procs))
            else:
                conn.execute(self._upsert(frozenset(rows[0])), rows)
            savepoint.commit()
        except IntegrityError:
            savepoint.rollback()
            for row in rows:
                self._upsert_one(conn, row)

    def upsert_json(self, conn: Connection, columns: list[str], rows_json: str) -> int:
        """Upsert a compact snapshot page (`columns` + the rows array as JSON text); returns rows.

        On SQLite the database unpacks the JSON itself (json_each) in one INSERT … SELECT: no
        Python work per value, and the GIL is released for the whole page. The wire values
        (server/API.md) are what SQLite stores. Elsewhere, or when a unique value collides, the
        rows go through `upsert`.
        """
        if conn.dialect.name != "sqlite":
            return self._upsert_dicts(conn, columns, rows_json)
        sql = self._json_sql(conn, tuple(columns))
        if sql is None:
            return 0
        savepoint = conn.begin_nested()
        try:
            cursor = conn.connection.driver_connection.cursor()
            try:
                cursor.execute(sql, (rows_json,))
                written = cursor.rowcount
            finally:
                cursor.close()
            savepoint.commit()
            return written
        except sqlite3.IntegrityError:  # raw cursor: the driver's own error, unwrapped
            savepoint.rollback()
        return self._upsert_dicts(conn, columns, rows_json)

    def _upsert_dicts(self, conn: Connection, columns: list[str], rows_json: str) -> int:
        import json

        rows = [dict(zip(columns, values)) for values in json.loads(rows_json)]
        self.upsert(conn, self.prepare(rows))
        return len(rows)

    def _json_sql(self, conn: Connection, columns: tuple[str, ...]) -> str | None:
        key = ("json", columns)
        if key not in self._driver:
            known = [(i, c) for i, c in enumerate(columns) if c in self.columns]
            extra = sorted(set(columns) - self.columns.keys() - self._warned)
            if extra:
                log.warning("table %s: ignoring columns unknown to this replica: %s",
                            self.name, ", ".join(extra))
                self._warned |= set(extra)
            sql = None
            if known:
                q = conn.dialect.identifier_preparer.quote
                names = [c for _, c in known]
                picks = ", ".join(f"json_extract(value, '$[{i}]')" for i, _ in known)
                update = ", ".join(f"{q(k)} = excluded.{q(k)}" for k in names if k not in self.pk)
                action = f"DO UPDATE SET {update}" if update else "DO NOTHING"
                sql = (f"INSERT INTO {q(self.name)} ({', '.join(q(k) for k in names)}) "
                       f"SELECT {picks} FROM json_each(?) WHERE true "
                       f"ON CONFLICT ({', '.join(q(k) for k in self.pk)}) {action}")
            self._driver[key] = sql
        return self._driver[key]

    def _upsert_one(self, conn: Connection, row: dict) -> None:
        stmt = self._upsert(frozenset(row))
        savepoint = conn.begin_nested()
        try:
            conn.execute(stmt, row)
            savepoint.commit()
            return
        except IntegrityError:
            savepoint.rollback()
        # another row holds a unique value this one needs: that holder is stale, drop it
        t = self.table
        not_me = or_(*[t.c[k] != row[k] for k in self.pk])
        clashes = [and_(*[t.c[k] == row[k] for k in cols]) for cols in self.uniques
                   if all(row.get(k) is not None for k in cols)]
        if clashes:
            conn.execute(t.delete().where(not_me, or_(*clashes)))
            log.info("table %s: removed a stale row holding a unique value of %s",
                     self.name, {k: row[k] for k in self.pk})
        conn.execute(stmt, row)

    def delete(self, conn: Connection, pks: list[dict]) -> None:
        if not pks:
            return
        for name, fn in self.convert:
            for pk in pks:
                if pk.get(name) is not None:
                    pk[name] = fn(pk[name])
        t = self.table
        if len(self.pk) == 1:
            col = self.pk[0]
            for i in range(0, len(pks), 500):
                conn.execute(t.delete().where(t.c[col].in_([p[col] for p in pks[i:i + 500]])))
        else:
            cols = tuple_(*[t.c[k] for k in self.pk])
            for i in range(0, len(pks), 200):
                values = [tuple(p[k] for k in self.pk) for p in pks[i:i + 200]]
                conn.execute(t.delete().where(cols.in_(values)))


class Writers:
    """TableWriters by table name, built lazily from the models' metadata."""

    def __init__(self, dialect: str):
        from core.db.schema import load_all

        self.tables = load_all().metadata.tables
        self.dialect = dialect
        self._writers: dict[str, TableWriter | None] = {}

    def get(self, name: str) -> TableWriter | None:
        if name not in self._writers:
            table = self.tables.get(name)
            if name in LOCAL_ONLY:
                log.error("server sent rows for local-only table %s; ignored", name)
                table = None
            elif table is None:
                log.warning("server sent table %s, unknown to this replica; ignored", name)
            self._writers[name] = TableWriter(table, self.dialect) if table is not None else None
        return self._writers[name]


def apply_changes(conn: Connection, writers: Writers, changes: list[dict]) -> int:
    """Apply a page of feed changes in order, batching consecutive runs of one table and op."""
    applied = 0
    i = 0
    while i < len(changes):
        table, op = changes[i]["table"], changes[i]["op"]
        j = i
        while j < len(changes) and changes[j]["table"] == table and changes[j]["op"] == op:
            j += 1
        writer = writers.get(table)
        if writer is not None:
            run = changes[i:j]
            if op == "delete":
                writer.delete(conn, [dict(c["pk"]) for c in run])
            elif op == "upsert":
                rows = writer.prepare([dict(c["row"]) for c in run])
                # one executemany needs one key set: split where the columns differ
                start = 0
                for k in range(1, len(rows) + 1):
                    if k == len(rows) or rows[k].keys() != rows[start].keys():
                        writer.upsert(conn, rows[start:k])
                        start = k
            else:
                raise ValueError(f"unknown change op {op!r} at seq {changes[i].get('seq')}")
            applied += j - i
        i = j
    return applied
