"""Rules without a database: the order state machine, exact shares of a line, OCR references, bank file parsing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import RowErrors, ValidationError
from core.invoicing.ocr import check_ocr, is_valid_ocr, make_ocr, number_of
from core.invoicing.payments import parse_bgmax, parse_payments_csv
from core.invoicing.receivables import bucket_of
from core.orders.pricing import line_total, prorate, share
from core.orders.states import TRANSITIONS, allowed


def test_the_order_lifecycle_is_the_documented_one():
    assert TRANSITIONS == {
        "new": {"confirmed", "cancelled"},
        "confirmed": {"partly_delivered", "delivered", "cancelled"},
        "partly_delivered": {"delivered"},
        "delivered": {"invoiced"},
        "invoiced": {"closed"},
        "closed": set(),
        "cancelled": set(),
    }
    assert not allowed("delivered", "cancelled") and not allowed("new", "delivered")


def test_line_total_rounds_each_step_half_up():
    assert line_total(8950, 4000, 1000) == 32220
    assert line_total(3333, 3000, 0) == 9999
    assert line_total(1999, 250, 0) == 500  # 0,250 kg × 19,99 = 4,9975 → 5,00
    assert line_total(999, 1000, 3333) == 666  # 9,99 − 33,33 % (3,3297 → 3,33)


@given(total=st.integers(-10**9, 10**9), qty=st.integers(1, 10**6),
       cuts=st.lists(st.integers(1, 10**6), max_size=8))
def test_shares_of_a_line_always_sum_to_the_line(total, qty, cuts):
    done, parts = 0, []
    for c in cuts:
        take = min(c, qty - done)
        if take <= 0:
            break
        parts.append(share(total, qty, done, take))
        done += take
    parts.append(share(total, qty, done, qty - done))
    assert sum(parts) == total
    assert prorate(total, qty, qty) == total and prorate(total, qty, 0) == 0


def test_ocr_has_length_and_luhn_digits():
    assert make_ocr(1001) == "100164"
    assert make_ocr(1001, length_digit=False) == "10017"
    assert check_ocr("1001 64", length_digit=True) == "100164"
    with pytest.raises(ValidationError, match="wrong check digit"):
        check_ocr("100165")
    with pytest.raises(ValidationError, match="not an OCR reference"):
        check_ocr("12a4")


@given(st.integers(1, 10**20))
def test_every_ocr_is_valid_and_gives_back_its_number(number):
    ocr = make_ocr(number)
    assert is_valid_ocr(ocr, length_digit=True) and number_of(ocr) == number


@given(st.integers(1, 10**12), st.data())
def test_a_single_wrong_digit_is_caught(number, data):
    ocr = make_ocr(number)
    i = data.draw(st.integers(0, len(ocr) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != ocr[i]]))
    assert not is_valid_ocr(ocr[:i] + wrong + ocr[i + 1:], length_digit=True)


def bgmax_file(payments, day="20260510"):
    rows = ["01BGMAX               0120260510120000000000P", "050009912346          SEK"]
    for code, ref, amount, name in payments:
        rows.append(f"{code}{'0' * 10}{ref:<25}{amount:018d}21{'1' * 12}0")
        if name:
            rows.append(f"26{name}")
    rows += [f"15{'0' * 35}{day}00001{0:018d}SEK{len(payments):08d} ", f"70{len(payments):08d}"]
    return ("\n".join(r.ljust(80) for r in rows)).encode("latin-1")


def test_bgmax_payments_with_names_and_deductions():
    rows = parse_bgmax(bgmax_file([("20", "100164", 57020, "Anna Andersson"),
                                   ("21", "65", 1000, None)]))
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        (dt.date(2026, 5, 10), 57020, "100164", "Anna Andersson", "SEK"),
        (dt.date(2026, 5, 10), -1000, "65", None, "SEK")]
    with pytest.raises(ValidationError, match="not a BgMax file"):
        parse_bgmax(b"hello")
    cut = b"\n".join(bgmax_file([("20", "1", 1, None)]).split(b"\n")[:3])
    with pytest.raises(ValidationError, match="without a deposit record"):
        parse_bgmax(cut)


def test_payments_csv_accepts_swedish_amounts_and_semicolons():
    rows = parse_payments_csv(b"date;amount;reference;payer\n2026-05-10;1 234,50;100164;Anna\n")
    assert rows == [(2, dt.date(2026, 5, 10), 123450, "100164", "Anna", "SEK")]
    with pytest.raises(ValidationError, match="lacks column"):
        parse_payments_csv(b"date;sum\n")
    with pytest.raises(RowErrors):
        parse_payments_csv(b"date,amount,reference\n2026-13-01,1,1\n")


@pytest.mark.parametrize("days, bucket", [(-5, "not_due"), (0, "not_due"), (1, "1-30"),
                                          (30, "1-30"), (31, "31-60"), (90, "61-90"),
                                          (91, "over_90")])
def test_ageing_buckets(days, bucket):
    assert bucket_of(days) == bucket
