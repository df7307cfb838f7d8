"""Tables for stock operations: transfers between locations, stock counts, and each product's average cost."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utcnow

TRANSFER_STATUSES = ("draft", "in_transit", "partly_received", "received", "closed", "cancelled")
COUNT_STATUSES = ("open", "posted", "cancelled")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class StockTransfer(Base):
    """Goods sent from one location to another; in transit between sending and receiving."""

    __tablename__ = "stock_transfer"
    __table_args__ = (
        CheckConstraint(_in("status", TRANSFER_STATUSES), name="status"),
        CheckConstraint("from_location_id <> to_location_id", name="two_locations"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    from_location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    to_location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class StockTransferLine(Base):
    """One product of a transfer; in transit = sent − received − lost (thousandths)."""

    __tablename__ = "stock_transfer_line"
    __table_args__ = (
        UniqueConstraint("transfer_id", "product_id", name="uq_stock_transfer_line_product"),
        CheckConstraint("qty > 0 AND received_qty >= 0 AND lost_qty >= 0 "
                        "AND received_qty + lost_qty <= qty", name="qty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("stock_transfer.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    qty: Mapped[int] = mapped_column(BigInteger)
    received_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    #: written off when the transfer was closed short
    lost_qty: Mapped[int] = mapped_column(BigInteger, default=0)


class StockTransferReceipt(Base):
    """One arrival at the destination (a partial receipt is one of several)."""

    __tablename__ = "stock_transfer_receipt"
    __table_args__ = (UniqueConstraint("transfer_id", "seq", name="uq_stock_transfer_receipt_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("stock_transfer.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    #: the caller's key: a replay returns this receipt and moves nothing
    idem_key: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))


class StockCount(Base):
    """A stock count of one location: full (every stocked product) or partial (a chosen list)."""

    __tablename__ = "stock_count"
    __table_args__ = (CheckConstraint(_in("status", COUNT_STATUSES), name="status"),
                      CheckConstraint("scope IN ('full', 'partial')", name="scope"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    scope: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="open")
    count_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    posted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    posted_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: Σ variance × average cost at posting (öre); the change in stock value
    value_change: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class StockCountLine(Base):
    """One product to count: the book quantity when listed, what was counted, and what posting moved."""

    __tablename__ = "stock_count_line"
    __table_args__ = (
        CheckConstraint("counted_qty IS NULL OR counted_qty >= 0", name="counted_not_negative"),
        Index("ix_stock_count_line_product", "count_id", "product_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_count.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    expected_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    counted_qty: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: counted − on hand at posting (what the adjustment movement moved)
    posted_variance: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    unit_cost: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class ProductCost(Base):
    """A product's weighted average cost: öre (base currency, excl. VAT) per unit, updated by receipts."""

    __tablename__ = "product_cost"

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    avg_cost: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
