"""One sync round (push the outbox, then bootstrap or pull the feed) and the loop that repeats it.

`SyncEngine.run_once()` raises on failure (the CLI maps that to an exit code);
`run_forever(interval, stop)` never gives up: an unreachable server is "offline", retried with
exponential backoff and jitter (capped at a minute, honouring Retry-After), and the loop goes on.
A stop request is honoured between requests and pages: the request in flight finishes (or times
out), its answer is recorded, and nothing pending is lost — unacknowledged events stay in the
outbox. Runs on whatever thread calls it (never the GUI thread).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from core.db import Store
from core.errors import Unavailable, UserError
from core.progress import Progress, null_progress
from core.sync import state
from core.sync.client import AuthRefused, ServerBusy, SyncClient
from core.sync.pusher import Backoff, PushResult, push
from core.sync.replica import PullResult, Stopped, bootstrap, pull

log = logging.getLogger(__name__)


class NotEnrolled(UserError):
    """This replica has no server or no device token yet."""


@dataclass
class RoundResult:
    pushed: PushResult
    pulled: PullResult
    bootstrapped: bool = False
    seconds: float = 0.0


def client_for(store: Store, **kw) -> SyncClient:
    """A client for the server this replica enrolled with, carrying its device token."""
    from core.secrets import get_token

    with store.read() as s:
        url = state.get(s, state.SERVER_URL)
    if not url:
        raise NotEnrolled("this device is not enrolled with a server",
                          hint="run `butik enrol --server URL --code CODE` with a code from the back office")
    token = get_token(url)
    if not token:
        raise NotEnrolled(f"no device token for {url} on this machine",
                          hint="run `butik enrol --server URL --code CODE` again")
    return SyncClient(url, token, **kw)


class SyncEngine:
    def __init__(self, store: Store, client: SyncClient, *, progress: Progress = null_progress,
                 backoff: Backoff | None = None, stop: threading.Event | None = None):
        self.store = store
        self.client = client
        self.progress = progress
        self.backoff = backoff or Backoff()
        self.stop = stop or threading.Event()

    def _note(self, **values) -> None:
        try:
            with self.store.write() as s:
                state.put(s, **values)
                s.commit()
        except Exception:  # bookkeeping must never hide the real outcome
            log.exception("could not record the sync state")

    def run_once(self) -> RoundResult:
        """Push pending events, then bootstrap (first time) or pull. Raises on failure."""
        started = time.monotonic()
        bootstrapped = False
        try:
            pushed = push(self.store, self.client, stop=self.stop)
            with self.store.read() as s:
                needs_bootstrap = state.get_cursor(s) is None
            if needs_bootstrap:
                bootstrap(self.store, self.client, self.progress, stop=self.stop)
                bootstrapped = True
            pulled = pull(self.store, self.client, stop=self.stop)
        except Stopped:
            self._note(**{state.LAST_ATTEMPT: state.now_iso(), state.ONLINE: 1})
            raise
        except Unavailable as exc:
            self._note(**{state.LAST_ATTEMPT: state.now_iso(), state.ONLINE: 0,
                          state.LAST_ERROR: str(exc)})
            raise
        except Exception as exc:
            online = 1 if isinstance(exc, UserError) else 0
            self._note(**{state.LAST_ATTEMPT: state.now_iso(), state.ONLINE: online,
                          state.LAST_ERROR: f"{type(exc).__name__}: {exc}"})
            raise
        now = state.now_iso()
        self._note(**{state.LAST_ATTEMPT: now, state.LAST_SYNC: now, state.ONLINE: 1,
                      state.LAST_ERROR: ""})
        self.backoff.reset()
        result = RoundResult(pushed, pulled, bootstrapped, time.monotonic() - started)
        if pushed.acked or pushed.failed or pulled.changes or bootstrapped:
            log.info("sync: pushed %d (%d replayed, %d refused), pulled %d change(s), cursor %d",
                     pushed.acked, pushed.replayed, pushed.failed, pulled.changes, pulled.cursor)
        return result

    def run_forever(self, interval: float, stop: threading.Event | None = None) -> None:
        """Repeat rounds every `interval` seconds until `stop` is set; offline is not an error."""
        if stop is not None:
            self.stop = stop
        stop = self.stop
        was_offline = False
        while not stop.is_set():
            delay = interval
            try:
                self.run_once()
                if was_offline:
                    log.info("server reachable again")
                was_offline = False
            except Stopped:
                break
            except Unavailable as exc:
                retry_after = exc.retry_after if isinstance(exc, ServerBusy) else None
                delay = self.backoff.next_delay(retry_after)
                if not was_offline:
                    log.warning("offline: %s; retrying with backoff", exc)
                else:
                    log.debug("still offline: %s; next try in %.1f s", exc, delay)
                was_offline = True
            except AuthRefused as exc:
                delay = max(interval, self.backoff.cap)
                log.error("%s", exc)
            except UserError as exc:
                delay = max(interval, self.backoff.next_delay())
                log.error("sync round failed: %s", exc)
            except Exception:
                delay = max(interval, self.backoff.next_delay())
                log.exception("sync round failed")
            stop.wait(delay)
