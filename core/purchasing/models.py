"""Tables for purchasing; for now only the supplier a product is bought from (or drop-shipped by)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class Supplier(Base):
    """A company we buy goods from; drop-ship products name the supplier that ships them."""

    __tablename__ = "supplier"
    __table_args__ = (
        CheckConstraint("lead_time_days IS NULL OR lead_time_days >= 0", name="lead_time"),
        CheckConstraint("payment_terms_days IS NULL OR payment_terms_days >= 0", name="payment_terms"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: the currency the supplier invoices in (ISO 4217)
    currency: Mapped[str] = mapped_column(String(3), default="SEK")
    lead_time_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    payment_terms_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
