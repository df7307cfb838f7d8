"""`butik demo` with a window: the demo shop's server embedded in this process, the till on its own replica.

The till is enrolled with the embedded server like any other till (one-time code, device token),
bootstraps its replica from the server's snapshot, and a sync engine thread pushes its receipts
and pulls changes every two seconds — the same path a real shop uses, in one process. The demo
keeps the till's token in a 0600 file in the demo folder, so it runs on machines with no keyring.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from core.db import open_store
from core.db.engine import Store
from core.paths import config_dir, replica_path, server_db_path
from core.progress import cli_progress
from core.secrets import TOKEN_FILE_ENV, get_token
from core.sync import state
from core.sync.engine import SyncEngine, client_for
from core.sync.enrolment import enrol
from core.sync.replica import bootstrap, is_bootstrapped

log = logging.getLogger(__name__)

DEMO_PORT = 8765
DEMO_REGISTER = "STHLM-K1"
DEMO_DEVICE = "Demokassa 1"
SYNC_INTERVAL_S = 2.0


def connect_replica(replica: Store, server_store: Store, url: str, quiet: bool = False) -> None:
    """Enrol the demo till with the embedded server (once) and bring its replica up to date."""
    from core.auth.service import create_enrolment_code

    with replica.read() as s:
        device, known_url = state.get(s, state.DEVICE_ID), state.get(s, state.SERVER_URL)
    if not device or not get_token(url):
        with server_store.write() as s:
            code = create_enrolment_code(s, DEMO_DEVICE, "pos", register_code=DEMO_REGISTER)["code"]
            s.commit()
        enrol(replica, url, code, DEMO_DEVICE)
    elif known_url != url:  # same server database, another port this time
        with replica.write() as s:
            state.put(s, **{state.SERVER_URL: url})
            s.commit()
    client = client_for(replica)
    try:
        if not is_bootstrapped(replica):
            with cli_progress("Fetching the shop to the till", enabled=not quiet) as progress:
                bootstrap(replica, client, progress)
        SyncEngine(replica, client).run_once()
    finally:
        client.close()


class SyncThread:
    """The till's sync engine on a background thread until stopped."""

    def __init__(self, replica: Store):
        self.stop_event = threading.Event()
        self.client = client_for(replica)
        self.engine = SyncEngine(replica, self.client, stop=self.stop_event)
        self.thread = threading.Thread(target=self.engine.run_forever, args=(SYNC_INTERVAL_S,),
                                       name="butik-demo-sync", daemon=True)

    def start(self) -> "SyncThread":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(10)
        self.client.close()


def start_demo(folder: Path, quiet: bool = False):
    """Server up, till enrolled and synced: returns (server, server_store, replica) for the caller to close."""
    from pos_app.auth import ensure_demo_people
    from server.embedded import EmbeddedServer

    os.environ.setdefault(TOKEN_FILE_ENV, str(Path(folder) / "demo-till.token"))
    server_store = open_store(server_db_path(folder))
    replica = None
    try:
        ensure_demo_people(server_store)
        server = EmbeddedServer(server_store, port=DEMO_PORT)
        server.start()
        replica = open_store(replica_path(folder))
        connect_replica(replica, server_store, server.url, quiet=quiet)
        return server, server_store, replica
    except BaseException:
        if replica is not None:
            replica.dispose()
        server_store.dispose()
        raise


def run_demo(folder) -> int:
    from pos_app.launch import _show, application, open_window

    folder = Path(folder)
    server, server_store, replica = start_demo(folder)
    sync = None
    try:
        app = application()
        window = open_window(replica, folder=config_dir(folder), register_code=DEMO_REGISTER)
        sync = SyncThread(replica).start()
        print(f"Butik demo: server {server.url}, till {DEMO_REGISTER}; PINs: anna 1111, erik 2222, "
              "chef 9999 (manager)")
        return _show(window, app)
    finally:
        if sync is not None:
            sync.stop()
        server.stop()
        replica.dispose()
        server_store.dispose()
