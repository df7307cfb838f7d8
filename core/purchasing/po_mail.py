"""A purchase order as the supplier gets it: its PDF (file name, supplier facts) and the e-mail carrying it.

API:
    po_document(session, po_id) -> PoDocument       (renders only: reads the PO, changes nothing)
    filename(number) -> str                          ('inkopsorder-<number>.pdf')
    po_message(settings, doc, to=None) -> EmailMessage   (Swedish, like the PDF; to = supplier's address)
    email_po(session, po_id, who, settings, password, to=None, send=send_message) -> EmailMessage
        (marks a draft PO sent, then mails it; runs where the SMTP settings are: the server)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.mail.smtp import Attachment, SmtpSettings, build_message, send_message


@dataclass(frozen=True)
class PoDocument:
    po_id: int
    number: int
    pdf: bytes
    supplier_name: str
    supplier_email: str | None
    our_customer_no: str | None


def filename(number: int) -> str:
    return f"inkopsorder-{number}.pdf"


def po_document(session: Session, po_id: int) -> PoDocument:
    """The PO's PDF with the supplier facts the e-mail needs."""
    from core.documents.purchase_order_pdf import purchase_order_pdf
    from core.purchasing.orders import get_po
    from core.purchasing.suppliers import get_supplier

    po = get_po(session, po_id)
    supplier = get_supplier(session, po.supplier_id)
    return PoDocument(po.id, po.number, purchase_order_pdf(session, po.id), supplier.name,
                      supplier.email, supplier.our_customer_no)


def po_message(settings: SmtpSettings, doc: PoDocument, to: str | None = None) -> EmailMessage:
    """The e-mail to the supplier with the PO attached (to: another address than the supplier's)."""
    to = (to or "").strip() or doc.supplier_email
    if not to:
        raise ValidationError(f"{doc.supplier_name} has no e-mail address", field="email",
                              hint="add it under Purchasing → Suppliers, or send the PDF yourself")
    ref = f" (kundnr {doc.our_customer_no})" if doc.our_customer_no else ""
    body = (f"Hej,\n\nbifogat finns vår inköpsorder {doc.number}{ref}.\n"
            "Bekräfta gärna ordern och leveransdatum.\n\nVänliga hälsningar\n")
    return build_message(settings, to, f"Inköpsorder {doc.number}", body,
                         [Attachment(filename(doc.number), doc.pdf)])


def email_po(session: Session, po_id: int, who: str, settings: SmtpSettings, password: str | None,
             to: str | None = None,
             send: Callable[[SmtpSettings, EmailMessage, str | None], None] = send_message
             ) -> EmailMessage:
    """Mark a draft PO sent and mail its PDF to the supplier; the message that went out.

    The message is built (and every address checked) before the mail server is called; when the
    server refuses, the error propagates and the caller's unit of work rolls the status back.
    """
    from core.purchasing.orders import get_po, send_po

    po = get_po(session, po_id)
    if po.status == "draft":
        send_po(session, po.id, who)
    message = po_message(settings, po_document(session, po.id), to)
    send(settings, message, password)
    return message
