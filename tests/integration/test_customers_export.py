"""Exporting customers with an e-mail address to a CSV a webshop can import."""

from __future__ import annotations

import csv
import io

from core.customers.export import COLUMNS, export_customers_csv, export_customers_text
from core.customers.service import AddressIn, CustomerIn, create_customer, merge_customers


def fill(store) -> dict:
    with store.write() as s:
        ids = {
            "anna": create_customer(s, CustomerIn(
                name="Anna Maria Svensson", email="Anna@Example.se", phone="070-123 45 67",
                personal_number="811228-9874", number="1002",
                addresses=[AddressIn("invoice", "Storgatan 1", "11455", "Stockholm"),
                           AddressIn("delivery", "Lillgatan 2, \"gården\"", "41136", "Göteborg", name="Kalle")])).id,
            "firma": create_customer(s, CustomerIn(
                name="Åkeri & Co AB", kind="company", contact_name="Örjan Ek", email="info@akeri.se",
                org_number="556036-0793", vat_number="SE556036079301", number="1001")).id,
            "no_mail": create_customer(s, CustomerIn(name="Utan Epost", phone="0701234567")).id,
            "merged": create_customer(s, CustomerIn(name="Dubbel Anna", email="dubbel@example.se")).id,
            "no_number": create_customer(s, CustomerIn(name="Bo", email="bo@example.se")).id,
        }
        merge_customers(s, ids["anna"], ids["merged"])
        s.commit()
    return ids


def test_only_customers_with_an_email_are_exported(store, tmp_path):
    fill(store)
    path = tmp_path / "customers.csv"
    calls = []
    with store.read() as s:
        written = export_customers_csv(s, path, progress=lambda done, total: calls.append((done, total)))
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # plain UTF-8, no BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert written == len(rows) == 3
    assert [r["email"] for r in rows] == ["info@akeri.se", "anna@example.se", "bo@example.se"]
    assert list(rows[0]) == list(COLUMNS)
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)


def test_columns_carry_names_numbers_and_addresses(store):
    fill(store)
    with store.read() as s:
        rows = {r["email"]: r for r in csv.DictReader(io.StringIO(export_customers_text(s)))}
    anna, firma = rows["anna@example.se"], rows["info@akeri.se"]
    assert (anna["first_name"], anna["last_name"], anna["company_name"]) == ("Anna Maria", "Svensson", "")
    assert (anna["customer_number"], anna["kind"], anna["phone"]) == ("1002", "private", "+46701234567")
    assert anna["personal_number"] == "811228-9874"
    assert (anna["invoice_address1"], anna["invoice_postal_code"], anna["invoice_city"]) == (
        "Storgatan 1", "114 55", "Stockholm")
    assert (anna["delivery_name"], anna["delivery_address1"]) == ("Kalle", 'Lillgatan 2, "gården"')
    assert (firma["company_name"], firma["contact_name"], firma["first_name"]) == ("Åkeri & Co AB", "Örjan Ek", "")
    assert (firma["org_number"], firma["vat_number"], firma["invoice_city"]) == (
        "556036-0793", "SE556036079301", "")


def test_a_bom_can_be_asked_for_and_an_open_file_is_accepted(store, tmp_path):
    fill(store)
    path = tmp_path / "excel.csv"
    with store.read() as s:
        with open(path, "w", encoding="utf-8", newline="") as f:
            assert export_customers_csv(s, f, bom=True) == 3
        assert export_customers_csv(s.connection(), tmp_path / "plain.csv") == 3
    assert path.read_bytes().startswith(b"\xef\xbb\xbfcustomer_number,")


def test_no_customers_gives_a_header_only(store):
    with store.read() as s:
        assert export_customers_text(s).splitlines() == [",".join(COLUMNS)]
