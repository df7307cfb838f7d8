"""The cart: line and receipt discounts spread exactly, overrides and voids need a manager, gift cards carry no VAT."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import NotFound, ValidationError
from core.sales.cart import Cart, CartLine


def line(price=10000, qty=1000, rate=2500, **kw):
    return CartLine(1, "SKU", "Vara", qty, price, rate, **kw)


def test_total_is_price_times_quantity_with_vat_per_rate():
    cart = Cart()
    cart.add(line(19900, 2000))
    cart.add(line(1790, 1000, 600))
    t = cart.totals()
    assert t.total == 2 * 19900 + 1790
    assert [(p.rate_bp, p.net + p.vat) for p in t.vat] == [(2500, 39800), (600, 1790)]
    assert t.vat[0].vat == 7960  # 398,00 × 25/125


def test_weighed_line_rounds_half_up_to_the_ore():
    cart = Cart()
    cart.add(line(9990, 333))  # 0,333 kg × 99,90 = 33,2667
    assert cart.total == 3327


def test_receipt_discount_in_percent_is_spread_so_lines_sum_to_total():
    cart = Cart()
    for price in (999, 1001, 333):
        cart.add(line(price))
    cart.discount_receipt(percent_bp=1000)
    t = cart.totals()
    assert t.total == 2333 - 233
    assert sum(lt.amount for lt in t.lines) == t.total
    assert t.discount_total == 233


def test_line_discount_amount_never_exceeds_the_line():
    cart = Cart()
    ln = cart.add(line(500))
    cart.discount_line(ln.line_id, amount=800)
    assert cart.total == 0


def test_discount_as_both_amount_and_percent_is_refused():
    cart = Cart()
    ln = cart.add(line())
    with pytest.raises(ValidationError) as e:
        cart.discount_line(ln.line_id, amount=100, percent_bp=1000)
    assert e.value.field == "discount"


def test_price_override_and_void_need_a_manager():
    cart = Cart()
    ln = cart.add(line(10000))
    with pytest.raises(ValidationError) as e:
        cart.override_price(ln.line_id, 5000, None)
    assert e.value.field == "manager"
    cart.override_price(ln.line_id, 5000, "Maria")
    assert (ln.list_price, ln.unit_price, ln.override_by) == (10000, 5000, "Maria")
    assert ln.reduction_by_override == 5000
    with pytest.raises(ValidationError):
        cart.void(ln.line_id, "")
    cart.void(ln.line_id, "Maria")
    assert cart.is_empty and cart.total == 0
    with pytest.raises(NotFound):
        cart.line(ln.line_id)


def test_gift_card_is_not_sales_and_has_no_vat():
    cart = Cart()
    cart.add(line(10000))
    cart.add(CartLine(None, "GIFTCARD", "Presentkort", 1000, 50000, 2500, kind="gift_card",
                      gift_card_code="GC1"))
    cart.discount_receipt(percent_bp=5000)
    t = cart.totals()
    assert t.gift_cards_total == 50000  # never discounted
    assert t.goods_total == 5000
    assert t.total == 55000
    assert sum(p.net + p.vat for p in t.vat) == 5000


def test_return_line_gives_back_its_discount():
    cart = Cart()
    cart.add(line(10000, -1000, discount_amount=1000))
    assert cart.total == -9000
    assert cart.kind == "return"


def test_cart_survives_a_round_trip_through_json():
    cart = Cart(customer_id="c1")
    ln = cart.add(line(1234, 2500))
    cart.discount_line(ln.line_id, percent_bp=1500)
    cart.discount_receipt(amount=100)
    import json
    back = Cart.from_dict(json.loads(json.dumps(cart.to_dict())))
    assert back.totals() == cart.totals()
    assert back.customer_id == "c1" and back.lines[0].line_id == ln.line_id


lines_st = st.lists(st.tuples(st.integers(0, 500_000), st.integers(1, 20_000),
                              st.sampled_from([2500, 1200, 600, 0]), st.integers(0, 10_000)),
                    min_size=1, max_size=12)


@given(lines_st, st.integers(0, 10_000), st.integers(0, 100_000), st.booleans())
def test_lines_always_sum_exactly_to_the_total(specs, receipt_bp, receipt_amount, by_percent):
    cart = Cart()
    for price, qty, rate, bp in specs:
        cart.add(line(price, qty, rate, discount_bp=bp))
    if by_percent:
        cart.discount_receipt(percent_bp=receipt_bp)
    else:
        cart.discount_receipt(amount=receipt_amount)
    t = cart.totals()
    assert sum(lt.amount for lt in t.lines) == t.total
    assert sum(p.net + p.vat for p in t.vat) == t.goods_total
    assert all(lt.amount >= 0 for lt in t.lines)
