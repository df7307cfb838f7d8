"""Tables of price lists: lists, their items (quantity breaks, campaigns), channel assignment, price history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utcnow
from core.quantity import ONE


class PriceList(Base):
    """A list of prices in one currency, either including VAT (retail) or excluding it (B2B)."""

    __tablename__ = "price_list"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    includes_vat: Mapped[bool] = mapped_column(Boolean)
    #: the list counts only on dates inside [valid_from, valid_to] (both inclusive, open when NULL)
    valid_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: consulted last, when neither the customer's nor the channel's list has the product
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PriceListItem(Base):
    """One price of one product in one list: from `min_qty` up (quantity break), maybe a dated campaign."""

    __tablename__ = "price_list_item"
    __table_args__ = (
        Index("ix_price_list_item_lookup", "price_list_id", "product_id", "min_qty"),
        Index("ix_price_list_item_product_id", "product_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    price_list_id: Mapped[int] = mapped_column(Integer, ForeignKey("price_list.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(Integer, ForeignKey("product.id", ondelete="CASCADE"))
    #: quantity break in thousandths of the product's unit; 1000 (one unit) is the base price
    min_qty: Mapped[int] = mapped_column(BigInteger, default=ONE)
    #: öre (minor units of the list's currency), incl. or excl. VAT as the list says
    price: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: a campaign price valid on the date wins over the list's regular prices
    campaign: Mapped[bool] = mapped_column(Boolean, default=False)


class PriceListChannel(Base):
    """A price list used by a sales channel (a store, a webshop)."""

    __tablename__ = "price_list_channel"

    price_list_id: Mapped[int] = mapped_column(Integer, ForeignKey("price_list.id", ondelete="CASCADE"),
                                               primary_key=True)
    channel_id: Mapped[int] = mapped_column(Integer, ForeignKey("channel.id", ondelete="CASCADE"),
                                            primary_key=True, index=True)


class PriceChange(Base):
    """History: every price written by set_price or bulk_change (old_price NULL for a new price)."""

    __tablename__ = "price_change"
    __table_args__ = (Index("ix_price_change_list_product", "price_list_id", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    price_list_id: Mapped[int] = mapped_column(Integer, ForeignKey("price_list.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(Integer, ForeignKey("product.id", ondelete="CASCADE"))
    min_qty: Mapped[int] = mapped_column(BigInteger, default=ONE)
    campaign: Mapped[bool] = mapped_column(Boolean, default=False)
    old_price: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    new_price: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
