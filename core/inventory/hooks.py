"""Tiny hook registry: callbacks told, in the writer's transaction, which products' stock or prices changed.

Writers (`core.inventory.cache.bump_levels`, `core.pricing.lists.set_price`,
`core.pricing.bulk.bulk_change`) call `notify(session, product_ids)`; integrations register with
`on_levels_changed(callback)` when they are imported (the webshop publisher queues the products so
each shop hears of the change within seconds). A callback runs inside the caller's unit of work:
it must be quick, write only through `session`, and never commit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

LevelsChanged = Callable[[Session, "list[int]"], None]

_callbacks: list[LevelsChanged] = []
_lock = threading.Lock()


def on_levels_changed(callback: LevelsChanged) -> LevelsChanged:
    """Register `callback(session, product_ids)`; registering the same callback twice is a no-op."""
    with _lock:
        if callback not in _callbacks:
            _callbacks.append(callback)
    return callback


def remove(callback: LevelsChanged) -> None:
    """Unregister `callback` (tests); unknown callbacks are ignored."""
    with _lock:
        if callback in _callbacks:
            _callbacks.remove(callback)


def registered() -> list[LevelsChanged]:
    with _lock:
        return list(_callbacks)


def notify(session: Session, product_ids: Iterable[int]) -> None:
    """Tell every registered callback that these products' stock or prices changed (same transaction)."""
    callbacks = registered()
    if not callbacks:
        return
    ids = sorted({int(p) for p in product_ids})
    if not ids:
        return
    for callback in callbacks:
        callback(session, ids)
