"""Accounts receivable: what each customer still owes per invoice, aged in buckets; payment reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from core.errors import Conflict, ValidationError
from core.invoicing.models import Invoice, Reminder
from core.invoicing.service import balance, get_invoice
from core.orders import states

#: (name, first day overdue, last day overdue or None)
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("not_due", -10**9, 0), ("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90),
    ("over_90", 91, None))
BUCKET_NAMES = tuple(b[0] for b in BUCKETS)


@dataclass(frozen=True, slots=True)
class Receivable:
    invoice_id: str
    number: int
    ocr: str
    customer_id: str | None
    customer_name: str
    invoice_date: dt.date
    due_date: dt.date
    currency: str
    total: int
    open_amount: int
    days_overdue: int
    bucket: str
    reminders: int


@dataclass(frozen=True)
class Ageing:
    rows: list[Receivable]
    #: (currency, bucket) → open öre
    totals: dict[tuple[str, str], int]

    def total(self, currency: str = "SEK") -> int:
        return sum(v for (cur, _b), v in self.totals.items() if cur == currency)


def bucket_of(days_overdue: int) -> str:
    for name, first, last in BUCKETS:
        if days_overdue >= first and (last is None or days_overdue <= last):
            return name
    raise AssertionError(days_overdue)


def receivables(session: Session, on: dt.date, *, customer_id: str | None = None,
                include_provider: bool = False) -> Ageing:
    """Open invoices on `on` with what is left and how long overdue; provider-paid ones left out
    unless asked for (the provider, not the customer, owes them)."""
    credit = aliased(Invoice)
    credited = (select(func.coalesce(func.sum(credit.total_gross), 0))
                .where(credit.credited_invoice_id == Invoice.id).scalar_subquery())
    reminders = (select(func.count(Reminder.id)).where(Reminder.invoice_id == Invoice.id)
                 .scalar_subquery())
    stmt = (select(Invoice.id, Invoice.number, Invoice.ocr, Invoice.customer_id,
                   Invoice.customer_name, Invoice.invoice_date, Invoice.due_date, Invoice.currency,
                   Invoice.total_gross, Invoice.total_gross + credited - Invoice.paid_amount,
                   reminders)
            .where(Invoice.kind == "invoice", Invoice.settled.is_(False),
                   Invoice.invoice_date <= on)
            .order_by(Invoice.due_date, Invoice.number))
    if customer_id is not None:
        stmt = stmt.where(Invoice.customer_id == customer_id)
    if not include_provider:
        stmt = stmt.where(Invoice.paid_by_provider.is_(None))
    rows, totals = [], {}
    for iid, number, ocr, cid, name, idate, due, cur, total, left, count in session.execute(stmt):
        if not left:
            continue
        days = (on - due).days
        row = Receivable(iid, number, ocr, cid, name, idate, due, cur, total, int(left), days,
                         bucket_of(days), int(count))
        rows.append(row)
        totals[(cur, row.bucket)] = totals.get((cur, row.bucket), 0) + row.open_amount
    return Ageing(rows, totals)


def create_reminder(session: Session, invoice_id: str, who: str, on: dt.date,
                    fee: int = 0) -> Reminder:
    """Record a reminder (level 1, 2, …) for an overdue invoice; the PDF is reminder_pdf."""
    invoice = get_invoice(session, invoice_id)
    if invoice.kind != "invoice" or invoice.paid_by_provider:
        raise ValidationError(f"invoice {invoice.number} is not a customer receivable",
                              field="invoice_id")
    left = balance(session, invoice)
    if left <= 0:
        raise Conflict(f"invoice {invoice.number} is paid", field="invoice_id")
    if invoice.due_date >= on:
        raise Conflict(f"invoice {invoice.number} is due {invoice.due_date.isoformat()}; "
                       "it is not overdue yet", field="invoice_id")
    if isinstance(fee, bool) or not isinstance(fee, int) or fee < 0:
        raise ValidationError(f"a reminder fee is whole öre ≥ 0, got {fee!r}", field="fee")
    level = (session.scalar(select(func.count(Reminder.id))
                            .where(Reminder.invoice_id == invoice.id)) or 0) + 1
    reminder = Reminder(invoice_id=invoice.id, level=level, reminder_date=on, open_amount=left,
                        fee=fee, created_by=states.check_who(who))
    session.add(reminder)
    session.flush()
    return reminder
