"""Variant matrices in the back office: the template's command arguments, and the per-variant grid
(values, SKU, EAN, price, stock) with EAN and price editable in place (each edit a command).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, Qt, Signal
from sqlalchemy import text

from backoffice.errors import show_error
from backoffice.models.paged import NO_PARENT
from backoffice.widgets import money_text, parse_money
from core.catalog.editor import MatrixSpec
from core.errors import UserError, ValidationError
from core.inventory.levels import levels_for
from core.quantity import format_qty


def parse_values(line: str) -> list[str | tuple[str, str]]:
    """'Röd, Blå=BL, Svart' → ['Röd', ('Blå', 'BL'), 'Svart'] (a code after '=' overrides the derived one)."""
    out: list[str | tuple[str, str]] = []
    for part in line.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" in part:
            value, code = (p.strip() for p in part.split("=", 1))
            out.append((value, code.upper()))
        else:
            out.append(part)
    return out


def matrix_args(spec: MatrixSpec) -> dict:
    """The `variants.create_matrix` arguments for a template (a value with its own code as an object)."""
    def value(v):
        return {"value": v[0], "code": v[1]} if isinstance(v, tuple) else v
    return {"parent_sku": spec.parent_sku, "name_sv": spec.name_sv, "name_en": spec.name_en,
            "attributes": [{"name": name, "values": [value(v) for v in values]}
                           for name, values in spec.attributes],
            "category_id": spec.category_id, "vat_class": spec.vat_class, "supplier_id": spec.supplier_id,
            "cost_price": spec.cost_price, "price": spec.price, "price_list_id": spec.price_list_id}


@dataclass
class VariantRow:
    id: int
    values: list[str]
    sku: str
    ean: str
    price: int | None
    available: int


def load_variant_rows(session, parent_id: int, price_list_id: int | None) -> tuple[list[str], list[VariantRow]]:
    """(axis names, one row per variant in matrix order) for a variant parent."""
    axes = [r[0] for r in session.execute(text(
        "SELECT name FROM variant_attribute WHERE parent_id = :p ORDER BY position"), {"p": parent_id})]
    products = session.execute(text("""
        SELECT p.id, p.sku, (SELECT min(code) FROM barcode b WHERE b.product_id = p.id),
               (SELECT i.price FROM price_list_item i WHERE i.price_list_id = :pl AND i.product_id = p.id
                  AND i.min_qty = 1000 AND NOT i.campaign ORDER BY i.valid_from IS NOT NULL, i.id LIMIT 1)
        FROM product p WHERE p.parent_id = :p ORDER BY p.id"""), {"p": parent_id, "pl": price_list_id}).all()
    cells: dict[int, list[tuple[int, int, str]]] = {}
    for pid, apos, vpos, value in session.execute(text("""
            SELECT pv.product_id, a.position, v.position, v.value FROM product_variant_value pv
            JOIN variant_attribute a ON a.id = pv.attribute_id
            JOIN variant_attribute_value v ON v.id = pv.value_id
            JOIN product p ON p.id = pv.product_id WHERE p.parent_id = :p"""), {"p": parent_id}):
        cells.setdefault(pid, []).append((apos, vpos, value))
    levels = levels_for(session, [r[0] for r in products])
    keyed = []
    for pid, sku, ean, price in products:
        vals = sorted(cells.get(pid, []))
        keyed.append((tuple(v[1] for v in vals), VariantRow(pid, [v[2] for v in vals], sku, ean or "", price,
                                                             levels[pid].available)))
    keyed.sort(key=lambda x: x[0])
    return axes, [r for _k, r in keyed]


class VariantRowsModel(QAbstractTableModel):
    """Variants as rows: one column per axis, then SKU, EAN, price, available; EAN and price editable.

    An edit is a command through the runner (`variants.set_ean`, `prices.set`) and shown once it
    ran; a refusal is shown by the one error handler and the cell keeps its old value.
    """

    edited = Signal()

    def __init__(self, runner, price_list_id: int | None, parent=None):
        super().__init__(parent)
        self.runner, self.price_list_id = runner, price_list_id
        self.axes: list[str] = []
        self.rows: list[VariantRow] = []

    def set_rows(self, axes: list[str], rows: list[VariantRow]) -> None:
        self.beginResetModel()
        self.axes, self.rows = axes, rows
        self.endResetModel()

    @property
    def keys(self) -> list[str]:
        return [f"axis{i}" for i in range(len(self.axes))] + ["sku", "ean", "price", "available"]

    def rowCount(self, parent=NO_PARENT):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=NO_PARENT):
        return 0 if parent.isValid() else len(self.keys)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        key = self.keys[section]
        if key.startswith("axis"):
            return self.axes[int(key[4:])]
        titles = {"sku": "SKU", "ean": "EAN", "price": "Price", "available": "Available"}
        return QCoreApplication.translate("VariantRowsModel", titles[key])

    def flags(self, index):
        f = super().flags(index)
        if self.keys[index.column()] in ("ean", "price"):
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, key = self.rows[index.row()], self.keys[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key.startswith("axis"):
                return row.values[int(key[4:])]
            if key == "price":
                return money_text(row.price)
            if key == "available":
                return format_qty(row.available)
            return getattr(row, key)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        try:
            return self._write(index, str(value).strip())
        except UserError as exc:
            show_error(None, exc)
            return False

    def _write(self, index, value: str) -> bool:
        row, key = self.rows[index.row()], self.keys[index.column()]
        if key == "ean":
            from core.catalog.barcodes import validate_barcode
            code = validate_barcode(value, field="ean") if value else ""
            name, args = "variants.set_ean", {"product_id": row.id, "ean": code}
            apply = lambda _r: setattr(row, "ean", code)
        elif key == "price":
            price = parse_money(value, "price", required=True)
            if self.price_list_id is None:
                raise ValidationError("there is no price list to put the price in", field="price_list_id")
            name, args = "prices.set", {"price_list_id": self.price_list_id, "product_id": row.id, "price": price}
            apply = lambda _r: setattr(row, "price", price)
        else:
            return False

        def done(result):
            apply(result)
            self.dataChanged.emit(index, index)
            self.edited.emit()
        self.runner.command(name, args, done)
        return True
