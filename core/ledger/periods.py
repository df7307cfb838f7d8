"""Financial years and the period lock: nothing is posted into a closed period.

A date with no financial year gets the calendar year opened for it when that does not overlap
an existing year (a shop's first posting needs no setup); other shapes are opened by hand.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.ledger.models import FinancialYear, PeriodLock


def open_year(session: Session, start: dt.date, end: dt.date) -> FinancialYear:
    """Open a financial year [start, end]; at most 18 months and overlapping no other year."""
    if end < start:
        raise ValidationError("the year ends before it starts", field="end_date")
    if (end.year - start.year) * 12 + end.month - start.month >= 18:
        raise ValidationError("a financial year is at most 18 months", field="end_date")
    clash = session.scalars(select(FinancialYear).where(
        FinancialYear.start_date <= end, FinancialYear.end_date >= start)).first()
    if clash is not None:
        raise Conflict(f"overlaps the financial year {clash.start_date}–{clash.end_date}",
                       field="start_date", hint="financial years must not overlap")
    year = FinancialYear(start_date=start, end_date=end)
    session.add(year)
    session.flush()
    return year


def year_of(session: Session, on: dt.date, create: bool = True) -> FinancialYear:
    """The financial year holding `on`; opens the calendar year when none does and `create`."""
    year = session.scalars(select(FinancialYear).where(
        FinancialYear.start_date <= on, FinancialYear.end_date >= on)).first()
    if year is None:
        if not create:
            raise NotFound(f"no financial year holds {on.isoformat()}", field="date",
                           hint="open the financial year first")
        year = open_year(session, dt.date(on.year, 1, 1), dt.date(on.year, 12, 31))
    return year


def year_starting(session: Session, calendar_year: int) -> FinancialYear:
    """The financial year that starts in `calendar_year` (how `--year YYYY` names a year)."""
    year = session.scalars(select(FinancialYear).where(
        FinancialYear.start_date >= dt.date(calendar_year, 1, 1),
        FinancialYear.start_date <= dt.date(calendar_year, 12, 31))).first()
    if year is None:
        raise NotFound(f"no financial year starts in {calendar_year}", field="year",
                       hint="post something in that year or import its opening balances")
    return year


def locked_through(session: Session) -> dt.date | None:
    """The last day of the closed period (None when nothing is locked)."""
    return session.scalar(select(func.max(PeriodLock.locked_through)))


def lock_period(session: Session, through: dt.date, who: str) -> PeriodLock:
    """Close the books through `through`; the lock only moves forward."""
    current = locked_through(session)
    if current is not None and through < current:
        raise InvalidTransition(f"the books are already locked through {current.isoformat()}",
                                field="locked_through", hint="a lock cannot be moved back")
    lock = PeriodLock(locked_through=through, locked_by=who)
    session.add(lock)
    session.flush()
    return lock


def check_open(session: Session, on: dt.date) -> None:
    """Refuse a posting dated inside the closed period."""
    current = locked_through(session)
    if current is not None and on <= current:
        raise InvalidTransition(f"the period through {current.isoformat()} is locked; nothing "
                                f"can be posted on {on.isoformat()}", field="date",
                                hint="date the voucher after the locked period (a correction "
                                     "goes in the open period)")
