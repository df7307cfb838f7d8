"""Tables for purchasing: suppliers and their articles, purchase orders, receipts, supplier invoices, reorder points."""

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
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UuidPk, utcnow

PO_STATUSES = ("draft", "sent", "confirmed", "partly_received", "received", "closed", "cancelled")
INVOICE_STATUSES = ("open", "paid")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


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
    org_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    address1: Mapped[str | None] = mapped_column(String(200), nullable=True)
    postal_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    #: our customer number at the supplier (printed on purchase orders)
    our_customer_no: Mapped[str | None] = mapped_column(String(40), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))


class SupplierArticle(Base):
    """A supplier's article number and purchase price (öre excl. VAT, supplier's currency) for a product."""

    __tablename__ = "supplier_article"
    __table_args__ = (
        UniqueConstraint("supplier_id", "product_id", name="uq_supplier_article_supplier_product"),
        CheckConstraint("price >= 0", name="price"),
        CheckConstraint("pack_qty > 0", name="pack_qty"),
        Index("ix_supplier_article_product", "product_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    supplier_sku: Mapped[str] = mapped_column(String(64))
    price: Mapped[int] = mapped_column(BigInteger)
    #: order in multiples of this (thousandths; 1000 = one piece)
    pack_qty: Mapped[int] = mapped_column(BigInteger, default=1000)
    #: the supplier we order this product from when reordering
    preferred: Mapped[bool] = mapped_column(Boolean, default=True)


class PurchaseOrder(Base):
    """An order to a supplier (gap-free `number`); drop-ship orders ship straight to a customer."""

    __tablename__ = "purchase_order"
    __table_args__ = (
        CheckConstraint(_in("status", PO_STATUSES), name="status"),
        CheckConstraint("exchange_rate_micro > 0", name="exchange_rate"),
        Index("ix_purchase_order_status", "status", "supplier_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    currency: Mapped[str] = mapped_column(String(3), default="SEK")
    #: base-currency öre per 1 unit of `currency`, × 1,000,000 (1,000,000 for SEK)
    exchange_rate_micro: Mapped[int] = mapped_column(BigInteger, default=1_000_000)
    order_date: Mapped[dt.date] = mapped_column(Date)
    expected_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: where goods are received; None for drop-ship orders
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), nullable=True)
    drop_ship: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the customer's delivery address for drop-ship orders
    ship_to: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    sales_order_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    supplier_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: the purchase order this one carries the back order of
    backorder_of: Mapped[int | None] = mapped_column(ForeignKey("purchase_order.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: Σ line amounts, öre excl. VAT in `currency`
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class PurchaseOrderLine(Base):
    """One product on a purchase order: ordered, received and cancelled quantities (thousandths)."""

    __tablename__ = "purchase_order_line"
    __table_args__ = (
        UniqueConstraint("po_id", "position", name="uq_purchase_order_line_po_position"),
        CheckConstraint("qty > 0 AND received_qty >= 0 AND cancelled_qty >= 0 "
                        "AND cancelled_qty <= qty", name="qty"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        Index("ix_purchase_order_line_product", "product_id", "po_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    sku: Mapped[str] = mapped_column(String(64))
    supplier_sku: Mapped[str | None] = mapped_column(String(64), nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    qty: Mapped[int] = mapped_column(BigInteger)
    received_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    cancelled_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    #: öre excl. VAT per unit, in the order's currency
    unit_price: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    #: the customer order line a drop-ship line delivers
    order_line_id: Mapped[str | None] = mapped_column(String(36), nullable=True, unique=True)


class PurchaseReceipt(UuidPk, Base):
    """Goods received against a purchase order (or a drop shipment the supplier confirmed)."""

    __tablename__ = "purchase_receipt"
    __table_args__ = (UniqueConstraint("po_id", "seq", name="uq_purchase_receipt_po_seq"),)

    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), nullable=True)
    drop_ship: Mapped[bool] = mapped_column(Boolean, default=False)
    received_on: Mapped[dt.date] = mapped_column(Date)
    tracking_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))


class PurchaseReceiptLine(Base):
    """How much of a purchase order line one receipt took in, at what price."""

    __tablename__ = "purchase_receipt_line"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[str] = mapped_column(ForeignKey("purchase_receipt.id"), index=True)
    po_line_id: Mapped[int] = mapped_column(ForeignKey("purchase_order_line.id"), index=True)
    qty: Mapped[int] = mapped_column(BigInteger)
    #: öre per unit in the order's currency, and in the base currency (what the average cost used)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    unit_cost: Mapped[int] = mapped_column(BigInteger)


class SupplierInvoice(UuidPk, Base):
    """A supplier's invoice, registered against a purchase order; open until paid (accounts payable)."""

    __tablename__ = "supplier_invoice"
    __table_args__ = (
        UniqueConstraint("supplier_id", "invoice_number", name="uq_supplier_invoice_number"),
        CheckConstraint(_in("status", INVOICE_STATUSES), name="status"),
        Index("ix_supplier_invoice_status_due", "status", "due_date"),
    )

    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"))
    po_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order.id"), nullable=True,
                                              index=True)
    invoice_number: Mapped[str] = mapped_column(String(64))
    invoice_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    #: öre in `currency`: net, VAT and what is to be paid
    net: Mapped[int] = mapped_column(BigInteger)
    vat: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger)
    #: some line's price or quantity differs from the order / the goods received
    has_differences: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="open")
    paid_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class SupplierInvoiceLine(Base):
    """An invoiced line next to what was ordered and received, with the differences flagged."""

    __tablename__ = "supplier_invoice_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("supplier_invoice.id"), index=True)
    po_line_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order_line.id"),
                                                   nullable=True)
    description: Mapped[str] = mapped_column(String(200), default="")
    qty: Mapped[int] = mapped_column(BigInteger)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    #: invoiced − received quantity, and invoiced − ordered unit price (0 = as expected)
    qty_difference: Mapped[int] = mapped_column(BigInteger, default=0)
    price_difference: Mapped[int] = mapped_column(BigInteger, default=0)


class ReorderPoint(Base):
    """When available + on order falls to `reorder_point`, order up to `order_up_to` (thousandths)."""

    __tablename__ = "reorder_point"
    __table_args__ = (CheckConstraint("reorder_point >= 0 AND order_up_to > reorder_point",
                                      name="levels"),)

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), primary_key=True)
    reorder_point: Mapped[int] = mapped_column(BigInteger)
    order_up_to: Mapped[int] = mapped_column(BigInteger)
