"""Purchasing: suppliers and their articles, purchase orders and receipts, supplier invoices, reorder, drop shipping.

Modules: suppliers, orders (purchase orders and their lifecycle, `on_order`), states (the state
machine), receiving (goods receipts, scan to receive), invoices (supplier invoices, accounts
payable), reorder (reorder points and suggestions), dropship (customer lines shipped by the
supplier). Each module lists its API at the top.
"""
