"""Klarna client against the Klarna simulator over HTTP: partial capture, idempotency, release, refund, settlements."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from core.errors import ValidationError
from core.integrations.http import (
    VendorAuthError,
    VendorError,
    VendorPayloadError,
    VendorUnavailable,
    idempotency_key,
)
from core.integrations.klarna.client import KlarnaClient, OrderLine
from tests.simulators.klarna import KlarnaSimulator

MUG = OrderLine("MUG-1", "Mugg", 2, 24900, 49800, 2500, 9960)
TEA = OrderLine("TEA-9", "Te", 3, 5990, 17970, 1200, 1925)
SHIP = OrderLine("SHIP", "Frakt", 1, 4900, 4900, 2500, 980, type="shipping_fee")


@pytest.fixture
def sim():
    with KlarnaSimulator("PK1_x", "s3cret") as s:
        yield s


@pytest.fixture
def client(sim):
    c = KlarnaClient(sim.url, "PK1_x", "s3cret", retries=3, backoff=0.02, timeout=(2, 5))
    yield c
    c.http.close()


@pytest.fixture
def order_id(sim):
    return sim.add_order([line.to_json() for line in (MUG, TEA, SHIP)])


def test_partial_capture_sends_exactly_the_delivered_lines(sim, client, order_id):
    capture_id = client.capture(order_id, 49800 + 4900, lines=[MUG, SHIP],
                                idempotency_key=idempotency_key("klarna-capture", "DEL-1"),
                                reference="DEL-1")
    order = client.get_order(order_id)
    assert (order.status, order.captured_amount, order.remaining_authorized_amount) == (
        "PART_CAPTURED", 54700, 17970)
    assert order.capture_ids == [capture_id]
    [capture] = client.list_captures(order_id)
    assert capture.lines == [("MUG-1", 2, 49800), ("SHIP", 1, 4900)]
    assert capture.captured_amount == 54700 and capture.reference == "DEL-1"


def test_lines_that_do_not_add_up_are_refused_before_sending(sim, client, order_id):
    with pytest.raises(ValidationError) as err:
        client.capture(order_id, 50000, lines=[MUG], idempotency_key="k")
    assert err.value.field == "captured_amount"
    assert sim.calls_to("POST", "/captures$") == []


def test_same_idempotency_key_captures_once(sim, client, order_id):
    key = idempotency_key("klarna-capture", "DEL-7")
    first = client.capture(order_id, 49800, lines=[MUG], idempotency_key=key)
    again = client.capture(order_id, 49800, lines=[MUG], idempotency_key=key)
    assert first == again
    assert client.get_order(order_id).captured_amount == 49800


def test_dropped_answer_is_retried_and_never_double_captures(sim, client, order_id):
    sim.drop(method="POST", path="/captures$")     # Klarna captures, the answer is lost
    capture_id = client.capture(order_id, 49800, lines=[MUG], idempotency_key="DEL-9")
    assert len(sim.calls_to("POST", "/captures$")) == 2
    order = client.get_order(order_id)
    assert order.captured_amount == 49800 and order.capture_ids == [capture_id]


def test_lost_answer_then_our_own_retry_later_captures_once(sim, order_id):
    impatient = KlarnaClient(sim.url, "PK1_x", "s3cret", retries=0, timeout=(2, 5))
    sim.drop(method="POST", path="/captures$")
    with pytest.raises(VendorUnavailable):
        impatient.capture(order_id, 49800, lines=[MUG], idempotency_key="DEL-10")
    impatient.capture(order_id, 49800, lines=[MUG], idempotency_key="DEL-10")   # next round
    assert impatient.get_order(order_id).captured_amount == 49800


def test_expired_authorization_is_shown_with_klarnas_code(sim, client, order_id):
    sim.expire(order_id)
    with pytest.raises(VendorError) as err:
        client.capture(order_id, 49800, lines=[MUG], idempotency_key="k1")
    assert not isinstance(err.value, VendorAuthError)
    assert err.value.code == "CAPTURE_NOT_ALLOWED" and err.value.status == 403
    assert "expired" in str(err.value) and err.value.correlation_id


def test_over_capture_is_refused(sim, client, order_id):
    client.capture(order_id, 49800 + 17970 + 4900, idempotency_key="all")
    with pytest.raises(VendorError) as err:
        client.capture(order_id, 100, idempotency_key="more")
    assert err.value.code == "CAPTURE_NOT_ALLOWED"


def test_release_remaining_after_partial_delivery(sim, client, order_id):
    with pytest.raises(VendorError) as err:              # nothing captured yet
        client.release_remaining_authorization(order_id, idempotency_key="r0")
    assert err.value.code == "NOT_ALLOWED"
    client.capture(order_id, 49800, lines=[MUG], idempotency_key="c1")
    client.release_remaining_authorization(order_id, idempotency_key="r1")
    order = client.get_order(order_id)
    assert (order.status, order.remaining_authorized_amount, order.order_amount) == (
        "CAPTURED", 0, 49800)


def test_refund_on_credit_note(sim, client, order_id):
    client.capture(order_id, 49800, lines=[MUG], idempotency_key="c1")
    one_mug = OrderLine("MUG-1", "Mugg", 1, 24900, 24900, 2500, 4980)
    refund_id = client.refund(order_id, 24900, lines=[one_mug], idempotency_key="CN-1")
    assert refund_id and client.get_order(order_id).refunded_amount == 24900
    with pytest.raises(VendorError) as err:
        client.refund(order_id, 30000, idempotency_key="CN-2")
    assert err.value.code == "REFUND_NOT_ALLOWED"


def test_cancel_only_without_captures(sim, client, order_id):
    client.cancel(order_id, idempotency_key="x1")
    assert client.get_order(order_id).status == "CANCELLED"


def test_wrong_credentials(sim):
    c = KlarnaClient(sim.url, "PK1_x", "nope", backoff=0.01)
    with pytest.raises(VendorAuthError):
        c.get_order("anything")


def test_429_and_500_are_retried(sim, client, order_id):
    sim.fail(429, retry_after=1, path="/captures$")
    sim.fail(503, path="/captures$")
    started = time.monotonic()
    client.capture(order_id, 49800, idempotency_key="c-429")
    assert time.monotonic() - started >= 0.9
    assert client.get_order(order_id).captured_amount == 49800


def test_persistent_500_is_a_clear_error(sim, client, order_id):
    sim.fail(500, times=10)
    with pytest.raises(VendorUnavailable) as err:
        client.get_order(order_id)
    assert err.value.code == "INTERNAL_SERVER_ERROR"


def test_malformed_order_is_a_payload_error(sim, client, order_id):
    sim.reply({"order_id": order_id, "status": "AUTHORIZED", "order_amount": "1000 kr",
               "purchase_currency": "SEK"})
    with pytest.raises(VendorPayloadError) as err:
        client.get_order(order_id)
    assert "order_amount" in str(err.value)


def test_capture_answer_without_id_is_a_payload_error(sim, client, order_id):
    sim.reply(None, status=201, path="/captures$")
    with pytest.raises(VendorPayloadError):
        client.capture(order_id, 49800, idempotency_key="c-x")


def test_settlement_payouts_and_transactions_are_paged(sim, client):
    for day in range(1, 8):
        sim.add_payout(f"PAY{day}", f"2026-03-{day:02d}T06:00:00Z",
                       {"sale_amount": 100000 * day, "fee_amount": -2900, "settlement_amount":
                        100000 * day - 2900})
    for i in range(5):
        sim.add_transaction(type="SALE", amount=20000, order_id=f"o{i}", capture_id=f"c{i}",
                            payment_reference="PAY2", merchant_reference1=f"SO-{i}")
        sim.add_transaction(type="FEE", detailed_type="PURCHASE_FEE_PERCENTAGE", amount=-580,
                            order_id=f"o{i}", capture_id=f"c{i}", payment_reference="PAY2",
                            vat_amount=0, vat_rate=0)
    payouts = list(client.payouts(dt.datetime(2026, 3, 2), dt.datetime(2026, 3, 6, 23, 59), size=2))
    assert [p.payment_reference for p in payouts] == ["PAY2", "PAY3", "PAY4", "PAY5", "PAY6"]
    assert payouts[0].settlement_amount == 197100 and payouts[0].fee_amount == -2900
    rows = list(client.transactions(payment_reference="PAY2", size=3))
    assert len(rows) == 10
    assert sum(t.amount for t in rows if t.type == "SALE") == 100000
    assert sum(t.amount for t in rows if t.type == "FEE") == -2900
    assert len(sim.calls_to("GET", "/transactions$")) == 4


def test_hostile_settlement_paging_stops(sim, client):
    sim.reply({"payouts": [], "pagination": {"count": 0, "next": "http://x/?offset=0"}}, times=3)
    assert list(client.payouts(dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1))) == []
