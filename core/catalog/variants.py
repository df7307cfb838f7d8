"""Variant matrices: a parent (template) with axes such as Färg × Storlek and one stocked product per combination."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.catalog.models import (
    Product,
    ProductVariantValue,
    VariantAttribute,
    VariantAttributeValue,
)
from core.catalog.products import ProductIn, create_product, validate_product, validate_sku
from core.errors import Conflict, NotFound, ValidationError

#: letters NFKD does not split into a base letter and a mark
_FOLD = str.maketrans({"ß": "SS", "ẞ": "SS", "Æ": "AE", "æ": "AE", "Ø": "O", "ø": "O", "Œ": "OE",
                       "œ": "OE", "Ð": "D", "ð": "D", "Þ": "TH", "þ": "TH", "Ł": "L", "ł": "L",
                       "Đ": "D", "đ": "D", "ı": "I"})

#: a value given as its display text, or as (text, SKU code)
Value = str | tuple[str, str]


def value_code(value: str) -> str:
    """The SKU code of an attribute value: ASCII-folded, upper case, letters and digits only (Röd → ROD)."""
    folded = unicodedata.normalize("NFKD", value.translate(_FOLD))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore")
    return re.sub(r"[^A-Z0-9]", "", ascii_only.decode().upper())


@dataclass
class Axis:
    """One attribute of a matrix with its values, in order."""

    name: str
    values: list[tuple[str, str]]  # (value, code)


@dataclass
class VariantMatrix:
    """What `create_variant_matrix` made: the parent and each combination's product id."""

    parent_id: int
    variants: dict[tuple[str, ...], int] = field(default_factory=dict)  # value codes → product id


def _axes(attributes: Sequence[tuple[str, Sequence[Value]]]) -> list[Axis]:
    if not attributes:
        raise ValidationError("a variant matrix needs at least one attribute, e.g. Färg", field="attributes")
    axes, names = [], set()
    for name, values in attributes:
        name = (name or "").strip()
        if not name:
            raise ValidationError("every attribute needs a name", field="attributes")
        if name.casefold() in names:
            raise ValidationError(f"attribute {name} is given twice", field="attributes")
        names.add(name.casefold())
        if not values:
            raise ValidationError(f"attribute {name} has no values; give at least one", field="attributes")
        pairs, codes = [], {}
        for v in values:
            text, code = (v, value_code(v)) if isinstance(v, str) else (v[0], v[1])
            text = (text or "").strip()
            if not text:
                raise ValidationError(f"attribute {name} has an empty value", field="attributes")
            if not code:
                raise ValidationError(f"value {text!r} of {name} gives no SKU code; give the code "
                                      "yourself as (value, code)", field="attributes")
            if code in codes:
                raise Conflict(f"values {codes[code]!r} and {text!r} of {name} both give the SKU code "
                               f"{code}", field="attributes", hint="give one of them its own code")
            codes[code] = text
            pairs.append((text, code))
        axes.append(Axis(name, pairs))
    return axes


def create_variant_matrix(session: Session, parent_sku: str, names: str | tuple[str, str],
                          attributes: Sequence[tuple[str, Sequence[Value]]], **base) -> VariantMatrix:
    """Create a variant parent and one stocked variant per combination of values.

    `names` is the Swedish name or (Swedish, English); `base` holds ProductIn fields shared by
    all variants (category_id, vat_class, supplier_id, cost_price, weight_g, unit, description).
    Variant SKUs are `{parent_sku}-{code1}-{code2}…` and names `{name} {value1} {value2}…`.
    Everything is checked before anything is written: a refusal changes nothing.
    """
    name_sv, name_en = (names, "") if isinstance(names, str) else names
    parent_sku = validate_sku(parent_sku)
    axes = _axes(attributes)
    for key in ("sku", "name_sv", "name_en", "product_type", "parent_id", "stocked", "barcodes"):
        if key in base:
            raise ValidationError(f"{key} is set by the matrix, not by the caller", field=key)
    parent_in = ProductIn(sku=parent_sku, name_sv=name_sv, name_en=name_en,
                          product_type="variant_parent", **base)
    parent_in = validate_product(session, parent_in)
    combos = list(itertools.product(*(a.values for a in axes)))
    skus = ["-".join([parent_sku, *(code for _, code in combo)]) for combo in combos]
    for sku in skus:
        validate_sku(sku)
    twice = sorted({s for s in skus if skus.count(s) > 1})
    if twice:
        raise Conflict(f"the matrix would make SKU {twice[0]} more than once", field="sku",
                       hint="give the values codes without '-'")
    taken = set(session.execute(select(Product.sku).where(Product.sku.in_(skus))).scalars())
    if taken:
        raise Conflict(f"SKU {sorted(taken)[0]} already exists ({len(taken)} of the {len(skus)} "
                       "variant SKUs are taken)", field="sku", hint="choose another parent SKU")
    with session.begin_nested():
        parent_id = create_product(session, parent_in)
        value_ids: list[list[int]] = []
        attr_ids: list[int] = []
        for pos, axis in enumerate(axes):
            attr = VariantAttribute(parent_id=parent_id, position=pos, name=axis.name)
            session.add(attr)
            session.flush()
            attr_ids.append(attr.id)
            ids = []
            for vpos, (text, code) in enumerate(axis.values):
                value = VariantAttributeValue(attribute_id=attr.id, position=vpos, value=text, code=code)
                session.add(value)
                session.flush()
                ids.append(value.id)
            value_ids.append(ids)
        matrix = VariantMatrix(parent_id)
        shared = {k: getattr(parent_in, k) for k in ("description", "unit", "supplier_id", "cost_price",
                                                      "weight_g", "category_id", "vat_class", "drop_ship",
                                                      "active")}
        for index_combo, sku in zip(itertools.product(*(range(len(a.values)) for a in axes)), skus):
            texts = [axes[i].values[j][0] for i, j in enumerate(index_combo)]
            pid = create_product(session, ProductIn(
                sku=sku, name_sv=" ".join([parent_in.name_sv, *texts]),
                name_en=" ".join([parent_in.name_en, *texts]), product_type="variant",
                parent_id=parent_id, **shared))
            session.execute(insert(ProductVariantValue), [
                dict(product_id=pid, attribute_id=attr_ids[i], value_id=value_ids[i][j])
                for i, j in enumerate(index_combo)])
            matrix.variants[tuple(axes[i].values[j][1] for i, j in enumerate(index_combo))] = pid
    return matrix


@dataclass
class GridAxis:
    attribute_id: int
    name: str
    values: list[tuple[int, str]]  # (value id, text)


@dataclass
class VariantGrid:
    """A parent's matrix for the POS picker: axes and the product id at each combination of value ids."""

    parent_id: int
    axes: list[GridAxis]
    cells: dict[tuple[int, ...], int]

    @property
    def rows(self) -> list[tuple[int, str]]:
        return self.axes[0].values if self.axes else []

    @property
    def cols(self) -> list[tuple[int, str]]:
        return self.axes[1].values if len(self.axes) > 1 else []

    def table(self) -> list[list[int | None]]:
        """rows × cols of product ids (None where no variant exists); one column for a single axis."""
        if len(self.axes) > 2:
            raise ValidationError("more than two attributes do not fit a grid", field="parent_id")
        if len(self.axes) == 1:
            return [[self.cells.get((r,))] for r, _ in self.rows]
        return [[self.cells.get((r, c)) for c, _ in self.cols] for r, _ in self.rows]


def variant_grid(session: Session, parent_id: int) -> VariantGrid:
    parent = session.get(Product, parent_id)
    if parent is None or parent.product_type != "variant_parent":
        raise NotFound(f"no variant parent with id {parent_id}", field="parent_id")
    axes = []
    attrs = session.execute(select(VariantAttribute).where(VariantAttribute.parent_id == parent_id)
                            .order_by(VariantAttribute.position)).scalars().all()
    for a in attrs:
        vals = session.execute(select(VariantAttributeValue.id, VariantAttributeValue.value)
                               .where(VariantAttributeValue.attribute_id == a.id)
                               .order_by(VariantAttributeValue.position)).all()
        axes.append(GridAxis(a.id, a.name, [(v.id, v.value) for v in vals]))
    position = {a.attribute_id: i for i, a in enumerate(axes)}
    found: dict[int, list[int | None]] = {}
    rows = session.execute(select(ProductVariantValue.product_id, ProductVariantValue.attribute_id,
                                  ProductVariantValue.value_id)
                           .join(Product, Product.id == ProductVariantValue.product_id)
                           .where(Product.parent_id == parent_id)).all()
    for pid, attr_id, value_id in rows:
        if attr_id in position:
            found.setdefault(pid, [None] * len(axes))[position[attr_id]] = value_id
    cells = {tuple(v): pid for pid, v in found.items() if None not in v}
    return VariantGrid(parent_id, axes, cells)
