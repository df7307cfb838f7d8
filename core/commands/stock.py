"""Back-office commands: stock (exceptions, movement and exception queries), transfers and counts.

Thin adapters over core.inventory: JSON arguments checked and named, the use case called, a small
JSON result. `stock.movements` and `stock.exceptions` are queries (`writes=False`): a workstation's
replica holds no stock_movement/stock_exception rows, so they read the server's database. Commands
that move stock announce the "stock" area; those that only change a count list announce "counts".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.catalog.products import get_by_sku
from core.catalog.search import lookup_barcode
from core.commands import as_int, command
from core.errors import NotFound, ValidationError
from core.inventory import counts as inv_counts
from core.inventory import transfers as inv_transfers
from core.inventory.history import MAX_PAGE, exception_rows, movement_history
from core.inventory.locations import resolve_exception as inv_resolve

AREA = "stock"
#: what changes only a count list (creating, entering, cancelling): stock has not moved, so the
#: stock views keep their levels and only the counts page reloads (a scan is one command)
COUNTS = "counts"


# ------------------------------------------------------------------ argument checks

def _id(value: Any, field: str, *, optional: bool = False) -> int | None:
    """A database id: a whole number above zero (or None when optional)."""
    if value is None and optional:
        return None
    number = as_int(value, field)
    if number <= 0:
        raise ValidationError(f"{field} must be an id above zero, not {value!r}", field=field)
    return number


def _limit(value: Any, field: str = "limit") -> int:
    number = as_int(value, field)
    if not 1 <= number <= MAX_PAGE:
        raise ValidationError(f"{field} must be 1…{MAX_PAGE}, not {number}", field=field,
                              hint="page through with the paging argument")
    return number


def _text(value: Any, field: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text, not {value!r}", field=field)
    return value


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{field} must be true or false, not {value!r}", field=field)
    return value


def _product_of(session: Session, line: dict, field: str) -> int:
    """The product a line names: by `product_id`, or by `sku`."""
    if "product_id" in line:
        return _id(line["product_id"], f"{field}.product_id")
    if "sku" in line:
        sku = _text(line["sku"], f"{field}.sku")
        try:
            return get_by_sku(session, sku).id
        except NotFound:
            raise NotFound(f"no product with SKU {sku!r}", field=f"{field}.sku") from None
    raise ValidationError("a line names its product by product_id or sku", field=field)


def _lines(session: Session, value: Any, field: str = "lines") -> list[tuple[int, int]]:
    """[{"product_id"|"sku", "qty" (thousandths)}] as (product id, qty) pairs."""
    if not isinstance(value, list) or not value:
        raise ValidationError(f"{field} must be a non-empty list of {{sku or product_id, qty}}",
                              field=field)
    pairs = []
    for n, line in enumerate(value):
        where = f"{field}[{n}]"
        if not isinstance(line, dict):
            raise ValidationError(f"{where} must be an object with sku or product_id and qty", field=where)
        unknown = sorted(set(line) - {"product_id", "sku", "qty"})
        if unknown:
            raise ValidationError(f"{where} has no field {unknown[0]!r}", field=f"{where}.{unknown[0]}",
                                  hint="a line has product_id or sku, and qty")
        if "qty" not in line:
            raise ValidationError(f"{where} needs qty (thousandths)", field=f"{where}.qty")
        pairs.append((_product_of(session, line, where), as_int(line["qty"], f"{where}.qty")))
    return pairs


# ------------------------------------------------------------------ queries (server data)

@command("stock.movements", writes=False, area=AREA)
def movements(session, who, product_id, location_id=None, before_id=None, limit=100) -> list:
    """A product's movements with their source documents, newest first; page with `before_id`."""
    return movement_history(session, _id(product_id, "product_id"),
                            _id(location_id, "location_id", optional=True),
                            _id(before_id, "before_id", optional=True), _limit(limit))


@command("stock.exceptions", writes=False, area=AREA)
def exceptions(session, who, location_id=None, after_id=None, limit=200) -> list:
    """Open negative-stock exceptions, oldest first; page with `after_id`."""
    return exception_rows(session, _id(location_id, "location_id", optional=True),
                          _id(after_id, "after_id", optional=True), _limit(limit))


# ------------------------------------------------------------------ stock exceptions

@command("stock.resolve_exception", area=AREA)
def resolve_exception(session, who, exception_id, note=None) -> dict:
    note = _text(note, "note", optional=True)
    exc = inv_resolve(session, _id(exception_id, "exception_id"), who, (note or "").strip() or None)
    return {"id": exc.id, "resolved_by": exc.resolved_by}


# ------------------------------------------------------------------ transfers

def _transfer(transfer) -> dict:
    return {"id": transfer.id, "number": transfer.number, "status": transfer.status}


@command("transfers.create", area=AREA)
def create_transfer(session, who, from_location_id, to_location_id, lines, note=None) -> dict:
    """A draft transfer; `lines` [{"sku" or "product_id", "qty"}], nothing moves until sent."""
    transfer = inv_transfers.create_transfer(
        session, _id(from_location_id, "from_location_id"), _id(to_location_id, "to_location_id"),
        _lines(session, lines), who, _text(note, "note", optional=True))
    return _transfer(transfer)


@command("transfers.send", area=AREA)
def send_transfer(session, who, transfer_id) -> dict:
    return _transfer(inv_transfers.send_transfer(session, _id(transfer_id, "transfer_id"), who))


@command("transfers.receive", area=AREA)
def receive_transfer(session, who, transfer_id, lines=None) -> dict:
    """Take in `lines` at the destination (None: everything still in transit)."""
    transfer_id = _id(transfer_id, "transfer_id")
    pairs = None if lines is None else _lines(session, lines)
    receipt = inv_transfers.receive_transfer(session, transfer_id, who, pairs)
    return {**_transfer(inv_transfers.get_transfer(session, transfer_id)), "receipt_id": receipt.id}


@command("transfers.close", area=AREA)
def close_transfer(session, who, transfer_id) -> dict:
    """Close a partly received transfer; what never arrived is lost in transit."""
    return _transfer(inv_transfers.close_transfer(session, _id(transfer_id, "transfer_id"), who))


@command("transfers.cancel", area=AREA)
def cancel_transfer(session, who, transfer_id) -> dict:
    return _transfer(inv_transfers.cancel_transfer(session, _id(transfer_id, "transfer_id"), who))


# ------------------------------------------------------------------ counts

def _count(count) -> dict:
    return {"id": count.id, "number": count.number, "scope": count.scope, "status": count.status}


@command("counts.create", area=COUNTS)
def create_count(session, who, location_id, category_id=None, product_ids=None, note=None) -> dict:
    """A count list: the whole location, one category, or the listed products."""
    if product_ids is not None:
        if not isinstance(product_ids, list):
            raise ValidationError("product_ids must be a list of ids", field="product_ids")
        product_ids = [_id(p, f"product_ids[{n}]") for n, p in enumerate(product_ids)]
    count = inv_counts.create_count(session, _id(location_id, "location_id"), who, product_ids=product_ids,
                                    category_id=_id(category_id, "category_id", optional=True),
                                    note=_text(note, "note", optional=True))
    return _count(count)


def _product_by_code(session: Session, code: str) -> int:
    """A scanned barcode, or else a typed SKU."""
    code = code.strip()
    pid = lookup_barcode(session, code)
    if pid is None:
        try:
            pid = get_by_sku(session, code).id
        except NotFound:
            raise NotFound(f"no product with barcode or SKU {code!r}", field="code",
                           hint="check the code or enter the product by hand") from None
    return pid


@command("counts.enter", area=COUNTS)
def enter_count(session, who, count_id, code=None, product_id=None, qty=None) -> dict:
    """What was counted of one product (by `code`: barcode or SKU, or `product_id`); no `qty`
    adds one piece (a scan). Returns the line as it now stands."""
    count_id = _id(count_id, "count_id")
    if (code is None) == (product_id is None):
        raise ValidationError("give either code (barcode or SKU) or product_id", field="code")
    pid = (_id(product_id, "product_id") if code is None
           else _product_by_code(session, _text(code, "code")))
    if qty is None:
        row = inv_counts.enter_count(session, count_id, 1000, product_id=pid, add=True)
    else:
        row = inv_counts.enter_count(session, count_id, as_int(qty, "qty"), product_id=pid)
    return {"product_id": row.product_id, "sku": row.sku, "counted_qty": row.counted_qty,
            "on_hand": row.on_hand, "variance": row.variance}


@command("counts.post", area=AREA)
def post_count(session, who, count_id, uncounted_as_zero=False) -> dict:
    """Post the count: one adjustment movement per variance; the count is closed."""
    report = inv_counts.post_count(session, _id(count_id, "count_id"), who,
                                   _flag(uncounted_as_zero, "uncounted_as_zero"))
    return {"id": report.count_id, "counted": report.counted, "uncounted": report.uncounted,
            "adjusted": len(report.lines), "value_change": report.value_change}


@command("counts.cancel", area=COUNTS)
def cancel_count(session, who, count_id) -> dict:
    return _count(inv_counts.cancel_count(session, _id(count_id, "count_id"), who))
