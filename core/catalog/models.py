"""Tables for the catalogue: category tree, products, barcodes, variant attributes, bundle components, images."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
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

from core.db.base import Base, utcnow

UNITS = ("pcs", "kg", "g", "l", "m", "h")
KINDS = ("goods", "service")
PRODUCT_TYPES = ("single", "variant_parent", "variant", "bundle")
SKU_MAX = 64
BARCODE_MAX = 14


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Category(Base):
    """A node of the category tree (Kläder › Tröjor); `sort` orders siblings."""

    __tablename__ = "category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), nullable=True, index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    sort: Mapped[int] = mapped_column(Integer, default=0)


class Product(Base):
    """Something we sell: a single article, a variant parent (template), one variant, or a SET article."""

    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint(_in("unit", UNITS), name="unit"),
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("product_type", PRODUCT_TYPES), name="product_type"),
        CheckConstraint("cost_price IS NULL OR cost_price >= 0", name="cost_price"),
        CheckConstraint("weight_g IS NULL OR weight_g >= 0", name="weight_g"),
        CheckConstraint("NOT (kind = 'service' AND stocked)", name="service_not_stocked"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(SKU_MAX), unique=True)
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(8), default="pcs")
    kind: Mapped[str] = mapped_column(String(16), default="goods")
    #: kept in stock (a stock ledger applies); services, variant parents, bundles and drop-ship are not
    stocked: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the supplier ships straight to the customer; needs `supplier_id`
    drop_ship: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), nullable=True, index=True)
    #: purchase price excl. VAT in öre of the base currency
    cost_price: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    weight_g: Mapped[int | None] = mapped_column(Integer, nullable=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), nullable=True, index=True)
    vat_class: Mapped[str] = mapped_column(ForeignKey("vat_class.code"), default="standard",
                                           server_default="standard")
    product_type: Mapped[str] = mapped_column(String(16), default="single")
    #: a variant's parent (the variant_parent product)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), nullable=True, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Barcode(Base):
    """An EAN-13, EAN-8 or UPC-A code; a product may have several, a code belongs to one product."""

    __tablename__ = "barcode"

    code: Mapped[str] = mapped_column(String(BARCODE_MAX), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)


class VariantAttribute(Base):
    """One axis of a variant parent's matrix (Färg, Storlek), in display order."""

    __tablename__ = "variant_attribute"
    __table_args__ = (UniqueConstraint("parent_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))


class VariantAttributeValue(Base):
    """One value of an axis (Röd) with its SKU code (ROD), in display order."""

    __tablename__ = "variant_attribute_value"
    __table_args__ = (UniqueConstraint("attribute_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("variant_attribute.id", ondelete="CASCADE"),
                                              index=True)
    position: Mapped[int] = mapped_column(Integer)
    value: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(32))


class ProductVariantValue(Base):
    """Which value of each axis a variant product has (Tröja Röd M → Färg=Röd, Storlek=M)."""

    __tablename__ = "product_variant_value"

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("variant_attribute.id", ondelete="CASCADE"),
                                              primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("variant_attribute_value.id", ondelete="CASCADE"),
                                          index=True)


class BundleComponent(Base):
    """A component of a SET article and how many of it (thousandths) one SET contains."""

    __tablename__ = "bundle_component"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("bundle_id <> component_id", name="not_itself"),
        Index("ix_bundle_component_component_id", "component_id"),
    )

    bundle_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    qty: Mapped[int] = mapped_column(BigInteger)


class ProductImage(Base):
    """An image file of a product (path relative to the data folder's images), in display order."""

    __tablename__ = "product_image"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)
