"""The Ledger tab: its models without a window (vouchers, reports, the manual voucher's live balance),
then the real window: an unbalanced manual voucher refused, a balanced one posted, reports exported,
the period lock, and a screenshot to artifacts/backoffice-ledger.png."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from backoffice import errors
from backoffice.models import ledger_model as lm
from core.ledger.models import Voucher
from core.sync.received import ReceivedZReport
from tests.gui.backoffice_fixtures import *  # the fixtures
from tests.gui.test_screenshots import ARTIFACTS

D = dt.date(2026, 5, 4)
MAY = (dt.date(2026, 5, 1), dt.date(2026, 5, 31))


def z_body(z_no: int, day: int) -> dict:
    return {"type": "Z", "register_code": "K1", "z_no": z_no, "created_at": f"2026-05-{day:02d}T18:00:00",
            "vat": [{"rate_bp": 2500, "net": 80_000 + z_no * 1_000, "vat": 20_000 + z_no * 250},
                    {"rate_bp": 1200, "net": 10_000, "vat": 1_200}],
            "payments": {"cash": 31_200 + z_no * 1_250, "card": 80_000}}


@pytest.fixture
def booked(bo_store):
    """Three Z-reports received and posted by the automatic posting."""
    from core.ledger.autopost import post_pending

    with bo_store.write() as s:
        for n in (1, 2, 3):
            s.add(ReceivedZReport(id=f"z-{n}", register_code="K1", z_no=n, body=z_body(n, 3 + n)))
        s.flush()
        assert len(post_pending(s).posted) == 3
        s.commit()
    return bo_store


def vouchers(store, series: str | None = None) -> int:
    with store.read() as s:
        q = select(func.count()).select_from(Voucher)
        return s.scalar(q.where(Voucher.series == series) if series else q)


# --- models, no window ------------------------------------------------------------------------------

def test_the_manual_voucher_model_balances_live(qapp):
    m = lm.ManualVoucherModel()
    seen = []
    m.balance_changed.connect(seen.append)
    m.set_row(0, "6570", "125,50", "", "Bankavgift")
    assert m.imbalance() == 12_550 and not m.ready()
    assert lm.balance_text(m.imbalance()) == "Difference 125,50 kr"
    m.set_row(1, "1930", "", "125,5")
    assert m.imbalance() == 0 and m.ready() and seen[-1] == 0
    assert lm.balance_text(0) == "Balanced"
    assert m.rowCount() == 4  # typing on the last row opened no new one yet (4 empty rows to start)
    rows = m.draft_rows()
    assert rows == [{"account": 6570, "amount": 12_550, "text": "Bankavgift"},
                    {"account": 1930, "amount": -12_550, "text": None}]  # ledger.post_manual's rows
    m.set_row(2, "1910", "abc")
    assert m.imbalance() is None and not m.ready()
    assert lm.balance_text(None) == "An amount is not a number"
    m.set_row(2, "19x0", "1")
    with pytest.raises(errors.UserError, match="row 3: '19x0' is not an account number"):
        m.draft_rows()
    m.set_row(2, "1910", "1", "1")
    with pytest.raises(errors.UserError, match="not both"):
        m.draft_rows()
    m.remove_row(2)
    assert m.ready()


def test_vouchers_detail_and_reports_from_the_models(qapp, booked, runner):
    model = lm.VouchersModel(runner)
    model.set_period(*MAY)
    model.fetch_all_for_test()
    assert [r.ref for r in model.rows] == ["A3", "A2", "A1"]  # newest first
    assert model.data(model.index(0, model.column("amount"))) == "1 149,50"  # Σ debit
    assert model.rows[0].source == "z_report K1:3"
    model.set_period(*MAY, series="B")
    model.fetch_all_for_test()
    assert model.rows == []
    with booked.read() as s:
        head, rows = lm.voucher_detail(s, model_first_id(booked))
        assert head.ref == "A1"
        assert {r.account: (r.debit, r.credit) for r in rows}[2611] == ("", "202,50")
        tables = {kind: lm.build_report(s, kind, *MAY, account=1910) for kind, _ in lm.REPORTS}
        with pytest.raises(errors.UserError, match="account"):
            lm.build_report(s, "general_ledger", *MAY)
        with pytest.raises(errors.UserError, match="ends before"):
            lm.build_report(s, "trial_balance", MAY[1], MAY[0])
    assert tables["trial_balance"].rows[-1][1] == "Summa" and tables["trial_balance"].rows[-1][-1] == "0,00"
    assert tables["general_ledger"].title.startswith("Huvudbok 1910")
    vat = {r[0]: r[2] for r in tables["vat_return"].rows}
    assert vat["10"] == "615,00" and vat["11"] == "36,00"  # 3 days' VAT at 25 % and 12 %
    report = lm.ReportModel()
    report.set_table(tables["income_statement"])
    assert report.rowCount() == len(tables["income_statement"].rows)
    assert report.headerData(0, lm.Qt.Orientation.Horizontal) == tables["income_statement"].columns[0]


def model_first_id(store) -> int:
    with store.read() as s:
        return s.scalar(select(Voucher.id).where(Voucher.series == "A", Voucher.number == 1))


# --- the real window ------------------------------------------------------------------------------------

def open_ledger(window, qtbot):
    tab = window.pages["ledger"]
    window.tabs.setCurrentWidget(tab)
    tab.set_period(*MAY)
    settle(qtbot, window)
    return tab


def test_a_manual_voucher_unbalanced_is_refused_and_balanced_is_posted(window, qtbot, booked, tmp_path):
    assert "Ledger" in [window.tabs.tabText(i) for i in range(window.tabs.count())]
    tab = open_ledger(window, qtbot)
    assert [tab.vouchers.rows[i].ref for i in range(3)] == ["A3", "A2", "A1"]
    tab.pages.setCurrentIndex(2)
    tab.entry_date.setDate(lm_qdate(D))
    tab.entry_text.setText("Bank charges May")
    tab.entry.set_row(0, "6570", "125,00")
    tab.entry.set_row(1, "1930", "", "120,00")
    assert tab.balance.text() == "Difference 5,00 kr"
    assert not tab.post_button.isEnabled()
    tab.post_manual()  # pressed anyway (e.g. by a shortcut): the ledger refuses, nothing is written
    settle(qtbot, window)
    assert errors.shown and "does not balance" in errors.shown[-1][1]
    assert vouchers(window.ctx.store, "M") == 0
    errors.close_all()
    tab.entry.set_row(1, "1930", "", "125,00")
    assert tab.balance.text() == "Balanced" and tab.post_button.isEnabled()
    tab.post_button.click()
    settle(qtbot, window)
    assert tab.status.text() == "Voucher M1 posted"
    assert vouchers(window.ctx.store, "M") == 1
    assert tab.entry.filled() == [] and tab.entry_text.text() == ""
    assert "M1" in [r.ref for r in tab.vouchers.rows]  # the list reloaded after the write
    # its rows, and the reports of the period exported as CSV and PDF
    tab.vouchers_view.selectRow([r.ref for r in tab.vouchers.rows].index("M1"))
    settle(qtbot, window)
    assert tab.detail.rowCount() == 2 and tab.detail.item(0, 0).text() == "6570"
    tab.report_kind.setCurrentIndex([k for k, _ in lm.REPORTS].index("trial_balance"))
    settle(qtbot, window)
    assert tab.report.table.title == "Råbalans"
    csv, pdf = tmp_path / "rb.csv", tmp_path / "rb.pdf"
    tab.export_report(tab.report, "csv", str(csv))
    tab.export_report(tab.report, "pdf", str(pdf))
    settle(qtbot, window)
    assert "6570" in csv.read_bytes().decode("utf-8-sig") and pdf.read_bytes().startswith(b"%PDF")
    # lock May: a voucher dated in it is refused
    tab.lock_period(dt.date(2026, 5, 31))
    settle(qtbot, window)
    assert tab.lock_label.text() == "Locked through 2026-05-31"
    tab.entry_text.setText("Late charge")
    tab.entry.set_row(0, "6570", "1")
    tab.entry.set_row(1, "1930", "", "1")
    tab.post_manual()
    settle(qtbot, window)
    assert "locked" in errors.shown[-1][1] and vouchers(window.ctx.store, "M") == 1
    errors.close_all()


def test_vat_settlement_sie_export_and_the_screenshot(window, qtbot, booked, tmp_path):
    tab = open_ledger(window, qtbot)
    tab.pages.setCurrentIndex(3)
    settle(qtbot, window)
    boxes = {tab.vat.cell(r, 0): tab.vat.cell(r, 2) for r in range(tab.vat.rowCount())}
    assert boxes["49"] == "651,00"
    tab.post_vat_settlement()
    settle(qtbot, window)
    assert tab.status.text() == "VAT settlement V1 posted"
    with window.ctx.store.read() as s:
        assert s.execute(text("SELECT SUM(amount) FROM voucher_row WHERE account = 2650")).scalar() == -65_100
    tab.sie_year.setValue(2026)
    out = tmp_path / "2026.se"
    tab.export_sie(str(out))
    settle(qtbot, window)
    data = out.read_bytes()
    assert b"#SIETYP 4" in data and data.count(b"#VER ") == 4
    tab.pages.setCurrentIndex(0)
    tab.vouchers_view.selectRow(1)
    settle(qtbot, window)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "backoffice-ledger.png"
    assert window.grab().save(str(path))
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    # asked for 1280×800; a tab's toolbar may widen the window (its minimum width wins)
    assert image.height() == 800 and image.width() >= 1280
    assert len({image.pixel(x, y) for x in range(0, 1280, 37) for y in range(0, 800, 29)}) > 5


def lm_qdate(day: dt.date):
    from PySide6.QtCore import QDate

    return QDate(day.year, day.month, day.day)


def test_every_change_in_the_tab_is_a_ledger_command(window, qtbot, booked, tmp_path):
    """Reverse, post pending, import SIE, settle, lock: each goes to the gateway as a command
    (on a workstation that is the server); the window's store is never written by the tab."""
    calls = []
    gateway = window.ctx.gateway
    real = gateway.call

    def call(name, args=None):
        calls.append(name)
        return real(name, args)

    gateway.call = call
    tab = open_ledger(window, qtbot)
    tab.vouchers_view.selectRow([r.ref for r in tab.vouchers.rows].index("A1"))
    settle(qtbot, window)
    tab.reverse_selected()
    settle(qtbot, window)
    assert tab.status.text() == "Reversing voucher A4 posted"
    assert "A4" in [r.ref for r in tab.vouchers.rows]  # the list reloaded after the command
    with window.ctx.store.write() as s:
        s.add(ReceivedZReport(id="z-9", register_code="K1", z_no=9, body=z_body(9, 20)))
        s.commit()
    tab.post_pending()
    settle(qtbot, window)
    assert tab.status.text() == "1 document(s) posted"
    sie = tmp_path / "in.se"
    sie.write_bytes(b'#FLAGGA 0\n#KONTO 1687 "Fordran Qliro"\n#KONTO 1930 "Bank"\n')
    tab.import_sie(str(sie))
    settle(qtbot, window)
    assert tab.status.text() == "SIE imported: 1 accounts added, 0 opening balances"
    tab.post_vat_settlement()
    tab.lock_period(dt.date(2026, 5, 31))
    settle(qtbot, window)
    assert tab.lock_label.text() == "Locked through 2026-05-31"
    tab.import_sie(str(tmp_path / "missing.se"))  # a file that cannot be read: said, nothing sent
    settle(qtbot, window)
    assert errors.shown
    errors.close_all()
    assert calls == ["ledger.reverse", "ledger.post_pending", "ledger.import_sie",
                     "ledger.post_vat_settlement", "ledger.lock_period"]
