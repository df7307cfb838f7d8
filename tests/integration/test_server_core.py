"""Server-side use cases on SQLite and PostgreSQL: change log capture, gap-free numbers, auth."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from core.auth import service as auth
from core.auth.hashing import hash_secret, verify_secret
from core.db import open_store
from core.inventory.models import Location
from core.numbering import last_number, next_number
from core.sync.changelog import ChangeLog, changes_after, current_seq, log_all, log_change


def all_changes(store):
    with store.read() as s:
        return changes_after(s, 0, 5000)[0]


def test_orm_writes_are_logged_with_full_rows_in_gap_free_order(db):
    with db.write() as s:
        s.add_all([Location(code="S1", name="Butiken", kind="store"),
                   Location(code="W1", name="Lagret", kind="warehouse")])
        s.commit()
    with db.write() as s:
        loc = s.scalar(select(Location).where(Location.code == "S1"))
        loc.name = "Butiken City"
        s.delete(s.scalar(select(Location).where(Location.code == "W1")))
        s.commit()
    changes = all_changes(db)
    assert [c["seq"] for c in changes] == list(range(1, len(changes) + 1))
    assert [(c["table"], c["op"]) for c in changes] == [
        ("location", "upsert"), ("location", "upsert"), ("location", "upsert"),
        ("location", "delete")]
    assert changes[2]["row"] == {"id": changes[2]["pk"]["id"], "code": "S1",
                                 "name": "Butiken City", "kind": "store"}
    assert changes[3]["row"] is None
    with db.read() as s:
        assert current_seq(s) == 4


def test_rollback_uses_no_seq_and_logs_nothing(db):
    with db.write() as s:
        s.add(Location(code="X", name="x", kind="store"))
        s.flush()
        # no commit: the unit of work rolls back
    with db.write() as s:
        s.add(Location(code="Y", name="y", kind="store"))
        s.commit()
    changes = all_changes(db)
    assert [(c["seq"], c["row"]["code"]) for c in changes] == [(1, "Y")]


def test_core_writes_are_logged_through_log_change(db):
    with db.write() as s:
        s.execute(text("INSERT INTO location (id, code, name, kind) VALUES (7, 'C', 'core', 'store')"))
        log_change(s, "location", "upsert", {"id": 7})
        log_change(s, "outbox_event", "upsert", {"seq": 1})  # not synced: ignored
        s.commit()
    assert [(c["pk"], c["row"]["name"]) for c in all_changes(db)] == [({"id": 7}, "core")]
    with db.write() as s:
        assert log_all(s, "location") == 1
        s.commit()
    assert [c["seq"] for c in all_changes(db)] == [1, 2]


def test_capture_is_off_where_it_was_not_enabled(tmp_path):
    replica = open_store(tmp_path / "replica.sqlite")
    try:
        with replica.write() as s:
            s.add(Location(code="R", name="r", kind="store"))
            s.commit()
        with replica.read() as s:
            assert s.scalar(select(ChangeLog.seq)) is None
    finally:
        replica.dispose()


def test_numbers_are_gap_free_and_unique_under_concurrency(db):
    got: list[int] = []
    lock = threading.Lock()

    def worker():
        for _ in range(15):
            with db.write() as s:
                n = next_number(s, "invoices")
                s.commit()
            with lock:
                got.append(n)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 121))
    with db.write() as s:
        next_number(s, "invoices")  # rolled back: the number is given back
    with db.read() as s:
        assert last_number(s, "invoices") == 120
        assert last_number(s, "orders") == 0


def test_a_bad_series_name_is_refused_naming_the_field(db):
    with db.write() as s, pytest.raises(Exception) as exc:
        next_number(s, "Bad Series!")
    assert getattr(exc.value, "field", None) == "series"


def test_scrypt_hashes_verify_and_differ_by_salt():
    a, b = hash_secret("hemligt1"), hash_secret("hemligt1")
    assert a != b and a.startswith("scrypt$")
    assert verify_secret("hemligt1", a) and not verify_secret("hemligt2", a)
    assert not verify_secret("x", "garbage") and not verify_secret("x", None)


def test_login_enrol_once_and_revoke(db):
    with db.write() as s:
        user = auth.add_user(s, "chef", "manager", password="langtlosen", pin="4321")
        s.commit()
        uid = user.id
    with db.write() as s:
        with pytest.raises(auth.Unauthorized):
            auth.login(s, "chef", "fel-losen")
        with pytest.raises(auth.Unauthorized):
            auth.login(s, "ingen", "langtlosen")
        session = auth.login_pin(s, "chef", "4321")
        code = auth.create_enrolment_code(s, "Kassa 1", "pos", "K1", created_by=uid)["code"]
        s.commit()
    with db.read() as s:
        who = auth.authenticate(s, session["token"])
        assert (who.kind, who.role, who.has_role("cashier"), who.has_role("admin")) == \
            ("user", "manager", True, False)
    with db.write() as s:
        dev = auth.enrol(s, code.lower().replace("-", ""), "Kassa 1")
        s.commit()
    with db.write() as s, pytest.raises(auth.Unauthorized):
        auth.enrol(s, code, "again")  # one-time
    with db.write() as s:
        assert auth.authenticate(s, dev["token"]).register_code == "K1"
        auth.revoke_device(s, dev["device_id"])
        s.commit()
    with db.read() as s, pytest.raises(auth.Unauthorized):
        auth.authenticate(s, dev["token"])
    with db.read() as s:  # only hashes are stored
        stored = " ".join(str(v) for row in s.execute(text("SELECT * FROM device")) for v in row)
        assert dev["token"] not in stored


def test_changes_inside_a_savepoint_are_logged_once_at_the_real_commit(db):
    with db.write() as s:
        with s.begin_nested():
            s.add(Location(code="N", name="nested", kind="store"))
        # nothing was logged (nor the counter taken) when the savepoint was released
        assert s.scalar(select(ChangeLog.seq)) is None and current_seq(s) == 0
        with s.begin_nested() as sp:
            s.add(Location(code="G", name="gone", kind="store"))
            s.flush()
            sp.rollback()
        s.commit()
    changes = all_changes(db)
    assert [(c["seq"], c["op"]) for c in changes[:1]] == [(1, "upsert")]
    assert changes[0]["row"]["code"] == "N"
    assert all(c["op"] == "delete" for c in changes[1:])  # the rolled-back row: a harmless delete
