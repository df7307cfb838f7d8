"""Tender: split payments, cash rounded to whole kronor on the cash part only, change, refunds."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import Conflict, Unavailable, ValidationError
from core.sales.giftcards import check_redemption
from core.sales.payments import Payment, amount_due, cash_due, settle


def test_cash_only_is_rounded_and_change_given():
    s = settle(22515, [Payment("cash", 50000)])
    assert s.cash_rounding == -15
    assert s.payments == [Payment("cash", 22500)]
    assert s.change == 27500


def test_split_tender_rounds_only_the_cash_part():
    s = settle(22560, [Payment("card", 10000), Payment("cash", 13000)])
    assert s.cash_rounding == 40  # 125,60 → 126,00
    assert [p.amount for p in s.payments] == [10000, 12600]
    assert s.change == 400
    assert cash_due(22560, [Payment("card", 10000)]) == 12600


def test_card_only_is_exact_and_never_rounded():
    s = settle(22515, [Payment("card", 22515)])
    assert (s.cash_rounding, s.change) == (0, 0)


def test_short_payment_is_refused_naming_what_is_due():
    with pytest.raises(ValidationError) as e:
        settle(10000, [Payment("card", 5000)])
    assert "5000" in str(e.value) and e.value.field == "payments"
    with pytest.raises(ValidationError):
        settle(10000, [Payment("cash", 9000)])


def test_card_may_not_exceed_what_is_due():
    with pytest.raises(ValidationError):
        settle(10000, [Payment("card", 12000)])


def test_gift_card_payment_needs_its_code():
    with pytest.raises(ValidationError) as e:
        settle(10000, [Payment("gift_card", 10000)])
    assert e.value.field == "reference"


def test_cash_refund_is_rounded_and_exact():
    s = settle(-9015, [Payment("cash", -9000)])
    assert (s.cash_rounding, s.change) == (15, 0)
    with pytest.raises(ValidationError):
        settle(-9015, [Payment("cash", -10000)])


def test_amount_due_counts_down():
    assert amount_due(10000, []) == 10000
    assert amount_due(10000, [Payment("card", 4000)]) == 6000
    assert amount_due(10040, [Payment("cash", 10000)]) == 0


@given(st.integers(-1_000_000, 1_000_000), st.integers(0, 100), st.integers(0, 10_000))
def test_payments_always_equal_total_plus_rounding(total, card_pct, extra):
    sign = -1 if total < 0 else 1
    card = sign * (abs(total) * card_pct // 100)
    rest = cash_due(total, [Payment("card", card)])
    cash = rest + (sign * extra if sign > 0 else 0)
    s = settle(total, [Payment("card", card), Payment("cash", cash)])
    assert sum(p.amount for p in s.payments) == total + s.cash_rounding
    assert abs(s.cash_rounding) <= 50
    assert s.change == (extra if sign > 0 else 0)


def test_gift_card_checked_online_then_offline_limit():
    assert check_redemption("GC1", 5000, balance=lambda c: 8000) == "online"
    with pytest.raises(Conflict):
        check_redemption("GC1", 9000, balance=lambda c: 8000)

    def down(code):
        raise Unavailable("server down")

    assert check_redemption("GC1", 5000, balance=down, offline_limit=10000) == "offline"
    with pytest.raises(Conflict):
        check_redemption("GC1", 20000, balance=down, offline_limit=10000)
