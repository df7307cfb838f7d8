"""Back-office commands for invoices and payments: invoice an order or a delivery, credit, remind,
register and import incoming payments (their e-mail is in core/commands/mail.py).

Amounts are öre, quantities thousandths, dates ISO text. A payment file travels as base64 text
(`content`): BgMax (starts "01BGMAX") or a payments CSV (date;amount;reference;payer).
"""

from __future__ import annotations

import base64
import binascii

from sqlalchemy.orm import Session

from core.commands import as_date, as_int, command
from core.commands.orders import as_id, as_text, quantities
from core.errors import ValidationError

AREA = "orders"
#: the largest payment file accepted (bank files are a few kilobytes a day)
MAX_FILE_BYTES = 5_000_000


def _invoice(invoice) -> dict:
    return {"id": invoice.id, "number": invoice.number, "kind": invoice.kind,
            "total_gross": invoice.total_gross, "ocr": invoice.ocr}


@command("invoices.invoice_order", area=AREA)
def invoice_order(session: Session, who: str, order_id: str, on: str | None = None,
                  note: str | None = None) -> dict:
    """One invoice for every delivery of the order not invoiced yet."""
    from core.invoicing.service import invoice_order as bill
    return _invoice(bill(session, as_id(order_id, "order_id"), who, as_date(on, "on"), as_text(note, "note")))


@command("invoices.invoice_delivery", area=AREA)
def invoice_delivery(session: Session, who: str, delivery_id: str, on: str | None = None,
                     note: str | None = None) -> dict:
    """One invoice for one delivery."""
    from core.invoicing.service import invoice_delivery as bill
    return _invoice(bill(session, as_id(delivery_id, "delivery_id"), who, as_date(on, "on"),
                         as_text(note, "note")))


@command("invoices.credit", area=AREA)
def credit(session: Session, who: str, invoice_id: str, lines: list | None = None,
           reason: str | None = None, on: str | None = None) -> dict:
    """A credit note for the rest of the invoice (no `lines`), or for lines [{line_id, qty}]."""
    from core.invoicing.service import credit_invoice

    chosen = None
    if lines is not None:
        chosen = {as_int(line_id, f"lines[{i}].line_id"): qty
                  for i, (line_id, qty) in enumerate(quantities(lines), start=1)}
        if not chosen:
            raise ValidationError("give at least one line to credit", field="lines",
                                  hint="or leave lines out to credit everything that is left")
    note = credit_invoice(session, as_id(invoice_id, "invoice_id"), who, chosen, as_date(on, "on"),
                          as_text(reason, "reason"))
    return _invoice(note)


@command("invoices.remind", area=AREA)
def remind(session: Session, who: str, invoice_id: str, on: str | None = None, fee: int = 0) -> dict:
    """Record the next reminder of an overdue invoice (its PDF is made from the replica)."""
    import datetime as dt

    from core.invoicing.receivables import create_reminder

    reminder = create_reminder(session, as_id(invoice_id, "invoice_id"), who,
                               as_date(on, "on") or dt.date.today(), as_int(fee, "fee"))
    return {"reminder_id": reminder.id, "invoice_id": reminder.invoice_id, "level": reminder.level,
            "open_amount": reminder.open_amount}


@command("invoices.settle_provider", area=AREA)
def settle_provider(session: Session, who: str, invoice_id: str, paid_on: str,
                    reference: str = "") -> dict:
    """The payment provider (Klarna, Nets…) paid out an invoice it collected at checkout."""
    from core.invoicing.payments import settle_provider as settle
    payment = settle(session, as_id(invoice_id, "invoice_id"), as_date(paid_on, "paid_on"), who,
                     as_text(reference, "reference", optional=False))
    return {"invoice_id": invoice_id, "payment_id": payment.id if payment else None}


# ------------------------------------------------------------------ payments

@command("payments.register", area=AREA)
def register(session: Session, who: str, amount: int, paid_on: str, reference: str = "",
             invoice_id: str | None = None, currency: str = "SEK", payer: str | None = None) -> dict:
    """Money received: matched to `invoice_id`, else by its reference (OCR/invoice number), else unmatched."""
    from core.invoicing.payments import register_payment

    day = as_date(paid_on, "paid_on")
    if day is None:
        raise ValidationError("paid_on must be a date", field="paid_on", hint="write YYYY-MM-DD")
    payment = register_payment(
        session, amount=as_int(amount, "amount"), paid_on=day, who=who,
        reference=as_text(reference, "reference", optional=False),
        invoice_id=None if invoice_id is None else as_id(invoice_id, "invoice_id"),
        currency=as_text(currency, "currency", optional=False), payer=as_text(payer, "payer"))
    return {"id": payment.id, "invoice_id": payment.invoice_id, "matched": payment.invoice_id is not None}


@command("payments.assign", area=AREA)
def assign(session: Session, who: str, payment_id: str, invoice_id: str) -> dict:
    """Match an unmatched payment to an invoice by hand."""
    from core.invoicing.payments import assign_payment
    payment = assign_payment(session, as_id(payment_id, "payment_id"), as_id(invoice_id, "invoice_id"), who)
    return {"id": payment.id, "invoice_id": payment.invoice_id}


def import_payment_file(session: Session, data: bytes, who: str):
    """A BgMax file (starts '01BGMAX') or a payments CSV, registered and matched (an ImportResult)."""
    from core.invoicing.payments import import_bgmax, import_payments_csv

    if data[:2] == b"01" and data[2:7] == b"BGMAX":
        return import_bgmax(session, data, who)
    return import_payments_csv(session, data, who)


@command("payments.import_file", area=AREA)
def import_file(session: Session, who: str, content: str, name: str | None = None) -> dict:
    """A bank file (base64): every payment registered once (a file imported again adds nothing)."""
    as_text(name, "name")
    try:
        data = base64.b64decode(as_text(content, "content", optional=False), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("content must be the file's bytes in base64", field="content") from None
    if not data:
        raise ValidationError("the file is empty", field="content")
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(f"the file is {len(data)} bytes; at most {MAX_FILE_BYTES} are taken",
                              field="content", hint="split the file")
    result = import_payment_file(session, data, who)
    return {"matched": len(result.matched), "unmatched": len(result.unmatched),
            "skipped": result.skipped}
