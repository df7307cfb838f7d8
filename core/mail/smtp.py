"""Send e-mail through an SMTP server (plain, STARTTLS or SSL) with attachments, using smtplib.

The password is never stored in the settings: pass it in (the caller reads it from the OS
keyring or asks the user). Connection and protocol failures become `Unavailable` with the
server named and no secret in the text.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from core.errors import Unavailable, ValidationError

SECURITY = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    #: 'starttls' (port 587), 'ssl' (port 465) or 'none' (a local relay, tests)
    security: str = "starttls"
    username: str | None = None
    sender: str = ""
    sender_name: str | None = None
    timeout: float = 20.0
    #: extra addresses that get a blind copy of everything sent (an archive mailbox)
    bcc: tuple[str, ...] = field(default_factory=tuple)

    def check(self) -> SmtpSettings:
        if not (self.host or "").strip():
            raise ValidationError("the SMTP server is not set", field="smtp.host",
                                  hint="set it under Settings → E-mail")
        if self.security not in SECURITY:
            raise ValidationError(f"unknown security {self.security!r}", field="smtp.security",
                                  hint="one of " + ", ".join(SECURITY))
        if not isinstance(self.port, int) or not 0 < self.port < 65536:
            raise ValidationError(f"{self.port!r} is not a port", field="smtp.port")
        if "@" not in (self.sender or ""):
            raise ValidationError("the sender address is not set", field="smtp.sender",
                                  hint="e.g. order@butiken.se")
        return self


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime: str = "application/pdf"


def _check_address(address: str, field_name: str) -> str:
    address = (address or "").strip()
    if "@" not in address or any(ch.isspace() for ch in address):
        raise ValidationError(f"{address!r} is not an e-mail address", field=field_name)
    return address


def build_message(settings: SmtpSettings, to: str | list[str], subject: str, body: str,
                  attachments: list[Attachment] = ()) -> EmailMessage:
    """A plain-text message with attachments, From/Date/Message-ID set."""
    settings.check()
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        raise ValidationError("the message has no recipient", field="to",
                              hint="add the customer's e-mail address")
    msg = EmailMessage()
    sender = settings.sender if not settings.sender_name else f"{settings.sender_name} <{settings.sender}>"
    msg["From"] = sender
    msg["To"] = ", ".join(_check_address(r, "to") for r in recipients)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.split("@", 1)[1])
    msg.set_content(body)
    for a in attachments:
        maintype, _, subtype = a.mime.partition("/")
        msg.add_attachment(a.data, maintype=maintype, subtype=subtype, filename=a.filename)
    return msg


def send_message(settings: SmtpSettings, msg: EmailMessage, password: str | None = None) -> None:
    """Deliver `msg` to the SMTP server; raises Unavailable when it cannot be reached or refuses."""
    settings.check()
    where = f"{settings.host}:{settings.port}"
    try:
        if settings.security == "ssl":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.username:
                client.login(settings.username, password or "")
            client.send_message(msg, to_addrs=_recipients(msg, settings))
    except smtplib.SMTPAuthenticationError:
        raise Unavailable(f"the mail server {where} refused the user name or password") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise ValidationError("the mail server refused the recipient(s) " +
                              ", ".join(exc.recipients), field="to") from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise Unavailable(f"could not send e-mail through {where}: {type(exc).__name__}: {exc}") from None


def _recipients(msg: EmailMessage, settings: SmtpSettings) -> list[str]:
    to = [a.strip() for a in str(msg["To"]).split(",") if a.strip()]
    return to + list(settings.bcc)


def send_mail(settings: SmtpSettings, to: str | list[str], subject: str, body: str,
              attachments: list[Attachment] = (), password: str | None = None) -> EmailMessage:
    """Build and send in one call; returns the message sent."""
    msg = build_message(settings, to, subject, body, attachments)
    send_message(settings, msg, password)
    return msg
