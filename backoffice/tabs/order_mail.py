"""E-mail from the orders tab: SMTP settings (a JSON file in the config folder, the password in the OS
keyring — never in the file), the settings dialog, and sending a document's e-mail off the GUI thread.
"""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import keyring.errors
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
from core.errors import UserError, ValidationError
from core.mail.smtp import SECURITY, SmtpSettings, send_message

FILE = "smtp.json"
KEYRING_SERVICE = "butik-smtp"


def config_folder(ctx) -> Path:
    folder = getattr(ctx, "config_dir", None)
    if folder is None:
        from core.paths import config_dir
        folder = config_dir()
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


def load_settings(folder: Path) -> tuple[SmtpSettings | None, str | None]:
    """(settings, bankgiro) from the file; (None, None) when e-mail is not set up yet."""
    path = Path(folder) / FILE
    if not path.exists():
        return None, None
    data = json.loads(path.read_text(encoding="utf-8"))
    settings = SmtpSettings(host=data.get("host", ""), port=int(data.get("port", 587)),
                            security=data.get("security", "starttls"), username=data.get("username") or None,
                            sender=data.get("sender", ""), sender_name=data.get("sender_name") or None,
                            bcc=tuple(data.get("bcc") or ()))
    return settings, data.get("bankgiro") or None


def save_settings(folder: Path, settings: SmtpSettings, bankgiro: str | None) -> None:
    """Write the settings file (no password in it); checks the settings first."""
    settings.check()
    data = {"host": settings.host, "port": settings.port, "security": settings.security,
            "username": settings.username, "sender": settings.sender,
            "sender_name": settings.sender_name, "bcc": list(settings.bcc), "bankgiro": bankgiro}
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / FILE).write_text(json.dumps(data, indent=2), encoding="utf-8")


def _account(settings: SmtpSettings) -> str:
    return f"{settings.username}@{settings.host}:{settings.port}"


def store_password(settings: SmtpSettings, password: str) -> None:
    try:
        keyring.set_password(KEYRING_SERVICE, _account(settings), password)
    except keyring.errors.KeyringError as exc:
        raise UserError(f"the OS keyring cannot keep the e-mail password ({type(exc).__name__})",
                        field="smtp.password",
                        hint="install or unlock the system keyring (GNOME Keyring, KWallet, …)") from None


def read_password(settings: SmtpSettings) -> str | None:
    if not settings.username:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, _account(settings))
    except keyring.errors.KeyringError as exc:
        raise UserError(f"the OS keyring cannot give the e-mail password ({type(exc).__name__})",
                        field="smtp.password", hint="unlock the system keyring, then try again") from None


def require_settings(folder: Path) -> tuple[SmtpSettings, str | None]:
    settings, bankgiro = load_settings(folder)
    if settings is None:
        raise ValidationError("e-mail is not set up", field="smtp",
                              hint="open E-mail settings… and give the SMTP server")
    return settings, bankgiro


def send_document(ctx, build, on_done=None, on_error=None) -> None:
    """Build a message with `build(session, settings, bankgiro)` and send it; all off the GUI thread."""
    folder = config_folder(ctx)
    store = ctx.store

    def job():
        settings, bankgiro = require_settings(folder)
        with store.read() as session:
            msg = build(session, settings, bankgiro)
        send_message(settings, msg, read_password(settings))
        return str(msg["To"])
    ctx.submit(job, on_done, on_error)


class SmtpDialog(QDialog):
    """Server, port, security, login, sender and the bankgiro printed on invoices."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("smtpSettings")
        self.ctx = ctx
        self.folder = config_folder(ctx)
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
        try:
            current, bankgiro = load_settings(self.folder)
        except (ValueError, OSError):
            current, bankgiro = None, None
        if current is not None:
            self.host.setText(current.host)
            self.port.setValue(current.port)
            select(self.security, current.security)
            self.username.setText(current.username or "")
            self.sender.setText(current.sender)
            self.sender_name.setText(current.sender_name or "")
            self.bcc.setText(", ".join(current.bcc))
            self.bankgiro.setText(bankgiro or "")
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

    def settings(self) -> SmtpSettings:
        bcc = tuple(a.strip() for a in self.bcc.text().split(",") if a.strip())
        return SmtpSettings(host=self.host.text().strip(), port=self.port.value(),
                            security=self.security.currentData(), username=self.username.text().strip() or None,
                            sender=self.sender.text().strip(), sender_name=self.sender_name.text().strip() or None,
                            bcc=bcc)

    def submit(self) -> None:
        try:
            settings = self.settings()
            save_settings(self.folder, settings, self.bankgiro.text().strip() or None)
            if self.password.text() and settings.username:
                store_password(settings, self.password.text())
        except UserError as exc:
            show_error(self, exc)
            return
        self.accept()
