"""End to end as the sync node runs it: a loop calling `IntegrationRunner(store).run_once()`, secrets from the secrets file.

The runner loads its connections from the table and their secrets from
BUTIK_INTEGRATION_SECRETS_FILE (mode 0600), exactly as a headless node does, and runs in its own
thread every 0.2 s while the test plays shop customer, warehouse worker and cashier.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from sqlalchemy import select

from core.errors import UserError
from core.integrations.connections import SECRETS_FILE_ENV, get_secret, save_connection, set_secret
from core.integrations.models import IntegrationConnection, WebshopOrder
from core.integrations.runner import IntegrationRunner
from core.inventory import MovementIn, record_movements
from core.orders.delivery import deliver
from core.orders.models import Order
from core.orders.service import lines_of
from core.quantity import pieces
from tests.integration_jobs_support import build_world, klarna_order


def _wait(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {what}")


@pytest.fixture
def node(store, tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.json"
    monkeypatch.setenv(SECRETS_FILE_ENV, str(secrets))
    world = build_world(store)
    for code, secret in world.secrets.items():
        set_secret(code, secret)
    with store.write() as s:
        for row in s.scalars(select(IntegrationConnection)):
            row.poll_interval_s = 10
        s.commit()
    runner = IntegrationRunner(store)
    stop = threading.Event()
    reports = []

    def loop():
        while not stop.is_set():
            reports.append(runner.run_once())
            stop.wait(0.2)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield world, reports
    stop.set()
    thread.join(30)
    runner.close()
    world.stop()


def _order_for(store, shop_order_id: int) -> Order | None:
    with store.read() as s:
        oid = s.scalar(select(WebshopOrder.order_id).where(
            WebshopOrder.shop_order_id == str(shop_order_id)))
        order = s.get(Order, oid) if oid else None
        if order is not None:
            s.expunge(order)
        return order


def test_order_to_capture_shipment_and_tracking_and_stock_within_seconds(store, node):
    world, reports = node
    _wait(lambda: reports, 10, "a first round")
    kid = klarna_order(world, [("TSHIRT", 2, 19900), ("MUGG", 1, 12500)])
    sid = world.web1.add_order([("TSHIRT", 2, "159.20", "25"), ("MUGG", 1, "100.00", "25")],
                               payment_reference=kid)
    order = _wait(lambda: _order_for(store, sid), 12, "the order in the back office")
    assert order.customer_id == world.shop.c["anna"] and order.status == "confirmed"
    _wait(lambda: world.web1.orders[sid]["externalServices"], 5, "our number in the shop")
    with store.write() as s:
        mugg = next(ln for ln in lines_of(s, order.id) if ln.sku == "MUGG")
        deliver(s, order.id, {mugg.id: pieces(1)}, "lager")
        s.commit()
    _wait(lambda: world.web1.orders[sid]["shippingTrackingNo"], 10, "tracking in the shop")
    assert world.klarna.orders[kid]["captured_amount"] == 12500
    assert world.web1.orders[sid]["statusId"] == world.web1.status_id("picking")
    before = _wait(lambda: world.web1.stock("TSHIRT", 1), 10, "stock published")
    with store.write() as s:           # a POS sale of two T-shirts
        record_movements(s, [MovementIn(world.shop.p["TSHIRT"], world.shop.warehouse, -pieces(2),
                                        "sale", "receipt", "k1", "sale:k1:TSHIRT")])
        s.commit()
    t0 = time.monotonic()
    _wait(lambda: world.web1.stock("TSHIRT", 1) == before - 2, 5, "stock drop in the shop")
    assert time.monotonic() - t0 <= 5


def test_secrets_stay_out_of_the_database_and_a_missing_one_is_logged(store, tmp_path, monkeypatch):
    secrets = tmp_path / "s.json"
    monkeypatch.setenv(SECRETS_FILE_ENV, str(secrets))
    with store.write() as s:
        from core.company.setup import add_channel
        ch = add_channel(s, code="WEB", name="Webb", kind="webshop").id
        save_connection(s, code="SHOP", kind="starweb", base_url="http://127.0.0.1:9/api/v2",
                        client_id="cid", channel_id=ch)
        with pytest.raises(UserError):
            save_connection(s, code="BAD", kind="starweb", base_url="http://x", channel_id=ch,
                            settings={"client_secret": "oops"})
        with pytest.raises(UserError):
            save_connection(s, code="FAST", kind="starweb", base_url="http://x", channel_id=ch,
                            poll_interval_s=5)
        s.commit()
    set_secret("SHOP", "very-secret")
    assert get_secret("SHOP") == "very-secret"
    assert json.loads(secrets.read_text()) == {"SHOP": "very-secret"}
    assert oct(secrets.stat().st_mode & 0o777) == "0o600"
    raw = (tmp_path / "butik.sqlite").read_bytes()
    assert b"very-secret" not in raw
    secrets.write_text("{}")
    secrets.chmod(0o600)
    report = IntegrationRunner(store).run_once()   # no secret: logged, nothing crashes
    assert report.ok
    with store.read() as s:
        from core.integrations.connections import open_problems
        assert any("no secret" in p.message for p in open_problems(s))
