"""SIE4 export read back by an independent parser; SIE import of a chart and opening balances;
the `butik ledger` commands on the server database."""

import datetime as dt
import json
import shlex
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from core.cli.main import main
from core.db import open_store
from core.ledger import rules
from core.ledger.chart import DEFAULT_ROLES, seed_ledger
from core.ledger.models import Account, FinancialYear, OpeningBalance, Voucher
from core.ledger.posting import Row, post, post_manual
from core.ledger.reports import opening_balances, trial_balance
from core.ledger.vat_return import month, vat_return
from core.paths import server_db_path

COMPANY = "Åsa & Öberg Handel AB"

OPENING = """#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#PROGRAM "Annat system" "3.2"
#FNAMN "Åsa & Öberg Handel AB"
#RAR 0 20260101 20261231
#RAR -1 20250101 20251231
#KONTO 1930 "Företagskonto"
#KONTO 1460 "Lager av handelsvaror"
#KONTO 2081 "Aktiekapital"
#KONTO 2091 "Balanserad vinst eller förlust"
#KONTO 1240 "Bilar och andra transportmedel"
#KTYP 1240 T
#IB -1 1930 10000.00
#IB 0 1930 150000.50
#IB 0 1460 80000.00
#IB 0 1240 20000.00
#IB 0 2081 -50000.00
#IB 0 2091 -200000.50
#UB 0 1930 150000.50
"""


def parse_sie(data: bytes) -> dict:
    """An independent SIE4 reader for the tests: shlex for the fields, Decimal for the amounts."""
    out = {"labels": [], "konto": {}, "ib": {}, "ub": {}, "res": {}, "ver": []}
    current = None
    for raw in data.decode("cp437").splitlines():
        if not raw.strip():
            continue
        if raw == "{":
            continue
        if raw == "}":
            out["ver"].append(current)
            current = None
            continue
        f = shlex.split(raw)
        out["labels"].append(f[0])
        if f[0] == "#KONTO":
            out["konto"][int(f[1])] = f[2]
        elif f[0] in ("#IB", "#UB", "#RES") and f[1] == "0":
            out[f[0][1:].lower()][int(f[2])] = Decimal(f[3])
        elif f[0] == "#VER":
            current = {"series": f[1], "number": int(f[2]), "date": f[3], "text": f[4], "rows": []}
        elif f[0] == "#TRANS":
            assert f[2] == "{}"
            current["rows"].append((int(f[1]), Decimal(f[3])))
        else:
            out.setdefault(f[0], f[1:])
    return out


@pytest.fixture
def books(data_dir):
    """The server database with opening balances (imported), vouchers in 2025 and 2026."""
    store = open_store(server_db_path(data_dir))
    with store.write() as s:
        seed_ledger(s)
        s.execute(text("INSERT INTO company (id, name, org_number, country, base_currency) "
                       "VALUES (1, :n, '559000-0005', 'SE', 'SEK')"), {"n": COMPANY})
        post_manual(s, dt.date(2025, 12, 30), "Bankavgift december", [Row(6570, 1_000), Row(1930, -1_000)], "x")
        s.commit()
    path = data_dir / "opening.se"
    path.write_bytes(OPENING.encode("cp437"))
    assert main(["ledger", "sie-import", str(path), "--data-dir", str(data_dir)]) == 0
    with store.write() as s:
        for n, d in enumerate((dt.date(2026, 1, 15), dt.date(2026, 2, 20), dt.date(2026, 3, 3)), start=1):
            post(s, rules.z_report_voucher(rules.ZReportFacts(
                "KASSA1", n, d, [(2500, 80_000 * n, 20_000 * n), (600, 1_001, 60)],
                {"cash": 100_000 * n + 1_061 - 61, "card": 61}, cash_rounding=-0), DEFAULT_ROLES))
        post_manual(s, dt.date(2026, 3, 31), "Rättelse kassadifferens – Åsa Ölund", [Row(1910, -500),
                    Row(3740, 500)], "Åsa")
        s.commit()
    yield store
    store.dispose()


def test_sie_export_reads_back_balanced_and_equal_to_the_ledger(books, data_dir, capsys):
    out = data_dir / "2026.se"
    assert main(["ledger", "sie-export", "--year", "2026", "--out", str(out), "--data-dir", str(data_dir)]) == 0
    assert "4 voucher(s)" in capsys.readouterr().out
    raw = out.read_bytes()
    assert "Å".encode("cp437") in raw and "Å".encode() not in raw  # code page 437, not UTF-8
    assert b"\r\n" in raw
    sie = parse_sie(raw)
    assert sie["labels"][:8] == ["#FLAGGA", "#FORMAT", "#SIETYP", "#PROGRAM", "#GEN", "#FNAMN", "#ORGNR", "#RAR"]
    assert sie["#FORMAT"] == ["PC8"] and sie["#SIETYP"] == ["4"] and sie["#FLAGGA"] == ["0"]
    assert sie["#FNAMN"] == [COMPANY] and sie["#ORGNR"] == ["559000-0005"]
    assert sie["#RAR"] == ["0", "20260101", "20261231"]
    assert sie["konto"][3740] == "Öres- och kronutjämning" and sie["konto"][1240] == "Bilar och andra transportmedel"
    assert len(sie["ver"]) == 4
    for ver in sie["ver"]:
        assert sum(a for _, a in ver["rows"]) == 0, ver
    assert sie["ver"][-1]["text"] == "Rättelse kassadifferens ? Åsa Ölund"  # the dash is not in cp437
    # balances equal the ledger
    with books.read() as s:
        lines = {ln.account: ln for ln in trial_balance(s.connection(), dt.date(2026, 1, 1), dt.date(2026, 12, 31))}
    cents = lambda d: int(d * 100)
    assert sum(sie["ib"].values()) == 0
    assert {a: cents(v) for a, v in sie["ib"].items()} == {a: ln.opening for a, ln in lines.items() if ln.opening}
    assert {a: cents(v) for a, v in sie["ub"].items()} == {a: ln.closing for a, ln in lines.items()
                                                            if a < 3000 and ln.closing}
    assert {a: cents(v) for a, v in sie["res"].items()} == {a: ln.closing for a, ln in lines.items()
                                                             if a >= 3000 and ln.closing}
    moved = defaultdict(Decimal)
    for ver in sie["ver"]:
        for account, amount in ver["rows"]:
            moved[account] += amount
    for account, ub in sie["ub"].items():
        assert ub == sie["ib"].get(account, 0) + moved[account]
    # the imported opening balances rule the year (the 2025 bank fee before them is not added)
    assert sie["ib"][1930] == Decimal("150000.50") and 2099 not in sie["ib"]
    # the next year opens from these books: balances carried, the unbooked result on 2099
    with books.read() as s:
        nxt = opening_balances(s.connection(), dt.date(2027, 1, 1))
    assert sum(nxt.values()) == 0
    assert nxt[1930] == cents(sie["ub"][1930])
    assert nxt[2099] == sum(cents(v) for v in sie["res"].values())  # a profit: a credit on equity


def test_sie_import_adds_the_chart_and_opening_balances(books):
    with books.read() as s:
        assert s.get(Account, 1930).name == "Företagskonto"  # renamed by the file
        assert s.get(Account, 1240).name == "Bilar och andra transportmedel"  # added
        year = s.scalars(select(FinancialYear).where(FinancialYear.start_date == dt.date(2026, 1, 1))).one()
        ob = dict(s.execute(select(OpeningBalance.account, OpeningBalance.amount)
                            .where(OpeningBalance.financial_year_id == year.id)).all())
    assert ob == {1930: 15_000_050, 1460: 8_000_000, 1240: 2_000_000, 2081: -5_000_000, 2091: -20_000_050}


@pytest.mark.parametrize("change,line", [
    (("#IB 0 1460 80000.00", "#IB 0 1460 80000,00"), 16),
    (('#KONTO 2081 "Aktiekapital"', '#KONTO 2O81 "Aktiekapital"'), 10),
    (("#IB 0 2091 -200000.50", "#IB 0 2091 -200000.00"), 19),
    (("#RAR 0 20260101 20261231", "#RAR 0 20260101"), 6),
])
def test_a_malformed_sie_file_is_refused_with_its_line_and_nothing_imported(data_dir, capsys, change, line):
    store = open_store(server_db_path(data_dir))
    with store.write() as s:
        seed_ledger(s)
        s.commit()
    with store.read() as s:
        before = s.scalar(select(func.count()).select_from(Account)), s.get(Account, 1930).name
    path = data_dir / "bad.se"
    path.write_bytes(OPENING.replace(*change).encode("cp437"))
    assert main(["ledger", "sie-import", str(path), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert f"line {line}:" in err and "nothing was imported" in err
    with store.read() as s:
        assert (s.scalar(select(func.count()).select_from(Account)), s.get(Account, 1930).name) == before
        assert s.scalar(select(func.count()).select_from(OpeningBalance)) == 0
        assert s.scalar(select(func.count()).select_from(FinancialYear)) == 0
    store.dispose()


def test_vat_report_command(books, data_dir, capsys):
    assert main(["ledger", "vat-report", "--period", "2026-02", "--json", "--data-dir", str(data_dir)]) == 0
    report = json.loads(capsys.readouterr().out)
    with books.read() as s:
        expected = vat_return(s.connection(), *month("2026-02"))
    assert report["boxes"] == expected.boxes
    assert report["boxes"]["10"] == 40_000 and report["boxes"]["12"] == 60
    assert report["boxes"]["49"] == 40_060
    assert main(["ledger", "vat-report", "--period", "2026-02", "--data-dir", str(data_dir)]) == 0
    assert "Utgående moms 25 %" in capsys.readouterr().out
    assert main(["ledger", "vat-report", "--period", "feb", "--data-dir", str(data_dir)]) == 1
    assert main(["ledger", "sie-export", "--year", "2030", "--out", str(data_dir / "x.se"),
                 "--data-dir", str(data_dir)]) == 1
    with books.read() as s:
        assert s.scalar(select(func.count()).select_from(Voucher)) == 5
