"""Concurrent writers never lose or double a movement: SQLite (write lock) and PostgreSQL (UPSERT)."""

from __future__ import annotations

import random
import threading

import pytest
from sqlalchemy import func, select

from core.db import open_store
from core.db.schema import load_all
from core.inventory.levels import check_levels, level
from core.inventory.models import StockMovement
from core.inventory.movements import MovementIn, record_movements
from core.inventory.reservations import reserve
from tests.integration.test_inventory import add_bundle, add_location, add_product

THREADS = 8
PER_THREAD = 50


def _pg_store(url):
    """PostgreSQL with the models' tables (migrations on PostgreSQL are tested elsewhere)."""
    store = open_store(url, migrate=False)
    load_all().metadata.create_all(store.engine)
    return store


def _setup(store):
    with store.write() as s:
        loc = add_location(s)
        pids = [add_product(s) for _ in range(4)]
        bundle = add_bundle(s, {pids[0]: 1000, pids[1]: 2000})
        s.commit()
    return loc, pids, bundle


def _hammer(store, loc, pids, bundle, batch: int):
    """THREADS threads each record PER_THREAD movements (in batches, products in random order),
    each batch through its own unit of work, plus the same shared keys; returns expected levels."""
    expected = {p: 0 for p in pids}
    lock = threading.Lock()
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(t: int):
        rnd = random.Random(t)
        try:
            start.wait()
            for first in range(0, PER_THREAD, batch):
                lines = []
                for n in range(first, min(first + batch, PER_THREAD)):
                    p = rnd.choice(pids + [bundle])
                    lines.append(MovementIn(p, loc, rnd.choice([-3000, -1000, 1000, 2000, 5000]),
                                            "sale", "receipt", f"{t}", f"t{t}:{n}"))
                lines.append(MovementIn(pids[2], loc, 7000, "purchase_receipt", "po", "1",
                                        f"shared:{first}"))   # every thread replays these keys
                rnd.shuffle(lines)
                with store.write() as s:
                    record_movements(s, lines)
                    s.commit()
                with lock:
                    for ln in lines:
                        if ln.idem_key.startswith("shared"):
                            continue
                        if ln.product_id == bundle:
                            expected[pids[0]] += ln.qty
                            expected[pids[1]] += 2 * ln.qty
                        else:
                            expected[ln.product_id] += ln.qty
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not errors, errors
    expected[pids[2]] += 7000 * len(range(0, PER_THREAD, batch))
    return expected


def _assert_exact(store, loc, expected):
    with store.read() as s:
        for p, qty in expected.items():
            assert level(s, p, loc).on_hand == qty, p
        assert check_levels(s) == []
        singles = s.scalar(select(func.count()).select_from(StockMovement)
                           .where(~StockMovement.idem_key.like("shared%")))
        assert singles >= THREADS * PER_THREAD


@pytest.mark.parametrize("batch", [1, 10])
def test_eight_threads_on_sqlite_give_exactly_the_sum(store, batch):
    loc, pids, bundle = _setup(store)
    _assert_exact(store, loc, _hammer(store, loc, pids, bundle, batch))


@pytest.mark.postgres
@pytest.mark.parametrize("batch", [1, 10])
def test_eight_processes_worth_of_writers_on_postgres_give_exactly_the_sum(pg_url, batch):
    store = _pg_store(pg_url)
    try:
        loc, pids, bundle = _setup(store)
        _assert_exact(store, loc, _hammer(store, loc, pids, bundle, batch))
    finally:
        store.dispose()


@pytest.mark.postgres
def test_concurrent_reservations_of_the_same_key_reserve_once_on_postgres(pg_url):
    store = _pg_store(pg_url)
    try:
        loc, pids, _bundle = _setup(store)
        start = threading.Barrier(THREADS)
        errors: list[BaseException] = []

        def work():
            try:
                start.wait()
                with store.write() as s:
                    reserve(s, pids[0], loc, 1000, "order", "o1", "o1:1")
                    reserve(s, pids[1], loc, 1000, "order", "o1", f"o1:{threading.get_ident()}")
                    s.commit()
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=60)
        assert not errors, errors
        with store.read() as s:
            assert level(s, pids[0], loc).reserved == 1000
            assert level(s, pids[1], loc).reserved == THREADS * 1000
            assert check_levels(s) == []
    finally:
        store.dispose()
