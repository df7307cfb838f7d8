"""Property tests of customer matching: whatever the existing customers, the rules hold."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.customers.matching import MatchOptions, match_customer
from core.customers.models import Customer
from core.customers.service import CustomerIn, create_customer
from core.demo.words import personnummer

EMAILS = [f"kund{i}@example.se" for i in range(4)]
PNRS = [personnummer(random.Random(i)) for i in range(4)]

people = st.tuples(st.sampled_from(EMAILS + [None]), st.sampled_from(PNRS + [None]))


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Customer))


def _first_with(session, column, value):
    return session.scalar(select(Customer.id).where(column == value, Customer.merged_into.is_(None))
                          .order_by(Customer.created_at, Customer.id).limit(1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(existing=st.lists(people, max_size=5), incoming=people,
       options=st.sampled_from([MatchOptions(), MatchOptions(ignore_email=True),
                                MatchOptions(new_when_email_differs=True), MatchOptions(force_update=True)]))
def test_matching_rules_hold_for_any_existing_customers(store, existing, incoming, options):
    with store.write() as s:  # rolled back after each example
        for i, (email, pnr) in enumerate(existing):
            create_customer(s, CustomerIn(name=f"Befintlig {i}", email=email, personal_number=pnr))
            s.flush()
        email, pnr = incoming
        by_email = _first_with(s, Customer.email, email) if email else None
        by_number = _first_with(s, Customer.personal_number, pnr) if pnr else None
        before = _count(s)
        result = match_customer(s, CustomerIn(name="Inkommande", email=email, personal_number=pnr), options)
        if options.ignore_email:
            expected = by_number
        elif options.new_when_email_differs:
            expected = by_email
        else:
            expected = by_email or by_number
        if expected is None:
            assert result.action == "created" and _count(s) == before + 1
        else:
            assert result.customer_id == expected and result.action in ("matched", "updated")
            assert _count(s) == before
        # importing the same customer again never creates another one
        again = match_customer(s, CustomerIn(name="Inkommande", email=email, personal_number=pnr), options)
        # (a key the options look at must be given: ignore_email looks at the number only,
        # new_when_email_differs at the e-mail only)
        key = pnr if options.ignore_email else email if options.new_when_email_differs else (email or pnr)
        if key:
            assert again.customer_id == result.customer_id
