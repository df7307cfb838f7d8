"""E-mail settings dialog of the orders (and purchasing) tab: the settings live where e-mail is sent from.

Documents are e-mailed by commands that run on the server (core/commands/mail.py), so the dialog
reads and saves the server's settings through commands too; a password typed here is the save
command's argument and lands in the server's OS keyring — never in a file or a table.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
)

from backoffice.errors import show_error
from backoffice.widgets import fill_combo, select
from core.mail.smtp import SECURITY


class SmtpDialog(QDialog):
    """Server, port, security, login, sender and the bankgiro printed on invoices."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("smtpSettings")
        self.ctx = ctx
        self.loaded: dict | None = None
        self.setWindowTitle(self.tr("E-mail settings"))
        self.host, self.username, self.password = QLineEdit(), QLineEdit(), QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("kept in the OS keyring; empty: unchanged"))
        self.sender, self.sender_name, self.bcc, self.bankgiro = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(587)
        self.security = QComboBox()
        fill_combo(self.security, [(s, s) for s in SECURITY])
        select(self.security, "starttls")
        form = QFormLayout(self)
        for label, widget in (("SMTP server", self.host), ("Port", self.port), ("Security", self.security),
                              ("User name", self.username), ("Password", self.password),
                              ("Sender address", self.sender), ("Sender name", self.sender_name),
                              ("Blind copy to", self.bcc), ("Bankgiro on invoices", self.bankgiro)):
            form.addRow(self.tr(label), widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        ctx.command("orders.mail_settings", {}, self._show, on_error=lambda exc: show_error(self, exc))

    def _show(self, current: dict) -> None:
        self.loaded = current
        if current.get("configured"):
            self.host.setText(current["host"])
            self.port.setValue(current["port"])
            select(self.security, current["security"])
            self.username.setText(current.get("username") or "")
            self.sender.setText(current["sender"])
            self.sender_name.setText(current.get("sender_name") or "")
            self.bcc.setText(", ".join(current.get("bcc") or ()))
        self.bankgiro.setText(current.get("bankgiro") or "")

    def args(self) -> dict:
        """The `orders.save_mail_settings` arguments (the password only when one was typed)."""
        args = {"host": self.host.text().strip(), "port": self.port.value(),
                "security": self.security.currentData(), "username": self.username.text().strip() or None,
                "sender": self.sender.text().strip(), "sender_name": self.sender_name.text().strip() or None,
                "bcc": [a.strip() for a in self.bcc.text().split(",") if a.strip()],
                "bankgiro": self.bankgiro.text().strip() or None}
        if self.password.text():
            args["password"] = self.password.text()
        return args

    def submit(self) -> None:
        self.ctx.command("orders.save_mail_settings", self.args(), lambda _r: self.accept(),
                         on_error=lambda exc: show_error(self, exc))
