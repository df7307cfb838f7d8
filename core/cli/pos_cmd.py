"""`butik pos [--register CODE]`: open the touchscreen till on this machine's replica (or the demo shop)."""

from __future__ import annotations

from core.cli.main import add_data_dir
from core.paths import data_dir


def register(sub) -> None:
    p = sub.add_parser("pos", help="open the touchscreen POS",
                       description="Open the till on this machine's local replica. Without a replica but "
                                   "with a server database in the data folder (the demo shop) it opens "
                                   "on that database directly. Keeps selling with the server down.")
    p.add_argument("--register", metavar="CODE",
                   help="register identity, e.g. STHLM-K1 (default: from the POS settings, else the first)")
    add_data_dir(p)
    p.set_defaults(func=_run)


def _run(args) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    from pos_app.launch import run_pos

    # with no database in the folder the till opens the first-run wizard (pos_app/wizard.py)
    return run_pos(folder, args.register)
