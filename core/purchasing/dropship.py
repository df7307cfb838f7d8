"""Drop shipping: a customer order line becomes a line on a purchase order to the product's supplier,
shipped to the customer; the supplier's shipment confirmation delivers the line with no stock movement.

API:
    drop_ship_line(session, order_id, order_line_id, product_id, qty, ship_to, who='drop-ship',
                   exchange_rate_micro=None, unit_price=None) -> DropShipLine
    confirm_drop_ship_shipment(session, po_id, lines=None, tracking=None, who='supplier',
                               receipt_id=None, on=None) -> DropShipConfirmation
    import_shipment_file(session, text, who) -> list[DropShipConfirmation]
        (CSV `po_number;sku;qty;tracking`, by hand or from the supplier's file)
    deliver_customer_lines(session, confirmation, who) -> str | None   (the delivery id)

The orders side calls `drop_ship_line` when a drop-ship line is confirmed and, on a confirmation,
delivers `confirmation.lines` with `drop_ship_confirmed=True` — `deliver_customer_lines` does
exactly that through core.orders, with a delivery id derived from the receipt so a replay
delivers nothing twice. Drop-ship receipts record no stock movement and leave the average cost.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog.models import Product
from core.errors import Conflict, NotFound, RowErrors, UserError, ValidationError
from core.purchasing.models import PurchaseOrder, PurchaseOrderLine
from core.purchasing.orders import PoLineIn, add_line, create_po, get_po, po_by_number, po_lines
from core.purchasing.receiving import receipt_lines, receive
from core.purchasing.suppliers import article_for
from core.quantity import parse_qty

#: the namespace of delivery ids derived from drop-ship receipt ids
DELIVERY_NS = uuid.UUID("5b0e3f3c-2b7e-4a0e-9a55-6f1d3c1de7a1")


@dataclass(frozen=True, slots=True)
class DropShipLine:
    po_id: int
    po_number: int
    po_line_id: int


@dataclass(frozen=True, slots=True)
class ConfirmedLine:
    order_id: str
    order_line_id: str
    product_id: int
    qty: int


@dataclass(frozen=True, slots=True)
class DropShipConfirmation:
    po_id: int
    po_number: int
    receipt_id: str
    tracking: str | None
    lines: list[ConfirmedLine]


def drop_ship_line(session: Session, order_id: str, order_line_id: str, product_id: int, qty: int,
                   ship_to: dict, who: str = "drop-ship", exchange_rate_micro: int | None = None,
                   unit_price: int | None = None) -> DropShipLine:
    """Order a customer line from the product's supplier: added to the order's open (draft)
    drop-ship purchase order for that supplier and address, or a new one. Idempotent per line.

    The price is `unit_price`, else the supplier article's, else the product's cost price, else
    0 (the customer's order is never held up for a missing purchase price: the draft shows it).
    """
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(f"no product with id {product_id}", field="product_id")
    if not product.drop_ship or product.supplier_id is None:
        raise ValidationError(f"{product.sku} is not a drop-ship product", field="product_id",
                              hint="deliver it from stock")
    if not ship_to:
        raise ValidationError("the customer's delivery address is required", field="ship_to")
    existing = session.scalar(select(PurchaseOrderLine).where(
        PurchaseOrderLine.order_line_id == order_line_id))
    if existing is not None:
        po = get_po(session, existing.po_id)
        if existing.product_id != product_id or existing.qty != qty:
            raise Conflict(f"order line {order_line_id} is already on purchase order {po.number} "
                           "with another product or quantity", field="order_line_id",
                           hint="change the purchase order line instead")
        return DropShipLine(po.id, po.number, existing.id)
    po = session.scalar(select(PurchaseOrder).where(
        PurchaseOrder.status == "draft", PurchaseOrder.drop_ship.is_(True),
        PurchaseOrder.supplier_id == product.supplier_id,
        PurchaseOrder.sales_order_id == order_id).order_by(PurchaseOrder.id))
    if po is not None and po.ship_to != ship_to:
        po = None  # a new address goes on its own order
    if po is None:
        po = create_po(session, product.supplier_id, [], who, drop_ship=True, ship_to=dict(ship_to),
                       sales_order_id=order_id, exchange_rate_micro=exchange_rate_micro,
                       note="Direktleverans till kund")
    if unit_price is None:
        article = article_for(session, product.supplier_id, product.id)
        unit_price = article.price if article else product.cost_price or 0
    line = add_line(session, po.id, PoLineIn(product_id, qty, unit_price))
    line.order_line_id = order_line_id
    session.flush()
    return DropShipLine(po.id, po.number, line.id)


def confirm_drop_ship_shipment(session: Session, po_id: int,
                               lines: Mapping[int, int] | Iterable[tuple[int, int]] | None = None,
                               tracking: str | None = None, who: str = "supplier",
                               receipt_id: str | None = None, on: dt.date | None = None
                               ) -> DropShipConfirmation:
    """The supplier shipped `lines` ({po_line_id: qty}; None = all still owed) to the customer."""
    po = get_po(session, po_id)
    if not po.drop_ship:
        raise ValidationError(f"purchase order {po.number} is not a drop shipment",
                              field="po_id", hint="receive it into stock instead")
    all_lines = po_lines(session, po.id)
    if lines is None:
        lines = {ln.id: ln.qty - ln.received_qty - ln.cancelled_qty for ln in all_lines
                 if ln.qty > ln.received_qty + ln.cancelled_qty}
        if not lines:
            raise ValidationError(f"everything on purchase order {po.number} has been shipped",
                                  field="lines")
    tracking = (tracking or "").strip() or None
    receipt = receive(session, po.id, lines, who, drop_ship=True, receipt_id=receipt_id, on=on,
                      tracking_number=tracking)
    by_id = {ln.id: ln for ln in all_lines}
    confirmed = [ConfirmedLine(po.sales_order_id or "", by_id[rl.po_line_id].order_line_id or "",
                               by_id[rl.po_line_id].product_id, rl.qty)
                 for rl in receipt_lines(session, receipt.id)]
    return DropShipConfirmation(po.id, po.number, receipt.id, receipt.tracking_number, confirmed)


def deliver_customer_lines(session: Session, confirmation: DropShipConfirmation, who: str
                           ) -> str | None:
    """Deliver the confirmed customer lines through core.orders (no stock moves); the delivery id."""
    from core.orders.delivery import deliver  # orders is the owner of deliveries

    lines = [(ln.order_line_id, ln.qty) for ln in confirmation.lines if ln.order_line_id]
    if not lines:
        return None
    order_id = confirmation.lines[0].order_id
    delivery = deliver(session, order_id, lines, who, drop_ship_confirmed=True,
                       delivery_id=str(uuid.uuid5(DELIVERY_NS, confirmation.receipt_id)),
                       tracking_number=confirmation.tracking)
    return delivery.id


def import_shipment_file(session: Session, text: str, who: str) -> list[DropShipConfirmation]:
    """Confirm shipments from a CSV (`po_number;sku;qty;tracking`, header row first).

    Rows of one order and tracking number become one confirmation. Every row is checked before
    anything is recorded; bad rows are reported together (RowErrors) and nothing changes.
    """
    sample = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if ";" in sample else ",")
    need = {"po_number", "sku", "qty"}
    missing = need - set(reader.fieldnames or [])
    if missing:
        raise ValidationError(f"the file lacks column(s) {', '.join(sorted(missing))}",
                              field="header", hint="po_number;sku;qty;tracking")
    groups: dict[tuple[int, str | None], dict[int, int]] = {}
    errors: list[tuple[int, str, str]] = []
    for n, row in enumerate(reader, start=2):
        try:
            raw = (row.get("po_number") or "").strip()
            if not raw.isdigit():
                raise ValidationError(f"{raw!r} is not a purchase order number", field="po_number")
            po = po_by_number(session, int(raw))
            sku = (row.get("sku") or "").strip()
            match = [ln for ln in po_lines(session, po.id) if sku in (ln.sku, ln.supplier_sku)]
            if not match:
                raise NotFound(f"purchase order {po.number} has no article {sku!r}", field="sku")
            qty = parse_qty(row.get("qty") or "", field="qty")
            if qty <= 0:
                raise ValidationError("ship a positive quantity", field="qty")
            key = (po.id, (row.get("tracking") or "").strip() or None)
            lines = groups.setdefault(key, {})
            lines[match[0].id] = lines.get(match[0].id, 0) + qty
        except UserError as exc:
            errors.append((n, exc.field or "", exc.message))
    if errors:
        raise RowErrors(errors)
    out = []
    with session.begin_nested():
        for (po_id, tracking), lines in groups.items():
            out.append(confirm_drop_ship_shipment(session, po_id, lines, tracking, who))
    return out
