"""Export customers that have an e-mail address to a CSV file a webshop can import.

Format: comma-separated, UTF-8 without a byte-order mark, one header row, `\\r\\n` line ends and
double-quote quoting (Python's csv "excel" dialect). Comma and plain UTF-8 are what webshop
importers (Starweb, WooCommerce, Shopify) read without settings; the BOM is left out because some
importers take it as part of the first column's name (pass `bom=True` for Excel).

Columns (`COLUMNS`): customer number, kind (private/company), e-mail, first and last name (a private
customer's name split at its last space), company name and contact (company customers), phone,
organisation and personal number, VAT number, then the first invoice and the first delivery
address. Merged customers are left out; rows are ordered by customer number, then name.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import select

from core.customers.models import Customer, CustomerAddress
from core.progress import Progress, null_progress

ADDRESS_PARTS = ("name", "address1", "address2", "postal_code", "city", "country")
COLUMNS = (["customer_number", "kind", "email", "first_name", "last_name", "company_name",
            "contact_name", "phone", "org_number", "personal_number", "vat_number"]
           + [f"invoice_{p}" for p in ADDRESS_PARTS] + [f"delivery_{p}" for p in ADDRESS_PARTS])
BATCH = 1000


def split_name(name: str) -> tuple[str, str]:
    """'Anna Maria Svensson' → ('Anna Maria', 'Svensson'); a single word is the first name."""
    first, _, last = name.strip().rpartition(" ")
    return (first.strip(), last) if first else (last, "")


@contextlib.contextmanager
def _open(path_or_file: str | Path | IO[str], bom: bool) -> Iterator[IO[str]]:
    if isinstance(path_or_file, (str, Path)):
        with open(path_or_file, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
            yield f
    else:
        if bom:
            path_or_file.write("\ufeff")
        yield path_or_file


def _addresses(conn, customer_ids: list[str]) -> dict[tuple[str, str], dict]:
    """The first invoice and delivery address of each customer, keyed (customer_id, kind)."""
    a = CustomerAddress.__table__.c
    stmt = (select(a.customer_id, a.kind, *[a[p] for p in ADDRESS_PARTS])
            .where(a.customer_id.in_(customer_ids)).order_by(a.customer_id, a.kind, a.id))
    first: dict[tuple[str, str], dict] = {}
    for row in conn.execute(stmt).mappings():
        first.setdefault((row["customer_id"], row["kind"]), dict(row))
    return first


def _row(c, addresses: dict) -> list[str]:
    if c.kind == "company":
        first, last, company = "", "", c.name
    else:
        (first, last), company = split_name(c.name), ""
    row = [c.number, c.kind, c.email, first, last, company, c.contact_name, c.phone, c.org_number,
           c.personal_number, c.vat_number]
    for kind in ("invoice", "delivery"):
        address = addresses.get((c.id, kind), {})
        row += [address.get(p) for p in ADDRESS_PARTS]
    return ["" if value is None else value for value in row]


def export_customers_csv(conn, path_or_file: str | Path | IO[str], progress: Progress | None = None,
                         *, bom: bool = False) -> int:
    """Write customers with an e-mail to `path_or_file` (see module docstring); returns the row count.

    `conn` is a Session or Connection; a file object must be opened in text mode with newline=''.
    """
    progress = progress or null_progress
    c = Customer.__table__.c
    where = (c.email.is_not(None), c.email != "", c.merged_into.is_(None))
    stmt = (select(c.id, c.number, c.kind, c.name, c.email, c.contact_name, c.phone, c.org_number,
                   c.personal_number, c.vat_number)
            .where(*where).order_by(c.number.is_(None), c.number, c.name_key, c.id))
    customers = list(conn.execute(stmt))
    total = len(customers)
    done = 0
    progress(0, total)
    with _open(path_or_file, bom) as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for start in range(0, len(customers), BATCH):
            batch = customers[start:start + BATCH]
            addresses = _addresses(conn, [row.id for row in batch])
            writer.writerows(_row(row, addresses) for row in batch)
            done += len(batch)
            progress(done, total)
    return done


def export_customers_text(conn, *, bom: bool = False) -> str:
    """The CSV as a string (for tests and HTTP downloads)."""
    buffer = io.StringIO(newline="")
    export_customers_csv(conn, buffer, bom=bom)
    return buffer.getvalue()
