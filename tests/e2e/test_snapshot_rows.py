"""The compact snapshot (`GET /snapshot/{table}?format=rows`) against a real `butik server`.

Every row of every synced table arrives exactly once and equal to the server's (private columns
null), pages are gzipped when asked, and a bootstrap killed mid-way resumes to the same replica.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap

import pytest
import requests
from sqlalchemy import select

from core.db import open_store
from core.db.schema import load_all
from core.sync import state
from core.sync import tables as synced
from core.sync.client import SyncClient
from core.sync.replica import bootstrap
from tests.live import bearer, live_server
from tests.sync_support import enrol_replica, seed_shop

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def server(db_url, tmp_path):
    # the demo shop (prices, barcodes, variants, stock) builds on SQLite only; bare on PostgreSQL
    seed_shop(db_url, products=120, demo=db_url.startswith("sqlite"))
    with live_server(tmp_path, db_url) as srv:  # users=True: accounts with password hashes
        yield srv


def dump(store, private: bool) -> dict[str, list[tuple]]:
    """Every synced table's rows in key order (typed values); private columns nulled if asked."""
    tables = load_all().metadata.tables
    out = {}
    with store.read() as s:
        for name in synced.present(load_all().metadata):
            t = tables[name]
            hide = synced.PRIVATE_COLUMNS.get(name, frozenset()) if private else frozenset()
            out[name] = [tuple(None if c.name in hide else r[c.name] for c in t.columns)
                         for r in s.execute(select(t).order_by(*t.primary_key.columns)).mappings()]
    return out


def test_compact_pages_carry_every_row_once_with_private_columns_null(server, db_url, tmp_path):
    _, token = enrol_replica(tmp_path / "r.sqlite", server.url, db_url, "Kassa")
    names = requests.get(f"{server.url}/api/v1/snapshot/tables", headers=bearer(token),
                         timeout=30).json()["tables"]
    server_store = open_store(db_url, migrate=False)
    try:
        expected = dump(server_store, private=True)
    finally:
        server_store.dispose()
    assert expected["user_account"] and expected["product"] and expected["stock_level"]
    assert any(row[-1] is not None for row in expected["product"])  # timestamps travel too
    for name in names:
        after, keys, pages = None, [], 0
        while True:
            params = {"format": "rows", "limit": 37, **({"after": json.dumps(after)} if after is not None else {})}
            r = requests.get(f"{server.url}/api/v1/snapshot/{name}", params=params,
                             headers={**bearer(token), "Accept-Encoding": "identity"}, timeout=30)
            assert r.status_code == 200, r.text
            body = r.json()
            assert list(body) == ["columns", "next", "rows"]  # rows last: clients split on it
            cols = body["columns"]
            assert all(len(row) == len(cols) for row in body["rows"])
            pk = [c.name for c in load_all().metadata.tables[name].primary_key.columns]
            keys += [tuple(row[cols.index(k)] for k in pk) for row in body["rows"]]
            if name == "user_account":
                assert all(row[cols.index("password_hash")] is None for row in body["rows"])
            pages += 1
            if body["next"] is None:
                assert len(body["rows"]) < 37
                break
            assert len(body["rows"]) == 37
            after = body["next"]
        assert len(keys) == len(set(keys)) == len(expected[name]), name
        assert keys == sorted(keys)


def test_big_pages_are_gzipped_when_asked(server, db_url, tmp_path):
    _, token = enrol_replica(tmp_path / "r.sqlite", server.url, db_url, "Kassa")
    url = f"{server.url}/api/v1/snapshot/product"
    r = requests.get(url, params={"format": "rows", "limit": 50000}, stream=True,
                     headers={**bearer(token), "Accept-Encoding": "gzip"}, timeout=30)
    assert r.headers["Content-Encoding"] == "gzip"
    body = json.loads(gzip.decompress(r.raw.read()))
    assert len(body["rows"]) >= 120 and body["next"] is None
    plain = requests.get(url, params={"format": "rows", "limit": 50000},
                         headers={**bearer(token), "Accept-Encoding": "identity"}, timeout=30)
    assert "Content-Encoding" not in plain.headers and plain.json() == body
    # the object format keeps its limit for older clients
    old = requests.get(url, params={"limit": 5001}, headers=bearer(token), timeout=30)
    assert old.status_code == 422


def test_bootstrap_over_compact_pages_equals_the_server(server, db_url, tmp_path):
    replica, token = enrol_replica(tmp_path / "r.sqlite", server.url, db_url, "Kassa")
    bootstrap(replica, SyncClient(server.url, token))
    server_store = open_store(db_url, migrate=False)
    try:
        assert dump(replica, private=False) == dump(server_store, private=True)
    finally:
        server_store.dispose()
    replica.dispose()


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from core.db import open_store
    from core.sync.client import SyncClient
    from core.sync.replica import bootstrap
    store = open_store(sys.argv[1])
    kill_at = int(sys.argv[4])
    def progress(done, total):
        if done >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
    bootstrap(store, SyncClient(sys.argv[2], sys.argv[3]), progress, page_size=int(sys.argv[5]))
""")


def test_a_bootstrap_killed_mid_way_resumes_to_the_servers_rows(server, db_url, tmp_path):
    path = tmp_path / "r.sqlite"
    replica, token = enrol_replica(path, server.url, db_url, "Kassa")
    script = tmp_path / "boot.py"
    script.write_text(KILL_SCRIPT)
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    for _ in range(3):  # three kills, each 40 rows further in (pages of 20)
        proc = subprocess.run([sys.executable, str(script), str(path), server.url, token,
                               "40", "20"], env=env)
        assert proc.returncode == -9
        with replica.read() as s:
            saved = state.get_all(s)
            assert state.get_cursor(s) is None and state.BOOTSTRAP_SEQ in saved
    bootstrap(replica, SyncClient(server.url, token), page_size=20)
    with replica.read() as s:
        assert state.get_cursor(s) is not None
    server_store = open_store(db_url, migrate=False)
    try:
        assert dump(replica, private=False) == dump(server_store, private=True)
    finally:
        server_store.dispose()
    from core.catalog.search import search_index_problems, search_products
    with replica.engine.connect() as conn:
        assert search_index_problems(conn) == []
        sku = conn.exec_driver_sql("select sku from product order by id desc limit 1").scalar()
        assert search_products(conn, sku, active_only=False)
    replica.dispose()
