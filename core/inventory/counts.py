"""Stock counts: list what to count (full or partial), enter counts (by id or scan), review variances, post.

API:
    create_count(session, location_id, who, product_ids=None, category_id=None, count_date=None,
                 note=None) -> StockCount         (product_ids/category_id given = partial, else full)
    enter_count(session, count_id, qty, product_id=None, barcode=None, add=False) -> CountRow
    count_rows(conn, count_id, only_uncounted=False, limit=None, offset=0) -> list[CountRow]
    variance_report(conn, count_id, uncounted_as_zero=False) -> VarianceReport
    post_count(session, count_id, who, uncounted_as_zero=False) -> VarianceReport
    cancel_count(session, count_id, who) -> StockCount
    get_count(session, count_id) -> StockCount

Variance = counted − on hand *now* at the location, so the report shown before posting is exactly
what posting moves. Posting records one `count` movement per differing product (key
`count:<id>:<product>`), stores the variance and its value at the average cost, and closes the
count. A negative count, or a product not on a partial count, is refused and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.catalog.search import lookup_barcode
from core.db.base import utcnow
from core.errors import InvalidTransition, NotFound, ValidationError
from core.inventory.items import product_kinds
from core.inventory.movements import MovementIn, location_codes, record_movements
from core.inventory.ops_models import StockCount, StockCountLine
from core.inventory.valuation import average_costs, value_of
from core.numbering import next_number
from core.quantity import format_qty

SOURCE = "stock_count"


@dataclass(frozen=True, slots=True)
class CountRow:
    """One line of a count as the count list and the variance report show it (thousandths)."""

    product_id: int
    sku: str
    name: str
    expected_qty: int
    counted_qty: int | None
    on_hand: int

    @property
    def variance(self) -> int | None:
        return None if self.counted_qty is None else self.counted_qty - self.on_hand


@dataclass(frozen=True, slots=True)
class VarianceLine:
    product_id: int
    sku: str
    name: str
    on_hand: int
    counted_qty: int
    variance: int
    unit_cost: int
    value: int


@dataclass(frozen=True, slots=True)
class VarianceReport:
    count_id: int
    lines: list[VarianceLine]
    counted: int
    uncounted: int

    @property
    def value_change(self) -> int:
        return sum(ln.value for ln in self.lines)


def get_count(session: Session, count_id: int) -> StockCount:
    count = session.get(StockCount, count_id)
    if count is None:
        raise NotFound(f"no stock count with id {count_id}", field="count_id")
    return count


def _open(session: Session, count_id: int) -> StockCount:
    count = get_count(session, count_id)
    if count.status != "open":
        raise InvalidTransition(f"stock count {count.number} is {count.status}; only an open "
                                "count can be changed", field="status")
    return count


_FULL = text(
    "INSERT INTO stock_count_line (count_id, product_id, expected_qty) "
    "SELECT :c, p.id, coalesce(sl.on_hand, 0) FROM product p "
    "LEFT JOIN stock_level sl ON sl.product_id = p.id AND sl.location_id = :l "
    "WHERE p.stocked AND p.product_type IN ('single', 'variant') "
    "AND (p.active OR coalesce(sl.on_hand, 0) <> 0)")
_CATEGORY = text(
    "INSERT INTO stock_count_line (count_id, product_id, expected_qty) "
    "SELECT :c, p.id, coalesce(sl.on_hand, 0) FROM product p "
    "LEFT JOIN stock_level sl ON sl.product_id = p.id AND sl.location_id = :l "
    "WHERE p.category_id = :cat AND p.stocked AND p.product_type IN ('single', 'variant')")
_ON_HAND = text("SELECT on_hand FROM stock_level WHERE product_id = :p AND location_id = :l")


def _stocked(session: Session, product_ids: list[int]) -> None:
    kinds = product_kinds(session, product_ids)
    for pid in product_ids:
        k = kinds[pid]
        if not k.stocked or k.product_type not in ("single", "variant"):
            raise ValidationError(f"product {k.sku} (id {pid}) is not kept in stock and cannot be "
                                  "counted", field="product_id",
                                  hint="count a SET article's components instead")


def create_count(session: Session, location_id: int, who: str, product_ids: list[int] | None = None,
                 category_id: int | None = None, count_date: dt.date | None = None,
                 note: str | None = None) -> StockCount:
    """A count list for a location: every stocked product (full) or the chosen ones (partial)."""
    if not (who or "").strip():
        raise ValidationError("say who counts", field="who")
    location_codes(session, [location_id])
    partial = product_ids is not None or category_id is not None
    if product_ids is not None:
        product_ids = sorted(set(product_ids))
        if not product_ids:
            raise ValidationError("a partial count needs at least one product", field="product_ids")
        _stocked(session, product_ids)
    count = StockCount(number=next_number(session, "stock_count"), location_id=location_id,
                       scope="partial" if partial else "full", status="open",
                       count_date=count_date or dt.date.today(), note=note, created_by=who.strip())
    session.add(count)
    session.flush()
    if product_ids is not None:
        for pid in product_ids:
            on_hand = session.execute(_ON_HAND, {"p": pid, "l": location_id}).scalar() or 0
            session.add(StockCountLine(count_id=count.id, product_id=pid, expected_qty=on_hand))
    elif category_id is not None:
        session.execute(_CATEGORY, {"c": count.id, "l": location_id, "cat": category_id})
    else:
        session.execute(_FULL, {"c": count.id, "l": location_id})
    session.flush()
    return count


_ROWS = ("SELECT l.product_id, p.sku, p.name_sv, l.expected_qty, l.counted_qty, "
         "coalesce(sl.on_hand, 0) FROM stock_count_line l JOIN stock_count c ON c.id = l.count_id "
         "JOIN product p ON p.id = l.product_id "
         "LEFT JOIN stock_level sl ON sl.product_id = l.product_id AND sl.location_id = c.location_id "
         "WHERE l.count_id = :c")


def count_rows(conn, count_id: int, only_uncounted: bool = False, limit: int | None = None,
               offset: int = 0, product_id: int | None = None) -> list[CountRow]:
    """The count's lines ordered by SKU (a page of them when `limit` is given)."""
    sql, params = _ROWS, {"c": count_id}
    if only_uncounted:
        sql += " AND l.counted_qty IS NULL"
    if product_id is not None:
        sql += " AND l.product_id = :p"
        params["p"] = product_id
    sql += " ORDER BY p.sku"
    if limit is not None:
        sql += " LIMIT :lim OFFSET :off"
        params.update(lim=limit, off=offset)
    return [CountRow(int(pid), sku, name, int(exp), None if cnt is None else int(cnt), int(oh))
            for pid, sku, name, exp, cnt, oh in conn.execute(text(sql), params)]


def enter_count(session: Session, count_id: int, qty: int, product_id: int | None = None,
                barcode: str | None = None, add: bool = False) -> CountRow:
    """Record what was counted of one product (by id or scanned barcode); `add` adds to the
    count so far (one scan = one more). Returns the line as it now stands."""
    if isinstance(qty, bool) or not isinstance(qty, int):
        raise ValidationError(f"a count is whole thousandths, not {qty!r}", field="qty")
    if qty < 0:
        raise ValidationError(f"a count cannot be negative ({format_qty(qty)})", field="qty",
                              hint="enter what is on the shelf, 0 or more")
    count = _open(session, count_id)
    if product_id is None:
        if not barcode:
            raise ValidationError("give the product or scan its barcode", field="barcode")
        product_id = lookup_barcode(session, barcode)
        if product_id is None:
            raise NotFound(f"no product has barcode {barcode}", field="barcode",
                           hint="check the code or enter the product by hand")
    line = session.scalar(select(StockCountLine).where(StockCountLine.count_id == count.id,
                                                       StockCountLine.product_id == product_id))
    if line is None:
        if count.scope == "partial":
            raise ValidationError(f"product {product_id} is not on partial count {count.number}",
                                  field="product_id", hint="count it in another count")
        _stocked(session, [product_id])
        on_hand = session.execute(_ON_HAND, {"p": product_id, "l": count.location_id}).scalar()
        line = StockCountLine(count_id=count.id, product_id=product_id, expected_qty=on_hand or 0)
        session.add(line)
    line.counted_qty = (line.counted_qty or 0) + qty if add else qty
    session.flush()
    return count_rows(session, count.id, product_id=product_id)[0]


def variance_report(conn, count_id: int, uncounted_as_zero: bool = False) -> VarianceReport:
    """What posting would move: each counted line whose count differs from on hand, with its value."""
    rows = count_rows(conn, count_id)
    counted = [r for r in rows if r.counted_qty is not None]
    uncounted = [r for r in rows if r.counted_qty is None]
    todo = [(r, r.counted_qty) for r in counted]
    if uncounted_as_zero:
        todo += [(r, 0) for r in uncounted]
    diffs = [(r, c) for r, c in todo if c != r.on_hand]
    costs = average_costs(conn, (r.product_id for r, _ in diffs))
    lines = []
    for r, c in sorted(diffs, key=lambda rc: rc[0].sku):
        cost = costs[r.product_id] or 0
        variance = c - r.on_hand
        lines.append(VarianceLine(r.product_id, r.sku, r.name, r.on_hand, c, variance, cost,
                                  value_of(variance, cost)))
    return VarianceReport(count_id, lines, len(counted), len(uncounted))


def post_count(session: Session, count_id: int, who: str, uncounted_as_zero: bool = False,
               at: dt.datetime | None = None) -> VarianceReport:
    """Post the count: adjustment movements for every variance; the count is closed.

    `at` is when the count was taken (naive UTC; default now): its voucher is dated by it.
    """
    if not (who or "").strip():
        raise ValidationError("say who posts the count", field="who")
    count = _open(session, count_id)
    report = variance_report(session, count.id, uncounted_as_zero)
    if report.counted == 0 and not uncounted_as_zero:
        raise ValidationError(f"nothing has been counted on count {count.number}",
                              field="counted_qty", hint="enter counts before posting")
    with session.begin_nested():
        record_movements(session, [
            MovementIn(ln.product_id, count.location_id, ln.variance, "count", SOURCE,
                       str(count.id), f"count:{count.id}:{ln.product_id}")
            for ln in report.lines])
        by_product = {ln.product_id: ln for ln in report.lines}
        for line in session.scalars(select(StockCountLine).where(
                StockCountLine.count_id == count.id)):
            if uncounted_as_zero and line.counted_qty is None:
                line.counted_qty = 0
            hit = by_product.get(line.product_id)
            line.posted_variance = hit.variance if hit else (0 if line.counted_qty is not None
                                                             else None)
            line.unit_cost = hit.unit_cost if hit else None
        count.status, count.posted_at, count.posted_by = "posted", at or utcnow(), who.strip()
        count.value_change = report.value_change
        session.flush()
    return report


def cancel_count(session: Session, count_id: int, who: str) -> StockCount:
    """Drop an open count without moving anything."""
    if not (who or "").strip():
        raise ValidationError("say who cancels the count", field="who")
    count = _open(session, count_id)
    count.status, count.posted_by, count.posted_at = "cancelled", who.strip(), utcnow()
    session.flush()
    return count
