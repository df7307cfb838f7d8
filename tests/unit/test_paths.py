"""Where Butik finds its databases."""

from __future__ import annotations


def test_the_server_database_is_given_then_butik_db_then_the_data_folders(tmp_path, monkeypatch):
    from core.paths import server_database

    monkeypatch.delenv("BUTIK_DB", raising=False)
    assert server_database(None, tmp_path) == str(tmp_path / "server.sqlite")
    monkeypatch.setenv("BUTIK_DB", "postgresql+psycopg://butik@db/butik")
    assert server_database(None, tmp_path) == "postgresql+psycopg://butik@db/butik"
    assert server_database("other.sqlite", tmp_path) == "other.sqlite"
