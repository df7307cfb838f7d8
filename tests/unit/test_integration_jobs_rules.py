"""Rules of the integration jobs without I/O: provider lines sum exactly to the captured amount."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.integrations.payments import klarna_lines, nets_items

line = st.fixed_dictionaries({
    "sku": st.text("ABC123", min_size=1, max_size=8), "name": st.text(min_size=1, max_size=20),
    "kind": st.sampled_from(["product", "shipping"]),
    "qty": st.one_of(st.integers(1, 50).map(lambda n: n * 1000), st.integers(1, 99_999)),
    "gross": st.integers(0, 5_000_000), "vat_rate_bp": st.sampled_from([0, 600, 1200, 2500])})


@given(st.lists(line, min_size=1, max_size=8), st.integers(-500, 500))
def test_klarna_lines_add_up_to_the_amount_and_each_line_is_consistent(lines, skew):
    total = sum(ln["gross"] for ln in lines)
    amount = max(1, total + skew)
    body = {"amount": amount, "lines": lines}
    out = klarna_lines(body)
    if total == 0:
        assert out == []
        return
    assert sum(ln.total_amount for ln in out) == amount
    for ln in out:
        assert ln.quantity * ln.unit_price - ln.total_discount_amount == ln.total_amount
        assert 0 <= ln.total_discount_amount < max(ln.quantity, 1)


@given(st.lists(line, min_size=1, max_size=8))
def test_nets_items_add_up_and_split_gross_into_net_and_tax(lines):
    total = sum(ln["gross"] for ln in lines)
    if total == 0:
        return
    out = nets_items({"amount": total, "lines": lines})
    assert sum(i.gross_total_amount for i in out) == total
    assert all(i.net_total_amount + i.tax_amount == i.gross_total_amount for i in out)


def test_a_delivery_line_of_weight_goods_is_one_line_of_its_whole_amount():
    out = klarna_lines({"amount": 4490, "lines": [
        {"sku": "OST", "name": "Ost", "kind": "product", "qty": 1250, "gross": 4490,
         "vat_rate_bp": 1200}]})
    assert (out[0].quantity, out[0].unit_price, out[0].total_amount) == (1, 4490, 4490)
