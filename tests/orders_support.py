"""Test helpers for orders and invoices: a shop with a webshop channel, a warehouse, products, prices, customers, stock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.catalog.bundles import set_components
from core.catalog.products import ProductIn, create_product
from core.company.setup import add_channel, set_company
from core.customers.service import AddressIn, CustomerIn, create_customer
from core.inventory import MovementIn, create_location, level, record_movements
from core.pricing.lists import assign_channel, create_price_list, set_price
from core.purchasing.models import Supplier
from core.quantity import pieces
from core.vat.seed import seed_vat

TODAY = dt.date(2026, 5, 4)


@dataclass
class Shop:
    warehouse: int
    store_loc: int
    web: int
    b2b: int
    retail: int
    wholesale: int
    #: sku → product id
    p: dict
    #: name → customer id
    c: dict


def setup_shop(store, stock: int = 10) -> Shop:
    """Butiken AB (SE) with a warehouse, a webshop (retail list incl. VAT) and a B2B channel (excl. VAT)."""
    with store.write() as s:
        seed_vat(s)
        set_company(s, name="Butiken AB", org_number="559000-0005", vat_number="SE559000000501",
                    address1="Storgatan 1", postal_code="11122", city="Stockholm",
                    email="order@butiken.se", phone="08-123 456 78")
        wh = create_location(s, "LAGER", "Centrallager", "warehouse").id
        st = create_location(s, "BUTIK", "Butiken", "store").id
        web = add_channel(s, code="WEB", name="Webbshop", kind="webshop", location_id=wh).id
        b2b = add_channel(s, code="B2B", name="Företag", kind="b2b", location_id=wh).id
        supplier = Supplier(code="LEV1", name="Leverantören AB")
        s.add(supplier)
        s.flush()
        products = {
            "TSHIRT": ProductIn(sku="TSHIRT", name_sv="T-shirt röd", vat_class="standard"),
            "KAFFE": ProductIn(sku="KAFFE", name_sv="Kaffe 500 g", vat_class="food"),
            "BOK": ProductIn(sku="BOK", name_sv="Bok om öl", vat_class="books_culture"),
            "MUGG": ProductIn(sku="MUGG", name_sv="Mugg", vat_class="standard"),
            "SET": ProductIn(sku="SET", name_sv="Presentset", vat_class="standard",
                             product_type="bundle", stocked=False),
            "SOFFA": ProductIn(sku="SOFFA", name_sv="Soffa (direktleverans)", stocked=False,
                               drop_ship=True, supplier_id=supplier.id),
        }
        ids = {sku: create_product(s, data) for sku, data in products.items()}
        set_components(s, ids["SET"], [(ids["TSHIRT"], 1000), (ids["MUGG"], 2000)])
        retail = create_price_list(s, "RETAIL", "Butikspris", "SEK", True, is_default=True).id
        wholesale = create_price_list(s, "B2B", "Företagspris", "SEK", False).id
        assign_channel(s, wholesale, b2b)
        for sku, incl, excl in [("TSHIRT", 19900, 12000), ("KAFFE", 8950, 6000),
                                ("BOK", 24900, 18000), ("MUGG", 12500, 8000),
                                ("SET", 39900, 25000), ("SOFFA", 999900, 700000)]:
            set_price(s, retail, ids[sku], incl)
            set_price(s, wholesale, ids[sku], excl)
        record_movements(s, [MovementIn(ids[sku], wh, pieces(stock), "initial", None, None,
                                        f"init:{sku}") for sku in ("TSHIRT", "KAFFE", "BOK", "MUGG")])
        se = AddressIn(kind="invoice", address1="Kundvägen 2", postal_code="41101", city="Göteborg")
        customers = {
            "anna": CustomerIn(name="Anna Andersson", email="anna@example.se", addresses=[se]),
            "firma": CustomerIn(name="Firma AB", kind="company", org_number="556036-0793",
                                email="ekonomi@firma.se", addresses=[se]),
            "gmbh": CustomerIn(name="Handel GmbH", kind="company", vat_country="DE",
                               vat_number="DE136695976", email="einkauf@handel.de",
                               addresses=[AddressIn(kind="invoice", address1="Hauptstr. 1",
                                                    postal_code="10115", city="Berlin",
                                                    country="DE")]),
            "ola": CustomerIn(name="Ola Nordmann", vat_country="NO", email="ola@example.no",
                              addresses=[AddressIn(kind="invoice", address1="Storgata 1",
                                                   postal_code="0155", city="Oslo", country="NO")]),
        }
        cids = {key: create_customer(s, data).id for key, data in customers.items()}
        s.commit()
        return Shop(wh, st, web, b2b, retail, wholesale, ids, cids)


def on_hand(store, product_id: int, location_id: int) -> int:
    with store.read() as s:
        return level(s, product_id, location_id).on_hand


def reserved(store, product_id: int, location_id: int) -> int:
    with store.read() as s:
        return level(s, product_id, location_id).reserved
