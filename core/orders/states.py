"""The order lifecycle as an explicit state machine; every change is logged with who and when."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.errors import InvalidTransition, ValidationError
from core.orders.models import Order, OrderEvent

#: status → statuses it may move to
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"confirmed", "cancelled"}),
    "confirmed": frozenset({"partly_delivered", "delivered", "cancelled"}),
    "partly_delivered": frozenset({"delivered"}),
    "delivered": frozenset({"invoiced"}),
    "invoiced": frozenset({"closed"}),
    "closed": frozenset(),
    "cancelled": frozenset(),
}

#: statuses in which lines may still be added, changed or removed
EDITABLE = frozenset({"new", "confirmed", "partly_delivered"})
#: statuses in which goods may be delivered
DELIVERABLE = frozenset({"confirmed", "partly_delivered"})

LABELS_SV = {"new": "Ny", "confirmed": "Bekräftad", "partly_delivered": "Dellevererad",
             "delivered": "Levererad", "invoiced": "Fakturerad", "closed": "Avslutad",
             "cancelled": "Makulerad"}


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def check_transition(order: Order, target: str) -> None:
    """Raise InvalidTransition naming the order, both statuses and what is possible instead."""
    if target not in TRANSITIONS:
        raise ValidationError(f"unknown order status {target!r}", field="status",
                              hint="one of " + ", ".join(TRANSITIONS))
    if not allowed(order.status, target):
        nxt = sorted(TRANSITIONS[order.status])
        raise InvalidTransition(
            f"order {order.number} is {order.status} and cannot become {target}", field="status",
            hint=("from here it can become " + ", ".join(nxt)) if nxt else "it is final")


def check_who(who: str) -> str:
    if not (who or "").strip():
        raise ValidationError("say who does this", field="who", hint="the user's name or login")
    return who.strip()[:100]


def log_event(session: Session, order: Order, who: str, kind: str, note: str | None = None,
              from_status: str | None = None, to_status: str | None = None) -> OrderEvent:
    """Append one history row to the order (the caller's unit of work commits it)."""
    event = OrderEvent(order_id=order.id, who=check_who(who), kind=kind, note=note,
                       from_status=from_status, to_status=to_status)
    session.add(event)
    return event


def move(session: Session, order: Order, target: str, who: str, note: str | None = None) -> None:
    """Change the order's status after checking the transition; logged with who and when."""
    check_transition(order, target)
    previous = order.status
    order.status = target
    log_event(session, order, who, "status", note, previous, target)
