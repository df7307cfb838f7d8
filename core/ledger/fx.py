"""Exchange rates entered or imported as data (never fetched), and exact conversion to SEK öre.

A rate is SEK per unit in millionths (`parse_rate_micro('11,2345')` → 11234500). A document is
booked at the rate of its day, or the latest earlier rate within `MAX_AGE_DAYS` (no rates are
published on weekends); anything older is refused so a missing rate is noticed, not guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound, RowErrors, ValidationError
from core.ledger.models import ExchangeRate
from core.money import BASE_CURRENCY, check_currency, div_round_half_up

MICRO = 1_000_000
MAX_AGE_DAYS = 7


def parse_rate_micro(text: str, field: str = "rate") -> int:
    """'11,2345' or '11.2345' → 11234500 (at most six decimals, positive)."""
    try:
        value = Decimal(str(text).strip().replace(",", ".")) * MICRO
    except InvalidOperation:
        raise ValidationError(f"{text!r} is not an exchange rate", field=field,
                              hint="write SEK per unit, e.g. 11,2345") from None
    if not value.is_finite() or value != value.to_integral_value() or value <= 0:
        raise ValidationError(f"{text!r} is not a positive rate with at most six decimals",
                              field=field)
    return int(value)


def to_sek(minor: int, rate_micro: int) -> int:
    """An amount in a foreign currency's minor units → öre at the rate, rounded half up."""
    return div_round_half_up(minor * rate_micro, MICRO)


def set_rate(session: Session, currency: str, on: dt.date, rate_micro: int,
             source: str = "manual") -> ExchangeRate:
    """Enter (or correct) the rate of a currency on a day."""
    check_currency(currency)
    if currency == BASE_CURRENCY:
        raise ValidationError("SEK needs no exchange rate", field="currency")
    if rate_micro <= 0:
        raise ValidationError("the rate must be positive", field="rate")
    row = session.get(ExchangeRate, (currency, on))
    if row is None:
        row = ExchangeRate(currency=currency, on=on, rate_micro=rate_micro, source=source)
        session.add(row)
    else:
        row.rate_micro, row.source = rate_micro, source
    session.flush()
    return row


def rate_on(session: Session, currency: str, on: dt.date) -> int:
    """SEK per unit (millionths) for `currency` on `on`; 1_000_000 for SEK."""
    if currency == BASE_CURRENCY:
        return MICRO
    row = session.scalars(select(ExchangeRate).where(
        ExchangeRate.currency == currency, ExchangeRate.on <= on,
        ExchangeRate.on >= on - dt.timedelta(days=MAX_AGE_DAYS))
        .order_by(ExchangeRate.on.desc())).first()
    if row is None:
        raise NotFound(f"no {currency} rate for {on.isoformat()}", field="exchange_rate",
                       hint=f"enter the day's {currency} rate (Ledger → Exchange rates) or import them")
    return row.rate_micro


def import_rates_csv(session: Session, data: bytes, source: str = "import") -> int:
    """Rates from CSV `currency,date,rate` (header required); all rows or none; returns rows stored."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    if not reader.fieldnames or {"currency", "date", "rate"} - set(reader.fieldnames):
        raise ValidationError("the file needs the header currency,date,rate", field="file")
    parsed, errors = [], []
    for line, row in enumerate(reader, start=2):
        try:
            on = dt.date.fromisoformat((row["date"] or "").strip())
        except ValueError:
            errors.append((line, "date", "not a date YYYY-MM-DD"))
            continue
        try:
            currency = check_currency((row["currency"] or "").strip().upper())
            parsed.append((currency, on, parse_rate_micro(row["rate"])))
        except ValidationError as exc:
            errors.append((line, exc.field or "rate", str(exc)))
    if errors:
        error = RowErrors(errors)
        error.hint = "fix those rows; nothing was imported"
        raise error
    for currency, on, rate in parsed:
        set_rate(session, currency, on, rate, source)
    return len(parsed)
