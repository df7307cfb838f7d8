"""Customers for the back office: the list (search or name order, a page at a time), a customer's
orders, invoices and till receipts, likely duplicates by the matching rules, and the form as the
arguments of the customers commands (core/commands/customers.py does the saving).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import text
from sqlalchemy.orm import Session

from backoffice.models.paged import PagedModel, tr
from core.customers.service import (
    AddressIn,
    CustomerIn,
    as_input,
    find_customers,
    get_customer,
)
from core.money import format_amount, parse_amount
from core.orders.queries import OrderFilter, list_orders

SEARCH_LIMIT = 500


@dataclass(frozen=True)
class CustomerRow:
    id: str
    number: str | None
    kind: str
    name: str
    email: str | None
    phone: str | None
    org_number: str | None
    personal_number: str | None
    name_key: str = ""


def fetch_customers(conn, search: str, after: tuple | None, limit: int) -> list[CustomerRow]:
    """A page of customers not merged away: search hits (one page), else by name (keyset)."""
    if search.strip():
        if after is not None:
            return []
        return [CustomerRow(*h) for h in find_customers(conn, search, limit=min(limit, SEARCH_LIMIT))]
    cond, params = "", {"n": limit}
    if after is not None:
        cond = "AND (name_key, id) > (:k, :i)"
        params.update(k=after[0], i=after[1])
    rows = conn.execute(text(
        "SELECT id, number, kind, name, email, phone, org_number, personal_number, name_key FROM customer "
        f"WHERE merged_into IS NULL {cond} ORDER BY name_key, id LIMIT :n"), params)
    return [CustomerRow(*r) for r in rows]


class CustomersModel(PagedModel):
    COLUMNS = (("number", "Customer no."), ("name", "Name"), ("kind", "Kind"), ("email", "E-mail"),
               ("phone", "Phone"), ("id_number", "Org./personal no."))
    KIND_NAMES: ClassVar[dict[str, str]] = {"private": "private", "company": "company"}

    def __init__(self, runner, page_size: int = 200, parent=None):
        super().__init__(runner, page_size, parent)
        self.search = ""

    def set_search(self, search: str) -> None:
        self.search = search
        self.reload()

    def fetch(self, session, after, limit):
        return fetch_customers(session, self.search, after, limit)

    def key_of(self, row: CustomerRow):
        return (row.name_key or row.name.casefold(), row.id)

    def display(self, row: CustomerRow, key: str):
        if key == "kind":
            return tr("CustomersModel", self.KIND_NAMES.get(row.kind, row.kind))
        if key == "id_number":
            return row.org_number or row.personal_number or ""
        value = getattr(row, key)
        return "" if value is None else value


def _day(value):
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def customer_orders(conn, customer_id: str, limit: int = 200) -> list[tuple]:
    """(number, date, channel order no., status, total text) of the customer's newest orders."""
    rows = list_orders(conn, OrderFilter(customer_id=customer_id), limit=limit)
    return [(r.number, _day(r.order_date), r.channel_order_no or "", r.status,
             f"{format_amount(r.total_gross)} {r.currency}") for r in rows]


def customer_invoices(conn, customer_id: str, limit: int = 200) -> list[tuple]:
    """(number, kind, date, due, total, left to pay) of the customer's invoices and credit notes."""
    rows = conn.execute(text(
        "SELECT i.number, i.kind, i.invoice_date, i.due_date, i.total_gross, i.currency, "
        "i.total_gross + coalesce((SELECT sum(c.total_gross) FROM invoice c WHERE c.credited_invoice_id = i.id), 0)"
        " - i.paid_amount FROM invoice i WHERE i.customer_id = :c ORDER BY i.number DESC LIMIT :n"),
        {"c": customer_id, "n": limit})
    return [(r[0], r[1], _day(r[2]), _day(r[3]), f"{format_amount(r[4])} {r[5]}",
             format_amount(r[6]) if r[1] == "invoice" else "") for r in rows]


def receipt_rows(receipts: list[dict]) -> list[tuple]:
    """(register, number, when, kind, total) from the `customers.receipts` answer (the server's receipts)."""
    return [(r["register"], r["number"], (r["created_at"] or "")[:16].replace("T", " "), r["kind"],
             format_amount(r["total"])) for r in receipts]


@dataclass(frozen=True)
class Duplicate:
    id: str
    number: str | None
    name: str
    email: str | None
    #: what they share: 'email', 'org_number', 'personal_number', 'phone', 'name'
    reason: str


def duplicates_of(conn, customer_id: str) -> list[Duplicate]:
    """Other customers (not merged) that share the e-mail, organisation or personal number — the
    matching rules' keys — or the phone number or exact name: candidates to merge."""
    me = conn.execute(text("SELECT email, org_number, personal_number, phone, name_key FROM customer "
                           "WHERE id = :i"), {"i": customer_id}).first()
    if me is None:
        return []
    found: dict[str, Duplicate] = {}
    for column, value in zip(("email", "org_number", "personal_number", "phone", "name_key"), me):
        if not value:
            continue
        for r in conn.execute(text(
                f"SELECT id, number, name, email FROM customer WHERE {column} = :v AND id != :i "
                "AND merged_into IS NULL ORDER BY created_at, id LIMIT 50"), {"v": value, "i": customer_id}):
            found.setdefault(r[0], Duplicate(r[0], r[1], r[2], r[3], "name" if column == "name_key" else column))
    return list(found.values())


def load_form(session: Session, customer_id: str) -> CustomerIn:
    return as_input(session, get_customer(session, customer_id))


def form_args(data: CustomerIn) -> dict:
    """The form as the arguments of `customers.create`/`customers.update` (credit limit text → öre)."""
    args = dataclasses.asdict(data)
    limit = args.get("credit_limit")
    if isinstance(limit, str):
        args["credit_limit"] = parse_amount(limit, field="credit_limit", allow_negative=False) \
            if limit.strip() else None
    return args


def address(kind: str, address1: str, postal_code: str, city: str, country: str = "SE",
            name: str = "") -> AddressIn | None:
    """An address from the form; None when every part is empty (no address of that kind)."""
    if not any(p.strip() for p in (address1, postal_code, city, name)):
        return None
    return AddressIn(kind=kind, address1=address1, postal_code=postal_code, city=city,
                     country=(country or "SE").strip().upper(), name=name.strip() or None)
