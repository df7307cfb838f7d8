"""The central server as a real process on 127.0.0.1, on SQLite and on PostgreSQL: the must-hold rules.

20 devices pushing at once count every movement exactly once; a replay returns the stored result;
the same id with another body is a 409; refusals carry the right status; numbers and the change
feed are gap-free; a schema-driven fuzz (schemathesis) never gets a 500.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select, text

from core.catalog.models import Product
from core.db import open_store
from core.inventory.levels import check_levels
from core.inventory.models import Location, StockMovement
from tests.live import (
    CASHIER,
    CASHIER_PASSWORD,
    CASHIER_PIN,
    MANAGER,
    MANAGER_PASSWORD,
    bearer,
    live_server,
)

PRODUCTS = 40
DEVICES = 20
BATCHES, PER_BATCH = 5, 6  # per device: 30 receipts


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def srv(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"server-{request.param}")
    db_url = None
    if request.param == "postgresql":
        pg = request.getfixturevalue("pg_server")
        db_url = pg.url(pg.create_database())
    with live_server(tmp, db_url) as server:
        target = db_url or str(server.data_dir / "server.sqlite")
        store = open_store(target)
        with store.write() as s:  # written while the server runs: logged to the change feed too
            s.add(Location(code="S1", name="Butiken", kind="store"))
            s.add_all([Product(sku=f"P-{i:03d}", name_sv=f"Vara {i}") for i in range(PRODUCTS)])
            s.commit()
        with store.read() as s:
            server.location_id = s.scalar(select(Location.id).where(Location.code == "S1"))
            server.product_ids = list(s.scalars(select(Product.id).order_by(Product.id)))
        server.store = store
        yield server
        store.dispose()
        assert "Traceback" not in server.log(), server.log()[-4000:]


def receipt(srv, register: str, number: int, lines: list[tuple[int, int]], kind="sale") -> dict:
    rid = str(uuid.uuid4())
    body = {"receipt_id": rid, "register_code": register, "location_id": srv.location_id,
            "number": number, "created_at": "2026-05-04T10:00:00", "kind": kind,
            "customer_id": None, "currency": "SEK",
            "lines": [{"product_id": pid, "sku": f"P-{pid}", "name": "Vara", "qty": qty,
                       "unit_price": 1000, "discount": 0, "amount": qty, "vat_rate_bp": 2500}
                      for pid, qty in lines],
            "payments": [{"method": "cash", "amount": 1000, "reference": None}],
            "total": 1000, "vat": [{"rate_bp": 2500, "net": 800, "vat": 200}],
            "cash_rounding": 0, "control_code": "CU-TEST"}
    return {"id": str(uuid.uuid4()), "type": "receipt", "body": body,
            "created_at": "2026-05-04T10:00:00"}


def push(srv, token: str, events: list[dict]) -> requests.Response:
    return requests.post(f"{srv.url}/api/v1/events", json={"events": events},
                         headers=bearer(token), timeout=120)


def all_changes(srv, token: str, limit: int = 500) -> list[dict]:
    out, after = [], 0
    while True:
        r = requests.get(f"{srv.url}/api/v1/changes", params={"after": after, "limit": limit},
                         headers=bearer(token), timeout=60)
        r.raise_for_status()
        page = r.json()
        out += page["changes"]
        after = page["last_seq"]
        if not page["more"]:
            return out


def test_twenty_devices_pushing_at_once_count_every_movement_exactly_once(srv):
    devices = [srv.enrol_device("pos", f"K{i}", f"Kassa {i}") for i in range(DEVICES)]
    rnd = random.Random(7)
    plan = {}  # device index → batches of events
    for i in range(DEVICES):
        batches, number = [], 0
        for _ in range(BATCHES):
            batch = []
            for _ in range(PER_BATCH):
                number += 1
                lines = [(rnd.choice(srv.product_ids), rnd.choice([1000, 2000, 3000, -1000]))
                         for _ in range(3)]
                batch.append(receipt(srv, f"K{i}", number, lines))
            batches.append(batch)
        plan[i] = batches
    start = threading.Barrier(DEVICES)

    def run_device(i: int) -> list[dict]:
        start.wait()
        results = []
        for batch in plan[i]:
            r = push(srv, devices[i]["token"], batch)
            assert r.status_code == 200, r.text
            results += r.json()["results"]
        # a lost acknowledgement: the first batch again, concurrently with the others
        again = push(srv, devices[i]["token"], plan[i][0])
        assert again.status_code == 200, again.text
        assert {x["status"] for x in again.json()["results"]} == {"replayed"}
        assert [x["result"] for x in again.json()["results"]] == [x["result"] for x in results[:PER_BATCH]]
        return results

    with ThreadPoolExecutor(DEVICES) as pool:
        results = [r for res in pool.map(run_device, range(DEVICES)) for r in res]
    assert Counter(r["status"] for r in results) == {"applied": DEVICES * BATCHES * PER_BATCH}

    expected: dict[int, int] = defaultdict(int)
    lines = 0
    for batches in plan.values():
        for batch in batches:
            for ev in batch:
                for ln in ev["body"]["lines"]:
                    expected[ln["product_id"]] -= ln["qty"]
                    lines += 1
    movement_ids = [m for r in results for m in r["result"]["movement_ids"]]
    assert len(movement_ids) == len(set(movement_ids)) == lines
    with srv.store.read() as s:
        assert s.scalar(select(func.count()).select_from(StockMovement)
                        .where(StockMovement.source_type == "receipt")) == lines
        assert s.scalar(text("SELECT count(*) FROM sales_receipt")) == DEVICES * BATCHES * PER_BATCH
        assert check_levels(s.connection()) == []
    manager = srv.login(MANAGER, MANAGER_PASSWORD)
    for pid in srv.product_ids[:10]:
        r = requests.get(f"{srv.url}/api/v1/stock/levels", headers=bearer(manager),
                         params={"product_id": pid, "location_id": srv.location_id}, timeout=30)
        got = r.json()["levels"]
        assert (got[0]["on_hand"] if got else 0) == expected[pid]
    # sales are facts: stock went negative and a manager sees it
    r = requests.get(f"{srv.url}/api/v1/stock/exceptions", headers=bearer(manager), timeout=30)
    assert r.status_code == 200 and r.json()["exceptions"]

    # the change feed: gap-free, and its last stock_level row per product is the level
    feed = all_changes(srv, devices[0]["token"])
    assert [c["seq"] for c in feed] == list(range(1, len(feed) + 1))
    last = {}
    for c in feed:  # apply the feed like a replica would (a line pair netting to 0 makes no row)
        if c["table"] == "stock_level":
            key = (c["pk"]["product_id"], c["pk"]["location_id"])
            last[key] = c["row"]["on_hand"] if c["op"] == "upsert" else 0
    assert {k[0]: v for k, v in last.items() if k[1] == srv.location_id and v} == \
        {pid: q for pid, q in expected.items() if q}
    assert {c["table"] for c in feed} >= {"vat_class", "vat_rate", "location", "product", "stock_level"}


def test_replay_returns_the_stored_result_and_another_body_is_a_409(srv):
    dev = srv.enrol_device("pos", "R1")
    pid = srv.product_ids[0]
    ev = receipt(srv, "R1", 1, [(pid, 1000), (srv.product_ids[1], 2000)])
    first = push(srv, dev["token"], [ev])
    assert first.status_code == 200
    assert first.json()["results"][0]["status"] == "applied"
    again = push(srv, dev["token"], [ev])
    assert again.json()["results"] == [{**first.json()["results"][0], "status": "replayed"}]
    with srv.store.read() as s:
        assert s.scalar(select(func.count()).select_from(StockMovement).where(
            StockMovement.source_id == ev["body"]["receipt_id"])) == 2

    changed = {**ev, "body": {**ev["body"], "total": 999}}
    fresh = receipt(srv, "R1", 2, [(pid, 1000)])
    r = push(srv, dev["token"], [fresh, changed])
    assert r.status_code == 409
    out = r.json()
    assert out["conflicts"] == [ev["id"]]
    assert [x["status"] for x in out["results"]] == ["applied", "conflict"]
    with srv.store.read() as s:  # the conflicting body changed nothing
        assert s.scalar(text("SELECT total FROM sales_receipt WHERE id = :i"),
                        {"i": ev["body"]["receipt_id"]}) == 1000
    assert "same id, different body" in srv.log()

    # a well-formed event that cannot be applied (unknown location) is rejected, nothing stored
    bad = receipt(srv, "R1", 3, [(pid, 1000)])
    bad["body"]["location_id"] = 999_999
    r = push(srv, dev["token"], [bad])
    assert r.status_code == 422 and r.json()["rejected"] == [bad["id"]]
    assert r.json()["results"][0]["error"]["field"] == "location_id"
    # a training receipt is stored but moves no stock
    training = receipt(srv, "R1", 4, [(pid, 5000)], kind="training")
    assert push(srv, dev["token"], [training]).json()["results"][0]["result"]["movement_ids"] == []


def test_refusals_have_the_right_status_and_a_json_error(srv):
    api = f"{srv.url}/api/v1"
    dev = srv.enrol_device("pos", "X1")
    cashier = srv.login(CASHIER, CASHIER_PASSWORD)
    # unauthenticated
    for method, path in [("get", "/changes"), ("post", "/events"), ("post", "/numbers/orders"),
                         ("get", "/devices"), ("get", "/snapshot/tables"),
                         ("get", "/stock/levels?product_id=1")]:
        r = requests.request(method, api + path, json={"events": []}, timeout=30)
        assert r.status_code == 401, (path, r.text)
        assert set(r.json()) >= {"error", "message", "field"}
    assert requests.get(api + "/changes", headers=bearer("dev_made-up"), timeout=30).status_code == 401
    assert requests.post(api + "/auth/login", json={"username": CASHIER, "password": "wrong-one"},
                         timeout=30).status_code == 401
    pin = requests.post(api + "/auth/pin", json={"username": CASHIER, "pin": CASHIER_PIN}, timeout=30)
    assert pin.status_code == 200 and pin.json()["role"] == "cashier"
    # wrong role / wrong kind of token
    assert requests.get(api + "/devices", headers=bearer(cashier), timeout=30).status_code == 403
    assert requests.post(api + "/enrolment-codes", headers=bearer(cashier), timeout=30,
                         json={"device_name": "x", "kind": "pos"}).status_code == 403
    assert push(srv, cashier, []).status_code == 403  # events come from devices
    assert requests.post(api + "/stock/movements", headers=bearer(dev["token"]), timeout=30, json={
        "movements": [{"product_id": 1, "location_id": 1, "qty": 1, "reason": "adjustment",
                       "idem_key": "k"}]}).status_code == 403
    # malformed
    token = dev["token"]
    assert requests.post(api + "/events", data="{not json", headers={
        **bearer(token), "Content-Type": "application/json"}, timeout=30).status_code == 422
    odd = {"id": str(uuid.uuid4()), "type": "teleport", "body": {}}
    r = push(srv, token, [odd])
    assert r.status_code == 422 and r.json()["error"] == "validation_error"
    good = receipt(srv, "X1", 1, [(srv.product_ids[0], 1000)])
    broken = receipt(srv, "X1", 2, [(srv.product_ids[0], 1000)])
    broken["body"]["lines"][0]["qty"] = 1.5  # never a float
    r = push(srv, token, [good, broken])
    assert r.status_code == 422
    with srv.store.read() as s:  # a malformed batch is refused whole
        assert s.scalar(text("SELECT count(*) FROM applied_event WHERE id = :i"), {"i": good["id"]}) == 0
    assert requests.get(api + "/changes?limit=0", headers=bearer(token), timeout=30).status_code == 422
    assert requests.get(api + "/snapshot/nope", headers=bearer(token), timeout=30).status_code == 404
    # revoked
    manager = srv.login(MANAGER, MANAGER_PASSWORD)
    assert requests.post(f"{api}/devices/{dev['device_id']}/revoke", headers=bearer(manager),
                         timeout=30).json()["revoked_at"]
    for method, path in [("get", "/changes"), ("post", "/events"), ("get", "/me")]:
        r = requests.request(method, api + path, json={"events": [good]}, headers=bearer(token),
                             timeout=30)
        assert r.status_code == 401, (path, r.text)


def test_numbers_are_gap_free_under_concurrency(srv):
    dev = srv.enrol_device("backoffice")
    series = f"invoices_{uuid.uuid4().hex[:8]}"

    def take(_):
        r = requests.post(f"{srv.url}/api/v1/numbers/{series}", headers=bearer(dev["token"]),
                          timeout=60)
        assert r.status_code == 200, r.text
        return r.json()["number"]

    with ThreadPoolExecutor(16) as pool:
        got = list(pool.map(take, range(160)))
    assert sorted(got) == list(range(1, 161))


def test_snapshot_pages_every_row_by_key_and_customers_and_counts_arrive(srv):
    dev = srv.enrol_device("pos", "S9")
    token = dev["token"]
    tables = requests.get(f"{srv.url}/api/v1/snapshot/tables", headers=bearer(token), timeout=30).json()
    assert tables["tables"].index("product") < tables["tables"].index("stock_level")

    def rows(table):
        out, after = [], ""
        while True:
            import json
            r = requests.get(f"{srv.url}/api/v1/snapshot/{table}", headers=bearer(token),
                             params={"after": after, "limit": 7}, timeout=30)
            assert r.status_code == 200, r.text
            out += r.json()["rows"]
            if r.json()["next"] is None:
                return out
            after = json.dumps(r.json()["next"])

    products = rows("product")
    assert [p["id"] for p in products] == srv.product_ids
    # tills get user names, roles and PIN hashes to check PINs offline, never password hashes
    users = {u["username"]: u for u in rows("user_account")}
    assert users and all(u["password_hash"] is None for u in users.values())
    assert users["cashier"]["pin_hash"]
    # a customer born on a till and a stock count
    cid = str(uuid.uuid4())
    pid = srv.product_ids[-1]
    events = [{"id": str(uuid.uuid4()), "type": "customer_created",
               "body": {"id": cid, "name": "Åsa Öberg", "kind": "private", "email": "asa@example.se",
                        "created_at": "2026-05-04T10:00:00"}},
              {"id": str(uuid.uuid4()), "type": "stock_count",
               "body": {"location_id": srv.location_id, "counts": [{"product_id": pid, "qty": 12000}]}},
              {"id": str(uuid.uuid4()), "type": "shift_closed",
               "body": {"register_code": "S9", "z_number": 1}},
              {"id": str(uuid.uuid4()), "type": "z_report",
               "body": {"register_code": "S9", "z_no": 1, "sales_total": 12500}}]
    r = push(srv, token, events)
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["result"] == {"customer_id": cid}
    assert r.json()["results"][3]["result"] == {"stored": True, "z_no": 1}
    # the same Z number again under another event id is refused, not stored twice
    again = push(srv, token, [{"id": str(uuid.uuid4()), "type": "z_report",
                               "body": {"register_code": "S9", "z_no": 1, "sales_total": 1}}])
    assert again.status_code == 422 and again.json()["results"][0]["status"] == "rejected"
    levels = rows("stock_level")
    assert {(x["product_id"], x["on_hand"]) for x in levels if x["location_id"] == srv.location_id} \
        >= {(pid, 12000)}
    feed = all_changes(srv, token, limit=5000)
    assert any(c["table"] == "customer" and c["pk"] == {"id": cid} and
               c["row"]["name"] == "Åsa Öberg" for c in feed)
    assert [c["seq"] for c in feed] == list(range(1, len(feed) + 1))


def test_schema_driven_fuzz_never_gets_a_500(srv):
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis import GenerationMode

    tokens = [srv.login(), srv.enrol_device("sync_node")["token"]]
    schema = schemathesis.openapi.from_url(srv.url + "/openapi.json")
    failures = []
    for token in tokens:
        for result in schema.get_all_operations():
            op = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                @settings(max_examples=6, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
                @given(case=op.as_strategy(generation_mode=mode))
                def call(case):
                    resp = case.call(headers=bearer(token), timeout=60)
                    if resp.status_code >= 500:
                        failures.append((op.label, resp.status_code, resp.text[:300]))

                try:
                    call()
                except Exception as exc:  # e.g. nothing negative to generate for /health
                    if "Unsatisfiable" not in type(exc).__name__:
                        raise
    assert failures == []
