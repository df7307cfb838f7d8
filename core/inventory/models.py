"""Stock tables: locations, the movement ledger (append-only), cached levels, reservations, exceptions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utcnow

#: BIGINT on PostgreSQL; on SQLite only INTEGER PRIMARY KEY is the auto-numbered rowid
BigId = BigInteger().with_variant(Integer(), "sqlite")

LOCATION_KINDS = ("store", "warehouse")


class Location(Base):
    """A place that holds stock: a store (POS sales move stock out of it) or a warehouse."""

    __tablename__ = "location"
    __table_args__ = (CheckConstraint("kind IN ('store', 'warehouse')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="store")


class StockMovement(Base):
    """One signed change of stock (thousandths) at a location; never updated nor deleted."""

    __tablename__ = "stock_movement"
    __table_args__ = (
        Index("ix_stock_movement_product_location_id", "product_id", "location_id", "id"),
        Index("ix_stock_movement_source", "source_type", "source_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    qty: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(30))
    source_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    source_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    idem_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class StockLevel(Base):
    """The cached level per product and location: on_hand = Σ movements, reserved = Σ open reservations."""

    __tablename__ = "stock_level"
    __table_args__ = (Index("ix_stock_level_location_product", "location_id", "product_id"),
                      Index("ix_stock_level_location_updated", "location_id", "updated_at"))

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(BigInteger, default=0)
    reserved: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Reservation(Base):
    """Stock promised to a document (an order line) but not yet delivered; open until released_at."""

    __tablename__ = "reservation"
    __table_args__ = (
        Index("ix_reservation_source", "source_type", "source_id"),
        Index("ix_reservation_product_location", "product_id", "location_id"),
        CheckConstraint("qty > 0", name="qty_positive"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    qty: Mapped[int] = mapped_column(BigInteger)
    source_type: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(64))
    idem_key: Mapped[str] = mapped_column(String(200), unique=True)
    #: the key given to reserve(): equals idem_key, except for a bundle's components (`key#id`)
    request_key: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class StockException(Base):
    """A movement (typically a POS sale, a fact) that drove stock below zero; a manager resolves it."""

    __tablename__ = "stock_exception"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    movement_id: Mapped[int] = mapped_column(ForeignKey("stock_movement.id"))
    on_hand_after: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
