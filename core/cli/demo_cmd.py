"""`butik demo`: build the deterministic demo shop; open the till on it, with simulated webshops sending orders."""

from __future__ import annotations

import time

from core.cli.main import add_data_dir
from core.errors import ValidationError
from core.paths import data_dir, server_db_path
from core.progress import cli_progress


def register(sub) -> None:
    p = sub.add_parser("demo", help="build the demo shop and open the POS on it",
                       description="Build a deterministic Swedish demo shop (two stores, a warehouse, "
                                   "a webshop, clothing in variants, SET articles, food, books, services, "
                                   "price lists, 200 customers, stock) and open the till on it. "
                                   "Two simulated webshops (Starweb, paid with Klarna or Nets) "
                                   "send orders that the integration jobs import; --shops 0 "
                                   "turns them off.")
    add_data_dir(p)
    p.add_argument("--products", type=int, default=2000, metavar="N",
                   help="number of products (default 2000; 1000000 works)")
    p.add_argument("--no-gui", action="store_true", help="build (or reuse) the demo shop and exit")
    p.add_argument("--rebuild", action="store_true", help="delete an existing demo shop first")
    p.add_argument("--shops", type=int, default=None, metavar="N",
                   help="simulated webshops sending orders (default 2 with the window, none with "
                        "--no-gui; 0 turns them off)")
    p.add_argument("--order-every", type=float, default=20.0, metavar="SECONDS",
                   help="a new webshop order every SECONDS (default 20)")
    p.add_argument("--run-for", type=float, default=None, metavar="SECONDS",
                   help="with --no-gui --shops N: run the shops this long, then exit "
                        "(default: until Ctrl+C)")
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
    shops = args.shops if args.shops is not None else (0 if args.no_gui else 2)
    if shops < 0:
        raise ValidationError("0 or more", field="--shops")
    if args.run_for is not None and not (args.no_gui and shops):
        raise ValidationError("only with --no-gui and --shops N", field="--run-for",
                              hint="e.g. butik demo --no-gui --shops 2 --run-for 60")
    folder = data_dir(getattr(args, "data_dir", None))
    store, _ = ensure_demo(folder, args.products, rebuild=args.rebuild)
    store.dispose()
    if args.no_gui:
        return run_shops(folder, shops, args.order_every, args.run_for) if shops else 0
    from pos_app.demo import run_demo  # Qt only when a window is wanted

    return run_demo(folder, shops=shops, order_every_s=args.order_every)


def run_shops(folder, shops: int, order_every_s: float, run_for: float | None) -> int:
    """Headless: the demo webshops send orders, one line printed per order imported into Butik."""
    from core.db import open_store
    from core.demo.shops import start_demo_shops

    store = open_store(server_db_path(folder))
    try:
        demo = start_demo_shops(store, shops, order_every_s,
                                on_order=lambda order: print(order.line(), flush=True))
        try:
            print(demo.describe() + (f"; running {run_for:g} s" if run_for is not None
                                     else "; Ctrl+C stops"), flush=True)
            deadline = time.monotonic() + (run_for if run_for is not None else float("inf"))
            while (left := deadline - time.monotonic()) > 0:
                time.sleep(min(0.2, left))    # short sleeps: Ctrl+C is seen at once everywhere
        except KeyboardInterrupt:
            pass
        finally:
            demo.close()
        print(f"{len(demo.placed)} webshop orders placed, {len(demo.imported)} imported into Butik")
        return 0
    finally:
        store.dispose()
