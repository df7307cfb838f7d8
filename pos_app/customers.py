"""Customers at the till: search, scan a customer number, quick-create (offline too, via the outbox)."""

from __future__ import annotations

import datetime as dt

from core.customers.models import Customer
from core.customers.service import CustomerHit, CustomerIn, create_customer, find_customers
from core.db.engine import Store
from core.sync.outbox import enqueue


def find(store: Store, text: str, limit: int = 20) -> list[CustomerHit]:
    with store.read() as s:
        return find_customers(s, text, limit)


def by_number(store: Store, code: str) -> CustomerHit | None:
    """The customer whose customer number is exactly `code` (a scanned customer card)."""
    for hit in find(store, code, limit=5):
        if hit.number == code.strip():
            return hit
    return None


def name_of(store: Store, customer_id: str | None) -> str | None:
    if not customer_id:
        return None
    with store.read() as s:
        c = s.get(Customer, customer_id)
        return c.name if c else None


def _body(customer: Customer) -> dict:
    out = {}
    for col in Customer.__table__.columns:
        value = getattr(customer, col.key)
        out[col.name] = value.isoformat() if isinstance(value, (dt.datetime, dt.date)) else value
    return out


def quick_create(store: Store, name: str, phone: str | None = None,
                 email: str | None = None) -> CustomerHit:
    """Create a private customer locally; the server learns of it through a `customer_created` event."""
    with store.write() as s:
        c = create_customer(s, CustomerIn(name=name, phone=phone or None, email=email or None))
        enqueue(s, "customer_created", _body(c), event_id=c.id)
        s.commit()
        return CustomerHit(c.id, c.number, c.kind, c.name, c.email, c.phone, c.org_number,
                           c.personal_number)
