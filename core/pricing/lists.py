"""Use cases for price lists: create a list, set a price (with history), assign a list to a channel."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.errors import Conflict, NotFound, ValidationError
from core.inventory import hooks
from core.money import check_currency
from core.pricing.models import PriceChange, PriceList, PriceListChannel, PriceListItem
from core.quantity import ONE


def _check_dates(valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    for field, value in (("valid_from", valid_from), ("valid_to", valid_to)):
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise ValidationError(f"must be a date, got {value!r}", field=field, hint="e.g. 2026-04-01")
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise ValidationError(f"ends {valid_to} before it starts {valid_from}", field="valid_to",
                              hint="the last valid day must be on or after valid_from")


def _check_whole(value, field: str, *, minimum: int, hint: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"must be a whole number, got {value!r}", field=field, hint=hint)
    if value < minimum:
        raise ValidationError(f"must be at least {minimum}, got {value}", field=field, hint=hint)
    return value


def get_price_list(session: Session, list_id: int) -> PriceList:
    price_list = session.get(PriceList, list_id)
    if price_list is None:
        raise NotFound(f"no price list with id {list_id!r}", field="price_list_id")
    return price_list


def price_list_by_code(session: Session, code: str) -> PriceList:
    price_list = session.scalar(select(PriceList).where(PriceList.code == code))
    if price_list is None:
        raise NotFound(f"no price list with code {code!r}", field="code")
    return price_list


def check_product(session: Session, product_id: int) -> None:
    """Refuse a product id that is not in the catalogue (field 'product_id')."""
    found = session.execute(text("SELECT 1 FROM product WHERE id = :id"), {"id": product_id}).first()
    if found is None:
        raise NotFound(f"no product with id {product_id!r}", field="product_id",
                       hint="create the product in the catalogue first")


def create_price_list(session: Session, code: str, name: str, currency: str, includes_vat: bool, *,
                      valid_from: dt.date | None = None, valid_to: dt.date | None = None,
                      is_default: bool = False, active: bool = True) -> PriceList:
    """A new price list; the caller commits. Codes are unique."""
    code = (code or "").strip()
    if not code:
        raise ValidationError("must not be empty", field="code", hint="e.g. RETAIL")
    if not (name or "").strip():
        raise ValidationError("must not be empty", field="name", hint="e.g. Butikspris")
    check_currency(currency, field="currency")
    if not isinstance(includes_vat, bool):
        raise ValidationError(f"must be true or false, got {includes_vat!r}", field="includes_vat")
    _check_dates(valid_from, valid_to)
    if session.scalar(select(PriceList.id).where(PriceList.code == code)) is not None:
        raise Conflict(f"a price list with code {code!r} already exists", field="code",
                       hint="choose another code")
    price_list = PriceList(code=code, name=name.strip(), currency=currency, includes_vat=includes_vat,
                           valid_from=valid_from, valid_to=valid_to, is_default=is_default,
                           active=active)
    session.add(price_list)
    session.flush()
    return price_list


def set_price(session: Session, list_id: int, product_id: int, price: int, min_qty: int = ONE,
              valid_from: dt.date | None = None, valid_to: dt.date | None = None,
              campaign: bool = False, *, changed_by: str | None = None) -> PriceListItem:
    """Set the price of a product in a list for one (min_qty, dates, campaign) slot; writes history.

    The same slot is updated in place; a different break, date range or campaign is a new item.
    """
    _check_whole(price, "price", minimum=0, hint="a price is whole öre, zero or more")
    _check_whole(min_qty, "min_qty", minimum=1, hint="in thousandths: 1000 is one unit")
    _check_dates(valid_from, valid_to)
    get_price_list(session, list_id)
    check_product(session, product_id)
    item = session.scalar(select(PriceListItem).where(
        PriceListItem.price_list_id == list_id, PriceListItem.product_id == product_id,
        PriceListItem.min_qty == min_qty, PriceListItem.campaign == bool(campaign),
        PriceListItem.valid_from.is_(None) if valid_from is None else PriceListItem.valid_from == valid_from,
        PriceListItem.valid_to.is_(None) if valid_to is None else PriceListItem.valid_to == valid_to,
    ).limit(1))
    old = None
    if item is None:
        item = PriceListItem(price_list_id=list_id, product_id=product_id, min_qty=min_qty,
                             price=price, valid_from=valid_from, valid_to=valid_to,
                             campaign=bool(campaign))
        session.add(item)
    elif item.price == price:
        return item
    else:
        old, item.price = item.price, price
    session.add(PriceChange(price_list_id=list_id, product_id=product_id, min_qty=min_qty,
                            campaign=bool(campaign), old_price=old, new_price=price,
                            changed_at=utcnow(), changed_by=changed_by))
    session.flush()
    hooks.notify(session, [product_id])
    return item


def assign_channel(session: Session, list_id: int, channel_id: int) -> None:
    """Make a sales channel use a price list (idempotent)."""
    get_price_list(session, list_id)
    found = session.execute(text("SELECT 1 FROM channel WHERE id = :id"), {"id": channel_id}).first()
    if found is None:
        raise NotFound(f"no channel with id {channel_id!r}", field="channel_id")
    if session.get(PriceListChannel, (list_id, channel_id)) is None:
        session.add(PriceListChannel(price_list_id=list_id, channel_id=channel_id))
        session.flush()


def unassign_channel(session: Session, list_id: int, channel_id: int) -> None:
    """Stop a sales channel using a price list (no error when it did not)."""
    link = session.get(PriceListChannel, (list_id, channel_id))
    if link is not None:
        session.delete(link)
        session.flush()
