"""Sync end to end: a real `butik server` on 127.0.0.1 (SQLite and PostgreSQL) and real client processes.

- Lost acknowledgement: a proxy drops the answer (or the request) at a random byte, the client
  process is SIGKILLed at a random moment, restarted, and retries → exactly one sale, one set of
  stock movements, the same receipt number. 20 rounds.
- A till offline for a week queues 3,000 receipts; the server comes up → all arrive, in order,
  stock right, nothing duplicated.
- Bootstrap, then pulls bring only changes; a pull killed at random moments always leaves the
  replica exactly at the state of its cursor.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import text

from core.db import open_store
from core.sync import state
from core.sync.client import Offline, SyncClient
from core.sync.engine import SyncEngine
from core.sync.outbox import OutboxEvent
from core.sync.pusher import push
from core.sync.status import read_status
from tests.live import live_server
from tests.sync_support import (
    DropProxy,
    enqueue_receipts,
    enrol_replica,
    enrolment_code,
    random_drop_plan,
    seed_shop,
)

pytestmark = pytest.mark.slow

ROUNDS = 20
OFFLINE_RECEIPTS = 3000


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def shop(db_url):
    return seed_shop(db_url, products=20, stock=100)


@pytest.fixture
def server(db_url, shop, tmp_path):
    with live_server(tmp_path, db_url, users=False) as srv:
        srv.port = int(srv.url.rsplit(":", 1)[1])
        yield srv


def server_query(db_url: str, sql: str, **params):
    store = open_store(db_url, migrate=False)
    try:
        with store.read() as s:
            return [tuple(r) for r in s.execute(text(sql), params)]
    finally:
        store.dispose()


def sold(bodies: list[dict]) -> dict[int, int]:
    out: dict[int, int] = {}
    for b in bodies:
        for line in b["lines"]:
            out[line["product_id"]] = out.get(line["product_id"], 0) + line["qty"]
    return out


def assert_levels(db_url: str, shop: dict, bodies: list[dict]) -> None:
    """Each level = opening stock − what was sold, and = the sum of its movements."""
    levels = dict(server_query(db_url, "select product_id, on_hand from stock_level "
                                       "where location_id = :l", l=shop["location_id"]))
    sums = dict(server_query(db_url, "select product_id, sum(qty) from stock_movement "
                                     "where location_id = :l group by product_id",
                             l=shop["location_id"]))
    for pid, qty in sold(bodies).items():
        assert levels[pid] == shop["on_hand"].get(pid, 0) - qty, pid
    assert {p: int(v) for p, v in sums.items()} == levels


def butik(*args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


def body_id(store, seq: int) -> str:
    with store.read() as s:
        return s.scalar(text("select id from outbox_event where seq = :s"), {"s": seq})


def test_lost_acknowledgement_never_duplicates_a_sale(db_url, shop, server, tmp_path):
    data = tmp_path / "till"
    data.mkdir()
    env = dict(os.environ, BUTIK_DATA_DIR=str(data), BUTIK_TOKEN_FILE=str(data / "token"))
    proxy = DropProxy("127.0.0.1", server.port)
    try:
        code = enrolment_code(db_url, "Kassa 1", "pos", "K1")
        enrolled = butik("enrol", "--server", proxy.url, "--code", code, "--name", "Kassa 1",
                         env=env)
        assert enrolled.returncode == 0, enrolled.stderr
        assert (data / "token").stat().st_mode & 0o777 == 0o600
        replica = open_store(data / "replica.sqlite")
        rng = random.Random(3)
        bodies = []
        lost_acks = 0
        for n in range(1, ROUNDS + 1):
            body = enqueue_receipts(replica, 1, register_code="K1", location_id=shop["location_id"],
                                    products=shop["products"], start_number=n, seed=n)[0]
            bodies.append(body)
            proxy.plan = random_drop_plan(rng)
            seen = proxy.connections
            crashed = subprocess.Popen([sys.executable, "-m", "core.cli.main", "sync", "--once"],
                                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while proxy.connections == seen and crashed.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            try:  # the push is under way: kill the client at a random moment around it
                crashed.wait(timeout=rng.uniform(0.0, 0.3))
            except subprocess.TimeoutExpired:
                crashed.send_signal(signal.SIGKILL)
                crashed.wait()
            proxy.plan = lambda: ("pass",)
            rid = body["receipt_id"]
            with replica.read() as s:
                acked = s.scalar(text("select acked_at is not null from outbox_event "
                                      "where id = :i"), {"i": body_id(replica, n)})
            if not acked and server_query(db_url, "select count(*) from sales_receipt "
                                                  "where id = :r", r=rid) == [(1,)]:
                lost_acks += 1  # the server committed the sale, the till never heard
            retry = butik("sync", "--once", env=env)
            assert retry.returncode == 0, retry.stderr[-2000:]

            assert server_query(db_url, "select number from sales_receipt where id = :r",
                                r=rid) == [(n,)]
            moves = server_query(db_url, "select count(*) from stock_movement where idem_key "
                                         "like :k", k=f"receipt:{rid}:%")
            assert moves == [(len(body["lines"]),)]
            with replica.read() as s:
                ev = s.query(OutboxEvent).filter(OutboxEvent.body_hash.isnot(None),
                                                 OutboxEvent.seq == n).one()
                assert ev.acked_at is not None and ev.failed_at is None
                assert ev.result["receipt_id"] == rid
        print(f"{lost_acks} of {ROUNDS} rounds lost the acknowledgement")
        assert lost_acks >= ROUNDS // 4, f"only {lost_acks} rounds lost an acknowledgement"
        assert server_query(db_url, "select count(*), count(distinct number) from sales_receipt "
                                    "where register_code = 'K1'") == [(ROUNDS, ROUNDS)]
        assert_levels(db_url, shop, bodies)
        replica.dispose()
    finally:
        proxy.close()


def test_a_till_offline_for_a_week_catches_up_in_order(db_url, shop, tmp_path):
    # the till talks to a fixed address (a forwarding proxy); behind it the server goes away
    # for the week and a new server process comes back on another port
    with live_server(tmp_path / "before", db_url, users=False) as srv:
        proxy = DropProxy("127.0.0.1", int(srv.url.rsplit(":", 1)[1]))
        replica, token = enrol_replica(tmp_path / "till.sqlite", proxy.url, db_url, "Kassa 2",
                                       "K2")
        engine = SyncEngine(replica, SyncClient(proxy.url, token, retries=0))
        engine.run_once()  # bootstrapped while online

    bodies = enqueue_receipts(replica, OFFLINE_RECEIPTS, register_code="K2",
                              location_id=shop["location_id"], products=shop["products"])
    with pytest.raises(Offline):
        engine.run_once()
    status = read_status(replica)
    assert not status.online and status.events_waiting == OFFLINE_RECEIPTS

    with live_server(tmp_path / "after", db_url, users=False) as srv:
        proxy.target = ("127.0.0.1", int(srv.url.rsplit(":", 1)[1]))
        result = engine.run_once()
        assert result.pushed.applied == OFFLINE_RECEIPTS and result.pushed.failed == 0
        assert result.pushed.batches == OFFLINE_RECEIPTS // 500
        status = read_status(replica)
        assert status.online and status.events_waiting == 0 and status.failed_events == 0

        # in order: batches went in seq order (each acknowledged in one local transaction),
        # and the server applied batch k before batch k+1 (its movement ids all come later);
        # inside one batch the server is free to apply receipts set-based
        with replica.read() as s:
            acked = s.execute(text(
                "select acked_at, result from outbox_event order by seq")).all()
        batches: list[tuple] = []
        for acked_at, result in acked:
            ids = json.loads(result)["movement_ids"]
            if batches and batches[-1][0] == acked_at:
                batches[-1][1].extend(ids)
            else:
                batches.append((acked_at, list(ids)))
        assert len(batches) == OFFLINE_RECEIPTS // 500
        assert [b[0] for b in batches] == sorted(b[0] for b in batches)
        assert all(max(a[1]) < min(b[1]) for a, b in zip(batches, batches[1:]))
        every = [m for b in batches for m in b[1]]
        assert len(set(every)) == len(every)
        assert server_query(db_url, "select count(*), count(distinct number), min(number), "
                                    "max(number) from sales_receipt where register_code = 'K2'") \
            == [(OFFLINE_RECEIPTS, OFFLINE_RECEIPTS, 1, OFFLINE_RECEIPTS)]
        lines = sum(len(b["lines"]) for b in bodies)
        assert server_query(db_url, "select count(*) from stock_movement where reason = 'sale'") \
            == [(lines,)]
        assert_levels(db_url, shop, bodies)
        # state flowed back down: the till's stock levels are the server's
        server_levels = server_query(db_url, "select product_id, location_id, on_hand from "
                                             "stock_level order by 1, 2")
        with replica.read() as s:
            assert [tuple(r) for r in s.execute(text(
                "select product_id, location_id, on_hand from stock_level order by 1, 2"))] \
                == server_levels
        again = engine.run_once()
        assert again.pushed.acked == 0 and again.pulled.changes == 0
    proxy.close()
    replica.dispose()


PULL_SCRIPT = textwrap.dedent("""
    import sys
    from core.db import open_store
    from core.sync.client import SyncClient
    from core.sync.replica import pull
    store = open_store(sys.argv[1])
    pull(store, SyncClient(sys.argv[2], sys.argv[3]), page_size=int(sys.argv[4]))
""")


def test_pull_brings_only_changes_and_a_killed_pull_stays_consistent(db_url, shop, server,
                                                                      tmp_path):
    replica, token = enrol_replica(tmp_path / "office.sqlite", server.url, db_url, "Kontor")
    client = SyncClient(server.url, token)
    engine = SyncEngine(replica, client)
    first = engine.run_once()
    assert first.bootstrapped
    with replica.read() as s:
        start = state.get_cursor(s)
        before = {(p, l): q for p, l, q in s.execute(text(
            "select product_id, location_id, on_hand from stock_level"))}

    # another till sells: 400 receipts of 2 lines → 800 stock level changes in the feed
    till, till_token = enrol_replica(tmp_path / "till.sqlite", server.url, db_url, "Kassa 3", "K3")
    enqueue_receipts(till, 400, register_code="K3", location_id=shop["location_id"],
                     products=shop["products"])
    # one receipt per request: the server logs one change per row per transaction
    assert push(till, SyncClient(server.url, till_token), max_events=1).applied == 400
    feed = []
    after = start
    while True:
        page = client.changes(after, 5000)
        feed += page["changes"]
        after = page["last_seq"]
        if not page["more"]:
            break
    assert len(feed) == 800 and all(c["table"] == "stock_level" for c in feed)

    script = tmp_path / "pull.py"
    script.write_text(PULL_SCRIPT)
    rng = random.Random(5)
    cursors = []
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "office.sqlite"),
                                 server.url, token, "3"], env=dict(os.environ, PYTHONPATH=os.getcwd()))
        time.sleep(rng.uniform(0.6, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with replica.read() as s:
            cursor = state.get_cursor(s)
            local = {(p, l): q for p, l, q in s.execute(text(
                "select product_id, location_id, on_hand from stock_level"))}
        expected = dict(before)
        for c in feed:
            if c["seq"] <= cursor:
                expected[(c["pk"]["product_id"], c["pk"]["location_id"])] = c["row"]["on_hand"]
        assert local == expected, f"replica differs from the feed at cursor {cursor}"
        cursors.append(cursor)
    assert cursors == sorted(cursors)
    assert any(start < c < feed[-1]["seq"] for c in cursors), "no kill landed mid-pull"

    done = engine.run_once()
    assert not done.bootstrapped and done.pushed.acked == 0
    # a till's feed skips the office's changes (the ledger job's vouchers…): its cursor ends at the
    # head the server reported, past the last change it got
    assert done.pulled.cursor >= after >= feed[-1]["seq"]
    assert done.pulled.changes == len([c for c in feed if c["seq"] > cursors[-1]])  # only what was missing
    with replica.read() as s:
        local = [tuple(r) for r in s.execute(text(
            "select product_id, location_id, on_hand from stock_level order by 1, 2"))]
    assert local == server_query(db_url, "select product_id, location_id, on_hand from "
                                         "stock_level order by 1, 2")
    replica.dispose()
    till.dispose()
