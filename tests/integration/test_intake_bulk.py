"""Receipt batches applied set-based (server.intake_bulk), on SQLite and PostgreSQL: every guarantee of one-by-one.

Mixed good and bad events in one batch, duplicates inside a batch, bundles, training receipts,
replays across batches, negative stock, the change feed, and concurrent pushes of the same events.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import uuid
from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select, text

from core.auth.service import Principal
from core.inventory.levels import check_levels, level
from core.inventory.models import StockException, StockMovement
from core.inventory.movements import MovementIn, record_movements
from core.sync.changelog import changes_after, touch_levels_of_movements
from server.db import transact
from server.intake import _one_by_one, apply_events
from tests.integration.test_inventory import add_bundle, add_location, add_product
from tests.sync_support import receipt_body

DEVICE = Principal("device", "00000000-0000-4000-8000-000000000001", "Kassa 1",
                   device_kind="pos", register_code="K1")




@pytest.fixture
def shop(db):
    """A store location, six stocked products with 10 pieces each, a bundle of two of them."""
    with db.write() as s:
        loc = add_location(s, "BUTIK")
        products = [add_product(s) for _ in range(6)]
        bundle = add_bundle(s, {products[0]: 1000, products[1]: 2000})
        parent = add_product(s, stocked=False, product_type="variant_parent")
        touch_levels_of_movements(s, record_movements(s, [
            MovementIn(p, loc, 10_000, "initial", None, None, f"seed:{p}") for p in products]))
        s.commit()
    return {"loc": loc, "products": products, "bundle": bundle, "parent": parent}


_numbers = iter(range(1, 1_000_000))


def receipt(shop, lines, *, register="K1", number=None, kind="sale", location=None) -> tuple:
    """An event tuple (id, type, body, created_at); lines: [(product_id, qty_milli)]."""
    body = receipt_body(register_code=register, location_id=location or shop["loc"],
                        number=number or next(_numbers), kind=kind,
                        lines=[(pid, f"SKU-{pid}", qty, 1000) for pid, qty in lines])
    return (str(uuid.uuid4()), "receipt", body, None)


def on_hand(db, shop, product) -> int:
    with db.read() as s:
        return level(s, product, shop["loc"]).on_hand


def movements_of(db, receipt_id: str) -> list[tuple[int, int]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(
            select(StockMovement.product_id, StockMovement.qty)
            .where(StockMovement.source_id == receipt_id).order_by(StockMovement.id))]


def assert_consistent(db):
    """Levels equal the ledger; the change feed is gap-free and ends on each level's current row."""
    with db.read() as s:
        assert check_levels(s.connection()) == []
        feed = changes_after(s, 0, 100_000)[0]
        levels = {(r.product_id, r.location_id): int(r.on_hand)
                  for r in s.execute(text("SELECT product_id, location_id, on_hand FROM stock_level"))}
    assert [c["seq"] for c in feed] == list(range(1, len(feed) + 1))
    last = {}
    for c in feed:
        if c["table"] == "stock_level":
            last[(c["pk"]["product_id"], c["pk"]["location_id"])] = c["row"]["on_hand"]
    assert last == levels


# ---------------------------------------------------------------------------- one batch

def test_a_bad_event_is_rejected_alone_and_the_rest_of_the_batch_applied(db, shop):
    p = shop["products"]
    good1 = receipt(shop, [(p[0], 1000), (p[1], 2000)])
    no_location = receipt(shop, [(p[0], 1000)], location=999_999)
    no_product = receipt(shop, [(p[2], 1000), (888_888, 1000)])
    template = receipt(shop, [(shop["parent"], 1000)])
    good2 = receipt(shop, [(p[0], 3000)])
    out = apply_events(db, DEVICE, [good1, no_location, no_product, template, good2])

    assert [o["status"] for o in out] == ["applied", "rejected", "rejected", "rejected", "applied"]
    assert out[1]["error"]["field"] == "location_id" and "999999" in out[1]["error"]["message"]
    assert out[2]["error"]["field"] == "product_id" and "888888" in out[2]["error"]["message"]
    assert "variant template" in out[3]["error"]["message"]
    assert on_hand(db, shop, p[0]) == 10_000 - 1000 - 3000
    assert on_hand(db, shop, p[1]) == 10_000 - 2000
    assert on_hand(db, shop, p[2]) == 10_000  # nothing of the rejected receipt moved
    with db.read() as s:  # nothing of a rejected event is stored, not even its claim
        ids = [ev[0] for ev in (no_location, no_product, template)]
        assert s.scalar(text("SELECT count(*) FROM applied_event WHERE id IN (:a, :b, :c)"),
                        dict(zip("abc", ids))) == 0
        assert s.scalar(text("SELECT count(*) FROM sales_receipt")) == 2
    # fixed and sent again under the same id, a rejected event is applied
    fixed = (no_location[0], "receipt", {**no_location[2], "location_id": shop["loc"]}, None)
    assert apply_events(db, DEVICE, [fixed])[0]["status"] == "applied"
    assert_consistent(db)


def test_a_receipt_number_or_receipt_id_already_used_rejects_only_that_event(db, shop):
    p = shop["products"]
    first = receipt(shop, [(p[0], 1000)], number=41)
    apply_events(db, DEVICE, [first])
    same_number = receipt(shop, [(p[1], 1000)], number=41)
    same_receipt = (str(uuid.uuid4()), "receipt", first[2], None)  # another event id, same receipt
    twin_a = receipt(shop, [(p[2], 1000)], number=42)
    twin_b = receipt(shop, [(p[3], 1000)], number=42)  # the same number twice in one batch
    ok = receipt(shop, [(p[4], 1000)], number=43)
    out = apply_events(db, DEVICE, [same_number, same_receipt, twin_a, twin_b, ok])

    assert [o["status"] for o in out] == ["rejected", "rejected", "applied", "rejected", "applied"]
    assert out[0]["error"]["field"] == "number" and "41" in out[0]["error"]["message"]
    assert out[1]["error"]["field"] == "receipt_id"
    assert out[3]["error"]["field"] == "number"
    assert [on_hand(db, shop, x) for x in p[:5]] == [9000, 10_000, 9000, 10_000, 9000]
    assert_consistent(db)


def test_the_same_id_twice_in_one_batch_replays_or_conflicts(db, shop):
    p = shop["products"]
    ev = receipt(shop, [(p[0], 1000)])
    other_body = (ev[0], "receipt", {**ev[2], "total": ev[2]["total"] + 1}, None)
    out = apply_events(db, DEVICE, [ev, ev, other_body, ev])

    assert [o["status"] for o in out] == ["applied", "replayed", "conflict", "replayed"]
    assert out[1]["result"] == out[3]["result"] == out[0]["result"]
    assert out[2]["error"]["field"] == "id"
    assert on_hand(db, shop, p[0]) == 9000
    assert len(movements_of(db, ev[2]["receipt_id"])) == 1


def test_replays_across_batches_return_the_stored_result(db, shop):
    p = shop["products"]
    batch = [receipt(shop, [(p[i % 6], 1000), (p[(i + 1) % 6], -1000)]) for i in range(12)]
    first = apply_events(db, DEVICE, batch)
    assert {o["status"] for o in first} == {"applied"}
    more = [receipt(shop, [(p[5], 2000)])]
    changed = (batch[3][0], "receipt", {**batch[3][2], "total": 1}, None)
    again = apply_events(db, DEVICE, more + batch + [changed])

    assert [o["status"] for o in again] == ["applied"] + ["replayed"] * 12 + ["conflict"]
    assert [o["result"] for o in again[1:13]] == [o["result"] for o in first]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(StockMovement)
                        .where(StockMovement.source_type == "receipt")) == 12 * 2 + 1
    assert_consistent(db)


def test_a_bundle_moves_its_components_and_ids_come_as_record_movements_gives_them(db, shop):
    p, bundle = shop["products"], shop["bundle"]
    ev = receipt(shop, [(p[3], 1000), (bundle, 2000), (p[4], -1000)])
    out = apply_events(db, DEVICE, [ev])[0]

    assert out["status"] == "applied"
    by_id = dict(zip(out["result"]["movement_ids"], range(99)))
    with db.read() as s:
        rows = s.execute(select(StockMovement.id, StockMovement.product_id, StockMovement.qty,
                                StockMovement.reason, StockMovement.idem_key)
                         .where(StockMovement.id.in_(list(by_id)))).all()
    rows.sort(key=lambda r: by_id[r.id])
    rid = ev[2]["receipt_id"]
    assert [(r.product_id, r.qty, r.reason, r.idem_key) for r in rows] == [  # as record_movements
        (p[3], -1000, "sale", f"receipt:{rid}:0"),
        (p[4], 1000, "return", f"receipt:{rid}:2"),
        (p[0], -2000, "sale", f"receipt:{rid}:1#{p[0]}"),
        (p[1], -4000, "sale", f"receipt:{rid}:1#{p[1]}"),
    ]
    assert on_hand(db, shop, bundle) == 0
    assert on_hand(db, shop, p[1]) == 6000
    assert_consistent(db)


def test_training_receipts_are_stored_and_move_no_stock(db, shop):
    p = shop["products"]
    out = apply_events(db, DEVICE, [receipt(shop, [(p[0], 5000)], kind="training"),
                                    receipt(shop, [(p[0], 1000)])])
    assert out[0]["status"] == "applied" and out[0]["result"]["movement_ids"] == []
    assert on_hand(db, shop, p[0]) == 9000
    with db.read() as s:
        assert s.scalar(text("SELECT count(*) FROM sales_receipt WHERE kind = 'training'")) == 1


def test_selling_below_zero_is_accepted_and_listed_once_per_level(db, shop):
    p = shop["products"]
    batch = [receipt(shop, [(p[0], 6000)]), receipt(shop, [(p[0], 7000), (p[1], 1000)])]
    out = apply_events(db, DEVICE, batch)
    assert {o["status"] for o in out} == {"applied"}
    assert on_hand(db, shop, p[0]) == -3000
    with db.read() as s:
        exc = s.execute(select(StockException.product_id, StockException.on_hand_after,
                               StockException.movement_id)).all()
    assert [(e.product_id, e.on_hand_after) for e in exc] == [(p[0], -3000)]
    assert exc[0].movement_id == out[1]["result"]["movement_ids"][0]  # the last sale out


def test_an_idempotency_key_taken_by_another_movement_rejects_that_receipt_alone(db, shop):
    p = shop["products"]
    victim, ok = receipt(shop, [(p[0], 1000)]), receipt(shop, [(p[1], 1000)])
    with db.write() as s:  # someone booked the key the receipt's first line will use
        touch_levels_of_movements(s, record_movements(s, [
            MovementIn(p[2], shop["loc"], 5000, "adjustment", None, None,
                       f"receipt:{victim[2]['receipt_id']}:0")]))
        s.commit()
    out = apply_events(db, DEVICE, [victim, ok])
    assert [o["status"] for o in out] == ["rejected", "applied"]
    assert out[0]["error"]["field"] == "idem_key"
    with db.read() as s:
        assert s.scalar(text("SELECT count(*) FROM sales_receipt")) == 1
        assert s.scalar(text("SELECT count(*) FROM applied_event")) == 1
    assert on_hand(db, shop, p[0]) == 10_000 and on_hand(db, shop, p[1]) == 9000
    assert on_hand(db, shop, p[2]) == 15_000
    assert_consistent(db)


def test_other_event_types_keep_their_place_between_receipts(db, shop):
    p = shop["products"]
    customer = str(uuid.uuid4())
    batch = [receipt(shop, [(p[0], 1000)]),
             (str(uuid.uuid4()), "stock_count", {"location_id": shop["loc"],
                                                  "counts": [{"product_id": p[0], "qty": 20_000}]}, None),
             receipt(shop, [(p[0], 2000)]),
             (str(uuid.uuid4()), "customer_created", {"id": customer, "name": "Anna"}, None)]
    out = apply_events(db, DEVICE, batch)
    assert [o["status"] for o in out] == ["applied"] * 4
    assert out[1]["result"]["adjustments"] == [{"product_id": p[0], "delta": 11_000}]
    assert on_hand(db, shop, p[0]) == 18_000
    assert_consistent(db)


def test_set_based_and_one_by_one_give_the_same_stock(db, shop, tmp_path):
    rnd = random.Random(3)
    p = shop["products"] + [shop["bundle"]]
    batch = [receipt(shop, [(rnd.choice(p), rnd.choice([1000, 2000, -1000, 500])) for _ in range(3)],
                     kind=rnd.choice(["sale", "sale", "return", "training"]))
             for _ in range(40)]
    out = apply_events(db, DEVICE, batch)
    with db.read() as s:
        bulk_levels = dict(s.execute(text("SELECT product_id, on_hand FROM stock_level")).all())
        bulk_moves = Counter(s.execute(text("SELECT product_id, qty, reason, idem_key "
                                            "FROM stock_movement")).all())
    with db.write() as s:  # the same receipts again one by one, from a clean slate
        for t in ("stock_exception", "stock_movement", "stock_level", "sales_receipt", "applied_event"):
            s.execute(text(f"DELETE FROM {t}"))
        record_movements(s, [MovementIn(x, shop["loc"], 10_000, "initial", None, None, f"seed:{x}")
                             for x in shop["products"]])
        s.commit()
    slow = transact(db, lambda s: _one_by_one(s, DEVICE, list(enumerate(batch))))
    with db.read() as s:
        assert dict(s.execute(text("SELECT product_id, on_hand FROM stock_level")).all()) == bulk_levels
        assert Counter(s.execute(text("SELECT product_id, qty, reason, idem_key "
                                      "FROM stock_movement")).all()) == bulk_moves
    assert [o["status"] for o in out] == [slow[i]["status"] for i in range(len(batch))]
    assert [len(o["result"]["movement_ids"]) for o in out] == \
        [len(slow[i]["result"]["movement_ids"]) for i in range(len(batch))]


# ---------------------------------------------------------------------------- concurrency

def test_concurrent_batches_and_duplicate_pushes_apply_every_receipt_once(db, shop):
    p = shop["products"]
    rnd = random.Random(11)
    devices = 6 if not db.is_sqlite else 3
    plans = {d: [[receipt(shop, [(rnd.choice(p), rnd.choice([1000, 2000, -1000])) for _ in range(3)],
                          register=f"R{d}") for _ in range(25)] for _ in range(3)]
             for d in range(devices)}
    who = {d: Principal("device", str(uuid.uuid4()), f"Kassa {d}") for d in range(devices)}
    start = threading.Barrier(devices * 2)
    outcomes: dict[int, list] = defaultdict(list)
    errors = []

    def run(d: int, copy: int) -> None:
        start.wait()
        try:
            batches = plans[d] if copy == 0 else list(reversed(plans[d]))  # a retrying twin
            for batch in batches:
                outcomes[d] += apply_events(db, who[d], batch)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(d, c)) for d in range(devices) for c in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    expected: dict[int, int] = defaultdict(int)
    events = 0
    for batches in plans.values():
        for batch in batches:
            for _id, _t, body, _at in batch:
                events += 1
                for ln in body["lines"]:
                    expected[ln["product_id"]] -= ln["qty"]
    statuses = Counter(o["status"] for outs in outcomes.values() for o in outs)
    assert statuses == {"applied": events, "replayed": events}
    results = defaultdict(set)
    for outs in outcomes.values():
        for o in outs:
            results[o["id"]].add(repr(o["result"]))
    assert all(len(r) == 1 for r in results.values())  # a replay returns what was applied
    for pid in p:
        assert on_hand(db, shop, pid) == 10_000 + expected[pid]
    with db.read() as s:
        assert s.scalar(text("SELECT count(*) FROM sales_receipt")) == events
    assert_consistent(db)


# ---------------------------------------------------------------------------- the helper underneath

def test_insert_rows_keeps_order_skips_conflicts_and_round_trips_json_and_nulls(db):
    from core.db.multirow import insert_rows, update_rows
    from core.sync.received import AppliedEvent

    table = AppliedEvent.__table__
    rows = [{"id": f"e{i}", "device_id": "d", "type": "receipt", "body_hash": "h",
             "result": None if i == 1 else {"n": i, "s": 'quote " and \\ back'},
             "created_at": None, "applied_at": dt.datetime(2026, 5, 1, 12, 0, i)} for i in range(3)]
    with db.write() as s:
        assert insert_rows(s, table, rows, conflict=["id"], do_nothing=True, returning=["id"]) == \
            [("e0",), ("e1",), ("e2",)]
        again = rows[1:] + [{**rows[0], "id": "e3"}]
        assert insert_rows(s, table, again, conflict=["id"], do_nothing=True, returning=["id"]) == \
            [("e3",)]
        update_rows(s, table, "id", [{"id": "e1", "result": {"n": 1}}, {"id": "e2", "result": [2]}])
        s.commit()
    with db.read() as s:
        got = dict(s.execute(select(table.c.id, table.c.result).order_by(table.c.id)).all())
    assert got == {"e0": {"n": 0, "s": 'quote " and \\ back'}, "e1": {"n": 1}, "e2": [2],
                   "e3": {"n": 0, "s": 'quote " and \\ back'}}
