"""Bulk loading into SQLite: raw executemany, and triggers set aside while a big load runs.

Used by the demo builder and the replica bootstrap, where per-row trigger work (the product
search index) costs more than rebuilding once at the end. Runs on the caller's connection.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from sqlalchemy import Connection, text


def raw_insert(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """INSERT rows (tuples in `columns` order) with the driver's executemany: no per-row overhead."""
    if not rows:
        return
    if not conn.in_transaction():
        # the driver runs in autocommit mode (we emit BEGIN ourselves): without this every row
        # would be its own transaction
        conn.begin()
    cols = ", ".join(columns)
    marks = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in columns)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
    finally:
        cursor.close()


@contextlib.contextmanager
def triggers_suspended(conn: Connection, tables: Sequence[str]) -> Iterator[list[str]]:
    """Drop the SQLite triggers on `tables` for the block and create them again afterwards.

    The caller must repair what the triggers would have done (e.g. rebuild the search index)
    before committing; the triggers come back even when the block fails.
    """
    if conn.dialect.name != "sqlite":
        yield []
        return
    saved = conn.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s)"
        % ", ".join(f"'{t}'" for t in tables))).all()
    for name, _ in saved:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    try:
        yield [name for name, _ in saved]
    finally:
        for _, sql in saved:
            conn.execute(text(sql))
