"""Match an imported customer (webshop order, CSV row) to an existing one, or create it.

The incoming data is validated and normalised first (a bad personal number is refused before any
lookup). Customers merged into another are never matched. Lookups compare normalised values:
e-mail lower-case, numbers in their canonical form.

Which customer is matched
- Default: look up the e-mail first; if no customer has it (or the incoming row has no e-mail), look
  up the organisation number, then the personal number. Nothing found: create a new customer.
- `ignore_email`: skip the e-mail lookup; match on organisation/personal number only. Nothing
  found (or no number given): create. The e-mail is still stored on the customer.
- `new_when_email_differs` ("ignore number, create a new customer when the e-mail does not match"):
  only the e-mail lookup is made. No customer with that e-mail, or no e-mail given: create a new
  customer, even when one with the same number exists. Numbers are never looked up.
- `ignore_email` together with `new_when_email_differs` contradict each other and are refused
  (ValidationError on field 'options').
- When several customers share the e-mail or number, the oldest (created_at, then id) is chosen.

What happens to a matched customer
- Without `force_update` it is used as it is; only its empty fields are filled from the incoming
  data, and incoming addresses of a kind (invoice/delivery) the customer has none of are added.
- With `force_update` every field the incoming data carries (non-empty) overwrites the stored one,
  and the incoming addresses replace the stored addresses of the same kind. A company turned
  private by the incoming data loses its organisation number (private customers have none).
- The result's action is 'updated' when anything stored changed, otherwise 'matched'; a new
  customer gives 'created'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.customers.models import Customer
from core.customers.service import (
    FIELDS,
    CustomerIn,
    addresses_of,
    apply_changes,
    clean_customer,
    create_customer,
)
from core.errors import ValidationError

#: fields that always have a value in CustomerIn, so "the incoming data carries it" means nothing
_ALWAYS_SET = {"kind", "vat_country"}


@dataclass(frozen=True)
class MatchOptions:
    ignore_email: bool = False
    new_when_email_differs: bool = False
    force_update: bool = False


@dataclass(frozen=True)
class MatchResult:
    action: str  # 'created' | 'updated' | 'matched'
    customer_id: str
    #: what the match was made on: 'email', 'org_number', 'personal_number'; None when created
    matched_on: str | None = None


def _oldest(session: Session, column, value) -> Customer | None:
    stmt = (select(Customer).where(column == value, Customer.merged_into.is_(None))
            .order_by(Customer.created_at, Customer.id).limit(1))
    return session.scalars(stmt).first()


def find_match(session: Session, values: dict, options: MatchOptions) -> tuple[Customer | None, str | None]:
    """The existing customer for cleaned incoming `values` under `options`, and what it matched on."""
    if not options.ignore_email and values["email"]:
        found = _oldest(session, Customer.email, values["email"])
        if found is not None:
            return found, "email"
    if options.new_when_email_differs:
        return None, None
    for name in ("org_number", "personal_number"):
        if values[name]:
            found = _oldest(session, getattr(Customer, name), values[name])
            if found is not None:
                return found, name
    return None, None


def match_customer(session: Session, incoming: CustomerIn, options: MatchOptions = MatchOptions(),
                   today: dt.date | None = None) -> MatchResult:
    """Find, update or create the customer for `incoming` by the rules in this module's docstring."""
    if options.ignore_email and options.new_when_email_differs:
        raise ValidationError("'ignore e-mail' and 'create a new customer when the e-mail does not match' "
                              "cannot both be chosen", field="options", hint="choose one of them")
    values = clean_customer(incoming, today)
    customer, matched_on = find_match(session, values, options)
    if customer is None:
        return MatchResult("created", create_customer(session, incoming, today).id)
    if options.force_update:
        changes = {f: getattr(incoming, f) for f in FIELDS
                   if f in _ALWAYS_SET or values[f] is not None}
        if values["kind"] == "private":
            changes["org_number"] = None
        kinds = {a["kind"] for a in values["addresses"]}
    else:
        changes = {f: getattr(incoming, f) for f in FIELDS
                   if f not in _ALWAYS_SET and values[f] is not None and getattr(customer, f) is None}
        if customer.kind == "private":
            changes.pop("org_number", None)
        kinds = {a["kind"] for a in values["addresses"]} - {a.kind for a in addresses_of(session, customer.id)}
    if kinds:
        changes["addresses"] = incoming.addresses
    changed = apply_changes(session, customer, changes, today, address_kinds=kinds)
    return MatchResult("updated" if changed else "matched", customer.id, matched_on)
