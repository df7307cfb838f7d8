"""Starweb client against the Starweb simulator over real HTTP: token, orders, money, write-backs, catalogue."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import ValidationError
from core.integrations.http import VendorAuthError, VendorError, VendorNotFound
from core.integrations.starweb.client import StarwebClient, parse_order
from tests.simulators.starweb import StarwebSimulator


@pytest.fixture
def sim():
    with StarwebSimulator("cid", "csecret") as s:
        yield s


@pytest.fixture
def client(sim):
    c = StarwebClient(sim.url + "/api/v2", "cid", "csecret", backoff=0.01, timeout=(2, 5))
    yield c
    c.http.close()


def test_token_is_fetched_once_and_cached(sim, client):
    client.order_statuses()
    client.order_statuses()
    assert sim.tokens_issued == 1
    assert len(sim.calls_to("POST", "/token$")) == 1


def test_token_renewed_before_expiry(sim):
    now = [0.0]
    c = StarwebClient(sim.url + "/api/v2", "cid", "csecret", clock=lambda: now[0], backoff=0.01)
    c.order_statuses()
    now[0] = 3600 - 30          # inside the renewal margin
    c.order_statuses()
    assert sim.tokens_issued == 2


def test_revoked_token_renewed_once_on_401(sim, client):
    client.order_statuses()
    sim.expire_tokens()
    assert client.order_statuses()["completed"] == 3
    assert sim.tokens_issued == 2


def test_wrong_secret_is_a_clear_error(sim):
    c = StarwebClient(sim.url + "/api/v2", "cid", "wrong", backoff=0.01)
    with pytest.raises(VendorError) as err:
        c.order_statuses()
    assert err.value.code == "invalid_client"
    assert "Starweb" in str(err.value) and "invalid" in str(err.value)


def test_list_orders_converts_major_units_to_ore_exactly(sim, client):
    oid = sim.add_order([("MUG-1", 2, "199.2", "25"), ("TEA-9", 3, "15.99", "12")],
                        shipping_cost="49")
    page = client.list_orders()
    assert page.problems == [] and page.total_pages == 1
    order = page.orders[0]
    assert order.order_id == oid
    assert [(i.sku, i.quantity, i.unit_price_ex_vat, i.vat_rate_bp) for i in order.items] == [
        ("MUG-1", 2, 19920, 2500), ("TEA-9", 3, 1599, 1200)]
    net = 2 * 19920 + 3 * 1599 + 4900                 # 49 114 öre
    vat = 9960 + 576 + 1225                           # 25 % of 398.40, 12 % of 47.97, 25 % of 49
    assert (order.total_ex_vat, order.total_vat, order.amount_to_pay) == (net, vat, net + vat)
    assert order.addresses["customerDelivery"].city == "Göteborg"
    assert order.email == "anna@example.se"
    assert order.created_at.tzinfo is None


def test_paging_and_created_after(sim, client):
    sim.per_page = 3
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ids = [sim.add_order([("A", 1, "10", "25")], created_at=t0 + dt.timedelta(minutes=i))
           for i in range(8)]
    got = [o.order_id for p in client.iter_order_pages() for o in p.orders]
    assert got == ids
    after = dt.datetime(2026, 1, 1, 0, 4)             # naive UTC
    got = [o.order_id for p in client.iter_order_pages(created_after=after) for o in p.orders]
    assert got == ids[5:]


def test_incomplete_payments_are_not_listed(sim, client):
    sim.add_order([("A", 1, "10", "25")], complete=False)
    assert client.list_orders().orders == []


def test_status_change_never_lets_the_shop_capture(sim, client):
    oid = sim.add_order([("A", 1, "10", "25")])
    statuses = client.order_statuses()
    client.update_order(oid, status_id=statuses["completed"], tracking_no="69563053713SE",
                        tracker_type=1)
    assert sim.status_changes == [{"orderId": oid, "statusId": 3, "processPayment": False,
                                   "sendEmail": True}]
    assert sim.orders[oid]["shippingTrackingNo"] == "69563053713SE"


def test_unknown_status_is_refused_with_the_vendor_message(sim, client):
    oid = sim.add_order([("A", 1, "10", "25")])
    with pytest.raises(VendorError) as err:
        client.update_order(oid, status_id=99)
    assert err.value.code == "invalid_status" and err.value.status == 400


def test_external_reference_upserts_and_repeats_safely(sim, client, caplog):
    oid = sim.add_order([("A", 1, "10", "25")])
    with caplog.at_level("WARNING", logger="core.integrations"):
        client.set_external_reference(oid, "Butik", "SO-1001")
    assert caplog.records == []  # "not there yet" is the usual case, not a failure to log
    client.set_external_reference(oid, "Butik", "SO-1001")
    assert sim.orders[oid]["externalServices"] == [
        {"serviceName": "Butik", "externalIdValue": "SO-1001", "readOnly": False}]
    assert client.get_order(oid).external_refs == {"Butik": "SO-1001"}


def test_order_lines_written_back(sim, client):
    oid = sim.add_order([("A", 2, "10", "25"), ("B", 1, "5", "25")])
    first, second = (i.item_id for i in client.get_order(oid).items)
    client.update_order_item(oid, first, quantity=1)
    client.delete_order_item(oid, second)
    new_id = client.add_order_item(oid, "C", 3, 1250, 2500)
    items = client.get_order(oid).items
    assert [(i.item_id, i.sku, i.quantity, i.unit_price_ex_vat) for i in items] == [
        (first, "A", 1, 1000), (new_id, "C", 3, 1250)]


def test_missing_order_is_not_found(client):
    with pytest.raises(VendorNotFound):
        client.get_order(424242)


def test_stock_and_price_per_location_and_pricelist(sim, client):
    sim.add_product("SHIRT-S", "SHIRT-M")
    sim.pricelists[2] = {"pricelistId": 2, "name": "B2B", "currencyCode": "SEK"}
    sim.stock_locations[2] = {"stockLocationId": 2}
    variant = client.find_variant("SHIRT-M")
    assert variant is not None and variant.sku == "SHIRT-M"
    client.set_stock(variant, 2, 7, 1)
    client.set_price(variant, 2, 15920)
    assert sim.stock("SHIRT-M", 2) == 7 and sim.stock("SHIRT-S", 2) is None
    assert sim.price("SHIRT-M", 2) == {"pricelistId": 2, "priceExVat": 159.2,
                                       "specialPriceExVat": None}
    raw = sim.calls_to("PUT", "/prices/2$")[-1].body
    assert b'"priceExVat": 159.20' in raw   # exact decimal digits on the wire, never a float


def test_unknown_sku_and_bad_sku(sim, client):
    assert client.find_variant("NOPE-1") is None
    with pytest.raises(ValidationError) as err:
        client.find_variant("bad sku")
    assert err.value.field == "sku"


def test_unknown_stock_location_is_404(sim, client):
    sim.add_product("X-1")
    with pytest.raises(VendorNotFound):
        client.set_stock(client.find_variant("X-1"), 77, 1, 1)


def test_parse_order_refuses_wrong_types_naming_the_field():
    raw = {"orderId": 5, "createdAt": "2026-01-01T10:00:00+02:00", "statusId": 1,
           "currencyCode": "SEK", "totalAmount": "lots", "totalVat": 1, "amountToPay": 1}
    with pytest.raises(VendorError) as err:
        parse_order(raw)
    assert "order 5.totalAmount" in str(err.value)


def test_wrong_credentials_shape_refused_before_any_call():
    with pytest.raises(ValidationError):
        StarwebClient("http://127.0.0.1:1/api/v2", "", "x")
    assert VendorAuthError.__mro__[1] is VendorError
