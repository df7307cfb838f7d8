"""Sync: bootstrap a replica from N products, push receipts from 10 devices (SQLite and PostgreSQL), pull 10k changes.

Starts real `butik server` processes on 127.0.0.1: one on a SQLite file holding the demo shop with
N products (their prices and stock), one on a throwaway PostgreSQL cluster (tests/pg.py). The demo
shop is built once per N under the data dir (bench/sync-N/server.sqlite; delete it to rebuild) and
copied for each run. Figures:
- bootstrap_s: a fresh replica bootstraps the whole snapshot and pulls to the end of the feed;
- push_receipts_per_s_{sqlite,postgres}: 10 devices, each with its own replica and outbox, push
  receipts (2 lines each) at once; receipts acknowledged per second of wall time;
- pull_10k_changes_s: time for the bootstrapped replica to pull the changes those pushes caused
  (stock levels; with the default 500 receipts per device close to 10,000), scaled to 10,000
  changes (`pull_changes` says how many there were).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
import time
from pathlib import Path

DEVICES = 10
#: receipts pick their lines among this many products, so that the pushes change ~10,000
#: distinct stock levels (the server logs one change per row per transaction)
SAMPLE = 20_000

# The shop seeder, server starter and PostgreSQL starter live with the tests (tests/sync_support.py,
# tests/pg.py); benchmarks run from a source checkout, so put its root on the path.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--products", type=int, default=100_000, help="products in the shop (default 100000)")
    parser.add_argument("--receipts", type=int, default=500,
                        help="receipts per device in the push test (default 500)")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL figures")


def _push_all(server_url: str, db_url: str, work: Path, shop: dict, receipts: int,
              tag: str) -> tuple[float, list]:
    """10 devices push `receipts` each concurrently; returns (receipts per second, stores)."""
    from core.sync.client import ServerBusy, SyncClient
    from core.sync.pusher import Backoff, push
    from tests.sync_support import enqueue_receipts, enrol_replica

    devices = []
    for i in range(DEVICES):
        register = f"{tag}{i:02d}"
        store, token = enrol_replica(work / f"{tag}-dev{i}.sqlite", server_url, db_url,
                                     f"bench {register}", register)
        enqueue_receipts(store, receipts, register_code=register, location_id=shop["location_id"],
                         products=shop["products"], seed=i)
        devices.append((store, SyncClient(server_url, token)))
    errors: list[BaseException] = []
    acked = [0] * DEVICES
    barrier = threading.Barrier(DEVICES + 1)

    busy = [0] * DEVICES

    def device(i: int) -> None:
        store, client = devices[i]
        backoff = Backoff(base=0.1, cap=5.0)
        barrier.wait()
        try:
            while True:  # as the sync engine does: back off on 503/429 and go on
                try:
                    acked[i] += push(store, client).acked
                    return
                except ServerBusy as exc:
                    busy[i] += 1
                    time.sleep(backoff.next_delay(exc.retry_after))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=device, args=(i,)) for i in range(DEVICES)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    for store, client in devices:
        client.close()
        store.dispose()
    if errors:
        raise errors[0]
    if sum(busy):
        logging.getLogger(__name__).info("%s: the server answered busy %d time(s)", tag, sum(busy))
    if sum(acked) != DEVICES * receipts:
        raise RuntimeError(f"only {sum(acked)} of {DEVICES * receipts} receipts acknowledged")
    return sum(acked) / elapsed, devices


def _cached_shop(args, target: Path) -> dict:
    """The demo shop's server database at `target`: built once per size under the data dir
    (bench/sync-N/server.sqlite), then copied for each run (the push test changes it)."""
    import shutil

    from bench.common import bench_folder
    from tests.sync_support import seed_shop

    cache = bench_folder(args, "sync", args.products) / "server.sqlite"
    if not cache.exists():
        building = cache.with_name("building.sqlite")
        for suffix in ("", "-wal", "-shm"):
            building.with_name(building.name + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{building}"
        try:  # the demo shop: products with prices, barcodes, variants and stock
            seed_shop(url, products=args.products, demo=True, sample=SAMPLE)
        except Exception as exc:  # the demo builder is young: fall back to bare products
            logging.getLogger(__name__).warning("demo shop failed (%s); using bare products", exc)
            for suffix in ("", "-wal", "-shm"):
                building.with_name(building.name + suffix).unlink(missing_ok=True)
            seed_shop(url, products=args.products, sample=SAMPLE)
        building.rename(cache)
    shutil.copyfile(cache, target)
    return seed_shop_info(f"sqlite:///{target}")


def seed_shop_info(db_url: str) -> dict:
    """{"location_id", "products": [(id, sku)] (the first SAMPLE sellable ones)} of a built shop."""
    from sqlalchemy import text

    from core.db import open_store

    store = open_store(db_url)
    try:
        with store.read() as s:
            location_id = s.execute(text(
                "select id from location order by case when kind = 'store' then 0 else 1 end, id "
                "limit 1")).scalar()
            prods = [tuple(r) for r in s.execute(text(
                "select id, sku from product where stocked and product_type in ('single','variant') "
                "and not drop_ship order by id limit :n"), {"n": SAMPLE})]
    finally:
        store.dispose()
    return {"location_id": location_id, "products": prods}


def _sqlite_part(args, work: Path, figures: dict) -> None:
    from core.sync.client import SyncClient
    from core.sync.replica import bootstrap, pull
    from tests.live import live_server
    from tests.sync_support import enrol_replica

    db_url = f"sqlite:///{work / 'server.sqlite'}"
    t0 = time.perf_counter()
    shop = _cached_shop(args, work / "server.sqlite")
    logging.getLogger(__name__).info("demo shop with %d products ready in %.1f s",
                                     args.products, time.perf_counter() - t0)
    with live_server(work / "sqlite", db_url, users=False) as server:
        replica, token = enrol_replica(work / "replica.sqlite", server.url, db_url, "bench replica")
        client = SyncClient(server.url, token)
        started = time.perf_counter()
        bootstrap(replica, client)
        pull(replica, client)
        figures["bootstrap_s"] = round(time.perf_counter() - started, 2)
        with replica.read() as s:
            from sqlalchemy import text
            figures["products"] = s.execute(text("select count(*) from product")).scalar()
        rate, _ = _push_all(server.url, db_url, work, shop, args.receipts, "S")
        figures["push_receipts_per_s_sqlite"] = round(rate, 1)
        started = time.perf_counter()
        pulled = pull(replica, client, page_size=5000).changes
        elapsed = time.perf_counter() - started
        figures["pull_changes"] = pulled
        figures["pull_10k_changes_s"] = round(elapsed * 10_000 / max(pulled, 1), 3)
        client.close()
        replica.dispose()


def _postgres_part(args, work: Path, figures: dict) -> None:
    from tests.live import live_server
    from tests.pg import start_cluster, stop_cluster
    from tests.sync_support import seed_shop

    cluster = start_cluster()
    try:
        db_url = cluster.url(cluster.create_database("bench_sync"))
        shop = seed_shop(db_url, products=min(args.products, 2000), sample=SAMPLE)
        with live_server(work / "postgres", db_url, users=False) as server:
            rate, _ = _push_all(server.url, db_url, work, shop, args.receipts, "P")
            figures["push_receipts_per_s_postgres"] = round(rate, 1)
    finally:
        stop_cluster(cluster)


def run(args) -> dict:
    figures: dict = {"bootstrap_s": None, "products": 0, "push_receipts_per_s_sqlite": None,
                     "push_receipts_per_s_postgres": None, "pull_10k_changes_s": None}
    with tempfile.TemporaryDirectory(prefix="butik-bench-sync-") as tmp:
        work = Path(tmp)
        _sqlite_part(args, work, figures)
        if not args.no_postgres:
            _postgres_part(args, work, figures)
    return figures
