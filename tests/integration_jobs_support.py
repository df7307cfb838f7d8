"""Test helpers for the integration jobs: the orders shop, simulators for two webshops, Klarna, Nets, Unifaun, connections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.company.setup import add_channel
from core.integrations.connections import Connection, load_connections, save_connection
from core.integrations.runner import IntegrationRunner
from core.inventory import create_location
from core.pricing.lists import assign_channel, create_price_list, set_price
from tests.orders_support import Shop, setup_shop
from tests.simulators.klarna import KlarnaSimulator
from tests.simulators.nets import NetsSimulator
from tests.simulators.starweb import StarwebSimulator
from tests.simulators.unifaun import UnifaunSimulator

FAST = {"retries": 1, "backoff": 0.01, "max_retry_after": 0.2, "connect_timeout": 2,
        "read_timeout": 5}
SKUS = ("TSHIRT", "KAFFE", "BOK", "MUGG", "SET")


@dataclass
class World:
    shop: Shop
    web1: StarwebSimulator
    web2: StarwebSimulator
    klarna: KlarnaSimulator
    nets: NetsSimulator
    unifaun: UnifaunSimulator
    secrets: dict = field(default_factory=dict)
    #: our channel / location / price list of the second shop
    web2_channel: int = 0
    outlet: int = 0
    outlet_list: int = 0

    def connections(self, store) -> list[Connection]:
        with store.write() as s:
            conns = load_connections(s, self.secrets.get)
            s.commit()
        return conns

    def runner(self, store, **kw) -> IntegrationRunner:
        return IntegrationRunner(store, self.connections(store), force_poll=True, **kw)

    def stop(self) -> None:
        for sim in (self.web1, self.web2, self.klarna, self.nets, self.unifaun):
            sim.stop()


def build_world(store, *, second_shop: bool = True) -> World:
    """Butiken AB with two Starweb shops (LAGER/RETAIL and OUTLET/OUTLET list), Klarna, Nets, Unifaun."""
    shop = setup_shop(store)
    web1 = StarwebSimulator("shop1", "s1-secret").start()
    web2 = StarwebSimulator("shop2", "s2-secret").start()
    klarna, nets, unifaun = KlarnaSimulator().start(), NetsSimulator().start(), UnifaunSimulator().start()
    for sim in (web1, web2):
        for sku in SKUS:
            sim.add_product(sku)
    web2.pricelists[7] = {"pricelistId": 7, "name": "Outlet", "isMaster": False, "isActive": True,
                          "currencyCode": "SEK"}
    web2.stock_locations[4] = {"stockLocationId": 4, "ecommerceStockLocation": True}
    world = World(shop, web1, web2, klarna, nets, unifaun,
                  secrets={"SHOP1": "s1-secret", "SHOP2": "s2-secret", "KLARNA": "shared-secret",
                           "NETS": nets.secret_key, "UNIFAUN": "B" * 24})
    with store.write() as s:
        outlet = create_location(s, "OUTLET", "Outletlager", "warehouse").id
        ch2 = add_channel(s, code="WEB2", name="Outletshop", kind="webshop", location_id=outlet).id
        pl = create_price_list(s, "OUTLET", "Outletpris", "SEK", True).id
        assign_channel(s, pl, ch2)
        for sku, price in (("TSHIRT", 14900), ("MUGG", 9900), ("KAFFE", 6950), ("BOK", 19900),
                           ("SET", 29900)):
            set_price(s, pl, shop.p[sku], price)
        save_connection(s, code="SHOP1", kind="starweb", base_url=web1.url + "/api/v2",
                        client_id="shop1", channel_id=shop.web, price_list_code="RETAIL",
                        stock_location_code="LAGER",
                        settings={**FAST, "shop_stock_location_id": 1, "shop_pricelist_id": 1,
                                  "tracker_type": 1})
        if second_shop:
            save_connection(s, code="SHOP2", kind="starweb", base_url=web2.url + "/api/v2",
                            client_id="shop2", channel_id=ch2, price_list_code="OUTLET",
                            stock_location_code="OUTLET", buffer_qty=2000,
                            settings={**FAST, "shop_stock_location_id": 4, "shop_pricelist_id": 7})
        save_connection(s, code="KLARNA", kind="klarna", base_url=klarna.url,
                        client_id="PK1234_abc", settings=FAST)
        save_connection(s, code="NETS", kind="nets", base_url=nets.url, settings=FAST)
        save_connection(s, code="UNIFAUN", kind="unifaun", base_url=unifaun.url + "/rs-extapi/v1",
                        client_id="A" * 16, settings={**FAST, "service_id": "P19"})
        s.commit()
    world.web2_channel, world.outlet, world.outlet_list = ch2, outlet, pl
    return world


def klarna_order(world: World, lines: list[tuple[str, int, int]]) -> str:
    """An authorised Klarna order: lines (sku, qty, gross öre per unit incl. 25 % VAT)."""
    return world.klarna.add_order([
        {"type": "physical", "reference": sku, "name": sku, "quantity": q, "unit_price": unit,
         "tax_rate": 2500, "total_amount": q * unit, "total_tax_amount": q * unit // 5}
        for sku, q, unit in lines])


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
