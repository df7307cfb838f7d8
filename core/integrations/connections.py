"""Connection settings per shop/provider/carrier, their secrets in the OS keyring, the problem log, client factory.

Settings live in `integration_connection` (base URL, client id, price list, stock location,
buffer, status mapping, polling interval). The secret half of the credentials never does: it is
kept in the OS keyring (service ``butik-integrations``, user = the connection code). A headless
node without a keyring may point ``BUTIK_INTEGRATION_SECRETS_FILE`` at a JSON file
``{"<code>": "<secret>"}`` that only the service user can read (mode 0600), as `core.secrets`
does for the device token. A `Connection` is the loaded, immutable view the jobs work with.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.errors import NotFound, UserError, ValidationError
from core.integrations.models import CONNECTION_KINDS, IntegrationConnection, IntegrationLog

SERVICE = "butik-integrations"
SECRETS_FILE_ENV = "BUTIK_INTEGRATION_SECRETS_FILE"
DEFAULT_POLL_S = 60
MIN_POLL_S = 10
#: our order status → Starweb's standard status idCode
DEFAULT_STATUS_MAP = {"partly_delivered": "picking", "delivered": "completed",
                      "invoiced": "completed", "closed": "completed", "cancelled": "canceled"}
#: Starweb paymentMethodIdCode → our payment provider
DEFAULT_PAYMENT_MAP = {"klarna": "klarna", "klarna_checkout": "klarna", "kco": "klarna",
                       "nets": "nets", "dibs": "nets", "nets_easy": "nets", "easy": "nets",
                       "invoice": "invoice", "swish": "swish", "card": "card"}

SecretLookup = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Connection:
    """A connection as the jobs see it, secret included (in memory only, never logged)."""

    id: int
    code: str
    kind: str
    name: str
    base_url: str
    client_id: str
    secret: str = field(repr=False)
    channel_id: int | None = None
    price_list_code: str | None = None
    stock_location_code: str | None = None
    buffer_qty: int = 0
    status_map: dict = field(default_factory=dict)
    poll_interval_s: int = DEFAULT_POLL_S
    settings: dict = field(default_factory=dict)

    def setting(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)


# -- secrets ----------------------------------------------------------------------------------
def _secrets_file() -> Path | None:
    value = os.environ.get(SECRETS_FILE_ENV, "").strip()
    return Path(value) if value else None


def _read_secrets_file(path: Path) -> dict:
    if not path.exists():
        return {}
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UserError(f"the secrets file {path} is readable by others; Butik refuses it",
                        field=SECRETS_FILE_ENV, hint=f"run: chmod 600 {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except ValueError:
        raise UserError(f"the secrets file {path} is not JSON", field=SECRETS_FILE_ENV) from None
    return data if isinstance(data, dict) else {}


def get_secret(code: str) -> str | None:
    """The stored secret of connection `code` (keyring, or the secrets file when configured)."""
    path = _secrets_file()
    if path is not None:
        value = _read_secrets_file(path).get(code)
        return str(value) if value else None
    try:
        return keyring.get_password(SERVICE, code)
    except keyring.errors.KeyringError:
        raise UserError("no OS keyring is available for the integration secrets",
                        field="secret", hint=f"set {SECRETS_FILE_ENV}=/path/file.json (mode 0600) "
                        "on a headless machine, or unlock the keyring") from None


def set_secret(code: str, secret: str) -> str:
    """Keep the secret of connection `code`; returns where it went ('keyring' or 'file:…')."""
    if not secret:
        raise ValidationError("must not be empty", field="secret")
    path = _secrets_file()
    if path is not None:
        data = _read_secrets_file(path)
        data[code] = secret
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, json.dumps(data).encode())
        finally:
            os.close(fd)
        return f"file:{path}"
    try:
        keyring.set_password(SERVICE, code, secret)
    except keyring.errors.KeyringError:
        raise UserError("the OS keyring refused to keep the secret", field="secret",
                        hint=f"set {SECRETS_FILE_ENV} on a headless machine") from None
    return "keyring"


# -- settings ---------------------------------------------------------------------------------
def save_connection(session: Session, *, code: str, kind: str, base_url: str, client_id: str = "",
                    name: str = "", channel_id: int | None = None,
                    price_list_code: str | None = None, stock_location_code: str | None = None,
                    buffer_qty: int = 0, status_map: dict | None = None,
                    poll_interval_s: int = DEFAULT_POLL_S, settings: dict | None = None,
                    active: bool = True) -> IntegrationConnection:
    """Create or update the connection `code` (settings only; the secret goes to `set_secret`)."""
    code = (code or "").strip()
    if not code or len(code) > 40:
        raise ValidationError("1–40 characters", field="code")
    if kind not in CONNECTION_KINDS:
        raise ValidationError(f"unknown kind {kind!r}", field="kind",
                              hint="one of " + ", ".join(CONNECTION_KINDS))
    if not (base_url or "").startswith(("http://", "https://")):
        raise ValidationError("must start with http:// or https://", field="base_url")
    if isinstance(poll_interval_s, bool) or not isinstance(poll_interval_s, int) \
            or poll_interval_s < MIN_POLL_S:
        raise ValidationError(f"at least {MIN_POLL_S} seconds", field="poll_interval_s")
    if isinstance(buffer_qty, bool) or not isinstance(buffer_qty, int) or buffer_qty < 0:
        raise ValidationError("a whole number of thousandths ≥ 0", field="buffer_qty")
    if kind == "starweb" and channel_id is None:
        raise ValidationError("a webshop needs the sales channel its orders go to",
                              field="channel_id")
    for key in ("secret", "client_secret", "password"):
        if key in (settings or {}):
            raise ValidationError("secrets are never stored in the settings", field=f"settings.{key}",
                                  hint="use set_secret (kept in the OS keyring)")
    row = session.scalar(select(IntegrationConnection).where(IntegrationConnection.code == code))
    if row is None:
        row = IntegrationConnection(code=code)
        session.add(row)
    row.kind, row.name, row.base_url, row.client_id = kind, name or code, base_url, client_id
    row.channel_id, row.price_list_code = channel_id, price_list_code
    row.stock_location_code, row.buffer_qty = stock_location_code, buffer_qty
    row.status_map = status_map or (dict(DEFAULT_STATUS_MAP) if kind == "starweb" else None)
    row.poll_interval_s, row.settings, row.active = poll_interval_s, settings or {}, active
    session.flush()
    return row


def get_connection_row(session: Session, code: str) -> IntegrationConnection:
    row = session.scalar(select(IntegrationConnection).where(IntegrationConnection.code == code))
    if row is None:
        raise NotFound(f"no integration connection {code!r}", field="code")
    return row


def load_connections(session: Session, secret_lookup: SecretLookup = get_secret
                     ) -> list[Connection]:
    """Every active connection with its secret; one whose secret is missing is logged and left out."""
    out = []
    for row in session.scalars(select(IntegrationConnection).where(
            IntegrationConnection.active.is_(True)).order_by(IntegrationConnection.id)):
        try:
            secret = secret_lookup(row.code)
        except UserError as exc:
            secret, why = None, str(exc)
        else:
            why = "no secret is stored for it"
        if not secret:
            log_problem(session, "connections", f"{row.code}: {why}", connection_id=row.id,
                        hint="enter the secret in the back office settings")
            continue
        out.append(Connection(
            row.id, row.code, row.kind, row.name, row.base_url, row.client_id, secret,
            row.channel_id, row.price_list_code, row.stock_location_code, row.buffer_qty,
            dict(row.status_map or (DEFAULT_STATUS_MAP if row.kind == "starweb" else {})),
            max(row.poll_interval_s, MIN_POLL_S), dict(row.settings or {})))
    return out


# -- problem log ------------------------------------------------------------------------------
def log_problem(session: Session, job: str, message: str, *, connection_id: int | None = None,
                ref: str | None = None, level: str = "error", hint: str | None = None
                ) -> IntegrationLog:
    """Record a problem for the back office; the same open problem is not repeated every round."""
    text = (message + (f" ({hint})" if hint else ""))[:4000]
    same = session.scalar(select(IntegrationLog).where(
        IntegrationLog.resolved_at.is_(None), IntegrationLog.job == job,
        IntegrationLog.connection_id.is_(connection_id) if connection_id is None
        else IntegrationLog.connection_id == connection_id,
        IntegrationLog.ref.is_(ref) if ref is None else IntegrationLog.ref == ref,
        IntegrationLog.message == text).limit(1))
    if same is not None:
        same.at = utcnow()
        return same
    row = IntegrationLog(job=job, message=text, connection_id=connection_id, ref=ref,
                         level=level)
    session.add(row)
    session.flush()
    return row


def open_problems(session: Session, limit: int = 200) -> list[IntegrationLog]:
    return list(session.scalars(select(IntegrationLog).where(IntegrationLog.resolved_at.is_(None))
                                .order_by(IntegrationLog.id.desc()).limit(limit)))


def resolve_problem(session: Session, log_id: int) -> None:
    row = session.get(IntegrationLog, log_id)
    if row is None:
        raise NotFound(f"no integration problem {log_id}", field="log_id")
    row.resolved_at = utcnow()


def pause(session: Session, connection_id: int, seconds: float, now: dt.datetime) -> None:
    """Send nothing to this connection for `seconds` (the vendor's Retry-After, or our backoff)."""
    row = session.get(IntegrationConnection, connection_id)
    if row is not None:
        row.paused_until = now + dt.timedelta(seconds=max(1.0, seconds))


# -- clients ----------------------------------------------------------------------------------
def make_client(conn: Connection):
    """The vendor client for a connection; retries are short so one slow vendor cannot hold a round."""
    kw = {"timeout": (float(conn.setting("connect_timeout", 5)),
                      float(conn.setting("read_timeout", 20))),
          "retries": int(conn.setting("retries", 2)), "backoff": float(conn.setting("backoff", 0.3)),
          "max_retry_after": float(conn.setting("max_retry_after", 5))}
    if conn.kind == "starweb":
        from core.integrations.starweb.client import StarwebClient
        return StarwebClient(conn.base_url, conn.client_id, conn.secret, **kw)
    if conn.kind == "klarna":
        from core.integrations.klarna.client import KlarnaClient
        return KlarnaClient(conn.base_url, conn.client_id, conn.secret, **kw)
    if conn.kind == "nets":
        from core.integrations.nets.client import NetsClient
        return NetsClient(conn.base_url, conn.secret, **kw)
    if conn.kind == "unifaun":
        from core.integrations.unifaun.client import UnifaunClient
        return UnifaunClient(conn.base_url, conn.client_id, conn.secret, **kw)
    raise ValidationError(f"unknown kind {conn.kind!r}", field="kind")
