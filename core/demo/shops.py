"""Simulated webshops for `butik demo`: Starweb shops, Klarna, Nets and Unifaun on 127.0.0.1, orders flowing in.

`start_demo_shops(store, shops=2, order_every_s=20.0)` starts one Starweb simulator per shop and
one Klarna, Nets and Unifaun simulator (free ports), points the demo database's integration
connections (codes ``DEMO-…``) at them, fills each shop with part of the demo catalogue (the
runner's reconciliation then publishes stock and prices to it) and runs two background threads:
one lets a seeded customer place a paid order every `order_every_s` seconds, the other runs an
`IntegrationRunner` round every `round_every_s` seconds — orders are imported, customers matched
and stock reserved exactly as the sync node does it (a slow round never delays the customers).

Shop 1 is the demo's "WEB" channel (price list RETAIL, SEK); shop 2 "WEB-EU" (price list EUR, in
euro, one piece held back per item); more shops get channels WEB3… on the RETAIL list. All publish
the central warehouse LAGER (the only warehouse in the demo data).

Secrets: the demo keeps them in the file fallback of `core.integrations.connections`
(``BUTIK_INTEGRATION_SECRETS_FILE``, mode 0600), by default ``demo-integration-secrets.json`` beside
the database, unless that variable is already set; it never writes to the OS keyring. The
simulators live in the test tree (`tests.simulators`, installed and bundled with Butik).
`DemoShops.close()` joins the threads, shuts every server down and marks the connections inactive.
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from sqlalchemy import delete, func, select

from core.db import Store
from core.demo.shop_orders import (
    Shopper,
    ShopSide,
    demo_shoppers,
    new_shopper,
    place_order,
    seed_assortment,
)
from core.demo.shop_setup import LOCATION, next_order_ids, secrets_env, shop_plan
from core.errors import UserError, ValidationError
from core.integrations.connections import (
    get_connection_row,
    load_connections,
    save_connection,
    set_secret,
)
from core.integrations.models import IntegrationConnection, PublishedItem, WebshopOrder
from core.integrations.runner import IntegrationRunner

log = logging.getLogger(__name__)
#: short retries: a demo round must never hang on a simulator
QUICK = {"retries": 1, "backoff": 0.05, "max_retry_after": 1, "connect_timeout": 2,
         "read_timeout": 10}


def _simulators():
    try:
        from tests.simulators import klarna, nets, starweb, unifaun
    except ImportError as exc:
        raise UserError("the vendor simulators for the demo webshops are not installed",
                        field="shops", hint="reinstall Butik (they ship as tests.simulators) "
                        "or start the demo with --shops 0") from exc
    return starweb.StarwebSimulator, klarna.KlarnaSimulator, nets.NetsSimulator, \
        unifaun.UnifaunSimulator


@dataclass(frozen=True)
class ImportedOrder:
    """A webshop order as it arrived in Butik."""

    number: int
    shop: str
    shop_order_id: str
    channel: str
    customer: str
    lines: int
    total_gross: int
    currency: str
    provider: str
    flagged: bool

    def line(self) -> str:
        from core.money import format_amount

        return (f"{self.channel}: shop order {self.shop_order_id} → order {self.number}, "
                f"{self.customer}, {self.lines} line(s), {format_amount(self.total_gross)} "
                f"{self.currency}, {self.provider}, stock reserved"
                + (" — flagged, see the order" if self.flagged else ""))


class DemoShops:
    """Running demo shops; `close()` stops the threads, the runner and every simulator."""

    def __init__(self, store: Store, shops: list[ShopSide], payment_sims: tuple, runner,
                 order_every_s: float, round_every_s: float, seed: int,
                 on_order: Callable[[ImportedOrder], None] | None, restore_env: Callable[[], None]):
        self.store, self.shops, self.runner = store, shops, runner
        self.klarna, self.nets, self.unifaun = payment_sims
        self.order_every_s, self.round_every_s = order_every_s, round_every_s
        self.rng, self.on_order, self._restore_env = random.Random(seed), on_order, restore_env
        self.ports = [sim.port for sim in self.simulators]
        self.placed: list = []
        self.imported: list[ImportedOrder] = []
        self.rounds = 0
        self._codes = [s.code for s in shops]
        with store.read() as s:
            self._shoppers = demo_shoppers(s)
            self._floor = s.scalar(select(WebshopOrder.id).order_by(WebshopOrder.id.desc())) or 0
        self._seen: set[int] = set()
        self._stop = threading.Event()
        self._closed = False
        self.threads = [threading.Thread(target=self._every, args=(round_every_s, self.round, 0.0),
                                         name="butik-demo-runner", daemon=True),
                        threading.Thread(target=self._every,
                                         args=(order_every_s, self.place_order, order_every_s),
                                         name="butik-demo-orders", daemon=True)]

    @property
    def simulators(self) -> list:
        return [s.sim for s in self.shops] + [self.klarna, self.nets, self.unifaun]

    def describe(self) -> str:
        shops = ", ".join(f"{s.name} ({s.sim.url})" for s in self.shops)
        return (f"Demo webshops: {shops}; a new order every {self.order_every_s:g} s "
                "(paid with Klarna or Nets)")

    # -- the background threads (never the GUI thread) ---------------------------------------
    def _every(self, seconds: float, fn, first_after: float) -> None:
        """Call `fn` every `seconds` (measured from each start) until closed; failures are logged."""
        due = time.monotonic() + first_after
        while not self._stop.wait(max(0.0, due - time.monotonic())):
            due = time.monotonic() + seconds
            try:
                fn()
            except Exception:  # a demo hiccup is logged; the shops keep going
                log.exception("demo webshops: %s failed", fn.__name__)

    def place_order(self):
        """One new paid order in the next shop (round robin); None while nothing is published yet."""
        shop = self.shops[len(self.placed) % len(self.shops)]
        n = len(self.placed)
        known = self._shoppers and self.rng.random() < 0.7
        shopper: Shopper = self.rng.choice(self._shoppers) if known else new_shopper(self.rng, n)
        placed = place_order(shop, shopper, self.rng, self.klarna, self.nets)
        if placed is not None:
            self.placed.append(placed)
        return placed

    def round(self) -> None:
        """One integration round, then report the orders it imported."""
        report = self.runner.run_once()
        self.rounds += 1
        for problem in report.problems:
            log.warning("demo webshops: %s", problem)
        for sim in self.simulators:   # the call log is for tests; a long demo must not grow it
            del sim.calls[:]
        for order in self._new_orders():
            self.imported.append(order)
            if self.on_order is not None:
                self.on_order(order)

    def _new_orders(self) -> list[ImportedOrder]:
        from core.company.models import Channel
        from core.orders.models import Order, OrderLine

        with self.store.read() as s:
            rows = s.execute(
                select(WebshopOrder.id, WebshopOrder.shop_order_id, WebshopOrder.flagged,
                       IntegrationConnection.code, Order.id, Order.number, Order.customer_name,
                       Order.total_gross, Order.currency, Order.payment_provider, Channel.name)
                .join(IntegrationConnection, IntegrationConnection.id == WebshopOrder.connection_id)
                .join(Order, Order.id == WebshopOrder.order_id)
                .join(Channel, Channel.id == Order.channel_id)
                .where(WebshopOrder.id > self._floor, IntegrationConnection.code.in_(self._codes))
                .order_by(WebshopOrder.id)).all()
            out = []
            for wid, shop_id, flagged, code, oid, number, name, total, cur, provider, ch in rows:
                if wid in self._seen:
                    continue
                self._seen.add(wid)
                lines = s.scalar(select(func.count()).select_from(OrderLine).where(
                    OrderLine.order_id == oid, OrderLine.kind == "product"))
                out.append(ImportedOrder(number, code, shop_id, ch, name, lines or 0, total, cur,
                                         provider, bool(flagged)))
        return out

    def close(self) -> None:
        """Stop placing orders and running rounds, close the runner and every simulator (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        for thread in self.threads:
            if thread.is_alive():
                thread.join(60)
        self.runner.close()
        for sim in self.simulators:
            sim.stop()
        try:
            with self.store.write() as s:
                for code in self._codes + [f"DEMO-{k}" for k in ("KLARNA", "NETS", "UNIFAUN")]:
                    get_connection_row(s, code).active = False   # nobody else calls dead ports
                s.commit()
        finally:
            self._restore_env()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start_demo_shops(store: Store, shops: int = 2, order_every_s: float = 20.0, *,
                     round_every_s: float = 2.0, assortment: int = 200, seed: int = 20261101,
                     secrets_file: Path | None = None,
                     on_order: Callable[[ImportedOrder], None] | None = None) -> DemoShops:
    """Start `shops` simulated webshops (+ Klarna, Nets, Unifaun) on the demo store; call `close()`."""
    if isinstance(shops, bool) or not isinstance(shops, int) or not 1 <= shops <= 9:
        raise ValidationError("1 to 9 shops (0 means: do not start them)", field="shops")
    if not order_every_s >= 0.1:
        raise ValidationError("at least 0.1 seconds", field="order_every_s")
    if not round_every_s >= 0.1:
        raise ValidationError("at least 0.1 seconds", field="round_every_s")
    if not 1 <= assortment <= 100_000:
        raise ValidationError("1 to 100,000 products per shop", field="assortment")
    starweb, klarna_sim, nets_sim, unifaun_sim = _simulators()
    plan = shop_plan(store, shops)
    codes = [f"DEMO-{p.channel_code}" for p in plan]
    first_ids = next_order_ids(store, codes)
    restore_env = secrets_env(store, secrets_file)
    rng = random.Random(seed)
    sims: list = []
    try:
        keys = {code: secrets.token_urlsafe(18) for code in codes}
        sides = []
        for p, code in zip(plan, codes):
            sim = starweb(code.lower(), keys[code], first_order_id=first_ids[code]).start()
            sims.append(sim)
            sim.pricelists[1]["currencyCode"] = p.currency
            sides.append(ShopSide(code, p.channel_name, sim, p.currency))
        klarna = klarna_sim("PK0000_demo", secrets.token_urlsafe(18)).start()
        sims.append(klarna)
        nets = nets_sim(secrets.token_hex(16)).start()
        sims.append(nets)
        unifaun = unifaun_sim(secrets.token_hex(8), secrets.token_hex(12)).start()
        sims.append(unifaun)
        keys.update({"DEMO-KLARNA": klarna.credentials[1], "DEMO-NETS": nets.secret_key,
                     "DEMO-UNIFAUN": unifaun.key[1]})
        with store.write() as s:
            for p, side in zip(plan, sides):
                row = save_connection(
                    s, code=side.code, kind="starweb", name=f"{p.channel_name} (simulated Starweb)",
                    base_url=side.sim.url + "/api/v2", client_id=side.code.lower(),
                    channel_id=p.channel_id, price_list_code=p.price_list_code,
                    stock_location_code=LOCATION, buffer_qty=p.buffer, poll_interval_s=10,
                    settings={**QUICK, "shop_stock_location_id": 1, "shop_pricelist_id": 1,
                              "tracker_type": 1})
                row.last_reconcile_at = None        # a fresh simulator: reconcile it first
                s.execute(delete(PublishedItem).where(PublishedItem.connection_id == row.id))
                seed_assortment(s, side, p.price_list_id, rng, assortment)
            rows = [save_connection(s, code="DEMO-KLARNA", kind="klarna", base_url=klarna.url,
                                    name="Klarna (simulated)", client_id=klarna.credentials[0],
                                    settings=QUICK),
                    save_connection(s, code="DEMO-NETS", kind="nets", base_url=nets.url,
                                    name="Nets Easy (simulated)", settings=QUICK),
                    save_connection(s, code="DEMO-UNIFAUN", kind="unifaun",
                                    base_url=unifaun.url + "/rs-extapi/v1",
                                    name="Unifaun (simulated)", client_id=unifaun.key[0],
                                    settings={**QUICK, "service_id": "P19"})]
            for row in rows:
                row.fetch_id = row.next_fetch_at = None
            for code in keys:
                get_connection_row(s, code).paused_until = None
            s.commit()
        for code, secret in keys.items():
            set_secret(code, secret)
        with store.write() as s:
            conns = [c for c in load_connections(s) if c.code in keys]
            s.commit()
        runner = IntegrationRunner(store, conns, force_poll=True)   # import every round
        demo = DemoShops(store, sides, (klarna, nets, unifaun), runner, order_every_s,
                         round_every_s, seed + sum(first_ids.values()), on_order, restore_env)
    except BaseException:
        for sim in sims:
            sim.stop()
        restore_env()
        raise
    for thread in demo.threads:
        thread.start()
    return demo
