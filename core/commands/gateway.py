"""Where back-office commands run: on the database the window opened, or on the central server.

`LocalGateway` runs a command in a unit of work on its own store (the server's database in a
one-PC shop, tests, the demo). `RemoteGateway` sends it to the server with a command id (the
server applies it exactly once: a retry with the same id returns the first answer), then pulls
the change feed into the replica so every view shows the result. A command the server never
answered keeps its id: asking again with the same arguments reuses it, so a dropped answer can
never run it twice.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from core.commands import get, run
from core.db.base import new_uuid
from core.db.engine import Store
from core.errors import Unavailable

log = logging.getLogger(__name__)


class LocalGateway:
    """Runs commands on `store` directly (it is the authority: the server's own database)."""

    remote = False

    def __init__(self, store: Store, who: str):
        self.store = store
        self.who = who

    def call(self, name: str, args: dict | None = None) -> Any:
        cmd = get(name)
        if not cmd.writes:
            with self.store.read() as session:
                return run(session, name, self.who, args)
        with self.store.write() as session:
            result = run(session, name, self.who, args)
            session.commit()
            return result


class RemoteGateway:
    """Runs commands on the server (user token), then brings the replica up to date (device token)."""

    remote = True

    def __init__(self, replica: Store, server, feed, who: str, *, pull_timeout: float = 30.0):
        self.store = replica
        self.server = server      # SyncClient with the logged-in user's session token
        self.feed = feed          # SyncClient with this device's token (the replica's scope)
        self.who = who
        self.pull_timeout = pull_timeout
        self._unanswered: dict[str, str] = {}
        self._lock = threading.Lock()

    def call(self, name: str, args: dict | None = None) -> Any:
        cmd = get(name)
        if not cmd.writes:
            return self.server.command(name, None, args or {})["result"]
        key = json.dumps([name, args or {}], sort_keys=True, separators=(",", ":"))
        with self._lock:
            command_id = self._unanswered.setdefault(key, new_uuid())
        try:
            answer = self.server.command(name, command_id, args or {})
        except Unavailable:
            raise  # unanswered: the same id is used when the user tries again
        except Exception:
            with self._lock:
                self._unanswered.pop(key, None)  # refused: nothing happened, a retry is new
            raise
        with self._lock:
            self._unanswered.pop(key, None)
        self.catch_up(int(answer.get("seq") or 0))
        return answer["result"]

    def catch_up(self, seq: int = 0) -> int:
        """Pull the change feed into the replica (at least up to `seq`); the number of changes."""
        return catch_up(self.store, self.feed, seq)


class OfflineGateway:
    """A replica whose server cannot be reached (or no one logged in): reading only.

    Every command is refused with a clear message and nothing changes; the feed is still pulled
    when the server comes back, so what is shown stays current.
    """

    remote = True

    def __init__(self, replica: Store, feed, who: str, server_url: str, reason: str):
        self.store = replica
        self.feed = feed
        self.who = who
        self.server_url = server_url
        self.reason = reason

    def call(self, name: str, args: dict | None = None) -> Any:
        get(name)
        raise Unavailable(f"changes need the server at {self.server_url}, and this window is "
                          f"working without it ({self.reason}); nothing was changed. Restart the "
                          "back office when the server can be reached, and log in.")

    def catch_up(self, seq: int = 0) -> int:
        return catch_up(self.store, self.feed, seq) if self.feed is not None else 0


def catch_up(store: Store, feed, seq: int = 0) -> int:
    """Pull the change feed into the replica; the number of changes applied."""
    from core.sync import state
    from core.sync.replica import pull

    result = pull(store, feed)
    with store.read() as session:
        cursor = state.get_cursor(session) or 0
    if cursor < seq:
        log.warning("replica at %s after the pull, command committed at %s", cursor, seq)
    return result.changes
