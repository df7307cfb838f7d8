"""Tables for VAT classes, VAT rates per country/class with validity dates, and per-country product overrides."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class VatClass(Base):
    """A kind of goods or service that shares a VAT rate in a country ('standard', 'food', …)."""

    __tablename__ = "vat_class"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_sv: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


class VatRate(Base):
    """The rate of one class in one country from `valid_from` up to and including `valid_to` (open when null)."""

    __tablename__ = "vat_rate"
    __table_args__ = (
        Index("ix_vat_rate_lookup", "country", "vat_class", "valid_from"),
        CheckConstraint("rate_bp >= 0 AND rate_bp <= 10000", name="rate_range"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ISO 3166-1 alpha-2, upper case
    country: Mapped[str] = mapped_column(String(2))
    vat_class: Mapped[str] = mapped_column(ForeignKey("vat_class.code"))
    #: basis points: 2500 = 25 %, 2550 = 25.5 %
    rate_bp: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    #: last day the rate applies (inclusive); None = until further notice
    valid_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class ProductVatOverride(Base):
    """A product's VAT class in one country when it differs from `product.vat_class`."""

    __tablename__ = "product_vat_override"

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"),
                                            primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    vat_class: Mapped[str] = mapped_column(ForeignKey("vat_class.code"))
