"""Gap-free document numbers per series (orders, invoices, purchase orders, vouchers…).

`next_number(session, series)` bumps the series' counter row with one `UPDATE … RETURNING` inside
the caller's transaction — the same transaction that writes the document using the number. The
row lock makes concurrent callers wait for each other; a rollback gives the number back, so the
series has no holes and no duplicates (a PostgreSQL sequence would leave holes).
"""

from __future__ import annotations

import re

from sqlalchemy import BigInteger, String, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db.base import Base
from core.errors import ValidationError

SERIES_PATTERN = re.compile(r"^[a-z0-9_]{1,40}$")


class NumberSeries(Base):
    """The last number issued in one series (the next is value + 1)."""

    __tablename__ = "number_series"

    series: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


def check_series(series: str) -> str:
    if not SERIES_PATTERN.match(series or ""):
        raise ValidationError(f"series {series!r} is not a valid name", field="series",
                              hint="use 1–40 characters a-z, 0-9 or _, e.g. 'invoices'")
    return series


def next_number(session: Session, series: str) -> int:
    """The next number of `series` (1 for a new series), held by the caller's transaction."""
    check_series(series)
    bump = text("UPDATE number_series SET value = value + 1 WHERE series = :s RETURNING value")
    value = session.execute(bump, {"s": series}).scalar()
    if value is None:
        # first use: create the row (a concurrent creator wins harmlessly), then bump it
        session.execute(text("INSERT INTO number_series (series, value) VALUES (:s, 0) "
                             "ON CONFLICT (series) DO NOTHING"), {"s": series})
        value = session.execute(bump, {"s": series}).scalar()
    return int(value)


def last_number(session: Session, series: str) -> int:
    """The last number issued in `series` (0 when none)."""
    value = session.execute(text("SELECT value FROM number_series WHERE series = :s"),
                            {"s": series}).scalar()
    return int(value or 0)
