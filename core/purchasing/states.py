"""The purchase order lifecycle as an explicit state machine (pure rules, no I/O).

API:
    TRANSITIONS: dict[str, frozenset[str]]
    allowed(current, target) -> bool
    check_transition(number, current, target) -> None     (InvalidTransition with a hint)
    after_receipt(lines) -> str       ('partly_received' | 'received' from (qty, received, cancelled))
    RECEIVABLE, OPEN, EDITABLE

draft → sent → confirmed → partly_received → received → closed; a draft, sent or confirmed order
with nothing received can be cancelled; a partly received one is closed (the rest cancelled or
carried to a back order). Goods may arrive before the supplier confirms (sent → received).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import InvalidTransition

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"sent", "cancelled"}),
    "sent": frozenset({"confirmed", "partly_received", "received", "cancelled"}),
    "confirmed": frozenset({"partly_received", "received", "cancelled"}),
    "partly_received": frozenset({"partly_received", "received", "closed"}),
    "received": frozenset({"closed"}),
    "closed": frozenset(),
    "cancelled": frozenset(),
}
#: goods can be taken in against these
RECEIVABLE = frozenset({"sent", "confirmed", "partly_received"})
#: the supplier still owes goods (counts as "on order")
OPEN = frozenset({"sent", "confirmed", "partly_received"})
#: lines may be added, changed or removed
EDITABLE = frozenset({"draft"})

HINTS = {
    "sent": "only a draft is sent",
    "confirmed": "send it to the supplier first",
    "partly_received": "send it to the supplier first",
    "received": "send it to the supplier first",
    "closed": "receive it first, or cancel it if nothing has arrived",
    "cancelled": "close it instead: goods have already arrived",
}


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def check_transition(number: int, current: str, target: str) -> None:
    if not allowed(current, target):
        hint = None if current in ("closed", "cancelled") else HINTS.get(target)
        raise InvalidTransition(f"purchase order {number} is {current} and cannot become {target}",
                                field="status", hint=hint)


def after_receipt(lines: Iterable[tuple[int, int, int]]) -> str:
    """'received' when every line's received + cancelled covers what was ordered, else partly."""
    done = all(received + cancelled >= qty for qty, received, cancelled in lines)
    return "received" if done else "partly_received"
