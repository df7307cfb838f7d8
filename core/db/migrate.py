"""Run Alembic migrations programmatically (batch mode on SQLite), and compare a database to the models."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"

#: Tables Alembic must not compare with the models (virtual FTS5 tables and their shadows).
NOT_MODELLED_PREFIXES = ("product_fts",)


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade_to_head(engine: Engine) -> None:
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "table" and name and name.startswith(NOT_MODELLED_PREFIXES):
        return False
    return True


def schema_differences(engine: Engine) -> list:
    """Differences between the database's schema and the models (empty when they agree)."""
    from core.db.schema import load_all

    metadata = load_all().metadata
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object,
                                                     "compare_type": True})
        return compare_metadata(ctx, metadata)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
