"""Purchasing: suppliers (and, later, purchase orders, goods receipts and supplier invoices)."""
