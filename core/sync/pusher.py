"""Facts going up: push outbox events in seq order, in batches, and record the server's answer for each.

A batch holds at most 500 events and 5 MB of bodies. The server applies each event exactly once
(its UUID is the idempotency key), so sending a batch again after a lost answer is safe: the events
already applied come back as "replayed" with their stored result. The answer is recorded in ONE
local transaction per batch: acknowledged events get `acked_at` and the server's result; an event
the server refuses for good (409: the same id with another body; 422 "rejected": well-formed but
not applicable, e.g. an unknown product; or a malformed event found by sending it alone) gets
`failed_at` and the reason, is never sent again and shows in the status. Nothing is ever deleted.
Network errors, 429 and 5xx leave the events pending; the caller backs off (`Backoff`).
"""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass, field

from sqlalchemy import select, update

from core.db import Store
from core.db.base import utcnow
from core.sync.client import PushResponse, ServerRefused, SyncClient
from core.sync.outbox import OutboxEvent

log = logging.getLogger(__name__)

MAX_EVENTS = 500
MAX_BYTES = 5 * 1024 * 1024
#: per-event envelope bytes on top of the body ({"id":…,"type":…,"created_at":…})
ENVELOPE = 120


@dataclass
class PushResult:
    batches: int = 0
    applied: int = 0
    replayed: int = 0
    failed: int = 0
    failed_ids: list[str] = field(default_factory=list)

    @property
    def acked(self) -> int:
        return self.applied + self.replayed


class Backoff:
    """Exponential backoff with jitter, capped; honours the server's Retry-After."""

    def __init__(self, base: float = 1.0, cap: float = 60.0, rng: random.Random | None = None):
        self.base, self.cap = base, cap
        self.failures = 0
        self.rng = rng or random.Random()

    def next_delay(self, retry_after: float | None = None) -> float:
        self.failures += 1
        ceiling = min(self.cap, self.base * 2 ** (self.failures - 1))
        delay = ceiling / 2 + self.rng.uniform(0, ceiling / 2)  # "equal jitter": never ~0
        if retry_after is not None:
            delay = max(delay, min(retry_after, 5 * self.cap))
        return delay

    def reset(self) -> None:
        self.failures = 0


def _pending_batch(store: Store, max_events: int, max_bytes: int) -> list[dict]:
    t = OutboxEvent.__table__
    stmt = (select(t.c.seq, t.c.id, t.c.type, t.c.body, t.c.created_at, t.c.size)
            .where(t.c.acked_at.is_(None), t.c.failed_at.is_(None))
            .order_by(t.c.seq).limit(max_events))
    with store.read() as s:
        rows = s.execute(stmt).all()
    batch, total = [], 0
    for row in rows:
        cost = (row.size or 0) + ENVELOPE
        if batch and total + cost > max_bytes:
            break
        batch.append({"seq": row.seq, "id": row.id, "type": row.type, "body": row.body,
                      "created_at": row.created_at.isoformat()})
        total += cost
    return batch


def _wire(events: list[dict]) -> list[dict]:
    return [{"id": e["id"], "type": e["type"], "body": e["body"], "created_at": e["created_at"]}
            for e in events]


def _reason(r: dict, default: str) -> str:
    err = r.get("error")
    if isinstance(err, dict):
        text = err.get("message") or err.get("error") or default
        return f"{err.get('field')}: {text}" if err.get("field") else str(text)
    return str(err or r.get("message") or default)


def _record(store: Store, events: list[dict], resp: PushResponse, result: PushResult) -> int:
    """Write the server's per-event answers in one transaction; returns how many were settled."""
    by_id = {e["id"]: e["seq"] for e in events}
    now = utcnow()
    acks: dict[int, dict] = {}
    fails: dict[int, dict] = {}
    for r in resp.results:
        eid = r.get("id")
        seq = by_id.get(eid)
        if seq is None:
            continue
        status = r.get("status")
        if status in ("applied", "replayed"):
            acks[seq] = {"seq": seq, "acked_at": now, "result": r.get("result") or {},
                         "last_error": None}
            if status == "applied":
                result.applied += 1
            else:
                result.replayed += 1
        elif status == "conflict" or eid in resp.conflicts:
            fails[seq] = {"seq": seq, "failed_at": now, "last_error": "conflict (409): " + _reason(
                r, "the server holds an event with this id and a different body")}
        elif status == "rejected" or eid in resp.rejected:
            fails[seq] = {"seq": seq, "failed_at": now,
                          "last_error": "rejected (422): " + _reason(r, "cannot be applied")}
    for eid, label in [(i, "conflict (409)") for i in resp.conflicts] + \
                      [(i, "rejected (422)") for i in resp.rejected]:
        seq = by_id.get(eid)  # listed, but without a result entry
        if seq is not None and seq not in fails and seq not in acks:
            fails[seq] = {"seq": seq, "failed_at": now, "last_error": label}
    with store.write() as s:
        if acks:
            s.execute(update(OutboxEvent), list(acks.values()))
        if fails:
            s.execute(update(OutboxEvent), list(fails.values()))
        unsettled = [seq for seq in by_id.values() if seq not in acks and seq not in fails]
        if unsettled:
            s.execute(update(OutboxEvent).where(OutboxEvent.seq.in_(unsettled))
                      .values(attempts=OutboxEvent.attempts + 1))
        s.commit()
    ids = {seq: eid for eid, seq in by_id.items()}
    for seq, f in fails.items():
        result.failed += 1
        result.failed_ids.append(ids[seq])
        log.warning("event %s refused for good: %s", ids[seq], f["last_error"])
    return len(acks) + len(fails)


def _mark_failed(store: Store, event: dict, reason: str, result: PushResult) -> None:
    with store.write() as s:
        s.execute(update(OutboxEvent).where(OutboxEvent.seq == event["seq"])
                  .values(failed_at=utcnow(), last_error=reason[:2000],
                          attempts=OutboxEvent.attempts + 1))
        s.commit()
    result.failed += 1
    result.failed_ids.append(event["id"])
    log.warning("event %s (%s) refused for good: %s", event["id"], event["type"], reason)


def note_attempt(store: Store, events: list[dict], error: str) -> None:
    """Count a failed send (network, 5xx) on the events; they stay pending."""
    seqs = [e["seq"] for e in events]
    if not seqs:
        return
    with store.write() as s:
        s.execute(update(OutboxEvent).where(OutboxEvent.seq.in_(seqs))
                  .values(attempts=OutboxEvent.attempts + 1, last_error=error[:2000]))
        s.commit()


def push(store: Store, client: SyncClient, *, max_events: int = MAX_EVENTS,
         max_bytes: int = MAX_BYTES, stop: threading.Event | None = None) -> PushResult:
    """Push every pending event, oldest first. Raises `Unavailable`/`AuthRefused` and leaves the rest pending."""
    result = PushResult()
    while stop is None or not stop.is_set():
        events = _pending_batch(store, max_events, max_bytes)
        if not events:
            break
        if len(events) == 1 and events[0].get("body") is not None and \
                _size(events[0]) > max_bytes:
            _mark_failed(store, events[0], f"event larger than the {max_bytes} byte limit", result)
            continue
        try:
            resp = client.push_events(_wire(events))
        except ServerRefused as exc:
            if exc.status not in (413, 422):
                raise
            _isolate(store, client, events, exc, result)
            result.batches += 1
            continue
        except Exception as exc:
            note_attempt(store, events, f"{type(exc).__name__}: {exc}")
            raise
        result.batches += 1
        if _record(store, events, resp, result) == 0:
            raise ServerRefused("server answered without a result for any event sent", 502)
    return result


def _size(event: dict) -> int:
    from core.sync.outbox import canonical_json
    return len(canonical_json(event["body"]).encode()) + ENVELOPE


def _isolate(store: Store, client: SyncClient, events: list[dict], exc: ServerRefused,
             result: PushResult) -> None:
    """A batch was refused as malformed: send its events one at a time to find the bad ones."""
    if len(events) == 1:
        _mark_failed(store, events[0], f"refused ({exc.status}): {exc.message}", result)
        return
    log.warning("batch of %d refused (%s); sending one at a time", len(events), exc.status)
    for event in events:
        try:
            resp = client.push_events(_wire([event]))
        except ServerRefused as one:
            if one.status not in (413, 422):
                raise
            _mark_failed(store, event, f"refused ({one.status}): {one.message}", result)
            continue
        _record(store, [event], resp, result)
