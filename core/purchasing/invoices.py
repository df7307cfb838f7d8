"""Supplier invoices against purchase orders, with price and quantity differences flagged; accounts payable.

API:
    InvoiceLineIn(qty, unit_price, po_line_id=None, description='')
    SupplierInvoiceIn(supplier_id, invoice_number, invoice_date, lines, po_id=None, vat=0,
                      due_date=None)
    register_supplier_invoice(session, data, who) -> SupplierInvoice
    invoice_lines(session, invoice_id) -> list[SupplierInvoiceLine]
    differences(session, invoice_id) -> list[Difference]
    accounts_payable(session, on=None, supplier_id=None) -> list[Payable]    (open, by due date)
    mark_paid(session, invoice_id, paid_on) -> SupplierInvoice

A line's quantity difference is invoiced − (received − already invoiced on earlier invoices);
its price difference is invoiced unit price − the order's unit price. Either one sets
`has_differences` so the invoice is checked before it is paid. The due date defaults to the
invoice date + the supplier's payment terms (30 days when unset).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.money import line_amount
from core.purchasing.models import PurchaseOrderLine, Supplier, SupplierInvoice, SupplierInvoiceLine
from core.purchasing.orders import get_po, who_of
from core.purchasing.suppliers import get_supplier

DEFAULT_TERMS_DAYS = 30


@dataclass
class InvoiceLineIn:
    qty: int
    unit_price: int
    po_line_id: int | None = None
    description: str = ""


@dataclass
class SupplierInvoiceIn:
    supplier_id: int
    invoice_number: str
    invoice_date: dt.date
    lines: list[InvoiceLineIn] = field(default_factory=list)
    po_id: int | None = None
    #: the VAT on the invoice, öre (input VAT)
    vat: int = 0
    due_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Difference:
    invoice_line_id: int
    po_line_id: int | None
    sku: str
    kind: str  # 'qty' | 'price'
    expected: int
    invoiced: int


@dataclass(frozen=True, slots=True)
class Payable:
    invoice_id: str
    supplier_id: int
    supplier_name: str
    invoice_number: str
    invoice_date: dt.date
    due_date: dt.date
    currency: str
    total: int
    days_overdue: int
    has_differences: bool


def _already_invoiced(session: Session, po_line_id: int) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(SupplierInvoiceLine.qty), 0)).where(
        SupplierInvoiceLine.po_line_id == po_line_id)))


def register_supplier_invoice(session: Session, data: SupplierInvoiceIn, who: str
                              ) -> SupplierInvoice:
    """Register a supplier's invoice; lines tied to order lines are compared with order and receipts."""
    who = who_of(who)
    supplier = get_supplier(session, data.supplier_id)
    number = (data.invoice_number or "").strip()
    if not number or len(number) > 64:
        raise ValidationError("the supplier's invoice number (1–64 characters) is required",
                              field="invoice_number")
    if session.scalar(select(SupplierInvoice.id).where(
            SupplierInvoice.supplier_id == supplier.id,
            SupplierInvoice.invoice_number == number)) is not None:
        raise Conflict(f"invoice {number} from {supplier.name} is already registered",
                       field="invoice_number", hint="a supplier's invoice is registered once")
    if not data.lines:
        raise ValidationError("an invoice needs at least one line", field="lines")
    if isinstance(data.vat, bool) or not isinstance(data.vat, int) or data.vat < 0:
        raise ValidationError(f"VAT is whole öre, 0 or more; got {data.vat!r}", field="vat")
    po = get_po(session, data.po_id) if data.po_id is not None else None
    if po is not None and po.supplier_id != supplier.id:
        raise ValidationError(f"purchase order {po.number} is to another supplier", field="po_id")
    currency = po.currency if po is not None else supplier.currency
    due = data.due_date or data.invoice_date + dt.timedelta(
        days=supplier.payment_terms_days if supplier.payment_terms_days is not None
        else DEFAULT_TERMS_DAYS)
    if due < data.invoice_date:
        raise ValidationError("the due date is before the invoice date", field="due_date")
    rows = []
    for i, ln in enumerate(data.lines, start=1):
        if isinstance(ln.qty, bool) or not isinstance(ln.qty, int) or ln.qty == 0:
            raise ValidationError(f"a non-zero quantity in thousandths, not {ln.qty!r}",
                                  field=f"lines[{i}].qty")
        if isinstance(ln.unit_price, bool) or not isinstance(ln.unit_price, int) or ln.unit_price < 0:
            raise ValidationError(f"a unit price is whole öre, 0 or more; got {ln.unit_price!r}",
                                  field=f"lines[{i}].unit_price")
        qty_diff = price_diff = 0
        description = ln.description
        if ln.po_line_id is not None:
            pol = session.get(PurchaseOrderLine, ln.po_line_id)
            if pol is None or po is None or pol.po_id != po.id:
                raise NotFound(f"line {ln.po_line_id} is not on the invoice's purchase order",
                               field=f"lines[{i}].po_line_id", hint="give the order (po_id) too")
            qty_diff = ln.qty - (pol.received_qty - _already_invoiced(session, pol.id))
            price_diff = ln.unit_price - pol.unit_price
            description = description or f"{pol.sku} {pol.name}"
        rows.append(SupplierInvoiceLine(po_line_id=ln.po_line_id, description=description[:200],
                                        qty=ln.qty, unit_price=ln.unit_price,
                                        amount=line_amount(ln.unit_price, ln.qty),
                                        qty_difference=qty_diff, price_difference=price_diff))
    net = sum(r.amount for r in rows)
    invoice = SupplierInvoice(supplier_id=supplier.id, po_id=po.id if po else None,
                              invoice_number=number, invoice_date=data.invoice_date, due_date=due,
                              currency=currency, net=net, vat=data.vat, total=net + data.vat,
                              has_differences=any(r.qty_difference or r.price_difference
                                                  for r in rows),
                              status="open", created_by=who)
    session.add(invoice)
    session.flush()
    for r in rows:
        r.invoice_id = invoice.id
    session.add_all(rows)
    session.flush()
    return invoice


def invoice_lines(session: Session, invoice_id: str) -> list[SupplierInvoiceLine]:
    return list(session.scalars(select(SupplierInvoiceLine).where(
        SupplierInvoiceLine.invoice_id == invoice_id).order_by(SupplierInvoiceLine.id)))


def differences(session: Session, invoice_id: str) -> list[Difference]:
    """Every flagged difference of an invoice: what was expected and what was invoiced."""
    out = []
    for ln in invoice_lines(session, invoice_id):
        pol = session.get(PurchaseOrderLine, ln.po_line_id) if ln.po_line_id else None
        sku = pol.sku if pol else ""
        if ln.qty_difference:
            out.append(Difference(ln.id, ln.po_line_id, sku, "qty", ln.qty - ln.qty_difference,
                                  ln.qty))
        if ln.price_difference:
            out.append(Difference(ln.id, ln.po_line_id, sku, "price",
                                  ln.unit_price - ln.price_difference, ln.unit_price))
    return out


def accounts_payable(session: Session, on: dt.date | None = None, supplier_id: int | None = None
                     ) -> list[Payable]:
    """Open supplier invoices, earliest due first, with days overdue on `on` (today)."""
    on = on or dt.date.today()
    stmt = (select(SupplierInvoice, Supplier.name).join(Supplier,
                                                        Supplier.id == SupplierInvoice.supplier_id)
            .where(SupplierInvoice.status == "open")
            .order_by(SupplierInvoice.due_date, SupplierInvoice.invoice_date))
    if supplier_id is not None:
        stmt = stmt.where(SupplierInvoice.supplier_id == supplier_id)
    return [Payable(inv.id, inv.supplier_id, name, inv.invoice_number, inv.invoice_date,
                    inv.due_date, inv.currency, inv.total, max((on - inv.due_date).days, 0),
                    inv.has_differences) for inv, name in session.execute(stmt)]


def mark_paid(session: Session, invoice_id: str, paid_on: dt.date) -> SupplierInvoice:
    invoice = session.get(SupplierInvoice, invoice_id)
    if invoice is None:
        raise NotFound(f"no supplier invoice {invoice_id!r}", field="invoice_id")
    if invoice.status == "paid":
        raise InvalidTransition(f"invoice {invoice.invoice_number} was paid on {invoice.paid_on}",
                                field="status")
    invoice.status, invoice.paid_on = "paid", paid_on
    session.flush()
    return invoice
