"""The server inside another process: uvicorn on 127.0.0.1 in a background thread (the demo, one-PC shops).

`EmbeddedServer(store).start()` returns the base URL once the socket listens; `stop()` lets the
requests in flight finish. The store is the server's database, opened by the caller.
"""

from __future__ import annotations

import socket
import threading
import time

from core.db import Store
from core.errors import Unavailable


def free_port(preferred: int | None = None, host: str = "127.0.0.1") -> int:
    """`preferred` when it is free, else any free port."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise Unavailable("no free TCP port on this machine")


class EmbeddedServer:
    def __init__(self, store: Store, *, host: str = "127.0.0.1", port: int | None = None):
        self.store, self.host = store, host
        self.port = free_port(port, host)
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20) -> str:
        import uvicorn

        from server.app import create_app

        config = uvicorn.Config(create_app(self.store), host=self.host, port=self.port,
                                log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=5)
        self._server = uvicorn.Server(config)
        self._server.install_signal_handlers = lambda: None  # the host process owns its signals
        self._thread = threading.Thread(target=self._server.run, name="butik-embedded-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise Unavailable(f"the embedded server did not start on {self.url}")
            time.sleep(0.02)
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
