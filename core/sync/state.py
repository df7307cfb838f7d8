"""The replica's sync bookkeeping: a small key/value table (cursor, server URL, device id, last sync, last error).

Keys are the constants below. Values are text; the cursor is the decimal change-log seq up to which
the replica has applied the server's feed. The cursor is written in the same transaction as the
page of changes it covers, so data and cursor never disagree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, String, Text, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db.base import Base, utcnow

CURSOR = "cursor"                  # change-log seq applied up to; absent = never bootstrapped
SERVER_URL = "server_url"
#: "pos" (a till's tables) or "office" (a back-office workstation's): what the server sends here
SCOPE = "scope"
DEVICE_ID = "device_id"
DEVICE_KIND = "device_kind"        # pos | backoffice | sync_node
DEVICE_NAME = "device_name"
REGISTER_CODE = "register_code"
LAST_SYNC = "last_sync"            # ISO naive UTC of the last fully successful round
LAST_ATTEMPT = "last_attempt"
LAST_ERROR = "last_error"          # empty when the last round succeeded
ONLINE = "online"                  # "1" when the last round reached the server
BOOTSTRAP_TABLE = "bootstrap_table"  # a bootstrap in progress: table being paged
BOOTSTRAP_AFTER = "bootstrap_after"  # … and the last primary key applied (JSON)
BOOTSTRAP_SEQ = "bootstrap_seq"      # … and the seq the snapshot started at


class SyncState(Base):
    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def get(bind: Session | Connection, key: str, default: str | None = None) -> str | None:
    value = bind.scalar(select(SyncState.value).where(SyncState.key == key))
    return default if value is None else value


def get_all(session: Session) -> dict[str, str]:
    return {k: v for k, v in session.execute(select(SyncState.key, SyncState.value))}


def put(bind: Session | Connection, **values: str | int | None) -> None:
    """Set keys inside the caller's transaction (a Session or a Connection); None deletes the key."""
    table = SyncState.__table__
    conn = bind.connection() if isinstance(bind, Session) else bind
    for key, value in values.items():
        if value is None:
            conn.execute(table.delete().where(table.c.key == key))
            continue
        stmt = _insert(conn)(table).values(key=key, value=str(value))
        conn.execute(stmt.on_conflict_do_update(index_elements=["key"],
                                                set_={"value": stmt.excluded.value}))


def _insert(conn):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
        return insert
    return sqlite_insert


def get_cursor(bind: Session | Connection) -> int | None:
    value = get(bind, CURSOR)
    return int(value) if value is not None else None


def now_iso() -> str:
    return utcnow().isoformat(timespec="seconds")


def parse_time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None
