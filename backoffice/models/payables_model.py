"""Supplier invoices and accounts payable for the Purchasing tab: an invoice against a PO (its lines
pre-filled from what was received; registered by the `supplier_invoices.register` command, whose
answer lists the differences) and the open payables ("mark paid" is `supplier_invoices.mark_paid`).
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

    @classmethod
    def from_result(cls, result: dict) -> RegisteredInvoice:
        """From `supplier_invoices.register`'s answer (JSON: the due date as ISO text)."""
        return cls(result["id"], result["total"], dt.date.fromisoformat(result["due_date"]),
                   [DifferenceRow(d["sku"], d["kind"], d["expected"], d["invoiced"])
                    for d in result["differences"]])


def invoice_args(po_id: int, invoice_number: str, invoice_date: dt.date, lines: dict[int, tuple[int, int]],
                 vat: int = 0, due_date: dt.date | None = None) -> dict:
    """`supplier_invoices.register`'s arguments from {po line id: (qty, unit price)} (qty 0: not invoiced)."""
    return {"po_id": po_id, "invoice_number": invoice_number, "invoice_date": invoice_date.isoformat(),
            "vat": vat, "due_date": due_date.isoformat() if due_date else None,
            "lines": [{"po_line_id": lid, "qty": qty, "unit_price": price}
                      for lid, (qty, price) in lines.items()]}


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
