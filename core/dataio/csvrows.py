"""Reading CSV files for import: header check, line numbers, and field parsers that name the field.

Every parser raises `ValidationError(field=…)`; `RowCollector` turns those into the
(line, field, reason) triples that `RowErrors` reports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import RowErrors, UserError, ValidationError

TRUE = {"1", "true", "ja", "yes", "j", "y", "x"}
FALSE = {"0", "false", "nej", "no", "n", ""}


@dataclass
class Row:
    line: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()


def open_text(path: str | Path) -> io.TextIOBase:
    """Open a CSV for reading as UTF-8 (a BOM is dropped)."""
    return open(path, newline="", encoding="utf-8-sig")


def read_rows(path: str | Path, required: set[str], known: set[str]) -> tuple[list[Row], int]:
    """All data rows with their file line numbers; refuses a missing or unknown header column."""
    with open_text(path) as fh:
        return parse_rows(fh, required, known)


def rows_from_text(content: str, required: set[str], known: set[str]) -> tuple[list[Row], int]:
    """`read_rows` for a CSV file's text (sent by a workstation); a leading BOM is dropped."""
    return parse_rows(io.StringIO(content.removeprefix("\ufeff"), newline=""), required, known)


def parse_rows(fh: io.TextIOBase, required: set[str], known: set[str]) -> tuple[list[Row], int]:
    """The data rows of an open CSV text stream (',' or ';' separated, whichever the header uses)."""
    sample = fh.read(4096)
    fh.seek(0)
    delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(fh, delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = required - set(header)
    if missing:
        raise ValidationError(f"the header lacks {', '.join(sorted(missing))}", field="header",
                              hint="the first line must name the columns: " + ",".join(sorted(required)))
    unknown = set(header) - known
    if unknown:
        raise ValidationError(f"unknown column(s) {', '.join(sorted(unknown))}", field="header",
                              hint="known columns: " + ",".join(sorted(known)))
    reader.fieldnames = header
    rows = []
    for values in reader:
        if None in values:
            raise RowErrors([(reader.line_num, "row", "more fields than the header has columns")])
        if not any((v or "").strip() for v in values.values()):
            continue
        rows.append(Row(reader.line_num, values))
    return rows, len(rows)


class RowCollector:
    """Collects (line, field, reason) for bad rows while the good ones are kept."""

    def __init__(self):
        self.errors: list[tuple[int, str, str]] = []

    def fail(self, line: int, error: UserError | str, field: str = "row") -> None:
        if isinstance(error, UserError):
            reason = error.message + (f" ({error.hint})" if error.hint else "")
            self.errors.append((line, error.field or field, reason))
        else:
            self.errors.append((line, field, error))

    def raise_if_any(self) -> None:
        if self.errors:
            raise RowErrors(sorted(self.errors))


def parse_bool(text: str, field: str) -> bool:
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValidationError(f"{text!r} is not yes/no", field=field, hint="write 1 or 0")


def parse_int(text: str, field: str, minimum: int | None = 0) -> int | None:
    value = text.strip().replace(" ", "")
    if not value:
        return None
    if not value.lstrip("-").isdigit():
        raise ValidationError(f"{text!r} is not a whole number", field=field)
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValidationError(f"must be at least {minimum}, got {number}", field=field)
    return number


def write_csv(path: str | Path, header: list[str], rows: Iterator[list]) -> int:
    """Write UTF-8 CSV (comma-separated, with a BOM so spreadsheet programs keep å ä ö); returns rows."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
