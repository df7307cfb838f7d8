"""Supplier invoices and accounts payable for the Purchasing tab: an invoice registered against a PO
(its lines pre-filled from what was received, differences shown), the open payables, "mark paid".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from backoffice.models.suppliers_model import RowsModel, yes_no
from core.money import format_amount
from core.quantity import format_qty


@dataclass(frozen=True)
class InvoiceDraftLine:
    """One PO line as an invoice line is proposed: what is received and not yet invoiced, at the PO price."""

    po_line_id: int
    sku: str
    name: str
    ordered: int
    received: int
    invoiced_before: int
    unit_price: int

    @property
    def to_invoice(self) -> int:
        return max(self.received - self.invoiced_before, 0)


def invoice_draft_lines(conn, po_id: int) -> list[InvoiceDraftLine]:
    rows = conn.execute(text("""
        SELECT l.id, l.sku, l.name, l.qty, l.received_qty,
               (SELECT coalesce(sum(i.qty), 0) FROM supplier_invoice_line i WHERE i.po_line_id = l.id),
               l.unit_price
        FROM purchase_order_line l WHERE l.po_id = :p ORDER BY l.position"""), {"p": po_id}).all()
    return [InvoiceDraftLine(r[0], r[1], r[2], int(r[3]), int(r[4]), int(r[5]), int(r[6])) for r in rows]


@dataclass(frozen=True)
class DifferenceRow:
    sku: str
    kind: str  # 'qty' | 'price'
    expected: int
    invoiced: int

    def text(self) -> str:
        fmt = format_qty if self.kind == "qty" else format_amount
        return f"{self.sku}: {fmt(self.expected)} → {fmt(self.invoiced)}"


@dataclass(frozen=True)
class RegisteredInvoice:
    id: str
    total: int
    due_date: dt.date
    differences: list[DifferenceRow]


def register_po_invoice(session: Session, po_id: int, invoice_number: str, invoice_date: dt.date,
                        lines: dict[int, tuple[int, int]], who: str, vat: int = 0,
                        due_date: dt.date | None = None) -> RegisteredInvoice:
    """Register the supplier's invoice for a PO from {po line id: (qty, unit price)}; lines with
    quantity 0 are left out. Returns the invoice with its flagged differences."""
    from core.purchasing.invoices import (
        InvoiceLineIn,
        SupplierInvoiceIn,
        differences,
        register_supplier_invoice,
    )
    from core.purchasing.orders import get_po

    po = get_po(session, po_id)
    invoice = register_supplier_invoice(session, SupplierInvoiceIn(
        supplier_id=po.supplier_id, invoice_number=invoice_number, invoice_date=invoice_date,
        lines=[InvoiceLineIn(qty, price, po_line_id=lid) for lid, (qty, price) in lines.items() if qty],
        po_id=po.id, vat=vat, due_date=due_date), who)
    diffs = [DifferenceRow(d.sku, d.kind, d.expected, d.invoiced) for d in differences(session, invoice.id)]
    return RegisteredInvoice(invoice.id, invoice.total, invoice.due_date, diffs)


@dataclass(frozen=True)
class PayableRow:
    invoice_id: str
    supplier: str
    invoice_number: str
    po_number: int | None
    invoice_date: dt.date
    due_date: dt.date
    total: int
    currency: str
    days_overdue: int
    has_differences: bool


def payable_rows(session: Session, on: dt.date | None = None, supplier_id: int | None = None
                 ) -> list[PayableRow]:
    """Open supplier invoices, earliest due first (core's accounts payable), with the PO number."""
    from core.purchasing.invoices import accounts_payable

    payables = accounts_payable(session, on, supplier_id)
    numbers = dict(session.execute(text(
        "SELECT i.id, o.number FROM supplier_invoice i JOIN purchase_order o ON o.id = i.po_id "
        "WHERE i.status = 'open'")).all())
    return [PayableRow(p.invoice_id, p.supplier_name, p.invoice_number, numbers.get(p.invoice_id),
                       p.invoice_date, p.due_date, p.total, p.currency, p.days_overdue, p.has_differences)
            for p in payables]


class PayablesModel(RowsModel):
    COLUMNS = (("supplier", "Supplier"), ("invoice_number", "Invoice no."), ("po_number", "PO no."),
               ("invoice_date", "Invoice date"), ("due_date", "Due date"), ("total", "Amount"),
               ("days_overdue", "Days overdue"), ("has_differences", "Differences"))
    NUMERIC = frozenset({"total", "days_overdue", "po_number"})

    def display(self, row: PayableRow, key: str):
        if key == "total":
            return f"{format_amount(row.total)} {row.currency}"
        if key in ("invoice_date", "due_date"):
            return getattr(row, key).isoformat()
        if key == "has_differences":
            return yes_no(row.has_differences)
        if key == "days_overdue":
            return row.days_overdue or ""
        return super().display(row, key)


def pay(session: Session, invoice_id: str, paid_on: dt.date) -> None:
    from core.purchasing.invoices import mark_paid

    mark_paid(session, invoice_id, paid_on)
