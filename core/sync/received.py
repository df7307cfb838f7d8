"""Facts the server received from devices: applied events (idempotency), receipts, closed shifts, Z reports.

Only the server writes these tables and none of them is synced down; they live in core so the one
Alembic chain creates them and core never imports the server.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utcnow


class AppliedEvent(Base):
    """One client event applied exactly once: its id, who sent it, the body's hash and the result."""

    __tablename__ = "applied_event"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    type: Mapped[str] = mapped_column(String(40))
    body_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SalesReceipt(Base):
    """A POS receipt as received (sale, return or training), numbered per register."""

    __tablename__ = "sales_receipt"
    __table_args__ = (
        UniqueConstraint("register_code", "number", name="uq_sales_receipt_register_number"),
        Index("ix_sales_receipt_created_at", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    register_code: Mapped[str] = mapped_column(String(16))
    number: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(10))
    total: Mapped[int] = mapped_column(BigInteger)
    customer_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    device_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    body: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ReceivedShift(Base):
    """A closed shift (Z-report summary) as sent by a till."""

    __tablename__ = "received_shift"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    register_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    body: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ReceivedZReport(Base):
    """A Z-report (day close of one register) as sent by a till; the ledger posts one voucher per row."""

    __tablename__ = "received_z_report"
    __table_args__ = (UniqueConstraint("register_code", "z_no", name="uq_received_z_report_register_z"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    register_code: Mapped[str] = mapped_column(String(16))
    z_no: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
