"""The ledger commands through the local gateway: manual vouchers, reversals, the VAT settlement,
the period lock, posting pending documents, SIE import, years and the chart; bad arguments are
refused naming the argument and change nothing. Also: the ledger is in a workstation's scope."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select

from core.commands.gateway import LocalGateway
from core.errors import Conflict, InvalidTransition, NotFound, UserError, ValidationError
from core.ledger.models import (
    Account,
    FinancialYear,
    LedgerSetting,
    OpeningBalance,
    PeriodLock,
    Voucher,
    VoucherRow,
)
from core.sync.received import ReceivedZReport

BANK_CHARGE = [{"account": 6570, "amount": 12_550, "text": "Bankavgift"},
               {"account": 1930, "amount": -12_550}]
#: a cash sale of 125 kr incl. 25 % VAT
SALE = [{"account": 1930, "amount": 12_500}, {"account": 3001, "amount": -10_000},
        {"account": 2611, "amount": -2_500}]

SIE = """#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#FNAMN "Butik AB"
#RAR 0 20260101 20261231
#KONTO 1930 "Bank"
#KONTO 1460 "Lager"
#KONTO 2081 "Aktiekapital"
#KONTO 1249 "Inventarier"
#IB 0 1930 1500.50
#IB 0 1460 800.00
#IB 0 2081 -2300.50
"""


def b64(text: str) -> str:
    return base64.b64encode(text.encode("cp437")).decode("ascii")


@pytest.fixture
def gw(store):
    return LocalGateway(store, "lisa")


def snapshot(store) -> tuple:
    """Every ledger row as stored (to show a refusal changed nothing)."""
    with store.read() as s:
        return tuple(sorted(map(repr, s.execute(select(m.__table__)).all()))
                     for m in (Account, FinancialYear, Voucher, VoucherRow, PeriodLock,
                               OpeningBalance, LedgerSetting))


def refused(gw, store, name: str, cases) -> None:
    """Each (args, field, error) is refused with that error naming that field; nothing changes."""
    before = snapshot(store)
    for args, field, kind in cases:
        with pytest.raises(kind) as caught:
            gw.call(name, args)
        assert caught.value.field == field, (args, caught.value)
    assert snapshot(store) == before


def test_a_manual_voucher_is_posted_and_its_refusals(gw, store):
    refused(gw, store, "ledger.post_manual", [
        ({"text": "x", "rows": BANK_CHARGE}, "date", ValidationError),
        ({"date": "2026-05-04", "text": "x", "rows": BANK_CHARGE, "series": "A"}, "series",
         ValidationError),
        ({"date": "4/5 2026", "text": "x", "rows": BANK_CHARGE}, "date", ValidationError),
        ({"date": 20260504, "text": "x", "rows": BANK_CHARGE}, "date", ValidationError),
        ({"date": "2026-05-04", "text": 7, "rows": BANK_CHARGE}, "text", ValidationError),
        ({"date": "2026-05-04", "text": "x", "rows": "6570 125,50"}, "rows", ValidationError),
        ({"date": "2026-05-04", "text": "x", "rows": [7]}, "rows[0]", ValidationError),
        ({"date": "2026-05-04", "text": "x", "rows": [{"account": 6570}]}, "rows[0].amount",
         ValidationError),
        ({"date": "2026-05-04", "text": "x", "rows": [{"account": 6570, "amount": "125,50"}]},
         "rows[0].amount", ValidationError),
        ({"date": "2026-05-04", "text": "x", "rows": [{"account": "6570", "amount": 1}]},
         "rows[0].account", ValidationError),
        ({"date": "2026-05-04", "text": "x",
          "rows": [{"account": 6570, "amount": 1, "vat": 0}]}, "rows[0].vat", ValidationError),
        ({"date": "2026-05-04", "text": "x", "rows": [{"account": 6570, "amount": 1, "text": 5}]},
         "rows[0].text", ValidationError),
        # the ledger's own refusals: unbalanced, an account not in the chart, no text
        ({"date": "2026-05-04", "text": "x", "rows": [BANK_CHARGE[0], {"account": 1930,
                                                                       "amount": -12_000}]},
         "rows", ValidationError),
        ({"date": "2026-05-04", "text": "x", "rows": [{"account": 1234, "amount": 1},
                                                      {"account": 1930, "amount": -1}]},
         "account", ValidationError),
        ({"date": "2026-05-04", "text": " ", "rows": BANK_CHARGE}, "text", ValidationError),
    ])
    with store.read() as s:  # the unit of work rolled back: not even the chart was seeded
        assert s.scalar(select(func.count()).select_from(Account)) == 0

    made = gw.call("ledger.post_manual", {"date": "2026-05-04", "text": "Bank charges May",
                                          "rows": BANK_CHARGE})
    assert made["ref"] == "M1" and made["date"] == "2026-05-04"
    with store.read() as s:
        v = s.get(Voucher, made["id"])
        assert (v.series, v.text, v.created_by) == ("M", "Bank charges May", "lisa")
        rows = s.execute(select(VoucherRow.account, VoucherRow.amount, VoucherRow.text)
                         .where(VoucherRow.voucher_id == v.id).order_by(VoucherRow.id)).all()
    assert [tuple(r) for r in rows] == [(6570, 12_550, "Bankavgift"), (1930, -12_550, None)]


def test_reverse_a_voucher_once(gw, store):
    made = gw.call("ledger.post_manual", {"date": "2026-05-04", "text": "Oops", "rows": BANK_CHARGE})
    refused(gw, store, "ledger.reverse", [
        ({"date": "2026-05-05"}, "voucher_id", ValidationError),
        ({"voucher_id": str(made["id"]), "date": "2026-05-05"}, "voucher_id", ValidationError),
        ({"voucher_id": 0, "date": "2026-05-05"}, "voucher_id", ValidationError),
        ({"voucher_id": 999, "date": "2026-05-05"}, "voucher_id", NotFound),
        ({"voucher_id": made["id"], "date": None}, "date", ValidationError),
        ({"voucher_id": made["id"], "date": "2026-05-05", "text": ["x"]}, "text", ValidationError),
    ])
    back = gw.call("ledger.reverse", {"voucher_id": made["id"], "date": "2026-05-05"})
    assert (back["ref"], back["reverses"], back["date"]) == ("M2", "M1", "2026-05-05")
    with store.read() as s:
        assert s.get(Voucher, back["id"]).reverses_id == made["id"]
        assert s.scalar(select(func.sum(VoucherRow.amount)).where(VoucherRow.account == 6570)) == 0
    refused(gw, store, "ledger.reverse",
            [({"voucher_id": made["id"], "date": "2026-05-06"}, "voucher_id", Conflict)])


def test_vat_settlement_and_the_period_lock(gw, store):
    gw.call("ledger.post_manual", {"date": "2026-05-04", "text": "Cash sale", "rows": SALE})
    refused(gw, store, "ledger.post_vat_settlement", [
        ({"start": "2026-05-31", "end": "2026-05-01"}, "end", ValidationError),
        ({"start": "2026-05-01"}, "end", ValidationError),
        ({"start": "maj", "end": "2026-05-31"}, "start", ValidationError),
    ])
    settled = gw.call("ledger.post_vat_settlement", {"start": "2026-05-01", "end": "2026-05-31"})
    assert (settled["ref"], settled["date"]) == ("V1", "2026-05-31")
    with store.read() as s:
        assert s.scalar(select(func.sum(VoucherRow.amount)).where(VoucherRow.account == 2650)) == -2_500
        assert s.scalar(select(func.sum(VoucherRow.amount)).where(VoucherRow.account == 2611)) == 0
    # settled once: the same period again is the same source document
    refused(gw, store, "ledger.post_vat_settlement",
            [({"start": "2026-05-01", "end": "2026-05-31"}, "source", Conflict)])

    refused(gw, store, "ledger.lock_period", [
        ({}, "through", ValidationError),
        ({"through": "2026-05-32"}, "through", ValidationError),
        ({"through": "2026-05-31", "who": "boss"}, "who", ValidationError),
    ])
    assert gw.call("ledger.lock_period", {"through": "2026-05-31"}) == {"locked_through": "2026-05-31"}
    with store.read() as s:
        assert s.scalar(select(PeriodLock.locked_by)) == "lisa"
    refused(gw, store, "ledger.lock_period",
            [({"through": "2026-04-30"}, "locked_through", InvalidTransition)])
    refused(gw, store, "ledger.post_manual",
            [({"date": "2026-05-20", "text": "Late", "rows": BANK_CHARGE}, "date", InvalidTransition)])
    assert gw.call("ledger.post_manual", {"date": "2026-06-01", "text": "June",
                                          "rows": BANK_CHARGE})["ref"] == "M2"


def z_body(z_no: int) -> dict:
    return {"type": "Z", "register_code": "K1", "z_no": z_no, "created_at": f"2026-05-0{z_no}T18:00:00",
            "vat": [{"rate_bp": 2500, "net": 80_000, "vat": 20_000}],
            "payments": {"cash": 20_000, "card": 80_000}}


def test_post_pending_documents(gw, store):
    with store.write() as s:
        for n in (1, 2):
            s.add(ReceivedZReport(id=f"z-{n}", register_code="K1", z_no=n, body=z_body(n)))
        s.add(ReceivedZReport(id="z-bad", register_code="K1", z_no=3, body={"type": "Z"}))
        s.commit()
    done = gw.call("ledger.post_pending")
    assert (done["posted"], done["failed"]) == (2, 1) and list(done["failures"]) == ["z_report:K1:3"]
    assert gw.call("ledger.post_pending", {})["posted"] == 0
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Voucher).where(Voucher.series == "A")) == 2
    refused(gw, store, "ledger.post_pending", [({"limit": 5}, "limit", ValidationError)])


def test_import_sie_and_its_refusals(gw, store):
    refused(gw, store, "ledger.import_sie", [
        ({}, "data", ValidationError),
        ({"data": "not base64!"}, "data", ValidationError),
        ({"data": ""}, "data", ValidationError),
        ({"data": 12}, "data", ValidationError),
        ({"data": b64(SIE.replace("-2300.50", "-2300.00"))}, "file", ValidationError),  # IB ≠ 0
        ({"data": b64("#KONTO 1930 Bank\n")}, "file", ValidationError),
    ])
    done = gw.call("ledger.import_sie", {"data": b64(SIE)})
    assert done == {"accounts_added": 4, "accounts_renamed": 0, "balances": 3,
                    "year": ["2026-01-01", "2026-12-31"]}
    with store.read() as s:
        balances = dict(s.execute(select(OpeningBalance.account, OpeningBalance.amount)).all())
    assert balances == {1930: 150_050, 1460: 80_000, 2081: -230_050}


def test_sie_reimport_logs_the_opening_balances_it_removed(store):
    """The import replaces a year's balances with a bulk delete: the command logs each one gone,
    so a workstation's replica drops it too (the server's change log, capture on)."""
    from core.sync.changelog import ChangeLog, enable_capture

    with store.write() as s:
        enable_capture(s)
        s.commit()
    gw = LocalGateway(store, "lisa")
    gw.call("ledger.import_sie", {"data": b64(SIE)})
    second = SIE.replace("#IB 0 1460 800.00\n", "").replace("-2300.50", "-1500.50")
    gw.call("ledger.import_sie", {"data": b64(second)})
    with store.read() as s:
        assert dict(s.execute(select(OpeningBalance.account, OpeningBalance.amount)).all()) == {
            1930: 150_050, 2081: -150_050}
        last = s.execute(select(ChangeLog.op, ChangeLog.pk, ChangeLog.row)
                         .where(ChangeLog.table_name == "opening_balance")
                         .order_by(ChangeLog.seq.desc()).limit(3)).all()
    ops = {(op, pk["account"]): row for op, pk, row in last}
    assert ("delete", 1460) in ops
    assert ops[("upsert", 2081)]["amount"] == -150_050 and ("upsert", 1930) in ops


def test_years_accounts_and_roles(gw, store):
    refused(gw, store, "ledger.open_year", [
        ({"start": "2027-07-01", "end": "2027-06-30"}, "end", ValidationError),
        ({"start": "2027-07-01", "end": "2029-06-30"}, "end_date", ValidationError),
        ({"start": "2027-07-01"}, "end", ValidationError),
    ])
    year = gw.call("ledger.open_year", {"start": "2027-07-01", "end": "2028-06-30"})
    assert (year["start"], year["end"]) == ("2027-07-01", "2028-06-30")
    refused(gw, store, "ledger.open_year",
            [({"start": "2028-01-01", "end": "2028-12-31"}, "start_date", Conflict)])

    refused(gw, store, "ledger.save_account", [
        ({"number": "1686", "name": "Klarna"}, "number", ValidationError),
        ({"number": 1686}, "name", ValidationError),
        ({"number": 1686, "name": "Klarna", "vat_box": "99"}, "vat_box", ValidationError),
        ({"number": 1686, "name": "Klarna", "active": "yes"}, "active", ValidationError),
        ({"number": 99, "name": "Klarna"}, "account", ValidationError),
    ])
    assert gw.call("ledger.save_account", {"number": 1686, "name": "Fordran Klarna"}) == {
        "number": 1686, "name": "Fordran Klarna", "vat_box": None, "active": True}
    refused(gw, store, "ledger.set_role", [
        ({"role": "nonsense", "account": 1686}, "role", ValidationError),
        ({"role": "provider_receivable", "account": 4321}, "account", NotFound),
        ({"role": "provider_receivable", "account": "1686"}, "account", ValidationError),
    ])
    roles = gw.call("ledger.set_role", {"role": "provider_receivable", "account": 1686})["roles"]
    assert roles["provider_receivable"] == 1686 and roles["card"] == 1686


def test_the_ledger_is_in_a_workstations_scope_and_not_a_tills():
    from core.db.schema import load_all
    from core.sync.tables import SCOPES

    ledger = {"account", "ledger_setting", "financial_year", "voucher_series", "period_lock",
              "opening_balance", "voucher", "voucher_row", "exchange_rate"}
    office, tables = SCOPES["office"], load_all().metadata.tables
    assert ledger <= set(office) and not ledger & set(SCOPES["pos"])
    for name in ledger:  # parents first, and a synced table references only synced tables
        for fk in tables[name].foreign_keys:
            parent = fk.column.table.name
            assert parent in office and office.index(parent) <= office.index(name), (name, parent)


def test_every_ledger_command_is_registered_as_a_change():
    from core import commands

    names = {n for n, c in commands.load_all().items() if n.startswith("ledger.")}
    assert names == {"ledger.post_manual", "ledger.reverse", "ledger.post_vat_settlement",
                     "ledger.post_pending", "ledger.lock_period", "ledger.open_year",
                     "ledger.save_account", "ledger.set_role", "ledger.import_sie"}
    assert all(commands.get(n).writes and commands.get(n).area == "ledger" for n in names)


@pytest.mark.slow
def test_on_a_workstation_the_voucher_is_posted_on_the_server_and_mirrored(tmp_path, monkeypatch):
    """A live server and an office replica: the command posts on the server; the change feed
    brings the voucher, its rows and the chart into the replica (whose triggers let it in)."""
    from tests.e2e.office import office_workstation

    with office_workstation(tmp_path, monkeypatch) as office:
        made = office.gateway.call("ledger.post_manual", {"date": "2026-05-04", "text": "Bank",
                                                          "rows": BANK_CHARGE})
        back = office.gateway.call("ledger.reverse", {"voucher_id": made["id"], "date": "2026-05-05"})
        sql = ("select v.series || v.number, r.account, r.amount from voucher v join voucher_row r "
               "on r.voucher_id = v.id order by v.id, r.id")
        assert office.server_rows(sql) == office.replica_rows(sql) == [
            ("M1", 6570, 12_550), ("M1", 1930, -12_550), ("M2", 6570, -12_550), ("M2", 1930, 12_550)]
        assert back["reverses"] == "M1"
        assert office.replica_rows("select name from account where number = 6570")
        with pytest.raises(UserError) as caught:  # refused on the server, nothing mirrored
            office.gateway.call("ledger.post_manual", {"date": "2026-05-06", "text": "Bad",
                                                       "rows": BANK_CHARGE[:1]})
        assert caught.value.field == "rows"
        assert office.gateway.catch_up() == 0
        assert len(office.replica_rows("select id from voucher")) == 2
