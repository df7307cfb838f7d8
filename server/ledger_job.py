"""The server's bookkeeping job: a background thread that posts what the documents need, every few seconds.

Each run first looks (a read) for documents without a voucher and only then takes the write lock
to post them, each cycle in its own transaction (`core.ledger.autopost.post_pending`). A refused
document is logged once and tried again after `RETRY_S`. Once a month the stock valuation is
posted for the month just ended (setting `autopost.stock_valuation` = 'off' turns it off).

Runs off the request threads; it ends when `stop()` is called, when the app that started it is
garbage collected, or when its SQLite file is gone (a test's temporary folder).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
import weakref
from pathlib import Path

from sqlalchemy import select

from core.db import Store

log = logging.getLogger("server.ledger")

#: seconds between runs (BUTIK_LEDGER_INTERVAL overrides)
INTERVAL_S = 5.0
#: a refused document is tried again after this many seconds
RETRY_S = 300.0


def enabled() -> bool:
    """The job runs unless BUTIK_LEDGER_JOB=0."""
    return os.environ.get("BUTIK_LEDGER_JOB", "1").strip().lower() not in ("0", "no", "off", "false")


def interval() -> float:
    try:
        return max(0.2, float(os.environ.get("BUTIK_LEDGER_INTERVAL", INTERVAL_S)))
    except ValueError:
        return INTERVAL_S


def valuation_due(session, today: dt.date) -> dt.date | None:
    """The last day of last month when its stock valuation is still to post (and not switched off)."""
    from core.ledger.models import LedgerSetting, Voucher

    setting = session.get(LedgerSetting, "autopost.stock_valuation")
    if setting is not None and setting.value == "off":
        return None
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    done = session.scalar(select(Voucher.id).where(Voucher.source_type == "stock_valuation",
                                                   Voucher.source_id == month_end.isoformat()))
    return None if done else month_end


class LedgerJob:
    """Calls `post_pending` every `every` seconds in its own unit of work, on a daemon thread."""

    def __init__(self, store: Store, every: float | None = None, owner=None,
                 today=dt.date.today):
        self.store, self.every, self.today = store, every or interval(), today
        self._owner = weakref.ref(owner) if owner is not None else None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failed: dict[str, tuple[float, str]] = {}  # key → (when, reason)
        self._valuation_tried: dt.date | None = None
        db = store.engine.url.database if store.is_sqlite else None
        self._file = Path(db) if db and db != ":memory:" else None
        self.runs = 0

    def start(self) -> LedgerJob:
        self._thread = threading.Thread(target=self._loop, name="butik-ledger-job", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _gone(self) -> bool:
        if self._owner is not None and self._owner() is None:
            return True
        return self._file is not None and not self._file.exists()

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            if self._gone():
                return
            try:
                self.run_once()
            except Exception as exc:  # noqa: BLE001 — the job must outlive a bad cycle
                log.warning("ledger job: the run failed (%s: %s); trying again", type(exc).__name__,
                            str(exc).splitlines()[0] if str(exc) else "")

    def run_once(self) -> list[str]:
        """One cycle: post what is pending; returns the keys posted."""
        from core.ledger.autopost import pending, post_pending

        self.runs += 1
        now = time.monotonic()
        skip = {k for k, (when, _) in self._failed.items() if now - when < RETRY_S}
        today = self.today()
        with self.store.read() as session:
            todo = [k for k in pending(session) if k not in skip]
            valuation = None
            if self._valuation_tried != today:
                valuation = valuation_due(session, today)
        if not todo and valuation is None:
            return []
        with self.store.write() as session:
            result = post_pending(session, who="ledger job", skip=skip, valuation_on=valuation)
            session.commit()
        self._valuation_tried = today
        for key, reason in result.failed.items():
            if self._failed.get(key, (0, None))[1] != reason:
                log.warning("ledger: %s is not posted: %s", key, reason)
            self._failed[key] = (now, reason)
        for key in result.posted:
            self._failed.pop(key, None)
        if result.posted:
            log.info("ledger: posted %d document(s)", len(result.posted))
        return result.posted


def start_job(store: Store, owner=None) -> LedgerJob | None:
    """Start the job when enabled (BUTIK_LEDGER_JOB); the server's `create_app` calls this."""
    if not enabled():
        return None
    return LedgerJob(store, owner=owner).start()
