"""The till's table models, the tender arithmetic and the scanner filter — no window needed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from core.sales.cart import Cart, CartLine
from core.sales.payments import Payment
from pos_app.models import CartModel, PaymentsModel
from pos_app.scanner import ScannerFilter
from pos_app.session import CartSnapshot
from pos_app.tender import Tender


def _cart() -> Cart:
    cart = Cart()
    cart.add(CartLine(1, "TS-1", "T-shirt röd", 2000, 19900, 2500, line_id="a"))
    cart.add(CartLine(2, "MJ-1", "Mjölk", 1000, 1790, 600, line_id="b"))
    cart.discount_line("a", percent_bp=1000)
    return cart


def test_the_cart_model_shows_each_line_with_named_columns(qapp):
    model = CartModel()
    model.set_cart(CartSnapshot.of(_cart()))
    assert model.rowCount() == 2
    assert [model.text(0, k) for k in ("name", "qty", "price", "discount", "amount")] == \
        ["T-shirt röd", "2", "199,00", "-39,80", "358,20"]
    assert model.text(1, "discount") == "" and model.line_id(1) == "b"
    assert model.snapshot.total == 35820 + 1790


def test_an_overridden_or_returned_line_says_so(qapp):
    cart = _cart()
    cart.override_price("b", 1500, "chef")
    model = CartModel()
    model.set_cart(CartSnapshot.of(cart))
    assert "(" in model.text(1, "name") and model.text(1, "price") == "15,00"


def test_the_payments_model_lists_methods_and_amounts(qapp):
    model = PaymentsModel()
    model.set_payments([Payment("card", 10000), Payment("gift_card", 500, "GC-1")])
    assert model.rowCount() == 2
    assert model.text(1, "reference") == "GC-1" and model.text(0, "amount") == "100,00"


def test_tender_split_with_cash_rounding_and_change():
    t = Tender(21690)
    t.add(Payment("card", 10000))
    assert (t.remaining_exact, t.cash_to_pay, t.rounding) == (11690, 11700, 10)
    assert not t.covered
    t.add(Payment("cash", 20000))
    assert t.covered and t.change == 8300 and t.settlement().cash_rounding == 10
    assert t.remaining <= 0


def test_tender_refuses_a_card_overpaying_and_a_refund_with_the_wrong_sign():
    import pytest

    from core.errors import ValidationError

    t = Tender(5000)
    with pytest.raises(ValidationError):
        t.add(Payment("card", 6000))
    r = Tender(-4990)
    with pytest.raises(ValidationError):
        r.add(Payment("cash", 5000))
    r.add(Payment("cash", r.cash_to_pay))
    assert r.covered and r.settlement().payments[0].amount == -5000


def _key(key, text=""):
    return QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)


def _type(f: ScannerFilter, target, code: str, gap: float, clock: list[float]) -> bool:
    for ch in code:
        clock[0] += gap
        target.insert(ch)  # what the line edit would do with the key
        f.eventFilter(target, _key(Qt.Key.Key_0, ch))
    clock[0] += gap
    return f.eventFilter(target, _key(Qt.Key.Key_Return))


def test_a_fast_burst_ending_in_enter_is_a_scan_and_leaves_the_field_clean(qapp):
    clock = [0.0]
    f = ScannerFilter(clock=lambda: clock[0])
    seen = []
    f.scanned.connect(seen.append)
    edit = QLineEdit("abc")
    assert _type(f, edit, "7350000000019", 0.004, clock) is True
    assert seen == ["7350000000019"] and edit.text() == "abc"


def test_typing_at_human_speed_or_a_short_burst_is_not_a_scan(qapp):
    clock = [0.0]
    f = ScannerFilter(clock=lambda: clock[0])
    seen = []
    f.scanned.connect(seen.append)
    edit = QLineEdit()
    assert _type(f, edit, "tröja", 0.150, clock) is False
    assert _type(f, QLineEdit(), "12", 0.004, clock) is False
    assert seen == [] and edit.text() == "tröja"
