"""Use cases for products: create, update, barcodes, look up by SKU — every refusal names its field."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog.barcodes import lookup_variants, validate_barcode
from core.catalog.models import KINDS, PRODUCT_TYPES, UNITS, Barcode, Category, Product
from core.db.base import utcnow
from core.errors import Conflict, NotFound, ValidationError

#: Starweb's SKU pattern: letters, digits, dot, underscore, dash; 1–64 characters
SKU_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")
NAME_MAX = 200


@dataclass
class ProductIn:
    """What a product is made of; `stocked=None` derives it (goods singles and variants are stocked)."""

    sku: str
    name_sv: str
    name_en: str = ""
    description: str = ""
    unit: str = "pcs"
    kind: str = "goods"
    stocked: bool | None = None
    drop_ship: bool = False
    supplier_id: int | None = None
    cost_price: int | None = None
    weight_g: int | None = None
    category_id: int | None = None
    vat_class: str = "standard"
    product_type: str = "single"
    parent_id: int | None = None
    active: bool = True
    barcodes: list[str] = field(default_factory=list)


#: columns `update_product` may change
EDITABLE = frozenset(f.name for f in dataclasses.fields(ProductIn)) - {"barcodes"}


def validate_sku(sku) -> str:
    if not isinstance(sku, str) or not sku.strip():
        raise ValidationError("an article number (SKU) is required", field="sku")
    sku = sku.strip()
    if not SKU_RE.fullmatch(sku):
        raise ValidationError(f"{sku!r} is not a valid SKU: use 1–64 of A–Z, a–z, 0–9, '.', '_' or '-'",
                              field="sku", hint="no spaces or å/ä/ö")
    return sku


def _name(value, field_name: str, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError("must be text", field=field_name)
    value = value.strip()
    if required and not value:
        raise ValidationError("a name is required", field=field_name)
    if len(value) > NAME_MAX:
        raise ValidationError(f"is {len(value)} characters; at most {NAME_MAX}", field=field_name)
    return value


def _whole_number(value, field_name: str, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{what} must be a whole number, got {value!r}", field=field_name)
    if value < 0:
        raise ValidationError(f"{what} cannot be negative ({value})", field=field_name)
    return value


def _one_of(value, allowed: tuple[str, ...], field_name: str) -> str:
    if value not in allowed:
        raise ValidationError(f"{value!r} is not one of {', '.join(allowed)}", field=field_name)
    return value


def _exists(session: Session, column, value, field_name: str, what: str) -> None:
    if value is not None and session.execute(select(column).where(column == value)).first() is None:
        raise NotFound(f"no {what} {value!r}", field=field_name, hint=f"create the {what} first")


def validate_product(session: Session, data: ProductIn, product_id: int | None = None) -> ProductIn:
    """A checked, normalised copy of `data`; raises the first problem found, naming its field."""
    from core.purchasing.models import Supplier
    from core.vat.models import VatClass

    d = dataclasses.replace(data)
    d.sku = validate_sku(d.sku)
    d.name_sv = _name(d.name_sv, "name_sv", required=True)
    d.name_en = _name(d.name_en, "name_en", required=False) or d.name_sv
    d.description = d.description or ""
    d.unit = _one_of(d.unit, UNITS, "unit")
    d.kind = _one_of(d.kind, KINDS, "kind")
    d.product_type = _one_of(d.product_type, PRODUCT_TYPES, "product_type")
    d.cost_price = _whole_number(d.cost_price, "cost_price", "the cost price (öre)")
    d.weight_g = _whole_number(d.weight_g, "weight_g", "the weight (grams)")
    stockable = d.kind == "goods" and d.product_type in ("single", "variant") and not d.drop_ship
    if d.stocked is None:
        d.stocked = stockable
    elif d.stocked and not stockable:
        reason = ("a service is never stocked" if d.kind == "service" else
                  "a drop-ship product is shipped by the supplier, not from stock" if d.drop_ship else
                  f"a {d.product_type.replace('_', ' ')} has no stock of its own")
        raise ValidationError(reason, field="stocked", hint="set stocked to false")
    if d.drop_ship and d.supplier_id is None:
        raise ValidationError("a drop-ship product needs the supplier that ships it", field="supplier_id")
    if d.product_type == "variant":
        if d.parent_id is None:
            raise ValidationError("a variant needs its variant parent", field="parent_id")
        parent = session.get(Product, d.parent_id)
        if parent is None:
            raise NotFound(f"no product with id {d.parent_id}", field="parent_id")
        if parent.product_type != "variant_parent":
            raise ValidationError(f"{parent.sku} is not a variant parent", field="parent_id")
    elif d.parent_id is not None:
        raise ValidationError("only a variant has a parent", field="parent_id")
    _exists(session, Category.id, d.category_id, "category_id", "category")
    _exists(session, VatClass.code, d.vat_class, "vat_class", "VAT class")
    _exists(session, Supplier.id, d.supplier_id, "supplier_id", "supplier")
    clash = session.execute(select(Product.id).where(Product.sku == d.sku)).scalar()
    if clash is not None and clash != product_id:
        raise Conflict(f"SKU {d.sku} is already used by product {clash}", field="sku",
                       hint="choose another article number")
    d.barcodes = [validate_barcode(c) for c in d.barcodes]
    return d


def create_product(session: Session, data: ProductIn) -> int:
    """Add a product (with its barcodes) to the caller's unit of work; returns its id."""
    d = validate_product(session, data)
    if d.barcodes and d.product_type == "variant_parent":
        raise ValidationError("a variant parent is not sold itself; put barcodes on its variants",
                              field="barcode")
    if len(set(d.barcodes)) != len(d.barcodes):
        raise ValidationError("the same barcode is given twice", field="barcode")
    for code in d.barcodes:
        _barcode_free(session, code)
    values = {k: getattr(d, k) for k in EDITABLE}
    product = Product(**values)
    session.add(product)
    session.flush()
    for code in d.barcodes:
        session.add(Barcode(code=code, product_id=product.id))
    session.flush()
    return product.id


def get_product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(f"no product with id {product_id}", field="product_id")
    return product


def get_by_sku(session: Session, sku: str) -> Product:
    """The product with this SKU; NotFound (field 'sku') when there is none."""
    product = session.execute(select(Product).where(Product.sku == (sku or "").strip())).scalar()
    if product is None:
        raise NotFound(f"no product with SKU {sku!r}", field="sku")
    return product


def update_product(session: Session, product_id: int, **changes) -> Product:
    """Change some of a product's fields, re-checking the whole product; returns it."""
    unknown = set(changes) - EDITABLE
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationError(f"{name} is not a product field that can be changed", field=name)
    product = get_product(session, product_id)
    current = ProductIn(**{k: getattr(product, k) for k in EDITABLE})
    if "kind" in changes or "drop_ship" in changes or "product_type" in changes:
        if "stocked" not in changes:
            current.stocked = None  # derive it again from the new kind
    d = validate_product(session, dataclasses.replace(current, **changes), product_id=product_id)
    if d.product_type != product.product_type:
        _refuse_type_change(session, product, d.product_type)
    for k in EDITABLE:
        if getattr(product, k) != getattr(d, k):
            setattr(product, k, getattr(d, k))
    product.updated_at = utcnow()
    session.flush()
    return product


def _refuse_type_change(session: Session, product: Product, new_type: str) -> None:
    from core.catalog.models import BundleComponent

    if product.product_type == "variant_parent" and session.execute(
            select(Product.id).where(Product.parent_id == product.id)).first():
        raise Conflict(f"{product.sku} has variants and must stay a variant parent", field="product_type")
    if product.product_type == "bundle" and session.execute(
            select(BundleComponent.component_id).where(BundleComponent.bundle_id == product.id)).first():
        raise Conflict(f"{product.sku} has components and must stay a SET article", field="product_type",
                       hint="remove its components first")


def _barcode_free(session: Session, code: str) -> None:
    holder = session.execute(select(Product.sku).join(Barcode, Barcode.product_id == Product.id)
                             .where(Barcode.code.in_(lookup_variants(code)))).scalar()
    if holder is not None:
        raise Conflict(f"barcode {code} already belongs to {holder}", field="barcode",
                       hint="remove it there first")


def add_barcode(session: Session, product_id: int, code: str) -> str:
    """Attach a validated barcode to a product; returns the stored code."""
    code = validate_barcode(code)
    product = get_product(session, product_id)
    if product.product_type == "variant_parent":
        raise ValidationError(f"{product.sku} is a variant parent and is not sold itself; "
                              "put the barcode on one of its variants", field="barcode")
    _barcode_free(session, code)
    session.add(Barcode(code=code, product_id=product_id))
    session.flush()
    return code


def remove_barcode(session: Session, code: str) -> None:
    row = session.get(Barcode, code.strip())
    if row is None:
        raise NotFound(f"no product has barcode {code!r}", field="barcode")
    session.delete(row)
    session.flush()


def barcodes_of(session: Session, product_id: int) -> list[str]:
    return list(session.execute(select(Barcode.code).where(Barcode.product_id == product_id)
                                .order_by(Barcode.code)).scalars())
