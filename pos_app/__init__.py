"""Touchscreen point of sale (PySide6)."""
