"""Barcode rules: EAN-13, EAN-8, UPC-A (and GTIN-14) with a correct check digit, validated by python-stdnum."""

from __future__ import annotations

from stdnum import ean
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

from core.errors import ValidationError

#: digits of the codes we accept: EAN-8, UPC-A, EAN-13, GTIN-14
LENGTHS = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}


def validate_barcode(code: str, field: str = "barcode") -> str:
    """The code without spaces or dashes; raises ValidationError naming the code when it is not valid."""
    if not isinstance(code, str) or not code.strip():
        raise ValidationError("a barcode is required", field=field)
    try:
        return ean.validate(code)
    except InvalidFormat:
        raise ValidationError(f"{code!r} is not a barcode: only digits are allowed", field=field,
                              hint="EAN-13, EAN-8 or UPC-A") from None
    except InvalidLength:
        raise ValidationError(f"{code!r} has {len(ean.compact(code))} digits; a barcode has 8 (EAN-8), "
                              "12 (UPC-A), 13 (EAN-13) or 14 (GTIN-14)", field=field) from None
    except InvalidChecksum:
        compact = ean.compact(code)
        right = ean.calc_check_digit(compact[:-1])
        raise ValidationError(f"{code!r} has a wrong check digit: the last digit should be {right}",
                              field=field, hint="check for a typing or scanning error") from None


def barcode_kind(code: str) -> str:
    """'EAN-13', 'EAN-8', 'UPC-A' or 'GTIN-14' for a valid code."""
    return LENGTHS[len(validate_barcode(code))]


def lookup_variants(code: str) -> list[str]:
    """Forms one scanned code may be stored under: a UPC-A is also an EAN-13 with a leading 0.

    Scanners differ in whether they report a UPC-A as 12 digits or as 13 with a leading zero.
    """
    code = code.strip()
    if len(code) == 12:
        return [code, "0" + code]
    if len(code) == 13 and code.startswith("0"):
        return [code, code[1:]]
    return [code]


def _with_check(prefix: str, digits: int) -> str:
    if not isinstance(prefix, str) or len(prefix) != digits or not prefix.isascii() or not prefix.isdigit():
        raise ValidationError(f"{prefix!r} must be exactly {digits} digits", field="barcode")
    return prefix + ean.calc_check_digit(prefix)


def ean13_with_check(prefix12: str) -> str:
    """A valid EAN-13 from its first 12 digits (the check digit appended)."""
    return _with_check(prefix12, 12)


def ean8_with_check(prefix7: str) -> str:
    """A valid EAN-8 from its first 7 digits (the check digit appended)."""
    return _with_check(prefix7, 7)
