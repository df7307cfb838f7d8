"""The e-mail settings of the machine that runs commands (the server): a JSON file, password in the keyring.

Documents are e-mailed by commands, so they go out with the settings of the machine where the
command runs — the central server (or the one PC of a one-PC shop). The settings live in
`smtp.json` in that machine's config folder (`core.paths.config_dir()`, i.e. <data dir>/config
when BUTIK_DATA_DIR is set); the SMTP password lives in that machine's OS keyring under
service ``butik-smtp`` — never in the file, a table or a log.
"""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import keyring.errors

from core.errors import UserError, ValidationError
from core.mail.smtp import SmtpSettings

FILE = "smtp.json"
KEYRING_SERVICE = "butik-smtp"


def config_folder(folder: str | Path | None = None) -> Path:
    """`folder`, else this machine's config folder (created if missing)."""
    if folder is None:
        from core.paths import config_dir
        return config_dir()
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


def load_settings(folder: str | Path | None = None) -> tuple[SmtpSettings | None, str | None]:
    """(settings, bankgiro) from the file; (None, None) when e-mail is not set up yet."""
    path = config_folder(folder) / FILE
    if not path.exists():
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        settings = SmtpSettings(host=data.get("host", ""), port=int(data.get("port", 587)),
                                security=data.get("security", "starttls"),
                                username=data.get("username") or None, sender=data.get("sender", ""),
                                sender_name=data.get("sender_name") or None,
                                bcc=tuple(data.get("bcc") or ()))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(f"the e-mail settings file {path} cannot be read ({exc})", field="smtp",
                              hint="save the e-mail settings again") from None
    return settings, data.get("bankgiro") or None


def save_settings(folder: str | Path | None, settings: SmtpSettings, bankgiro: str | None,
                  password: str | None = None) -> None:
    """Write the settings file (no password in it; a given password goes to the keyring)."""
    settings.check()
    data = {"host": settings.host, "port": settings.port, "security": settings.security,
            "username": settings.username, "sender": settings.sender,
            "sender_name": settings.sender_name, "bcc": list(settings.bcc), "bankgiro": bankgiro}
    if password and settings.username:
        store_password(settings, password)
    (config_folder(folder) / FILE).write_text(json.dumps(data, indent=2), encoding="utf-8")


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


def require_settings(folder: str | Path | None = None) -> tuple[SmtpSettings, str | None]:
    """(settings, bankgiro), or a ValidationError saying e-mail is not set up."""
    settings, bankgiro = load_settings(folder)
    if settings is None:
        raise ValidationError("e-mail is not set up on the server", field="smtp",
                              hint="open E-mail settings… and give the SMTP server")
    return settings, bankgiro


def smtp_settings(folder: str | Path | None = None) -> tuple[SmtpSettings, str | None]:
    """(settings, password) to send with; a ValidationError when e-mail is not set up."""
    settings, _bankgiro = require_settings(folder)
    return settings, read_password(settings)


def bankgiro(folder: str | Path | None = None) -> str | None:
    """The bankgiro printed on invoices and reminders (None when not set or unreadable)."""
    try:
        return load_settings(folder)[1]
    except (UserError, OSError):
        return None
