"""Every string the back office passes to Qt's translation has a Swedish entry."""

from __future__ import annotations

import ast
from pathlib import Path

from backoffice.i18n import SV
from backoffice.models.products_model import ProductsModel
from backoffice.models.purchasing_model import STATUS_SETS, PurchaseOrdersModel

ROOT = Path(__file__).resolve().parents[2] / "backoffice"


def literal_strings_passed_to_tr() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
                last = node.args[-1]
                if name in ("tr", "translate", "_tr") and isinstance(last, ast.Constant) \
                        and isinstance(last.value, str):
                    found.add(last.value)
    return found


def test_every_translated_literal_has_swedish():
    strings = literal_strings_passed_to_tr()
    assert len(strings) > 150
    assert sorted(strings - set(SV)) == []


def test_names_translated_through_variables_have_swedish_too():
    names = {*ProductsModel.TYPE_NAMES.values(), *PurchaseOrdersModel.STATUS_NAMES.values(), *STATUS_SETS,
             "Products", "Prices", "Stock", "Purchasing"}
    for model in ("products_model", "prices_model", "stock_model", "purchasing_model"):
        module = __import__(f"backoffice.models.{model}", fromlist=["x"])
        for value in vars(module).values():
            names.update(title for _key, title in getattr(value, "COLUMNS", ()))
    assert sorted(names - set(SV)) == []
