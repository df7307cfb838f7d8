"""Integration settings for the back office: the connections table, saving a form (secret → keyring), probes, problems, failed tasks.

Nothing here imports widgets: the functions run on the database lane (or, for the vendor calls, on
the network lane) and are tested without a window. A secret is written only through
`core.integrations.connections.set_secret` (the OS keyring or the secrets file); what the views
get back is `has_secret`, never the secret itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, text

from backoffice.models.paged import PagedModel
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
from core.quantity import format_qty

#: what a kind's public credential and secret are called (English; translated by the views)
CREDENTIAL_LABELS = {"starweb": ("Client id", "Client secret"), "klarna": ("API username", "API password"),
                     "nets": ("Merchant id (optional)", "Secret API key"),
                     "unifaun": ("API key id", "API key secret")}
KIND_NAMES = {"starweb": "Starweb shop", "klarna": "Klarna", "nets": "Nets Easy", "unifaun": "Unifaun"}
PAYMENT_TASKS = ("capture_payment", "release_payment", "refund_payment")


@dataclass(frozen=True)
class ConnectionRow:
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
    status_map: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    has_secret: bool = False


def _has_secret(code: str) -> bool:
    try:
        return bool(get_secret(code))
    except UserError:  # no keyring at all: shown as "not saved", the save says why
        return False


def fetch_connections(session, after: int | None = None, limit: int = 200) -> list[ConnectionRow]:
    """Connections in id order, with their channel's code and whether a secret is stored."""
    channels = dict(session.execute(text("SELECT id, code FROM channel")).all())
    q = select(IntegrationConnection).order_by(IntegrationConnection.id).limit(limit)
    if after is not None:
        q = q.where(IntegrationConnection.id > after)
    return [ConnectionRow(
        c.id, c.code, c.kind, c.name, c.base_url, c.client_id, c.channel_id,
        channels.get(c.channel_id, "") if c.channel_id else "", c.price_list_code,
        c.stock_location_code, int(c.buffer_qty or 0), c.poll_interval_s, bool(c.active),
        dict(c.status_map or {}), dict(c.settings or {}), _has_secret(c.code))
        for c in session.scalars(q)]


class ConnectionsModel(PagedModel):
    COLUMNS = (("kind", "Kind"), ("code", "Code"), ("base_url", "Base URL"), ("channel", "Channel"),
               ("price_list_code", "Price list"), ("stock_location_code", "Stock location"),
               ("buffer_qty", "Buffer"), ("poll_interval_s", "Polling (s)"), ("active", "Active"),
               ("has_secret", "Secret"))
    NUMERIC = frozenset({"buffer_qty", "poll_interval_s"})

    def fetch(self, session, after, limit):
        return fetch_connections(session, after, limit)

    def display(self, row: ConnectionRow, key: str):
        if key == "kind":
            return self.tr(KIND_NAMES[row.kind])
        if key == "buffer_qty":
            return format_qty(row.buffer_qty)
        if key == "active":
            return self.tr("yes") if row.active else self.tr("no")
        if key == "has_secret":
            return self.tr("••••• saved") if row.has_secret else self.tr("missing")
        value = getattr(row, key)
        return "" if value is None else value


@dataclass
class ConnectionForm:
    """What a create/edit dialog hands over; `secret` empty = keep the stored one."""

    kind: str
    code: str
    base_url: str
    client_id: str = ""
    secret: str = field(default="", repr=False)
    name: str = ""
    channel_id: int | None = None
    price_list_code: str | None = None
    stock_location_code: str | None = None
    buffer_qty: int = 0
    status_map: dict | None = None
    poll_interval_s: int = DEFAULT_POLL_S
    settings: dict = field(default_factory=dict)
    active: bool = True


def save_form(session, form: ConnectionForm) -> int:
    """Save the settings; then keep a new secret in the keyring. A new connection needs a secret."""
    code = (form.code or "").strip()
    if not form.secret and not _has_secret(code):
        label = CREDENTIAL_LABELS.get(form.kind, ("", "secret"))[1]
        raise ValidationError("must be given for a new connection", field="secret",
                              hint=f"enter the {label} from the vendor's settings")
    row = save_connection(
        session, code=code, kind=form.kind, base_url=form.base_url.strip(),
        client_id=form.client_id.strip(), name=form.name, channel_id=form.channel_id,
        price_list_code=form.price_list_code or None,
        stock_location_code=form.stock_location_code or None, buffer_qty=form.buffer_qty,
        status_map=form.status_map, poll_interval_s=form.poll_interval_s,
        settings=form.settings, active=form.active)
    if form.secret:  # only after the settings passed every check
        set_secret(code, form.secret)
    return row.id


def load_connection(session, code: str, secret: str | None = None) -> Connection:
    """The connection `code` as the jobs see it (secret from the keyring unless given)."""
    row = get_connection_row(session, code)
    secret = secret or get_secret(code)
    if not secret:
        raise ValidationError(f"no secret is stored for {code}", field="secret",
                              hint="edit the connection and enter it")
    # short timeouts: a person is waiting for the answer
    settings = {"retries": 0, "read_timeout": 10, **dict(row.settings or {})}
    return Connection(row.id, row.code, row.kind, row.name, row.base_url, row.client_id, secret,
                      row.channel_id, row.price_list_code, row.stock_location_code,
                      int(row.buffer_qty or 0), dict(row.status_map or {}), row.poll_interval_s,
                      settings)


#: a resource id no vendor has: a 404 for it means the credentials were accepted
PROBE_ID = "0" * 32


def probe(conn: Connection) -> str:
    """Ask the vendor something harmless (network; off the GUI thread). Raises the vendor's error."""
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


# -- problems and failed payment tasks ---------------------------------------------------------
@dataclass(frozen=True)
class ProblemRow:
    id: int
    at: str
    connection: str
    job: str
    ref: str
    message: str


def fetch_problems(session, limit: int = 200) -> list[ProblemRow]:
    rows = session.execute(text(
        "SELECT l.id, l.at, c.code, l.job, l.ref, l.message FROM integration_log l "
        "LEFT JOIN integration_connection c ON c.id = l.connection_id "
        "WHERE l.resolved_at IS NULL ORDER BY l.id DESC LIMIT :n"), {"n": limit}).all()
    return [ProblemRow(r[0], str(r[1])[:16], r[2] or "", r[3], r[4] or "", r[5]) for r in rows]


@dataclass(frozen=True)
class TaskRow:
    id: str
    type: str
    order: str
    attempts: int
    last_error: str


def fetch_failed_tasks(session, limit: int = 200) -> list[TaskRow]:
    """Payment tasks that gave up (tried too often) and wait for a person to press Retry."""
    from core.integrations.payments import MAX_ATTEMPTS

    rows = session.execute(text(
        "SELECT t.id, t.type, o.number, t.attempts, t.last_error FROM integration_task t "
        "LEFT JOIN sales_order o ON o.id = t.order_id "
        "WHERE t.done_at IS NULL AND t.attempts >= :max AND t.type IN "
        "('capture_payment', 'release_payment', 'refund_payment') ORDER BY t.created_at LIMIT :n"),
        {"max": MAX_ATTEMPTS, "n": limit}).all()
    return [TaskRow(r[0], r[1], str(r[2] or ""), int(r[3]), r[4] or "") for r in rows]


@dataclass(frozen=True)
class Choices:
    """What the connection dialog picks from: channels (id, label), price list and location codes."""

    channels: list[tuple[int, str]]
    price_lists: list[tuple[str, str]]
    locations: list[tuple[str, str]]


def fetch_choices(session) -> Choices:
    return Choices(
        [(r[0], f"{r[1]} — {r[2]}") for r in session.execute(text(
            "SELECT id, code, name FROM channel ORDER BY id"))],
        [(r[0], f"{r[0]} — {r[1]}") for r in session.execute(text(
            "SELECT code, name FROM price_list ORDER BY id"))],
        [(r[0], f"{r[0]} — {r[1]}") for r in session.execute(text(
            "SELECT code, name FROM location ORDER BY id"))])


def parse_status_map(value: str) -> dict:
    """'delivered=completed, cancelled=canceled' → a dict (our status → the shop's idCode)."""
    out = {}
    for part in filter(None, (p.strip() for p in value.replace("\n", ",").split(","))):
        ours, sep, theirs = part.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise ValidationError(f"{part!r} is not our_status=shop_status", field="status_map",
                                  hint="e.g. delivered=completed, cancelled=canceled")
        out[ours.strip()] = theirs.strip()
    return out


def format_status_map(mapping: dict | None) -> str:
    return ", ".join(f"{k}={v}" for k, v in (mapping or {}).items())
