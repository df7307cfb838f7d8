"""Suppliers (terms, currency, lead time) and their article numbers and prices per product.

API:
    SupplierIn(code, name, email=None, phone=None, currency='SEK', lead_time_days=None,
               payment_terms_days=30, org_number=None, address1=None, postal_code=None,
               city=None, country=None, our_customer_no=None, notes=None, active=True)
    create_supplier(session, data) -> Supplier
    update_supplier(session, supplier_id, **changes) -> Supplier
    get_supplier(session, supplier_id) -> Supplier
    supplier_by_code(session, code) -> Supplier
    list_suppliers(session, active_only=False) -> list[Supplier]
    set_supplier_article(session, supplier_id, product_id, supplier_sku, price, pack_qty=1000,
                         preferred=True) -> SupplierArticle
    remove_supplier_article(session, supplier_id, product_id) -> None
    supplier_articles(session, supplier_id) -> list[SupplierArticle]
    article_for(session, supplier_id, product_id) -> SupplierArticle | None
    supplier_of(session, product_id) -> int | None   (preferred article's supplier, else product.supplier_id)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.errors import Conflict, NotFound, ValidationError
from core.money import check_currency
from core.purchasing.models import Supplier, SupplierArticle


@dataclass
class SupplierIn:
    code: str
    name: str
    email: str | None = None
    phone: str | None = None
    currency: str = "SEK"
    lead_time_days: int | None = None
    payment_terms_days: int | None = 30
    org_number: str | None = None
    address1: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    our_customer_no: str | None = None
    notes: str | None = None
    active: bool = True


FIELDS = frozenset(f.name for f in dataclasses.fields(SupplierIn))


def _days(value, field: str, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 3650:
        raise ValidationError(f"{what} is a whole number of days, 0–3650; got {value!r}", field=field)
    return value


def _check(session: Session, d: SupplierIn, supplier_id: int | None) -> SupplierIn:
    d = dataclasses.replace(d)
    d.code = (d.code or "").strip()
    if not d.code or len(d.code) > 32:
        raise ValidationError("a supplier code of 1–32 characters is required", field="code")
    d.name = (d.name or "").strip()
    if not d.name or len(d.name) > 200:
        raise ValidationError("a supplier name of 1–200 characters is required", field="name")
    d.currency = check_currency((d.currency or "").strip().upper())
    d.lead_time_days = _days(d.lead_time_days, "lead_time_days", "the lead time")
    d.payment_terms_days = _days(d.payment_terms_days, "payment_terms_days", "the payment terms")
    if d.email is not None:
        d.email = d.email.strip() or None
        if d.email and "@" not in d.email:
            raise ValidationError(f"{d.email!r} is not an e-mail address", field="email")
    if d.country is not None:
        d.country = d.country.strip().upper() or None
        if d.country and len(d.country) != 2:
            raise ValidationError("a country is a two-letter code (SE, DE…)", field="country")
    clash = session.scalar(select(Supplier.id).where(Supplier.code == d.code))
    if clash is not None and clash != supplier_id:
        raise Conflict(f"supplier code {d.code} is taken", field="code", hint="choose another code")
    return d


def create_supplier(session: Session, data: SupplierIn) -> Supplier:
    d = _check(session, data, None)
    supplier = Supplier(**dataclasses.asdict(d))
    session.add(supplier)
    session.flush()
    return supplier


def get_supplier(session: Session, supplier_id: int) -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(f"no supplier with id {supplier_id}", field="supplier_id")
    return supplier


def supplier_by_code(session: Session, code: str) -> Supplier:
    supplier = session.scalar(select(Supplier).where(Supplier.code == (code or "").strip()))
    if supplier is None:
        raise NotFound(f"no supplier with code {code!r}", field="supplier")
    return supplier


def update_supplier(session: Session, supplier_id: int, **changes) -> Supplier:
    unknown = set(changes) - FIELDS
    if unknown:
        name = min(unknown)
        raise ValidationError(f"{name} is not a supplier field", field=name)
    supplier = get_supplier(session, supplier_id)
    current = SupplierIn(**{k: getattr(supplier, k) for k in FIELDS})
    d = _check(session, dataclasses.replace(current, **changes), supplier_id)
    for k in FIELDS:
        setattr(supplier, k, getattr(d, k))
    session.flush()
    return supplier


def list_suppliers(session: Session, active_only: bool = False) -> list[Supplier]:
    stmt = select(Supplier).order_by(Supplier.name, Supplier.id)
    if active_only:
        stmt = stmt.where(Supplier.active.is_(True))
    return list(session.scalars(stmt))


def article_for(session: Session, supplier_id: int, product_id: int) -> SupplierArticle | None:
    return session.scalar(select(SupplierArticle).where(SupplierArticle.supplier_id == supplier_id,
                                                        SupplierArticle.product_id == product_id))


def set_supplier_article(session: Session, supplier_id: int, product_id: int, supplier_sku: str,
                         price: int, pack_qty: int = 1000, preferred: bool = True
                         ) -> SupplierArticle:
    """Create or change the supplier's article number and price (öre excl. VAT) for a product.

    Marking it preferred makes it the product's only preferred supplier article.
    """
    from core.catalog.products import get_product

    get_supplier(session, supplier_id)
    get_product(session, product_id)
    supplier_sku = (supplier_sku or "").strip()
    if not supplier_sku or len(supplier_sku) > 64:
        raise ValidationError("the supplier's article number (1–64 characters) is required",
                              field="supplier_sku")
    if isinstance(price, bool) or not isinstance(price, int) or price < 0:
        raise ValidationError(f"a purchase price is whole öre, 0 or more; got {price!r}",
                              field="price")
    if isinstance(pack_qty, bool) or not isinstance(pack_qty, int) or pack_qty <= 0:
        raise ValidationError(f"a pack size is a positive quantity; got {pack_qty!r}",
                              field="pack_qty")
    if preferred:
        session.execute(update(SupplierArticle).where(SupplierArticle.product_id == product_id,
                                                      SupplierArticle.supplier_id != supplier_id)
                        .values(preferred=False))
    article = article_for(session, supplier_id, product_id)
    if article is None:
        article = SupplierArticle(supplier_id=supplier_id, product_id=product_id)
        session.add(article)
    article.supplier_sku, article.price = supplier_sku, price
    article.pack_qty, article.preferred = pack_qty, preferred
    session.flush()
    return article


def remove_supplier_article(session: Session, supplier_id: int, product_id: int) -> None:
    article = article_for(session, supplier_id, product_id)
    if article is None:
        raise NotFound(f"supplier {supplier_id} has no article for product {product_id}",
                       field="product_id")
    session.delete(article)
    session.flush()


def supplier_articles(session: Session, supplier_id: int) -> list[SupplierArticle]:
    return list(session.scalars(select(SupplierArticle).where(
        SupplierArticle.supplier_id == supplier_id).order_by(SupplierArticle.supplier_sku)))


def supplier_of(session: Session, product_id: int) -> int | None:
    """Who we buy the product from: its preferred supplier article, else the product's supplier."""
    from core.catalog.models import Product

    sid = session.scalar(select(SupplierArticle.supplier_id).where(
        SupplierArticle.product_id == product_id, SupplierArticle.preferred.is_(True))
        .order_by(SupplierArticle.id).limit(1))
    return sid if sid is not None else session.scalar(
        select(Product.supplier_id).where(Product.id == product_id))
