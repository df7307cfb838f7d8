"""Shifts: opened with a counted float, closed with counting per payment method (cash by
denomination); the difference against the receipts is shown and recorded.

States: open → closed. Only one open shift per register; a closed shift never reopens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.errors import InvalidTransition, ValidationError
from core.sales import journal
from core.sales.counters import DayTotals
from core.sales.models import SalesReceipt, Shift
from core.sync.outbox import enqueue

#: Swedish notes and coins in öre, largest first
SEK_DENOMINATIONS = (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100)


def count_denominations(counts: dict) -> int:
    """Sum of {value in öre: count}; refuses unknown values and negative counts."""
    total = 0
    for value, count in counts.items():
        value, count = int(value), int(count)
        if value not in SEK_DENOMINATIONS:
            raise ValidationError(f"{value / 100:g} kr is not a Swedish note or coin", field="denominations")
        if count < 0:
            raise ValidationError("a count must not be negative", field="denominations")
        total += value * count
    return total


def current_shift(session: Session, register_id: int) -> Shift | None:
    return session.scalars(select(Shift).where(Shift.register_id == register_id,
                                               Shift.closed_at.is_(None))).first()


def open_shift(session: Session, register_id: int, cashier: str, *, float_amount: int | None = None,
               denominations: dict | None = None, at: dt.datetime | None = None) -> Shift:
    """Open a shift with its float (an amount, or counted by denomination); the caller commits."""
    if current_shift(session, register_id) is not None:
        raise InvalidTransition("a shift is already open at this register", field="shift",
                                hint="close it first")
    if float_amount is None:
        float_amount = count_denominations(denominations or {})
    if float_amount < 0:
        raise ValidationError("the float must not be negative", field="float_amount")
    at = at or utcnow()
    shift = Shift(register_id=register_id, cashier=cashier, opened_at=at, float_amount=float_amount,
                  float_counted={str(k): v for k, v in (denominations or {}).items()} or None)
    session.add(shift)
    session.flush()
    head = journal.counters(session, register_id)
    day = DayTotals.load(head.day)
    day.float_amount = float_amount
    day.float_changes += 1
    head.day = day.dump()
    journal.append(session, register_id, "shift_open",
                   {"shift_id": shift.id, "cashier": cashier, "float": float_amount}, at=at)
    return shift


def change_float(session: Session, register_id: int, delta: int, cashier: str, reason: str) -> None:
    """Register a change to the float during the day (cash added to or taken from the till)."""
    head = journal.counters(session, register_id)
    day = DayTotals.load(head.day)
    day.float_amount += delta
    day.float_changes += 1
    head.day = day.dump()
    journal.append(session, register_id, "float_change",
                   {"delta": delta, "cashier": cashier, "reason": reason})


def expected_amounts(session: Session, shift: Shift) -> dict[str, int]:
    """Per payment method, what the receipts of the shift took in (cash includes the float)."""
    expected: dict[str, int] = {"cash": shift.float_amount}
    rows = session.execute(select(SalesReceipt.body).where(SalesReceipt.shift_id == shift.id,
                                                           SalesReceipt.kind != "training"))
    for (body,) in rows:
        for p in body["payments"]:
            expected[p["method"]] = expected.get(p["method"], 0) + p["amount"]
    return expected


@dataclass(frozen=True)
class ShiftClose:
    shift_id: str
    expected: dict[str, int]
    counted: dict[str, int]
    differences: dict[str, int]
    difference: int


def close_shift(session: Session, register_id: int, closed_by: str, *, counted: dict[str, int],
                denominations: dict | None = None, at: dt.datetime | None = None) -> ShiftClose:
    """Close the open shift: cash counted by denomination when given; records the difference."""
    shift = current_shift(session, register_id)
    if shift is None:
        raise InvalidTransition("no shift is open at this register", field="shift")
    counted = {k: int(v) for k, v in counted.items()}
    if denominations:
        counted["cash"] = count_denominations(denominations)
    expected = expected_amounts(session, shift)
    methods = sorted(set(expected) | set(counted))
    differences = {m: counted.get(m, 0) - expected.get(m, 0) for m in methods}
    at = at or utcnow()
    shift.closed_at, shift.closed_by = at, closed_by
    shift.counted, shift.expected = counted, expected
    shift.denominations = {str(k): v for k, v in (denominations or {}).items()} or None
    shift.difference = sum(differences.values())
    journal.append(session, register_id, "shift_close",
                   {"shift_id": shift.id, "closed_by": closed_by, "counted": counted,
                    "expected": expected, "difference": shift.difference}, at=at)
    enqueue(session, "shift_closed", {"shift_id": shift.id, "register_id": register_id,
                                      "cashier": shift.cashier, "opened_at": shift.opened_at.isoformat(),
                                      "closed_at": at.isoformat(), "float": shift.float_amount,
                                      "counted": counted, "expected": expected,
                                      "difference": shift.difference}, event_id=shift.id)
    return ShiftClose(shift.id, expected, counted, differences, shift.difference)
