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

#: what a back-office workstation (and the sync node) also reads from its replica: open orders,
#: deliveries, invoices, quotes, payments, purchasing, transfers and counts, settings. Tills never
#: get these (their feed and snapshots are filtered). FK-safe among themselves (parents first);
#: they reference only each other and SYNCED_TABLES. Stock movements and the integration
#: machinery's queues and logs stay on the server.
OFFICE_TABLES: tuple[str, ...] = (
    "exchange_rate", "gift_card", "purchase_order", "stock_count", "stock_transfer",
    "price_change", "product_cost", "purchase_order_line", "purchase_receipt", "reorder_point",
    "reservation", "stock_count_line", "stock_transfer_line", "stock_transfer_receipt",
    "supplier_article", "supplier_invoice", "integration_connection", "purchase_receipt_line",
    "sales_order", "supplier_invoice_line", "category_map", "delivery", "invoice", "order_event",
    "order_line", "provider_settlement", "quote", "webshop_order", "delivery_line",
    "incoming_payment", "integration_task", "invoice_line", "invoice_reminder", "quote_line",
    "shipment_cancel", "shipment_label",
    # the ledger (read on the workstation: vouchers, reports, VAT return, SIE export); posted only
    # on the server through commands, mirrored here
    "account", "ledger_setting", "financial_year", "voucher_series", "period_lock",
    "opening_balance", "voucher", "voucher_row",
)

#: the two scopes a replica can have: a till's, or an office workstation's (everything above)
SCOPES: dict[str, tuple[str, ...]] = {"pos": SYNCED_TABLES, "office": SYNCED_TABLES + OFFICE_TABLES}

#: every table whose changes the server logs (the office scope is the widest)
SYNCED = frozenset(SCOPES["office"])

#: columns of synced tables that stay on the server (sent as null to replicas)
PRIVATE_COLUMNS: dict[str, frozenset[str]] = {"user_account": frozenset({"password_hash"})}


def public_row(table: str, row: dict | None) -> dict | None:
    """The row as a replica may see it: private columns nulled (tills check PINs, never passwords)."""
    private = PRIVATE_COLUMNS.get(table)
    if not private or row is None:
        return row
    return {k: (None if k in private else v) for k, v in row.items()}

#: position of each table in the widest scope (for ordering changes parents-first)
ORDER = {name: i for i, name in enumerate(SCOPES["office"])}


def scope_of(kind: str, device_kind: str | None, is_manager: bool) -> str:
    """The scope a caller reads: tills get "pos"; office devices, sync nodes and managers "office"."""
    if kind == "device":
        return "pos" if device_kind == "pos" else "office"
    return "office" if is_manager else "pos"


def is_synced(table: str) -> bool:
    return table in SYNCED


def present(metadata, scope: str = "pos") -> list[str]:
    """The scope's tables that exist in `metadata`, in FK-safe order."""
    return [t for t in SCOPES[scope] if t in metadata.tables]
