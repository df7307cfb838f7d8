"""Migrations: a fresh database and one upgraded step by step have the same schema, equal to the models."""

from __future__ import annotations

import sqlite3

from alembic import command
from alembic.script import ScriptDirectory

from core.db.engine import make_engine, sqlite_url
from core.db.migrate import alembic_config, schema_differences, upgrade_to_head


def _schema(path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())
    finally:
        con.close()


def test_fresh_database_matches_the_models(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "fresh.sqlite"))
    upgrade_to_head(engine)
    assert schema_differences(engine) == []


def test_upgraded_one_step_at_a_time_equals_fresh(tmp_path):
    fresh = make_engine(sqlite_url(tmp_path / "fresh.sqlite"))
    upgrade_to_head(fresh)
    stepped = make_engine(sqlite_url(tmp_path / "stepped.sqlite"))
    revisions = [r.revision for r in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]
    assert len(revisions) >= 2, "expected the initial schema and the search migration"
    for rev in revisions:
        with stepped.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, rev)
    assert _schema(tmp_path / "stepped.sqlite") == _schema(tmp_path / "fresh.sqlite")
    assert schema_differences(stepped) == []


def test_downgrade_to_base_and_up_again(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "db.sqlite"))
    upgrade_to_head(engine)
    before = _schema(tmp_path / "db.sqlite")
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert [r for r in _schema(tmp_path / "db.sqlite") if r[1] != "alembic_version"] == []
    upgrade_to_head(engine)
    assert _schema(tmp_path / "db.sqlite") == before


def test_pragmas_on_every_connection(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_writes_take_the_lock_at_begin(store):
    """A write unit of work starts with BEGIN IMMEDIATE: a second writer waits instead of failing late."""
    import threading
    import time

    from sqlalchemy import text

    order = []
    with store.write() as s1:
        s1.execute(text("SELECT 1"))

        def second():
            with store.write() as s2:
                s2.execute(text("SELECT 1"))
                order.append("second")

        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.3)
        order.append("first")
        s1.commit()
    t.join(10)
    assert order == ["first", "second"]


def test_the_initial_schemas_parts_run_in_foreign_key_order():
    """Each part of 0001 only references tables made by itself or an earlier part."""
    from core.db.autogen_split import area_groups, table_areas
    from core.db.schema import load_all

    metadata = load_all().metadata
    areas = table_areas()
    groups = area_groups(metadata, areas)
    place = {t: next(i for i, g in enumerate(groups) if areas[t] in g) for t in areas}
    assert set(place) == set(metadata.tables)
    for table in metadata.tables.values():
        for fk in table.foreign_keys:
            assert place[fk.column.table.name] <= place[table.name], (table.name, fk.target_fullname)
