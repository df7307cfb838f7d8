"""Exports to CSV: products (with barcodes and a price list's prices), customers, stock levels."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text

from core.dataio.csvrows import write_csv
from core.errors import NotFound
from core.money import format_amount
from core.progress import Progress, null_progress
from core.quantity import format_qty

PRODUCT_COLUMNS = ["sku", "name_sv", "name_en", "description", "unit", "kind", "stocked", "vat_class",
                   "category", "supplier", "cost_price", "weight_g", "drop_ship", "barcodes",
                   "price", "currency", "price_list", "product_type", "parent_sku"]
BATCH = 5000


def _money(value: int | None) -> str:
    return "" if value is None else format_amount(value, thousands_sep="")


def export_products(conn: Connection, path: str | Path, price_list: str | None = None,
                    progress: Progress = null_progress) -> int:
    """One row per product, in id order; `price` is the price list's regular price for one unit."""
    plist = _price_list(conn, price_list)
    total = conn.execute(text("SELECT count(*) FROM product")).scalar()
    sql = text("""
        SELECT p.id, p.sku, p.name_sv, p.name_en, p.description, p.unit, p.kind, p.stocked, p.vat_class,
               c.code, s.code, p.cost_price, p.weight_g, p.drop_ship, p.product_type, pp.sku,
               (SELECT group_concat(b.code, ' ') FROM barcode b WHERE b.product_id = p.id),
               (SELECT i.price FROM price_list_item i WHERE i.price_list_id = :pl AND i.product_id = p.id
                  AND i.min_qty = 1000 AND i.campaign = 0 AND i.valid_from IS NULL ORDER BY i.id LIMIT 1)
        FROM product p
        LEFT JOIN category c ON c.id = p.category_id
        LEFT JOIN supplier s ON s.id = p.supplier_id
        LEFT JOIN product pp ON pp.id = p.parent_id
        WHERE p.id > :after ORDER BY p.id LIMIT :limit""")

    def rows():
        after, done = 0, 0
        while True:
            batch = conn.execute(sql, {"pl": plist[0], "after": after, "limit": BATCH}).all()
            if not batch:
                return
            for r in batch:
                price = r[17]
                yield [r[1], r[2], r[3] or "", r[4] or "", r[5], r[6], int(bool(r[7])), r[8], r[9] or "",
                       r[10] or "", _money(r[11]), "" if r[12] is None else r[12], int(bool(r[13])),
                       r[16] or "", _money(price), plist[2] if price is not None else "",
                       plist[1] if price is not None else "",
                       r[14], r[15] or ""]
            after = batch[-1][0]
            done += len(batch)
            progress(done, total)

    return write_csv(path, PRODUCT_COLUMNS, rows())


def _price_list(conn: Connection, code: str | None) -> tuple[int, str, str]:
    if code:
        row = conn.execute(text("SELECT id, code, currency FROM price_list WHERE code = :c"), {"c": code}).first()
        if row is None:
            raise NotFound(f"no price list with code {code!r}", field="price_list")
    else:
        row = conn.execute(text("SELECT id, code, currency FROM price_list ORDER BY is_default DESC, id LIMIT 1")).first()
        if row is None:
            raise NotFound("there is no price list yet", field="price_list", hint="create one first")
    return row[0], row[1], row[2]


def export_stock(conn: Connection, path: str | Path, progress: Progress = null_progress) -> int:
    """On hand, reserved and available per product and location (quantities as decimals)."""
    total = conn.execute(text("SELECT count(*) FROM stock_level")).scalar()
    sql = text("""
        SELECT p.sku, l.code, s.on_hand, s.reserved, s.product_id, s.location_id
        FROM stock_level s JOIN product p ON p.id = s.product_id JOIN location l ON l.id = s.location_id
        WHERE (s.product_id, s.location_id) > (:p, :l)
        ORDER BY s.product_id, s.location_id LIMIT :limit""")

    def rows():
        p, loc, done = 0, 0, 0
        while True:
            batch = conn.execute(sql, {"p": p, "l": loc, "limit": BATCH}).all()
            if not batch:
                return
            for sku, code, on_hand, reserved, _, _ in batch:
                yield [sku, code, format_qty(on_hand), format_qty(reserved), format_qty(on_hand - reserved)]
            p, loc = batch[-1][4], batch[-1][5]
            done += len(batch)
            progress(done, total)

    return write_csv(path, ["sku", "location", "on_hand", "reserved", "available"], rows())
