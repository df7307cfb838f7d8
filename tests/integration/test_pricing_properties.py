"""Property tests of price resolution on a real SQLite file, against the rules stated in the spec.

Each example builds its lists inside one unit of work that is rolled back, so examples never see
each other's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.db import open_store
from core.pricing.lists import assign_channel, create_price_list, set_price
from core.pricing.resolve import resolve_price
from tests.integration.test_pricing import add_channel, add_customer, add_products

BASE = dt.date(2026, 4, 1)
BREAKS = [1000, 2000, 5000, 10_000, 25_000]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A store with one product, a channel and customers; price lists come per example."""
    store = open_store(tmp_path_factory.mktemp("pricing") / "butik.sqlite")
    with store.write() as s:
        (product,) = add_products(s, 1)
        channel = add_channel(s)
        s.commit()
    yield store, product, channel
    store.dispose()


def day(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


@dataclass(frozen=True)
class Item:
    min_qty: int
    price: int
    campaign: bool
    window: tuple[int, int] | None  # (from, to) day offsets, inclusive

    def valid(self, on: dt.date) -> bool:
        return self.window is None or day(self.window[0]) <= on <= day(self.window[1])


@dataclass(frozen=True)
class ListSpec:
    items: tuple[Item, ...]
    active: bool
    window: tuple[int, int] | None

    def counts(self, on: dt.date) -> bool:
        return self.active and (self.window is None or day(self.window[0]) <= on <= day(self.window[1]))


windows = st.one_of(st.none(), st.tuples(st.integers(-20, 20), st.integers(0, 20))
                    .map(lambda w: (w[0], w[0] + w[1])))
prices = st.integers(0, 10**7)


@st.composite
def items(draw):
    # regular items: one per break (a slot is unique per break, dates and campaign flag)
    breaks = draw(st.lists(st.sampled_from(BREAKS), unique=True, max_size=4))
    regular = [Item(b, draw(prices), False, draw(windows)) for b in breaks]
    campaigns = draw(st.lists(st.builds(Item, st.just(1000), prices, st.just(True), windows),
                              max_size=2, unique_by=lambda i: i.window))
    return tuple(regular + campaigns)


lists = st.builds(ListSpec, items(), st.booleans() | st.just(True), windows)
on_days = st.integers(-25, 45).map(day)
qtys = st.sampled_from([250, 1000, 1999, 2000, 4000, 5000, 12_000, 30_000])


def expected_in_list(spec: ListSpec, qty: int, on: dt.date) -> tuple[int, bool] | None:
    """The spec's rule within one list: a valid campaign wins (lowest); else the largest break ≤ qty."""
    if not spec.counts(on):
        return None
    valid = [i for i in spec.items if i.valid(on) and i.min_qty <= max(qty, 1000)]
    campaigns = [i.price for i in valid if i.campaign]
    if campaigns:
        return min(campaigns), True
    regular = [i for i in valid if not i.campaign]
    if not regular:
        return None
    return max(regular, key=lambda i: i.min_qty).price, False


def build(session, product: int, channel: int, customer_spec, channel_spec, default_spec):
    ids = {}
    for name, spec in (("customer", customer_spec), ("channel", channel_spec), ("default", default_spec)):
        if spec is None:
            continue
        pl = create_price_list(session, name.upper(), name, "SEK", True, is_default=name == "default",
                               active=spec.active,
                               valid_from=spec.window and day(spec.window[0]),
                               valid_to=spec.window and day(spec.window[1]))
        for item in spec.items:
            set_price(session, pl.id, product, item.price, min_qty=item.min_qty,
                      valid_from=item.window and day(item.window[0]),
                      valid_to=item.window and day(item.window[1]), campaign=item.campaign)
        ids[name] = pl.id
    if "channel" in ids:
        assign_channel(session, ids["channel"], channel)
    customer = add_customer(session, ids.get("customer"))
    return ids, customer


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(customer=st.none() | lists, channel_list=st.none() | lists, default=st.none() | lists,
       qty=qtys, on=on_days)
def test_resolution_follows_the_rules(world, customer, channel_list, default, qty, on):
    store, product, channel = world
    with store.write() as s:
        ids, customer_id = build(s, product, channel, customer, channel_list, default)
        got = resolve_price(s, product, qty, customer_id=customer_id, channel_id=channel, on=on)
        for source, spec in (("customer", customer), ("channel", channel_list), ("default", default)):
            want = expected_in_list(spec, qty, on) if spec is not None else None
            if want is not None:
                assert got is not None and (got.source, got.price_list_id) == (source, ids[source])
                assert (got.unit_price, got.campaign) == want
                break
        else:
            assert got is None


@SETTINGS
@given(customer_price=prices, channel_price=prices, default_price=prices, qty=qtys, on=on_days,
       campaigns=st.booleans())
def test_a_customer_list_price_always_wins(world, customer_price, channel_price, default_price, qty,
                                           on, campaigns):
    """(a) Even against cheaper channel/default prices and campaigns there."""
    store, product, channel = world
    other = (Item(1000, channel_price, False, None),) + ((Item(1000, 0, True, None),) if campaigns else ())
    with store.write() as s:
        _, customer_id = build(s, product, channel,
                               ListSpec((Item(1000, customer_price, False, None),), True, None),
                               ListSpec(other, True, None),
                               ListSpec((Item(1000, default_price, False, None),) + other[1:], True, None))
        got = resolve_price(s, product, qty, customer_id=customer_id, channel_id=channel, on=on)
        assert (got.source, got.unit_price) == ("customer", customer_price)


@SETTINGS
@given(regular=prices, campaign=prices, window=windows.filter(bool), on=on_days)
def test_campaigns_only_inside_their_dates(world, regular, campaign, window, on):
    """(b)"""
    store, product, channel = world
    spec = ListSpec((Item(1000, regular, False, None), Item(1000, campaign, True, window)), True, None)
    with store.write() as s:
        build(s, product, channel, None, None, spec)
        got = resolve_price(s, product, on=on)
        inside = day(window[0]) <= on <= day(window[1])
        assert (got.unit_price, got.campaign) == ((campaign, True) if inside else (regular, False))


@SETTINGS
@given(breaks=st.dictionaries(st.sampled_from(BREAKS), prices, min_size=1), qty=st.integers(1, 40_000))
def test_quantity_breaks_pick_the_largest_break_not_above_qty(world, breaks, qty):
    """(c)"""
    store, product, channel = world
    spec = ListSpec(tuple(Item(b, p, False, None) for b, p in breaks.items()), True, None)
    with store.write() as s:
        build(s, product, channel, None, None, spec)
        got = resolve_price(s, product, qty, on=BASE)
        fitting = [b for b in breaks if b <= max(qty, 1000)]
        if fitting:
            assert (got.min_qty, got.unit_price) == (max(fitting), breaks[max(fitting)])
        else:
            assert got is None


@SETTINGS
@given(list_window=windows.filter(bool), on=on_days, price=prices, fallback=prices)
def test_an_expired_list_is_ignored(world, list_window, on, price, fallback):
    """(d) A customer list outside its dates gives way to the default list."""
    store, product, channel = world
    with store.write() as s:
        _, customer_id = build(s, product, channel,
                               ListSpec((Item(1000, price, False, None),), True, list_window), None,
                               ListSpec((Item(1000, fallback, False, None),), True, None))
        got = resolve_price(s, product, customer_id=customer_id, on=on)
        inside = day(list_window[0]) <= on <= day(list_window[1])
        assert (got.source, got.unit_price) == (("customer", price) if inside else ("default", fallback))
