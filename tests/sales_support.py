"""Test helpers for the till: a minimal shop (company, store, register, VAT, prices, products) in SQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from core.sales.control_unit import SoftwareControlUnit
from core.sales.register import RegisterInfo, load_register

NOW = dt.datetime(2026, 4, 10, 12, 0, 0)

#: sku, name, kind, vat_class, price incl. VAT (öre), barcode, category
PRODUCTS = [
    ("TSHIRT-RED", "T-shirt röd", "goods", "standard", 19900, "7350000000019", "Kläder"),
    ("MILK", "Mjölk 1 l", "goods", "food", 1790, "7350000000026", "Mat"),
    ("BOOK", "Bok om öl", "goods", "books_culture", 24900, "7350000000033", "Böcker"),
    ("REPAIR", "Lagning", "service", "standard", 15000, "7350000000040", "Tjänster"),
    ("CANDY", "Lösgodis (kg)", "goods", "food", 9990, "7350000000057", "Mat"),
]


def setup_shop(store, register_code: str = "KASSA1", with_products: bool = True) -> RegisterInfo:
    from core.vat.seed import seed_vat

    with store.write() as s:
        seed_vat(s)
        s.execute(text("INSERT INTO company (id, name, org_number, country, base_currency, address1, "
                       "postal_code, city) VALUES (1, 'Butiken AB', '559000-0005', 'SE', 'SEK', "
                       "'Storgatan 1', '111 22', 'Stockholm')"))
        s.execute(text("INSERT INTO location (id, code, name, kind) VALUES (1, 'S1', 'Butiken', 'store')"))
        s.execute(text("INSERT INTO store (id, code, name, address1, postal_code, city, country, "
                       "location_id, company_id) VALUES (1, 'S1', 'Butiken Söder', 'Götgatan 5', "
                       "'118 46', 'Stockholm', 'SE', 1, 1)"))
        s.execute(text("INSERT INTO register (id, store_id, code, name, active) VALUES "
                       "(1, 1, :code, 'Kassa 1', 1)"), {"code": register_code})
        if with_products:
            add_products(s)
        s.commit()
        return load_register(s, register_code)


def add_products(s, products=PRODUCTS) -> None:
    s.execute(text("INSERT INTO price_list (id, code, name, currency, includes_vat, is_default, active) "
                   "VALUES (1, 'RETAIL', 'Butikspris', 'SEK', 1, 1, 1)"))
    cats = {}
    for i, (sku, name, kind, vat_class, price, code, cat) in enumerate(products, start=1):
        if cat not in cats:
            cats[cat] = len(cats) + 1
            s.execute(text("INSERT INTO category (id, code, name_sv, name_en, sort) VALUES (:id, :c, :n, :n, 0)"),
                      {"id": cats[cat], "c": f"C{cats[cat]}", "n": cat})
        s.execute(text(
            "INSERT INTO product (id, sku, name_sv, name_en, description, unit, kind, stocked, drop_ship, "
            "vat_class, product_type, active, category_id, created_at, updated_at) VALUES "
            "(:id, :sku, :name, :name, '', 'pcs', :kind, :stocked, 0, :vc, 'single', 1, :cat, :now, :now)"),
            {"id": i, "sku": sku, "name": name, "kind": kind, "stocked": kind == "goods", "vc": vat_class,
             "cat": cats[cat], "now": NOW})
        s.execute(text("INSERT INTO barcode (code, product_id) VALUES (:c, :p)"), {"c": code, "p": i})
        s.execute(text("INSERT INTO price_list_item (price_list_id, product_id, min_qty, price, campaign) "
                       "VALUES (1, :p, 1000, :price, 0)"), {"p": i, "price": price})


def control_unit(code: str = "KASSA1") -> SoftwareControlUnit:
    return SoftwareControlUnit.for_register(code, b"test-secret-0123456789")
