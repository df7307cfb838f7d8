"""Money as integer minor units (öre) with a currency; VAT arithmetic; exact splits; cash rounding.

No float ever enters a money path: constructors refuse floats, rates are integer basis points
(2500 = 25 %, 2550 = 25.5 %), and every rounding is explicit and named. Decimal appears only when
parsing input or formatting output (`parse_amount`, `format_amount`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.errors import ValidationError

#: ISO 4217 currencies Butik accepts, with their number of minor-unit digits.
CURRENCIES: dict[str, int] = {"SEK": 2, "EUR": 2, "NOK": 2, "DKK": 2, "USD": 2, "GBP": 2}
BASE_CURRENCY = "SEK"
BP = 10_000  # basis points in a whole (100 %)


def _check_int(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"must be a whole number of minor units, got {value!r}", field=field,
                              hint="money is integer öre; parse text with parse_amount()")
    return value


def check_currency(code: str, field: str = "currency") -> str:
    if code not in CURRENCIES:
        raise ValidationError(f"unknown currency {code!r}", field=field,
                              hint="use one of " + ", ".join(sorted(CURRENCIES)))
    return code


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded to nearest, halves away from zero (Swedish commercial rounding)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return sign * q


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (öre, cent) of one currency."""

    currency: str
    minor: int

    def __post_init__(self):
        _check_int(self.minor, "amount")
        check_currency(self.currency)

    @classmethod
    def of(cls, minor: int, currency: str = BASE_CURRENCY) -> Money:
        return cls(currency, minor)

    @classmethod
    def parse(cls, text: str, currency: str = BASE_CURRENCY, field: str = "amount") -> Money:
        return cls(currency, parse_amount(text, field=field))

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValidationError(f"cannot combine {self.currency} with {other.currency}",
                                  field="currency", hint="convert at the day's rate first")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.currency, self.minor + other.minor)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.currency, self.minor - other.minor)

    def __neg__(self) -> Money:
        return Money(self.currency, -self.minor)

    def __mul__(self, factor: int) -> Money:
        return Money(self.currency, self.minor * _check_int(factor, "factor"))

    __rmul__ = __mul__

    # Ordering only within one currency: 1 EUR < 2 SEK must not quietly compare the codes.
    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor >= other.minor

    def __bool__(self) -> bool:
        return self.minor != 0

    def __str__(self) -> str:
        return f"{format_amount(self.minor)} {self.currency}"


def parse_amount(text: str | int, field: str = "amount", allow_negative: bool = True) -> int:
    """Parse '12,50', '12.50', '1 234,5' or '-3' into minor units (öre); refuse more than 2 decimals."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    elif isinstance(text, str):
        cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if cleaned.count(".") > 1 or not cleaned:
            raise ValidationError(f"{text!r} is not an amount", field=field, hint="write e.g. 149,00")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValidationError(f"{text!r} is not an amount", field=field, hint="write e.g. 149,00") from None
    else:
        raise ValidationError(f"{text!r} is not an amount", field=field, hint="money is never a float")
    if not value.is_finite():
        raise ValidationError(f"{text!r} is not an amount", field=field)
    minor = value * 100
    if minor != minor.to_integral_value():
        raise ValidationError(f"{text!r} has more than two decimals", field=field)
    if minor < 0 and not allow_negative:
        raise ValidationError(f"must not be negative, got {text!r}", field=field)
    return int(minor)


def format_amount(minor: int, decimal_sep: str = ",", thousands_sep: str = "\u00a0") -> str:
    """1234550 → '12 345,50' (Swedish style by default); exact, no float."""
    _check_int(minor, "amount")
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    grouped = f"{whole:,}".replace(",", thousands_sep)
    return f"{sign}{grouped}{decimal_sep}{cents:02d}"


def parse_rate(text: str | int, field: str = "vat_rate") -> int:
    """'25', '25.5', '6 %' → basis points (2500, 2550, 600)."""
    if isinstance(text, (float, bool)):
        raise ValidationError(f"{text!r} is not a VAT rate", field=field,
                              hint="give the rate as text ('25,5') or a whole number; never a float")
    cleaned = str(text).strip().rstrip("%").strip().replace(",", ".")
    try:
        value = Decimal(cleaned) * 100
    except InvalidOperation:
        raise ValidationError(f"{text!r} is not a VAT rate", field=field, hint="write e.g. 25 or 25.5") from None
    if value != value.to_integral_value() or not 0 <= value <= BP:
        raise ValidationError(f"{text!r} is not a VAT rate between 0 and 100 with ≤ 2 decimals", field=field)
    return int(value)


def format_rate(bp: int) -> str:
    """2500 → '25', 2550 → '25,5', 600 → '6'."""
    whole, frac = divmod(bp, 100)
    return f"{whole}" if frac == 0 else f"{whole},{frac:02d}".rstrip("0")


# --- VAT -------------------------------------------------------------------------------------------

def vat_of_gross(gross: int, rate_bp: int) -> int:
    """VAT contained in an amount including VAT, rounded half up: gross × r / (1 + r)."""
    return div_round_half_up(gross * rate_bp, BP + rate_bp)


def vat_of_net(net: int, rate_bp: int) -> int:
    """VAT to add to an amount excluding VAT, rounded half up: net × r."""
    return div_round_half_up(net * rate_bp, BP)


def gross_from_net(net: int, rate_bp: int) -> int:
    return net + vat_of_net(net, rate_bp)


def net_from_gross(gross: int, rate_bp: int) -> int:
    return gross - vat_of_gross(gross, rate_bp)


@dataclass(frozen=True, slots=True)
class VatPart:
    """One VAT rate's share of a document: net + vat == gross exactly."""

    rate_bp: int
    net: int
    vat: int

    @property
    def gross(self) -> int:
        return self.net + self.vat


def vat_summary(lines: Iterable[tuple[int, int]], prices_include_vat: bool = True) -> list[VatPart]:
    """VAT per rate over a document's lines given as (amount, rate_bp).

    VAT is computed once per rate on the rate's total (not per line), so the parts sum exactly to
    the document: Σ gross == Σ amounts when prices include VAT, Σ net == Σ amounts when they exclude it.
    """
    totals: dict[int, int] = {}
    for amount, rate in lines:
        totals[rate] = totals.get(rate, 0) + _check_int(amount, "amount")
    parts = []
    for rate in sorted(totals, reverse=True):
        total = totals[rate]
        if prices_include_vat:
            vat = vat_of_gross(total, rate)
            parts.append(VatPart(rate, total - vat, vat))
        else:
            parts.append(VatPart(rate, total, vat_of_net(total, rate)))
    return parts


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in proportion to integer `weights` so the parts sum exactly to `total`.

    Largest-remainder method: each part gets the floor of its exact share; the remaining units go
    one each to the parts with the largest remainders (ties to the earliest). Used to spread a
    receipt discount over lines, or a rounding residue over rates.
    """
    _check_int(total, "total")
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero total over no weights")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        weights, weight_sum = [1] * len(weights), len(weights)
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    shares = [divmod(magnitude * w, weight_sum) for w in weights]
    parts = [q for q, _ in shares]
    left = magnitude - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-shares[i][1], i))
    for i in order[:left]:
        parts[i] += 1
    return [sign * p for p in parts]


# --- cash ------------------------------------------------------------------------------------------

#: Smallest cash step in minor units per currency (the smallest coin); others are paid exactly.
CASH_STEP: dict[str, int] = {"SEK": 100, "NOK": 100, "DKK": 50}


def cash_round(amount: int, currency: str = BASE_CURRENCY) -> int:
    """Round a cash amount to what can be paid in coins: SEK and NOK to whole kronor, DKK to 50 øre;
    halves round away from zero (50 öre rounds up)."""
    _check_int(amount, "amount")
    step = CASH_STEP.get(check_currency(currency))
    if step:
        return div_round_half_up(amount, step) * step
    return amount


def cash_rounding(amount: int, currency: str = BASE_CURRENCY) -> int:
    """The rounding difference (öre) booked on its own row: cash_round(amount) − amount."""
    return cash_round(amount, currency) - amount


def line_amount(unit_price: int, qty_milli: int) -> int:
    """Amount of a line: unit price × quantity in thousandths, rounded half up to the öre."""
    return div_round_half_up(_check_int(unit_price, "unit_price") * _check_int(qty_milli, "quantity"), 1000)


def percent_of(amount: int, percent_bp: int) -> int:
    """amount × percent (in basis points), rounded half up — e.g. a 10 % discount is percent_of(x, 1000)."""
    return div_round_half_up(amount * percent_bp, BP)
