"""Database work off the GUI thread for the back office: one lane, results back on the GUI thread.

`Context` is what every tab gets: the store, the lane, the command gateway, and `changed(area)` —
announced once after each write so every view showing that area refreshes itself. Changes are
made with `command(name, args)` (core/commands), which runs where the authority is. `read`/`write` run `fn(session)` on
the lane (off the GUI thread: `fn` must not touch widgets); `SyncRunner` does the same at once on
the calling thread, for table-model tests and benchmarks that have no event loop to wait on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from backoffice.errors import show_error
from core import commands
from core.commands.gateway import LocalGateway
from core.db.engine import Store
from pos_app.worker import Worker  # generic lane (no till code in it); shared rather than copied

__all__ = ["Context", "SyncRunner", "Worker"]

Job = Callable[[Any], Any]
Done = Callable[[Any], None]


class Context(QObject):
    """The back office's composition root: store + one database lane + change announcements."""

    #: an area ("products", "prices", "stock", …) changed; views of it reload
    changed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None, user: str = "backoffice",
                 gateway=None):
        super().__init__(parent)
        self.store = store
        self.user = user
        #: where commands run: this store (LocalGateway) or the central server (RemoteGateway)
        self.gateway = gateway or LocalGateway(store, user)
        self.error_parent = None  # the main window, once it exists
        self.worker = Worker("backoffice-db", on_error=self._on_error, parent=self)

    # --- running work ------------------------------------------------------------------------

    def submit(self, fn: Callable[[], Any], on_done: Done | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run `fn()` on the lane (use for core functions that open their own unit of work)."""
        self.worker.run(fn, on_done, on_error)

    def read(self, fn: Job, on_done: Done | None = None,
             on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run `fn(session)` in a read session on the lane; `on_done(result)` on the GUI thread."""
        def job():
            with self.store.read() as session:
                return fn(session)
        self.worker.run(job, on_done, on_error)

    def write(self, fn: Job, on_done: Done | None = None, *, area: str | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run `fn(session)` in a unit of work and commit it; then announce `area` once."""
        def job():
            with self.store.write() as session:
                result = fn(session)
                session.commit()
                return result

        def done(result):
            if on_done is not None:
                on_done(result)
            if area:
                self.changed.emit(area)
        self.worker.run(job, done, on_error)

    def command(self, name: str, args: dict | None = None, on_done: Done | None = None, *,
                area: str | None = None, on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run the command `name` (core/commands) where the authority is; then announce its area.

        Every change the back office makes goes through here: on the server's own database it
        runs in place, on a replica it is sent to the server and the change feed pulled after.
        """
        def done(result):
            if on_done is not None:
                on_done(result)
            changed = area or commands.get(name).area
            if changed and commands.get(name).writes:
                self.changed.emit(changed)
        self.worker.run(lambda: self.gateway.call(name, args), done, on_error)

    @property
    def remote(self) -> bool:
        return self.gateway.remote

    @property
    def idle(self) -> bool:
        return self.worker.idle

    def shutdown(self) -> None:
        self.worker.stop()

    def _on_error(self, exc: BaseException) -> None:
        show_error(self.error_parent, exc)


class SyncRunner:
    """`Context`'s read/write/submit run at once on this thread (tests, benchmarks; no Qt needed)."""

    def __init__(self, store: Store, user: str = "test", gateway=None):
        self.store = store
        self.user = user
        self.gateway = gateway or LocalGateway(store, user)
        self.announced: list[str] = []

    def command(self, name, args=None, on_done=None, *, area=None, on_error=None):
        self._finish(lambda: self.gateway.call(name, args), on_done, on_error)
        if commands.get(name).writes:
            self.announced.append(area or commands.get(name).area)

    def submit(self, fn, on_done=None, on_error=None):
        self._finish(fn, on_done, on_error)

    def read(self, fn, on_done=None, on_error=None):
        def job():
            with self.store.read() as session:
                return fn(session)
        self._finish(job, on_done, on_error)

    def write(self, fn, on_done=None, *, area=None, on_error=None):
        def job():
            with self.store.write() as session:
                result = fn(session)
                session.commit()
                return result
        self._finish(job, on_done, on_error)
        if area:
            self.announced.append(area)

    @staticmethod
    def _finish(job, on_done, on_error):
        try:
            result = job()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
            return
        if on_done is not None:
            on_done(result)
