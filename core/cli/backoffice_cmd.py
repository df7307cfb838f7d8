"""`butik backoffice [--db URL]`: open the back-office window on the replica (or the demo server database)."""

from __future__ import annotations

from pathlib import Path

from core.cli.main import add_data_dir
from core.errors import NotFound
from core.paths import data_dir, replica_path, server_db_path


def register(sub) -> None:
    p = sub.add_parser("backoffice", help="open the back-office window",
                       description="Open the back office. On the machine that holds the server database (a "
                                   "one-PC shop, the demo) it works on that database; on a workstation "
                                   "enrolled as a back-office device it reads its local replica, asks you to "
                                   "log in, and sends every change to the server.")
    p.add_argument("--db", metavar="URL", help="a database URL or SQLite file to open instead")
    p.add_argument("--lang", choices=("sv", "en"), default="sv", help="language of the window (default sv)")
    add_data_dir(p)
    p.set_defaults(func=_run)


def pick_database(folder: Path, db: str | None = None) -> str:
    """The database to open: --db, else the server database (this machine is the server: a one-PC
    shop or the demo — its till's replica lives beside it), else the replica (a workstation, whose
    changes then go to the server as commands); else a clear error."""
    if db:
        if "://" not in db and not Path(db).exists():
            raise NotFound(f"no database file {db}", field="db", hint="give an existing file or a URL")
        return db
    for path in (server_db_path(folder), replica_path(folder)):
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
