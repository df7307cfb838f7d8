"""Quotes: priced like orders, valid until a date, converted to an order in one step at the quoted prices."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import Conflict, InvalidTransition
from core.orders.pricing import LineIn
from core.orders.quotes import (
    QuoteIn,
    accept_quote,
    convert_quote,
    create_quote,
    get_quote,
    mark_sent,
    reject_quote,
)
from core.orders.service import get_order, lines_of
from core.pricing.lists import set_price
from core.quantity import pieces
from tests.orders_support import TODAY, reserved, setup_shop


@pytest.fixture
def shop(store):
    return setup_shop(store)


def quote(store, shop, **kw):
    with store.write() as s:
        q = create_quote(s, QuoteIn(channel_id=shop.b2b, customer_id=shop.c["firma"],
                                    quote_date=TODAY, lines=[
                                        LineIn(sku="TSHIRT", qty=pieces(20), discount_bp=1500),
                                        LineIn(kind="shipping", unit_price=25000)], **kw), "sälj")
        s.commit()
        return q.id


def test_quote_is_priced_and_valid_30_days_by_default(store, shop):
    qid = quote(store, shop)
    with store.read() as s:
        q = get_quote(s, qid)
        assert q.valid_until == TODAY + dt.timedelta(days=30) and q.status == "draft"
        # 20 × 120,00 = 2 400,00 − 15 % = 2 040,00, + 250,00 shipping, excl. VAT, + 25 %
        assert (q.total_net, q.total_vat, q.total_gross) == (229000, 57250, 286250)


def test_convert_keeps_quoted_prices_even_after_a_price_change(store, shop):
    qid = quote(store, shop)
    with store.write() as s:
        set_price(s, shop.wholesale, shop.p["TSHIRT"], 15000)
        mark_sent(s, qid)
        order = convert_quote(s, qid, "sälj", today=TODAY + dt.timedelta(days=3))
        s.commit()
        assert [(ln.sku, ln.unit_price, ln.discount_bp, ln.amount) for ln in lines_of(s, order.id)] == [
            ("TSHIRT", 12000, 1500, 204000), ("", 25000, 0, 25000)]
        assert order.total_gross == 286250 and order.quote_id == qid
        assert get_quote(s, qid).status == "converted" and get_quote(s, qid).order_id == order.id
        with pytest.raises(InvalidTransition, match="converted and cannot become converted"):
            convert_quote(s, qid, "sälj", today=TODAY)
        oid = order.id
    assert get_order_status(store, oid) == "new"
    assert reserved(store, shop.p["TSHIRT"], shop.warehouse) == 0


def get_order_status(store, oid):
    with store.read() as s:
        return get_order(s, oid).status


def test_expired_or_rejected_quotes_are_not_converted(store, shop):
    qid = quote(store, shop, valid_until=TODAY + dt.timedelta(days=5))
    with store.write() as s:
        with pytest.raises(Conflict, match="expired on"):
            convert_quote(s, qid, "sälj", today=TODAY + dt.timedelta(days=6))
        accept_quote(s, qid, today=TODAY)
        with pytest.raises(InvalidTransition):
            reject_quote(s, qid)
    qid2 = quote(store, shop)
    with store.write() as s:
        reject_quote(s, qid2)
        with pytest.raises(InvalidTransition, match="rejected"):
            convert_quote(s, qid2, "sälj", today=TODAY)
