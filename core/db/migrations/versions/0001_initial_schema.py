"""initial schema

Revision ID: 0001
Revises:
Generated from the models by python -m core.db.autogen; the statements are in ../initial/, one
file per group of business areas, run in foreign-key order.
"""
import importlib.util
from pathlib import Path

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

PARTS = ['01_ledger', '02_sync', '03_catalog_inventory_purchasing_vat', '04_company', '05_sales', '06_numbering', '07_pricing', '08_auth', '09_customers', '10_orders', '11_integrations', '12_invoicing']


def _part(name: str):
    path = Path(__file__).resolve().parent.parent / "initial" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"butik_initial_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    for name in PARTS:
        _part(name).upgrade()


def downgrade() -> None:
    for name in reversed(PARTS):
        _part(name).downgrade()
