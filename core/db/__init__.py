"""The local store: SQLAlchemy models' base, engines for SQLite and PostgreSQL, units of work, migrations."""

from core.db.base import Base
from core.db.engine import Store, open_store

__all__ = ["Base", "Store", "open_store"]
