"""OCR payment references (Bankgirot): the invoice number, a length digit, and a Luhn check digit."""

from __future__ import annotations

from stdnum import luhn

from core.errors import ValidationError

MIN_LEN, MAX_LEN = 2, 25


def make_ocr(number: int, length_digit: bool = True) -> str:
    """OCR for an invoice number: digits [+ (total length mod 10)] + Luhn check digit.

    make_ocr(1001) == '100164': 1001, length digit 6 (six digits in all), check digit 4.
    """
    if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
        raise ValidationError(f"an OCR reference is made from a positive number, not {number!r}",
                              field="number")
    base = str(number)
    if length_digit:
        base += str((len(base) + 2) % 10)
    return base + luhn.calc_check_digit(base)


def check_ocr(text: str, length_digit: bool | None = None, field: str = "ocr") -> str:
    """The digits of a valid OCR reference; refuses a wrong check digit (or length digit when asked)."""
    digits = "".join(ch for ch in str(text or "") if not ch.isspace())
    if not digits.isdigit() or not MIN_LEN <= len(digits) <= MAX_LEN:
        raise ValidationError(f"{text!r} is not an OCR reference", field=field,
                              hint=f"{MIN_LEN}–{MAX_LEN} digits ending in a check digit")
    if not luhn.is_valid(digits):
        raise ValidationError(f"{text!r} has a wrong check digit", field=field,
                              hint="check the reference on the invoice")
    if length_digit and int(digits[-2]) != len(digits) % 10:
        raise ValidationError(f"{text!r} has a wrong length digit", field=field,
                              hint="check the reference on the invoice")
    return digits


def is_valid_ocr(text: str, length_digit: bool | None = None) -> bool:
    try:
        check_ocr(text, length_digit)
    except ValidationError:
        return False
    return True


def number_of(ocr: str) -> int:
    """The invoice number inside an OCR reference made by make_ocr(length_digit=True)."""
    return int(check_ocr(ocr, length_digit=True)[:-2])
