"""Helpers for the sync tests: an in-memory keyring, a response-dropping TCP proxy, receipt events."""

from __future__ import annotations

import random
import socket
import threading
import uuid

import keyring
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps secrets in a dict (tests only)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError
        if (service, username) not in self.secrets:
            raise PasswordDeleteError(username)
        del self.secrets[(service, username)]


def install_memory_keyring() -> MemoryKeyring:
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    return ring


class DropProxy:
    """A TCP proxy on 127.0.0.1 that forwards requests to `target` and can drop the answer.

    Modes, per connection, taken from `self.plan` (a callable returning one of):
      ("pass",)            forward both ways
      ("cut_request", n)   forward n request bytes, then close both sides (server may not see it)
      ("cut_response", n)  forward the whole request, then only n bytes of the answer, then close
    The answer is dropped after the server has committed whenever n < the answer's length.
    """

    def __init__(self, target_host: str, target_port: int, plan=None):
        self.target = (target_host, target_port)
        self.plan = plan or (lambda: ("pass",))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.dropped = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop = True
        try:
            self.sock.close()
        except OSError:
            pass

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(client, self.plan()), daemon=True).start()

    def _serve(self, client: socket.socket, plan: tuple) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=30)
        except OSError:
            client.close()
            return
        mode = plan[0]
        budget = plan[1] if len(plan) > 1 else None
        done = threading.Event()

        def pump(src, dst, limit):
            sent = 0
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    if limit is not None and sent + len(data) > limit:
                        dst.sendall(data[:max(0, limit - sent)])
                        self.dropped += 1
                        break
                    dst.sendall(data)
                    sent += len(data)
            except OSError:
                pass
            finally:
                done.set()

        up_limit = budget if mode == "cut_request" else None
        down_limit = budget if mode == "cut_response" else None
        t1 = threading.Thread(target=pump, args=(client, upstream, up_limit), daemon=True)
        t2 = threading.Thread(target=pump, args=(upstream, client, down_limit), daemon=True)
        t1.start()
        t2.start()
        done.wait()  # either side finished or hit its budget: close both
        for s in (client, upstream):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def random_drop_plan(rng: random.Random, max_bytes: int = 4000):
    """Mostly drop the answer at a random byte, sometimes cut the request instead."""
    def plan():
        if rng.random() < 0.2:
            return ("cut_request", rng.randint(0, max_bytes))
        return ("cut_response", rng.randint(0, 400))
    return plan


def receipt_body(*, register_code: str, location_id: int, number: int,
                 lines: list[tuple[int, str, int, int]], kind: str = "sale",
                 receipt_id: str | None = None, created_at: str = "2026-05-01T12:00:00") -> dict:
    """A receipt event body in the contract's shape. lines: (product_id, sku, qty_milli, unit_price)."""
    out_lines, total = [], 0
    for product_id, sku, qty, unit_price in lines:
        amount = unit_price * qty // 1000
        total += amount
        out_lines.append({"product_id": product_id, "sku": sku, "name": f"Vara {sku}",
                          "qty": qty, "unit_price": unit_price, "discount": 0,
                          "amount": amount, "vat_rate_bp": 2500})
    vat = total - total * 10000 // 12500
    return {"receipt_id": receipt_id or str(uuid.uuid4()), "register_code": register_code,
            "location_id": location_id, "number": number, "created_at": created_at,
            "kind": kind, "customer_id": None, "currency": "SEK", "lines": out_lines,
            "payments": [{"method": "card", "amount": total, "reference": None}],
            "total": total, "vat": [{"rate_bp": 2500, "net": total - vat, "vat": vat}],
            "cash_rounding": 0, "control_code": f"CU-{number:08d}"}


# ------------------------------------------------------------------ shops, devices and servers

def seed_shop(db_url: str, products: int = 20, stock: int = 100, demo: bool = False,
              sample: int = 20) -> dict:
    """Migrate the server database at `db_url` and put a small shop into it.

    demo=True builds the lead's demo shop (`core.demo.builder.build_demo`, prices and stock
    included); otherwise a minimal shop: VAT classes, one store location, one category,
    `products` products with `stock` pieces each (real movements through core.inventory).
    Returns {"location_id", "products": [(id, sku)] (the first `sample` sellable ones),
    "on_hand": {product_id: qty}}.
    """
    from sqlalchemy import insert, text

    from core.db import open_store
    from core.db.schema import load_all

    store = open_store(db_url)
    try:
        if demo:
            from core.demo.builder import build_demo
            build_demo(store, products=products)
        else:
            from core.inventory.movements import MovementIn, record_movements
            from core.vat.seed import seed_vat

            t = load_all().metadata.tables
            with store.write() as s:
                seed_vat(s)
                s.execute(insert(t["location"]), [{"id": 1, "code": "BUTIK", "name": "Butiken",
                                                    "kind": "store"}])
                s.execute(insert(t["category"]), [{"id": 1, "code": "ALLT", "name_sv": "Allt"}])
                for first in range(1, products + 1, 5000):
                    s.execute(insert(t["product"]), [
                        {"id": i, "sku": f"SKU-{i:07d}", "name_sv": f"Vara {i}", "category_id": 1,
                         "vat_class": "standard"} for i in range(first, min(products, first + 4999) + 1)])
                if stock:
                    record_movements(s, [MovementIn(i, 1, stock * 1000, "initial", None, None,
                                                    f"seed:{i}") for i in range(1, min(products, 20) + 1)],
                                     allow_negative=True)
                s.commit()
        with store.read() as s:
            location_id = s.execute(text(
                "select id from location order by case when kind = 'store' then 0 else 1 end, id "
                "limit 1")).scalar()
            prods = [tuple(r) for r in s.execute(text(
                "select id, sku from product where stocked and product_type in ('single','variant') "
                "and not drop_ship order by id limit :n"), {"n": sample})]
            on_hand = dict(tuple(r) for r in s.execute(text(
                "select product_id, on_hand from stock_level where location_id = :l"),
                {"l": location_id}))
    finally:
        store.dispose()
    return {"location_id": location_id, "products": prods, "on_hand": on_hand}


def enrolment_code(db_url: str, name: str, kind: str = "pos",
                   register_code: str | None = None) -> str:
    """A one-time enrolment code created straight in the server's database (as a manager would)."""
    from core.auth.service import create_enrolment_code
    from core.db import open_store

    store = open_store(db_url, migrate=False)
    try:
        with store.write() as s:
            code = create_enrolment_code(s, name, kind, register_code)["code"]
            s.commit()
    finally:
        store.dispose()
    return code


def enrol_replica(replica_path, server_url: str, db_url: str, name: str,
                  register_code: str | None = None, kind: str = "pos"):
    """A fresh replica enrolled over HTTP as a device of `kind`; returns (store, token)."""
    from core.db import open_store
    from core.sync import state
    from core.sync.client import SyncClient

    code = enrolment_code(db_url, name, kind, register_code)
    client = SyncClient(server_url)
    try:
        answer = client.enrol(code, name)
    finally:
        client.close()
    store = open_store(replica_path)
    with store.write() as s:
        state.put(s, **{state.SERVER_URL: server_url, state.DEVICE_ID: answer["device_id"],
                        state.DEVICE_KIND: kind, state.REGISTER_CODE: register_code})
        s.commit()
    return store, answer["token"]


def enqueue_receipts(store, count: int, *, register_code: str, location_id: int,
                     products: list[tuple[int, str]], start_number: int = 1, lines: int = 2,
                     seed: int = 1) -> list[dict]:
    """Record `count` sales in the replica's outbox (one transaction), numbered from start_number."""
    from core.sync.outbox import enqueue

    rng = random.Random(seed)
    bodies = []
    with store.write() as s:
        for i in range(count):
            chosen = rng.sample(products, min(lines, len(products)))
            body = receipt_body(register_code=register_code, location_id=location_id,
                                number=start_number + i,
                                lines=[(pid, sku, 1000 * rng.randint(1, 3), 100 * rng.randint(5, 500))
                                       for pid, sku in chosen])
            enqueue(s, "receipt", body)
            bodies.append(body)
        s.commit()
    return bodies
