"""Starweb client under injected faults: 429s, 5xx, dropped answers, malformed and hostile payloads."""

from __future__ import annotations

import time

import pytest

from core.integrations.http import VendorPayloadError, VendorUnavailable
from core.integrations.starweb.client import StarwebClient
from tests.simulators.starweb import StarwebSimulator


@pytest.fixture
def sim():
    with StarwebSimulator("cid", "csecret") as s:
        yield s


@pytest.fixture
def client(sim):
    c = StarwebClient(sim.url + "/api/v2", "cid", "csecret", retries=3, backoff=0.05,
                      max_retry_after=5, timeout=(2, 5))
    c.token()
    yield c
    c.http.close()


def test_429_with_retry_after_waits_that_long_then_succeeds(sim, client):
    sim.add_order([("A", 1, "10", "25")])
    sim.fail(429, retry_after=1, path="/orders$")
    started = time.monotonic()
    assert len(client.list_orders().orders) == 1
    assert time.monotonic() - started >= 0.9
    assert len(sim.calls_to("GET", "/orders$")) == 2


def test_429_without_retry_after_backs_off_and_succeeds(sim, client):
    sim.fail(429, times=2, path="/orders$")
    assert client.list_orders().orders == []
    assert len(sim.calls_to("GET", "/orders$")) == 3


def test_garbled_retry_after_does_not_crash(sim, client):
    sim.fail(429, retry_after="soon-ish", path="/orders$")
    assert client.list_orders().orders == []


def test_huge_retry_after_is_capped(sim, client):
    sim.fail(503, retry_after=86400, path="/orders$")
    started = time.monotonic()
    client.list_orders()
    assert time.monotonic() - started < 6


def test_500s_are_retried_then_a_clear_error(sim, client):
    sim.fail(500, times=10, path="/orders$")
    with pytest.raises(VendorUnavailable) as err:
        client.list_orders()
    assert err.value.status == 500 and "Starweb" in str(err.value)
    assert len(sim.calls_to("GET", "/orders$")) == 4          # 1 + 3 retries


def test_500_then_success(sim, client):
    sim.add_order([("A", 1, "10", "25")])
    sim.fail(502, times=2, path="/orders$")
    assert len(client.list_orders().orders) == 1


def test_dropped_answer_on_a_read_is_retried(sim, client):
    sim.add_order([("A", 1, "10", "25")])
    sim.drop(path="/orders$")
    assert len(client.list_orders().orders) == 1


def test_dropped_answer_on_add_item_is_not_repeated(sim, client):
    from core.integrations.http import OutcomeUnknown
    oid = sim.add_order([("A", 1, "10", "25")])
    sim.drop(method="POST", path="/items$")
    with pytest.raises(OutcomeUnknown):
        client.add_order_item(oid, "B", 1, 1000, 2500)
    assert len(sim.calls_to("POST", "/items$")) == 1          # never sent twice
    assert len(sim.orders[oid]["items"]) == 2                 # the shop did add it: reconcile


def test_stock_put_retried_after_dropped_answer(sim, client):
    sim.add_product("S-1")
    variant = client.find_variant("S-1")
    sim.drop(method="PUT", path="/stocks/1$")
    client.set_stock(variant, 1, 5, 1)
    assert sim.stock("S-1") == 5


def test_not_json_is_a_payload_error(sim, client):
    sim.reply(b"<html>Bad gateway</html>", path="/orders$")
    with pytest.raises(VendorPayloadError) as err:
        client.list_orders()
    assert "not JSON" in str(err.value)


def test_one_malformed_order_is_reported_and_the_others_kept(sim, client):
    good = sim.add_order([("A", 1, "10", "25")])
    page = client.list_orders()
    raw = [{"orderId": 1, "createdAt": "2026-01-01T00:00:00Z", "statusId": 1,
            "currencyCode": "SEK", "totalAmount": 10, "totalVat": 2.5, "amountToPay": 12.5,
            "items": {"data": [{"itemId": 1, "sku": "A", "quantity": "two",
                                "unitPrice": 10, "vatRate": 25}]}},
           {"orderId": 2, "statusId": 1},                       # missing createdAt and money
           "not an order"]
    sim.reply({"data": raw + [{"orderId": good, **_rendered(sim, good)}],
               "meta": {"pagination": {"total_pages": 1}}}, path="/orders$")
    page = client.list_orders()
    assert [o.order_id for o in page.orders] == [good]
    assert [ident for ident, _ in page.problems] == [1, 2, 2]
    assert "items[0].quantity" in str(page.problems[0][1])
    assert "createdAt is missing" in str(page.problems[1][1])


def _rendered(sim, oid):
    return sim._render_order(sim.orders[oid], {"items", "customer", "addresses"})


def test_huge_page_is_refused_cleanly(sim, client):
    sim.reply({"data": [{"orderId": i} for i in range(5000)]}, path="/orders$")
    with pytest.raises(VendorPayloadError) as err:
        client.list_orders()
    assert "5000 entries" in str(err.value)


def test_hostile_pagination_stops(sim, client):
    sim.add_order([("A", 1, "10", "25")])
    sim.reply({"data": [], "meta": {"pagination": {"total_pages": 10**9}}}, times=5,
              path="/orders$")
    pages = list(client.iter_order_pages())
    assert len(pages) == 1 and pages[0].orders == []


def test_too_large_answer_is_refused(sim):
    c = StarwebClient(sim.url + "/api/v2", "cid", "csecret", backoff=0.01)
    c.http.max_response_bytes = 10_000
    sim.reply({"data": [], "junk": "x" * 50_000}, path="/orders$")
    with pytest.raises(VendorPayloadError):
        c.list_orders()


def test_shop_down_is_unavailable_not_a_crash():
    c = StarwebClient("http://127.0.0.1:9/api/v2", "cid", "csecret", retries=1, backoff=0.01,
                      timeout=(0.5, 1))
    with pytest.raises(VendorUnavailable) as err:
        c.list_orders()
    assert "could not be reached" in str(err.value)
