"""Insert many rows in one statement: `unnest` of one array per column on PostgreSQL, a multi-row VALUES on SQLite.

SQLAlchemy's multi-row VALUES ("insertmanyvalues") renders one placeholder per value; psycopg then
parses that long query text in Python on every call (too long for its cache), which costs more than
the insert itself at hundreds of rows. On PostgreSQL this sends one short, cached statement with an
array per column instead (binary parameters, straight to the driver): `INSERT … SELECT … FROM unnest(…) WITH ORDINALITY ORDER BY ordinality`,
so rows are inserted — and their conflicting rows locked — in the order given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Table, bindparam, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]], *,
                conflict: Sequence[str] | None = None, do_nothing: bool = False,
                update: dict[str, str] | None = None,
                returning: Sequence[str] = ()) -> list[tuple]:
    """Insert `rows` (dicts with the same keys) in order; returns the RETURNING rows (if asked).

    `do_nothing` adds `ON CONFLICT [(conflict…)] DO NOTHING`; `update` adds `ON CONFLICT
    (conflict…) DO UPDATE SET col = <SQL>` where the SQL may use `{table}` and `excluded`.
    """
    if not rows:
        return []
    names = list(rows[0])
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return _pg(session, table, rows, names, conflict, do_nothing, update, returning)
    if dialect != "sqlite":
        raise NotImplementedError(f"insert_rows needs SQLite or PostgreSQL, not {dialect}")
    stmt = sqlite.insert(table)
    if do_nothing:
        stmt = stmt.on_conflict_do_nothing(
            index_elements=[table.c[n] for n in conflict] if conflict else None)
    elif update:
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c[n] for n in conflict],
            set_={k: text(v.format(table=table.name)) for k, v in update.items()})
    if returning:
        stmt = stmt.returning(*[table.c[n] for n in returning])
        return [tuple(r) for r in session.execute(stmt, list(rows)).all()]
    session.execute(stmt, list(rows))
    return []


def _arrays(table: Table, rows, names) -> tuple[dict[str, list], str]:
    """One array parameter per column, and the `unnest(CAST(%(c0)b AS type[]), …)` that reads them.

    `%(…)b` asks psycopg for the binary format: a text array escapes every element with a regex,
    which for a few hundred JSON bodies costs more than the whole insert.
    """
    dialect = postgresql.dialect()
    params, casts = {}, []
    for i, name in enumerate(names):
        col = table.c[name]
        values = [r[name] for r in rows]
        if isinstance(col.type, JSON):
            values = [json.dumps(v) for v in values]
        params[f"c{i}"] = values
        casts.append(f"CAST(%(c{i})b AS {col.type.compile(dialect=dialect)}[])")
    return params, f"unnest({', '.join(casts)})"


def _pg(session: Session, table: Table, rows, names, conflict, do_nothing, update,
        returning) -> list[tuple]:
    params, source = _arrays(table, rows, names)
    cols = ", ".join(names)
    sql = (f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM {source} "
           f"WITH ORDINALITY AS src({cols}, ord_) ORDER BY ord_")
    target = f" ({', '.join(conflict)})" if conflict else ""
    if do_nothing:
        sql += f" ON CONFLICT{target} DO NOTHING"
    elif update:
        sets = ", ".join(f"{k} = {v.format(table=table.name)}" for k, v in update.items())
        sql += f" ON CONFLICT{target} DO UPDATE SET {sets}"
    if returning:
        sql += " RETURNING " + ", ".join(returning)
        return [tuple(r) for r in session.connection().exec_driver_sql(sql, params).all()]
    session.connection().exec_driver_sql(sql, params)
    return []


def update_rows(session: Session, table: Table, key: str, rows: Sequence[dict[str, Any]]) -> None:
    """`UPDATE table SET … WHERE key = row[key]` for every row (same keys each), in one statement on PostgreSQL."""
    if not rows:
        return
    names = [n for n in rows[0] if n != key]
    if session.get_bind().dialect.name != "postgresql":
        stmt = (table.update().where(table.c[key] == bindparam(f"k_{key}"))
                .values({n: bindparam(f"v_{n}") for n in names}))
        session.execute(stmt, [{f"k_{key}": r[key], **{f"v_{n}": r[n] for n in names}}
                               for r in rows])
        return
    params, source = _arrays(table, rows, [key, *names])
    cols = ", ".join([key, *names])
    sets = ", ".join(f"{n} = src.{n}" for n in names)
    session.connection().exec_driver_sql(
        f"UPDATE {table.name} SET {sets} FROM {source} AS src({cols}) "
        f"WHERE {table.name}.{key} = src.{key}", params)
