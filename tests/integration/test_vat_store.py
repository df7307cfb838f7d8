"""VAT on a real SQLite file: seeding, lookups with overrides, CSV import, and the `butik vat` command."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.catalog.models import Product
from core.cli.main import main
from core.errors import NotFound, RowErrors
from core.vat.importer import import_rates_csv
from core.vat.models import ProductVatOverride, VatClass, VatRate
from core.vat.overrides import set_vat_override
from core.vat.rates import RateTable, rate_for
from core.vat.seed import CLASSES, RATES, seed_vat

D = dt.date
HEADER = "country,vat_class,rate,valid_from,valid_to\n"


@pytest.fixture
def seeded(store):
    with store.write() as s:
        seed_vat(s)
        s.commit()
    return store


def _count(store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(VatRate))


def test_seeding_is_idempotent(store):
    with store.write() as s:
        assert seed_vat(s) == (len(CLASSES), len(RATES))
        s.commit()
    with store.write() as s:
        assert seed_vat(s) == (0, 0)
        s.commit()
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(VatClass)) == len(CLASSES)
        assert s.get(VatClass, "food").name_sv == "Livsmedel"
    assert _count(store) == len(RATES)


@pytest.mark.parametrize("on,rate", [(D(2026, 3, 31), 1200), (D(2026, 4, 1), 600),
                                     (D(2027, 12, 31), 600), (D(2028, 1, 1), 1200)])
def test_swedish_food_rate_by_date(seeded, on, rate):
    with seeded.read() as s:
        assert rate_for(s, "SE", "food", on) == rate
        assert RateTable.load(s).rate("SE", "food", on) == rate


def test_finnish_standard_rate_is_25_5(seeded):
    with seeded.read() as s:
        assert rate_for(s, "FI", "standard", D(2026, 5, 1)) == 2550
        assert rate_for(s, "fi", "standard", D(2024, 8, 31)) == 2400


def test_missing_rate_names_country_class_and_date(seeded):
    with seeded.read() as s, pytest.raises(NotFound) as err:
        rate_for(s, "FR", "standard", D(2026, 5, 1))
    text = str(err.value)
    assert "FR" in text and "'standard'" in text and "2026-05-01" in text and "butik vat import" in text


def test_product_override_per_country(seeded):
    with seeded.write() as s:
        crisp = Product(sku="CHIPS-1", name_sv="Chips", vat_class="standard")
        s.add(crisp)
        s.flush()
        set_vat_override(s, crisp.id, "se", "food")
        s.commit()
        pid = crisp.id
    on = D(2026, 5, 1)
    with seeded.read() as s:
        table = RateTable.load(s)
        assert rate_for(s, "SE", "standard", on, product_id=pid) == 600
        assert table.rate("SE", "standard", on, product_id=pid) == 600
        assert rate_for(s, "DE", "standard", on, product_id=pid) == 1900
        assert table.rate("DE", "standard", on, product_id=pid) == 1900
    with seeded.write() as s:
        set_vat_override(s, pid, "SE", None)
        s.commit()
    with seeded.read() as s:
        assert rate_for(s, "SE", "standard", on, product_id=pid) == 2500
        assert s.scalar(select(func.count()).select_from(ProductVatOverride)) == 0


def test_override_with_an_unknown_class_is_refused(seeded):
    with seeded.write() as s:
        p = Product(sku="X", name_sv="X")
        s.add(p)
        s.flush()
        with pytest.raises(NotFound, match="luxury"):
            set_vat_override(s, p.id, "SE", "luxury")


# --- CSV import ----------------------------------------------------------------------------------

FRANCE = HEADER + "FR,standard,20,2024-01-01,\nfr,food,\"5,5\",2024-01-01,\nFR,books_culture,5.5,2024-01-01,\n"


def test_import_adds_rates_and_reimport_changes_nothing(seeded):
    with seeded.write() as s:
        assert import_rates_csv(s, FRANCE) == 3
        s.commit()
    before = _count(seeded)
    with seeded.write() as s:
        assert import_rates_csv(s, FRANCE) == 0
        s.commit()
    assert _count(seeded) == before
    with seeded.read() as s:
        assert rate_for(s, "FR", "food", D(2026, 5, 1)) == 550


def test_import_from_a_semicolon_file_on_disk(seeded, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("\ufeffcountry;vat_class;rate;valid_from;valid_to\nDK;food;25;2024-01-01;\n",
                    encoding="utf-8")
    with seeded.write() as s:
        assert import_rates_csv(s, path) == 1
        assert import_rates_csv(s, str(path)) == 0
        s.commit()


def test_every_bad_row_is_reported_and_nothing_is_imported(seeded):
    text = HEADER + "\n".join([
        "FR,standard,20,2024-01-01,",          # 2 good
        "France,standard,20,2024-01-01,",      # 3 country
        "FR,luxury,20,2024-01-01,",            # 4 class
        "FR,food,abc,2024-01-01,",             # 5 rate
        "FR,books_culture,5.5,01/01/2024,",    # 6 date
        "FR,passenger_transport,10,2025-01-01,2024-01-01",  # 7 valid_to before valid_from
        "FR,standard,21,2025-01-01,",          # 8 overlaps line 2
        "SE,food,6,2027-01-01,2027-06-30",     # 9 overlaps the seeded SE food 6 %
        "FR,food,5",                           # 10 too few fields
        "XX,food,5,2024-01-01,",               # 11 no such country
    ]) + "\n"
    before = _count(seeded)
    with seeded.write() as s:
        with pytest.raises(RowErrors) as err:
            import_rates_csv(s, text)
        s.commit()
    found = {(line, field) for line, field, _ in err.value.errors}
    assert found == {(3, "country"), (4, "vat_class"), (5, "rate"), (6, "valid_from"), (7, "valid_to"),
                     (8, "valid_from"), (9, "valid_from"), (10, "row"), (11, "country")}
    reasons = dict(((line, field), reason) for line, field, reason in err.value.errors)
    assert "line 2" in reasons[(8, "valid_from")]
    assert "2026-04-01" in reasons[(9, "valid_from")]
    assert "line 4: vat_class" in str(err.value)
    assert _count(seeded) == before


def test_a_wrong_header_is_refused(seeded):
    with seeded.write() as s, pytest.raises(RowErrors, match="line 1: header"):
        import_rates_csv(s, "land,klass,sats\nFR,standard,20\n")


def test_a_changed_rate_for_the_same_period_is_an_overlap_not_an_update(seeded):
    with seeded.write() as s:
        import_rates_csv(s, FRANCE)
        s.commit()
    with seeded.write() as s, pytest.raises(RowErrors, match="overlaps the stored rate 20 %"):
        import_rates_csv(s, HEADER + "FR,standard,21,2024-01-01,\n")


def test_closing_a_period_and_continuing_it_imports_cleanly(store):
    with store.write() as s:
        seed_vat(s)
        assert import_rates_csv(s, HEADER + "IT,standard,22,2024-01-01,2029-12-31\n"
                                            "IT,standard,23,2030-01-01,\n") == 2
        s.commit()
        assert rate_for(s, "IT", "standard", D(2029, 12, 31)) == 2200
        assert rate_for(s, "IT", "standard", D(2030, 1, 1)) == 2300


# --- the command line ----------------------------------------------------------------------------

def test_cli_import_and_list(data_dir, tmp_path, capsys):
    csv_file = tmp_path / "fr.csv"
    csv_file.write_text(FRANCE, encoding="utf-8")
    assert main(["vat", "import", str(csv_file), "--data-dir", str(data_dir)]) == 0
    assert "3 VAT rate(s) added" in capsys.readouterr().out
    assert main(["vat", "import", str(csv_file)]) == 0  # BUTIK_DATA_DIR points at the same folder
    assert "0 VAT rate(s) added" in capsys.readouterr().out
    assert main(["vat", "list", "--country", "SE", "--on", "2026-04-01"]) == 0
    out = capsys.readouterr().out
    assert "food" in out and " 6 " in out and "2027-12-31" in out and "FR" not in out
    assert main(["vat", "list", "--country", "fr"]) == 0
    assert "5,5" in capsys.readouterr().out


def test_cli_reports_bad_rows_with_exit_code_1(data_dir, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "FR,standard,twenty,2024-01-01,\n", encoding="utf-8")
    assert main(["vat", "import", str(bad)]) == 1
    assert "line 2: rate" in capsys.readouterr().err
    assert main(["vat", "list", "--on", "1.4.2026"]) == 1
    assert "--on" in capsys.readouterr().err


def test_cli_usage_errors_exit_2(data_dir):
    with pytest.raises(SystemExit) as exc:
        main(["vat"])
    assert exc.value.code == 2


def test_the_in_memory_table_agrees_with_sql_on_every_boundary(seeded):
    days = sorted({r.valid_from for r in RATES} | {r.valid_to for r in RATES if r.valid_to}
                  | {d + dt.timedelta(days=1) for d in (r.valid_to for r in RATES) if d})
    with seeded.read() as s:
        table = RateTable.load(s)
        for country, vat_class in sorted({(r.country, r.vat_class) for r in RATES}):
            for day in days:
                try:
                    expected = rate_for(s, country, vat_class, day)
                except NotFound:
                    with pytest.raises(NotFound):
                        table.rate(country, vat_class, day)
                else:
                    assert table.rate(country, vat_class, day) == expected, (country, vat_class, day)
