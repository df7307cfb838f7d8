"""Payment reminder PDF: the overdue invoice, its OCR, what is left, the fee and the new due date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from core.documents.layout import Doc, address_lines, day, money, render, seller_of
from core.errors import NotFound
from core.invoicing.models import Reminder
from core.invoicing.service import get_invoice

#: days the customer gets to pay after a reminder
PAY_WITHIN_DAYS = 10


def reminder_doc(session: Session, reminder_id: int, bankgiro: str | None = None) -> Doc:
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise NotFound(f"no reminder {reminder_id}", field="reminder_id")
    inv = get_invoice(session, reminder.invoice_id)
    pay_by = reminder.reminder_date + dt.timedelta(days=PAY_WITHIN_DAYS)
    to_pay = reminder.open_amount + reminder.fee
    facts = [("Påminnelse nr", str(reminder.level)), ("Datum", day(reminder.reminder_date)),
             ("Fakturanummer", str(inv.number)), ("OCR-nummer", inv.ocr)]
    if inv.order_number is not None:
        facts.append(("Ordernummer", str(inv.order_number)))
    if inv.channel_order_no:
        facts.append(("Webbordernr", inv.channel_order_no))
    rows = [[str(inv.number), day(inv.invoice_date), day(inv.due_date), money(inv.total_gross),
             money(reminder.open_amount)]]
    totals = [("Kvar att betala", money(reminder.open_amount))]
    if reminder.fee:
        totals.append(("Påminnelseavgift", money(reminder.fee)))
    totals.append((f"Att betala ({inv.currency})", money(to_pay)))
    to = f" till bankgiro {bankgiro}" if bankgiro else ""
    return Doc(
        title="Betalningspåminnelse", seller=seller_of(session), facts=facts,
        addresses=[("Fakturaadress", address_lines(inv.invoice_address, inv.customer_name))],
        intro="Enligt våra noteringar är fakturan nedan inte betald. Har du redan betalat kan du "
              "bortse från denna påminnelse.",
        columns=["Faktura", "Fakturadatum", "Förfallodatum", "Belopp", "Kvar att betala"],
        widths=[0.16, 0.2, 0.2, 0.2, 0.24], numeric={3, 4}, rows=rows, totals=totals,
        notes=[(f"Betala {money(to_pay)} {inv.currency}{to} senast {day(pay_by)} och ange "
                f"OCR-nummer {inv.ocr}.")])


def reminder_pdf(session: Session, reminder_id: int, bankgiro: str | None = None) -> bytes:
    return render(reminder_doc(session, reminder_id, bankgiro))
