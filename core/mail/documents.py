"""The e-mails Butik sends for orders, deliveries, invoices, quotes and reminders, each with its PDF.

`*_mail` functions build the message (read-only on the session); send it with
`core.mail.smtp.send_message`. They never run on a GUI thread: rendering and SMTP take time.
"""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy.orm import Session

from core.documents.delivery_pdf import delivery_note_pdf
from core.documents.invoice_pdf import invoice_pdf
from core.documents.layout import day, money, qty, seller_of
from core.documents.order_pdf import order_confirmation_pdf
from core.documents.quote_pdf import quote_pdf
from core.documents.reminder_pdf import reminder_pdf
from core.errors import NotFound, ValidationError
from core.invoicing.models import Reminder
from core.invoicing.service import get_invoice
from core.mail.smtp import Attachment, SmtpSettings, build_message
from core.orders.delivery import delivery_lines
from core.orders.models import Delivery
from core.orders.quotes import get_quote
from core.orders.service import get_order, lines_of


def _to(address: str | None, what: str) -> str:
    if not address:
        raise ValidationError(f"{what} has no e-mail address", field="customer_email",
                              hint="add the customer's e-mail address first")
    return address


def _refs(order) -> str:
    text = f"ordernummer {order.number}"
    return text + (f" (webbordernr {order.channel_order_no})" if order.channel_order_no else "")


def _signature(session: Session) -> str:
    seller = seller_of(session)
    return "\n".join(["", "Vänliga hälsningar", seller.name] + [p for p in (seller.phone, seller.email) if p])


def order_confirmation_mail(session: Session, settings: SmtpSettings, order_id: str) -> EmailMessage:
    order = get_order(session, order_id)
    lines = "\n".join(f"  {qty(ln.qty)} × {ln.name}" for ln in lines_of(session, order.id)
                      if ln.kind == "product")
    body = (f"Hej {order.customer_name}!\n\nTack för din beställning, {_refs(order)}.\n\n{lines}\n\n"
            f"Totalt: {money(order.total_gross)} {order.currency}\n"
            "Orderbekräftelsen finns bifogad som PDF.\n" + _signature(session))
    return build_message(settings, _to(order.customer_email, f"order {order.number}"),
                         f"Orderbekräftelse {order.number}", body,
                         [Attachment(f"orderbekraftelse-{order.number}.pdf",
                                     order_confirmation_pdf(session, order.id))])


def delivery_mail(session: Session, settings: SmtpSettings, delivery_id: str) -> EmailMessage:
    """What was sent, what is still back-ordered, and the tracking number once booked."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no delivery {delivery_id!r}", field="delivery_id")
    order = get_order(session, delivery.order_id)
    sent = [f"  {qty(dl.qty)} × {ol.name}" for dl, ol in delivery_lines(session, delivery.id)
            if ol.kind == "product"]
    rest = [f"  {qty(ln.qty - ln.delivered_qty)} × {ln.name}" for ln in lines_of(session, order.id)
            if ln.kind == "product" and ln.delivered_qty < ln.qty]
    body = f"Hej {order.customer_name}!\n\nNu har vi skickat varor från {_refs(order)}:\n" + "\n".join(sent)
    if rest:
        body += "\n\nRestnoterat (skickas så snart det finns i lager):\n" + "\n".join(rest)
    if delivery.tracking_number:
        carrier = f" ({delivery.carrier})" if delivery.carrier else ""
        body += f"\n\nSpårningsnummer{carrier}: {delivery.tracking_number}"
    body += "\n\nFöljesedeln finns bifogad som PDF.\n" + _signature(session)
    return build_message(settings, _to(order.customer_email, f"order {order.number}"),
                         f"Leverans {order.number}-{delivery.seq}", body,
                         [Attachment(f"foljesedel-{order.number}-{delivery.seq}.pdf",
                                     delivery_note_pdf(session, delivery.id))])


def invoice_mail(session: Session, settings: SmtpSettings, invoice_id: str,
                 bankgiro: str | None = None) -> EmailMessage:
    inv = get_invoice(session, invoice_id)
    credit = inv.kind == "credit_note"
    what = "Kreditfaktura" if credit else "Faktura"
    order = f" för ordernummer {inv.order_number}" if inv.order_number is not None else ""
    body = f"Hej {inv.customer_name}!\n\nHär kommer {what.lower()} {inv.number}{order}.\n"
    if not credit and not inv.paid_by_provider:
        body += (f"Att betala: {money(inv.total_gross)} {inv.currency} senast {day(inv.due_date)}, "
                 f"OCR-nummer {inv.ocr}.\n")
    body += _signature(session)
    return build_message(settings, _to(inv.customer_email, f"invoice {inv.number}"),
                         f"{what} {inv.number}", body,
                         [Attachment(f"{'kreditfaktura' if credit else 'faktura'}-{inv.number}.pdf",
                                     invoice_pdf(session, inv.id, bankgiro))])


def quote_mail(session: Session, settings: SmtpSettings, quote_id: str) -> EmailMessage:
    quote = get_quote(session, quote_id)
    body = (f"Hej {quote.customer_name}!\n\nHär kommer offert {quote.number}, giltig till och med "
            f"{day(quote.valid_until)}. Totalt {money(quote.total_gross)} {quote.currency}.\n"
            + _signature(session))
    return build_message(settings, _to(quote.customer_email, f"quote {quote.number}"),
                         f"Offert {quote.number}", body,
                         [Attachment(f"offert-{quote.number}.pdf", quote_pdf(session, quote.id))])


def reminder_mail(session: Session, settings: SmtpSettings, reminder_id: int,
                  bankgiro: str | None = None) -> EmailMessage:
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise NotFound(f"no reminder {reminder_id}", field="reminder_id")
    inv = get_invoice(session, reminder.invoice_id)
    body = (f"Hej {inv.customer_name}!\n\nVi har inte fått betalt för faktura {inv.number} som "
            f"förföll {day(inv.due_date)}. Kvar att betala: {money(reminder.open_amount)} "
            f"{inv.currency}. Påminnelsen finns bifogad.\n" + _signature(session))
    return build_message(settings, _to(inv.customer_email, f"invoice {inv.number}"),
                         f"Påminnelse faktura {inv.number}", body,
                         [Attachment(f"paminnelse-{inv.number}-{reminder.level}.pdf",
                                     reminder_pdf(session, reminder.id, bankgiro))])
