"""Bulk price change over a list: by a percentage or an amount, optionally rounded; preview first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.errors import ValidationError
from core.inventory import hooks
from core.money import BP, div_round_half_up
from core.pricing.lists import get_price_list
from core.pricing.models import PriceChange, PriceListItem

_CHUNK = 500


class PriceDelta(NamedTuple):
    """One regular price of a list before and after the change (a product has one per quantity break)."""

    product_id: int
    old: int
    new: int


def new_price(old: int, *, percent_bp: int | None = None, amount: int | None = None,
              round_to: int | None = None) -> int:
    """The changed price: old × (1 + percent) or old + amount, rounded half up to `round_to` öre.

    The percentage is applied exactly and rounded once (to the öre, or straight to whole kronor
    with round_to=100), so no double rounding.
    """
    step = round_to or 1
    if percent_bp is not None:
        return div_round_half_up(old * (BP + percent_bp), BP * step) * step
    return div_round_half_up(old + amount, step) * step


def _check(percent_bp, amount, round_to) -> None:
    if (percent_bp is None) == (amount is None):
        raise ValidationError("give either a percentage or an amount, not both or neither",
                              field="percent_bp", hint="e.g. percent_bp=500 for +5 %, or amount=-1000")
    for field, value in (("percent_bp", percent_bp), ("amount", amount), ("round_to", round_to)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValidationError(f"must be a whole number, got {value!r}", field=field,
                                  hint="percent in basis points (500 = 5 %), amounts in öre")
    if percent_bp is not None and percent_bp <= -BP:
        raise ValidationError(f"would make every price zero or negative ({percent_bp} bp)",
                              field="percent_bp", hint="a cut must be less than 100 % (10000 bp)")
    if round_to is not None and round_to <= 0:
        raise ValidationError(f"must be positive, got {round_to}", field="round_to",
                              hint="100 rounds to whole kronor")


def bulk_change(session: Session, list_id: int, product_ids: Iterable[int] | None,
                percent_bp: int | None = None, amount: int | None = None,
                round_to: int | None = None, preview: bool = True, *,
                changed_by: str | None = None) -> list[PriceDelta]:
    """Change the regular prices of `product_ids` (None = every product) in a list.

    Returns (product_id, old, new) per price, ordered by product and quantity break; writes nothing
    unless preview=False, and then writes a history row per changed price. Campaign prices are
    left alone. A change that would make a price negative is refused before anything is written.
    """
    _check(percent_bp, amount, round_to)
    get_price_list(session, list_id)
    stmt = (select(PriceListItem)
            .where(PriceListItem.price_list_id == list_id, PriceListItem.campaign.is_(False)))
    if product_ids is None:
        items = list(session.scalars(stmt))
    else:
        wanted = sorted(set(product_ids))
        items = []
        for start in range(0, len(wanted), _CHUNK):  # stay under the bound-parameter limit
            chunk = wanted[start:start + _CHUNK]
            items.extend(session.scalars(stmt.where(PriceListItem.product_id.in_(chunk))))
    items.sort(key=lambda i: (i.product_id, i.min_qty, i.id))
    deltas = []
    for item in items:
        new = new_price(item.price, percent_bp=percent_bp, amount=amount, round_to=round_to)
        if new < 0:
            raise ValidationError(f"would make the price of product {item.product_id} negative "
                                  f"({item.price} → {new} öre)", field="amount" if amount is not None
                                  else "percent_bp", hint="use a smaller cut")
        deltas.append(PriceDelta(item.product_id, item.price, new))
    if preview:
        return deltas
    now = utcnow()
    for item, delta in zip(items, deltas):
        if delta.new == delta.old:
            continue
        item.price = delta.new
        session.add(PriceChange(price_list_id=list_id, product_id=item.product_id,
                                min_qty=item.min_qty, campaign=False, old_price=delta.old,
                                new_price=delta.new, changed_at=now, changed_by=changed_by))
    session.flush()
    hooks.notify(session, {d.product_id for d in deltas if d.new != d.old})
    return deltas
