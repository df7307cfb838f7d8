"""What the back office's product dialogs save: a product with barcodes and VAT overrides, a whole
variant matrix with prices, one variant's EAN.

Each runs in the caller's unit of work and uses only the catalogue's, VAT's and pricing's own use
cases, so every rule (SKU format, EAN check digit, drop-ship needs a supplier…) is the same as in
the CLI import; a refusal raises before the caller commits, so nothing is half saved.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog.barcodes import validate_barcode
from core.catalog.products import (
    EDITABLE,
    ProductIn,
    add_barcode,
    barcodes_of,
    create_product,
    get_product,
    remove_barcode,
    update_product,
)
from core.catalog.variants import VariantMatrix, create_variant_matrix
from core.errors import ValidationError
from core.pricing.lists import set_price
from core.vat.models import ProductVatOverride
from core.vat.overrides import set_vat_override


@dataclass
class ProductForm:
    """The editor's fields; `id` None for a new product."""

    product: ProductIn
    id: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)  # country → VAT class


def vat_overrides_of(session: Session, product_id: int) -> dict[str, str]:
    """The product's VAT class per country, where it differs from its own."""
    return dict(session.execute(select(ProductVatOverride.country, ProductVatOverride.vat_class)
                                .where(ProductVatOverride.product_id == product_id)).all())


def load_product(session: Session, product_id: int) -> ProductForm:
    p = get_product(session, product_id)
    data = ProductIn(**{k: getattr(p, k) for k in EDITABLE}, barcodes=barcodes_of(session, product_id))
    return ProductForm(data, product_id, vat_overrides_of(session, product_id))


def save_product(session: Session, form: ProductForm) -> int:
    """Create or update the product with its barcodes and VAT overrides; returns its id."""
    codes = [validate_barcode(c) for c in form.product.barcodes]
    if len(set(codes)) != len(codes):
        raise ValidationError("the same barcode is given twice", field="barcode")
    if form.id is None:
        pid = create_product(session, dataclasses.replace(form.product, barcodes=codes))
    else:
        pid = form.id
        current_product = get_product(session, pid)
        changes = {k: getattr(form.product, k) for k in EDITABLE
                   if getattr(form.product, k) != getattr(current_product, k)}
        if form.product.stocked is None:  # derived from kind, type and drop-ship
            changes.pop("stocked", None)
        if changes:
            update_product(session, pid, **changes)
        have = set(barcodes_of(session, pid))
        for code in sorted(have - set(codes)):
            remove_barcode(session, code)
        for code in codes:
            if code not in have:
                add_barcode(session, pid, code)
    current = vat_overrides_of(session, pid)
    for country in sorted(set(current) - set(form.overrides)):
        set_vat_override(session, pid, country, None)
    for country, vat_class in sorted(form.overrides.items()):
        if current.get(country) != vat_class:
            set_vat_override(session, pid, country, vat_class)
    session.flush()
    return pid


@dataclass
class MatrixSpec:
    """A template: the parent's SKU and names, the axes, shared fields and one price for every variant."""

    parent_sku: str
    name_sv: str
    name_en: str = ""
    attributes: list[tuple[str, list]] = field(default_factory=list)  # (name, [value or (value, code)])
    category_id: int | None = None
    vat_class: str = "standard"
    supplier_id: int | None = None
    cost_price: int | None = None
    price: int | None = None
    price_list_id: int | None = None


def create_matrix(session: Session, spec: MatrixSpec, changed_by: str | None = None) -> VariantMatrix:
    """The whole matrix in one step, with every variant's price when given; the caller commits."""
    if spec.price is not None and spec.price_list_id is None:
        raise ValidationError("choose the price list the price belongs to", field="price_list_id")
    base = {"category_id": spec.category_id, "vat_class": spec.vat_class, "supplier_id": spec.supplier_id,
            "cost_price": spec.cost_price}
    matrix = create_variant_matrix(session, spec.parent_sku, (spec.name_sv, spec.name_en),
                                   spec.attributes, **base)
    if spec.price is not None:
        for pid in matrix.variants.values():
            set_price(session, spec.price_list_id, pid, spec.price, changed_by=changed_by)
    return matrix


def set_variant_ean(session: Session, product_id: int, code: str) -> str:
    """Make `code` the product's only barcode (empty removes them all); returns the checked code."""
    code = validate_barcode(code, field="ean") if code else ""
    get_product(session, product_id)
    for old in barcodes_of(session, product_id):
        if old != code:
            remove_barcode(session, old)
    if code and code not in barcodes_of(session, product_id):
        add_barcode(session, product_id, code)
    return code
