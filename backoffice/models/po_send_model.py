"""Sending a purchase order from the back office: its status, and its PDF rendered from this window's
data and written to a file. Marking it sent and mailing it are commands (`purchase_orders.send`,
`purchase_orders.email`); the PDF and the e-mail text are core's (core/purchasing/po_mail.py).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.purchasing.po_mail import PoDocument, filename, po_document, po_message

__all__ = ["PoDocument", "filename", "po_document", "po_message", "po_status", "save_pdf"]


def po_status(session: Session, po_id: int) -> str:
    status = session.execute(text("SELECT status FROM purchase_order WHERE id = :i"), {"i": po_id}).scalar()
    if status is None:
        raise NotFound(f"no purchase order with id {po_id}", field="po_id")
    return status


def save_pdf(doc: PoDocument, path: str | Path) -> Path:
    """Write the PO's PDF to `path` (runs off the GUI thread: rendering takes time)."""
    path = Path(path)
    path.write_bytes(doc.pdf)
    return path
