"""Gift cards on the server: sold then redeemed through pushed receipts (both intake paths), the
balance endpoint, and an offline redemption past the balance accepted and listed."""

from __future__ import annotations

import uuid

import pytest
import requests
from sqlalchemy import select

from core.auth.service import Principal, add_user, create_enrolment_code, enrol, login
from core.db import open_store
from core.sales.giftcard_models import GiftCard, GiftCardException
from server.embedded import EmbeddedServer
from server.intake import _one_by_one, apply_events
from tests.integration.test_inventory import add_location, add_product
from tests.sync_support import receipt_body

DEVICE = Principal("device", "00000000-0000-4000-8000-000000000001", "Kassa 1",
                   device_kind="pos", register_code="K1")




@pytest.fixture
def shop(db):
    with db.write() as s:
        loc = add_location(s, "BUTIK")
        product = add_product(s)
        s.commit()
    return {"loc": loc, "product": product}


_numbers = iter(range(1, 1_000_000))


def receipt(shop, *, sold=(), paid=(), kind="sale") -> tuple:
    """A receipt event: one article for 10 kr, gift cards `sold` [(code, öre)], `paid` [(code, öre)]."""
    body = receipt_body(register_code="K1", location_id=shop["loc"], number=next(_numbers),
                        kind=kind, lines=[(shop["product"], "SKU", 1000, 1000)])
    if sold:
        body["gift_cards"] = [{"code": c, "amount": a} for c, a in sold]
        body["total"] += sum(a for _, a in sold)
    body["payments"] = ([{"method": "gift_card", "amount": a, "reference": c} for c, a in paid]
                        + [{"method": "card", "amount": body["total"] - sum(a for _, a in paid),
                            "reference": None}])
    return (str(uuid.uuid4()), "receipt", body, None)


def card(db, code):
    with db.read() as s:
        row = s.get(GiftCard, code)
        return None if row is None else (row.initial_amount, row.balance, row.issued_receipt_id)


def listed(db):
    with db.read() as s:
        return [(e.code, e.kind, e.amount, e.balance_after)
                for e in s.scalars(select(GiftCardException).order_by(GiftCardException.id))]


def test_sold_then_redeemed_in_the_same_and_later_batches(db, shop):
    sale = receipt(shop, sold=[("GC-1", 50_000), ("GC-2", 20_000)])
    spend = receipt(shop, paid=[("GC-1", 12_000)])
    out = apply_events(db, DEVICE, [sale, spend])
    assert [o["status"] for o in out] == ["applied", "applied"]
    assert card(db, "GC-1") == (50_000, 38_000, sale[2]["receipt_id"])
    assert card(db, "GC-2") == (20_000, 20_000, sale[2]["receipt_id"])
    # a replay moves nothing again
    assert apply_events(db, DEVICE, [spend])[0]["status"] == "replayed"
    assert card(db, "GC-1")[1] == 38_000
    # two redemptions of one card in one later batch are summed
    apply_events(db, DEVICE, [receipt(shop, paid=[("GC-1", 8_000)]),
                              receipt(shop, paid=[("GC-1", 30_000), ("GC-2", 1_000)])])
    assert card(db, "GC-1")[1] == 0 and card(db, "GC-2")[1] == 19_000
    assert listed(db) == []


def test_training_and_rejected_receipts_move_no_balance(db, shop):
    apply_events(db, DEVICE, [receipt(shop, sold=[("GC-T", 10_000)], kind="training")])
    assert card(db, "GC-T") is None
    bad = receipt(shop, sold=[("GC-B", 10_000)])
    bad[2]["location_id"] = 999_999
    assert apply_events(db, DEVICE, [bad])[0]["status"] == "rejected"
    assert card(db, "GC-B") is None


def test_offline_redemption_past_the_balance_is_accepted_and_listed(db, shop):
    apply_events(db, DEVICE, [receipt(shop, sold=[("GC-9", 10_000)])])
    over = receipt(shop, paid=[("GC-9", 15_000)])
    assert apply_events(db, DEVICE, [over])[0]["status"] == "applied"
    assert card(db, "GC-9")[1] == -5_000
    assert listed(db) == [("GC-9", "negative", 15_000, -5_000)]
    # redeemed before its sale arrived: negative, then settled when the sale comes in
    apply_events(db, DEVICE, [receipt(shop, paid=[("GC-LATE", 3_000)])])
    assert card(db, "GC-LATE") == (0, -3_000, None)
    apply_events(db, DEVICE, [receipt(shop, sold=[("GC-LATE", 5_000)])])
    assert card(db, "GC-LATE")[:2] == (5_000, 2_000)


def test_a_code_sold_twice_is_listed(db, shop):
    apply_events(db, DEVICE, [receipt(shop, sold=[("GC-D", 1_000)])])
    apply_events(db, DEVICE, [receipt(shop, sold=[("GC-D", 2_000)])])
    assert card(db, "GC-D")[:2] == (3_000, 3_000)
    assert [(c, k) for c, k, *_ in listed(db)] == [("GC-D", "sold_twice")]


def test_one_by_one_path_applies_gift_cards_too(db, shop):
    sale, spend = receipt(shop, sold=[("GC-O", 40_000)]), receipt(shop, paid=[("GC-O", 45_000)])

    def work():
        with db.write() as s:
            out = _one_by_one(s, DEVICE, [(0, sale), (1, spend)])
            s.commit()
        return out
    assert [o["status"] for o in work().values()] == ["applied", "applied"]
    assert card(db, "GC-O") == (40_000, -5_000, sale[2]["receipt_id"])
    assert listed(db) == [("GC-O", "negative", 45_000, -5_000)]


def test_a_malformed_gift_card_rejects_only_that_receipt(db, shop):
    bad = receipt(shop, sold=[("", 1_000)])
    ok = receipt(shop, sold=[("GC-OK", 1_000)])
    out = apply_events(db, DEVICE, [bad, ok])
    assert [o["status"] for o in out] == ["rejected", "applied"]
    assert "gift_cards" in out[0]["error"]["field"]


def test_balance_endpoint_for_devices_and_users(db, shop):
    with db.write() as s:
        device_token = enrol(s, create_enrolment_code(s, "Kassa 1", "pos", "K1")["code"])["token"]
        add_user(s, "kim", "cashier", password="secret-password-1")
        s.commit()
    with db.write() as s:
        user_token = login(s, "kim", "secret-password-1")["token"]
        s.commit()
    apply_events(db, DEVICE, [receipt(shop, sold=[("GC-API", 25_000)])])
    with EmbeddedServer(db) as srv:
        def get(path, token=None):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return requests.get(f"{srv.url}/api/v1/giftcards/{path}", headers=headers, timeout=30)
        for token in (device_token, user_token):
            r = get("GC-API", token)
            assert r.status_code == 200, r.text
            assert r.json() == {"code": "GC-API", "balance": 25_000, "currency": "SEK"}
        r = get("NOPE", device_token)
        assert r.status_code == 404 and r.json()["field"] == "code"
        assert get("GC-API").status_code == 401
        assert get("exceptions", user_token).status_code == 403


def test_the_till_asks_its_enrolled_server_and_falls_back_when_it_is_gone(db, shop, tmp_path):
    from core.errors import NotFound, Unavailable
    from core.sales import giftcards
    from core.sales.giftcard_client import balance_lookup
    from core.secrets import set_token
    from core.sync import state
    from tests.sync_support import install_memory_keyring

    install_memory_keyring()
    with db.write() as s:
        token = enrol(s, create_enrolment_code(s, "Kassa 1", "pos", "K1")["code"])["token"]
        s.commit()
    apply_events(db, DEVICE, [receipt(shop, sold=[("GC-TILL", 30_000)])])
    replica = open_store(tmp_path / "replica.sqlite")
    try:
        assert balance_lookup(replica) is None  # not enrolled: the offline limit applies
        srv = EmbeddedServer(db)
        srv.start()
        try:
            with replica.write() as s:
                state.put(s, **{state.SERVER_URL: srv.url})
                s.commit()
            set_token(srv.url, token)
            ask = balance_lookup(replica)
            assert ask("GC-TILL") == 30_000
            assert giftcards.check_redemption("GC-TILL", 20_000, balance=ask) == "online"
            with pytest.raises(NotFound):
                ask("GC-NONE")
        finally:
            srv.stop()
        with pytest.raises(Unavailable):
            ask("GC-TILL")
        assert giftcards.check_redemption("GC-TILL", 20_000, balance=ask) == "offline"
    finally:
        replica.dispose()
