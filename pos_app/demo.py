"""`butik demo` with a window: the demo shop's server embedded in this process, the till on its own replica.

The till is enrolled with the embedded server like any other till (one-time code, device token),
bootstraps its replica from the server's snapshot, and a sync engine thread pushes its receipts
and pulls changes every two seconds — the same path a real shop uses, in one process. The demo
keeps the till's token in a 0600 file in the demo folder, so it runs on machines with no keyring.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from core.db import open_store
from core.db.engine import Store
from core.paths import config_dir, replica_path, server_db_path
from core.secrets import TOKEN_FILE_ENV
from pos_app.standalone import SyncThread, connect_local_replica

__all__ = ["SyncThread", "connect_replica", "run_demo", "start_demo"]

log = logging.getLogger(__name__)

DEMO_PORT = 8765
DEMO_REGISTER = "STHLM-K1"
DEMO_DEVICE = "Demokassa 1"


def connect_replica(replica: Store, server_store: Store, url: str, quiet: bool = False) -> None:
    """Enrol the demo till with the embedded server (once) and bring its replica up to date."""
    connect_local_replica(replica, server_store, url, device_name=DEMO_DEVICE,
                          register_code=DEMO_REGISTER, quiet=quiet)


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


def run_demo(folder, shops: int = 0, order_every_s: float = 20.0) -> int:
    from pos_app.launch import _show, application, open_window

    folder = Path(folder)
    server, server_store, replica = start_demo(folder)
    sync = webshops = None
    try:
        if shops:  # simulated webshops sending orders into the server's database (core/demo/shops.py)
            from core.demo.shops import start_demo_shops
            webshops = start_demo_shops(server_store, shops, order_every_s)
            print(webshops.describe() + "; `butik demo --shops 0` turns them off")
        app = application()
        window = open_window(replica, folder=config_dir(folder), register_code=DEMO_REGISTER)
        sync = SyncThread(replica).start()
        print(f"Butik demo: server {server.url}, till {DEMO_REGISTER}; PINs: anna 1111, erik 2222, "
              "chef 9999 (manager)")
        return _show(window, app)
    finally:
        if webshops is not None:
            webshops.close()
        if sync is not None:
            sync.stop()
        server.stop()
        replica.dispose()
        server_store.dispose()
