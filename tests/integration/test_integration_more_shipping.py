"""Shipments after booking: cancel on a cancelled delivery, TrackBack status with minDelay, label printing; stock hook."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.errors import Conflict
from core.integrations.connections import get_connection_row
from core.integrations.models import (
    IntegrationConnection,
    PublishQueue,
    ShipmentCancel,
    ShipmentLabel,
)
from core.integrations.shipments import cancel_delivery_shipment
from core.integrations.starweb.stock_out import mark_dirty
from core.inventory import MovementIn, hooks, record_movements
from core.orders.delivery import deliver
from core.orders.models import IntegrationTask, Order
from core.orders.service import lines_of
from core.quantity import pieces
from tests.integration_jobs_support import build_world, klarna_order, now


class Clock:
    def __init__(self):
        self.t = now()

    def __call__(self) -> dt.datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += dt.timedelta(seconds=seconds)


@pytest.fixture
def world(store, tmp_path):
    w = build_world(store, second_shop=False)
    with store.write() as s:
        row = get_connection_row(s, "UNIFAUN")
        row.settings = {**row.settings, "status_poll_s": 300,
                        "label_printer": {"kind": "folder", "folder": str(tmp_path / "labels")}}
        s.commit()
    yield w
    w.stop()


def _delivered(store, world, runner, skus=(("TSHIRT", 1),)) -> tuple[str, str]:
    """An imported webshop order with one delivery; returns (order id, delivery id)."""
    kid = klarna_order(world, [(sku, q, 19900) for sku, q in skus])
    world.web1.add_order([(sku, q, "159.20", "25") for sku, q in skus], payment_reference=kid)
    report = runner.run_once()
    assert report.imported == 1, report.problems
    with store.write() as s:
        order = s.scalars(select(Order).order_by(Order.number.desc())).first()
        lines = {ln.id: ln.qty for ln in lines_of(s, order.id) if ln.sku}
        delivery = deliver(s, order.id, lines, "lager")
        s.commit()
        return order.id, delivery.id


def test_label_is_printed_once_on_the_folder_printer(store, world, tmp_path):
    runner = world.runner(store)
    _order, delivery_id = _delivered(store, world, runner)
    report = runner.run_once()
    assert report.shipments == 1 and report.labels_printed == 1, report.problems
    files = list((tmp_path / "labels").glob("*.pdf"))
    assert len(files) == 1 and files[0].read_bytes().startswith(b"%PDF-")
    with store.read() as s:
        label = s.get(ShipmentLabel, delivery_id)
        assert label.printed_at is not None and label.carrier_status == "printed"
    assert runner.run_once().labels_printed == 0
    assert len(list((tmp_path / "labels").glob("*.pdf"))) == 1
    runner.close()


def test_a_broken_printer_is_logged_and_does_not_pause_the_carrier(store, world, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with store.write() as s:
        row = get_connection_row(s, "UNIFAUN")
        row.settings = {**row.settings, "label_printer": {"kind": "folder",
                                                          "folder": str(blocker / "sub")}}
        s.commit()
    runner = world.runner(store)
    _order, delivery_id = _delivered(store, world, runner)
    report = runner.run_once()
    assert report.shipments == 1 and report.labels_printed == 0
    assert any("label not printed" in p for p in report.problems)
    with store.read() as s:
        assert s.get(ShipmentLabel, delivery_id).printed_at is None
        assert get_connection_row(s, "UNIFAUN").paused_until is None
    runner.close()


def test_cancelled_delivery_cancels_the_booked_shipment_once(store, world):
    runner = world.runner(store)
    _order, delivery_id = _delivered(store, world, runner)
    runner.run_once()
    with store.read() as s:
        shipment_id = s.get(ShipmentLabel, delivery_id).shipment_id
    with store.write() as s:
        cancel_delivery_shipment(s, delivery_id, "anna", "customer changed her mind")
        again = cancel_delivery_shipment(s, delivery_id, "anna")          # idempotent
        assert again.done_at is None
        s.commit()
    report = runner.run_once()
    assert report.shipments_cancelled == 1, report.problems
    assert world.unifaun.shipments[shipment_id]["status"] == "CANCELLED"
    assert len(world.unifaun.calls_to("DELETE", r"/shipments/")) == 1
    with store.read() as s:
        assert s.get(ShipmentLabel, delivery_id).carrier_status == "cancelled"
        assert s.get(ShipmentCancel, delivery_id).outcome == "cancelled"
    runner.run_once()
    assert len(world.unifaun.calls_to("DELETE", r"/shipments/")) == 1
    runner.close()


def test_a_delivery_cancelled_before_booking_is_never_booked(store, world):
    runner = world.runner(store)
    _order, delivery_id = _delivered(store, world, runner)
    with store.write() as s:
        row = cancel_delivery_shipment(s, delivery_id, "anna")
        assert row.outcome == "not_booked"
        s.commit()
    report = runner.run_once()
    assert report.shipments == 0
    assert world.unifaun.calls_to("POST", r"/shipments$") == []
    with store.read() as s:
        task = s.scalar(select(IntegrationTask).where(IntegrationTask.delivery_id == delivery_id,
                                                      IntegrationTask.type == "book_shipment"))
        assert task.done_at is not None and task.result == {"cancelled": True}
    runner.close()


def test_a_refused_cancel_is_logged_and_a_delivered_shipment_cannot_be_cancelled(store, world):
    runner = world.runner(store)
    _order, delivery_id = _delivered(store, world, runner)
    runner.run_once()
    with store.read() as s:
        shipment_id = s.get(ShipmentLabel, delivery_id).shipment_id
    world.unifaun.set_status(shipment_id, "DELIVERED")       # the carrier delivered meanwhile
    with store.write() as s:
        cancel_delivery_shipment(s, delivery_id, "anna")
        s.commit()
    report = runner.run_once()
    assert report.shipments_cancelled == 0
    assert any("could not be cancelled" in p for p in report.problems)
    with store.read() as s:
        assert s.get(ShipmentCancel, delivery_id).outcome == "refused"
    with store.write() as s:
        s.get(ShipmentLabel, delivery_id).carrier_status = "delivered"
        s.delete(s.get(ShipmentCancel, delivery_id))
        s.flush()
        with pytest.raises(Conflict, match="return"):
            cancel_delivery_shipment(s, delivery_id, "anna")
    runner.close()


def test_trackback_status_is_polled_no_faster_than_allowed(store, world):
    clock = Clock()
    runner = world.runner(store, clock=clock)
    _order, delivery_id = _delivered(store, world, runner)
    runner.run_once()                                    # booked; feed position taken
    feed = lambda: len([c for c in world.unifaun.calls_to("GET", r"/shipments$")
                        if c.query.get("fetchId") != "-1"])
    with store.read() as s:
        row = get_connection_row(s, "UNIFAUN")
        shipment_id = s.get(ShipmentLabel, delivery_id).shipment_id
        assert row.fetch_id is not None and row.next_fetch_at is not None
    world.unifaun.set_status(shipment_id, "DELIVERING")
    before = feed()
    clock.advance(10)
    runner.run_once()
    assert feed() == before                              # 300 s have not passed
    clock.advance(300)
    world.unifaun.min_delay_ms = 0
    report = runner.run_once()
    assert feed() == before + 1 and report.carrier_statuses == 1, report.problems
    with store.read() as s:
        assert s.get(ShipmentLabel, delivery_id).carrier_status == "delivering"
    # the carrier asks for a longer pause than ours: honoured
    world.unifaun.min_delay_ms = 900_000
    clock.advance(301)
    runner.run_once()
    with store.read() as s:
        wait = (get_connection_row(s, "UNIFAUN").next_fetch_at - clock()).total_seconds()
    assert 890 <= wait <= 900
    runner.close()


def test_stock_and_price_changes_queue_the_product_through_the_hook(store, world):
    assert mark_dirty in hooks.registered()
    tshirt = world.shop.p["TSHIRT"]
    with store.write() as s:
        top = s.scalar(select(PublishQueue.id).order_by(PublishQueue.id.desc()).limit(1)) or 0
        record_movements(s, [MovementIn(tshirt, world.shop.warehouse, pieces(5), "adjustment",
                                        None, None, "hook-test-1")])
        s.commit()
    with store.read() as s:
        queued = list(s.scalars(select(PublishQueue.product_id).where(PublishQueue.id > top)))
    assert queued == [tshirt]
    from core.pricing.lists import set_price
    with store.write() as s:
        retail = s.scalar(select(IntegrationConnection.price_list_code).limit(1))
        from core.pricing.models import PriceList
        pl = s.scalar(select(PriceList.id).where(PriceList.code == retail))
        set_price(s, pl, world.shop.p["MUGG"], 12300)
        s.commit()
    with store.read() as s:
        queued = list(s.scalars(select(PublishQueue.product_id).where(PublishQueue.id > top)))
    assert queued == [tshirt, world.shop.p["MUGG"]]
    runner = world.runner(store)
    report = runner.run_once()
    assert world.web1.stock("TSHIRT") is not None and report.ok, report.problems
    with store.read() as s:
        assert s.scalar(select(PublishQueue.id).where(PublishQueue.id > top)) is None
    runner.close()
