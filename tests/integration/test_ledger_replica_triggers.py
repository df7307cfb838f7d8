"""Migration 0004: a posted voucher stays immutable in the database everywhere except on an enrolled
replica, where the change feed's idempotent upserts (and a replay's stale-row removal) must apply."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from core.db.migrate import alembic_config
from core.ledger.models import Voucher, VoucherRow
from core.sync import state
from core.sync.apply import TableWriter, apply_connection

REFUSED = "a posted voucher cannot be changed"


def post_one(store) -> int:
    """A balanced manual voucher, posted as the server would; its id."""
    from core.ledger.chart import seed_ledger
    from core.ledger.posting import Row, post_manual

    with store.write() as s:
        seed_ledger(s)
        voucher = post_manual(s, dt.date(2026, 5, 4), "Bank charges",
                              [Row(6570, 12_550), Row(1930, -12_550)], "lisa")
        s.commit()
        return voucher.id


def enrol(store) -> None:
    with store.write() as s:
        state.put(s, **{state.SERVER_URL: "https://butik.example:8443"})
        s.commit()


def rows_of(store, voucher_id: int) -> list[dict]:
    with store.read() as s:
        return [dict(r._mapping) for r in s.execute(
            select(VoucherRow.__table__).where(VoucherRow.voucher_id == voucher_id)
            .order_by(VoucherRow.id))]


def reapply(store, table, rows: list[dict]) -> None:
    """What the replica does with a page of feed changes: an upsert through the sync writer."""
    writer = TableWriter(table, "sqlite")
    with apply_connection(store) as conn:
        writer.upsert(conn, [dict(r) for r in rows])
        conn.commit()


def raw(store, sql: str, **params) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_a_normal_database_still_refuses_update_and_delete(store):
    vid = post_one(store)
    for sql in ("UPDATE voucher_row SET amount = 1 WHERE voucher_id = :v",
                "UPDATE voucher SET text = 'changed' WHERE id = :v",
                "DELETE FROM voucher_row WHERE voucher_id = :v",
                "DELETE FROM voucher WHERE id = :v"):
        with pytest.raises(DBAPIError, match=REFUSED):
            raw(store, sql, v=vid)
    rows = rows_of(store, vid)
    with pytest.raises(DBAPIError, match=REFUSED):  # the feed's upsert is an UPDATE here too
        reapply(store, VoucherRow.__table__, [{**rows[0], "text": "changed"}])
    assert rows_of(store, vid) == rows


def test_an_enrolled_replica_applies_the_feeds_upserts_and_deletes(store):
    vid = post_one(store)
    enrol(store)
    rows = rows_of(store, vid)
    reapply(store, VoucherRow.__table__, rows)  # the same change sent twice: idempotent
    assert rows_of(store, vid) == rows
    reapply(store, VoucherRow.__table__, [{**rows[0], "text": "as on the server"}])
    assert rows_of(store, vid)[0]["text"] == "as on the server"
    with store.read() as s:
        head = dict(s.execute(select(Voucher.__table__).where(Voucher.id == vid)).one()._mapping)
    reapply(store, Voucher.__table__, [{**head, "text": "Bank charges (server)"}])
    raw(store, "DELETE FROM voucher_row WHERE voucher_id = :v", v=vid)  # a replay's stale row
    assert rows_of(store, vid) == []
    # the ORM still refuses: nothing on the workstation edits a voucher by itself
    with store.write() as s:
        s.get(Voucher, vid).text = "edited"
        with pytest.raises(Exception, match="cannot be changed"):
            s.flush()


def test_leaving_the_server_makes_the_triggers_refuse_again(store):
    vid = post_one(store)
    enrol(store)
    raw(store, "UPDATE voucher SET text = 'from the feed' WHERE id = :v", v=vid)
    with store.write() as s:
        state.put(s, **{state.SERVER_URL: None})
        s.commit()
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(store, "UPDATE voucher SET text = 'local edit' WHERE id = :v", v=vid)


def test_downgrade_to_0003_restores_the_unconditional_triggers(store):
    vid = post_one(store)
    enrol(store)
    with store.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    with pytest.raises(DBAPIError, match=REFUSED):
        raw(store, "UPDATE voucher_row SET text = 'x' WHERE voucher_id = :v", v=vid)
    with store.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    raw(store, "UPDATE voucher_row SET text = 'x' WHERE voucher_id = :v", v=vid)
    assert {r["text"] for r in rows_of(store, vid)} == {"x"}
