"""Rows as JSON and back: keyset paging of synced tables, and JSON values coerced to column types."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Table, select, tuple_
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.sync.changelog import pk_columns, row_dict


def _coerce(col, value: Any) -> Any:
    if value is None:
        return None
    t = col.type
    if isinstance(t, DateTime):
        if isinstance(value, str):
            try:
                v = dt.datetime.fromisoformat(value)
            except ValueError:
                raise ValidationError(f"{value!r} is not an ISO timestamp", field=col.name) from None
            return v.astimezone(dt.UTC).replace(tzinfo=None) if v.tzinfo else v
    elif isinstance(t, Date):
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValidationError(f"{value!r} is not a date (YYYY-MM-DD)", field=col.name) from None
    elif isinstance(t, Boolean):
        if not isinstance(value, bool):
            raise ValidationError(f"{value!r} is not true/false", field=col.name)
    elif isinstance(t, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{value!r} is not a whole number", field=col.name)
    elif isinstance(value, str) and "\x00" in value:
        raise ValidationError("text may not contain NUL characters", field=col.name)
    return value


def coerce_row(table: Table, data: dict) -> dict:
    """The known columns of `data`, converted to the column types (unknown keys ignored)."""
    return {c.name: _coerce(c, data[c.name]) for c in table.columns if c.name in data}


def parse_after(table: Table, after: str | None) -> tuple | None:
    """The keyset cursor from `after=` (JSON-encoded pk value or list; raw text for a text pk)."""
    if after is None or after == "":
        return None
    cols = pk_columns(table)
    try:
        value = json.loads(after)
    except ValueError:
        value = after
    values = value if isinstance(value, list) else [value]
    if len(values) != len(cols):
        raise ValidationError(f"after must give {len(cols)} key value(s) for {table.name}",
                              field="after", hint="pass back the 'next' of the previous page")
    out = []
    for col, v in zip(cols, values):
        if isinstance(col.type, Integer):
            if isinstance(v, str) and v.lstrip("-").isdigit():
                v = int(v)
            if isinstance(v, bool) or not isinstance(v, int) or abs(v) >= 2 ** 63:
                raise ValidationError(f"after: {v!r} is not a key of {table.name}", field="after")
        else:
            if not isinstance(v, (str, int)) or "\x00" in str(v):
                raise ValidationError(f"after: {v!r} is not a key of {table.name}", field="after")
            v = str(v)
        out.append(v)
    return tuple(out)


def page(session: Session, table: Table, after: tuple | None, limit: int) -> tuple[list[dict], Any]:
    """One keyset page of `table` ordered by primary key, and the cursor for the next page (or None)."""
    cols = pk_columns(table)
    stmt = select(table).order_by(*cols).limit(limit)
    if after is not None:
        stmt = stmt.where(cols[0] > after[0] if len(cols) == 1 else tuple_(*cols) > tuple_(*after))
    rows = [row_dict(r) for r in session.execute(stmt).mappings()]
    if len(rows) < limit:
        nxt = None
    else:
        last = rows[-1]
        nxt = last[cols[0].name] if len(cols) == 1 else [last[c.name] for c in cols]
    return rows, nxt


#: rows per page of the compact snapshot format (default and maximum)
ROWS_PAGE = 20_000
ROWS_PAGE_MAX = 50_000


def _sql_value(col, dialect: str, private: frozenset[str]) -> str:
    """One column as a JSON-array element in SQL (wire format of `?format=rows`, server/API.md)."""
    name = f'"{col.name}"'
    if col.name in private:
        return "NULL"
    t = col.type
    if dialect == "sqlite":
        if isinstance(t, Boolean):
            return f"CASE WHEN {name} IS NULL THEN NULL WHEN {name} THEN json('true') ELSE json('false') END"
        return name  # timestamps and dates are stored as the wire text already
    if isinstance(t, DateTime):
        return f"to_char({name}, 'YYYY-MM-DD HH24:MI:SS.US')"
    if isinstance(t, Date):
        return f"to_char({name}, 'YYYY-MM-DD')"
    return name


def rows_page(session: Session, table: Table, after: tuple | None, limit: int,
              private: frozenset[str] = frozenset()) -> tuple[list[str], str, Any]:
    """One keyset page of `table` in the compact format: (column names, JSON text of the rows
    array, next cursor or None). The database renders each row as JSON itself, through the
    driver's own cursor (SQLite and PostgreSQL); private columns come out as null."""
    dialect = session.get_bind().dialect.name
    cols = pk_columns(table)
    names = [c.name for c in table.columns]
    if dialect not in ("sqlite", "postgresql"):
        rows, nxt = page(session, table, after, limit)
        body = json.dumps([[None if k in private else r[k] for k in names] for r in rows],
                          separators=(",", ":"), ensure_ascii=False)
        return names, body, nxt
    mark = "?" if dialect == "sqlite" else "%s"
    array = "json_array" if dialect == "sqlite" else "json_build_array"
    values = ", ".join(_sql_value(c, dialect, private) for c in table.columns)
    if dialect == "postgresql":
        values += ")::text"
    else:
        values += ")"
    keys = ", ".join(f'"{c.name}"' for c in cols)
    where, params = "", []
    if after is not None:
        where = (f"WHERE {keys} > {mark} " if len(cols) == 1 else
                 f"WHERE ({keys}) > ({', '.join(mark for _ in cols)}) ")
        params = list(after)
    sql = (f'SELECT {array}({values}, {keys} FROM "{table.name}" {where}'
           f"ORDER BY {keys} LIMIT {int(limit)}")
    raw = session.connection().connection.driver_connection
    cursor = raw.cursor()
    try:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    finally:
        cursor.close()
    body = "[" + ",".join([r[0] for r in fetched]) + "]"
    if len(fetched) < limit:
        nxt = None
    else:
        last = fetched[-1][1:]
        nxt = last[0] if len(cols) == 1 else list(last)
    return names, body, nxt
