"""Unifaun client against the Unifaun simulator over HTTP: book, label PDF, cancel, TrackBack, faults."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from core.errors import ValidationError
from core.integrations.http import (
    OutcomeUnknown,
    VendorAuthError,
    VendorError,
    VendorNotFound,
    VendorPayloadError,
    VendorUnavailable,
)
from core.integrations.unifaun.client import Parcel, Party, UnifaunClient
from tests.simulators.unifaun import UnifaunSimulator

KEY_ID, SECRET = "K" * 16, "S" * 24
SENDER = Party("Butik AB", "Skeppsbron 5", "41121", "GÖTEBORG", "SE", phone="+46317253500")
RECEIVER = Party("Anna Svensson", "Storgatan 1", "113 59", "STOCKHOLM", "SE",
                 email="anna@example.se")


@pytest.fixture
def sim():
    with UnifaunSimulator(KEY_ID, SECRET) as s:
        yield s


@pytest.fixture
def client(sim):
    c = UnifaunClient(sim.url + "/rs-extapi/v1", KEY_ID, SECRET, retries=3, backoff=0.02,
                      timeout=(2, 5))
    yield c
    c.http.close()


def book(client, **kw):
    args = dict(sender=SENDER, receiver=RECEIVER, service_id="P15",
                parcels=[Parcel(2750, copies=2, contents="Muggar")], order_no="SO-1001",
                sender_reference="DEL-1")
    return client.create_shipment(**{**args, **kw})


def test_book_shipment_gives_tracking_numbers_and_a_real_label(sim, client):
    shipment = book(client)
    assert shipment.status == "printed" and shipment.order_no == "SO-1001"
    assert len(shipment.tracking_numbers) == 2
    assert all(t.endswith("SE") for t in shipment.tracking_numbers)
    pdf = client.label_pdf(shipment.id, shipment.pdf_ids[0])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert shipment.tracking_numbers[0] in text
    sent = sim.calls_to("POST", "/shipments$")[0].body
    assert b'"weight": 2.75' in sent and b'"copies": 2' in sent


def test_inline_pdf(sim, client):
    shipment = book(client, inline_pdf=True)
    assert shipment.inline_pdfs[shipment.pdf_ids[0]].startswith(b"%PDF-")


def test_basic_auth_also_works(sim):
    c = UnifaunClient(sim.url + "/rs-extapi/v1", KEY_ID, SECRET, basic_auth=True)
    assert book(c).tracking_numbers


def test_validation_errors_list_each_field(sim, client):
    bad = Party("Anna", "Gatan 1", "ABC", "STOCKHOLM", "SE")
    with pytest.raises(VendorError) as err:
        book(client, receiver=bad, service_id="NOPE")
    assert err.value.status == 422
    assert "Shipment_Service" in str(err.value) and "Address_Zipcode" in str(err.value)
    assert sim.shipments == {}


def test_unknown_media_refused_locally(client):
    with pytest.raises(ValidationError):
        book(client, media="a3-poster")


def test_label_expires_after_an_hour(sim, client):
    shipment = book(client)
    sim.pdf_ttl = 0.0
    with pytest.raises(VendorNotFound) as err:
        client.label_pdf(shipment.id, shipment.pdf_ids[0])
    assert "one hour" in str(err.value)


def test_label_that_is_not_a_pdf(sim, client):
    shipment = book(client)
    sim.reply(b"<html>oops</html>", path="/pdfs/")
    with pytest.raises(VendorPayloadError):
        client.label_pdf(shipment.id, shipment.pdf_ids[0])


def test_cancel_shipment_twice_is_fine(sim, client):
    shipment = book(client)
    client.cancel_shipment(shipment.id)
    assert sim.shipments[shipment.id]["status"] == "CANCELLED"
    client.cancel_shipment("999999")          # unknown → already gone


def test_missing_licence_is_an_auth_error(sim, client):
    sim.licences.discard("discard")
    shipment = book(client)
    with pytest.raises(VendorAuthError) as err:
        client.cancel_shipment(shipment.id)
    assert err.value.status == 403


def test_trackback_feed_batches_and_min_delay(sim, client):
    start = client.fetch_status("-1")
    assert start.shipments == [] and start.done
    ids = [book(client, order_no=f"SO-{i}").id for i in range(150)]
    sim.set_status(ids[0], "DELIVERED")
    first = client.fetch_status(start.fetch_id)
    assert not first.done and len(first.shipments) == 100
    second = client.fetch_status(first.fetch_id)
    assert second.done and len(second.shipments) == 51
    assert second.shipments[-1].status == "delivered" and second.shipments[-1].id == ids[0]
    sim.min_delay_ms = 60_000
    too_soon = client.fetch_status(second.fetch_id)
    assert too_soon.shipments == [] and too_soon.min_delay_ms > 50_000
    assert too_soon.fetch_id == second.fetch_id


def test_lost_booking_answer_is_never_rebooked(sim, client):
    sim.drop(method="POST", path="/shipments$")
    with pytest.raises(OutcomeUnknown):
        book(client)
    assert len(sim.calls_to("POST", "/shipments$")) == 1 and len(sim.shipments) == 1
    # the caller reconciles through the feed by orderNo instead of booking again
    feed = client.fetch_status("0")
    assert [s.order_no for s in feed.shipments] == ["SO-1001"]


def test_booking_retried_on_429_but_not_on_500(sim, client):
    sim.fail(429, method="POST", retry_after=0)
    assert book(client).tracking_numbers
    sim.fail(500, method="POST", times=5)
    with pytest.raises(VendorUnavailable):
        book(client)
    assert len(sim.calls_to("POST", "/shipments$")) == 3   # 429 + ok + one 500, not retried
    assert len(sim.shipments) == 1


def test_malformed_trackback_is_a_payload_error(sim, client):
    sim.reply({"fetchId": 7, "done": "maybe", "shipments": []})
    with pytest.raises(VendorPayloadError):
        client.fetch_status("0")
    sim.reply({"fetchId": "1", "done": True, "shipments": [{"status": "PRINTED"}]})
    with pytest.raises(VendorPayloadError) as err:
        client.fetch_status("0")
    assert "shipments[0].id" in str(err.value)
