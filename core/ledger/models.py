"""Ledger tables: chart of accounts, financial years, voucher series, vouchers and their rows, locks, rates.

A posted voucher and its rows are never updated or deleted: mapper events refuse it in the ORM,
and migration 0003 adds database triggers that refuse it for raw SQL too. A correction is a new
voucher whose `reverses_id` points at the original.

`voucher_row.booked_on` repeats the voucher's date (both are immutable) so the trial balance and
the VAT return are one indexed aggregate over the rows without a join.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utcnow
from core.errors import InvalidTransition


class Account(Base):
    """One account of the chart (BAS numbering); `vat_box` is the VAT return box its rows count in."""

    __tablename__ = "account"
    __table_args__ = (CheckConstraint("number BETWEEN 1000 AND 9999", name="number"),)

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100))
    vat_box: Mapped[str | None] = mapped_column(String(2), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class LedgerSetting(Base):
    """Which account plays a role (provider receivable 1580 or 1686, card fees…): key → value."""

    __tablename__ = "ledger_setting"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(100))


class FinancialYear(Base):
    """A financial year (räkenskapsår), usually the calendar year; years never overlap."""

    __tablename__ = "financial_year"
    __table_args__ = (CheckConstraint("start_date <= end_date", name="dates"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_date: Mapped[dt.date] = mapped_column(Date, unique=True)
    end_date: Mapped[dt.date] = mapped_column(Date)


class OpeningBalance(Base):
    """An opening balance (#IB) brought in from another system for a year; balance accounts only."""

    __tablename__ = "opening_balance"

    financial_year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id"), primary_key=True)
    account: Mapped[int] = mapped_column(ForeignKey("account.number"), primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class VoucherSeries(Base):
    """A voucher number series (A cash, B sales invoices…); numbers are gap-free per series and year."""

    __tablename__ = "voucher_series"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Voucher(Base):
    """A posted voucher (verifikation): balanced, numbered, immutable."""

    __tablename__ = "voucher"
    __table_args__ = (
        UniqueConstraint("series", "financial_year_id", "number", name="uq_voucher_number"),
        UniqueConstraint("source_type", "source_id", name="uq_voucher_source"),
        Index("ix_voucher_date", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series: Mapped[str] = mapped_column(ForeignKey("voucher_series.code"))
    financial_year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id"))
    number: Mapped[int] = mapped_column(BigInteger)
    date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(200))
    #: the document it posts ('z_report', 'invoice'…, and its id) — one voucher per document
    source_type: Mapped[str | None] = mapped_column(String(30), nullable=True)
    source_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    #: the voucher this one reverses (a correction); a voucher is reversed at most once
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("voucher.id"), nullable=True,
                                                    unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class VoucherRow(Base):
    """One row: debit positive, credit negative (öre, SEK); tagged for VAT and OSS where it counts."""

    __tablename__ = "voucher_row"
    __table_args__ = (
        # covering indexes: the trial balance (per account over a date range, which SQLite skip-
        # scans account by account) and the VAT return (per box over a month)
        Index("ix_voucher_row_account_date", "account", "booked_on", "amount"),
        Index("ix_voucher_row_date_box", "booked_on", "vat_box", "amount"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    voucher_id: Mapped[int] = mapped_column(ForeignKey("voucher.id"), index=True)
    booked_on: Mapped[dt.date] = mapped_column(Date)
    account: Mapped[int] = mapped_column(ForeignKey("account.number"))
    amount: Mapped[int] = mapped_column(BigInteger)
    #: VAT return box this row's amount counts in ('05', '10', '48'…), None = none
    vat_box: Mapped[str | None] = mapped_column(String(2), nullable=True)
    #: OSS: the buyer's country and the rate, on 3106 and 2670 rows
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    rate_bp: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: a foreign-currency row's amount in its own currency (minor units)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    currency_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    text: Mapped[str | None] = mapped_column(String(200), nullable=True)


class PeriodLock(Base):
    """Books are closed through `locked_through`; the latest (highest) lock rules. Append-only."""

    __tablename__ = "period_lock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locked_through: Mapped[dt.date] = mapped_column(Date, index=True)
    locked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    locked_by: Mapped[str] = mapped_column(String(100), default="")


class ExchangeRate(Base):
    """SEK per unit of a currency on a day, in millionths (11.234567 SEK/EUR = 11234567); entered or imported."""

    __tablename__ = "exchange_rate"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    rate_micro: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(40), default="manual")


def _refuse_change(mapper, connection, target) -> None:
    raise InvalidTransition("a posted voucher cannot be changed or deleted", field="voucher",
                            hint="post a reversing voucher that references it, then a new one")


for _cls in (Voucher, VoucherRow):
    event.listen(_cls, "before_update", _refuse_change)
    event.listen(_cls, "before_delete", _refuse_change)
