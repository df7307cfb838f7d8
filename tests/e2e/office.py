"""A back-office workstation against a real server: a live `butik server` on a small shop, a
replica enrolled as a `backoffice` device and bootstrapped (office scope), and a RemoteGateway
for the manager — what `butik backoffice` builds on a workstation after the login dialog.

    with office_workstation(tmp_path, monkeypatch) as office:
        office.gateway.call("customers.create", {...})   # runs on the server, then pulls
        office.server_rows("select … from customer")     # the server's database
        office.replica                                    # the workstation's Store
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from core.commands.gateway import RemoteGateway
from core.db import open_store
from core.db.engine import Store
from core.secrets import set_token
from core.sync.client import SyncClient
from core.sync.replica import bootstrap
from tests.live import MANAGER, MANAGER_PASSWORD, LiveServer, live_server
from tests.sync_support import enrol_replica, seed_shop


@dataclass
class Office:
    server: LiveServer
    db_url: str
    replica: Store
    device_token: str
    gateway: RemoteGateway
    shop: dict

    def server_rows(self, sql: str, **params) -> list[tuple]:
        store = open_store(self.db_url, migrate=False)
        try:
            with store.read() as s:
                return [tuple(r) for r in s.execute(text(sql), params)]
        finally:
            store.dispose()

    def replica_rows(self, sql: str, **params) -> list[tuple]:
        with self.replica.read() as s:
            return [tuple(r) for r in s.execute(text(sql), params)]

    def user_client(self, username: str = MANAGER, password: str = MANAGER_PASSWORD) -> SyncClient:
        return SyncClient(self.server.url, self.server.login(username, password))


@contextlib.contextmanager
def office_workstation(tmp_path: Path, monkeypatch, *, demo: bool = False,
                       products: int = 20) -> Iterator[Office]:
    db_url = f"sqlite:///{tmp_path / 'server.sqlite'}"
    shop = seed_shop(db_url, products=products, stock=100, demo=demo)
    monkeypatch.setenv("BUTIK_TOKEN_FILE", str(tmp_path / "device-token"))
    with live_server(tmp_path, db_url) as srv:
        replica, token = enrol_replica(tmp_path / "office-replica.sqlite", srv.url, db_url,
                                       "office", kind="backoffice")
        set_token(srv.url, token)
        feed = SyncClient(srv.url, token)
        bootstrap(replica, feed)
        gateway = RemoteGateway(replica, SyncClient(srv.url, srv.login(MANAGER, MANAGER_PASSWORD)),
                                feed, MANAGER)
        try:
            yield Office(srv, db_url, replica, token, gateway, shop)
        finally:
            gateway.server.close()
            feed.close()
            replica.dispose()
