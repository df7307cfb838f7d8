"""Purchase orders: create with gap-free numbers, edit drafts, send, confirm, cancel, close with back order.

API:
    PoLineIn(product_id, qty, unit_price=None, supplier_sku=None)      (price None = supplier article)
    create_po(session, supplier_id, lines, who, location_id=None, order_date=None,
              expected_date=None, exchange_rate_micro=None, note=None, drop_ship=False,
              ship_to=None, sales_order_id=None) -> PurchaseOrder
    add_line(session, po_id, line: PoLineIn) -> PurchaseOrderLine        (draft only)
    change_line(session, po_id, line_id, qty=None, unit_price=None) -> PurchaseOrderLine
    remove_line(session, po_id, line_id) -> None
    send_po(session, po_id, who) -> PurchaseOrder          (the PDF: core.documents.purchase_order_pdf)
    confirm_po(session, po_id, who, supplier_reference=None, expected_date=None) -> PurchaseOrder
    cancel_po(session, po_id, who) -> PurchaseOrder
    close_po(session, po_id, who, backorder=False) -> tuple[PurchaseOrder, PurchaseOrder | None]
    get_po(session, po_id) -> PurchaseOrder ; po_by_number(session, number) -> PurchaseOrder
    po_lines(session, po_id) -> list[PurchaseOrderLine]
    list_pos(session, status=None, supplier_id=None) -> list[PurchaseOrder]
    on_order(conn, product_ids=None, location_id=None) -> dict[int, int]   (still owed, thousandths)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, func, select, text
from sqlalchemy.orm import Session

from core.catalog.models import Product
from core.db.base import utcnow
from core.errors import InvalidTransition, NotFound, ValidationError
from core.inventory.movements import location_codes
from core.money import check_currency, line_amount
from core.numbering import next_number
from core.purchasing import states
from core.purchasing.models import PurchaseOrder, PurchaseOrderLine
from core.purchasing.suppliers import article_for, get_supplier

SERIES = "purchase_order"
BASE_CURRENCY = "SEK"


@dataclass
class PoLineIn:
    product_id: int
    qty: int
    #: öre excl. VAT per unit in the order's currency; None = the supplier article's price
    unit_price: int | None = None
    supplier_sku: str | None = None


def who_of(who: str) -> str:
    if not (who or "").strip():
        raise ValidationError("say who does this", field="who")
    return who.strip()


def get_po(session: Session, po_id: int) -> PurchaseOrder:
    po = session.get(PurchaseOrder, po_id)
    if po is None:
        raise NotFound(f"no purchase order with id {po_id}", field="po_id")
    return po


def po_by_number(session: Session, number: int) -> PurchaseOrder:
    po = session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == number))
    if po is None:
        raise NotFound(f"no purchase order number {number}", field="number")
    return po


def po_lines(session: Session, po_id: int) -> list[PurchaseOrderLine]:
    return list(session.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.po_id == po_id)
                                .order_by(PurchaseOrderLine.position)))


def list_pos(session: Session, status: str | Iterable[str] | None = None,
             supplier_id: int | None = None) -> list[PurchaseOrder]:
    stmt = select(PurchaseOrder).order_by(PurchaseOrder.number.desc())
    if status is not None:
        stmt = stmt.where(PurchaseOrder.status.in_([status] if isinstance(status, str)
                                                   else list(status)))
    if supplier_id is not None:
        stmt = stmt.where(PurchaseOrder.supplier_id == supplier_id)
    return list(session.scalars(stmt))


def _qty(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"order a positive quantity in thousandths, not {value!r}", field=field)
    return value


def _price(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"a purchase price is whole öre, 0 or more; got {value!r}", field=field)
    return value


def _recompute(session: Session, po: PurchaseOrder) -> None:
    session.flush()
    po.total = int(session.scalar(select(func.coalesce(func.sum(PurchaseOrderLine.amount), 0))
                                  .where(PurchaseOrderLine.po_id == po.id)))


def _new_line(session: Session, po: PurchaseOrder, data: PoLineIn, position: int
              ) -> PurchaseOrderLine:
    field = f"lines[{position}]"
    product = session.get(Product, data.product_id)
    if product is None:
        raise NotFound(f"no product with id {data.product_id}", field=f"{field}.product_id")
    if product.kind == "service" or product.product_type in ("variant_parent", "bundle"):
        raise ValidationError(f"{product.sku} is not bought in itself ({product.product_type}, "
                              f"{product.kind})", field=f"{field}.product_id",
                              hint="order its variants or components")
    if not po.drop_ship and not product.stocked:
        raise ValidationError(f"{product.sku} is not kept in stock", field=f"{field}.product_id",
                              hint="drop-ship products are ordered from their customer order")
    qty = _qty(data.qty, f"{field}.qty")
    article = article_for(session, po.supplier_id, product.id)
    price = data.unit_price
    if price is None:
        price = article.price if article is not None else product.cost_price
        if price is None:
            raise ValidationError(f"no purchase price for {product.sku} from this supplier",
                                  field=f"{field}.unit_price",
                                  hint="give a price or register the supplier's article")
    price = _price(price, f"{field}.unit_price")
    return PurchaseOrderLine(po_id=po.id, position=position, product_id=product.id,
                             sku=product.sku, name=product.name_sv, qty=qty, unit_price=price,
                             supplier_sku=data.supplier_sku or (article.supplier_sku if article
                                                                else None),
                             amount=line_amount(price, qty))


def create_po(session: Session, supplier_id: int, lines: Iterable[PoLineIn], who: str,
              location_id: int | None = None, order_date: dt.date | None = None,
              expected_date: dt.date | None = None, exchange_rate_micro: int | None = None,
              note: str | None = None, drop_ship: bool = False, ship_to: dict | None = None,
              sales_order_id: str | None = None) -> PurchaseOrder:
    """A draft purchase order numbered from the gap-free series `purchase_order`."""
    who = who_of(who)
    supplier = get_supplier(session, supplier_id)
    currency = check_currency(supplier.currency)
    if drop_ship:
        if not ship_to:
            raise ValidationError("a drop-ship order needs the customer's address", field="ship_to")
        location_id = None
    else:
        if location_id is None:
            raise ValidationError("choose the location the goods are delivered to",
                                  field="location_id")
        location_codes(session, [location_id])
    if exchange_rate_micro is None:
        if currency != BASE_CURRENCY:
            raise ValidationError(f"the supplier invoices in {currency}: give the exchange rate",
                                  field="exchange_rate_micro",
                                  hint=f"öre per {currency} × 1 000 000, e.g. 11 500 000 for 11,50")
        exchange_rate_micro = 1_000_000
    if isinstance(exchange_rate_micro, bool) or not isinstance(exchange_rate_micro, int) \
            or exchange_rate_micro <= 0:
        raise ValidationError("the exchange rate must be a positive whole number",
                              field="exchange_rate_micro")
    lines = list(lines)
    with session.begin_nested():
        po = PurchaseOrder(number=next_number(session, SERIES), supplier_id=supplier.id,
                           status="draft", currency=currency,
                           exchange_rate_micro=exchange_rate_micro,
                           order_date=order_date or dt.date.today(),
                           expected_date=expected_date or (
                               (order_date or dt.date.today())
                               + dt.timedelta(days=supplier.lead_time_days)
                               if supplier.lead_time_days is not None else None),
                           location_id=location_id, drop_ship=drop_ship, ship_to=ship_to,
                           sales_order_id=sales_order_id, note=note, created_by=who)
        session.add(po)
        session.flush()
        seen: set[int] = set()
        for i, data in enumerate(lines, start=1):
            if data.product_id in seen and not drop_ship:
                raise ValidationError(f"product {data.product_id} is on the order twice",
                                      field=f"lines[{i}].product_id",
                                      hint="give it once with the total quantity")
            seen.add(data.product_id)
            session.add(_new_line(session, po, data, i))
        _recompute(session, po)
    return po


def _draft(session: Session, po_id: int) -> PurchaseOrder:
    po = get_po(session, po_id)
    if po.status not in states.EDITABLE:
        raise InvalidTransition(f"purchase order {po.number} is {po.status}; only a draft "
                                       "can be edited", field="status",
                                       hint="close it with a back order, or make a new order")
    return po


def add_line(session: Session, po_id: int, line: PoLineIn) -> PurchaseOrderLine:
    po = _draft(session, po_id)
    position = (session.scalar(select(func.max(PurchaseOrderLine.position)).where(
        PurchaseOrderLine.po_id == po.id)) or 0) + 1
    new = _new_line(session, po, line, position)
    session.add(new)
    _recompute(session, po)
    return new


def _line(session: Session, po: PurchaseOrder, line_id: int) -> PurchaseOrderLine:
    line = session.get(PurchaseOrderLine, line_id)
    if line is None or line.po_id != po.id:
        raise NotFound(f"purchase order {po.number} has no line {line_id}", field="line_id")
    return line


def change_line(session: Session, po_id: int, line_id: int, qty: int | None = None,
                unit_price: int | None = None) -> PurchaseOrderLine:
    po = _draft(session, po_id)
    line = _line(session, po, line_id)
    if qty is not None:
        line.qty = _qty(qty, "qty")
    if unit_price is not None:
        line.unit_price = _price(unit_price, "unit_price")
    line.amount = line_amount(line.unit_price, line.qty)
    _recompute(session, po)
    return line


def remove_line(session: Session, po_id: int, line_id: int) -> None:
    po = _draft(session, po_id)
    session.delete(_line(session, po, line_id))
    _recompute(session, po)


def send_po(session: Session, po_id: int, who: str) -> PurchaseOrder:
    """Mark the order sent to the supplier (the caller mails or prints the PDF)."""
    who_of(who)
    po = get_po(session, po_id)
    states.check_transition(po.number, po.status, "sent")
    if not po_lines(session, po.id):
        raise ValidationError(f"purchase order {po.number} has no lines", field="lines",
                              hint="add what to order first")
    po.status, po.sent_at = "sent", utcnow()
    session.flush()
    return po


def confirm_po(session: Session, po_id: int, who: str, supplier_reference: str | None = None,
               expected_date: dt.date | None = None) -> PurchaseOrder:
    """The supplier confirmed the order (with its reference and delivery date)."""
    who_of(who)
    po = get_po(session, po_id)
    states.check_transition(po.number, po.status, "confirmed")
    po.status, po.confirmed_at = "confirmed", utcnow()
    if supplier_reference:
        po.supplier_reference = supplier_reference.strip()
    if expected_date:
        po.expected_date = expected_date
    session.flush()
    return po


def cancel_po(session: Session, po_id: int, who: str) -> PurchaseOrder:
    """Cancel an order nothing has been received against."""
    who_of(who)
    po = get_po(session, po_id)
    states.check_transition(po.number, po.status, "cancelled")
    lines = po_lines(session, po.id)
    if any(ln.received_qty for ln in lines):
        raise InvalidTransition(f"goods have arrived on purchase order {po.number}",
                                       field="status", hint="close it instead")
    for ln in lines:
        ln.cancelled_qty = ln.qty
    po.status, po.closed_at = "cancelled", utcnow()
    session.flush()
    return po


def close_po(session: Session, po_id: int, who: str, backorder: bool = False
             ) -> tuple[PurchaseOrder, PurchaseOrder | None]:
    """Close a (partly) received order; what is still owed is cancelled, or with `backorder`
    carried to a new order (same supplier, prices and status) that is returned too."""
    who = who_of(who)
    po = get_po(session, po_id)
    states.check_transition(po.number, po.status, "closed")
    rest = [(ln, ln.qty - ln.received_qty - ln.cancelled_qty) for ln in po_lines(session, po.id)]
    rest = [(ln, q) for ln, q in rest if q > 0]
    new = None
    if backorder and rest and po.drop_ship:
        raise ValidationError(f"purchase order {po.number} is a drop shipment; its rest is "
                              "ordered again from the customer order", field="backorder",
                              hint="close it without a back order")
    with session.begin_nested():
        if backorder and rest:
            new = create_po(session, po.supplier_id, [
                PoLineIn(ln.product_id, q, ln.unit_price, ln.supplier_sku) for ln, q in rest],
                who, location_id=po.location_id, expected_date=po.expected_date,
                exchange_rate_micro=po.exchange_rate_micro,
                note=f"Restorder från inköpsorder {po.number}")
            new.backorder_of = po.id
            new.supplier_reference = po.supplier_reference
            new.status = "confirmed" if po.confirmed_at else "sent"
            new.sent_at, new.confirmed_at = po.sent_at, po.confirmed_at
        for ln, q in rest:
            ln.cancelled_qty += q
        po.status, po.closed_at = "closed", utcnow()
        session.flush()
    return po, new


_ON_ORDER = ("SELECT l.product_id, sum(l.qty - l.received_qty - l.cancelled_qty) "
             "FROM purchase_order_line l JOIN purchase_order o ON o.id = l.po_id "
             "WHERE o.status IN ('sent', 'confirmed', 'partly_received') AND NOT o.drop_ship "
             "AND l.qty > l.received_qty + l.cancelled_qty")


def on_order(conn, product_ids: Iterable[int] | None = None, location_id: int | None = None
             ) -> dict[int, int]:
    """{product_id: thousandths still owed by suppliers} on open, stocked orders."""
    sql, params = _ON_ORDER, {}
    if location_id is not None:
        sql += " AND o.location_id = :l"
        params["l"] = location_id
    stmt = text(sql + " GROUP BY l.product_id")
    if product_ids is not None:
        ids = sorted(set(product_ids))
        if not ids:
            return {}
        stmt = text(sql + " AND l.product_id IN :ids GROUP BY l.product_id").bindparams(
            bindparam("ids", expanding=True, type_=Integer))
        params["ids"] = ids
    return {int(pid): int(q) for pid, q in conn.execute(stmt, params)}
