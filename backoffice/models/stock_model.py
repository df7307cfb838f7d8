"""Stock tables: levels per product and location (on hand, reserved, available, on order) from the
replica; the movement history of a product and the open negative-stock exceptions from the server
(query commands `stock.movements` / `stock.exceptions`: a replica holds no movement ledger).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import Signal
from sqlalchemy import inspect, text

from backoffice.errors import show_error
from backoffice.models.filters import ProductConditions, match_products
from backoffice.models.paged import PagedModel, tr
from core.errors import ButikError
from core.inventory.history import ExceptionLine, MovementLine
from core.quantity import format_qty


def on_order_for(conn, product_ids: list[int], location_id: int | None) -> dict[int, int]:
    """What suppliers still owe, when the purchasing area is installed (else nothing is on order)."""
    try:
        from core.purchasing.orders import on_order
    except ImportError:  # purchasing not there yet: nothing can be on order
        return {}
    bind = conn.get_bind() if hasattr(conn, "get_bind") else conn
    if not inspect(bind).has_table("purchase_order_line"):  # a database from before purchasing
        return {}
    return on_order(conn, product_ids, location_id)


@dataclass(frozen=True)
class StockFilter:
    text: str = ""
    category_id: int | None = None
    location_id: int | None = None
    #: only rows whose available quantity is below zero
    negative_only: bool = False


@dataclass(frozen=True)
class LevelRow:
    product_id: int
    location_id: int
    sku: str
    name: str
    location: str
    on_hand: int
    reserved: int
    on_order: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def fetch_levels(conn, flt: StockFilter, after: tuple | None, limit: int, lang: str = "sv") -> list[LevelRow]:
    """A page of cached levels in (product, location) order."""
    name = "p.name_en" if lang == "en" else "p.name_sv"
    where = ProductConditions(params={"n": limit})
    if after is not None:
        where.add("(s.product_id, s.location_id) > (:ap, :al)", ap=after[0], al=after[1])
    if flt.location_id is not None:
        where.add("s.location_id = :loc", loc=flt.location_id)
    if not match_products(conn, where, text=flt.text, category_id=flt.category_id, lang=lang,
                          product_col="s.product_id"):
        return []
    if flt.negative_only:
        where.add("s.on_hand - s.reserved < 0")
    sql = text(f"""
        SELECT s.product_id, s.location_id, p.sku, {name}, l.code, s.on_hand, s.reserved
        FROM stock_level s JOIN product p ON p.id = s.product_id JOIN location l ON l.id = s.location_id
        {where.where()} ORDER BY s.product_id, s.location_id LIMIT :n""").bindparams(*where.binds)
    rows = conn.execute(sql, where.params).all()
    owed: dict[tuple[int, int], int] = {}
    for loc in sorted({r[1] for r in rows}):
        ids = [r[0] for r in rows if r[1] == loc]
        for pid, q in on_order_for(conn, ids, loc).items():
            owed[(pid, loc)] = q
    return [LevelRow(r[0], r[1], r[2], r[3], r[4], int(r[5]), int(r[6]), owed.get((r[0], r[1]), 0)) for r in rows]


class LevelsModel(PagedModel):
    COLUMNS = (("sku", "SKU"), ("name", "Name"), ("location", "Location"), ("on_hand", "On hand"),
               ("reserved", "Reserved"), ("available", "Available"), ("on_order", "On order"))
    NUMERIC = frozenset({"on_hand", "reserved", "available", "on_order"})

    def __init__(self, runner, page_size: int = 200, lang: str = "sv", parent=None):
        super().__init__(runner, page_size, parent)
        self.filter = StockFilter()
        self.lang = lang

    def set_filter(self, flt: StockFilter) -> None:
        self.filter = flt
        self.reload()

    def fetch(self, session, after, limit):
        return fetch_levels(session, self.filter, after, limit, self.lang)

    def key_of(self, row: LevelRow):
        return (row.product_id, row.location_id)

    def display(self, row: LevelRow, key: str):
        if key in self.NUMERIC:
            return format_qty(getattr(row, key))
        return getattr(row, key)


class CommandPagedModel(PagedModel):
    """Pages that a query command fetches (server data a replica lacks), not the local store.

    `command_args(after, limit)` names the page (None: nothing to show); `convert` turns one JSON
    item into a row. A refusal (server unreachable…) is reported through `failed` with its message,
    so the view can say it in place rather than open a dialog on every selection.
    """

    COMMAND: ClassVar[str] = ""
    #: the command could not run: the message
    failed = Signal(str)

    def command_args(self, after, limit: int) -> dict | None:
        raise NotImplementedError

    def convert(self, item: dict):
        raise NotImplementedError

    def _fetch_page(self) -> None:
        self.loading = True
        generation = self._generation
        args = self.command_args(self.key_of(self.rows[-1]) if self.rows else None, self.page_size)
        if args is None:
            self._append([])
            return

        def arrived(items):
            if generation == self._generation:
                self._append([self.convert(i) for i in items])

        def refused(exc):
            if generation != self._generation:
                return
            self.loading, self.exhausted = False, True
            if isinstance(exc, ButikError):  # expected (server away, refused): said in place
                self.failed.emit(str(exc))
            else:
                show_error(None, exc)

        self.runner.command(self.COMMAND, args, arrived, on_error=refused)


def _when(value) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def movement_row(item: dict) -> MovementLine:
    """One item of `stock.movements` as a row."""
    return MovementLine(**{**item, "created_at": _when(item["created_at"])})


class MovementsModel(CommandPagedModel):
    """One product's movement history with the document each came from (receipt, order, count…).

    The movement ledger stays on the server: pages come from the query command `stock.movements`.
    """

    COMMAND = "stock.movements"
    COLUMNS = (("created_at", "When (UTC)"), ("location", "Location"), ("qty", "Qty"),
               ("reason", "Reason"), ("source", "Source document"), ("note", "Note"))
    NUMERIC = frozenset({"qty"})

    def __init__(self, runner, page_size: int = 100, parent=None):
        super().__init__(runner, page_size, parent)
        self.product_id: int | None = None
        self.location_id: int | None = None

    def show_product(self, product_id: int | None, location_id: int | None = None) -> None:
        self.product_id, self.location_id = product_id, location_id
        self.reload()

    def command_args(self, after, limit):
        if self.product_id is None:
            return None
        return {"product_id": self.product_id, "location_id": self.location_id, "before_id": after,
                "limit": limit}

    def convert(self, item: dict) -> MovementLine:
        return movement_row(item)

    def display(self, row: MovementLine, key: str):
        if key == "created_at":
            return f"{row.created_at:%Y-%m-%d %H:%M}"
        if key == "qty":
            return format_qty(row.qty)
        if key == "reason":
            return tr("MovementsModel", row.reason)
        return getattr(row, key)


#: open exceptions the tab asks for at once (they are worked off; more means a count is due)
EXCEPTIONS_SHOWN = 500


def exception_rows(items: list[dict]) -> list[ExceptionLine]:
    """The items of `stock.exceptions` as rows."""
    return [ExceptionLine(**{**i, "created_at": _when(i["created_at"])}) for i in items]
