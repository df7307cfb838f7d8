"""Import VAT rates from CSV (`country,vat_class,rate,valid_from,valid_to`): all rows or none."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import RowErrors, UserError, ValidationError
from core.money import format_rate, parse_rate
from core.vat.models import VatClass, VatRate
from core.vat.rates import check_country
from core.vat.seed import overlapping

HEADER = ("country", "vat_class", "rate", "valid_from", "valid_to")


def _read_text(path_or_text: str | os.PathLike) -> str:
    """A path (str or Path) is read as UTF-8 (BOM allowed); a string containing a newline is the CSV itself."""
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return path_or_text
    path = Path(path_or_text)
    if not path.is_file():
        raise UserError(f"no such file: {path}", field="file")
    return path.read_text(encoding="utf-8-sig")


def _date(text: str, field: str, required: bool) -> dt.date | None:
    text = text.strip()
    if not text:
        if required:
            raise ValidationError("is required", field=field)
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a date", field=field, hint="write YYYY-MM-DD") from None


def _overlaps(a_from, a_to, b_from, b_to) -> bool:
    return (a_to is None or a_to >= b_from) and (b_to is None or b_to >= a_from)


def import_rates_csv(session: Session, path_or_text: str | os.PathLike) -> int:
    """Add the file's rates; returns how many were added. Rows already stored exactly are skipped,
    so importing the same file again changes nothing. Every bad row (with line number, field and
    reason) is reported at once in `RowErrors` and nothing is added. Comma or semicolon separated;
    a rate with a decimal comma must be quoted in a comma-separated file. The caller commits."""
    text = _read_text(path_or_text)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != HEADER:
        raise RowErrors([(1, "header", f"expected {','.join(HEADER)}, got {','.join(header or [])!r}")])
    classes = set(session.scalars(select(VatClass.code)))
    errors: list[tuple[int, str, str]] = []
    accepted: list[tuple[int, VatRate]] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            errors.append((line, "row", f"expected {len(HEADER)} fields, got {len(row)}"))
            continue
        row_errors: list[tuple[int, str, str]] = []
        values: dict = {}
        for name, parse in (
                ("country", lambda s: check_country(s)),
                ("vat_class", lambda s: _vat_class(s, classes)),
                ("rate", lambda s: parse_rate(s, field="rate")),
                ("valid_from", lambda s: _date(s, "valid_from", True)),
                ("valid_to", lambda s: _date(s, "valid_to", False))):
            try:
                values[name] = parse(row[HEADER.index(name)])
            except ValidationError as exc:
                row_errors.append((line, name, _reason(exc)))
        if not row_errors and values["valid_to"] and values["valid_to"] < values["valid_from"]:
            row_errors.append((line, "valid_to", "is before valid_from"))
        if row_errors:
            errors.extend(row_errors)
            continue
        rate = VatRate(country=values["country"], vat_class=values["vat_class"], rate_bp=values["rate"],
                       valid_from=values["valid_from"], valid_to=values["valid_to"])
        problem = _clash(session, rate, accepted)
        if problem == "same":
            continue
        if problem:
            errors.append((line, "valid_from", problem))
            continue
        accepted.append((line, rate))
    if errors:
        raise RowErrors(errors)
    session.add_all(rate for _, rate in accepted)
    session.flush()
    return len(accepted)


def _vat_class(text: str, classes: set[str]) -> str:
    code = text.strip()
    if code not in classes:
        raise ValidationError(f"unknown VAT class {code!r}", field="vat_class",
                              hint="use one of " + ", ".join(sorted(classes)))
    return code


def _reason(exc: ValidationError) -> str:
    return exc.message + (f" ({exc.hint})" if exc.hint else "")


def _clash(session: Session, rate: VatRate, accepted: list[tuple[int, VatRate]]) -> str | None:
    """'same' when the rate is already stored exactly; a reason when its validity overlaps another
    rate of the same country and class (stored or earlier in the file); else None."""
    for line, other in accepted:
        if (other.country, other.vat_class) == (rate.country, rate.vat_class) and _overlaps(
                other.valid_from, other.valid_to, rate.valid_from, rate.valid_to):
            return f"overlaps line {line} for {rate.country} {rate.vat_class}"
    stored = session.scalars(select(VatRate).where(
        VatRate.country == rate.country, VatRate.vat_class == rate.vat_class,
        VatRate.valid_from == rate.valid_from)).first()
    if stored is not None and (stored.rate_bp, stored.valid_to) == (rate.rate_bp, rate.valid_to):
        return "same"
    clash = overlapping(session, rate.country, rate.vat_class, rate.valid_from, rate.valid_to)
    if clash is not None:
        until = clash.valid_to.isoformat() if clash.valid_to else "further notice"
        return (f"overlaps the stored rate {format_rate(clash.rate_bp)} % for {rate.country} "
                f"{rate.vat_class} valid {clash.valid_from.isoformat()} to {until}")
    return None
