"""`butik demo`: the till enrolled with an embedded server, selling on its replica, sales reaching the server."""

from __future__ import annotations

from sqlalchemy import text

from core.db import open_store
from core.demo.builder import build_demo
from core.paths import server_db_path
from core.sync.engine import SyncEngine, client_for
from pos_app.demo import start_demo
from tests.gui.support import Pos, barcode_of_single


def _scalar(store, sql, **params):
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_the_demo_till_sells_on_its_replica_and_the_sale_reaches_the_server(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("BUTIK_TOKEN_FILE", str(tmp_path / "till.token"))
    shop = open_store(server_db_path(tmp_path))
    build_demo(shop, products=150, customers=10)
    shop.dispose()

    monkeypatch.setattr("pos_app.demo.DEMO_REGISTER", "STHLM-K2")  # not the first register: enrolment decides
    server, server_store, replica = start_demo(tmp_path, quiet=True)
    try:
        # the replica holds the shop, and the cashiers' PINs without any password hash
        assert _scalar(replica, "SELECT count(*) FROM product") == _scalar(server_store, "SELECT count(*) FROM product")
        assert _scalar(replica, "SELECT count(*) FROM user_account WHERE pin_hash IS NOT NULL") >= 3
        assert _scalar(replica, "SELECT count(*) FROM user_account WHERE password_hash IS NOT NULL") == 0

        pos = Pos(qtbot, replica, tmp_path / "config")
        assert pos.window.ctx.session.register.code == "STHLM-K2"
        pos.login("anna", "1111")  # a real PIN check on the replica, not open mode
        code, pid = barcode_of_single(replica)
        before = _scalar(server_store, "SELECT coalesce(sum(on_hand), 0) FROM stock_level WHERE product_id = :p",
                         p=pid)
        pos.burst(code, pos.window.sale.search)
        pos.pay()
        pos.window.payment.pay_cash()
        pos.window.payment.complete()
        pos.wait()
        pos.close()

        client = client_for(replica)
        try:
            SyncEngine(replica, client).run_once()
        finally:
            client.close()
        assert _scalar(server_store, "SELECT count(*) FROM sales_receipt WHERE register_code = :r",
                       r="STHLM-K2") == 1
        after = _scalar(server_store, "SELECT sum(on_hand) FROM stock_level WHERE product_id = :p", p=pid)
        assert after == before - 1000
        # the new level came back down to the till
        assert _scalar(replica, "SELECT sum(on_hand) FROM stock_level WHERE product_id = :p", p=pid) == after
        assert _scalar(replica, "SELECT count(*) FROM outbox_event WHERE acked_at IS NULL") == 0
    finally:
        server.stop()
        replica.dispose()
        server_store.dispose()
