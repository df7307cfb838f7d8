"""The control-unit port (kontrollenhet): each receipt is signed and the returned control code printed.

`ControlData` carries the 2009-era field list: date-time YYYYMMDDhhmm, organisation number
(10 digits), register id (≤ 16 characters), receipt number (≤ 12 digits), type
normal|kopia|ovning|profo, return amount, sales amount, and up to four "rate;VAT" pairs, amounts
with two decimals. A certified hardware unit implements the same port; `SoftwareControlUnit`
(HMAC-SHA256 with a per-register key) serves demo and training. A unit that does not answer
raises `Unavailable`, and then the sale cannot complete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Protocol

from core.errors import Unavailable, ValidationError

TYPES = ("normal", "kopia", "ovning", "profo")


def _amount(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{whole}.{cents:02d}"


@dataclass(frozen=True)
class ControlData:
    """What is sent to the control unit for one receipt."""

    at: dt.datetime
    org_number: str
    register_id: str
    receipt_number: int
    type: str
    return_amount: int
    sales_amount: int
    #: (rate_bp, vat öre) per rate, at most four
    vat: tuple[tuple[int, int], ...] = ()

    def __post_init__(self):
        digits = "".join(ch for ch in self.org_number if ch.isdigit())
        if len(digits) != 10:
            raise ValidationError("the organisation number must have 10 digits", field="org_number")
        if not 0 < len(self.register_id) <= 16:
            raise ValidationError("the register id must be 1–16 characters", field="register_id")
        if not 0 <= self.receipt_number < 10**12:
            raise ValidationError("the receipt number must have at most 12 digits", field="number")
        if self.type not in TYPES:
            raise ValidationError(f"unknown receipt type {self.type!r}", field="type")
        if len(self.vat) > 4:
            raise ValidationError("a control unit takes at most four VAT rates", field="vat")

    def serialize(self) -> str:
        """The fields in order, ';'-separated: the exact text that is signed."""
        digits = "".join(ch for ch in self.org_number if ch.isdigit())
        fields = [self.at.strftime("%Y%m%d%H%M"), digits, self.register_id, str(self.receipt_number),
                  self.type, _amount(self.return_amount), _amount(self.sales_amount)]
        for rate_bp, vat in self.vat:
            fields += [_amount(rate_bp), _amount(vat)]
        return ";".join(fields)


class ControlUnit(Protocol):
    """Signs receipt data; raises `Unavailable` when it does not answer."""

    serial: str

    def sign(self, data: ControlData) -> str: ...


class SoftwareControlUnit:
    """A software control system for demo and training: HMAC-SHA256 with a per-register key."""

    def __init__(self, key: bytes, serial: str):
        if len(key) < 16:
            raise ValidationError("the control key must be at least 16 bytes", field="key")
        self._key = key
        self.serial = serial

    @classmethod
    def for_register(cls, register_code: str, secret: bytes) -> SoftwareControlUnit:
        """Derive the register's own key from an installation secret."""
        key = hmac.new(secret, b"butik-control-unit:" + register_code.encode(), hashlib.sha256).digest()
        serial = "BUTIK-SW-" + hashlib.sha256(key).hexdigest()[:10].upper()
        return cls(key, serial)

    def sign(self, data: ControlData) -> str:
        digest = hmac.new(self._key, data.serialize().encode(), hashlib.sha256).hexdigest().upper()
        return "-".join(digest[i:i + 8] for i in range(0, 32, 8))

    def check(self, data: ControlData, code: str) -> bool:
        return hmac.compare_digest(self.sign(data), code)


class MissingControlUnit:
    """Stands in when no unit is configured or connected: every sale is refused, clearly."""

    serial = "—"

    def __init__(self, reason: str = "no control unit is connected"):
        self.reason = reason

    def sign(self, data: ControlData) -> str:
        raise Unavailable(f"control unit: {self.reason}; the sale cannot be completed "
                          "(check the unit's cable and settings)")
