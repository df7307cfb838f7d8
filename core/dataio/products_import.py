"""`butik import products`: validate every row, then create or update products, barcodes and prices.

Each row is checked with the catalogue's own rules (`validate_product`, `validate_barcode`) inside
a savepoint, so a bad row leaves nothing behind. By default the whole import is rolled back when
any row is bad; `skip_bad` keeps the good rows. A product is matched on its SKU and only changed
fields are written, so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog.barcodes import validate_barcode
from core.catalog.models import Barcode, Category, Product
from core.catalog.products import (
    EDITABLE,
    ProductIn,
    add_barcode,
    create_product,
    update_product,
    validate_sku,
)
from core.dataio.csvrows import Row, RowCollector, parse_bool, parse_int, read_rows, rows_from_text
from core.errors import UserError, ValidationError
from core.money import parse_amount
from core.pricing.lists import set_price
from core.pricing.models import PriceList, PriceListItem
from core.progress import Progress, null_progress
from core.purchasing.models import Supplier

REQUIRED = {"sku", "name_sv"}
KNOWN = {"sku", "name_sv", "name_en", "description", "unit", "kind", "stocked", "vat_class", "category",
         "supplier", "cost_price", "weight_g", "drop_ship", "barcodes", "price", "currency", "price_list",
         "product_type", "parent_sku"}


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    prices_changed: int = 0
    committed: bool = False
    errors: list[tuple[int, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        head = (f"{self.rows:,} rows: {self.created:,} created, {self.updated:,} updated, "
                f"{self.unchanged:,} unchanged, {self.prices_changed:,} prices changed")
        if not self.errors:
            return head
        if self.committed:
            return head + f"; {len(self.errors):,} bad rows skipped"
        return f"{len(self.errors):,} bad row(s): nothing imported (use --skip-bad to import the good rows)"


class _Lookups:
    """Codes named in the file → ids, read once."""

    def __init__(self, session: Session):
        self.categories = dict(session.execute(select(Category.code, Category.id)).all())
        self.suppliers = dict(session.execute(select(Supplier.code, Supplier.id)).all())
        self.lists = {r.code: r for r in session.scalars(select(PriceList))}
        self.default_list = next((pl for pl in self.lists.values() if pl.is_default), None)

    def code(self, table: dict, value: str, field_name: str, what: str) -> int | None:
        if not value:
            return None
        if value not in table:
            raise ValidationError(f"no {what} with code {value!r}", field=field_name,
                                  hint=f"create the {what} first or fix the code")
        return table[value]

    def price_list(self, code: str) -> PriceList:
        if not code:
            if self.default_list is None:
                raise ValidationError("no default price list exists", field="price_list",
                                      hint="name a price list in the price_list column")
            return self.default_list
        if code not in self.lists:
            raise ValidationError(f"no price list with code {code!r}", field="price_list")
        return self.lists[code]


def _product_in(session: Session, row: Row, look: _Lookups) -> ProductIn:
    parent_id = None
    if row.get("parent_sku"):
        parent_id = session.execute(select(Product.id).where(Product.sku == row.get("parent_sku"))).scalar()
        if parent_id is None:
            raise ValidationError(f"no product with SKU {row.get('parent_sku')!r}", field="parent_sku",
                                  hint="put the variant parent on an earlier row")
    stocked = row.get("stocked")
    return ProductIn(
        sku=validate_sku(row.get("sku")), name_sv=row.get("name_sv"),
        name_en=row.get("name_en") or row.get("name_sv"),  # as the product stores it: re-import is unchanged
        description=row.get("description"), unit=row.get("unit") or "pcs", kind=row.get("kind") or "goods",
        stocked=parse_bool(stocked, "stocked") if stocked else None,
        drop_ship=parse_bool(row.get("drop_ship"), "drop_ship"),
        supplier_id=look.code(look.suppliers, row.get("supplier"), "supplier", "supplier"),
        cost_price=parse_amount(row.get("cost_price"), "cost_price", allow_negative=False)
        if row.get("cost_price") else None,
        weight_g=parse_int(row.get("weight_g"), "weight_g"),
        category_id=look.code(look.categories, row.get("category"), "category", "category"),
        vat_class=row.get("vat_class") or "standard", product_type=row.get("product_type") or "single",
        parent_id=parent_id, barcodes=[validate_barcode(c) for c in row.get("barcodes").replace("|", " ").split()])


def _apply_row(session: Session, row: Row, look: _Lookups, report: ImportReport) -> None:
    data = _product_in(session, row, look)
    price = plist = None
    if row.get("price"):
        price = parse_amount(row.get("price"), "price", allow_negative=False)
        plist = look.price_list(row.get("price_list"))
        currency = row.get("currency") or plist.currency
        if currency != plist.currency:
            raise ValidationError(f"price list {plist.code} is in {plist.currency}, the row says {currency}",
                                  field="currency", hint="use the list's currency or another price_list")
    elif row.get("currency") or row.get("price_list"):
        raise ValidationError("a currency or price list is given without a price", field="price")
    existing = session.execute(select(Product).where(Product.sku == data.sku)).scalar()
    if existing is None:
        pid = create_product(session, data)
        report.created += 1
    else:
        pid = existing.id
        wanted = {k: getattr(data, k) for k in EDITABLE}
        if data.stocked is None:
            wanted.pop("stocked")
        changes = {k: v for k, v in wanted.items() if getattr(existing, k) != v}
        if changes:
            update_product(session, pid, **changes)
        have = set(session.execute(select(Barcode.code).where(Barcode.product_id == pid)).scalars())
        new_codes = [c for c in data.barcodes if c not in have]
        for code in new_codes:
            add_barcode(session, pid, code)
        if changes or new_codes:
            report.updated += 1
        else:
            report.unchanged += 1
    if price is not None:
        current = session.execute(select(PriceListItem.price).where(
            PriceListItem.price_list_id == plist.id, PriceListItem.product_id == pid,
            PriceListItem.min_qty == 1000, PriceListItem.campaign.is_(False),
            PriceListItem.valid_from.is_(None), PriceListItem.valid_to.is_(None))).scalar()
        if current != price:
            set_price(session, plist.id, pid, price, changed_by="import")
            report.prices_changed += 1


def import_products(store, path: str | Path, *, skip_bad: bool = False,
                    progress: Progress = null_progress) -> ImportReport:
    """Import a products CSV into the store; returns what happened (bad rows in `errors`)."""
    rows, total = read_rows(path, REQUIRED, KNOWN)
    with store.write() as session:
        report = import_rows(session, rows, total, skip_bad=skip_bad, progress=progress)
        if report.committed:
            session.commit()
    return report


def import_products_text(session: Session, content: str, *, skip_bad: bool = False,
                         progress: Progress = null_progress) -> ImportReport:
    """Import a products CSV's text in the caller's unit of work (the caller commits)."""
    rows, total = rows_from_text(content, REQUIRED, KNOWN)
    return import_rows(session, rows, total, skip_bad=skip_bad, progress=progress)


def import_rows(session: Session, rows: list[Row], total: int, *, skip_bad: bool = False,
                progress: Progress = null_progress) -> ImportReport:
    """Apply the rows in the caller's unit of work; with bad rows and not `skip_bad`, nothing stays.

    `committed` in the report means the rows are kept for the caller's commit; when it is False
    every change of this import has already been rolled back (a savepoint), so committing is safe.
    """
    report = ImportReport(rows=total)
    collector = RowCollector()
    seen: dict[str, int] = {}
    whole = session.begin_nested()
    look = _Lookups(session)
    for done, row in enumerate(rows, 1):
        sku = row.get("sku")
        if sku and sku in seen:
            collector.fail(row.line, f"SKU {sku} is also on line {seen[sku]}", "sku")
            continue
        seen[sku] = row.line
        savepoint = session.begin_nested()
        try:
            _apply_row(session, row, look, report)
            savepoint.commit()
        except UserError as exc:  # a bad row: nothing of it stays
            savepoint.rollback()
            collector.fail(row.line, exc)
        if done % 500 == 0:
            progress(done, total)
    report.errors = sorted(collector.errors)
    if report.errors and not skip_bad:
        whole.rollback()
        report.created = report.updated = report.unchanged = report.prices_changed = 0
        return report
    whole.commit()
    report.committed = True
    progress(total, total)
    return report
