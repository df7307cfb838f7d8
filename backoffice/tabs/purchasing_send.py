"""Sending a purchase order: its PDF saved where the user chooses and, when e-mail is set up and the
supplier has an address, mailed to the supplier. E-mail settings are the orders tab's
(`backoffice.tabs.order_mail`: a file in the config folder, the password in the OS keyring).
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
from backoffice.tabs.order_mail import config_folder, load_settings, read_password
from core.mail.smtp import SmtpSettings


def load_smtp(ctx) -> SmtpSettings | None:
    """The saved e-mail settings, or None when e-mail is not set up (or the file is unreadable)."""
    try:
        return load_settings(config_folder(ctx))[0]
    except (ValueError, OSError):
        return None


class SendPoDialog(QDialog):
    """Where to save the PO's PDF, and whether to e-mail it to the supplier (when e-mail is set up)."""

    sent = Signal(str)

    def __init__(self, ctx, po_id: int, number: int, parent=None, smtp: SmtpSettings | None = None,
                 mailer=None):
        super().__init__(parent)
        self.setObjectName("sendPo")
        self.ctx, self.po_id, self.smtp = ctx, po_id, smtp
        #: sends one message (settings, message, password); tests pass a fake
        from core.mail.smtp import send_message
        self.mailer = mailer or send_message
        self.setWindowTitle(self.tr("Send purchase order {n}").format(n=number))
        self.path = QLineEdit(str(Path.home() / ps.filename(number)))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose)
        self.mail = QCheckBox(self.tr("E-mail it to the supplier"))
        self.mail.setChecked(smtp is not None)
        self.mail.setEnabled(smtp is not None)
        self.to = QLineEdit()
        self.to.setPlaceholderText(self.tr("the supplier's e-mail address"))
        self.note = QLabel(self.tr("E-mail is not set up: save the PDF and send it yourself.")
                           if smtp is None else "")
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
        path, who, po_id = self.path.text().strip(), self.ctx.user, self.po_id
        mail = self.smtp if self.mail.isChecked() else None
        to = self.to.text().strip() or None

        def job(session):
            doc = ps.prepare_po(session, po_id, who)
            message = ps.po_message(mail, doc, to) if mail is not None else None  # checked before commit
            ps.save_pdf(doc, path)
            return message

        def written(message):
            if message is None:
                self.done_sending(path)
                return
            smtp, send = mail, self.mailer
            self.ctx.submit(lambda: send(smtp, message, read_password(smtp)),
                            lambda _r: self.done_sending(path, message["To"]),
                            on_error=lambda exc: show_error(self, exc))
        self.ctx.write(job, written, area="purchasing", on_error=lambda exc: show_error(self, exc))

    def done_sending(self, path: str, to: str | None = None) -> None:
        self.sent.emit(path)
        self.accept()


def open_send_dialog(parent, ctx, po, **kwargs) -> SendPoDialog:
    if "smtp" not in kwargs:
        kwargs["smtp"] = load_smtp(ctx)
    dialog = SendPoDialog(ctx, po.id, po.number, parent, **kwargs)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
