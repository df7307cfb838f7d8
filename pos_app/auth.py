"""Who may use the till: cashiers and managers from `core.auth` users with a PIN, checked locally.

The PIN check costs ~40 ms of scrypt: run it off the GUI thread. When the store holds no user with
a PIN (a fresh replica: users are not synced down), the till runs in *open mode*: any 4–8 digit
PIN logs in as "Kassör" and counts as a manager's approval. The status bar says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from core.auth.hashing import verify_secret
from core.auth.models import UserAccount
from core.auth.service import ROLE_RANK, add_user
from core.db.engine import Store
from core.errors import UserError, ValidationError

OPEN_MODE_NAME = "Kassör"
PIN = re.compile(r"^\d{4,8}$")


class WrongPin(UserError):
    """The PIN does not match the chosen person, or they may not approve this."""


@dataclass(frozen=True)
class Person:
    username: str
    role: str

    def may(self, role: str) -> bool:
        return ROLE_RANK.get(self.role, 0) >= ROLE_RANK[role]


def people(store: Store) -> list[Person]:
    """Active users who can log in at a till (they have a PIN), by name."""
    with store.read() as s:
        rows = s.execute(select(UserAccount.username, UserAccount.role)
                         .where(UserAccount.active.is_(True), UserAccount.pin_hash.is_not(None))
                         .order_by(UserAccount.username))
        return [Person(u, r) for u, r in rows]


def check_pin(store: Store, pin: str, *, username: str | None = None,
              role: str = "cashier") -> Person:
    """The person with this PIN (and at least `role`); `username` narrows it to one person.

    Runs off the GUI thread. Without a username every PIN-holder of the role is tried, so a
    manager can approve by PIN alone.
    """
    if not PIN.match(pin or ""):
        raise ValidationError("a PIN is 4–8 digits", field="pin")
    with store.read() as s:
        stmt = select(UserAccount.username, UserAccount.role, UserAccount.pin_hash).where(
            UserAccount.active.is_(True), UserAccount.pin_hash.is_not(None))
        if username:
            stmt = stmt.where(UserAccount.username == username)
        rows = s.execute(stmt).all()
        any_pins = rows or s.scalar(select(UserAccount.id).where(UserAccount.pin_hash.is_not(None)))
    if not any_pins:
        return Person(username or OPEN_MODE_NAME, "admin")  # open mode
    for name, user_role, pin_hash in rows:
        if ROLE_RANK.get(user_role, 0) >= ROLE_RANK[role] and verify_secret(pin, pin_hash):
            return Person(name, user_role)
    who = "a manager's" if role != "cashier" else "the"
    raise WrongPin(f"wrong PIN or not {who} PIN", field="pin", hint="try again")


def is_open_mode(store: Store) -> bool:
    with store.read() as s:
        return s.scalar(select(UserAccount.id).where(UserAccount.pin_hash.is_not(None)).limit(1)) is None


DEMO_PEOPLE = (("anna", "cashier", "1111"), ("erik", "cashier", "2222"), ("chef", "manager", "9999"))


def ensure_demo_people(store: Store) -> list[tuple[str, str, str]]:
    """The demo's cashiers and manager with known PINs (added once, through core.auth)."""
    with store.write() as s:
        have = set(s.scalars(select(UserAccount.username)))
        for name, role, pin in DEMO_PEOPLE:
            if name not in have:
                add_user(s, name, role, pin=pin)
        s.commit()
    return list(DEMO_PEOPLE)
