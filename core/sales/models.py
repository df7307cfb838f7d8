"""The till's own tables on the local replica (never synced down): shifts, receipts, parked sales,
running counters, the hash-chained journal and Z-reports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UuidPk, utcnow

RECEIPT_KINDS = ("sale", "return", "training")


class Shift(UuidPk, Base):
    """A cashier's shift at a register: opened with a counted float, closed with counting per method."""

    __tablename__ = "shift"
    __table_args__ = (Index("ix_shift_register_open", "register_id", "closed_at"),)

    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    cashier: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    float_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    #: the float counted per denomination at opening ({"50000": 2, …}: value in öre → count)
    float_counted: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: counted at close per method ({"cash": 123400, "card": …}) and cash per denomination
    counted: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    denominations: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: expected per method from the receipts of the shift (cash includes the float)
    expected: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    difference: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class SalesReceipt(UuidPk, Base):
    """A completed receipt: `body` is exactly the server contract's receipt body."""

    __tablename__ = "pos_receipt"
    __table_args__ = (UniqueConstraint("register_id", "number", name="uq_pos_receipt_register_number"),
                      Index("ix_pos_receipt_register_created", "register_id", "created_at"))

    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    number: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    total: Mapped[int] = mapped_column(BigInteger)
    body: Mapped[dict] = mapped_column(JSON)
    #: company, address, register, cashier… as printed (a copy prints what the original did)
    header: Mapped[dict] = mapped_column(JSON)
    control_serial: Mapped[str] = mapped_column(String(64))
    shift_id: Mapped[str | None] = mapped_column(ForeignKey("shift.id"), nullable=True)
    cashier: Mapped[str | None] = mapped_column(String(100), nullable=True)
    original_receipt_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    #: a return: original line index (text) → quantity returned from it
    returned_lines: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    printed_count: Mapped[int] = mapped_column(Integer, default=0)
    copy_printed: Mapped[bool] = mapped_column(Boolean, default=False)


class ParkedSale(UuidPk, Base):
    """A sale put aside; survives restarts and shift closes until recalled and completed or cleared."""

    __tablename__ = "parked_sale"
    __table_args__ = (Index("ix_parked_sale_open", "register_id", "closed_at"),)

    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    cart: Mapped[dict] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(100), nullable=True)
    cashier: Mapped[str | None] = mapped_column(String(100), nullable=True)
    parked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    recalled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: when the recalled sale was completed (receipt) or cleared; then it is no longer listed
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    receipt_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class RegisterCounters(Base):
    """Running figures of one register, updated in the same transaction as each event.

    `day` holds the day's totals since the last Z (see `core.sales.counters.DayTotals`); the grand
    totals are perpetual. The journal head anchors the chain against truncation.
    """

    __tablename__ = "register_counter"

    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"), primary_key=True)
    next_receipt_no: Mapped[int] = mapped_column(BigInteger, default=1)
    next_z_no: Mapped[int] = mapped_column(BigInteger, default=1)
    day: Mapped[dict] = mapped_column(JSON, default=dict)
    day_started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    grand_sales: Mapped[int] = mapped_column(BigInteger, default=0)
    grand_returns: Mapped[int] = mapped_column(BigInteger, default=0)
    journal_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    journal_head: Mapped[str] = mapped_column(String(64), default="")


class JournalEntry(Base):
    """One event at the till; `hash` = SHA-256(prev_hash + canonical JSON of the entry)."""

    __tablename__ = "journal_entry"
    __table_args__ = (UniqueConstraint("register_id", "seq", name="uq_journal_entry_register_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ZReport(Base):
    """A day close: its own unbroken series per register; `body` is the report as printed."""

    __tablename__ = "z_report"
    __table_args__ = (UniqueConstraint("register_id", "z_no", name="uq_z_report_register_z_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    z_no: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    body: Mapped[dict] = mapped_column(JSON)
