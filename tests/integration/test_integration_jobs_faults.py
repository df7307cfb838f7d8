"""Integration jobs under faults: dropped answers, 500s, 429s, hostile payloads, one shop down — nothing lost or doubled."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.integrations.models import IntegrationConnection, IntegrationLog, WebshopOrder
from core.orders.delivery import deliver
from core.orders.lifecycle import cancel_order
from core.orders.models import IntegrationTask, Order
from core.orders.service import lines_of
from core.quantity import pieces
from tests.integration_jobs_support import build_world, klarna_order


@pytest.fixture
def world(store):
    w = build_world(store)
    yield w
    w.stop()


def _links(store) -> list[WebshopOrder]:
    with store.read() as s:
        rows = list(s.scalars(select(WebshopOrder).order_by(WebshopOrder.id)))
        s.expunge_all()
        return rows


def _problems(store) -> list[str]:
    with store.read() as s:
        return [f"{r.job}: {r.message}" for r in s.scalars(select(IntegrationLog))]


def _deliver_all(store, order_id: str) -> None:
    with store.write() as s:
        deliver(s, order_id, {ln.id: ln.qty for ln in lines_of(s, order_id) if ln.kind == "product"},
                "lager")
        s.commit()


def test_dropped_answer_on_capture_never_captures_twice(store, world):
    kid = klarna_order(world, [("TSHIRT", 1, 19900)])
    world.web1.add_order([("TSHIRT", 1, "159.20", "25")], payment_reference=kid)
    runner = world.runner(store)
    runner.run_once()
    order_id = _links(store)[0].order_id
    _deliver_all(store, order_id)
    world.klarna.drop(after=True, times=5, method="POST", path="/captures$")
    runner.run_once()                       # every answer lost: the task stays open
    runner.run_once()                       # and again, with the same key
    for _ in range(3):
        runner.run_once()
    kl = world.klarna.orders[kid]
    assert len(kl["captures"]) == 1 and kl["captured_amount"] == 19900
    with store.read() as s:
        assert s.get(Order, order_id).payment_captured == 19900
        task = s.scalar(select(IntegrationTask).where(IntegrationTask.type == "capture_payment"))
        assert task.done_at is not None
    runner.close()


def test_dropped_answer_on_order_list_never_imports_twice(store, world):
    world.web1.add_order([("TSHIRT", 1, "159.20", "25")])
    world.web1.drop(after=True, times=1, method="GET", path="/orders$")
    runner = world.runner(store)
    runner.run_once()
    runner.run_once()
    assert len(_links(store)) == 1
    with store.read() as s:
        assert s.query(Order).count() == 1
    runner.close()


def test_shop_returning_500s_is_paused_and_the_other_shop_goes_on(store, world):
    world.web1.fail(500, times=50)
    world.web2.add_order([("MUGG", 1, "79.20", "25")])
    runner = world.runner(store)
    report = runner.run_once()
    assert report.imported == 1
    assert any("SHOP1" in p for p in report.problems)
    with store.read() as s:
        paused = s.scalar(select(IntegrationConnection.paused_until)
                          .where(IntegrationConnection.code == "SHOP1"))
        assert paused is not None
    assert any("paused" in p for p in _problems(store))
    runner.close()


@pytest.mark.parametrize("retry_after", [None, "1", "Wed, 21 Oct 2015 07:28:00 GMT", "garbage"])
def test_429_with_and_without_retry_after_never_crashes_or_loses_the_order(store, world, retry_after):
    sid = world.web1.add_order([("TSHIRT", 1, "159.20", "25")])
    world.web1.fail(429, times=10, retry_after=retry_after, method="GET", path="/orders$")
    runner = world.runner(store)
    first = runner.run_once()
    assert first.imported == 0 and first.problems
    with store.write() as s:  # the pause has passed
        s.scalar(select(IntegrationConnection).where(IntegrationConnection.code == "SHOP1")
                 ).paused_until = None
        s.commit()
    world.web1._faults.clear()
    second = runner.run_once()
    assert second.imported == 1
    assert [ln.shop_order_id for ln in _links(store)] == [str(sid)]
    runner.close()


def test_malformed_order_is_held_logged_and_imported_once_it_reads_well(store, world):
    good = world.web1.add_order([("TSHIRT", 1, "159.20", "25")])
    bad = world.web1.add_order([("MUGG", 1, "100.00", "25")])
    page = {"data": [
        {"orderId": good, "createdAt": "2026-05-04T10:00:00+02:00", "statusId": 1,
         "currencyCode": "SEK", "totalAmount": 159.2, "totalVat": 39.8, "amountToPay": 199,
         "items": {"data": [{"itemId": 1, "sku": "TSHIRT", "quantity": 1, "unitPrice": 159.2,
                             "vatRate": 25}]}},
        {"orderId": bad, "createdAt": "2026-05-04T10:00:00+02:00", "statusId": "one",
         "currencyCode": "SEK", "totalAmount": "x"},
        "not even an object",
    ], "meta": {"pagination": {"total_pages": 1}}}
    world.web1.reply(page, times=1, method="GET", path="/orders$")
    world.web1.reply({"data": {"orderId": bad, "items": 7}}, times=1, method="GET",
                     path=f"/orders/{bad}$")
    runner = world.runner(store)
    report = runner.run_once()
    assert report.imported == 1 and report.held >= 1      # the garbled row's position is held too
    held = next(ln for ln in _links(store) if ln.shop_order_id == str(bad))
    assert held.order_id is None and "statusId" in held.problems
    assert any(str(bad) in p for p in _problems(store))
    runner.run_once()                       # the shop answers properly now
    assert all(ln.order_id for ln in _links(store))
    runner.close()


def test_huge_page_and_wrong_types_are_refused_and_logged_not_crashed(store, world):
    world.web1.reply({"data": [{}] * 5000, "meta": {}}, times=2, method="GET", path="/orders$")
    runner = world.runner(store)
    report = runner.run_once()
    assert report.problems and report.imported == 0
    world.web1.reply(b"<html>oops</html>", status=200, times=2, method="GET", path="/orders$")
    report = runner.run_once()
    assert report.problems
    runner.close()


def test_line_changes_in_butik_are_written_back_to_the_shop(store, world):
    from core.orders.editing import add_line, change_line, remove_line
    from core.orders.pricing import LineIn

    sid = world.web1.add_order([("TSHIRT", 2, "159.20", "25"), ("MUGG", 1, "100.00", "25")])
    runner = world.runner(store)
    runner.run_once()
    order_id = _links(store)[0].order_id
    with store.write() as s:
        lines = {ln.sku: ln for ln in lines_of(s, order_id)}
        change_line(s, order_id, lines["TSHIRT"].id, "anna", qty=pieces(3))
        remove_line(s, order_id, lines["MUGG"].id, "anna")
        add_line(s, order_id, LineIn(sku="BOK", qty=pieces(1)), "anna")
        s.commit()
    world.web1.drop(after=True, times=1, method="POST", path="/items$")   # a lost answer on add
    runner.run_once()
    runner.run_once()
    items = {it["sku"]: it["quantity"] for it in world.web1.orders[sid]["items"]}
    assert items == {"TSHIRT": 3, "BOK": 1}
    runner.close()


def test_cancel_releases_the_klarna_authorisation_and_the_shop_is_told(store, world):
    kid = klarna_order(world, [("TSHIRT", 1, 19900)])
    sid = world.web1.add_order([("TSHIRT", 1, "159.20", "25")], payment_reference=kid)
    runner = world.runner(store)
    runner.run_once()
    with store.write() as s:
        cancel_order(s, _links(store)[0].order_id, "anna", "kunden ångrade sig")
        s.commit()
    runner.run_once()
    assert world.klarna.orders[kid]["status"] == "CANCELLED"
    assert world.web1.orders[sid]["statusId"] == world.web1.status_id("canceled")
    assert world.web1.status_changes[-1]["processPayment"] is False
    runner.close()


def test_expired_authorisation_is_shown_on_the_task_and_retried(store, world):
    kid = klarna_order(world, [("TSHIRT", 1, 19900)])
    world.web1.add_order([("TSHIRT", 1, "159.20", "25")], payment_reference=kid)
    world.klarna.expire(kid)
    runner = world.runner(store)
    runner.run_once()
    order_id = _links(store)[0].order_id
    _deliver_all(store, order_id)
    runner.run_once()
    with store.read() as s:
        task = s.scalar(select(IntegrationTask).where(IntegrationTask.type == "capture_payment"))
        assert task.done_at is None and "expired" in task.last_error and task.attempts == 1
    runner.run_once()
    with store.read() as s:
        task = s.scalar(select(IntegrationTask).where(IntegrationTask.type == "capture_payment"))
        assert task.attempts == 2
    runner.close()


def test_nets_partial_charge_of_the_delivered_lines(store, world):
    pid = world.nets.add_payment(39800, [])
    sid = world.web1.add_order([("TSHIRT", 2, "159.20", "25")], payment_method="nets",
                               payment_reference=pid)
    runner = world.runner(store)
    runner.run_once()
    order_id = _links(store)[0].order_id
    with store.write() as s:
        line = lines_of(s, order_id)[0]
        deliver(s, order_id, {line.id: pieces(1)}, "lager")
        s.commit()
    world.nets.drop(after=True, times=1, method="POST", path="/charges$")
    runner.run_once()
    payment = world.nets.payments[pid]
    assert payment["summary"].get("chargedAmount") == 19900 and len(payment["charges"]) == 1
    assert world.web1.orders[sid]["shippingTrackingNo"]
    runner.close()


def test_lost_booking_answer_is_found_in_the_feed_not_booked_twice(store, world):
    world.web1.add_order([("TSHIRT", 1, "159.20", "25")])
    runner = world.runner(store)
    runner.run_once()
    _deliver_all(store, _links(store)[0].order_id)
    world.unifaun.drop(after=True, times=1, method="POST", path="/shipments$")
    runner.run_once()                                    # booked, answer lost
    with store.write() as s:
        s.scalar(select(IntegrationConnection).where(IntegrationConnection.code == "UNIFAUN")
                 ).paused_until = None
        s.commit()
    runner.run_once()                                    # found by orderNo in the feed
    assert len(world.unifaun.shipments) == 1
    with store.read() as s:
        task = s.scalar(select(IntegrationTask).where(IntegrationTask.type == "book_shipment"))
        assert task.done_at is not None and task.result["tracking"]
    runner.close()
