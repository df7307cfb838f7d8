"""`butik demo`: build the deterministic demo shop (and, with a GUI, open the till on it)."""

from __future__ import annotations

import time

from core.cli.main import add_data_dir
from core.paths import data_dir, server_db_path
from core.progress import cli_progress


def register(sub) -> None:
    p = sub.add_parser("demo", help="build the demo shop and open the POS on it",
                       description="Build a deterministic Swedish demo shop (two stores, a warehouse, "
                                   "a webshop, clothing in variants, SET articles, food, books, services, "
                                   "price lists, 200 customers, stock) and open the till on it.")
    add_data_dir(p)
    p.add_argument("--products", type=int, default=2000, metavar="N",
                   help="number of products (default 2000; 1000000 works)")
    p.add_argument("--no-gui", action="store_true", help="build (or reuse) the demo shop and exit")
    p.add_argument("--rebuild", action="store_true", help="delete an existing demo shop first")
    p.set_defaults(func=run)


def ensure_demo(folder, products: int, rebuild: bool = False, quiet: bool = False):
    """Build the demo shop into the folder's server database unless it is already there."""
    from core.db import open_store
    from core.demo.builder import build_demo

    path = server_db_path(folder)
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            p = path.with_name(path.name + suffix)
            if p.exists():
                p.unlink()
    store = open_store(path, synchronous="NORMAL")
    try:
        with store.engine.connect() as conn:
            from sqlalchemy import text
            existing = conn.execute(text("SELECT count(*) FROM product")).scalar()
        if existing:
            if not quiet:
                print(f"Demo shop already built in {path} ({existing:,} products); --rebuild starts over.")
            return store, None
        started = time.perf_counter()
        with cli_progress("Building demo shop", products, enabled=not quiet) as progress:
            summary = build_demo(store, products=products, progress=progress)
        if not quiet:
            print(f"Demo shop built in {path} in {time.perf_counter() - started:.1f} s")
            for line in summary.lines():
                print("  " + line)
        return store, summary
    except BaseException:
        store.dispose()
        raise


def run(args) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    store, _ = ensure_demo(folder, args.products, rebuild=args.rebuild)
    store.dispose()
    if args.no_gui:
        return 0
    from pos_app.demo import run_demo  # Qt only when a window is wanted

    return run_demo(folder)
