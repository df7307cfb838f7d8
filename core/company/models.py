"""Tables for the company, its stores, registers (kassabeteckning) and sales channels."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base

#: The register identity is sent to the control unit, which takes at most 16 characters.
REGISTER_CODE_MAX = 16
CHANNEL_KINDS = ("store", "webshop", "manual", "b2b")


class Company(Base):
    """The legal entity printed on receipts and invoices (normally one row)."""

    __tablename__ = "company"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: normalised NNNNNN-NNNN
    org_number: Mapped[str] = mapped_column(String(11))
    #: SE + 10 digits + 01, or None when not registered for VAT
    vat_number: Mapped[str | None] = mapped_column(String(14), nullable=True)
    address1: Mapped[str | None] = mapped_column(String(200), nullable=True)
    address2: Mapped[str | None] = mapped_column(String(200), nullable=True)
    postal_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    country: Mapped[str] = mapped_column(String(2), default="SE")
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    base_currency: Mapped[str] = mapped_column(String(3), default="SEK")


class Store(Base):
    """A physical shop: the place of sale printed on receipts; sells out of its stock location."""

    __tablename__ = "store"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address1: Mapped[str | None] = mapped_column(String(200), nullable=True)
    postal_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    country: Mapped[str] = mapped_column(String(2), default="SE")
    #: the stock location POS sales move goods out of (nullable: set up before or after the store)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), nullable=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)


class Register(Base):
    """A till. Its code is the register identity (kassabeteckning) printed on every receipt."""

    __tablename__ = "register"
    __table_args__ = (CheckConstraint(f"length(code) <= {REGISTER_CODE_MAX}", name="code_length"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("store.id"), index=True)
    code: Mapped[str] = mapped_column(String(REGISTER_CODE_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: manufacturing number (tillverkningsnummer) of the control unit, printed on receipts
    control_unit_serial: Mapped[str | None] = mapped_column(String(64), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Channel(Base):
    """Where sales come from: a store's tills, a webshop, manual orders, B2B."""

    __tablename__ = "channel"
    __table_args__ = (CheckConstraint("kind IN ('store', 'webshop', 'manual', 'b2b')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    store_id: Mapped[int | None] = mapped_column(ForeignKey("store.id"), nullable=True, index=True)
    #: where this channel ships from (a webshop's warehouse)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), nullable=True)
