"""Sending a purchase order: marked sent (a command), its PDF rendered from the local data and saved
where the user chooses and, when asked, mailed to the supplier by the `purchase_orders.email`
command — it runs where the e-mail settings and password are (the server, or this PC in a one-PC
shop), never with a password kept on the workstation.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from backoffice.errors import show_error
from backoffice.models import po_send_model as ps


def mail_ready(ctx) -> bool:
    """Whether e-mail can be offered: on a server's replica the server decides (it says so if not
    set up); on this PC's own database, when its e-mail settings are saved."""
    if getattr(ctx, "remote", False):
        return True
    from core.errors import UserError
    from core.mail.server import load_settings
    try:
        return load_settings(getattr(ctx, "config_dir", None))[0] is not None
    except (UserError, OSError):
        return False


class SendPoDialog(QDialog):
    """Where to save the PO's PDF, and whether to e-mail it to the supplier (when e-mail is set up)."""

    sent = Signal(str)

    def __init__(self, ctx, po_id: int, number: int, parent=None, mail: bool = False):
        super().__init__(parent)
        self.setObjectName("sendPo")
        self.ctx, self.po_id = ctx, po_id
        self.setWindowTitle(self.tr("Send purchase order {n}").format(n=number))
        self.path = QLineEdit(str(Path.home() / ps.filename(number)))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose)
        self.mail = QCheckBox(self.tr("E-mail it to the supplier"))
        self.mail.setChecked(mail)
        self.mail.setEnabled(mail)
        self.to = QLineEdit()
        self.to.setPlaceholderText(self.tr("the supplier's e-mail address"))
        self.note = QLabel(self.tr("E-mail is not set up: save the PDF and send it yourself.")
                           if not mail else "")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        form = QFormLayout(self)
        form.addRow(self.tr("Save PDF as"), row)
        form.addRow(self.mail, self.to)
        form.addRow(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Send"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        ctx.read(lambda s: self._supplier_email(s, po_id), lambda e: self.to.setText(e or ""))

    @staticmethod
    def _supplier_email(session, po_id: int) -> str | None:
        from core.purchasing.orders import get_po
        from core.purchasing.suppliers import get_supplier
        return get_supplier(session, get_po(session, po_id).supplier_id).email

    def choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save purchase order"), self.path.text(),
                                              self.tr("PDF files (*.pdf)"))
        if path:
            self.path.setText(path)

    def submit(self) -> None:
        """Mark a draft sent, save the PDF, then (if ticked) have the server mail it: one step after the other."""
        path, po_id = self.path.text().strip(), self.po_id
        to = self.to.text().strip() or None
        mail = self.mail.isChecked()
        failed = lambda exc: show_error(self, exc)

        def mailed(result):
            self.done_sending(path, result["to"])

        def saved(_path):
            if not mail:
                self.done_sending(path)
                return
            self.ctx.command("purchase_orders.email", {"po_id": po_id, "to": to}, mailed, on_error=failed)

        def save(_result=None):  # renders from this window's data (its replica is current after the command)
            self.ctx.read(lambda s: ps.save_pdf(ps.po_document(s, po_id), path), saved, on_error=failed)

        def status_known(status):
            if status == "draft":
                self.ctx.command("purchase_orders.send", {"po_id": po_id}, save, on_error=failed)
            else:
                save()
        self.ctx.read(lambda s: ps.po_status(s, po_id), status_known, on_error=failed)

    def done_sending(self, path: str, to: str | None = None) -> None:
        self.sent.emit(path)
        self.accept()


def open_send_dialog(parent, ctx, po, **kwargs) -> SendPoDialog:
    kwargs.setdefault("mail", mail_ready(ctx))
    dialog = SendPoDialog(ctx, po.id, po.number, parent, **kwargs)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
