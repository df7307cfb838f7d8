"""The same resolution statement on PostgreSQL (booleans, dates and the ranked CTE are portable)."""

from __future__ import annotations

import datetime as dt

from core.db import open_store
from core.pricing.bulk import bulk_change
from core.pricing.lists import assign_channel, create_price_list, set_price
from core.pricing.resolve import resolve_price
from tests.integration.test_pricing import add_channel, add_customer, add_products


def test_resolution_on_postgresql(pg_url):
    store = open_store(pg_url)
    try:
        with store.write() as s:
            p1, p2 = add_products(s, 2)
            retail = create_price_list(s, "RETAIL", "Butikspris", "SEK", True, is_default=True)
            web = create_price_list(s, "WEB", "Webb", "SEK", True, valid_to=dt.date(2026, 12, 31))
            b2b = create_price_list(s, "B2B", "Återförsäljare", "SEK", False)
            channel = add_channel(s)
            assign_channel(s, web.id, channel)
            customer = add_customer(s, b2b.id)
            set_price(s, retail.id, p1, 19900)
            set_price(s, retail.id, p1, 17900, min_qty=10_000)
            set_price(s, retail.id, p1, 14900, campaign=True, valid_from=dt.date(2026, 5, 1),
                      valid_to=dt.date(2026, 5, 31))
            set_price(s, web.id, p2, 4500)
            set_price(s, b2b.id, p2, 3000)
            bulk_change(s, retail.id, [p1], percent_bp=1000, preview=False)
            s.commit()
        on = dt.date(2026, 4, 15)
        with store.read() as s:
            assert resolve_price(s, p1, on=on).unit_price == 21890
            assert resolve_price(s, p1, 12_000, on=on).unit_price == 19690
            r = resolve_price(s, p1, on=dt.date(2026, 5, 2), customer_id=customer, channel_id=channel)
            assert (r.source, r.unit_price, r.campaign) == ("default", 14900, True)
            r = resolve_price(s, p2, on=on, customer_id=customer, channel_id=channel)
            assert (r.source, r.unit_price, r.includes_vat) == ("customer", 3000, False)
            assert resolve_price(s, p2, on=on, channel_id=channel).source == "channel"
            assert resolve_price(s, p2, on=dt.date(2027, 1, 1), channel_id=channel) is None
            assert resolve_price(s, p2, on=on, customer_id=None, channel_id=None) is None
    finally:
        store.dispose()
