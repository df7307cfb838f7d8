"""Printing receipts and reports, and opening the drawer — after the sale is committed.

A missing printer never loses a sale: the receipt is saved first; `print_receipt` marks it printed
only when the printer took it. The first print is the original; one copy ("KOPIA") may follow;
a second copy is refused. The drawer opens only for a cash payment or a refund, and for a
manager's journaled "no sale". Runs off the GUI thread (printing blocks up to the timeout).
"""

from __future__ import annotations

from sqlalchemy import select

from core.db.engine import Store
from core.errors import Conflict, NotFound
from core.hardware.printer import ReceiptPrinter
from core.sales import journal
from core.sales.counters import DayTotals
from core.sales.models import SalesReceipt
from core.sales.receipt_layout import receipt_layout, report_layout


def opens_drawer(body: dict) -> bool:
    """Cash changes hands (a cash payment or any refund): the drawer may open."""
    return body["kind"] == "return" or any(p["method"] == "cash" and p["amount"] for p in body["payments"])


def print_receipt(store: Store, printer: ReceiptPrinter, receipt_id: str, *, cashier: str | None = None) -> str:
    """Print a saved receipt: 'original' the first time, then once 'copy'; raises `Unavailable`
    (receipt stays unprinted) or `Conflict` (a second copy)."""
    with store.read() as s:
        r = s.get(SalesReceipt, receipt_id)
        if r is None:
            raise NotFound(f"no receipt {receipt_id}", field="receipt")
        copy = r.printed_count > 0
        if copy and r.copy_printed:
            raise Conflict("a copy of this receipt was already printed; only one copy is allowed",
                           field="receipt")
        body, header = r.body, r.header
    printer.print_layout(receipt_layout(body, header, copy=copy, width=printer.settings.width),
                         kick=not copy and opens_drawer(body))
    with store.write() as s:
        r = s.get(SalesReceipt, receipt_id)
        r.printed_count += 1
        if copy:
            r.copy_printed = True
            head = journal.counters(s, r.register_id)
            day = DayTotals.load(head.day)
            day.copies += 1
            day.copies_amount += r.total
            head.day = day.dump()
        journal.append(s, r.register_id, "copy" if copy else "print",
                       {"receipt_id": receipt_id, "number": r.number, "total": r.total,
                        "control_code": body["control_code"], "cashier": cashier})
        s.commit()
    return "copy" if copy else "original"


def unprinted(store: Store, register_id: int) -> list[tuple[str, int]]:
    """(receipt id, number) of receipts saved but never printed, oldest first — to print later."""
    with store.read() as s:
        return [tuple(row) for row in s.execute(
            select(SalesReceipt.id, SalesReceipt.number)
            .where(SalesReceipt.register_id == register_id, SalesReceipt.printed_count == 0)
            .order_by(SalesReceipt.number))]


def print_report(printer: ReceiptPrinter, report: dict) -> bytes:
    return printer.print_layout(report_layout(report, width=printer.settings.width))


def receipt_document(store: Store, receipt_id: str, fmt: str = "text", path=None):
    """The e-receipt ("elektroniskt kassakvitto") as plain text or PDF bytes."""
    from core.documents.receipt_pdf import layout_pdf
    from core.sales.receipt_layout import to_text

    with store.read() as s:
        r = s.get(SalesReceipt, receipt_id)
        if r is None:
            raise NotFound(f"no receipt {receipt_id}", field="receipt")
        layout = receipt_layout(r.body, r.header, electronic=True)
        number = r.number
    if fmt == "pdf":
        return layout_pdf(layout, path, title=f"Kvitto {number}")
    return to_text(layout)
