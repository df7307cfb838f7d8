"""Background work for the till: one thread per lane, results delivered on the GUI thread by a signal.

The GUI thread never waits on the database, a printer or the network. `Worker.run(fn, on_done,
on_error)` queues `fn` on the lane's own thread (one writer thread for the local database, like
Anki's task manager; a second lane for the printer, so a printer timeout never holds up a sale).
`fn` runs off the GUI thread and must not touch widgets; its result (or exception) comes back
through `_finished`, a queued signal, and the callbacks run on the GUI thread in submission order.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Worker(QObject):
    """A single background thread running jobs in order (a lane)."""

    _finished = Signal()
    #: emitted on the GUI thread whenever the lane becomes idle or busy
    busy_changed = Signal(bool)

    def __init__(self, name: str, on_error: Failed | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self._default_error = on_error
        self._jobs: queue.Queue = queue.Queue()
        self._done: deque = deque()  # finished jobs, appended off and taken on the GUI thread
        self._pending = 0
        self._finished.connect(self._deliver)
        self._thread = threading.Thread(target=self._loop, name=f"butik-{name}", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        """Jobs queued or running whose callbacks have not run yet (GUI thread view)."""
        return self._pending

    @property
    def idle(self) -> bool:
        return self._pending == 0

    def run(self, fn: Callable[[], Any], on_done: Done | None = None,
            on_error: Failed | None = None) -> None:
        """Queue `fn` (runs off the GUI thread); then `on_done(result)` or `on_error(exc)` on it."""
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._jobs.put((fn, on_done, on_error))

    def stop(self, timeout: float = 5.0) -> None:
        """Finish queued jobs, then end the thread (callbacks of jobs still queued are dropped)."""
        self._jobs.put(None)
        self._thread.join(timeout)

    # --- off the GUI thread ------------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fn, on_done, on_error = job
            try:
                result, error = fn(), None
            except BaseException as exc:  # noqa: BLE001 — delivered to the GUI, never swallowed
                exc.__butik_traceback__ = traceback.format_exc()
                result, error = None, exc
            # The GUI thread takes the only references (the job's closures may hold Qt objects,
            # which must be destroyed there, never on this thread).
            self._done.append((on_done, on_error, result, error, fn))
            del job, fn, on_done, on_error, result, error
            try:
                self._finished.emit()
            except RuntimeError:  # the QObject is gone (window closed): nothing to tell
                return

    # --- on the GUI thread -------------------------------------------------------------------

    def _deliver(self) -> None:
        on_done, on_error, result, error, _fn = self._done.popleft()
        self._pending -= 1
        try:
            if error is None:
                if on_done is not None:
                    on_done(result)
            else:
                handler = on_error or self._default_error
                if handler is None:
                    raise error
                handler(error)
        finally:
            if self._pending == 0:
                self.busy_changed.emit(False)
