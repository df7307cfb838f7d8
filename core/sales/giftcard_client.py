"""Asking the enrolled server for a gift card's balance, with a short timeout (the till's online check)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from sqlalchemy.exc import SQLAlchemyError

from core.db.engine import Store
from core.errors import NotFound, Unavailable

#: (connect, read) seconds: past this the till falls back to the offline limit
TIMEOUT = (1.5, 2.5)


def balance_lookup(store: Store, timeout: tuple[float, float] = TIMEOUT) -> Callable[[str], int] | None:
    """`balance(code)` asking this replica's server, or None when the replica is not enrolled.

    `balance` raises `Unavailable` when the server cannot be asked (then the offline limit
    applies) and `NotFound` when the server does not know the card.
    """
    from core.sync import state

    try:
        with store.read() as s:
            url = state.get(s, state.SERVER_URL)
    except SQLAlchemyError:  # a store without the sync state table (a bare database)
        return None
    if not url:
        return None

    def balance(code: str) -> int:
        from core.sync.client import AuthRefused, ServerRefused
        from core.sync.engine import NotEnrolled, client_for

        try:
            client = client_for(store, timeout=timeout, retries=0)
        except NotEnrolled as exc:
            raise Unavailable(str(exc)) from None
        try:
            data = client._get_json(f"/api/v1/giftcards/{quote(code, safe='')}")
        except ServerRefused as exc:
            if exc.status == 404:
                raise NotFound(f"the server does not know gift card {code}", field="reference",
                               hint="check the code on the card") from None
            raise Unavailable(str(exc)) from None
        except AuthRefused as exc:
            raise Unavailable(str(exc)) from None
        finally:
            client.close()
        return int(data["balance"])

    return balance
