"""Price resolution at the till and in the webshop feed: customer's list → channel's lists → default list.

Hot path (≤ 1 ms p99 at 1,000,000 products): one indexed Core statement, no ORM loading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from sqlalchemy import Date, bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core.money import gross_from_net, net_from_gross
from core.quantity import ONE

Source = Literal["customer", "channel", "default"]


@dataclass(frozen=True, slots=True)
class ResolvedPrice:
    """The price that applies: per unit, in the list's currency, incl. or excl. VAT as the list says."""

    price_list_id: int
    unit_price: int
    currency: str
    includes_vat: bool
    source: Source
    campaign: bool
    #: the quantity break the price comes from (1000 = the base price)
    min_qty: int = ONE


# Candidate lists with their rank: the customer's list (0), the channel's lists (1), the default
# lists (2). Among lists of one rank the lowest id wins. A list counts only when it is active, valid
# on the date and holds a price for the product valid on the date; so the first row is the answer.
# Within a list, a campaign beats regular prices (the lowest campaign when several overlap);
# otherwise the largest quantity break ≤ qty; among equal breaks the most recently starting one.
_RESOLVE = """
WITH cand(list_id, source, prio) AS (
    SELECT price_list_id, 'customer', 0 FROM customer WHERE id = :customer_id
    UNION ALL
    SELECT price_list_id, 'channel', 1 FROM price_list_channel WHERE channel_id = :channel_id
    UNION ALL
    SELECT id, 'default', 2 FROM price_list WHERE is_default
)
SELECT pl.id, i.price, pl.currency, pl.includes_vat, cand.source, i.campaign, i.min_qty
FROM cand
JOIN price_list pl ON pl.id = cand.list_id
JOIN price_list_item i ON i.price_list_id = pl.id AND i.product_id = :product_id
WHERE pl.active
  AND (pl.valid_from IS NULL OR pl.valid_from <= :on)
  AND (pl.valid_to IS NULL OR pl.valid_to >= :on)
  AND i.min_qty <= :qty
  AND (i.valid_from IS NULL OR i.valid_from <= :on)
  AND (i.valid_to IS NULL OR i.valid_to >= :on)
  {currency}
ORDER BY cand.prio, pl.id, i.campaign DESC,
         CASE WHEN i.campaign THEN i.price ELSE 0 END,
         i.min_qty DESC, (i.valid_from IS NULL), i.valid_from DESC, i.id DESC
LIMIT 1
"""


@lru_cache(maxsize=2)
def _statement(with_currency: bool):
    sql = _RESOLVE.format(currency="AND pl.currency = :currency" if with_currency else "")
    return text(sql).bindparams(bindparam("on", type_=Date))


def break_qty(qty: int) -> int:
    """The quantity compared with the breaks: its size, and never less than one unit.

    So the base price (min_qty 1000) also applies to 0.250 kg, and to returns (negative qty).
    """
    return max(abs(qty), ONE)


def resolve_price(conn: Connection | Session, product_id: int, qty: int = ONE, *,
                  customer_id: str | None = None, channel_id: int | None = None,
                  on: dt.date, currency: str | None = None) -> ResolvedPrice | None:
    """The unit price for `qty` (thousandths) of a product on a date, or None when no list has one.

    Order: the customer's list → the channel's list(s) → the default list(s). `currency`, when
    given, ignores lists in other currencies (e.g. a EUR webshop). A bundle without its own price
    has none: prices are never derived from components here.
    """
    params = {"product_id": product_id, "qty": break_qty(qty), "on": on,
              "customer_id": customer_id, "channel_id": channel_id}
    if currency is not None:
        params["currency"] = currency
    row = conn.execute(_statement(currency is not None), params).first()
    if row is None:
        return None
    list_id, price, cur, includes_vat, source, campaign, min_qty = row
    return ResolvedPrice(list_id, price, cur, bool(includes_vat), source, bool(campaign), min_qty)


def unit_price_incl_excl(resolved: ResolvedPrice, rate_bp: int) -> tuple[int, int]:
    """(incl. VAT, excl. VAT) unit price at a VAT rate in basis points; the other side rounded half up."""
    if resolved.includes_vat:
        return resolved.unit_price, net_from_gross(resolved.unit_price, rate_bp)
    return gross_from_net(resolved.unit_price, rate_bp), resolved.unit_price
