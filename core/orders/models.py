"""Tables for sales orders from every channel, their lines, status history, deliveries, quotes and integration tasks."""

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
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UuidPk, utcnow

ORDER_STATUSES = ("new", "confirmed", "partly_delivered", "delivered", "invoiced", "closed",
                  "cancelled")
LINE_KINDS = ("product", "shipping")
QUOTE_STATUSES = ("draft", "sent", "accepted", "rejected", "converted")
TASK_TYPES = ("capture_payment", "book_shipment", "release_payment", "refund_payment")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class _Parties:
    """Customer and address snapshots shared by orders and quotes (what was agreed, not what is now)."""

    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customer.id"), nullable=True,
                                                    index=True)
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    buyer_is_business: Mapped[bool] = mapped_column(Boolean, default=False)
    buyer_vat_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: {"name", "address1", "address2", "postal_code", "city", "country"}
    invoice_address: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    delivery_address: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="SEK")
    price_list_id: Mapped[int | None] = mapped_column(ForeignKey("price_list.id"), nullable=True)
    #: the lines' unit prices and amounts include VAT (retail) or exclude it (B2B)
    prices_include_vat: Mapped[bool] = mapped_column(Boolean, default=True)
    #: domestic | oss | reverse_charge | export, and the country whose rates apply
    vat_treatment: Mapped[str] = mapped_column(String(20), default="domestic")
    vat_country: Mapped[str] = mapped_column(String(2), default="SE")
    #: cached totals (öre) of the lines: net, VAT and gross
    total_net: Mapped[int] = mapped_column(BigInteger, default=0)
    total_vat: Mapped[int] = mapped_column(BigInteger, default=0)
    total_gross: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class _Line:
    """Priced line fields shared by order and quote lines; amounts in the document's VAT basis."""

    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), default="product")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), nullable=True)
    sku: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(200))
    #: thousandths of the product's unit
    qty: Mapped[int] = mapped_column(BigInteger)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    #: line discount in basis points (1000 = 10 %)
    discount_bp: Mapped[int] = mapped_column(Integer, default=0)
    #: qty × unit price − discount, rounded half up to the öre
    amount: Mapped[int] = mapped_column(BigInteger)
    vat_class: Mapped[str] = mapped_column(String(32), default="standard")
    vat_rate_bp: Mapped[int] = mapped_column(Integer)


class Order(UuidPk, _Parties, Base):
    """A customer order from any channel: ours (gap-free `number`) and the channel's number."""

    __tablename__ = "sales_order"
    __table_args__ = (
        CheckConstraint(_in("status", ORDER_STATUSES), name="status"),
        UniqueConstraint("channel_id", "channel_order_no", name="uq_sales_order_channel_order_no"),
        Index("ix_sales_order_status_created", "status", "created_at"),
        Index("ix_sales_order_created", "created_at"),
    )

    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id"), index=True)
    #: the webshop's own order number ("webshop order no."), None for manual orders
    channel_order_no: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    order_date: Mapped[dt.date] = mapped_column(Date)
    #: where stock is reserved (the channel's location unless chosen)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), nullable=True)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    #: 'klarna' | 'nets' | 'card' | 'invoice' | 'swish' | …
    payment_provider: Mapped[str] = mapped_column(String(20), default="invoice")
    payment_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    payment_authorised: Mapped[int] = mapped_column(BigInteger, default=0)
    payment_captured: Mapped[int] = mapped_column(BigInteger, default=0)
    #: the customer's reference / purchase order number
    customer_reference: Mapped[str | None] = mapped_column(String(100), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: set while lines are short: Σ (ordered − delivered) > 0 after a delivery
    has_backorder: Mapped[bool] = mapped_column(Boolean, default=False)
    quote_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class OrderLine(UuidPk, _Line, Base):
    """One line of an order: a product or the shipping fee."""

    __tablename__ = "order_line"
    __table_args__ = (
        CheckConstraint(_in("kind", LINE_KINDS), name="kind"),
        CheckConstraint("qty >= 0 AND delivered_qty >= 0 AND delivered_qty <= qty", name="qty"),
        UniqueConstraint("order_id", "position", name="uq_order_line_order_position"),
    )

    order_id: Mapped[str] = mapped_column(ForeignKey("sales_order.id"), index=True)
    delivered_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    #: shipped by the supplier straight to the customer; delivered when the supplier confirms
    drop_ship: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the key of the line's open reservation (changes after each delivery)
    reservation_key: Mapped[str | None] = mapped_column(String(160), nullable=True)


class OrderEvent(Base):
    """The order's history: every status change and edit, with who and when."""

    __tablename__ = "order_event"
    __table_args__ = (Index("ix_order_event_order_at", "order_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("sales_order.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    who: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="status")
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class Delivery(UuidPk, Base):
    """One shipment of (part of) an order, from one location or drop-shipped by the supplier."""

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("order_id", "seq", name="uq_delivery_order_seq"),)

    order_id: Mapped[str] = mapped_column(ForeignKey("sales_order.id"), index=True)
    #: 1, 2, … per order (printed as "<order number>-<seq>")
    seq: Mapped[int] = mapped_column(Integer)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), nullable=True)
    drop_ship: Mapped[bool] = mapped_column(Boolean, default=False)
    delivered_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    #: öre in the order's VAT basis, and gross incl. VAT (what the provider captures)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    gross: Mapped[int] = mapped_column(BigInteger, default=0)
    carrier: Mapped[str | None] = mapped_column(String(40), nullable=True)
    tracking_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: the invoice that bills this delivery (set once; invoicing twice is refused)
    invoice_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)


class DeliveryLine(Base):
    """How much of one order line a delivery carried and its amount (exact share of the line)."""

    __tablename__ = "delivery_line"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("delivery.id"), index=True)
    order_line_id: Mapped[str] = mapped_column(ForeignKey("order_line.id"), index=True)
    qty: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)


class Quote(UuidPk, _Parties, Base):
    """An offer to a customer, valid until a date; converted to an order in one step when accepted."""

    __tablename__ = "quote"
    __table_args__ = (CheckConstraint(_in("status", QUOTE_STATUSES), name="status"),)

    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    quote_date: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    order_id: Mapped[str | None] = mapped_column(ForeignKey("sales_order.id"), nullable=True)


class QuoteLine(UuidPk, _Line, Base):
    __tablename__ = "quote_line"
    __table_args__ = (CheckConstraint(_in("kind", LINE_KINDS), name="kind"),)

    quote_id: Mapped[str] = mapped_column(ForeignKey("quote.id"), index=True)


class IntegrationTask(UuidPk, Base):
    """Work for the integrations (sync node): capture a delivery's amount, book its shipment."""

    __tablename__ = "integration_task"
    __table_args__ = (
        CheckConstraint(_in("type", TASK_TYPES), name="type"),
        Index("ix_integration_task_pending", "done_at", "type"),
    )

    type: Mapped[str] = mapped_column(String(30))
    order_id: Mapped[str] = mapped_column(ForeignKey("sales_order.id"), index=True)
    delivery_id: Mapped[str | None] = mapped_column(ForeignKey("delivery.id"), nullable=True)
    #: the idempotency key for the provider ('<type>:<delivery id>')
    idem_key: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
