"""Tables for the integration jobs: connections (no secrets), problem log, webshop order links, publish queue, settlements, shipments, category map."""

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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utcnow

CONNECTION_KINDS = ("starweb", "klarna", "nets", "unifaun")
LOG_LEVELS = ("error", "warning", "info")


class IntegrationConnection(Base):
    """One shop, payment account or carrier account the sync node talks to.

    The secret (client secret, API password, key secret) is NOT here: it lives in the OS keyring
    under service ``butik-integrations`` and user ``code`` (see `core.integrations.connections`).
    """

    __tablename__ = "integration_connection"
    __table_args__ = (
        CheckConstraint("kind IN ('starweb', 'klarna', 'nets', 'unifaun')", name="kind"),
        CheckConstraint("poll_interval_s >= 10", name="poll_interval"),
        CheckConstraint("buffer_qty >= 0", name="buffer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    base_url: Mapped[str] = mapped_column(String(500))
    #: the public half of the credentials: OAuth client id, API username, key id
    client_id: Mapped[str] = mapped_column(String(200), default="")
    #: webshops: the sales channel orders are imported into
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id"), nullable=True)
    #: webshops: our price list and stock location published to the shop
    price_list_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    stock_location_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: thousandths held back per item when publishing availability
    buffer_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    #: our order status → the shop's status idCode (created, picking, completed, canceled)
    status_map: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    poll_interval_s: Mapped[int] = mapped_column(Integer, default=60)
    #: everything else: shop_pricelist_id, shop_stock_location_id, stock_status_id, service_id…
    settings: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: webshops: newest shop order creation time imported (naive UTC), the import cursor
    orders_cursor: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: last publish_queue id this connection has published
    publish_cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    #: stock levels and prices changed up to this time (naive UTC) have been published
    swept_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: the last full reconciliation of stock and prices with the shop
    last_reconcile_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: the last time orders were imported (the polling interval counts from here)
    last_poll_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    last_settlement_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: the vendor asked us to wait (429/5xx with Retry-After): nothing is sent before this
    paused_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: carriers: the TrackBack feed position kept between polls, and when the next poll is allowed
    fetch_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    next_fetch_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class IntegrationLog(Base):
    """A problem (or notable event) met by an integration job, shown in the back office."""

    __tablename__ = "integration_log"
    __table_args__ = (
        CheckConstraint("level IN ('error', 'warning', 'info')", name="level"),
        Index("ix_integration_log_open", "resolved_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    connection_id: Mapped[int | None] = mapped_column(ForeignKey("integration_connection.id"),
                                                      nullable=True, index=True)
    level: Mapped[str] = mapped_column(String(10), default="error")
    #: which job: orders_in, orders_out, stock_out, payments, shipping, settlements
    job: Mapped[str] = mapped_column(String(20))
    #: what it concerns: a shop order id, an order number, a task id, a SKU
    ref: Mapped[str | None] = mapped_column(String(100), nullable=True)
    message: Mapped[str] = mapped_column(Text)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class WebshopOrder(Base):
    """A shop's order and the order it became here; what has been written back to the shop."""

    __tablename__ = "webshop_order"
    __table_args__ = (
        UniqueConstraint("connection_id", "shop_order_id", name="uq_webshop_order_shop_order"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("integration_connection.id"))
    shop_order_id: Mapped[str] = mapped_column(String(64))
    #: None while held (no line could be matched); retried every round
    order_id: Mapped[str | None] = mapped_column(ForeignKey("sales_order.id"), nullable=True,
                                                 index=True)
    #: needs a person: unknown SKU, amounts or VAT that differ from the shop, customer not matched
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    problems: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: the raw order as read from the shop (for held orders and for the record)
    raw: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    reference_written: Mapped[bool] = mapped_column(Boolean, default=False)
    pushed_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    pushed_tracking: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: {order line id: {"item": shop itemId, "qty": pieces}}
    line_map: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: the newest order_event id written back (the order changed since when it is higher)
    event_seen: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PublishQueue(Base):
    """Products whose stock or price changed: each webshop publishes them after its own cursor."""

    __tablename__ = "publish_queue"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"),
                                    primary_key=True, autoincrement=True)
    product_id: Mapped[int] = mapped_column(Integer, index=True)
    queued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PublishedItem(Base):
    """What a shop holds for one of our products (its variant ids) and the values last sent."""

    __tablename__ = "published_item"

    connection_id: Mapped[int] = mapped_column(ForeignKey("integration_connection.id"),
                                               primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    #: None when the shop has no variant with this SKU (checked again by the reconciliation)
    shop_product_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    shop_variant_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: the shop variant's own SKU when it differs from ours (matched by template and value names)
    shop_sku: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    qty: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    price_ex_vat: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class ProviderSettlement(Base):
    """A payout imported from Klarna or Nets: what was paid out, the fees (for the ledger), invoices settled."""

    __tablename__ = "provider_settlement"
    __table_args__ = (
        UniqueConstraint("connection_id", "payout_ref", name="uq_provider_settlement_payout"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("integration_connection.id"))
    provider: Mapped[str] = mapped_column(String(10))
    payout_ref: Mapped[str] = mapped_column(String(100))
    payout_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    currency: Mapped[str] = mapped_column(String(3))
    #: öre: paid to our bank account, the sales in it, the provider's fees and their VAT
    amount: Mapped[int] = mapped_column(BigInteger)
    sales: Mapped[int] = mapped_column(BigInteger, default=0)
    fees: Mapped[int] = mapped_column(BigInteger, default=0)
    fee_vat: Mapped[int] = mapped_column(BigInteger, default=0)
    invoices_settled: Mapped[int] = mapped_column(Integer, default=0)
    #: provider order/payment references that matched no invoice
    unmatched: Mapped[list | None] = mapped_column(JSON, nullable=True)
    #: set by the ledger when it posts the fees
    posted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ShipmentLabel(Base):
    """The carrier's booking for a delivery: shipment id, tracking number and the label PDF to print."""

    __tablename__ = "shipment_label"

    delivery_id: Mapped[str] = mapped_column(ForeignKey("delivery.id"), primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("integration_connection.id"))
    shipment_id: Mapped[str] = mapped_column(String(100))
    tracking_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    printed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: the carrier's status from the TrackBack feed (printed, delivering, delivered, cancelled…)
    carrier_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ShipmentCancel(Base):
    """A request to cancel the carrier booking of a delivery that was cancelled or returned."""

    __tablename__ = "shipment_cancel"
    __table_args__ = (Index("ix_shipment_cancel_open", "done_at"),)

    delivery_id: Mapped[str] = mapped_column(ForeignKey("delivery.id"), primary_key=True)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    requested_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: 'cancelled' (at the carrier), 'not_booked' (the booking was dropped before it was made)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class CategoryMap(Base):
    """Which shop category one of our categories is, per webshop connection."""

    __tablename__ = "category_map"
    __table_args__ = (
        UniqueConstraint("connection_id", "shop_category_id", name="uq_category_map_shop"),
    )

    connection_id: Mapped[int] = mapped_column(ForeignKey("integration_connection.id"),
                                               primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), primary_key=True)
    shop_category_id: Mapped[int] = mapped_column(BigInteger)
    #: 'pushed' (created in the shop by us), 'matched' (found there by name), 'manual'
    origin: Mapped[str] = mapped_column(String(10), default="manual")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
