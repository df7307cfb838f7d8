"""Back-office commands for supplier invoices (accounts payable), reorder and drop shipping.

Registered when core.commands.purchasing is loaded (it imports this module); the argument checks
are that module's.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.catalog.products import get_product
from core.commands import as_date, as_int, command
from core.commands.purchasing import AREA, as_text, items, product_of
from core.errors import ValidationError
from core.purchasing import dropship, invoices, orders, reorder

# ------------------------------------------------------------------ supplier invoices


@command("supplier_invoices.register", area=AREA)
def register_invoice(session: Session, who: str, po_id: int, invoice_number: str, invoice_date: str,
                     lines: list, vat: int = 0, due_date: str | None = None) -> dict:
    """The supplier's invoice for a PO: lines [{po_line_id, qty, unit_price}] (qty 0 = not invoiced).

    The result lists the price and quantity differences to check before paying.
    """
    items(lines, "lines", ("po_line_id", "qty", "unit_price"))
    invoiced = [invoices.InvoiceLineIn(as_int(ln["qty"], f"lines[{i}].qty"),
                                       as_int(ln["unit_price"], f"lines[{i}].unit_price"),
                                       po_line_id=as_int(ln["po_line_id"], f"lines[{i}].po_line_id"))
                for i, ln in enumerate(lines, start=1)]
    day = as_date(invoice_date, "invoice_date")
    if day is None:
        raise ValidationError("the invoice date is required", field="invoice_date", hint="YYYY-MM-DD")
    po = orders.get_po(session, as_int(po_id, "po_id"))
    invoice = invoices.register_supplier_invoice(session, invoices.SupplierInvoiceIn(
        supplier_id=po.supplier_id, invoice_number=as_text(invoice_number, "invoice_number"),
        invoice_date=day, lines=[ln for ln in invoiced if ln.qty], po_id=po.id,
        vat=as_int(vat, "vat"), due_date=as_date(due_date, "due_date")), who)
    return {"id": invoice.id, "total": invoice.total, "due_date": invoice.due_date,
            "differences": [{"sku": d.sku, "kind": d.kind, "expected": d.expected, "invoiced": d.invoiced}
                            for d in invoices.differences(session, invoice.id)]}


@command("supplier_invoices.mark_paid", area=AREA)
def mark_paid(session: Session, who: str, invoice_id: str, paid_on: str) -> dict:
    day = as_date(paid_on, "paid_on")
    if day is None:
        raise ValidationError("say which day it was paid", field="paid_on", hint="YYYY-MM-DD")
    invoice = invoices.mark_paid(session, as_text(invoice_id, "invoice_id"), day)
    return {"id": invoice.id, "status": invoice.status, "paid_on": invoice.paid_on}


# ------------------------------------------------------------------ reorder


@command("reorder.set_point", area=AREA)
def set_point(session: Session, who: str, location_id: int, reorder_point: int, order_up_to: int,
              sku: str | None = None, product_id: int | None = None) -> dict:
    """Set (or change) a product's reorder point at a location (by our SKU or the product id)."""
    pid = product_of(session, sku, product_id)
    reorder.set_reorder_point(session, pid, as_int(location_id, "location_id"),
                              as_int(reorder_point, "reorder_point"), as_int(order_up_to, "order_up_to"))
    return {"product_id": pid, "location_id": location_id}


@command("reorder.remove_point", area=AREA)
def remove_point(session: Session, who: str, product_id: int, location_id: int) -> dict:
    reorder.remove_reorder_point(session, as_int(product_id, "product_id"), as_int(location_id, "location_id"))
    return {"product_id": product_id, "location_id": location_id}


@command("reorder.create_pos", area=AREA)
def create_pos(session: Session, who: str, lines: list) -> dict:
    """Draft POs from chosen suggestion lines [{supplier_id, location_id, product_id, qty,
    unit_price?, supplier_sku?}]: one PO per supplier and location, as suggested or edited."""
    items(lines, "lines", ("supplier_id", "location_id", "product_id", "qty"),
          ("unit_price", "supplier_sku"))
    if not lines:
        raise ValidationError("choose at least one suggested line", field="lines")
    groups: dict[tuple[int | None, int], reorder.Suggestion] = {}
    for i, ln in enumerate(lines, start=1):
        where = f"lines[{i}]"
        supplier = as_int(ln["supplier_id"], f"{where}.supplier_id", optional=True)
        location = as_int(ln["location_id"], f"{where}.location_id")
        product = get_product(session, as_int(ln["product_id"], f"{where}.product_id"))
        group = groups.setdefault((supplier, location), reorder.Suggestion(supplier, "", location))
        group.lines.append(reorder.SuggestionLine(
            product.id, product.sku, product.name_sv, 0, 0, 0, 0, as_int(ln["qty"], f"{where}.qty"),
            as_text(ln.get("supplier_sku"), f"{where}.supplier_sku", optional=True),
            as_int(ln.get("unit_price"), f"{where}.unit_price", optional=True)))
    pos = reorder.create_pos_from_suggestions(session, list(groups.values()), who)
    return {"ids": [po.id for po in pos], "numbers": [po.number for po in pos]}


# ------------------------------------------------------------------ drop shipping


@command("dropship.confirm", area="orders")
def confirm_shipment(session: Session, who: str, po_id: int, tracking: str | None = None) -> dict:
    """The supplier shipped everything still owed on a drop-ship PO: the customer's lines are delivered."""
    confirmation = dropship.confirm_drop_ship_shipment(
        session, as_int(po_id, "po_id"), tracking=as_text(tracking, "tracking", optional=True), who=who)
    return {"po_id": confirmation.po_id, "po_number": confirmation.po_number,
            "receipt_id": confirmation.receipt_id,
            "delivery_id": dropship.deliver_customer_lines(session, confirmation, who)}


@command("dropship.import_file", area="orders")
def import_file(session: Session, who: str, text: str) -> dict:
    """The supplier's shipment file (CSV `po_number;sku;qty;tracking`); a bad row refuses it all."""
    confirmations = dropship.import_shipment_file(session, as_text(text, "text"), who)
    deliveries = [dropship.deliver_customer_lines(session, c, who) for c in confirmations]
    return {"shipments": len(confirmations), "deliveries": [d for d in deliveries if d]}
