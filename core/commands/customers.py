"""Back-office commands: customers — create, update (only the fields sent), merge a duplicate; their till receipts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.commands import as_int, command
from core.customers.models import Customer
from core.customers.service import (
    FIELDS,
    AddressIn,
    CustomerIn,
    create_customer,
    merge_customers,
    update_customer,
)
from core.errors import NotFound, ValidationError
from core.sync.received import SalesReceipt

AREA = "customers"
#: fields that hold whole numbers (credit limit in öre, a price list id); the rest are text
NUMBERS = ("credit_limit", "price_list_id")
ADDRESS_KEYS = ("kind", "address1", "address2", "postal_code", "city", "country", "name")
_UNSET: Any = object()


def _text(value: Any, field: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{field} must be text, not {value!r}", field=field)
    return value


def _addresses(value: Any) -> list[AddressIn]:
    if not isinstance(value, list):
        raise ValidationError("addresses must be a list of objects", field="addresses",
                              hint="e.g. [{\"kind\": \"invoice\", \"address1\": …, \"postal_code\": …, "
                                   "\"city\": …}]")
    out = []
    for i, a in enumerate(value):
        where = f"addresses[{i}]"
        if not isinstance(a, dict):
            raise ValidationError(f"{where} must be an object", field=where)
        unknown = sorted(set(a) - set(ADDRESS_KEYS))
        if unknown:
            raise ValidationError(f"an address has no {unknown[0]!r}", field=f"{where}.{unknown[0]}",
                                  hint="it has: " + ", ".join(ADDRESS_KEYS))
        for key in ("kind", "address1", "postal_code", "city"):
            if not a.get(key):
                raise ValidationError(f"{where} needs {key}", field=f"{where}.{key}")
        parts = {k: _text(a.get(k), f"{where}.{k}") for k in ADDRESS_KEYS if k in a}
        parts.setdefault("country", "SE")
        out.append(AddressIn(**parts))
    return out


def customer_fields(values: dict[str, Any]) -> dict[str, Any]:
    """JSON customer fields checked for type (text, öre, ids, addresses), ready for the use cases."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is _UNSET:
            continue
        if key == "addresses":
            out[key] = _addresses(value)
        elif key in NUMBERS:
            out[key] = as_int(value, key, optional=True)
        else:
            out[key] = _text(value, key)
    if out.get("credit_limit") is not None and out["credit_limit"] < 0:
        raise ValidationError("the credit limit cannot be negative", field="credit_limit")
    return out


@command("customers.create", area=AREA)
def create(session: Session, who: str, name: str, kind: str = "private", contact_name=None,
           personal_number=None, org_number=None, email=None, phone=None, vat_country: str = "SE",
           vat_number=None, price_list_id=None, credit_limit=None, notes=None, number=None,
           addresses: list | None = None) -> dict:
    """A new customer (credit_limit in öre); the answer holds its id and number."""
    values = customer_fields({k: v for k, v in locals().items() if k in FIELDS})
    values["addresses"] = _addresses(addresses if addresses is not None else [])
    values["vat_country"] = values.get("vat_country") or "SE"
    values["kind"] = values.get("kind") or "private"
    customer = create_customer(session, CustomerIn(**values))
    return {"id": customer.id, "number": customer.number}


@command("customers.update", area=AREA)
def update(session: Session, who: str, customer_id: str, name=_UNSET, kind=_UNSET, contact_name=_UNSET,
           personal_number=_UNSET, org_number=_UNSET, email=_UNSET, phone=_UNSET, vat_country=_UNSET,
           vat_number=_UNSET, price_list_id=_UNSET, credit_limit=_UNSET, notes=_UNSET, number=_UNSET,
           addresses=_UNSET) -> dict:
    """Change the fields sent (others stay); `addresses` replaces all of the customer's addresses."""
    _text(customer_id, "customer_id")
    sent = {k: v for k, v in locals().items() if k in FIELDS or k == "addresses"}
    changes = customer_fields(sent)
    customer = update_customer(session, customer_id, **changes)
    return {"id": customer.id, "number": customer.number, "changed": sorted(changes)}


@command("customers.merge", area=AREA)
def merge(session: Session, who: str, keep_id: str, drop_id: str | None = None,
          drop_number: str | None = None) -> dict:
    """Merge the duplicate (by id, or by its customer number) into `keep_id`."""
    _text(keep_id, "keep_id")
    _text(drop_id, "drop_id")
    _text(drop_number, "drop_number")
    number = (drop_number or "").strip()
    if number:
        drop_id = session.scalar(select(Customer.id).where(Customer.number == number))
        if drop_id is None:
            raise NotFound(f"no customer number {number}", field="drop_number",
                           hint="check the number, or choose the duplicate in the list")
    if not drop_id:
        raise ValidationError("choose the duplicate to merge", field="drop_id")
    for field, value in (("keep_id", keep_id), ("drop_id", drop_id)):
        if session.get(Customer, value) is None:
            raise NotFound(f"no customer with id {value!r}", field=field)
    kept = merge_customers(session, keep_id, drop_id)
    return {"id": kept.id, "merged": drop_id}


@command("customers.receipts", writes=False, area=AREA)
def receipts(session: Session, who: str, customer_id: str, limit: int = 200) -> list[dict]:
    """The till receipts the customer was attached to, newest first (the server's receipts:
    a workstation's replica does not hold them)."""
    _text(customer_id, "customer_id")
    limit = as_int(limit, "limit")
    if not 1 <= limit <= 1000:
        raise ValidationError("limit must be 1–1000", field="limit")
    rows = session.execute(select(
        SalesReceipt.register_code, SalesReceipt.number, SalesReceipt.created_at, SalesReceipt.kind,
        SalesReceipt.total).where(SalesReceipt.customer_id == customer_id)
        .order_by(SalesReceipt.created_at.desc(), SalesReceipt.number.desc()).limit(limit))
    return [{"register": r[0], "number": r[1], "created_at": r[2], "kind": r[3], "total": r[4]}
            for r in rows]
