"""Where Butik keeps its data and config: platformdirs, overridable by --data-dir / BUTIK_DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "butik"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data folder: the override, else $BUTIK_DATA_DIR, else the platform's user data dir."""
    chosen = override or os.environ.get("BUTIK_DATA_DIR")
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir(override: str | os.PathLike | None = None) -> Path:
    """The config folder: <data dir>/config when a data dir is given, else the platform's config dir."""
    chosen = override or os.environ.get("BUTIK_DATA_DIR")
    path = (Path(chosen) / "config") if chosen else Path(platformdirs.user_config_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def replica_path(override: str | os.PathLike | None = None) -> Path:
    """This machine's local SQLite replica (POS, back office, sync node)."""
    return data_dir(override) / "replica.sqlite"


def server_db_path(override: str | os.PathLike | None = None) -> Path:
    """The central server's database when it runs on SQLite (the default, and the demo shop)."""
    return data_dir(override) / "server.sqlite"


def server_database(given: str | None = None, override: str | os.PathLike | None = None) -> str:
    """The server database to open: `given` (--db), else $BUTIK_DB, else server.sqlite in the data folder."""
    return str(given or os.environ.get("BUTIK_DB") or server_db_path(override))


def images_dir(override: str | os.PathLike | None = None) -> Path:
    """Product images: <data dir>/images, one sub-folder per product id."""
    path = data_dir(override) / "images"
    path.mkdir(parents=True, exist_ok=True)
    return path
