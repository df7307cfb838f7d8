"""Sending a purchase order: its PDF written to a file and, when e-mail is set up and the supplier
has an address, the same PDF mailed to the supplier. The PO is marked sent first if still a draft.

Runs on the database lane; the mail goes out after the unit of work is committed (a mail server
that does not answer never leaves a half-sent order).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.orm import Session

from core.mail.smtp import Attachment, SmtpSettings, build_message


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


def prepare_po(session: Session, po_id: int, who: str) -> PoDocument:
    """Mark a draft PO sent and render its PDF (a sent or later PO is only rendered again)."""
    from core.documents.purchase_order_pdf import purchase_order_pdf
    from core.purchasing.orders import get_po, send_po
    from core.purchasing.suppliers import get_supplier

    po = get_po(session, po_id)
    if po.status == "draft":
        send_po(session, po_id, who)
    supplier = get_supplier(session, po.supplier_id)
    return PoDocument(po.id, po.number, purchase_order_pdf(session, po.id), supplier.name,
                      supplier.email, supplier.our_customer_no)


def save_pdf(doc: PoDocument, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(doc.pdf)
    return path


def po_message(settings: SmtpSettings, doc: PoDocument, to: str | None = None) -> EmailMessage:
    """The e-mail to the supplier with the PO attached (Swedish, like the PDF)."""
    from core.errors import ValidationError

    to = to or doc.supplier_email
    if not to:
        raise ValidationError(f"{doc.supplier_name} has no e-mail address", field="email",
                              hint="add it under Purchasing → Suppliers, or send the PDF yourself")
    ref = f" (kundnr {doc.our_customer_no})" if doc.our_customer_no else ""
    body = (f"Hej,\n\nbifogat finns vår inköpsorder {doc.number}{ref}.\n"
            "Bekräfta gärna ordern och leveransdatum.\n\nVänliga hälsningar\n")
    return build_message(settings, to, f"Inköpsorder {doc.number}", body,
                         [Attachment(filename(doc.number), doc.pdf)])
