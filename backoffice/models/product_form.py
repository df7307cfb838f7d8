"""What the product editor reads and saves: product fields, barcodes and per-country VAT classes.

`save_product` runs in the caller's unit of work and uses only the catalogue's and VAT's own use
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
from core.errors import ValidationError
from core.vat.models import ProductVatOverride
from core.vat.overrides import set_vat_override


@dataclass
class ProductForm:
    """The editor's fields; `id` None for a new product."""

    product: ProductIn
    id: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)  # country → VAT class


def load_product(session: Session, product_id: int) -> ProductForm:
    p = get_product(session, product_id)
    data = ProductIn(**{k: getattr(p, k) for k in EDITABLE}, barcodes=barcodes_of(session, product_id))
    overrides = dict(session.execute(select(ProductVatOverride.country, ProductVatOverride.vat_class)
                                     .where(ProductVatOverride.product_id == product_id)).all())
    return ProductForm(data, product_id, overrides)


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
    current = dict(session.execute(select(ProductVatOverride.country, ProductVatOverride.vat_class)
                                   .where(ProductVatOverride.product_id == pid)).all())
    for country in sorted(set(current) - set(form.overrides)):
        set_vat_override(session, pid, country, None)
    for country, vat_class in sorted(form.overrides.items()):
        if current.get(country) != vat_class:
            set_vat_override(session, pid, country, vat_class)
    session.flush()
    return pid
