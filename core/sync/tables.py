"""The tables the server sends down to every replica, in foreign-key-safe order (parents first).

Both halves of sync read this list: the server logs every change to these tables in its change
log and serves them as snapshots; the client bootstraps and applies changes into its local tables
of the same names. Everything else stays where it is born: client-only tables (outbox, the POS's
receipts and journal, sync_state) are never sent down, and the server's own ledgers
(stock_movement, sales_receipt, reservations, sessions, devices, change_log) never leave the
server. User accounts go down without their password hashes, so a till can check PINs offline.
Self references (category.parent_id, product.parent_id) are the one place where order within a
table matters; appliers defer foreign keys per page.
"""

from __future__ import annotations

#: FK-safe order: a table only references tables listed before it (or itself).
SYNCED_TABLES: tuple[str, ...] = (
    # who may use a till: names, roles and PIN hashes (password hashes never leave the server)
    "user_account",
    # VAT
    "vat_class",
    "vat_rate",
    # stock places, company, stores, tills, sales channels
    "location",
    "company",
    "store",
    "register",
    "channel",
    # catalogue
    "supplier",
    "category",
    "product",
    "barcode",
    "variant_attribute",
    "variant_attribute_value",
    "product_variant_value",
    "bundle_component",
    "product_image",
    "product_vat_override",
    # prices
    "price_list",
    "price_list_item",
    "price_list_channel",
    # customers
    "customer",
    "customer_address",
    # stock levels (the server's cached levels; movements stay on the server)
    "stock_level",
)

SYNCED = frozenset(SYNCED_TABLES)

#: columns of synced tables that stay on the server (sent as null to replicas)
PRIVATE_COLUMNS: dict[str, frozenset[str]] = {"user_account": frozenset({"password_hash"})}


def public_row(table: str, row: dict | None) -> dict | None:
    """The row as a replica may see it: private columns nulled (tills check PINs, never passwords)."""
    private = PRIVATE_COLUMNS.get(table)
    if not private or row is None:
        return row
    return {k: (None if k in private else v) for k, v in row.items()}

#: position of each table in SYNCED_TABLES (for ordering changes parents-first)
ORDER = {name: i for i, name in enumerate(SYNCED_TABLES)}


def is_synced(table: str) -> bool:
    return table in SYNCED


def present(metadata) -> list[str]:
    """SYNCED_TABLES that exist in `metadata` (areas not written yet are left out), in order."""
    return [t for t in SYNCED_TABLES if t in metadata.tables]
