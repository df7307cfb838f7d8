"""Validate and normalise customer identifiers: personal and organisation numbers, VAT numbers, e-mail, phone.

Each function returns the canonical form or raises `ValidationError` naming the field and the
expected format. Canonical forms:
- personal number: YYMMDD-NNNC, with `+` instead of `-` from the year the person turns 100;
  coordination numbers (day + 60) are kept as they are. 12-digit input (YYYYMMDDNNNC) is accepted.
- organisation number: NNNNNN-NNNC (a leading `16` century prefix is dropped).
- VAT number: country prefix + the number in its compact form (`SE556036079301`).
- e-mail: lower-case. Phone: E.164-like `+46701234567` (a leading 0 takes the default country code).
"""

from __future__ import annotations

import datetime as dt
import re

from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr, personnummer
from stdnum.util import get_cc_module

from core.errors import ValidationError

PERSONAL_FORMAT = "YYMMDD-NNNC, YYYYMMDDNNNC, or YYMMDD+NNNC from age 100"
ORG_FORMAT = "NNNNNN-NNNC, where digits 3–4 are 20 or more"
COORDINATION_DAY_OFFSET = 60


def _digits_and_sign(text: str, field: str) -> tuple[str, str | None]:
    """The digits of an identity number and its separator ('-', '+' or None when absent)."""
    cleaned = re.sub(r"[\s:]", "", text)
    sign = None
    if len(cleaned) in (11, 13) and cleaned[-5] in "-+":
        sign = cleaned[-5]
        cleaned = cleaned[:-5] + cleaned[-4:]
    if not cleaned.isdigit() or len(cleaned) not in (10, 12):
        raise ValidationError(f"{text!r} is not a personal number", field=field,
                              hint=f"write {PERSONAL_FORMAT}")
    return cleaned, sign


def _birth_date(year: int, month: int, day: int, text: str, field: str) -> dt.date:
    if day > COORDINATION_DAY_OFFSET:  # samordningsnummer: the day plus 60
        day -= COORDINATION_DAY_OFFSET
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(f"{text!r} does not start with a valid date", field=field,
                              hint=f"write {PERSONAL_FORMAT}; a coordination number adds 60 to the day") from None


def personal_number(text: str, field: str = "personal_number", today: dt.date | None = None) -> str:
    """Validate a Swedish personal or coordination number and return YYMMDD-NNNC (or YYMMDD+NNNC)."""
    today = today or dt.date.today()
    digits, sign = _digits_and_sign(str(text).strip(), field)
    month, day = int(digits[-8:-6]), int(digits[-6:-4])
    if len(digits) == 12:
        if sign == "+":
            raise ValidationError(f"{text!r}: '+' is only used with a 2-digit year", field=field,
                                  hint=f"write {PERSONAL_FORMAT}")
        born = _birth_date(int(digits[:4]), month, day, text, field)
        sign = "+" if today.year - born.year >= 100 else "-"
    else:
        yy = int(digits[:2])
        century = today.year // 100 - (1 if yy > today.year % 100 else 0) - (1 if sign == "+" else 0)
        born = _birth_date(century * 100 + yy, month, day, text, field)
        sign = sign or "-"
    if born > today:
        raise ValidationError(f"{text!r} has a birth date in the future", field=field,
                              hint=f"write {PERSONAL_FORMAT}")
    ten = digits[-10:]
    if not luhn.is_valid(ten):
        raise ValidationError(f"{text!r} has a wrong check digit", field=field,
                              hint="the last digit is a Luhn check over the first nine; check for a typo")
    canonical = f"{ten[:6]}{sign}{ten[6:]}"
    if day <= COORDINATION_DAY_OFFSET:  # ordinary numbers: stdnum must agree with us
        try:
            personnummer.validate(canonical)
        except StdnumError as exc:
            raise ValidationError(f"{text!r} is not a valid personal number ({exc.message})", field=field,
                                  hint=f"write {PERSONAL_FORMAT}") from None
    return canonical


def org_number(text: str, field: str = "org_number") -> str:
    """Validate a Swedish organisation number and return NNNNNN-NNNC."""
    compact = orgnr.compact(str(text))
    if len(compact) == 12 and compact.startswith("16"):  # 12-digit form with century prefix 16
        compact = compact[2:]
    if not compact.isdigit() or len(compact) != 10:
        raise ValidationError(f"{text!r} is not an organisation number", field=field,
                              hint=f"write {ORG_FORMAT}")
    if int(compact[2:4]) < 20:
        raise ValidationError(f"{text!r} is not an organisation number: digits 3–4 must be 20 or more",
                              field=field, hint="a personal number goes in personal_number")
    try:
        orgnr.validate(compact)
    except StdnumError:
        raise ValidationError(f"{text!r} has a wrong check digit", field=field,
                              hint="the last digit is a Luhn check over the first nine; check for a typo") from None
    return orgnr.format(compact)


def swedish_vat_number(text: str, field: str = "vat_number") -> str:
    """Validate a Swedish VAT registration number: SE + 10 digits + 01, returned compact (SE…01)."""
    compact = re.sub(r"[\s.\-]", "", str(text)).upper()
    if not re.fullmatch(r"SE\d{10}01", compact):
        raise ValidationError(f"{text!r} is not a Swedish VAT number", field=field,
                              hint="write SE + the 10-digit organisation number + 01, e.g. SE556036079301")
    if not luhn.is_valid(compact[2:12]):
        raise ValidationError(f"{text!r} has a wrong check digit", field=field,
                              hint="the 10 digits after SE are the organisation number; check for a typo")
    return compact


def vat_number(text: str, country: str, field: str = "vat_number") -> str:
    """Validate a VAT number for `country` (ISO-2) with python-stdnum; returns it with its country prefix."""
    country = country_code(country, field="vat_country")
    if country == "SE":
        return swedish_vat_number(text, field)
    compact = re.sub(r"[\s.\-/]", "", str(text)).upper()
    if compact.startswith(country):
        compact = compact[2:]
    if not compact:
        raise ValidationError("is empty", field=field, hint=f"write the {country} VAT number")
    try:
        module = get_cc_module(country.lower(), "vat")
    except (ImportError, AttributeError):
        module = None
    if module is not None:
        try:
            compact = module.compact(compact)
            module.validate(compact)
        except StdnumError as exc:
            raise ValidationError(f"{text!r} is not a valid {country} VAT number ({exc.message})",
                                  field=field, hint="check the number with the customer") from None
    if not compact.startswith(country):
        compact = country + compact
    return compact


def country_code(text: str, field: str = "country") -> str:
    """An ISO 3166 alpha-2 country code, upper-case."""
    code = str(text or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValidationError(f"{text!r} is not a country code", field=field,
                              hint="write the two-letter ISO code, e.g. SE, DK, DE")
    return code


_EMAIL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    r"@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def email(text: str, field: str = "email") -> str:
    """Check the e-mail syntax (name@domain.tld, no spaces) and return it lower-case."""
    value = str(text).strip().lower()
    if len(value) > 254 or not _EMAIL.fullmatch(value) or len(value.split("@")[0]) > 64:
        raise ValidationError(f"{text!r} is not an e-mail address", field=field,
                              hint="write name@example.se")
    return value


def phone(text: str, field: str = "phone", default_calling_code: str = "46") -> str:
    """Normalise a phone number to +<country code><number>; a leading 0 means the default country."""
    raw = str(text).strip()
    cleaned = re.sub(r"[\s\-().\u00a0/]", "", raw)
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    elif cleaned.startswith("0"):
        cleaned = f"+{default_calling_code}{cleaned[1:]}"
    if not re.fullmatch(r"\+[1-9]\d{6,14}", cleaned):
        raise ValidationError(f"{raw!r} is not a phone number", field=field,
                              hint="write 070-123 45 67 or +46 70 123 45 67")
    return cleaned
