"""Nets Easy client against the Nets simulator over HTTP: partial charge, idempotency, cancel, refund, payouts."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import ValidationError
from core.integrations.http import (
    VendorAuthError,
    VendorError,
    VendorPayloadError,
    VendorUnavailable,
    idempotency_key,
)
from core.integrations.nets.client import NetsClient, NetsItem
from tests.simulators.nets import NetsSimulator

KEY = "test-secret-key-abc"
MUG = NetsItem("MUG-1", "Mugg", 2, "st", 19920, 2500, 9960, 49800, 39840)
TEA = NetsItem("TEA-9", "Te", 3, "st", 5348, 1200, 1926, 17970, 16044)


@pytest.fixture
def sim():
    with NetsSimulator(KEY) as s:
        yield s


@pytest.fixture
def client(sim):
    c = NetsClient(sim.url, KEY, retries=3, backoff=0.02, timeout=(2, 5))
    yield c
    c.http.close()


@pytest.fixture
def payment_id(sim):
    return sim.add_payment(49800 + 17970, [MUG.to_json(), TEA.to_json()], reference="SO-1")


def test_partial_charge_of_exactly_the_delivered_items(sim, client, payment_id):
    charge_id = client.charge(payment_id, 49800, items=[MUG],
                              idempotency_key=idempotency_key("nets-charge", "DEL-1"),
                              tracking_number="69563053713SE", provider="PostNord")
    payment = client.get_payment(payment_id)
    assert (payment.charged, payment.reserved, payment.status) == (49800, 67770,
                                                                  "partially_charged")
    assert payment.charge_ids == [charge_id]
    sent = sim.calls_to("POST", "/charges$")[0].json()
    assert [i["reference"] for i in sent["orderItems"]] == ["MUG-1"] and sent["amount"] == 49800


def test_repeated_key_charges_once(sim, client, payment_id):
    first = client.charge(payment_id, 49800, items=[MUG], idempotency_key="DEL-2")
    assert client.charge(payment_id, 49800, items=[MUG], idempotency_key="DEL-2") == first
    assert client.get_payment(payment_id).charged == 49800


def test_same_key_other_amount_is_refused(sim, client, payment_id):
    client.charge(payment_id, 49800, items=[MUG], idempotency_key="DEL-3")
    with pytest.raises(VendorError) as err:
        client.charge(payment_id, 17970, items=[TEA], idempotency_key="DEL-3")
    assert err.value.code == "1026"


def test_dropped_answer_retried_never_double_charges(sim, client, payment_id):
    sim.drop(method="POST", path="/charges$")
    charge_id = client.charge(payment_id, 49800, items=[MUG], idempotency_key="DEL-4")
    assert len(sim.calls_to("POST", "/charges$")) == 2
    payment = client.get_payment(payment_id)
    assert payment.charged == 49800 and payment.charge_ids == [charge_id]


def test_items_must_add_up(sim, client, payment_id):
    with pytest.raises(ValidationError):
        client.charge(payment_id, 50000, items=[MUG], idempotency_key="k")
    with pytest.raises(ValidationError):
        client.charge(payment_id, 49800, items=[], idempotency_key="k")
    with pytest.raises(ValidationError):
        client.charge(payment_id, 49800, idempotency_key="x" * 65)
    assert sim.calls_to("POST", "/charges$") == []


def test_overcharge_and_expired_reservation_show_nets_codes(sim, client, payment_id):
    with pytest.raises(VendorError) as err:
        client.charge(payment_id, 99999, idempotency_key="over")
    assert err.value.code == "1001" and "OverCharge" in str(err.value)
    expired = sim.add_payment(1000, [], expired=True)
    with pytest.raises(VendorError) as err:
        client.charge(expired, 1000, idempotency_key="exp")
    assert err.value.code == "1010"


def test_cancel_the_rest_after_partial_charge(sim, client, payment_id):
    client.charge(payment_id, 49800, items=[MUG], idempotency_key="c1")
    client.cancel(payment_id, 17970)
    payment = client.get_payment(payment_id)
    assert (payment.cancelled, payment.status) == (17970, "charged")
    with pytest.raises(VendorError) as err:            # a repeat is refused, never doubled
        client.cancel(payment_id, 17970)
    assert err.value.code == "1019"


def test_cancel_after_charge_refused_when_nets_does_not_allow_it(sim, client, payment_id):
    sim.allow_cancel_after_charge = False
    client.charge(payment_id, 49800, items=[MUG], idempotency_key="c1")
    with pytest.raises(VendorError) as err:
        client.cancel(payment_id, 17970)
    assert err.value.code == "1007"


def test_refund_a_charge(sim, client, payment_id):
    charge_id = client.charge(payment_id, 49800, items=[MUG], idempotency_key="c1")
    refund_id = client.refund_charge(charge_id, 24900, idempotency_key="CN-1")
    assert client.refund_charge(charge_id, 24900, idempotency_key="CN-1") == refund_id
    assert client.get_payment(payment_id).refunded == 24900
    with pytest.raises(VendorError) as err:
        client.refund_charge(charge_id, 30000, idempotency_key="CN-2")
    assert err.value.code == "1009"


def test_field_errors_from_400(sim, client, payment_id):
    sim.reply({"errors": {"amount": ["The amount must be positive"]}}, status=400)
    with pytest.raises(VendorError) as err:
        client.charge(payment_id, 100, idempotency_key="f")
    assert err.value.field == "amount" and "must be positive" in str(err.value)


def test_wrong_key_and_missing_payment(sim, client):
    with pytest.raises(VendorAuthError):
        NetsClient(sim.url, "wrong", backoff=0.01).get_payment("0" * 32)
    from core.integrations.http import VendorNotFound
    with pytest.raises(VendorNotFound):
        client.get_payment("0" * 32)


def test_429_without_retry_after_and_500s(sim, client, payment_id):
    sim.fail(429, times=2)
    assert client.get_payment(payment_id).reserved == 67770
    sim.fail(500, times=10)
    with pytest.raises(VendorUnavailable):
        client.get_payment(payment_id)


def test_malformed_payment_is_a_payload_error(sim, client, payment_id):
    sim.reply({"payment": {"paymentId": payment_id, "orderDetails": {"amount": 12.5,
                                                                     "currency": "SEK"}}})
    with pytest.raises(VendorPayloadError) as err:
        client.get_payment(payment_id)
    assert "orderDetails.amount" in str(err.value)


def test_payouts_and_payment_actions_are_paged(sim, client):
    for day in range(1, 6):
        sim.add_payout(f"p{day}", f"2026-03-0{day}T05:00:00", 100000, [])
    actions = [{"id": f"a{i}", "paymentId": f"{i:032x}", "paymentAction": "Charge",
                "amount": 20000, "fee": 290, "currency": "SEK", "invoiceNumber": f"SO-{i}"}
               for i in range(7)]
    sim.add_payout("big", "2026-03-03T05:00:00", 138000, actions)
    got = list(client.payouts(dt.date(2026, 3, 2), dt.date(2026, 3, 4), page_size=2))
    assert [p.id for p in got] == ["p2", "p3", "p4", "big"]
    payout, rows = client.payout_details("big", page_size=3)
    assert payout.fees == 7 * 290 and len(rows) == 7
    assert sum(a.amount for a in rows) == 140000 and rows[0].invoice_number == "SO-0"
    assert len(sim.calls_to("GET", "/payouts/big$")) == 3


def test_hostile_payout_count_stops(sim, client):
    sim.reply({"numberOfPayouts": 10**9, "payouts": []})
    assert list(client.payouts(dt.date(2026, 1, 1), dt.date(2026, 1, 2))) == []
