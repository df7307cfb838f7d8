"""The replica going down: bootstrap from the server's snapshot, then pull the change feed page by page.

Bootstrap reads the feed position `seq` first, pages every synced table (keyset by primary key,
one transaction per page, progress kept in sync_state so a killed bootstrap resumes where it
stopped), then sets the cursor to `seq`. Pages come in the compact `format=rows` (20,000 rows,
inserted by SQLite straight from the JSON text) or, from an older server, as objects (5,000).
While bootstrapping, commits skip fsync and the product search triggers are set aside per page;
the search index is rebuilt once, in the same transaction that sets the cursor. Pull then asks for changes after the
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
#: rows per page in the compact format
ROWS_PAGE = 20_000
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
              page_size: int | None = None, stop: threading.Event | None = None) -> int:
    """Fill the replica from the server's snapshot; returns the cursor it ends at.

    Resumes an interrupted bootstrap (same snapshot seq, same table, after the last applied key).
    """
    writers = Writers(store.engine.dialect.name)
    with store.read() as s:
        saved = state.get_all(s)
    if state.BOOTSTRAP_SEQ in saved:
        seq = int(saved[state.BOOTSTRAP_SEQ])
        info = client.snapshot_tables()
        tables = info["tables"]
        resume_table = saved.get(state.BOOTSTRAP_TABLE)
        resume_after = json.loads(saved.get(state.BOOTSTRAP_AFTER) or "null")
        log.info("resuming bootstrap at table %s (snapshot seq %s)", resume_table, seq)
    else:
        info = client.snapshot_tables()
        seq, tables = int(info["seq"]), list(info["tables"])
        resume_table, resume_after = None, None
    scope = info.get("scope") or "pos"
    plan = _plan(tables, writers, resume_table, resume_after)
    done = 0
    started = time.monotonic()
    with apply_connection(store, bulk=True) as conn:
        if resume_table is None:
            with conn.begin():
                state.put(conn, **{state.BOOTSTRAP_SEQ: seq, state.SCOPE: scope})
        fetcher = _Prefetch(client, writers, plan, page_size)
        try:
            for name, rows, nxt in fetcher:
                _check_stop(stop)
                writer = writers.get(name)
                with conn.begin(), _search_suspended(conn, name):
                    if isinstance(rows, _Compact):
                        count = writer.upsert_json(conn, rows.columns, rows.rows_json)
                    else:
                        writer.upsert(conn, rows)
                        count = len(rows)
                    state.put(conn, **{state.BOOTSTRAP_TABLE: name,
                                       state.BOOTSTRAP_AFTER: json.dumps(nxt)})
                done += count
                progress(done, None)
        finally:
            fetcher.close()
        with conn.begin():
            indexed = time.monotonic()
            _rebuild_search(conn)
            log.info("bootstrap: search index rebuilt in %.1f s", time.monotonic() - indexed)
            state.put(conn, **{state.CURSOR: seq, state.BOOTSTRAP_SEQ: None,
                               state.BOOTSTRAP_TABLE: None, state.BOOTSTRAP_AFTER: None})
    log.info("bootstrap: %d rows from %d tables in %.1f s (%.1f s waiting for pages), cursor %d",
             done, len(tables), time.monotonic() - started, fetcher.waited, seq)
    return seq


class _Compact:
    """A compact snapshot page: the server's column names and the rows array as JSON text."""

    __slots__ = ("columns", "rows_json")

    def __init__(self, columns: list[str], rows_json: str):
        self.columns, self.rows_json = columns, rows_json

    def __bool__(self) -> bool:
        return self.rows_json.strip() != "[]"


#: Tables whose inserts re-index product search row by row (FTS5 triggers, SQLite only).
SEARCH_INDEXED = frozenset({"product", "barcode"})


def _search_suspended(conn, table: str):
    """During bootstrap, product/barcode pages go in without the search triggers (per page, in
    the page's transaction); `_rebuild_search` indexes everything once at the end."""
    if conn.dialect.name != "sqlite" or table not in SEARCH_INDEXED:
        return contextlib.nullcontext()
    from core.db.bulk import triggers_suspended

    return triggers_suspended(conn, [table])


def _rebuild_search(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    try:
        from core.catalog.search import rebuild_search_index, search_index_problems
    except ImportError:  # no product search in this build
        return
    if not search_index_problems(conn):
        rebuild_search_index(conn)


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

    def __init__(self, client: SyncClient, writers: Writers, plan: list, page_size: int | None,
                 depth: int = 2):
        self.client, self.writers, self.plan, self.page_size = client, writers, plan, page_size
        # the compact format when the client speaks it (an older server answers None: objects)
        self.compact = hasattr(client, "snapshot_rows")
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.waited = 0.0  # seconds the writer waited for a page (the server/transfer lagging)
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=self._run, name="bootstrap-fetch", daemon=True)
        self.thread.start()

    def _fetch(self, name: str, after):
        """(rows or _Compact, next) for one page."""
        if self.compact:
            page = self.client.snapshot_rows(name, after, self.page_size or ROWS_PAGE)
            if page is not None:
                return _Compact(page["columns"], page["rows_json"]), page.get("next")
            log.info("server has no compact snapshot format; paging objects")
            self.compact = False
        page = self.client.snapshot_page(name, after, self.page_size or SNAPSHOT_PAGE)
        return self.writers.get(name).prepare(page.get("rows") or []), page.get("next")

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
                while True:
                    rows, nxt = self._fetch(name, after)
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
            t0 = time.monotonic()
            item = self.queue.get()
            self.waited += time.monotonic() - t0
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
            # a scoped feed skips other scopes' changes: its last_seq may run ahead of the page
            head = int(page.get("last_seq") or cursor)
            if not changes:
                if head > cursor:
                    with conn.begin():
                        state.put(conn, **{state.CURSOR: head})
                    cursor = result.cursor = head
                break
            _check_order(changes, cursor)
            new_cursor = max(int(changes[-1]["seq"]), head)
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
