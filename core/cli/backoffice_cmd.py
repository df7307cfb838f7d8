"""`butik backoffice [--db URL]`: open the back-office window on the replica (or the demo server database)."""

from __future__ import annotations

from pathlib import Path

from core.cli.main import add_data_dir
from core.errors import NotFound
from core.paths import data_dir, replica_path, server_db_path


def register(sub) -> None:
    p = sub.add_parser("backoffice", help="open the back-office window",
                       description="Open the back office on this machine's local replica. Without a replica "
                                   "but with a server database in the data folder (the demo shop) it opens on "
                                   "that database directly.")
    p.add_argument("--db", metavar="URL", help="a database URL or SQLite file to open instead")
    p.add_argument("--lang", choices=("sv", "en"), default="sv", help="language of the window (default sv)")
    add_data_dir(p)
    p.set_defaults(func=_run)


def pick_database(folder: Path, db: str | None = None) -> str:
    """The database to open: --db, else the replica, else the server database (demo); else a clear error."""
    if db:
        if "://" not in db and not Path(db).exists():
            raise NotFound(f"no database file {db}", field="db", hint="give an existing file or a URL")
        return db
    for path in (replica_path(folder), server_db_path(folder)):
        if path.exists():
            return str(path)
    raise NotFound(f"no database in {folder}", field="data_dir",
                   hint="run `butik demo` for the demo shop, or `butik enrol` to connect to a server")


def _run(args) -> int:
    from core.db import open_store

    folder = data_dir(getattr(args, "data_dir", None))
    lang = args.lang
    if not args.db and not (replica_path(folder).exists() or server_db_path(folder).exists()):
        from backoffice.wizard import run_first_run  # the first-run wizard; Qt only there

        chosen = run_first_run(folder, language=lang)
        if chosen is None:
            return 1
        lang = chosen[1]
    store = open_store(pick_database(folder, args.db))
    from backoffice.app import run  # Qt only here, so `core` never imports PySide6

    try:
        return run(store, lang=lang)
    finally:
        store.dispose()
