"""Event intake: apply each client event exactly once, in the same transaction as its idempotency row.

The claim is an `INSERT … ON CONFLICT DO NOTHING RETURNING` of the event id into `applied_event`
inside the same transaction as the work: a concurrent duplicate waits on the primary key, then
finds the row and replays the stored result. Same id with another body → conflict (logged).
Runs of receipts (the bulk of every push) go set-based through server.intake_bulk; the handlers
below apply the other event types, and receipts too when a batch must be isolated event by event.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from core.auth.service import Principal
from core.db import Store
from core.db.base import utcnow
from core.errors import Conflict, UserError, ValidationError
from core.inventory.cache import dialect_insert
from core.inventory.movements import MovementIn, record_movements
from core.sales.giftcard_ledger import apply_gift_cards
from core.sync.changelog import touch_levels_of_movements
from core.sync.outbox import body_hash
from core.sync.received import AppliedEvent, ReceivedShift, ReceivedZReport, SalesReceipt
from server.db import transact
from server.errors import db_error_body, user_error_body
from server.intake_bulk import ReceiptEvent, Refused, apply_receipts, naive_utc
from server.schemas import ReceiptBody, StockCountBody

log = logging.getLogger("server.intake")
APPLIED = AppliedEvent.__table__


# ---------------------------------------------------------------------------- handlers

def apply_receipt(session: Session, who: Principal, event_id: str, body: dict) -> dict:
    """Store the receipt; move stock out of its location (a sale is a fact: negative allowed)."""
    r = ReceiptBody.model_validate(body)
    session.execute(SalesReceipt.__table__.insert().values(
        id=r.receipt_id, register_code=r.register_code, number=r.number, kind=r.kind,
        total=r.total, customer_id=r.customer_id, device_id=who.id, body=body,
        created_at=naive_utc(r.created_at), received_at=utcnow()))
    apply_gift_cards(session, [body])
    movement_ids: list[int] = []
    if r.kind != "training":
        moves = [MovementIn(product_id=ln.product_id, location_id=r.location_id, qty=-ln.qty,
                            reason="sale" if ln.qty > 0 else "return", source_type="receipt",
                            source_id=r.receipt_id, idem_key=f"receipt:{r.receipt_id}:{i}")
                 for i, ln in enumerate(r.lines) if ln.qty != 0]
        movement_ids = record_movements(session, moves, allow_negative=True)
        touch_levels_of_movements(session, movement_ids)
    return {"receipt_id": r.receipt_id, "movement_ids": movement_ids}


def apply_stock_count(session: Session, who: Principal, event_id: str, body: dict) -> dict:
    """Adjust each counted product to the counted quantity (reason 'count')."""
    c = StockCountBody.model_validate(body)
    counts = sorted(c.counts, key=lambda x: x.product_id)
    from core.inventory.models import StockLevel

    lvl = StockLevel.__table__
    moves, adjustments = [], []
    for line in counts:  # lock levels in product order, as every stock writer does
        on_hand = session.execute(
            select(lvl.c.on_hand).where(lvl.c.product_id == line.product_id,
                                        lvl.c.location_id == c.location_id).with_for_update()
        ).scalar() or 0
        delta = line.qty - int(on_hand)
        if delta:
            adjustments.append({"product_id": line.product_id, "delta": delta})
            moves.append(MovementIn(product_id=line.product_id, location_id=c.location_id,
                                    qty=delta, reason="count", source_type="stock_count",
                                    source_id=event_id,
                                    idem_key=f"count:{event_id}:{line.product_id}"))
    ids = record_movements(session, moves, allow_negative=True)
    touch_levels_of_movements(session, ids)
    return {"movement_ids": ids, "adjustments": adjustments}


def apply_customer_created(session: Session, who: Principal, event_id: str, body: dict) -> dict:
    """Insert the customer born on a device (or update it when that id is already here)."""
    from core.customers.models import Customer
    from server.rows import coerce_row

    values = coerce_row(Customer.__table__, body)
    customer = session.get(Customer, values["id"])
    if customer is None:
        session.add(Customer(**values))
    else:
        for key, value in values.items():
            if key != "id":
                setattr(customer, key, value)
    session.flush()
    return {"customer_id": values["id"]}


def apply_shift_closed(session: Session, who: Principal, event_id: str, body: dict) -> dict:
    code = body.get("register_code")
    session.execute(ReceivedShift.__table__.insert().values(
        id=event_id, device_id=who.id, register_code=code[:16] if isinstance(code, str) else None,
        body=body, received_at=utcnow()))
    return {"stored": True}


def apply_z_report(session: Session, who: Principal, event_id: str, body: dict) -> dict:
    """Store a till's Z report; a second Z with the same register and number is refused."""
    code, z_no = body.get("register_code"), body.get("z_no")
    if not isinstance(code, str) or not isinstance(z_no, int) or isinstance(z_no, bool):
        raise ValidationError("a Z report needs register_code (text) and z_no (whole number)", field="body")
    if session.execute(select(ReceivedZReport.id).where(ReceivedZReport.register_code == code[:16],
                                                        ReceivedZReport.z_no == z_no)).first():
        raise Conflict(f"Z report {z_no} of register {code} was already received with another event id",
                       field="z_no")
    session.execute(ReceivedZReport.__table__.insert().values(
        id=event_id, device_id=who.id, register_code=code[:16], z_no=z_no, body=body, received_at=utcnow()))
    return {"stored": True, "z_no": z_no}


HANDLERS: dict[str, Callable[[Session, Principal, str, dict], dict]] = {
    "z_report": apply_z_report,
    "receipt": apply_receipt,
    "stock_count": apply_stock_count,
    "customer_created": apply_customer_created,
    "shift_closed": apply_shift_closed,
}


# ---------------------------------------------------------------------------- exactly once

def _claim_and_apply(session: Session, who: Principal, event_id: str, type_: str, body: dict,
                     created_at: dt.datetime | None) -> dict[str, Any]:
    """Claim the event id and apply the handler, or replay/refuse when the id is already applied."""
    digest = body_hash(body)
    claim = (dialect_insert(session, APPLIED)
             .values(id=event_id, device_id=who.id, type=type_, body_hash=digest,
                     created_at=naive_utc(created_at) if created_at else None, applied_at=utcnow())
             .on_conflict_do_nothing(index_elements=[APPLIED.c.id])
             .returning(APPLIED.c.id))
    if session.execute(claim).scalar() is None:
        row = session.execute(select(APPLIED.c.type, APPLIED.c.body_hash, APPLIED.c.result)
                              .where(APPLIED.c.id == event_id)).one()
        if row.type != type_ or row.body_hash != digest:
            return {"id": event_id, "status": "conflict",
                    "error": {"error": "Conflict", "field": "id",
                              "message": "this event id was already applied with another body"}}
        return {"id": event_id, "status": "replayed", "result": row.result}
    result = HANDLERS[type_](session, who, event_id, body)
    session.execute(update(APPLIED).where(APPLIED.c.id == event_id).values(result=result))
    return {"id": event_id, "status": "applied", "result": result}


Event = tuple[str, str, dict, dt.datetime | None]


def _one_by_one(session: Session, who: Principal, events: list[tuple[int, Event]]
                ) -> dict[int, dict[str, Any]]:
    """Each event in its own savepoint: a refusal rolls back that event alone."""
    outcomes = {}
    for index, (event_id, type_, body, created_at) in events:
        savepoint = session.begin_nested()
        try:
            outcome = _claim_and_apply(session, who, event_id, type_, body, created_at)
            savepoint.commit()
        except UserError as exc:
            savepoint.rollback()
            outcome = {"id": event_id, "status": "rejected", "error": user_error_body(exc)}
        except (IntegrityError, DataError) as exc:
            savepoint.rollback()
            outcome = {"id": event_id, "status": "rejected", "error": db_error_body(exc)[1]}
        outcomes[index] = outcome
    return outcomes


def _segments(events: list[Event]) -> list[tuple[bool, list[int]]]:
    """Consecutive receipts form one set-based segment; every other event is a segment of its own."""
    segments: list[tuple[bool, list[int]]] = []
    for i, (_id, type_, _body, _at) in enumerate(events):
        if type_ == "receipt" and segments and segments[-1][0]:
            segments[-1][1].append(i)
        else:
            segments.append((type_ == "receipt", [i]))
    return segments


def _run(store: Store, who: Principal, events: list[Event], models: list[Any],
         segments: list[tuple[bool, list[int]]]) -> dict[int, dict[str, Any]]:
    """Apply these segments in ONE transaction (retried on a transient clash)."""
    refused: dict[int, dict] = {}
    receipts = {i: ReceiptEvent(i, events[i][0], events[i][2], events[i][3], models[i])
                for bulk, indexes in segments if bulk for i in indexes}

    def work(session: Session) -> dict[int, dict[str, Any]]:
        outcomes: dict[int, dict[str, Any]] = {}
        for bulk, indexes in segments:
            if bulk:
                outcomes.update(apply_receipts(session, who, [receipts[i] for i in indexes], refused))
            else:
                outcomes.update(_one_by_one(session, who, [(i, events[i]) for i in indexes]))
        return outcomes

    for _attempt in range(len(receipts) + 1):
        try:
            return transact(store, work)
        except Refused as exc:  # rolled back: run again with those events rejected up front
            refused.update(exc.errors)
        except (IntegrityError, DataError) as exc:  # unforeseen: isolate events by savepoints
            log.warning("set-based intake refused by the database (%s); applying one by one",
                        str(exc.orig).strip().splitlines()[0][:200] if exc.orig else exc)
            break
    indexes = [i for _bulk, idx in segments for i in idx]
    return transact(store, lambda s: _one_by_one(s, who, [(i, events[i]) for i in indexes]))


def apply_events(store: Store, who: Principal, events: list[Event],
                 models: list[Any] | None = None) -> list[dict[str, Any]]:
    """Apply a batch of (id, type, body, created_at) in order; returns one outcome per event.

    Runs of consecutive receipts are applied set-based (server.intake_bulk), other events one by
    one in savepoints. `models` may carry the bodies already parsed (ReceiptBody) by the route.
    On SQLite (one writer at a time) the whole batch is one transaction: one commit and one fsync.
    On PostgreSQL each run of receipts is one transaction and every other event its own, so a
    transaction locks stock rows in one sorted statement. A transient clash (deadlock,
    serialization failure) retries the transaction, so outcomes always describe what was committed.
    """
    models = models if models is not None else [None] * len(events)
    segments = _segments(events)
    units = [segments] if store.is_sqlite else [[segment] for segment in segments]
    by_index: dict[int, dict[str, Any]] = {}
    for unit in units:
        by_index.update(_run(store, who, events, models, unit))
    outcomes = [by_index[i] for i in range(len(events))]
    for (event_id, type_, _, _), outcome in zip(events, outcomes):
        if outcome["status"] == "conflict":
            log.warning("event %s from device %s (%s): same id, different body — refused",
                        event_id, who.id, who.name)
        elif outcome["status"] == "rejected":
            log.warning("event %s (%s) from device %s rejected: %s", event_id, type_, who.id,
                        outcome["error"]["message"])
    return outcomes


def apply_event(store: Store, who: Principal, event_id: str, type_: str, body: dict,
                created_at: dt.datetime | None = None) -> dict[str, Any]:
    """Apply one event once; returns {"id", "status": applied|replayed|conflict|rejected, …}."""
    return apply_events(store, who, [(event_id, type_, body, created_at)])[0]
