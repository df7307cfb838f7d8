"""The VAT classes and the rates Butik ships with (SE, DK, FI, DE, NO); `seed_vat` adds what is missing.

Rates are data with validity dates, never code defaults: a country/class/date that is not covered
here raises `NotFound` at lookup, and the shop adds it with `butik vat import FILE.csv`.
Seeded history starts at SEED_FROM; older dates are not covered on purpose (no rate is guessed).
Sources: shared/reference/sweden.md and the Finnish Tax Administration (vero.fi, "Rates of VAT").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from core.vat.models import VatClass, VatRate

D = dt.date
#: The first day the seeded rates are known to cover.
SEED_FROM = D(2024, 1, 1)

#: code → (Swedish name, English name)
CLASSES: dict[str, tuple[str, str]] = {
    "standard": ("Normalskattesats", "Standard rate"),
    "food": ("Livsmedel", "Food"),
    "hotel_restaurant": ("Hotell och restaurang", "Hotel and restaurant"),
    "books_culture": ("Böcker och kultur", "Books and culture"),
    "passenger_transport": ("Persontransport", "Passenger transport"),
    "exempt": ("Momsfri", "Exempt"),
}


@dataclass(frozen=True, slots=True)
class SeedRate:
    country: str
    vat_class: str
    rate_bp: int
    valid_from: dt.date
    valid_to: dt.date | None = None


R = SeedRate
RATES: tuple[SeedRate, ...] = (
    # --- Sweden
    R("SE", "standard", 2500, SEED_FROM),
    R("SE", "food", 1200, SEED_FROM, D(2026, 3, 31)),
    # The food reduction to 6 % is temporary by law (2026-04-01 – 2027-12-31); the rate returns
    # to 12 % on 2028-01-01 unless a new law says otherwise — then import the new rate.
    R("SE", "food", 600, D(2026, 4, 1), D(2027, 12, 31)),
    R("SE", "food", 1200, D(2028, 1, 1)),
    R("SE", "hotel_restaurant", 1200, SEED_FROM),  # restaurant service stays at 12 % in 2026–27
    R("SE", "books_culture", 600, SEED_FROM),
    R("SE", "passenger_transport", 600, SEED_FROM),
    R("SE", "exempt", 0, SEED_FROM),
    # --- Denmark (one rate; only the standard class is seeded)
    R("DK", "standard", 2500, SEED_FROM),
    R("DK", "exempt", 0, SEED_FROM),
    # --- Finland
    R("FI", "standard", 2400, SEED_FROM, D(2024, 8, 31)),
    R("FI", "standard", 2550, D(2024, 9, 1)),
    R("FI", "food", 1400, SEED_FROM, D(2025, 12, 31)),
    R("FI", "food", 1350, D(2026, 1, 1)),
    # Books, passenger transport and accommodation moved from 10 % to 14 % on 2025-01-01 (only
    # newspapers, magazines and public broadcasting kept 10 %), and the 14 % rate became 13.5 %
    # on 2026-01-01 (vero.fi).
    R("FI", "books_culture", 1000, SEED_FROM, D(2024, 12, 31)),
    R("FI", "books_culture", 1400, D(2025, 1, 1), D(2025, 12, 31)),
    R("FI", "books_culture", 1350, D(2026, 1, 1)),
    R("FI", "passenger_transport", 1000, SEED_FROM, D(2024, 12, 31)),
    R("FI", "passenger_transport", 1400, D(2025, 1, 1), D(2025, 12, 31)),
    R("FI", "passenger_transport", 1350, D(2026, 1, 1)),
    # Hotels (10 %) and restaurants (14 %) differed in 2024, so this class starts in 2025.
    R("FI", "hotel_restaurant", 1400, D(2025, 1, 1), D(2025, 12, 31)),
    R("FI", "hotel_restaurant", 1350, D(2026, 1, 1)),
    R("FI", "exempt", 0, SEED_FROM),
    # --- Germany
    R("DE", "standard", 1900, SEED_FROM),
    R("DE", "food", 700, SEED_FROM),
    R("DE", "books_culture", 700, SEED_FROM),
    R("DE", "exempt", 0, SEED_FROM),
    # --- Norway (not in the EU)
    R("NO", "standard", 2500, SEED_FROM),
    R("NO", "food", 1500, SEED_FROM),
    R("NO", "passenger_transport", 1200, SEED_FROM),
    # 12 % is Norway's accommodation rate; food served in a Norwegian restaurant is 25 %
    # (give such products the 'standard' class for NO with a product override).
    R("NO", "hotel_restaurant", 1200, SEED_FROM),
    R("NO", "exempt", 0, SEED_FROM),
)


def seed_vat(session: Session) -> tuple[int, int]:
    """Add the missing classes and seeded rates; returns (classes added, rates added). Idempotent.

    A seeded rate is skipped when any stored rate for its country and class overlaps it, so rates the
    shop imported itself are never overwritten or doubled. The caller commits.
    """
    known = set(session.scalars(select(VatClass.code)))
    added_classes = 0
    for code, (sv, en) in CLASSES.items():
        if code not in known:
            session.add(VatClass(code=code, name_sv=sv, name_en=en))
            added_classes += 1
    session.flush()
    added_rates = 0
    for r in RATES:
        if overlapping(session, r.country, r.vat_class, r.valid_from, r.valid_to) is None:
            session.add(VatRate(country=r.country, vat_class=r.vat_class, rate_bp=r.rate_bp,
                                valid_from=r.valid_from, valid_to=r.valid_to))
            session.flush()
            added_rates += 1
    return added_classes, added_rates


def overlapping(session: Session, country: str, vat_class: str, valid_from: dt.date,
                valid_to: dt.date | None) -> VatRate | None:
    """A stored rate of this country and class whose validity overlaps [valid_from, valid_to], if any."""
    cond = [VatRate.country == country, VatRate.vat_class == vat_class,
            or_(VatRate.valid_to.is_(None), VatRate.valid_to >= valid_from)]
    if valid_to is not None:
        cond.append(VatRate.valid_from <= valid_to)
    return session.scalars(select(VatRate).where(and_(*cond)).order_by(VatRate.valid_from)
                           .limit(1)).first()
