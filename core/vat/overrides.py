"""Set or clear a product's VAT class for one country (e.g. food in SE, standard elsewhere)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.vat.models import ProductVatOverride, VatClass
from core.vat.rates import check_country


def set_vat_override(session: Session, product_id: int, country: str, vat_class: str | None) -> None:
    """Give `product_id` the class `vat_class` in `country`; None removes the override so the
    product's own class applies again. The caller commits."""
    country = check_country(country)
    if vat_class is None:
        session.execute(delete(ProductVatOverride).where(
            ProductVatOverride.product_id == product_id, ProductVatOverride.country == country))
        return
    if session.get(VatClass, vat_class) is None:
        known = sorted(session.scalars(select(VatClass.code)))
        raise NotFound(f"unknown VAT class '{vat_class}'", field="vat_class",
                       hint="use one of " + ", ".join(known))
    row = session.get(ProductVatOverride, (product_id, country))
    if row is None:
        session.add(ProductVatOverride(product_id=product_id, country=country, vat_class=vat_class))
    else:
        row.vat_class = vat_class
    session.flush()
