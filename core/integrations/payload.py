"""Read vendor JSON defensively: typed field access and exact money conversion, refusals name the field.

Vendors' answers are untrusted input. `Reader(vendor)` pulls typed values out of parsed JSON and
raises `VendorPayloadError` naming the exact path (`data[3].items[0].unitPrice`) when a field is
missing or of the wrong type, so one malformed order is reported instead of crashing the node.

Money: `major_to_minor` turns a JSON number in major units (Starweb: 199.2) into öre (19920)
through `Decimal(str(x))` — never float arithmetic. `percent_to_bp` turns 25 / 12.5 into 2500 / 1250.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from core.integrations.http import VendorPayloadError

_MAX_MINOR = 10**15  # 10 000 billion kronor: anything above is a hostile or broken payload


def to_decimal(value: Any) -> Decimal:
    """A JSON number (int, Decimal, float) or numeric string as an exact Decimal; ValueError otherwise."""
    if isinstance(value, bool) or value is None:
        raise ValueError("not a number")
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))  # the shortest repr: 199.2 → Decimal('199.2')
    elif isinstance(value, str) and value.strip():
        try:
            number = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError("not a number") from exc
    else:
        raise ValueError("not a number")
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def major_to_minor(value: Any, *, exact: bool = True) -> int:
    """Major units → minor units (öre). `exact`: refuse sub-öre digits; else round half up (named)."""
    hundredths = to_decimal(value) * 100
    whole = hundredths.to_integral_value(rounding=ROUND_HALF_UP)
    if exact and whole != hundredths:
        raise ValueError(f"{value} has more than two decimals")
    if abs(whole) > _MAX_MINOR:
        raise ValueError(f"{value} is out of range")
    return int(whole)


def minor_to_major(minor: int) -> Decimal:
    """Öre → an exact Decimal in major units with two decimals (19920 → Decimal('199.20'))."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError("amounts are integer minor units")
    return (Decimal(minor) / 100).quantize(Decimal("0.01"))


def percent_to_bp(value: Any) -> int:
    """A VAT rate in percent (25, 12.5, '6.0') → basis points; refuse finer than 0.01 %."""
    scaled = to_decimal(value) * 100
    if scaled != scaled.to_integral_value() or not 0 <= scaled <= 10000:
        raise ValueError(f"{value} is not a VAT rate in percent")
    return int(scaled)


_MISSING = object()


class Reader:
    """Typed access into one vendor's parsed JSON; every refusal names the vendor and the path."""

    def __init__(self, vendor: str):
        self.vendor = vendor

    def fail(self, where: str, problem: str) -> VendorPayloadError:
        return VendorPayloadError(self.vendor, f"malformed answer: {where} {problem}",
                                  field=None, hint="the record was skipped and logged; "
                                  "check it in the vendor's admin")

    def obj(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"should be an object, got {_kind(value)}")
        return value

    def list(self, value: Any, where: str, *, max_items: int | None = None) -> list:
        if not isinstance(value, list):
            raise self.fail(where, f"should be a list, got {_kind(value)}")
        if max_items is not None and len(value) > max_items:
            raise self.fail(where, f"has {len(value)} entries, more than the {max_items} allowed")
        return value

    def _get(self, data: dict, key: str, where: str, required: bool) -> Any:
        value = data.get(key, _MISSING) if isinstance(data, dict) else _MISSING
        if value is _MISSING or value is None:
            if required:
                raise self.fail(f"{where}.{key}", "is missing")
            return None
        return value

    def str(self, data: dict, key: str, where: str, *, required: bool = True,
            max_len: int = 4000) -> str | None:
        value = self._get(data, key, where, required)
        if value is None:
            return None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            value = str(value)  # ids sometimes come as numbers
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", f"should be text, got {_kind(value)}")
        if len(value) > max_len:
            raise self.fail(f"{where}.{key}", f"is longer than {max_len} characters")
        return value

    def int(self, data: dict, key: str, where: str, *, required: bool = True,
            minimum: int | None = None) -> int | None:
        value = self._get(data, key, where, required)
        if value is None:
            return None
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"{where}.{key}", f"should be a whole number, got {_kind(value)}")
        if minimum is not None and value < minimum:
            raise self.fail(f"{where}.{key}", f"should be at least {minimum}, got {value}")
        if abs(value) > _MAX_MINOR:
            raise self.fail(f"{where}.{key}", "is out of range")
        return value

    def bool(self, data: dict, key: str, where: str, *, required: bool = False) -> bool | None:
        value = self._get(data, key, where, required)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", f"should be true/false, got {_kind(value)}")
        return value

    def minor(self, data: dict, key: str, where: str, *, required: bool = True,
              exact: bool = True) -> int | None:
        """A major-unit amount (JSON number) converted to minor units exactly."""
        value = self._get(data, key, where, required)
        if value is None:
            return None
        try:
            return major_to_minor(value, exact=exact)
        except ValueError as exc:
            raise self.fail(f"{where}.{key}", f"is not an amount ({exc})") from None

    def rate_bp(self, data: dict, key: str, where: str, *, required: bool = True) -> int | None:
        value = self._get(data, key, where, required)
        if value is None:
            return None
        try:
            return percent_to_bp(value)
        except ValueError as exc:
            raise self.fail(f"{where}.{key}", str(exc)) from None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, Decimal, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return type(value).__name__ if not isinstance(value, (dict, list)) else (
        "an object" if isinstance(value, dict) else "a list")
