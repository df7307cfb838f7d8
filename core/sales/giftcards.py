"""Gift card redemption at the till: the server's balance when online, a configurable limit when not."""

from __future__ import annotations

from collections.abc import Callable

from core.errors import Conflict, Unavailable, ValidationError

#: default most a single gift card may pay while the server cannot be asked (öre)
DEFAULT_OFFLINE_LIMIT = 50_000


def check_redemption(code: str, amount: int, *, balance: Callable[[str], int] | None,
                     offline_limit: int = DEFAULT_OFFLINE_LIMIT) -> str:
    """Refuse a redemption the card cannot cover; returns 'online' or 'offline' (how it was checked).

    `balance(code)` asks the server and raises `Unavailable` when it cannot; then the offline limit
    applies and the server settles the card when the receipt is pushed.
    """
    if not code:
        raise ValidationError("scan or type the gift card's code", field="reference")
    if amount <= 0:
        raise ValidationError("the amount must be positive", field="amount")
    if balance is not None:
        try:
            left = balance(code)
        except Unavailable:
            left = None
        if left is not None:
            if amount > left:
                raise Conflict(f"the gift card has {left / 100:.2f} kr left", field="amount",
                               hint="take the rest with another method")
            return "online"
    if amount > offline_limit:
        raise Conflict(f"offline, a gift card can pay at most {offline_limit / 100:.2f} kr",
                       field="amount", hint="take the rest with another method, or wait for the server")
    return "offline"
