"""product search: FTS5 table product_fts kept right by triggers on product and barcode (SQLite only)

Revision ID: 0002
Revises: 0001

`product_fts` holds one row per product (rowid = product.id) with name_sv, name_en, sku and the
product's barcodes separated by spaces. Triggers keep it right whatever writes the tables (ORM,
raw bulk SQL, replica sync, upserts). The product triggers write with INSERT OR REPLACE, so an
INSERT OR REPLACE into product (whose implicit delete fires no trigger) cannot leave a stale row.

Hazard for later migrations: SQLite drops a table's triggers with the table, and Alembic's batch
mode rebuilds a table to change a column. A migration that batch-alters `product` or `barcode`
must recreate these triggers (see core/catalog/search.py `search_index_problems`).
PostgreSQL gets nothing here; search there falls back to ILIKE.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BARCODES = "(SELECT group_concat(code, ' ') FROM barcode WHERE product_id = {pid})"

UP = [
    # å, ä, ö stay distinct letters (remove_diacritics 0); 2- and 3-letter prefixes are pre-indexed
    """CREATE VIRTUAL TABLE product_fts USING fts5(
        name_sv, name_en, sku, barcodes,
        tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')""",
    f"""CREATE TRIGGER product_fts_ai AFTER INSERT ON product BEGIN
        INSERT OR REPLACE INTO product_fts(rowid, name_sv, name_en, sku, barcodes)
        VALUES (new.id, new.name_sv, new.name_en, new.sku, {_BARCODES.format(pid="new.id")});
    END""",
    f"""CREATE TRIGGER product_fts_au AFTER UPDATE OF id, name_sv, name_en, sku ON product
    WHEN old.id IS NOT new.id OR old.name_sv IS NOT new.name_sv OR old.name_en IS NOT new.name_en
         OR old.sku IS NOT new.sku
    BEGIN
        DELETE FROM product_fts WHERE rowid = old.id;
        INSERT OR REPLACE INTO product_fts(rowid, name_sv, name_en, sku, barcodes)
        VALUES (new.id, new.name_sv, new.name_en, new.sku, {_BARCODES.format(pid="new.id")});
    END""",
    """CREATE TRIGGER product_fts_ad AFTER DELETE ON product BEGIN
        DELETE FROM product_fts WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER barcode_fts_ai AFTER INSERT ON barcode BEGIN
        UPDATE product_fts SET barcodes = {_BARCODES.format(pid="new.product_id")}
        WHERE rowid = new.product_id;
    END""",
    f"""CREATE TRIGGER barcode_fts_au AFTER UPDATE OF code, product_id ON barcode
    WHEN old.code IS NOT new.code OR old.product_id IS NOT new.product_id
    BEGIN
        UPDATE product_fts SET barcodes = {_BARCODES.format(pid="old.product_id")}
        WHERE rowid = old.product_id;
        UPDATE product_fts SET barcodes = {_BARCODES.format(pid="new.product_id")}
        WHERE rowid = new.product_id;
    END""",
    f"""CREATE TRIGGER barcode_fts_ad AFTER DELETE ON barcode BEGIN
        UPDATE product_fts SET barcodes = {_BARCODES.format(pid="old.product_id")}
        WHERE rowid = old.product_id;
    END""",
    # a database upgraded with products in it
    f"""INSERT INTO product_fts(rowid, name_sv, name_en, sku, barcodes)
        SELECT p.id, p.name_sv, p.name_en, p.sku, {_BARCODES.format(pid="p.id")} FROM product p""",
]

DOWN = [
    "DROP TRIGGER IF EXISTS barcode_fts_ad",
    "DROP TRIGGER IF EXISTS barcode_fts_au",
    "DROP TRIGGER IF EXISTS barcode_fts_ai",
    "DROP TRIGGER IF EXISTS product_fts_ad",
    "DROP TRIGGER IF EXISTS product_fts_au",
    "DROP TRIGGER IF EXISTS product_fts_ai",
    "DROP TABLE IF EXISTS product_fts",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in UP:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in DOWN:
        op.execute(statement)
