"""The outbox: facts recorded on this device, waiting to be pushed to the server.

An event is written in the same transaction as the fact it describes (a sale, a return, a closed
shift…), so a fact is never recorded without its event nor an event without its fact. Its UUID is
the idempotency key the server applies exactly once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db.base import Base, new_uuid, utcnow


class OutboxEvent(Base):
    __tablename__ = "outbox_event"

    #: local order of recording; events are pushed in this order
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    type: Mapped[str] = mapped_column(String(40))
    body: Mapped[dict] = mapped_column(JSON)
    body_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    acked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    #: the server's stored result once acknowledged (e.g. its stock movement ids)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: set when the server refused the event for good (e.g. 409: same id, other body)
    failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: bytes of the body, for push batching limits
    size: Mapped[int] = mapped_column(BigInteger, default=0)


def canonical_json(body: dict) -> str:
    """The one serialisation used for hashing: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def body_hash(body: dict) -> str:
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def enqueue(session: Session, type_: str, body: dict, event_id: str | None = None) -> OutboxEvent:
    """Add an event to the outbox inside the caller's unit of work (the caller commits)."""
    text = canonical_json(body)
    event = OutboxEvent(id=event_id or new_uuid(), type=type_, body=json.loads(text),
                        body_hash=hashlib.sha256(text.encode()).hexdigest(), size=len(text))
    session.add(event)
    return event


def pending(session: Session, limit: int = 500) -> list[OutboxEvent]:
    """Events not yet acknowledged nor failed, oldest first."""
    stmt = (select(OutboxEvent).where(OutboxEvent.acked_at.is_(None), OutboxEvent.failed_at.is_(None))
            .order_by(OutboxEvent.seq).limit(limit))
    return list(session.scalars(stmt))
