"""A shop on one PC: its server embedded in the till's process, the till on its own enrolled replica.

`butik demo` and a single-machine shop made by the first-run wizard share these pieces: enrol the
till with the embedded server once (a one-time code made right here), bootstrap its replica, and
keep a sync engine thread pushing receipts and pulling changes. The till's token is kept in a 0600
file in the data folder (the server's database sits beside it, so a keyring adds nothing).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from core.db import open_store
from core.db.engine import Store
from core.paths import replica_path, server_db_path
from core.progress import Progress, cli_progress
from core.secrets import TOKEN_FILE_ENV, get_token
from core.sync import state
from core.sync.engine import SyncEngine, client_for
from core.sync.enrolment import enrol
from core.sync.replica import bootstrap, is_bootstrapped

log = logging.getLogger(__name__)

SHOP_PORT = 8766
SYNC_INTERVAL_S = 2.0
TOKEN_FILE = "till.token"


def connect_local_replica(replica: Store, server_store: Store, url: str, *, device_name: str,
                          register_code: str, progress: Progress | None = None, quiet: bool = False) -> None:
    """Enrol the till with the embedded server (once) and bring its replica up to date."""
    from core.auth.service import create_enrolment_code

    with replica.read() as s:
        device, known_url = state.get(s, state.DEVICE_ID), state.get(s, state.SERVER_URL)
    if not device or not get_token(url):
        with server_store.write() as s:
            code = create_enrolment_code(s, device_name, "pos", register_code=register_code)["code"]
            s.commit()
        enrol(replica, url, code, device_name)
    elif known_url != url:  # same server database, another port this time
        with replica.write() as s:
            state.put(s, **{state.SERVER_URL: url})
            s.commit()
    client = client_for(replica)
    try:
        if not is_bootstrapped(replica):
            if progress is not None:
                bootstrap(replica, client, progress)
            else:
                with cli_progress("Fetching the shop to the till", enabled=not quiet) as bar:
                    bootstrap(replica, client, bar)
        SyncEngine(replica, client).run_once()
    finally:
        client.close()


class SyncThread:
    """The till's sync engine on a background thread until stopped."""

    def __init__(self, replica: Store, name: str = "butik-sync"):
        self.stop_event = threading.Event()
        self.client = client_for(replica)
        self.engine = SyncEngine(replica, self.client, stop=self.stop_event)
        self.thread = threading.Thread(target=self.engine.run_forever, args=(SYNC_INTERVAL_S,),
                                       name=name, daemon=True)

    def start(self) -> SyncThread:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(10)
        self.client.close()


class LocalShop:
    """The embedded server, its database and the till's replica; `close()` stops and closes them."""

    def __init__(self, server, server_store: Store, replica: Store):
        self.server, self.server_store, self.replica = server, server_store, replica
        self.sync: SyncThread | None = None

    def start_sync(self) -> SyncThread:
        self.sync = SyncThread(self.replica).start()
        return self.sync

    def close(self) -> None:
        if self.sync is not None:
            self.sync.stop()
        self.server.stop()
        self.replica.dispose()
        self.server_store.dispose()


def start_local_shop(folder: Path, *, register_code: str, device_name: str, port: int = SHOP_PORT,
                     prepare=None, progress: Progress | None = None, quiet: bool = False,
                     token_file: str = TOKEN_FILE) -> LocalShop:
    """Server up on 127.0.0.1, till enrolled and synced. Blocks on network and disk: not the GUI thread.

    `prepare(server_store)` runs before the server starts (the demo adds its cashiers there).
    """
    from server.embedded import EmbeddedServer

    os.environ.setdefault(TOKEN_FILE_ENV, str(Path(folder) / token_file))
    server_store = open_store(server_db_path(folder))
    replica = server = None
    try:
        if prepare is not None:
            prepare(server_store)
        server = EmbeddedServer(server_store, port=port)
        server.start()
        replica = open_store(replica_path(folder))
        connect_local_replica(replica, server_store, server.url, device_name=device_name,
                              register_code=register_code, progress=progress, quiet=quiet)
        return LocalShop(server, server_store, replica)
    except BaseException:
        if server is not None:
            server.stop()
        if replica is not None:
            replica.dispose()
        server_store.dispose()
        raise


def run_local_shop(folder: Path, register_code: str | None = None) -> int:
    """`butik pos` on a single-machine shop: start the server embedded, then the till on its replica."""
    from core.paths import config_dir
    from core.setup.first_run import read_standalone
    from pos_app.launch import _show, application, open_window

    folder = Path(folder)
    marker = read_standalone(folder) or {}
    code = register_code or marker.get("register_code")
    shop = start_local_shop(folder, register_code=code, device_name=f"Kassa {code}")
    try:
        app = application()
        window = open_window(shop.replica, folder=config_dir(folder), register_code=code)
        shop.start_sync()
        return _show(window, app)
    finally:
        shop.close()
