"""The replica going down: bootstrap from the server's snapshot, then pull the change feed page by page.

Bootstrap reads the feed position `seq` first, pages every synced table (keyset by primary key,
5,000 rows a page, one transaction per page, progress kept in sync_state so a killed bootstrap
resumes where it stopped), then sets the cursor to `seq`. Pull then asks for changes after the
cursor; changes made while the snapshot was being read are replayed over it, which is harmless
because every change carries the whole row.

Each page of changes is applied in ONE transaction together with the new cursor: a crash leaves
the replica at the end of the last committed page, never half-way through one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
import time
from dataclasses import dataclass

from core.db import Store
from core.errors import UserError
from core.progress import Progress, null_progress
from core.sync import state
from core.sync.apply import Writers, apply_changes, apply_connection
from core.sync.client import SyncClient

log = logging.getLogger(__name__)

SNAPSHOT_PAGE = 5000
CHANGES_PAGE = 1000


class Stopped(Exception):
    """A stop was requested between two pages; everything committed so far is consistent."""


@dataclass
class PullResult:
    changes: int = 0
    pages: int = 0
    cursor: int = 0


def is_bootstrapped(store: Store) -> bool:
    with store.read() as s:
        return state.get_cursor(s) is not None


def _check_stop(stop: threading.Event | None) -> None:
    if stop is not None and stop.is_set():
        raise Stopped()


def bootstrap(store: Store, client: SyncClient, progress: Progress = null_progress, *,
              page_size: int = SNAPSHOT_PAGE, stop: threading.Event | None = None) -> int:
    """Fill the replica from the server's snapshot; returns the cursor it ends at.

    Resumes an interrupted bootstrap (same snapshot seq, same table, after the last applied key).
    """
    writers = Writers(store.engine.dialect.name)
    with store.read() as s:
        saved = state.get_all(s)
    if state.BOOTSTRAP_SEQ in saved:
        seq = int(saved[state.BOOTSTRAP_SEQ])
        tables = client.snapshot_tables()["tables"]
        resume_table = saved.get(state.BOOTSTRAP_TABLE)
        resume_after = json.loads(saved.get(state.BOOTSTRAP_AFTER) or "null")
        log.info("resuming bootstrap at table %s (snapshot seq %s)", resume_table, seq)
    else:
        info = client.snapshot_tables()
        seq, tables = int(info["seq"]), list(info["tables"])
        resume_table, resume_after = None, None
    plan = _plan(tables, writers, resume_table, resume_after)
    done = 0
    started = time.monotonic()
    with apply_connection(store) as conn:
        if resume_table is None:
            with conn.begin():
                state.put(conn, **{state.BOOTSTRAP_SEQ: seq})
        fetcher = _Prefetch(client, writers, plan, page_size)
        try:
            for name, rows, nxt in fetcher:
                _check_stop(stop)
                with conn.begin(), _search_bulk(conn, name):
                    writers.get(name).upsert(conn, rows)
                    state.put(conn, **{state.BOOTSTRAP_TABLE: name,
                                       state.BOOTSTRAP_AFTER: json.dumps(nxt)})
                done += len(rows)
                progress(done, None)
        finally:
            fetcher.close()
        with conn.begin():
            state.put(conn, **{state.CURSOR: seq, state.BOOTSTRAP_SEQ: None,
                               state.BOOTSTRAP_TABLE: None, state.BOOTSTRAP_AFTER: None})
    log.info("bootstrap: %d rows from %d tables in %.1f s, cursor %d",
             done, len(tables), time.monotonic() - started, seq)
    return seq


#: Tables whose inserts re-index product search row by row (FTS5 triggers, SQLite only).
SEARCH_INDEXED = frozenset({"product", "barcode"})


def _search_bulk(conn, table: str):
    """During bootstrap, index a page of products/barcodes in one statement, not one per row."""
    if conn.dialect.name != "sqlite" or table not in SEARCH_INDEXED:
        return contextlib.nullcontext()
    try:
        from core.catalog.search import bulk_append
    except ImportError:  # no product search in this build
        return contextlib.nullcontext()
    return bulk_append(conn)


def _plan(tables: list[str], writers: Writers, resume_table: str | None,
          resume_after) -> list[tuple[str, object]]:
    """(table, first `after`) for every table still to page, resuming after the last applied key."""
    plan = [(name, None) for name in tables if writers.get(name) is not None]
    if resume_table is not None and resume_table in tables:
        names = [n for n, _ in plan]
        i = names.index(resume_table) if resume_table in names else 0
        rest = plan[i + 1:]
        # `after` None: that table was finished before the stop
        plan = ([(resume_table, resume_after)] if resume_after is not None else []) + rest
    return plan


class _Prefetch:
    """Fetches (and converts) snapshot pages on a worker thread, a couple of pages ahead of the
    writer, so the server's work, the transfer and the replica's writes overlap."""

    _END = object()

    def __init__(self, client: SyncClient, writers: Writers, plan: list, page_size: int,
                 depth: int = 2):
        self.client, self.writers, self.plan, self.page_size = client, writers, plan, page_size
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=self._run, name="bootstrap-fetch", daemon=True)
        self.thread.start()

    def _put(self, item) -> bool:
        while not self.cancel.is_set():
            try:
                self.queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for name, after in self.plan:
                writer = self.writers.get(name)
                while True:
                    page = self.client.snapshot_page(name, after, self.page_size)
                    rows = writer.prepare(page.get("rows") or [])
                    nxt = page.get("next")
                    if not self._put((name, rows, nxt)):
                        return
                    if nxt is None or not rows:
                        break
                    after = nxt
            self._put(self._END)
        except BaseException as exc:  # handed to the consumer
            self._put(exc)

    def __iter__(self):
        while True:
            item = self.queue.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self.cancel.set()
        self.thread.join(timeout=self.client.timeout[1] + 5 if hasattr(self.client, "timeout") else 5)


def pull(store: Store, client: SyncClient, *, page_size: int = CHANGES_PAGE,
         stop: threading.Event | None = None, progress: Progress = null_progress) -> PullResult:
    """Apply every change after the cursor, one transaction per page (data + cursor together)."""
    writers = Writers(store.engine.dialect.name)
    result = PullResult()
    with store.read() as s:
        cursor = state.get_cursor(s)
    if cursor is None:
        raise UserError("the replica has not been bootstrapped yet",
                        hint="run `butik sync --once` while the server is reachable")
    result.cursor = cursor
    with apply_connection(store) as conn:
        while True:
            _check_stop(stop)
            page = client.changes(cursor, page_size)
            changes = page.get("changes") or []
            if not changes:
                break
            _check_order(changes, cursor)
            new_cursor = int(changes[-1]["seq"])
            with conn.begin():
                apply_changes(conn, writers, changes)
                state.put(conn, **{state.CURSOR: new_cursor})
            cursor = new_cursor
            result.changes += len(changes)
            result.pages += 1
            result.cursor = cursor
            progress(result.changes, None)
            if not page.get("more"):
                break
    return result


def _check_order(changes: list[dict], cursor: int) -> None:
    previous = cursor
    for change in changes:
        seq = int(change["seq"])
        if seq <= previous:
            raise UserError(f"server sent change {seq} after {previous}: the feed is out of order",
                            hint="report this to the server's operator")
        previous = seq
