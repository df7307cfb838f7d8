"""Integration jobs against the simulators over HTTP: import, write-back, capture, shipment, stock, two shops."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.integrations.models import IntegrationLog, PublishQueue, ShipmentLabel, WebshopOrder
from core.integrations.starweb.stock_out import mark_dirty
from core.inventory import MovementIn, record_movements
from core.orders.delivery import deliver
from core.orders.models import Delivery, IntegrationTask, Order
from core.orders.service import lines_of
from core.quantity import pieces
from tests.integration_jobs_support import build_world, klarna_order
from tests.orders_support import reserved


@pytest.fixture
def world(store):
    w = build_world(store)
    yield w
    w.stop()


def _order(store, shop_order_id, connection_code_id=None) -> Order:
    with store.read() as s:
        link = s.scalar(select(WebshopOrder).where(WebshopOrder.shop_order_id == str(shop_order_id)))
        assert link is not None and link.order_id is not None, link and link.problems
        order = s.get(Order, link.order_id)
        s.expunge(order)
        return order


def test_order_is_imported_matched_reserved_and_the_shop_sees_our_number(store, world):
    kid = klarna_order(world, [("TSHIRT", 2, 19900)])
    sid = world.web1.add_order([("TSHIRT", 2, "159.20", "25")], payment_reference=kid)
    runner = world.runner(store)
    report = runner.run_once()
    assert report.imported == 1 and report.flagged == 0, report.problems
    order = _order(store, sid)
    assert order.status == "confirmed"
    assert order.customer_id == world.shop.c["anna"]           # matched on the e-mail
    assert order.total_gross == 39800 and order.payment_authorised == 39800
    assert order.payment_provider == "klarna" and order.payment_reference == kid
    assert reserved(store, world.shop.p["TSHIRT"], world.shop.warehouse) == pieces(2)
    services = world.web1.orders[sid]["externalServices"]
    assert services == [{"serviceName": "Butik", "externalIdValue": str(order.number),
                         "readOnly": False}]
    # a second round imports nothing twice
    again = runner.run_once()
    assert again.imported == 0
    with store.read() as s:
        assert s.query(Order).count() == 1
    runner.close()


def test_partial_delivery_captures_those_lines_books_a_shipment_and_tells_the_shop(store, world):
    kid = klarna_order(world, [("TSHIRT", 2, 19900), ("MUGG", 1, 12500)])
    sid = world.web1.add_order([("TSHIRT", 2, "159.20", "25"), ("MUGG", 1, "100.00", "25")],
                               payment_reference=kid)
    runner = world.runner(store)
    runner.run_once()
    order = _order(store, sid)
    with store.write() as s:
        tshirt = next(ln for ln in lines_of(s, order.id) if ln.sku == "TSHIRT")
        deliver(s, order.id, {tshirt.id: pieces(1)}, "lager")
        s.commit()
    report = runner.run_once()
    assert report.payments_done == 1 and report.shipments == 1, report.problems
    kl = world.klarna.orders[kid]
    assert kl["captured_amount"] == 19900 and kl["status"] == "PART_CAPTURED"
    assert [ln["reference"] for ln in kl["captures"][0]["order_lines"]] == ["TSHIRT"]
    with store.read() as s:
        delivery = s.scalar(select(Delivery).where(Delivery.order_id == order.id))
        label = s.get(ShipmentLabel, delivery.id)
        assert delivery.tracking_number and label.pdf.startswith(b"%PDF-")
        assert s.get(Order, order.id).payment_captured == 19900
        tracking = delivery.tracking_number
    shop_order = world.web1.orders[sid]
    assert shop_order["shippingTrackingNo"] == tracking
    assert world.web1.status_changes[-1] == {"orderId": sid, "statusId": world.web1.status_id("picking"),
                                             "processPayment": False, "sendEmail": True}
    # a further round captures nothing more
    runner.run_once()
    assert len(world.klarna.orders[kid]["captures"]) == 1
    runner.close()


def test_stock_published_drops_after_a_pos_sale_within_one_run(store, world):
    runner = world.runner(store)
    runner.run_once()
    assert world.web1.stock("MUGG", 1) == 10
    assert world.web2.stock("MUGG", 4) is None or world.web2.stock("MUGG", 4) == 0
    with store.write() as s:
        record_movements(s, [MovementIn(world.shop.p["MUGG"], world.shop.warehouse, -pieces(3),
                                        "sale", "receipt", "r1", "sale:r1:MUGG")])
        s.commit()
    report = runner.run_once()
    assert report.stock_sent >= 2, report.problems   # MUGG, and the SET made of it
    assert world.web1.stock("MUGG", 1) == 7
    assert world.web1.stock("SET", 1) == 3       # 1 TSHIRT + 2 MUGG per set: min(10, 7 // 2)
    runner.close()


def test_two_shops_publish_their_own_price_list_and_stock_location(store, world):
    with store.write() as s:
        record_movements(s, [MovementIn(world.shop.p["MUGG"], world.outlet, pieces(5), "initial",
                                        None, None, "init:outlet:MUGG")])
        s.commit()
    runner = world.runner(store)
    runner.run_once()
    assert world.web1.stock("MUGG", 1) == 10
    assert world.web2.stock("MUGG", 4) == 3          # 5 on hand − buffer 2
    assert float(world.web1.price("MUGG", 1)["priceExVat"]) == 100.00     # 125 incl. 25 %
    assert float(world.web2.price("MUGG", 7)["priceExVat"]) == 79.20      # 99 incl. 25 %
    kid = klarna_order(world, [("MUGG", 1, 9900)])
    sid2 = world.web2.add_order([("MUGG", 1, "79.20", "25")], payment_reference=kid)
    runner.run_once()
    order = _order(store, sid2)
    assert order.location_id == world.outlet and order.total_gross == 9900
    assert reserved(store, world.shop.p["MUGG"], world.outlet) == pieces(1)
    runner.run_once()
    assert world.web2.stock("MUGG", 4) == 2
    runner.close()


def test_unknown_sku_order_is_imported_and_flagged_all_unknown_is_held(store, world):
    sid = world.web1.add_order([("TSHIRT", 1, "159.20", "25"), ("NOPE-1", 1, "10", "25")])
    held = world.web1.add_order([("NOPE-2", 1, "10", "25")])
    runner = world.runner(store)
    report = runner.run_once()
    assert report.imported == 1 and report.flagged == 1 and report.held == 1
    assert "NOPE-1" in (_order(store, sid).note or "")
    with store.read() as s:
        link = s.scalar(select(WebshopOrder).where(WebshopOrder.shop_order_id == str(held)))
        assert link.order_id is None and "catalogue" in link.problems
        assert s.scalar(select(IntegrationLog).where(IntegrationLog.ref == str(held))) is not None
    runner.close()


def test_mark_dirty_queues_products_and_the_queue_is_emptied_after_publishing(store, world):
    runner = world.runner(store)
    runner.run_once()
    with store.write() as s:
        mark_dirty(s, [world.shop.p["BOK"]])
        s.commit()
    runner.run_once()
    with store.read() as s:
        assert s.query(PublishQueue).count() == 0
        assert s.query(IntegrationTask).count() == 0
    runner.close()
