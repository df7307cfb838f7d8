"""Stock valuation for the back office: value per product (average cost × on hand), paged, largest
first; the total and the value per location, each one SQL aggregate (core.inventory.valuation).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from backoffice.models.paged import PagedModel
from core.money import format_amount
from core.quantity import format_qty


@dataclass(frozen=True)
class ValueRow:
    pos: int  # place in the list (the paging key)
    product_id: int
    sku: str
    name: str
    on_hand: int
    avg_cost: int
    value: int


def value_rows(conn, location_id: int | None, offset: int, limit: int) -> list[ValueRow]:
    from core.inventory.valuation import valuation_rows

    return [ValueRow(offset + i, r.product_id, r.sku, r.name, r.on_hand, r.avg_cost, r.value)
            for i, r in enumerate(valuation_rows(conn, location_id, limit=limit, offset=offset))]


class ValuationModel(PagedModel):
    COLUMNS = (("sku", "SKU"), ("name", "Name"), ("on_hand", "On hand"), ("avg_cost", "Average cost"),
               ("value", "Value"))
    NUMERIC = frozenset({"on_hand", "avg_cost", "value"})

    def __init__(self, runner, page_size: int = 200, parent=None):
        super().__init__(runner, page_size, parent)
        self.location_id: int | None = None

    def set_location(self, location_id: int | None) -> None:
        self.location_id = location_id
        self.reload()

    def fetch(self, session, after, limit):
        return value_rows(session, self.location_id, 0 if after is None else after + 1, limit)

    def key_of(self, row: ValueRow):
        return row.pos

    def display(self, row: ValueRow, key: str):
        if key == "on_hand":
            return format_qty(row.on_hand)
        if key in ("avg_cost", "value"):
            return format_amount(getattr(row, key))
        return getattr(row, key)


@dataclass(frozen=True)
class LocationValue:
    location_id: int
    location: str
    value: int


@dataclass(frozen=True)
class ValuationSummary:
    total: int
    locations: list[LocationValue]


def valuation_summary(conn) -> ValuationSummary:
    """The whole stock's value and each location's (the parts may differ from the total by rounding)."""
    from core.inventory.valuation import stock_value

    locations = conn.execute(text("SELECT id, code, name FROM location ORDER BY id")).all()
    return ValuationSummary(stock_value(conn), [LocationValue(i, f"{c} — {n}", stock_value(conn, i))
                                                for i, c, n in locations])
