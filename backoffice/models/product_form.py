"""What the product editor reads and sends: product fields, barcodes and per-country VAT classes.

Loading reads the window's own store; saving is the `products.create` / `products.update` command
(core/commands/catalog.py), so on a workstation the change is made on the server.
"""

from __future__ import annotations

import dataclasses

from core.catalog.editor import ProductForm, load_product

__all__ = ["ProductForm", "load_product", "save_command"]


def save_command(form: ProductForm) -> tuple[str, dict]:
    """The command (name, JSON args) that saves the editor's form: create, or update every field."""
    fields = dataclasses.asdict(form.product)
    fields["vat_overrides"] = dict(form.overrides)
    if form.id is None:
        return "products.create", fields
    return "products.update", {"product_id": form.id, **fields}
