"""`butik enrol` and `butik sync` as a supervisor sees them: exit codes, token file, SIGTERM, revocation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from sqlalchemy import text

from core.db import open_store
from core.sync.status import read_status
from tests.live import bearer, live_server
from tests.sync_support import enqueue_receipts, seed_shop

pytestmark = pytest.mark.slow


def run(*args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def node(tmp_path):
    """A sync-node data folder with a token file, and a live server with a small shop."""
    db_url = f"sqlite:///{tmp_path / 'server.sqlite'}"
    shop = seed_shop(db_url)
    data = tmp_path / "node"
    data.mkdir()
    env = dict(os.environ, BUTIK_DATA_DIR=str(data), BUTIK_TOKEN_FILE=str(data / "token"))
    with live_server(tmp_path, db_url) as srv:
        yield srv, env, data, shop, db_url


def enrol(srv, env, register_code="K9") -> dict:
    code = srv.enrolment_code("pos", register_code, "Kassa 9")
    res = run("enrol", "--server", srv.url, "--code", code, env=env)
    assert res.returncode == 0, res.stderr
    return res


def test_not_enrolled_exits_3_and_says_how_to_enrol(node):
    _srv, env, _data, _shop, _db = node
    res = run("sync", "--once", env=env)
    assert res.returncode == 3
    assert "butik enrol" in res.stderr
    assert run("sync", "--status", env=env).returncode == 3


def test_enrol_keeps_the_token_in_a_0600_file_and_a_round_syncs(node):
    srv, env, data, shop, db_url = node
    out = enrol(srv, env).stdout
    token_file = data / "token"
    assert token_file.stat().st_mode & 0o777 == 0o600
    token = token_file.read_text().strip()
    assert token.startswith("dev_") and token not in out  # the token is never printed
    res = run("sync", "--once", "--log-file", str(data / "sync.log"), env=env)
    assert res.returncode == 0, res.stderr
    assert token not in res.stderr and token not in (data / "sync.log").read_text()
    status = run("sync", "--status", env=env)
    assert status.returncode == 0 and status.stdout.startswith("online")


def test_the_node_also_runs_the_integration_jobs_on_the_server_database(node):
    srv, env, data, _shop, db_url = node
    enrol(srv, env)
    res = run("sync", "--once", "--integrations", db_url, "--log-file", str(data / "sync.log"), env=env)
    assert res.returncode == 0, res.stderr
    assert "integration round failed" not in (data / "sync.log").read_text()


def test_a_token_file_others_can_read_is_refused(node):
    srv, env, data, _shop, _db = node
    enrol(srv, env)
    os.chmod(data / "token", 0o644)
    res = run("sync", "--once", env=env)
    assert res.returncode == 1
    assert "chmod 600" in res.stderr


def test_sigterm_stops_cleanly_and_loses_no_event(node):
    srv, env, data, shop, db_url = node
    enrol(srv, env)
    replica = open_store(data / "replica.sqlite")
    bodies = enqueue_receipts(replica, 1200, register_code="K9", location_id=shop["location_id"],
                              products=shop["products"])
    log_file = data / "sync.log"
    proc = subprocess.Popen([sys.executable, "-m", "core.cli.main", "sync", "--interval", "0.5",
                             "--log-file", str(log_file)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # stop it while it is pushing
        if read_status(replica).events_waiting < 1200:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=90) == 0
    assert "stopped" in log_file.read_text()
    # whatever was not acknowledged is still queued: one more round delivers it, exactly once
    assert run("sync", "--once", env=env).returncode == 0
    assert read_status(replica).events_waiting == 0
    store = open_store(db_url, migrate=False)
    with store.read() as s:
        assert s.execute(text("select count(*), count(distinct number) from sales_receipt")).one() \
            == (len(bodies), len(bodies))
    store.dispose()
    replica.dispose()


def test_a_revoked_device_exits_3(node):
    srv, env, data, _shop, _db = node
    enrol(srv, env)
    replica = open_store(data / "replica.sqlite")
    device_id = read_status(replica).device_id
    replica.dispose()
    r = requests.post(f"{srv.url}/api/v1/devices/{device_id}/revoke",
                      headers=bearer(srv.login()), timeout=30)
    assert r.status_code == 200
    res = run("sync", "--once", env=env)
    assert res.returncode == 3
    assert "enrol" in res.stderr


def test_refused_events_are_marked_failed_and_the_rest_goes_through(node):
    """409 (same id, other body) and 422 "rejected" (unknown product) fail those events only."""
    from core.sync.client import SyncClient
    from core.sync.engine import SyncEngine
    from core.sync.outbox import enqueue
    from tests.sync_support import enrol_replica, receipt_body

    srv, _env, data, shop, db_url = node
    first, t1 = enrol_replica(data / "a.sqlite", srv.url, db_url, "Kassa A", "KA")
    second, t2 = enrol_replica(data / "b.sqlite", srv.url, db_url, "Kassa B", "KB")
    enqueue_receipts(first, 1, register_code="KA", location_id=shop["location_id"],
                            products=shop["products"])
    assert SyncEngine(first, SyncClient(srv.url, t1)).run_once().pushed.applied == 1
    with first.read() as s:
        taken_id = s.scalar(text("select id from outbox_event"))
    pid, sku = shop["products"][0]
    with second.write() as s:
        enqueue(s, "receipt", receipt_body(register_code="KB", location_id=shop["location_id"],
                                           number=1, lines=[(pid, sku, 1000, 500)]),
                event_id=taken_id)  # someone else's event id, another body
        enqueue(s, "receipt", receipt_body(register_code="KB", location_id=shop["location_id"],
                                           number=2, lines=[(999_999, "NOPE", 1000, 500)]))
        enqueue(s, "receipt", receipt_body(register_code="KB", location_id=shop["location_id"],
                                           number=3, lines=[(pid, sku, 1000, 500)]))
        s.commit()
    result = SyncEngine(second, SyncClient(srv.url, t2)).run_once().pushed
    assert (result.applied, result.failed) == (1, 2)
    with second.read() as s:
        rows = s.execute(text("select failed_at is not null, acked_at is not null, last_error "
                              "from outbox_event order by seq")).all()
    assert [(f, a) for f, a, _ in rows] == [(1, 0), (1, 0), (0, 1)]
    assert rows[0][2].startswith("conflict (409)") and rows[1][2].startswith("rejected (422)")
    status = read_status(second)
    assert status.failed_events == 2 and status.events_waiting == 0
    # failed events are never sent again
    assert SyncEngine(second, SyncClient(srv.url, t2)).run_once().pushed.failed == 0
    first.dispose()
    second.dispose()
