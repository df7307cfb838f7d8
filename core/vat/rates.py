"""VAT rate lookup (per query, or from an in-memory table for hot paths) and which country's VAT a sale carries."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from babel import Locale
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from stdnum.eu import vat as eu_vat

from core.errors import NotFound, ValidationError
from core.vat.models import ProductVatOverride, VatClass, VatRate

#: EU member states (ISO 3166-1 alpha-2). Greece is 'GR' here; its VAT numbers start with 'EL'.
EU_COUNTRIES: frozenset[str] = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
#: VAT-number prefixes that differ from the ISO country code.
VAT_PREFIX = {"GR": "EL"}

IMPORT_HINT = ("add it with `butik vat import FILE.csv` "
               "(header country,vat_class,rate,valid_from,valid_to)")


@functools.cache
def _countries() -> frozenset[str]:
    # CLDR's territory list, minus its groupings (EU, EZ, UN) and unknown/outlying codes (ZZ, QO).
    return frozenset(c for c in Locale("en").territories
                     if len(c) == 2 and c.isalpha() and c not in {"EU", "EZ", "UN", "ZZ", "QO"})


def check_country(code: str | None, field: str = "country") -> str:
    """Normalise an ISO-2 country code ('se' → 'SE'); refuse anything else."""
    value = (code or "").strip().upper()
    if value not in _countries():
        raise ValidationError(f"{code!r} is not a known country code", field=field,
                              hint="use ISO 3166-1 alpha-2, e.g. SE, DK, FI, DE, NO")
    return value


def _missing(country: str, vat_class: str, on: dt.date) -> NotFound:
    return NotFound(f"no VAT rate for class '{vat_class}' in {country} on {on.isoformat()}",
                    field="vat_rate", hint=IMPORT_HINT)


def _unknown_class(vat_class: str, known) -> NotFound:
    return NotFound(f"unknown VAT class '{vat_class}'", field="vat_class",
                    hint="use one of " + ", ".join(sorted(known)))


def rate_for(session: Session, country: str, vat_class: str, on: dt.date,
             product_id: int | None = None) -> int:
    """The rate in basis points for `vat_class` in `country` on `on`; the product's override for that
    country, if any, replaces the class. Raises `NotFound` naming country, class and date when no
    rate covers it — a rate is never guessed."""
    country = check_country(country)
    if product_id is not None:
        override = session.scalar(select(ProductVatOverride.vat_class).where(
            ProductVatOverride.product_id == product_id, ProductVatOverride.country == country))
        if override is not None:
            vat_class = override
    rate = session.scalar(
        select(VatRate.rate_bp)
        .where(VatRate.country == country, VatRate.vat_class == vat_class,
               VatRate.valid_from <= on, or_(VatRate.valid_to.is_(None), VatRate.valid_to >= on))
        .order_by(VatRate.valid_from.desc()).limit(1))
    if rate is None:
        known = set(session.scalars(select(VatClass.code)))
        if vat_class not in known:
            raise _unknown_class(vat_class, known)
        raise _missing(country, vat_class, on)
    return rate


@dataclass
class RateTable:
    """Every rate and override in memory, for hot paths (a till adding lines): no SQL per lookup.

    Load it once (and again after a sync pull changed VAT data); lookups are a dict hit and a bisect.
    """

    classes: frozenset[str] = frozenset()
    #: (country, class) → periods sorted by valid_from: (valid_from, valid_to or None, rate_bp)
    periods: dict[tuple[str, str], list[tuple[dt.date, dt.date | None, int]]] = field(default_factory=dict)
    #: (product_id, country) → class
    overrides: dict[tuple[int, str], str] = field(default_factory=dict)
    _starts: dict[tuple[str, str], list[dt.date]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, session: Session) -> RateTable:
        """Read every class, rate and override (a few hundred rows at most) in three queries."""
        rates = session.execute(select(VatRate.country, VatRate.vat_class, VatRate.rate_bp,
                                       VatRate.valid_from, VatRate.valid_to))
        overrides = session.execute(select(ProductVatOverride.product_id, ProductVatOverride.country,
                                           ProductVatOverride.vat_class))
        return cls.from_rows(session.scalars(select(VatClass.code)), rates, overrides)

    @classmethod
    def from_rows(cls, classes: Iterable[str],
                  rates: Iterable[tuple[str, str, int, dt.date, dt.date | None]],
                  overrides: Iterable[tuple[int, str, str]] = ()) -> RateTable:
        """Build from (country, class, rate_bp, valid_from, valid_to) and (product_id, country, class) rows."""
        periods: dict[tuple[str, str], list] = {}
        for country, vat_class, rate, start, end in rates:
            periods.setdefault((country, vat_class), []).append((start, end, rate))
        for ps in periods.values():
            ps.sort(key=lambda p: p[0])
        return cls(frozenset(classes), periods,
                   {(pid, country): vc for pid, country, vc in overrides},
                   {key: [p[0] for p in ps] for key, ps in periods.items()})

    def vat_class(self, country: str, vat_class: str, product_id: int | None = None) -> str:
        """The class that applies: the product's override for `country`, else `vat_class`."""
        if product_id is not None:
            return self.overrides.get((product_id, country), vat_class)
        return vat_class

    def rate(self, country: str, vat_class: str, on: dt.date, product_id: int | None = None) -> int:
        """Same contract as `rate_for`, answered from memory."""
        if len(country) != 2 or not country.isupper():
            country = check_country(country)
        vat_class = self.vat_class(country, vat_class, product_id)
        key = (country, vat_class)
        starts = self._starts.get(key)
        if starts:
            i = bisect.bisect_right(starts, on) - 1
            if i >= 0:
                _, end, rate = self.periods[key][i]
                if end is None or on <= end:
                    return rate
        if vat_class not in self.classes:
            raise _unknown_class(vat_class, self.classes)
        raise _missing(country, vat_class, on)

    def rate_for_sale(self, decision: VatDecision, vat_class: str, on: dt.date,
                      product_id: int | None = None) -> int:
        """The rate a sale line carries under `decision`: 0 for reverse charge and export."""
        if not decision.charges_vat:
            return 0
        return self.rate(decision.country, vat_class, on, product_id)


# --- which country's VAT -------------------------------------------------------------------------

TREATMENTS = ("domestic", "oss", "reverse_charge", "export")
REVERSE_CHARGE_TEXT = "Omvänd betalningsskyldighet"


@dataclass(frozen=True, slots=True)
class VatDecision:
    """Whose VAT a sale carries: `country` is the country whose rates apply (or the destination
    when no VAT is charged); `treatment` is one of TREATMENTS."""

    country: str
    treatment: str

    @property
    def charges_vat(self) -> bool:
        """False for reverse charge and export: the document carries 0 % VAT."""
        return self.treatment in ("domestic", "oss")

    @property
    def invoice_text(self) -> str | None:
        """Wording the invoice must carry for this treatment, if any."""
        return REVERSE_CHARGE_TEXT if self.treatment == "reverse_charge" else None


def check_vat_number(number: str, country: str, field: str = "buyer_vat_number") -> str:
    """Normalise an EU VAT number and check that it is valid and belongs to `country`."""
    compact = eu_vat.compact(number)
    if not eu_vat.is_valid(compact):
        raise ValidationError(f"{number!r} is not a valid EU VAT number", field=field,
                              hint="write it with its country prefix, e.g. DE136695976")
    prefix = VAT_PREFIX.get(country, country)
    if compact[:2].upper() != prefix:
        raise ValidationError(f"VAT number {number!r} is not from {country}", field=field,
                              hint=f"a buyer in {country} has a VAT number starting with {prefix}")
    return compact.upper()


def sale_vat_country(seller_country: str, buyer_country: str | None, buyer_is_business: bool,
                     buyer_vat_number: str | None, oss: bool) -> VatDecision:
    """Decide whose VAT a sale carries.

    - same country (or no buyer country: a walk-in customer) → 'domestic', the seller's rates;
    - EU seller to an EU business with a valid VAT number → 'reverse_charge', 0 %, and the invoice
      says "Omvänd betalningsskyldighet";
    - EU seller to an EU consumer → 'oss' with the buyer's country's rates when the seller uses OSS
      (distance sales over the EU threshold), else 'domestic' with the seller's rates;
    - to a buyer outside the EU, or from a seller outside the EU abroad → 'export', 0 %.
    """
    seller = check_country(seller_country, "seller_country")
    buyer = check_country(buyer_country, "buyer_country") if buyer_country else seller
    if buyer == seller:
        return VatDecision(seller, "domestic")
    if seller not in EU_COUNTRIES or buyer not in EU_COUNTRIES:
        return VatDecision(buyer, "export")
    if buyer_is_business and buyer_vat_number and buyer_vat_number.strip():
        check_vat_number(buyer_vat_number, buyer)
        return VatDecision(buyer, "reverse_charge")
    # A business without a VAT number is taxed like a consumer.
    return VatDecision(buyer, "oss") if oss else VatDecision(seller, "domestic")
