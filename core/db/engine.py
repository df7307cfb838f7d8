"""Engines and units of work for SQLite (WAL, FK, busy timeout, BEGIN IMMEDIATE, synchronous=FULL) and PostgreSQL.

A `Store` owns one engine. `store.write()` opens a unit of work that takes the write lock at once
(`BEGIN IMMEDIATE` on SQLite) and rolls back unless `commit()` is called; `store.read()` opens a
read-only session. Writes must go through `write()`: a deferred SQLite transaction that reads and
then writes fails with "database is locked" regardless of the busy timeout.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ButikError

BUSY_TIMEOUT_MS = 10_000


class Fts5Missing(ButikError):
    pass


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"


def _install_sqlite_hooks(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, synchronous: str = "FULL", echo: bool = False, **kw) -> Engine:
    """An engine for `url`; SQLite gets Butik's pragmas and explicit BEGIN handling."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000,
                                                             "check_same_thread": False}, **kw)
        _install_sqlite_hooks(engine, synchronous)
    else:
        kw.setdefault("pool_pre_ping", True)
        engine = create_engine(url, echo=echo, **kw)
    return engine


def check_fts5() -> None:
    """Raise a clear error when this Python's SQLite lacks FTS5 (product search needs it)."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError:
        raise Fts5Missing(
            f"this Python's SQLite {sqlite3.sqlite_version} has no FTS5; product search needs it. "
            "Install a Python built with FTS5 (python.org builds and Debian's python3 have it).") from None
    finally:
        con.close()


class Store:
    """One database: engine, session factory, and units of work."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        writer = engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else engine
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        self._write = sessionmaker(bind=writer, expire_on_commit=False)
        self.url = str(engine.url)

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work holding the write lock; rolls back unless `session.commit()` is called."""
        session = self._write()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        session = self._read()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def raw_sqlite(self):
        """A raw DB-API connection for bulk work (demo builder, imports); caller commits."""
        return self.engine.raw_connection()

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url_or_path: str | Path, *, migrate: bool = True, synchronous: str = "FULL") -> Store:
    """Open (and by default migrate to head) the database at a URL or SQLite file path."""
    url = str(url_or_path)
    if "://" not in url:
        Path(url).parent.mkdir(parents=True, exist_ok=True)
        url = sqlite_url(url)
    if url.startswith("sqlite"):
        check_fts5()
    engine = make_engine(url, synchronous=synchronous)
    if migrate:
        from core.db.migrate import upgrade_to_head
        upgrade_to_head(engine)
    return Store(engine)


def ping(store: Store) -> None:
    with store.read() as s:
        s.execute(text("SELECT 1"))
