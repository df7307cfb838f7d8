"""What a person does with the integration connections: save one with its secret, list them (with
whether a secret is kept), test one against the vendor, see and resolve problems.

These run where the secrets are: the server (its OS keyring or its secrets file), reached from a
workstation through the settings commands (core/commands/settings.py). A secret only ever goes
into `set_secret`; nothing here returns it, writes it to a table or puts it in a message.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.errors import UserError, ValidationError
from core.integrations.connections import (
    DEFAULT_POLL_S,
    Connection,
    get_connection_row,
    get_secret,
    make_client,
    save_connection,
    set_secret,
)
from core.integrations.http import VendorNotFound
from core.integrations.models import IntegrationConnection

#: what a kind's public credential and secret are called (English; translated by the views)
CREDENTIAL_LABELS = {"starweb": ("Client id", "Client secret"), "klarna": ("API username", "API password"),
                     "nets": ("Merchant id (optional)", "Secret API key"),
                     "unifaun": ("API key id", "API key secret")}
#: a resource id no vendor has: a 404 for it means the credentials were accepted
PROBE_ID = "0" * 32


def has_secret(code: str) -> bool:
    """Whether a secret is kept for connection `code` on this machine."""
    try:
        return bool(get_secret(code))
    except UserError:  # no keyring at all: shown as "not saved", a save says why
        return False


def save_with_secret(session: Session, *, code: str, kind: str, base_url: str, secret: str = "",
                     client_id: str = "", name: str = "", channel_id: int | None = None,
                     price_list_code: str | None = None, stock_location_code: str | None = None,
                     buffer_qty: int = 0, status_map: dict | None = None,
                     poll_interval_s: int = DEFAULT_POLL_S, settings: dict | None = None,
                     active: bool = True) -> IntegrationConnection:
    """Save the connection's settings, then keep a new secret; an empty secret keeps the stored one.

    A new connection needs a secret. The secret is kept only after the settings passed every check
    (the caller's unit of work is not committed yet, but a refused form never touches the keyring).
    """
    code = (code or "").strip()
    if not secret and not has_secret(code):
        label = CREDENTIAL_LABELS.get(kind, ("", "secret"))[1]
        raise ValidationError("must be given for a new connection", field="secret",
                              hint=f"enter the {label} from the vendor's settings")
    row = save_connection(
        session, code=code, kind=kind, base_url=(base_url or "").strip(),
        client_id=(client_id or "").strip(), name=name, channel_id=channel_id,
        price_list_code=price_list_code or None, stock_location_code=stock_location_code or None,
        buffer_qty=buffer_qty, status_map=status_map, poll_interval_s=poll_interval_s,
        settings=settings, active=active)
    if secret:
        set_secret(code, secret)
    return row


@dataclass(frozen=True)
class ConnectionInfo:
    """A connection as the settings view shows it: never the secret, only whether one is kept."""

    id: int
    code: str
    kind: str
    name: str
    base_url: str
    client_id: str
    channel_id: int | None
    channel: str
    price_list_code: str | None
    stock_location_code: str | None
    buffer_qty: int
    poll_interval_s: int
    active: bool
    status_map: dict
    settings: dict
    has_secret: bool


def list_connections(session: Session, after: int | None = None, limit: int = 200) -> list[ConnectionInfo]:
    """Connections in id order, with their channel's code and whether a secret is kept here."""
    channels = dict(session.execute(text("SELECT id, code FROM channel")).all())
    q = select(IntegrationConnection).order_by(IntegrationConnection.id).limit(limit)
    if after is not None:
        q = q.where(IntegrationConnection.id > after)
    return [ConnectionInfo(
        c.id, c.code, c.kind, c.name, c.base_url, c.client_id, c.channel_id,
        channels.get(c.channel_id, "") if c.channel_id else "", c.price_list_code,
        c.stock_location_code, int(c.buffer_qty or 0), c.poll_interval_s, bool(c.active),
        dict(c.status_map or {}), dict(c.settings or {}), has_secret(c.code))
        for c in session.scalars(q)]


def load_connection(session: Session, code: str) -> Connection:
    """The connection `code` as the jobs see it, with its secret, and short timeouts (a person waits)."""
    row = get_connection_row(session, code)
    secret = get_secret(code)
    if not secret:
        raise ValidationError(f"no secret is stored for {code}", field="secret",
                              hint="edit the connection and enter it")
    settings = {"retries": 0, "read_timeout": 10, **dict(row.settings or {})}
    return Connection(row.id, row.code, row.kind, row.name, row.base_url, row.client_id, secret,
                      row.channel_id, row.price_list_code, row.stock_location_code,
                      int(row.buffer_qty or 0), dict(row.status_map or {}), row.poll_interval_s,
                      settings)


def probe(conn: Connection) -> str:
    """Ask the vendor something harmless (network). Raises the vendor's error."""
    client = make_client(conn)
    if conn.kind == "starweb":
        client.token(renew=True)
        return "Connected: the shop issued an access token."
    try:
        if conn.kind == "klarna":
            client.get_order(PROBE_ID)
        elif conn.kind == "nets":
            client.get_payment(PROBE_ID)
        else:
            client.http.request("GET", f"/shipments/{PROBE_ID}")
    except VendorNotFound:
        pass  # authenticated, and (as expected) no such thing
    return "Connected: the credentials were accepted."


@dataclass(frozen=True)
class Problem:
    id: int
    at: str
    connection: str
    job: str
    ref: str
    message: str


def list_problems(session: Session, limit: int = 200, before: int | None = None) -> list[Problem]:
    """Open (unresolved) integration problems, newest first; `before` pages on by id."""
    cond, params = "", {"n": limit}
    if before is not None:
        cond, params["b"] = "AND l.id < :b", before
    rows = session.execute(text(
        "SELECT l.id, l.at, c.code, l.job, l.ref, l.message FROM integration_log l "
        "LEFT JOIN integration_connection c ON c.id = l.connection_id "
        f"WHERE l.resolved_at IS NULL {cond} ORDER BY l.id DESC LIMIT :n"), params).all()
    return [Problem(r[0], str(r[1])[:16], r[2] or "", r[3], r[4] or "", r[5]) for r in rows]
