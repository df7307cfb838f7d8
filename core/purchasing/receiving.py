"""Goods receipts against purchase orders: in parts, by scanning, at the price on the delivery note.

API:
    receive(session, po_id, lines, who, location_id=None, prices=None, allow_over=False,
            receipt_id=None, on=None, drop_ship=False, tracking_number=None) -> PurchaseReceipt
        (drop_ship=True only through core.purchasing.dropship: no stock, no cost)
    line_for_barcode(session, po_id, code) -> PurchaseOrderLine
    receive_scanned(session, po_id, codes, who, **kwargs) -> PurchaseReceipt
    receipts_of(session, po_id) -> list[PurchaseReceipt]
    receipt_lines(session, receipt_id) -> list[PurchaseReceiptLine]

`lines` are {po_line_id: qty} (thousandths). `prices` ({po_line_id: öre per unit}) overrides the
order's price for this receipt (the supplier changed it). Each line's cost in the base currency
is blended into the product's weighted average before stock moves in (movement keys
`purchase_receipt:<receipt id>:<line id>`, so a replayed `receipt_id` moves nothing twice).
Receiving more than is still owed is refused unless `allow_over=True`; then nothing changes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.catalog.search import lookup_barcode
from core.errors import InvalidTransition, NotFound, ValidationError
from core.inventory.movements import MovementIn, location_codes, record_movements
from core.inventory.valuation import receive_at_cost
from core.money import div_round_half_up
from core.purchasing import states
from core.purchasing.models import PurchaseOrderLine, PurchaseReceipt, PurchaseReceiptLine
from core.purchasing.orders import get_po, po_lines, who_of
from core.quantity import format_qty, line_quantities


def _pairs(lines) -> list[tuple[int, int]]:
    return line_quantities(lines, verb="receive", document="a receipt")


def to_base(unit_price: int, exchange_rate_micro: int) -> int:
    """A price in the order's currency as base-currency öre (rounded half up)."""
    return div_round_half_up(unit_price * exchange_rate_micro, 1_000_000)


def receive(session: Session, po_id: int, lines: Mapping[int, int] | Iterable[tuple[int, int]],
            who: str, location_id: int | None = None, prices: Mapping[int, int] | None = None,
            allow_over: bool = False, receipt_id: str | None = None,
            on: dt.date | None = None, drop_ship: bool = False,
            tracking_number: str | None = None) -> PurchaseReceipt:
    """Take in goods against a purchase order; stock moves in and the average cost follows."""
    who = who_of(who)
    if receipt_id is not None:
        done = session.get(PurchaseReceipt, receipt_id)
        if done is not None:
            if done.po_id != po_id:
                raise ValidationError(f"receipt {receipt_id} belongs to another purchase order",
                                      field="receipt_id")
            return done
    po = get_po(session, po_id)
    if po.status not in states.RECEIVABLE:
        hint = "send it to the supplier first" if po.status == "draft" else None
        raise InvalidTransition(f"purchase order {po.number} is {po.status}; nothing can "
                                       "be received against it", field="status", hint=hint)
    if po.drop_ship != drop_ship:
        raise ValidationError(
            f"purchase order {po.number} is " + ("a drop shipment: confirm the supplier's "
                                                 "shipment instead" if po.drop_ship else
                                                 "not a drop shipment"), field="po_id")
    if not po.drop_ship:
        location_id = location_id if location_id is not None else po.location_id
        location_codes(session, [location_id])
    else:
        location_id = None
    prices = dict(prices or {})
    by_id = {ln.id: ln for ln in po_lines(session, po.id)}
    pairs = _pairs(lines)
    for line_id, qty in pairs:
        ln = by_id.get(line_id)
        if ln is None:
            raise NotFound(f"purchase order {po.number} has no line {line_id}", field="lines")
        left = ln.qty - ln.received_qty - ln.cancelled_qty
        if qty > left and not allow_over:
            raise ValidationError(
                f"line {ln.position} ({ln.sku}): {format_qty(qty)} received but only "
                f"{format_qty(max(left, 0))} is still owed ({format_qty(ln.qty)} ordered, "
                f"{format_qty(ln.received_qty)} received)", field=f"lines[{ln.position}].qty",
                hint="check the delivery, or confirm receiving more than ordered")
    for line_id, price in prices.items():
        if line_id not in dict(pairs):
            raise ValidationError(f"a price is given for line {line_id}, which is not received",
                                  field="prices")
        if isinstance(price, bool) or not isinstance(price, int) or price < 0:
            raise ValidationError(f"a purchase price is whole öre, 0 or more; got {price!r}",
                                  field=f"prices[{line_id}]")
    seq = (session.scalar(select(func.max(PurchaseReceipt.seq)).where(
        PurchaseReceipt.po_id == po.id)) or 0) + 1
    with session.begin_nested():
        receipt = PurchaseReceipt(po_id=po.id, seq=seq, location_id=location_id,
                                  drop_ship=po.drop_ship, received_on=on or dt.date.today(),
                                  tracking_number=tracking_number, created_by=who)
        if receipt_id is not None:
            receipt.id = receipt_id
        session.add(receipt)
        session.flush()
        for line_id, qty in pairs:
            ln = by_id[line_id]
            price = prices.get(line_id, ln.unit_price)
            cost = to_base(price, po.exchange_rate_micro)
            session.add(PurchaseReceiptLine(receipt_id=receipt.id, po_line_id=ln.id, qty=qty,
                                            unit_price=price, unit_cost=cost))
            ln.received_qty += qty
            if not po.drop_ship:
                # blend first: the average applies to the stock there was before this line
                receive_at_cost(session, ln.product_id, qty, cost)
                record_movements(session, [MovementIn(
                    ln.product_id, location_id, qty, "purchase_receipt", "purchase_receipt",
                    receipt.id, f"purchase_receipt:{receipt.id}:{ln.id}")])
        target = states.after_receipt((ln.qty, ln.received_qty, ln.cancelled_qty)
                                      for ln in by_id.values())
        states.check_transition(po.number, po.status, target)
        po.status = target
        session.flush()
    return receipt


def line_for_barcode(session: Session, po_id: int, code: str) -> PurchaseOrderLine:
    """The order line a scanned barcode belongs to (scan to receive)."""
    po = get_po(session, po_id)
    product_id = lookup_barcode(session, code)
    if product_id is None:
        raise NotFound(f"no product has barcode {code}", field="barcode",
                       hint="check the code or pick the line by hand")
    for ln in po_lines(session, po.id):
        if ln.product_id == product_id:
            return ln
    raise NotFound(f"the product with barcode {code} is not on purchase order {po.number}",
                   field="barcode", hint="put it aside and contact the supplier")


def receive_scanned(session: Session, po_id: int, codes: Iterable[str], who: str, **kwargs
                    ) -> PurchaseReceipt:
    """Receive one piece per scanned code (the same code scanned three times = three pieces)."""
    scans = Counter(line_for_barcode(session, po_id, c).id for c in codes)
    if not scans:
        raise ValidationError("nothing was scanned", field="barcode")
    return receive(session, po_id, {lid: n * 1000 for lid, n in scans.items()}, who, **kwargs)


def receipts_of(session: Session, po_id: int) -> list[PurchaseReceipt]:
    return list(session.scalars(select(PurchaseReceipt).where(PurchaseReceipt.po_id == po_id)
                                .order_by(PurchaseReceipt.seq)))


def receipt_lines(session: Session, receipt_id: str) -> list[PurchaseReceiptLine]:
    return list(session.scalars(select(PurchaseReceiptLine).where(
        PurchaseReceiptLine.receipt_id == receipt_id).order_by(PurchaseReceiptLine.id)))
