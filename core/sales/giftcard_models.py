"""Gift cards on the server: each card's balance, and the redemptions that drove one below zero."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utcnow

BigId = BigInteger().with_variant(Integer(), "sqlite")


class GiftCard(Base):
    """A gift card (or credit voucher issued as one): a liability of `balance` öre until redeemed.

    A card first seen in a redemption (its sale not pushed yet) has no `issued_at` and a balance
    below zero until the receipt that sold it arrives.
    """

    __tablename__ = "gift_card"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), default="SEK")
    initial_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    issued_receipt_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class GiftCardException(Base):
    """A receipt that took a card below zero (a redemption offline is a fact) or sold a code twice."""

    __tablename__ = "gift_card_exception"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    receipt_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))  # negative | sold_twice
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True, index=True)
