"""What the GUIs and `butik sync` show about sync: online or not, last sync, events waiting, failures.

`read_status(store)` is three indexed queries on the local replica and never touches the network,
so a status bar may call it every few seconds (off the GUI thread, like any database read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from core.db import Store
from core.sync import state
from core.sync.outbox import OutboxEvent


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    last_sync: dt.datetime | None
    events_waiting: int
    failed_events: int
    last_error: str | None
    cursor: int | None
    server_url: str | None = None
    device_id: str | None = None

    @property
    def enrolled(self) -> bool:
        return bool(self.server_url and self.device_id)

    def summary(self) -> str:
        """One line for a status bar or a log."""
        if not self.enrolled:
            return "not enrolled with a server"
        parts = ["online" if self.online else "offline"]
        parts.append(f"last sync {self.last_sync:%Y-%m-%d %H:%M:%S} UTC" if self.last_sync
                     else "never synced")
        parts.append(f"{self.events_waiting} event(s) waiting")
        if self.failed_events:
            parts.append(f"{self.failed_events} refused by the server")
        if self.last_error:
            parts.append(f"last error: {self.last_error}")
        return ", ".join(parts)


def read_status(store: Store) -> SyncStatus:
    t = OutboxEvent.__table__
    with store.read() as s:
        values = state.get_all(s)
        waiting = s.scalar(select(func.count()).select_from(t)
                           .where(t.c.acked_at.is_(None), t.c.failed_at.is_(None)))
        failed = s.scalar(select(func.count()).select_from(t).where(t.c.failed_at.is_not(None)))
    cursor = values.get(state.CURSOR)
    return SyncStatus(
        online=values.get(state.ONLINE) == "1",
        last_sync=state.parse_time(values.get(state.LAST_SYNC)),
        events_waiting=int(waiting or 0),
        failed_events=int(failed or 0),
        last_error=values.get(state.LAST_ERROR) or None,
        cursor=int(cursor) if cursor is not None else None,
        server_url=values.get(state.SERVER_URL),
        device_id=values.get(state.DEVICE_ID),
    )


def failed_events(store: Store, limit: int = 100) -> list[dict]:
    """The events the server refused for good, newest first, for a manager to look at."""
    t = OutboxEvent.__table__
    stmt = (select(t.c.id, t.c.type, t.c.created_at, t.c.failed_at, t.c.last_error)
            .where(t.c.failed_at.is_not(None)).order_by(t.c.seq.desc()).limit(limit))
    with store.read() as s:
        return [dict(r._mapping) for r in s.execute(stmt)]
