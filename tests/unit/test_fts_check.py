"""Start-up says clearly when this Python's SQLite lacks FTS5 (product search needs it)."""

import sqlite3

import pytest

from core.db import engine as db_engine
from core.db.engine import Fts5Missing, check_fts5, open_store


class _NoFts5:
    def __init__(self, real):
        self.real = real

    def execute(self, sql, *args):
        if "fts5" in sql.lower():
            raise sqlite3.OperationalError("no such module: fts5")
        return self.real.execute(sql, *args)

    def close(self):
        self.real.close()


def test_fts5_is_present_here():
    check_fts5()


def test_a_sqlite_without_fts5_is_refused_with_a_clear_message(monkeypatch, tmp_path):
    real_connect = sqlite3.connect
    monkeypatch.setattr(db_engine.sqlite3, "connect", lambda *a, **k: _NoFts5(real_connect(*a, **k)))
    with pytest.raises(Fts5Missing) as err:
        open_store(tmp_path / "x.sqlite")
    assert "FTS5" in str(err.value) and "search" in str(err.value)
    assert not (tmp_path / "x.sqlite").exists()
