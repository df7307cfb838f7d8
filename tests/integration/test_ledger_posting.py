"""Vouchers on a real SQLite file: balanced, gap-free numbers, immutable, locked periods, the BAS chart."""

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.ledger import rules
from core.ledger.chart import BAS_RETAIL, DEFAULT_ROLES, roles, save_account, seed_ledger, set_role
from core.ledger.fx import rate_on, set_rate
from core.ledger.models import Account, Voucher, VoucherRow
from core.ledger.periods import lock_period, open_year
from core.ledger.posting import Row, VoucherDraft, post, post_manual, post_once, reverse, rows_of

DAY = dt.date(2026, 4, 10)


@pytest.fixture
def ledger(store):
    with store.write() as s:
        seed_ledger(s)
        s.commit()
    return store


def z(no: int, day: dt.date = DAY) -> VoucherDraft:
    facts = rules.ZReportFacts("KASSA1", no, day, vat=[(2500, 80_000, 20_000)], payments={"cash": 100_000})
    return rules.z_report_voucher(facts, DEFAULT_ROLES)


def test_the_chart_is_seeded_from_bas_with_swedish_names(ledger):
    with ledger.read() as s:
        names = dict(s.execute(select(Account.number, Account.name)).all())
    for number in (1460, 1510, 1580, 1686, 1910, 1930, 2421, 2440, 2611, 2621, 2631, 2641, 2650,
                   2670, 3001, 3002, 3003, 3105, 3106, 3108, 3740, 3960, 4010, 4960, 6040, 6570, 7960):
        assert number in names
    assert names[3740] == "Öres- och kronutjämning" and names[1910] == "Kassa"
    assert len(names) == len(BAS_RETAIL)
    with ledger.write() as s:  # seeding again adds nothing and keeps edits
        save_account(s, 1910, "Kassa butik", None)
        assert seed_ledger(s) == 0
        assert s.get(Account, 1910).name == "Kassa butik"


def test_the_provider_receivable_is_configurable(ledger):
    with ledger.write() as s:
        assert roles(s)["provider_receivable"] == 1580
        set_role(s, "provider_receivable", 1686)
        assert roles(s)["provider_receivable"] == roles(s)["card"] == 1686
        with pytest.raises(ValidationError):
            set_role(s, "no_such_role", 1930)
        s.commit()


def test_vouchers_are_numbered_without_gaps_per_series_and_year(ledger):
    with ledger.write() as s:
        numbers = [post(s, z(i)).number for i in range(1, 4)]
        s.commit()
    with ledger.write() as s:
        post(s, z(4))  # rolled back: the number is given back
    with ledger.write() as s:
        assert post(s, z(5)).number == 4
        assert post(s, z(6, dt.date(2027, 1, 2))).number == 1  # a new year starts at 1
        inv = rules.invoice_voucher(rules.InvoiceFacts(1, DAY, [(2500, 100, 25)]), roles(s))
        assert post(s, inv).number == 1  # series B has its own numbers
        s.commit()
    assert numbers == [1, 2, 3]


def test_every_posted_voucher_balances_to_the_ore(ledger):
    with ledger.write() as s:
        post(s, z(1))
        sums = s.execute(select(VoucherRow.voucher_id, func.sum(VoucherRow.amount))
                         .group_by(VoucherRow.voucher_id)).all()
    assert sums and all(total == 0 for _, total in sums)


def test_an_unbalanced_manual_voucher_is_refused(ledger):
    with ledger.write() as s:
        with pytest.raises(ValidationError, match="does not balance") as err:
            post_manual(s, DAY, "Fel", [Row(1930, 10_000), Row(6570, -9_999)], "anna")
        assert err.value.field == "rows"
        with pytest.raises(ValidationError, match="two rows"):
            post_manual(s, DAY, "Ensam", [Row(1930, 0), Row(6570, 0)], "anna")
        with pytest.raises(ValidationError, match="not in the chart"):
            post_manual(s, DAY, "Okänt", [Row(1930, 100), Row(9999, -100)], "anna")
        v = post_manual(s, DAY, "Bankavgift", [Row(6570, 5_000), Row(1930, -5_000)], "anna")
        assert (v.series, v.number) == ("M", 1)
        assert s.scalar(select(func.count()).select_from(Voucher)) == 1


def test_a_posted_voucher_cannot_be_edited_or_deleted(ledger):
    with ledger.write() as s:
        v = post(s, z(1))
        s.commit()
        vid = v.id
    with ledger.write() as s:
        v = s.get(Voucher, vid)
        v.text = "ändrad"
        with pytest.raises(InvalidTransition, match="reversing"):
            s.flush()
    with ledger.write() as s:
        row = s.scalars(select(VoucherRow).where(VoucherRow.voucher_id == vid)).first()
        s.delete(row)
        with pytest.raises(InvalidTransition):
            s.flush()
    for sql in ("UPDATE voucher_row SET amount = amount + 1", "DELETE FROM voucher_row",
                "UPDATE voucher SET text = 'x'", "DELETE FROM voucher"):
        with ledger.write() as s, pytest.raises(DatabaseError, match="cannot be changed"):
            s.execute(text(sql))
    with ledger.read() as s:
        assert sum(r.amount for r in rows_of(s, vid)) == 0 and s.get(Voucher, vid).text.startswith("Z-")


def test_a_correction_is_a_reversal_referencing_the_original(ledger):
    with ledger.write() as s:
        original = post(s, z(1))
        fix = reverse(s, original.id, DAY + dt.timedelta(days=1), "anna")
        assert fix.reverses_id == original.id and fix.series == "A" and fix.number == 2
        assert [r.amount for r in rows_of(s, fix.id)] == [-r.amount for r in rows_of(s, original.id)]
        with pytest.raises(Conflict, match="already reversed"):
            reverse(s, original.id, DAY, "anna")


def test_nothing_is_posted_into_a_locked_period(ledger):
    with ledger.write() as s:
        v = post(s, z(1, dt.date(2026, 3, 31)))
        lock_period(s, dt.date(2026, 3, 31), "anna")
        with pytest.raises(InvalidTransition, match="locked"):
            post(s, z(2, dt.date(2026, 3, 15)))
        with pytest.raises(InvalidTransition, match="locked"):
            post_manual(s, dt.date(2026, 3, 31), "Sent", [Row(6570, 1), Row(1930, -1)], "anna")
        with pytest.raises(InvalidTransition, match="moved back"):
            lock_period(s, dt.date(2026, 2, 28), "anna")
        assert post(s, z(3, dt.date(2026, 4, 1))).number == 2
        # a correction of a closed month goes into the open period
        with pytest.raises(InvalidTransition, match="locked"):
            reverse(s, v.id, dt.date(2026, 3, 30), "anna")
        assert reverse(s, v.id, dt.date(2026, 4, 2), "anna").reverses_id == v.id


def test_a_document_is_posted_once(ledger):
    with ledger.write() as s:
        first = post(s, z(1))
        assert post_once(s, z(1)).id == first.id
        with pytest.raises(Conflict, match="already posted"):
            post(s, z(1))


def test_financial_years_do_not_overlap(ledger):
    with ledger.write() as s:
        split = open_year(s, dt.date(2026, 7, 1), dt.date(2027, 6, 30))
        with pytest.raises(Conflict):
            open_year(s, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
        with pytest.raises(ValidationError, match="18 months"):
            open_year(s, dt.date(2028, 1, 1), dt.date(2029, 12, 31))
        v = post(s, z(1, dt.date(2027, 2, 1)))
        assert (v.financial_year_id, v.number) == (split.id, 1)


def test_exchange_rates_are_data_and_a_missing_one_is_refused(ledger):
    from core.errors import NotFound

    with ledger.write() as s:
        set_rate(s, "EUR", dt.date(2026, 4, 9), 11_500_000)
        assert rate_on(s, "EUR", dt.date(2026, 4, 11)) == 11_500_000  # weekend: the latest rate
        assert rate_on(s, "SEK", DAY) == 1_000_000
        with pytest.raises(NotFound, match="EUR rate"):
            rate_on(s, "EUR", dt.date(2026, 5, 1))


def test_exchange_rates_import_all_or_nothing(ledger):
    from core.errors import RowErrors
    from core.ledger.fx import import_rates_csv

    with ledger.write() as s:
        with pytest.raises(RowErrors, match="line 3") as err:
            import_rates_csv(s, b"currency,date,rate\nEUR,2026-04-01,11.40\nEUR,2026-04-02,abc\n")
        assert "nothing was imported" in str(err.value)
        with pytest.raises(NotFound):
            rate_on(s, "EUR", dt.date(2026, 4, 1))
        assert import_rates_csv(s, b"currency,date,rate\nEUR,2026-04-01,\"11,40\"\nUSD,2026-04-01,10.1\n") == 2
        assert rate_on(s, "USD", dt.date(2026, 4, 2)) == 10_100_000
