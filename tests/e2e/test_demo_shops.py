"""`butik demo`'s simulated webshops: orders placed in two shops arrive in Butik with customer, payment and stock reserved.

The shops, Klarna, Nets and Unifaun are the real HTTP simulators on 127.0.0.1; the integration
runner imports over HTTP exactly as the sync node does. `close()` must leave no thread running
and no port open, and a second start on the same database must not reuse shop order ids.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from core.demo.builder import build_demo
from core.demo.shop_setup import SECRETS_FILE_NAME
from core.demo.shops import start_demo_shops
from core.errors import ValidationError
from core.integrations.connections import SECRETS_FILE_ENV

ROOT = Path(__file__).resolve().parents[2]
ORDERS = text(
    "SELECT o.id, o.number, c.code AS channel, o.customer_id, o.status, o.payment_provider, "
    "o.payment_reference, o.payment_authorised, o.total_gross, o.currency, w.shop_order_id "
    "FROM webshop_order w JOIN sales_order o ON o.id = w.order_id "
    "JOIN channel c ON c.id = o.channel_id ORDER BY o.number")
OPEN_RESERVATIONS = text(
    "SELECT l.reservation_key, (SELECT count(*) FROM reservation r WHERE r.request_key = "
    "l.reservation_key AND r.released_at IS NULL) FROM order_line l "
    "WHERE l.order_id = :o AND l.kind = 'product'")


def _wait(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def _orders(store) -> list:
    with store.engine.connect() as conn:
        return conn.execute(ORDERS).mappings().all()


def _refused(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def demo_store(store, monkeypatch):
    monkeypatch.delenv(SECRETS_FILE_ENV, raising=False)
    build_demo(store, products=200)
    return store


def test_orders_from_two_shops_arrive_paid_matched_and_reserved_then_close_stops_all(demo_store):
    store = demo_store
    seen = []
    demo = start_demo_shops(store, shops=2, order_every_s=0.5, round_every_s=0.3,
                            on_order=seen.append)
    try:
        secrets_file = Path(os.environ[SECRETS_FILE_ENV])
        assert secrets_file.name == SECRETS_FILE_NAME
        assert oct(secrets_file.stat().st_mode & 0o777) == "0o600"
        _wait(lambda: {"WEB", "WEB-EU"} <= {r["channel"] for r in _orders(store)}, 30,
              "an order from each shop")
        rows = _orders(store)
        with store.engine.connect() as conn:
            for row in rows:
                assert row["status"] == "confirmed" and row["customer_id"] is not None
                assert row["payment_provider"] in ("klarna", "nets")
                assert row["payment_authorised"] == row["total_gross"] > 0
                assert row["currency"] == ("EUR" if row["channel"] == "WEB-EU" else "SEK")
                paid = demo.klarna.orders if row["payment_provider"] == "klarna" \
                    else demo.nets.payments
                assert row["payment_reference"] in paid
                lines = conn.execute(OPEN_RESERVATIONS, {"o": row["id"]}).all()
                assert lines and all(key and n >= 1 for key, n in lines), row["number"]
            reserved = conn.execute(text(
                "SELECT sum(reserved) FROM stock_level l JOIN location c ON c.id = l.location_id "
                "WHERE c.code = 'LAGER'")).scalar()
            assert reserved > 0
        _wait(lambda: len(seen) >= 2, 10, "the on_order callback")
        assert "→ order" in seen[0].line()
        shop = demo.shops[0]
        first = next(r for r in rows if r["channel"] == "WEB")
        _wait(lambda: shop.sim.orders[int(first["shop_order_id"])]["externalServices"], 10,
              "our order number written back to the shop")
    finally:
        demo.close()
    assert not any(t.is_alive() for t in demo.threads)
    assert not any(sim.running for sim in demo.simulators)
    assert all(_refused(port) for port in demo.ports)
    assert SECRETS_FILE_ENV not in os.environ
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM integration_connection "
                                 "WHERE code LIKE 'DEMO-%' AND active")).scalar() == 0


def test_a_second_start_continues_after_the_imported_shop_orders(demo_store):
    store = demo_store
    with start_demo_shops(store, shops=1, order_every_s=0.3, round_every_s=0.3) as demo:
        _wait(lambda: demo.imported, 30, "a first imported order")
    before = {r["shop_order_id"] for r in _orders(store)}
    with start_demo_shops(store, shops=1, order_every_s=0.3, round_every_s=0.3) as demo:
        _wait(lambda: len(_orders(store)) > len(before), 30, "an order from the restarted shop")
    after = [r for r in _orders(store) if r["shop_order_id"] not in before]
    assert after and min(int(r["shop_order_id"]) for r in after) > max(map(int, before))


def test_refuses_nonsense_settings(demo_store):
    with pytest.raises(ValidationError):
        start_demo_shops(demo_store, shops=0)
    with pytest.raises(ValidationError):
        start_demo_shops(demo_store, shops=1, order_every_s=0)


def _butik(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != SECRETS_FILE_ENV}
    return subprocess.run([sys.executable, "-m", "core.cli.main", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_cli_runs_the_shops_headless_and_prints_each_imported_order(tmp_path):
    res = _butik("demo", "--no-gui", "--shops", "1", "--run-for", "5", "--order-every", "1",
                 "--data-dir", str(tmp_path / "demo"), "--products", "200")
    assert res.returncode == 0, res.stderr
    imported = re.findall(r"shop order \d+ → order \d+", res.stdout)
    assert imported, res.stdout
    assert re.search(r"\d+ webshop orders placed, [1-9]\d* imported", res.stdout), res.stdout


def test_cli_run_for_needs_shops(tmp_path):
    res = _butik("demo", "--no-gui", "--run-for", "5", "--data-dir", str(tmp_path / "demo"),
                 "--products", "200")
    assert res.returncode == 1
    assert "--run-for" in res.stderr


def test_the_simulators_ship_with_butik_but_not_the_test_suite():
    """`pip install` packages tests.simulators (not tests.unit…); the PyInstaller spec bundles them."""
    import ast
    import tomllib

    from setuptools import find_namespace_packages

    found = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    include = found["packages"]["find"]["include"]
    shipped = {p for p in find_namespace_packages(str(ROOT), include=include)
               if p.split(".")[0] == "tests"}
    assert shipped == {"tests", "tests.simulators"}
    spec = ast.parse((ROOT / "installer" / "butik.spec").read_text())
    values = {n.targets[0].id: n.value for n in ast.walk(spec)
              if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)}
    assert "tests.simulators" in ast.unparse(values["SIMULATORS"])
    assert "SIMULATORS" in ast.unparse(next(
        k.value for n in ast.walk(spec) if isinstance(n, ast.Call)
        and getattr(n.func, "id", None) == "Analysis" for k in n.keywords
        if k.arg == "hiddenimports"))
    excluded = ast.literal_eval(values["EXCLUDES"])
    assert "tests" not in excluded and "tests.unit" in excluded
