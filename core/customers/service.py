"""Customer use cases: create, update, search, merge; every input is validated and normalised first."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.customers import validation as v
from core.customers.models import ADDRESS_KINDS, CUSTOMER_KINDS, Customer, CustomerAddress
from core.db.base import utcnow
from core.errors import Conflict, NotFound, ValidationError
from core.money import parse_amount


@dataclass
class AddressIn:
    kind: str
    address1: str
    postal_code: str
    city: str
    country: str = "SE"
    name: str | None = None
    address2: str | None = None


@dataclass
class CustomerIn:
    """A customer as entered in a form or read from an import; `clean_customer` validates it."""

    name: str
    kind: str = "private"
    contact_name: str | None = None
    personal_number: str | None = None
    org_number: str | None = None
    email: str | None = None
    phone: str | None = None
    vat_country: str = "SE"
    vat_number: str | None = None
    price_list_id: int | None = None
    #: öre (int), or text such as '5 000,00'
    credit_limit: int | str | None = None
    notes: str | None = None
    number: str | None = None
    addresses: list[AddressIn] = field(default_factory=list)


#: Customer columns set from a CustomerIn (all its fields except addresses)
FIELDS = tuple(f.name for f in dataclasses.fields(CustomerIn) if f.name != "addresses")


def _text(value: Any, field_name: str, max_len: int, required: bool = False) -> str | None:
    text = None if value is None else str(value).strip()
    if not text:
        if required:
            raise ValidationError("must not be empty", field=field_name)
        return None
    if len(text) > max_len:
        raise ValidationError(f"is longer than {max_len} characters", field=field_name)
    return text


def clean_postal_code(value: Any, country: str, field_name: str = "postal_code") -> str:
    text = _text(value, field_name, 20, required=True)
    if country == "SE":
        digits = re.sub(r"\s", "", text)
        if not re.fullmatch(r"\d{5}", digits):
            raise ValidationError(f"{text!r} is not a Swedish postal code", field=field_name,
                                  hint="write five digits, e.g. 114 55")
        return f"{digits[:3]} {digits[3:]}"
    return text


def clean_address(a: AddressIn, prefix: str = "address") -> dict:
    """Validated column values of one address; fields are named e.g. 'address.city'."""
    if a.kind not in ADDRESS_KINDS:
        raise ValidationError(f"unknown address kind {a.kind!r}", field=f"{prefix}.kind",
                              hint="use invoice or delivery")
    country = v.country_code(a.country or "SE", field=f"{prefix}.country")
    return {"kind": a.kind, "name": _text(a.name, f"{prefix}.name", 200),
            "address1": _text(a.address1, f"{prefix}.address1", 200, required=True),
            "address2": _text(a.address2, f"{prefix}.address2", 200),
            "postal_code": clean_postal_code(a.postal_code, country, f"{prefix}.postal_code"),
            "city": _text(a.city, f"{prefix}.city", 100, required=True), "country": country}


def clean_customer(data: CustomerIn, today: dt.date | None = None) -> dict:
    """Validated, normalised column values for a customer (addresses under 'addresses')."""
    if data.kind not in CUSTOMER_KINDS:
        raise ValidationError(f"unknown customer kind {data.kind!r}", field="kind",
                              hint="use private or company")
    out: dict[str, Any] = {"kind": data.kind, "name": _text(data.name, "name", 200, required=True),
                           "contact_name": _text(data.contact_name, "contact_name", 200),
                           "notes": _text(data.notes, "notes", 10_000),
                           "number": _text(data.number, "number", 32)}
    pnr = _text(data.personal_number, "personal_number", 20)
    out["personal_number"] = v.personal_number(pnr, today=today) if pnr else None
    onr = _text(data.org_number, "org_number", 20)
    if onr and data.kind == "private":
        raise ValidationError("only company customers have an organisation number", field="org_number",
                              hint="set kind to company, or put a person's number in personal_number")
    out["org_number"] = v.org_number(onr) if onr else None
    mail = _text(data.email, "email", 254)
    out["email"] = v.email(mail) if mail else None
    tel = _text(data.phone, "phone", 40)
    out["phone"] = v.phone(tel) if tel else None
    out["vat_country"] = v.country_code(data.vat_country or "SE", field="vat_country")
    vat = _text(data.vat_number, "vat_number", 30)
    out["vat_number"] = v.vat_number(vat, out["vat_country"]) if vat else None
    if data.price_list_id is not None and (isinstance(data.price_list_id, bool)
                                           or not isinstance(data.price_list_id, int)):
        raise ValidationError(f"{data.price_list_id!r} is not a price list id", field="price_list_id")
    out["price_list_id"] = data.price_list_id
    limit = data.credit_limit
    if isinstance(limit, str) and not limit.strip():
        limit = None
    if isinstance(limit, int) and not isinstance(limit, bool):  # already öre (as stored)
        if limit < 0:
            raise ValidationError("must not be negative", field="credit_limit")
        out["credit_limit"] = limit
    else:  # text typed in a form or an import: kronor
        out["credit_limit"] = None if limit is None else parse_amount(limit, field="credit_limit",
                                                                       allow_negative=False)
    out["addresses"] = [clean_address(a, f"addresses[{i}]") for i, a in enumerate(data.addresses)]
    return out


def _check_number_free(session: Session, number: str | None, customer_id: str | None) -> None:
    if number is None:
        return
    other = session.scalar(select(Customer.id).where(Customer.number == number))
    if other is not None and other != customer_id:
        raise Conflict(f"customer number {number!r} is already used", field="number",
                       hint="choose another number or leave it empty")


def get_customer(session: Session, customer_id: str) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"no customer with id {customer_id!r}", field="customer_id")
    return customer


def resolve_customer(session: Session, customer_id: str) -> Customer:
    """The customer that `customer_id` now is: follows merges to the surviving customer."""
    customer = get_customer(session, customer_id)
    seen = {customer.id}
    while customer.merged_into is not None:
        customer = get_customer(session, customer.merged_into)
        if customer.id in seen:  # a loop would be a bug; refuse rather than spin
            raise Conflict(f"customer {customer_id} is in a merge loop", field="customer_id")
        seen.add(customer.id)
    return customer


def create_customer(session: Session, data: CustomerIn, today: dt.date | None = None) -> Customer:
    """Validate and add a customer with its addresses (the caller commits)."""
    values = clean_customer(data, today)
    addresses = values.pop("addresses")
    _check_number_free(session, values["number"], None)
    customer = Customer(**values, name_key=values["name"].casefold())
    session.add(customer)
    session.flush()
    for a in addresses:
        session.add(CustomerAddress(customer_id=customer.id, **a))
    session.flush()
    return customer


def addresses_of(session: Session, customer_id: str) -> list[CustomerAddress]:
    stmt = select(CustomerAddress).where(CustomerAddress.customer_id == customer_id)
    return list(session.scalars(stmt.order_by(CustomerAddress.kind, CustomerAddress.id)))


def as_input(session: Session, customer: Customer) -> CustomerIn:
    """The stored customer as a CustomerIn (to edit it, or to compare with incoming data)."""
    addresses = [AddressIn(kind=a.kind, address1=a.address1, postal_code=a.postal_code, city=a.city,
                           country=a.country, name=a.name, address2=a.address2)
                 for a in addresses_of(session, customer.id)]
    return CustomerIn(**{f: getattr(customer, f) for f in FIELDS}, addresses=addresses)


def _address_key(values: dict) -> tuple:
    return tuple(values[k] for k in ("kind", "name", "address1", "address2", "postal_code", "city", "country"))


def replace_addresses(session: Session, customer: Customer, cleaned: list[dict],
                      kinds: set[str] | None = None) -> bool:
    """Make the customer's addresses of `kinds` (default: all) exactly `cleaned`; True if any changed."""
    kinds = set(ADDRESS_KINDS) if kinds is None else kinds
    current = [a for a in addresses_of(session, customer.id) if a.kind in kinds]
    wanted = [a for a in cleaned if a["kind"] in kinds]
    if sorted(_address_key(vars(a)) for a in current) == sorted(_address_key(a) for a in wanted):
        return False
    for a in current:
        session.delete(a)
    for a in wanted:
        session.add(CustomerAddress(customer_id=customer.id, **a))
    session.flush()
    return True


def apply_changes(session: Session, customer: Customer, changes: dict[str, Any],
                  today: dt.date | None = None, address_kinds: set[str] | None = None) -> bool:
    """Validate the customer with `changes` applied and store it; True when anything changed.

    `changes` holds CustomerIn field names; 'addresses' replaces the addresses of `address_kinds`.
    """
    if customer.merged_into is not None:
        raise Conflict(f"customer {customer.id} was merged into {customer.merged_into}",
                       field="customer_id", hint="edit the customer it was merged into")
    unknown = set(changes) - set(FIELDS) - {"addresses"}
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationError("is not a customer field", field=name)
    merged = dataclasses.replace(as_input(session, customer), **changes)
    values = clean_customer(merged, today)
    addresses = values.pop("addresses")
    _check_number_free(session, values["number"], customer.id)
    changed = False
    for name, value in values.items():
        if getattr(customer, name) != value:
            setattr(customer, name, value)
            changed = True
    customer.name_key = customer.name.casefold()
    if "addresses" in changes:
        changed = replace_addresses(session, customer, addresses, address_kinds) or changed
    if changed:
        customer.updated_at = utcnow()
    session.flush()
    return changed


def update_customer(session: Session, customer_id: str, *, today: dt.date | None = None,
                    **changes: Any) -> Customer:
    """Change some fields of a customer (names as in CustomerIn); `addresses=[…]` replaces all addresses."""
    customer = get_customer(session, customer_id)
    apply_changes(session, customer, changes, today)
    return customer


class CustomerHit(NamedTuple):
    id: str
    number: str | None
    kind: str
    name: str
    email: str | None
    phone: str | None
    org_number: str | None
    personal_number: str | None


def _like(prefix: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", prefix) + "%"


def find_customers(conn, text: str, limit: int = 20) -> list[CustomerHit]:
    """Customers whose name (any word), e-mail, number, phone or org/personal number starts with `text`.

    `conn` is a Session or Connection; merged customers are left out.
    """
    text = (text or "").strip()
    if not text:
        return []
    key = text.casefold()
    c = Customer.__table__.c
    conds = [c.name_key.like(_like(key), escape="\\"), c.name_key.like("% " + _like(key), escape="\\"),
             c.email.like(_like(text.lower()), escape="\\"), c.number.like(_like(text), escape="\\")]
    compact = re.sub(r"[\s\-()]", "", text)
    if re.fullmatch(r"\+?\d{2,}", compact):
        if compact.startswith("00"):
            conds.append(c.phone.like(_like("+" + compact[2:])))
        elif compact.startswith("0"):
            conds.append(c.phone.like(_like("+46" + compact[1:])))
        elif compact.startswith("+"):
            conds.append(c.phone.like(_like(compact)))
        digits = compact.lstrip("+")
        number = digits[:6] + "-" + digits[6:] if len(digits) > 6 else digits  # as stored: NNNNNN-NNNN
        conds += [c.personal_number.like(_like(number)), c.org_number.like(_like(number))]
    stmt = (select(c.id, c.number, c.kind, c.name, c.email, c.phone, c.org_number, c.personal_number)
            .where(c.merged_into.is_(None), or_(*conds)).order_by(c.name_key, c.id).limit(limit))
    return [CustomerHit(*row) for row in conn.execute(stmt)]


def merge_customers(session: Session, keep_id: str, drop_id: str) -> Customer:
    """Merge `drop` into `keep`: addresses move, keep's empty fields are filled, drop is marked merged_into."""
    if keep_id == drop_id:
        raise ValidationError("cannot merge a customer into itself", field="drop_id")
    keep, drop = get_customer(session, keep_id), get_customer(session, drop_id)
    for role, c in (("keep_id", keep), ("drop_id", drop)):
        if c.merged_into is not None:
            raise Conflict(f"customer {c.id} was already merged into {c.merged_into}", field=role)
    fill = {f: getattr(drop, f) for f in FIELDS
            if f != "number" and getattr(keep, f) in (None, "") and getattr(drop, f) not in (None, "")}
    if keep.kind == "private":  # a private customer cannot take a company's org number
        fill.pop("org_number", None)
    if fill:
        apply_changes(session, keep, fill)
    for address in addresses_of(session, drop.id):
        address.customer_id = keep.id
    for earlier in session.scalars(select(Customer).where(Customer.merged_into == drop.id)):
        earlier.merged_into = keep.id  # no chains: everything points at the survivor
    drop.merged_into = keep.id
    drop.updated_at = keep.updated_at = utcnow()
    session.flush()
    return keep
