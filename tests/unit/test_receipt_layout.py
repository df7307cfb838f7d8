"""The receipt layout carries every item the Swedish rules list; copies say KOPIA, training ÖVNING."""

from core.sales.receipt_layout import (
    parse_receipt_code,
    receipt_code,
    receipt_layout,
    report_layout,
    to_text,
)

BODY = {
    "receipt_id": "r1", "register_code": "KASSA1", "location_id": 1, "number": 42,
    "created_at": "2026-04-10T12:05:00", "kind": "sale", "customer_id": None, "currency": "SEK",
    "lines": [
        {"product_id": 1, "sku": "TS", "name": "T-shirt röd", "qty": 2000, "unit_price": 19900,
         "discount": 3980, "amount": 35820, "vat_rate_bp": 2500},
        {"product_id": 4, "sku": "REP", "name": "Lagning", "qty": 1000, "unit_price": 15000,
         "discount": 0, "amount": 15000, "vat_rate_bp": 2500},
        {"product_id": 2, "sku": "MILK", "name": "Mjölk", "qty": 1000, "unit_price": 1790,
         "discount": 0, "amount": 1790, "vat_rate_bp": 600},
    ],
    "payments": [{"method": "card", "amount": 20000, "reference": None},
                 {"method": "cash", "amount": 32600, "reference": None}],
    "total": 52610, "vat": [{"rate_bp": 2500, "net": 40656, "vat": 10164},
                            {"rate_bp": 600, "net": 1689, "vat": 101}],
    "cash_rounding": -10, "control_code": "ABCD1234-EF",
}
HEADER = {"company": "Butiken AB", "org_number": "559000-0005", "store": "Butiken Söder",
          "address": "Götgatan 5, 118 46 Stockholm", "cashier": "Anna",
          "control_serial": "BUTIK-SW-123", "change": 400, "service_lines": [1]}


def text_of(**kw):
    return to_text(receipt_layout(BODY, HEADER, **kw))


def test_every_required_item_is_on_the_receipt():
    t = text_of()
    for item in ("Butiken AB", "559000-0005", "Götgatan 5, 118 46 Stockholm",  # 1, 2
                 "2026-04-10 14:05",                                           # 3 local time
                 "Kvitto nr", "42", "KASSA1",                                  # 4, 5
                 "T-shirt röd", "2 x 199,00", "Lagning (tjänst)", "Mjölk",     # 6
                 "358,20", "526,10",                                            # 7 incl. VAT, total
                 "101,64", "1,01", "Varav moms", "102,65",                     # 8 VAT per rate
                 "Kort", "Kontant", "326,00",                                  # 9
                 "BUTIK-SW-123", "ABCD1234-EF"):                               # 10
        assert item in t, item
    assert "Öresavrundning" in t and "-0,10" in t and "Växel" in t
    assert "KOPIA" not in t and "ÖVNING" not in t and "Elektroniskt" not in t


def test_copy_training_and_electronic_are_marked_in_double_height():
    lay = receipt_layout(BODY, HEADER, copy=True)
    assert any(ln.text == "KOPIA" and ln.double for ln in lay)
    training = receipt_layout(dict(BODY, kind="training"), HEADER)
    assert any(ln.text == "ÖVNING" and ln.double for ln in training)
    assert "Elektroniskt kassakvitto" in text_of(electronic=True)
    ret = to_text(receipt_layout(dict(BODY, kind="return"), HEADER))
    assert "RETURKVITTO" in ret


def test_receipt_number_is_encoded_for_scanning_a_return():
    lay = receipt_layout(BODY, HEADER)
    codes = [ln for ln in lay if ln.kind == "barcode"]
    assert codes and parse_receipt_code(codes[0].text) == ("KASSA1", 42)
    assert parse_receipt_code(receipt_code("A/B", 7)) == ("A/B", 7)
    assert parse_receipt_code("nonsense") is None


def test_report_layout_has_every_x_and_z_item():
    from core.sales.counters import DayTotals
    report = {"type": "Z", "title": "Z-dagrapport", "z_no": 7, "company": "Butiken AB",
              "org_number": "559000-0005", "register_code": "KASSA1", "created_at": "2026-04-10T18:00:00",
              "sales_total": 100000, "net_total": 90000, "groups": {"Mat": 5000},
              "vat": [{"rate_bp": 2500, "net": 8000, "vat": 2000}], "float": 50000,
              "goods_qty": 12000, "services_qty": 1000, "receipts": 9, "drawer_openings": 2,
              "copies": {"count": 1, "amount": 100}, "training": {"count": 1, "amount": 200},
              "payments": {"cash": 40000, "card": 50000}, "returns": {"count": 1, "amount": 10000},
              "discounts": {"count": 3, "amount": 300}, "other_reductions": {"count": 1, "amount": 400},
              "unfinished": {"count": 1, "amount": 500}, "cash_rounding": -3, "gift_cards_sold": 0,
              "grand_total_sales": 900000, "grand_total_returns": 1000, "grand_total_net": 899000}
    t = to_text(report_layout(report))
    for item in ("Z-dagrapport", "Z-nummer 7", "Butiken AB", "559000-0005", "KASSA1", "2026-04-10 20:00",
                 "Total försäljning", "Grupp Mat", "Moms 25 %", "Växelkassa", "Antal sålda varor",
                 "Antal sålda tjänster", "Antal kvitton", "Lådöppningar", "Kvittokopior",
                 "Övningskvitton", "Kontant", "Kort", "Returer", "Rabatter", "Övriga minskningar",
                 "Ej avslutade köp", "Grand total försäljning", "9 000,00", "Grand total returer",
                 "Grand total netto", "8 990,00"):
        assert item in t, item
    assert DayTotals().net == 0
