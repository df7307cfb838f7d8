"""Units of work for request handlers: one transaction, retried on deadlock / serialization failure / lock timeout."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from core.db import Store

T = TypeVar("T")
log = logging.getLogger(__name__)

RETRIES = 8
#: PostgreSQL SQLSTATEs worth a retry: serialization failure, deadlock, lock not available
RETRY_SQLSTATES = {"40001", "40P01", "55P03"}


def retryable(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in RETRY_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(orig)


def transact(store: Store, work: Callable[[Session], T], *, retries: int = RETRIES) -> T:
    """Run `work(session)` in a write unit of work and commit; retry the whole of it on a transient clash."""
    for attempt in range(retries):
        try:
            with store.write() as session:
                result = work(session)
                session.commit()
                return result
        except DBAPIError as exc:
            if not retryable(exc) or attempt == retries - 1:
                raise
            log.info("transient database clash (%s), retry %d", type(exc.orig).__name__, attempt + 1)
            time.sleep(min(0.5, 0.005 * 2 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def read(store: Store, work: Callable[[Session], T]) -> T:
    with store.read() as session:
        return work(session)
