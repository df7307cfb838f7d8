"""Tables for invoices and credit notes, their lines, incoming payments and reminders."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UuidPk, utcnow

INVOICE_KINDS = ("invoice", "credit_note")
PAYMENT_SOURCES = ("manual", "bgmax", "csv", "provider")


class Invoice(UuidPk, Base):
    """An invoice or credit note (amounts negative) with its gap-free number and OCR reference.

    Customer, addresses and order numbers are snapshots: the document says what it said when issued.
    """

    __tablename__ = "invoice"
    __table_args__ = (
        CheckConstraint("kind IN ('invoice', 'credit_note')", name="kind"),
        Index("ix_invoice_open_due", "settled", "due_date"),
    )

    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="invoice")
    #: OCR payment reference: digits ending in a Luhn check digit (with a length digit before it)
    ocr: Mapped[str] = mapped_column(String(25), unique=True)
    order_id: Mapped[str | None] = mapped_column(ForeignKey("sales_order.id"), nullable=True,
                                                 index=True)
    order_number: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    channel_order_no: Mapped[str | None] = mapped_column(String(64), nullable=True)
    customer_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: a credit note's original invoice
    credited_invoice_id: Mapped[str | None] = mapped_column(ForeignKey("invoice.id"),
                                                            nullable=True, index=True)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customer.id"), nullable=True,
                                                    index=True)
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    buyer_vat_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    invoice_address: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    delivery_address: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="SEK")
    prices_include_vat: Mapped[bool] = mapped_column(Boolean, default=True)
    vat_treatment: Mapped[str] = mapped_column(String(20), default="domestic")
    vat_country: Mapped[str] = mapped_column(String(2), default="SE")
    invoice_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    #: öre; negative on credit notes. [{"rate_bp", "net", "vat"}] per rate
    total_net: Mapped[int] = mapped_column(BigInteger)
    total_vat: Mapped[int] = mapped_column(BigInteger)
    total_gross: Mapped[int] = mapped_column(BigInteger)
    vat_parts: Mapped[list] = mapped_column(JSON)
    #: wording the document must carry (reverse charge, export)
    legal_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: paid at checkout by a provider (klarna, card…): not a customer receivable
    paid_by_provider: Mapped[str | None] = mapped_column(String(20), nullable=True)
    provider_settled_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: payments received (öre) and whether nothing is left to pay (or refund)
    paid_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    settled: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class InvoiceLine(Base):
    """One billed line; `credited_qty` counts what credit notes have taken back from it."""

    __tablename__ = "invoice_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoice.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    order_line_id: Mapped[str | None] = mapped_column(ForeignKey("order_line.id"), nullable=True)
    delivery_id: Mapped[str | None] = mapped_column(ForeignKey("delivery.id"), nullable=True)
    #: a credit note line's invoice line
    credited_line_id: Mapped[int | None] = mapped_column(ForeignKey("invoice_line.id"),
                                                         nullable=True)
    sku: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(200))
    qty: Mapped[int] = mapped_column(BigInteger)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    discount_bp: Mapped[int] = mapped_column(Integer, default=0)
    #: in the invoice's VAT basis; negative on credit notes
    amount: Mapped[int] = mapped_column(BigInteger)
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    credited_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    credited_amount: Mapped[int] = mapped_column(BigInteger, default=0)


class IncomingPayment(UuidPk, Base):
    """Money received: by hand, from a bank file (BgMax, CSV) or a provider payout; matched to an invoice."""

    __tablename__ = "incoming_payment"
    __table_args__ = (
        CheckConstraint("source IN ('manual', 'bgmax', 'csv', 'provider')", name="source"),
    )

    paid_on: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="SEK")
    #: the reference as the payer gave it (OCR, invoice number, free text)
    reference: Mapped[str] = mapped_column(String(100), default="")
    payer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    source: Mapped[str] = mapped_column(String(10))
    #: file lines are imported once: '<source>:<sha256 of file>:<line>'
    idem_key: Mapped[str | None] = mapped_column(String(120), unique=True, nullable=True)
    invoice_id: Mapped[str | None] = mapped_column(ForeignKey("invoice.id"), nullable=True,
                                                   index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class Reminder(Base):
    """A payment reminder sent for an overdue invoice (level 1, 2, …)."""

    __tablename__ = "invoice_reminder"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoice.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    reminder_date: Mapped[dt.date] = mapped_column(Date)
    open_amount: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
