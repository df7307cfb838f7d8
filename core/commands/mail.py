"""Back-office commands that e-mail order documents, and the e-mail settings they are sent with.

They run where the command runs — the server — with that machine's settings (core.mail.server:
a file in its config folder, the SMTP password in its OS keyring). From a workstation the
password travels once, as the argument of `orders.save_mail_settings` over HTTPS (or localhost
in a one-PC shop), and is stored in the server's keyring; it is never returned, logged or
written to a table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.commands import as_int, command
from core.commands.orders import as_id, as_text
from core.errors import UserError, ValidationError

AREA = "orders"


def send_mail(session: Session, build, doc_id) -> dict:
    """Build a document's e-mail with `build(session, settings, doc_id, bankgiro)` and send it from here."""
    from core.mail.server import read_password, require_settings
    from core.mail.smtp import send_message

    settings, bankgiro = require_settings()
    message = build(session, settings, doc_id, bankgiro)
    send_message(settings, message, read_password(settings))
    return {"to": str(message["To"])}


@command("orders.email_confirmation", area=AREA)
def email_confirmation(session: Session, who: str, order_id: str) -> dict:
    """E-mail the order confirmation (PDF attached) to the order's customer."""
    from core.mail.documents import order_confirmation_mail
    return send_mail(session, lambda s, st, doc, _bg: order_confirmation_mail(s, st, doc),
                     as_id(order_id, "order_id"))


@command("orders.email_delivery", area=AREA)
def email_delivery(session: Session, who: str, delivery_id: str) -> dict:
    """E-mail a delivery's note (what was sent, what is back-ordered, tracking)."""
    from core.mail.documents import delivery_mail
    return send_mail(session, lambda s, st, doc, _bg: delivery_mail(s, st, doc),
                     as_id(delivery_id, "delivery_id"))


@command("quotes.email", area="quotes")
def email_quote(session: Session, who: str, quote_id: str) -> dict:
    """E-mail the quote (PDF attached); a draft becomes sent."""
    from core.mail.documents import quote_mail
    from core.orders.quotes import get_quote, mark_sent

    quote = get_quote(session, as_id(quote_id, "quote_id"))
    result = send_mail(session, lambda s, st, doc, _bg: quote_mail(s, st, doc), quote.id)
    if quote.status == "draft":
        mark_sent(session, quote.id)
    return result


@command("invoices.email", area=AREA)
def email_invoice(session: Session, who: str, invoice_id: str) -> dict:
    """E-mail an invoice or credit note (PDF with the server's bankgiro) to the customer."""
    from core.mail.documents import invoice_mail
    return send_mail(session, invoice_mail, as_id(invoice_id, "invoice_id"))


@command("invoices.email_reminder", area=AREA)
def email_reminder(session: Session, who: str, reminder_id: int) -> dict:
    """E-mail a reminder (PDF attached) to the customer."""
    from core.mail.documents import reminder_mail
    return send_mail(session, reminder_mail, as_int(reminder_id, "reminder_id"))


# ------------------------------------------------------------------ settings

@command("orders.mail_settings", writes=False, area=AREA)
def mail_settings(session: Session, who: str) -> dict:
    """The server's e-mail settings and bankgiro (never the password: only whether one is kept)."""
    from core.mail.server import load_settings, read_password

    settings, bankgiro = load_settings()
    if settings is None:
        return {"configured": False, "bankgiro": bankgiro}
    try:
        has_password = read_password(settings) is not None
    except UserError:  # a keyring that cannot answer: the settings are still shown
        has_password = False
    return {"configured": True, "host": settings.host, "port": settings.port,
            "security": settings.security, "username": settings.username, "sender": settings.sender,
            "sender_name": settings.sender_name, "bcc": list(settings.bcc), "bankgiro": bankgiro,
            "has_password": has_password}


@command("orders.save_mail_settings", role="admin", area=AREA)
def save_mail_settings(session: Session, who: str, host: str, sender: str, port: int = 587,
                       security: str = "starttls", username: str | None = None,
                       sender_name: str | None = None, bcc: list | None = None,
                       bankgiro: str | None = None, password: Any = None) -> dict:
    """Store the server's e-mail settings; a given password goes to the server's keyring only."""
    from core.mail.server import save_settings
    from core.mail.smtp import SmtpSettings

    if password is not None and not isinstance(password, str):
        raise ValidationError("password must be text", field="password")  # never echoed back
    if bcc is not None and (not isinstance(bcc, list) or not all(isinstance(a, str) for a in bcc)):
        raise ValidationError("bcc must be a list of e-mail addresses", field="bcc")
    settings = SmtpSettings(host=as_text(host, "host", optional=False).strip(), port=as_int(port, "port"),
                            security=as_text(security, "security", optional=False),
                            username=(as_text(username, "username") or "").strip() or None,
                            sender=as_text(sender, "sender", optional=False).strip(),
                            sender_name=(as_text(sender_name, "sender_name") or "").strip() or None,
                            bcc=tuple(a.strip() for a in bcc or () if a.strip()))
    save_settings(None, settings, (as_text(bankgiro, "bankgiro") or "").strip() or None, password or None)
    return {"configured": True, "password_stored": bool(password and settings.username)}
