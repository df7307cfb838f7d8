"""Butik's domain library: money, catalogue, stock, customers, sales, the local store and sync. Never imports Qt."""

__version__ = "0.1.0"
