"""Price lists on a real SQLite file: creating lists, setting prices with history, resolution, bulk changes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from core.errors import Conflict, NotFound, ValidationError
from core.pricing.bulk import bulk_change
from core.pricing.lists import assign_channel, create_price_list, set_price, unassign_channel
from core.pricing.models import PriceChange, PriceListItem
from core.pricing.resolve import resolve_price, unit_price_incl_excl

DAY = dt.date(2026, 4, 15)


def add_products(session, n: int, prefix: str = "P") -> list[int]:
    from core.catalog.models import Product

    session.execute(text("INSERT INTO vat_class (code, name_sv, name_en) SELECT 'standard', 'Normal', "
                         "'Standard' WHERE NOT EXISTS (SELECT 1 FROM vat_class WHERE code = 'standard')"))
    products = [Product(sku=f"{prefix}{i}", name_sv=f"Vara {i}") for i in range(n)]
    session.add_all(products)
    session.flush()
    return [p.id for p in products]


def add_channel(session, code: str = "WEB") -> int:
    from core.company.models import Channel

    channel = Channel(code=code, name=code.title(), kind="webshop")
    session.add(channel)
    session.flush()
    return channel.id


def add_customer(session, price_list_id: int | None) -> str:
    from core.customers.models import Customer

    customer = Customer(name="Anna Berg", name_key="anna berg", price_list_id=price_list_id)
    session.add(customer)
    session.flush()
    return customer.id


@pytest.fixture
def shop(store):
    """Two products, a retail default list, a webshop list on a channel, a B2B list on a customer."""
    with store.write() as s:
        p1, p2 = add_products(s, 2)
        retail = create_price_list(s, "RETAIL", "Butikspris", "SEK", True, is_default=True)
        web = create_price_list(s, "WEB", "Webbpris", "SEK", True)
        b2b = create_price_list(s, "B2B", "Återförsäljare", "SEK", False)
        channel = add_channel(s)
        assign_channel(s, web.id, channel)
        customer = add_customer(s, b2b.id)
        set_price(s, retail.id, p1, 19900)
        set_price(s, retail.id, p1, 17900, min_qty=10_000)
        set_price(s, web.id, p1, 18900)
        set_price(s, b2b.id, p1, 12000)
        set_price(s, retail.id, p2, 4900)
        s.commit()
    return dict(store=store, p1=p1, p2=p2, retail=retail.id, web=web.id, b2b=b2b.id,
                channel=channel, customer=customer)


def test_customer_list_then_channel_then_default(shop):
    with shop["store"].read() as s:
        both = dict(customer_id=shop["customer"], channel_id=shop["channel"], on=DAY)
        r = resolve_price(s, shop["p1"], **both)
        assert (r.source, r.unit_price, r.includes_vat, r.price_list_id) == ("customer", 12000, False, shop["b2b"])
        r = resolve_price(s, shop["p1"], channel_id=shop["channel"], on=DAY)
        assert (r.source, r.unit_price) == ("channel", 18900)
        r = resolve_price(s, shop["p1"], on=DAY)
        assert (r.source, r.unit_price, r.currency) == ("default", 19900, "SEK")
        # p2 is in neither the customer's nor the channel's list: the default list answers
        r = resolve_price(s, shop["p2"], **both)
        assert (r.source, r.unit_price) == ("default", 4900)


def test_quantity_break(shop):
    with shop["store"].read() as s:
        conn = s.connection()
        assert resolve_price(conn, shop["p1"], 9_999, on=DAY).unit_price == 19900
        r = resolve_price(conn, shop["p1"], 10_000, on=DAY)
        assert (r.unit_price, r.min_qty) == (17900, 10_000)
        assert resolve_price(conn, shop["p1"], 250, on=DAY).unit_price == 19900  # 0,25 units


def test_campaign_inside_its_dates_only(shop):
    store = shop["store"]
    with store.write() as s:
        set_price(s, shop["retail"], shop["p1"], 15000, valid_from=dt.date(2026, 5, 1),
                  valid_to=dt.date(2026, 5, 31), campaign=True)
        set_price(s, shop["retail"], shop["p1"], 14000, valid_from=dt.date(2026, 5, 20),
                  valid_to=dt.date(2026, 5, 31), campaign=True)
        s.commit()
    with store.read() as s:
        def price(day, qty=1000):
            r = resolve_price(s, shop["p1"], qty, on=day)
            return r.unit_price, r.campaign

        assert price(dt.date(2026, 4, 30)) == (19900, False)
        assert price(dt.date(2026, 5, 1)) == (15000, True)
        assert price(dt.date(2026, 5, 1), qty=20_000) == (15000, True)  # campaign beats the break
        assert price(dt.date(2026, 5, 25)) == (14000, True)             # the lowest campaign
        assert price(dt.date(2026, 5, 31)) == (14000, True)
        assert price(dt.date(2026, 6, 1)) == (19900, False)


def test_expired_or_inactive_list_is_ignored(store):
    with store.write() as s:
        (p,) = add_products(s, 1)
        old = create_price_list(s, "OLD", "Gammal", "SEK", True, is_default=True,
                                valid_to=dt.date(2026, 3, 31))
        off = create_price_list(s, "OFF", "Avstängd", "SEK", True, is_default=True, active=False)
        later = create_price_list(s, "NEW", "Ny", "SEK", True, is_default=True,
                                  valid_from=dt.date(2026, 4, 1))
        for lst, price in ((old, 100), (off, 200), (later, 300)):
            set_price(s, lst.id, p, price)
        s.commit()
        assert resolve_price(s, p, on=dt.date(2026, 3, 31)).unit_price == 100
        assert resolve_price(s, p, on=dt.date(2026, 4, 1)).unit_price == 300


def test_currency_filter_and_no_price(shop):
    store = shop["store"]
    with store.write() as s:
        eur = create_price_list(s, "EUR", "Euro", "EUR", True, is_default=True)
        set_price(s, eur.id, shop["p1"], 1790)
        bundle = add_products(s, 1, prefix="SET")[0]
        s.commit()
    with store.read() as s:
        r = resolve_price(s, shop["p1"], on=DAY, currency="EUR")
        assert (r.unit_price, r.currency) == (1790, "EUR")
        assert resolve_price(s, shop["p1"], on=DAY, currency="SEK").unit_price == 19900
        assert resolve_price(s, shop["p2"], on=DAY, currency="EUR") is None
        assert resolve_price(s, bundle, on=DAY) is None  # a bundle without its own price has none
        assert resolve_price(s, 10**9, on=DAY) is None


def test_channel_unassigned_falls_back_to_default(shop):
    store = shop["store"]
    with store.write() as s:
        unassign_channel(s, shop["web"], shop["channel"])
        s.commit()
        assert resolve_price(s, shop["p1"], channel_id=shop["channel"], on=DAY).source == "default"


def test_reseller_price_gives_incl_and_excl(shop):
    with shop["store"].read() as s:
        r = resolve_price(s, shop["p1"], customer_id=shop["customer"], on=DAY)
        assert unit_price_incl_excl(r, 2500) == (15000, 12000)


def test_set_price_writes_history_and_updates_in_place(shop):
    store = shop["store"]
    with store.write() as s:
        set_price(s, shop["retail"], shop["p1"], 20900, changed_by="maria")
        set_price(s, shop["retail"], shop["p1"], 20900, changed_by="maria")  # unchanged: no row
        s.commit()
    with store.read() as s:
        items = s.scalars(select(PriceListItem).where(PriceListItem.price_list_id == shop["retail"],
                                                      PriceListItem.product_id == shop["p1"],
                                                      PriceListItem.min_qty == 1000)).all()
        assert [i.price for i in items] == [20900]
        history = s.execute(select(PriceChange.old_price, PriceChange.new_price, PriceChange.changed_by)
                            .where(PriceChange.price_list_id == shop["retail"],
                                   PriceChange.product_id == shop["p1"], PriceChange.min_qty == 1000)
                            .order_by(PriceChange.id)).all()
        assert [tuple(h) for h in history] == [(None, 19900, None), (19900, 20900, "maria")]


def test_bad_input_names_the_field(shop):
    store = shop["store"]
    with store.write() as s:
        with pytest.raises(ValidationError) as e:
            set_price(s, shop["retail"], shop["p1"], -100)
        assert e.value.field == "price"
        with pytest.raises(NotFound) as e:
            set_price(s, shop["retail"], 10**9, 100)
        assert e.value.field == "product_id"
        with pytest.raises(NotFound) as e:
            set_price(s, 10**9, shop["p1"], 100)
        assert e.value.field == "price_list_id"
        with pytest.raises(ValidationError) as e:
            create_price_list(s, "NOK1", "Norge", "NOKK", True)
        assert e.value.field == "currency"
        with pytest.raises(Conflict) as e:
            create_price_list(s, "RETAIL", "Igen", "SEK", True)
        assert e.value.field == "code"
        with pytest.raises(NotFound) as e:
            assign_channel(s, shop["retail"], 10**9)
        assert e.value.field == "channel_id"


def test_bulk_change_preview_then_apply(shop):
    store = shop["store"]
    with store.write() as s:
        set_price(s, shop["retail"], shop["p1"], 9900, campaign=True)
        preview = bulk_change(s, shop["retail"], [shop["p1"], shop["p2"]], percent_bp=300, round_to=100)
        assert preview == [(shop["p1"], 19900, 20500), (shop["p1"], 17900, 18400), (shop["p2"], 4900, 5000)]
        s.commit()
    with store.read() as s:  # preview wrote nothing
        assert resolve_price(s, shop["p2"], on=DAY).unit_price == 4900
    with store.write() as s:
        before = s.scalar(select(func.count()).select_from(PriceChange))
        applied = bulk_change(s, shop["retail"], [shop["p2"]], amount=-900, preview=False,
                              changed_by="maria")
        assert applied == [(shop["p2"], 4900, 4000)]
        assert s.scalar(select(func.count()).select_from(PriceChange)) == before + 1
        s.commit()
    with store.read() as s:
        assert resolve_price(s, shop["p2"], on=DAY).unit_price == 4000
        # the campaign price was left alone
        assert resolve_price(s, shop["p1"], on=DAY).unit_price == 9900


def test_bulk_change_refuses_a_negative_result_and_writes_nothing(shop):
    store = shop["store"]
    with store.write() as s:
        with pytest.raises(ValidationError) as e:
            bulk_change(s, shop["retail"], None, amount=-5000, preview=False)
        assert e.value.field == "amount"
        assert resolve_price(s, shop["p1"], on=DAY).unit_price == 19900
