"""Integration settings for the back office: the connections table, the dialog's form as command arguments, failed tasks.

Nothing here imports widgets. Connections are listed through the `settings.connections` query and
saved through `settings.connection_save` (core/commands/settings.py): both run where the secrets
are kept — the server — so `has_secret` says what the server holds, and the secret typed in the
dialog goes to the server's keyring as the command's argument. The secret never comes back.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from sqlalchemy import text

from backoffice.errors import show_error
from backoffice.models.paged import PagedModel
from core.errors import ValidationError
from core.integrations.admin import CREDENTIAL_LABELS, ConnectionInfo
from core.integrations.connections import DEFAULT_POLL_S
from core.quantity import format_qty

__all__ = [
    "CREDENTIAL_LABELS",
    "KIND_NAMES",
    "ConnectionForm",
    "ConnectionRow",
    "ConnectionsModel",
    "fetch_choices",
    "fetch_failed_tasks",
    "form_args",
    "format_status_map",
    "parse_status_map",
]

KIND_NAMES = {"starweb": "Starweb shop", "klarna": "Klarna", "nets": "Nets Easy", "unifaun": "Unifaun"}
PAYMENT_TASKS = ("capture_payment", "release_payment", "refund_payment")

#: a connection as the table and the dialog show it (from the `settings.connections` answer)
ConnectionRow = ConnectionInfo


class ConnectionsModel(PagedModel):
    COLUMNS = (("kind", "Kind"), ("code", "Code"), ("base_url", "Base URL"), ("channel", "Channel"),
               ("price_list_code", "Price list"), ("stock_location_code", "Stock location"),
               ("buffer_qty", "Buffer"), ("poll_interval_s", "Polling (s)"), ("active", "Active"),
               ("has_secret", "Secret"))
    NUMERIC = frozenset({"buffer_qty", "poll_interval_s"})

    def _fetch_page(self) -> None:
        """A page from the `settings.connections` query (the server's keyring says `has_secret`)."""
        self.loading = True
        generation = self._generation
        after = self.key_of(self.rows[-1]) if self.rows else None

        def arrived(rows):
            if generation == self._generation:
                self._append([ConnectionRow(**r) for r in rows])

        def failed(exc):
            if generation == self._generation:
                self.loading, self.exhausted = False, True
            show_error(None, exc)
        self.runner.command("settings.connections", {"after": after, "limit": self.page_size}, arrived,
                            on_error=failed)

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


def form_args(form: ConnectionForm) -> dict:
    """The form as the arguments of `settings.connection_save` (an empty secret keeps the kept one)."""
    return dataclasses.asdict(form)


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
