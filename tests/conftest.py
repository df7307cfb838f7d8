"""Shared fixtures: a fresh, migrated SQLite store per test; the data folder pointed at tmp."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("BUTIK_DATA_DIR", str(d))
    return d


@pytest.fixture
def store(tmp_path):
    """A real SQLite file migrated to head."""
    from core.db import open_store

    s = open_store(tmp_path / "butik.sqlite")
    yield s
    s.dispose()


# PostgreSQL: a throwaway cluster per session (`pg_server`) and a fresh database per test (`pg_url`);
# skipped when it cannot start, failed instead when BUTIK_REQUIRE_POSTGRES=1. See tests/pg.py.
from tests.pg import pg_server, pg_url  # noqa: F401


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A server database on SQLite and on PostgreSQL, change capture on (server-side tests)."""
    from core.db import open_store
    from core.sync.changelog import enable_capture

    url = (str(tmp_path / "server.sqlite") if request.param == "sqlite"
           else request.getfixturevalue("pg_url"))
    store = open_store(url)
    with store.write() as s:
        enable_capture(s)
        s.commit()
    yield store
    store.dispose()
