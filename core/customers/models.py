"""Tables for customers and their invoice/delivery addresses (UUID keys: a customer can be born on any device)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UuidPk, utcnow

CUSTOMER_KINDS = ("private", "company")


def _name_key_default(context) -> str:
    """name_key for rows inserted without one (bulk Core inserts: demo, sync)."""
    return (context.get_current_parameters().get("name") or "").casefold()
ADDRESS_KINDS = ("invoice", "delivery")


class Customer(UuidPk, Base):
    __tablename__ = "customer"
    __table_args__ = (CheckConstraint("kind IN ('private', 'company')", name="kind"),)

    #: customer number shown to people; None until one is assigned (numbers come from the authority)
    number: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(10), default="private")
    #: a person's full name, or a company's name
    name: Mapped[str] = mapped_column(String(200))
    #: casefolded name for prefix search (SQLite's LIKE folds ASCII only, not å/ä/ö)
    name_key: Mapped[str] = mapped_column(String(200), index=True, default=_name_key_default)
    #: the person to contact at a company customer
    contact_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: YYMMDD-NNNC (see core.customers.validation)
    personal_number: Mapped[str | None] = mapped_column(String(11), nullable=True, index=True)
    #: NNNNNN-NNNC
    org_number: Mapped[str | None] = mapped_column(String(11), nullable=True, index=True)
    #: stored lower-case
    email: Mapped[str | None] = mapped_column(String(254), nullable=True, index=True)
    #: +46701234567
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    vat_country: Mapped[str] = mapped_column(String(2), default="SE")
    vat_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    price_list_id: Mapped[int | None] = mapped_column(ForeignKey("price_list.id"), nullable=True)
    #: öre; None means no limit set
    credit_limit: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    #: set when this customer was merged into another; it is then hidden from search and matching
    merged_into: Mapped[str | None] = mapped_column(ForeignKey("customer.id"), nullable=True, index=True)


class CustomerAddress(UuidPk, Base):
    __tablename__ = "customer_address"
    __table_args__ = (CheckConstraint("kind IN ('invoice', 'delivery')", name="kind"),)

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    #: the recipient line when it differs from the customer's name
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    address1: Mapped[str] = mapped_column(String(200))
    address2: Mapped[str | None] = mapped_column(String(200), nullable=True)
    postal_code: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="SE")
