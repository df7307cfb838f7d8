"""Test helpers for purchasing and stock operations: a shop with a warehouse, a store, suppliers and products."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.catalog.products import ProductIn, create_product
from core.company.setup import set_company
from core.inventory import create_location, level
from core.purchasing.suppliers import SupplierIn, create_supplier, set_supplier_article
from core.vat.seed import seed_vat

TODAY = dt.date(2026, 5, 4)
WHO = "Maja"


@dataclass
class Shop:
    warehouse: int
    store_loc: int
    supplier: int
    dropper: int
    euro: int
    #: sku → product id
    p: dict


def setup_shop(store) -> Shop:
    """Butiken AB with LAGER and BUTIK, supplier LEV1 (SEK, 30 days), a drop shipper and a EUR supplier."""
    with store.write() as s:
        seed_vat(s)
        set_company(s, name="Butiken AB", org_number="559000-0005", vat_number="SE559000000501",
                    address1="Storgatan 1", postal_code="11122", city="Stockholm",
                    email="order@butiken.se")
        wh = create_location(s, "LAGER", "Centrallager", "warehouse").id
        st = create_location(s, "BUTIK", "Butiken", "store").id
        lev = create_supplier(s, SupplierIn(code="LEV1", name="Leverantören AB",
                                            email="order@lev.se", payment_terms_days=30,
                                            lead_time_days=7, address1="Industrivägen 3",
                                            postal_code="41250", city="Göteborg")).id
        drop = create_supplier(s, SupplierIn(code="MOBEL", name="Möbelfabriken AB",
                                             payment_terms_days=20)).id
        euro = create_supplier(s, SupplierIn(code="EURO", name="Euro GmbH", currency="EUR",
                                             country="DE")).id
        products = {
            "TSHIRT": ProductIn(sku="TSHIRT", name_sv="T-shirt röd", supplier_id=lev,
                                barcodes=["7310000000010"]),
            "MUGG": ProductIn(sku="MUGG", name_sv="Mugg", supplier_id=lev,
                              barcodes=["7310000000027"]),
            "KAFFE": ProductIn(sku="KAFFE", name_sv="Kaffe 500 g", vat_class="food",
                               cost_price=4000),
            "SET": ProductIn(sku="SET", name_sv="Presentset", product_type="bundle",
                             stocked=False),
            "SOFFA": ProductIn(sku="SOFFA", name_sv="Soffa", stocked=False, drop_ship=True,
                               supplier_id=drop),
            "TJANST": ProductIn(sku="TJANST", name_sv="Montering", kind="service"),
        }
        ids = {sku: create_product(s, data) for sku, data in products.items()}
        set_supplier_article(s, lev, ids["TSHIRT"], "L-100", 10000)
        set_supplier_article(s, lev, ids["MUGG"], "L-200", 5000, pack_qty=6000)
        set_supplier_article(s, drop, ids["SOFFA"], "SOF-9", 700000)
        set_supplier_article(s, euro, ids["KAFFE"], "K-1", 350)
        s.commit()
        return Shop(wh, st, lev, drop, euro, ids)


def on_hand(store, product_id: int, location_id: int) -> int:
    with store.read() as s:
        return level(s, product_id, location_id).on_hand
