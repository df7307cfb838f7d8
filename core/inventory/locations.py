"""Stock locations (stores, warehouses) and the manager's queue of negative-stock exceptions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.errors import Conflict, NotFound, ValidationError
from core.inventory.models import LOCATION_KINDS, Location, StockException


def create_location(session: Session, code: str, name: str, kind: str = "store") -> Location:
    """Add a location; `code` is unique (e.g. BUTIK-1, LAGER)."""
    code = (code or "").strip()
    if not code or len(code) > 40:
        raise ValidationError("a location code of 1–40 characters is required", field="code")
    if kind not in LOCATION_KINDS:
        raise ValidationError(f"unknown location kind {kind!r}", field="kind",
                              hint="store or warehouse")
    if not (name or "").strip():
        raise ValidationError("a location needs a name", field="name")
    if session.scalar(select(Location.id).where(Location.code == code)) is not None:
        raise Conflict(f"location code {code} is taken", field="code", hint="choose another code")
    location = Location(code=code, name=name.strip(), kind=kind)
    session.add(location)
    session.flush()
    return location


def location_by_code(session: Session, code: str) -> Location:
    location = session.scalar(select(Location).where(Location.code == code))
    if location is None:
        raise NotFound(f"no stock location with code {code}", field="location")
    return location


def open_exceptions(session: Session, location_id: int | None = None) -> list[StockException]:
    """Unresolved negative-stock exceptions, oldest first."""
    stmt = select(StockException).where(StockException.resolved_at.is_(None))
    if location_id is not None:
        stmt = stmt.where(StockException.location_id == location_id)
    return list(session.scalars(stmt.order_by(StockException.id)))


def resolve_exception(session: Session, exception_id: int, resolved_by: str,
                      note: str | None = None) -> StockException:
    """Mark an exception handled (typically after a count or an adjustment)."""
    exc = session.get(StockException, exception_id)
    if exc is None:
        raise NotFound(f"no stock exception {exception_id}", field="exception_id")
    if exc.resolved_at is not None:
        raise Conflict(f"stock exception {exception_id} was already resolved by {exc.resolved_by}",
                       field="exception_id")
    if not (resolved_by or "").strip():
        raise ValidationError("say who resolved it", field="resolved_by")
    exc.resolved_at, exc.resolved_by, exc.note = utcnow(), resolved_by.strip(), note
    session.flush()
    return exc
