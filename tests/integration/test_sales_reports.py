"""X and Z equal the sum of the receipts; Z numbers are unbroken; Z resets the day, grand totals stay."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core.sales.models import SalesReceipt, ZReport
from core.sales.payments import Payment, cash_due
from core.sales.till import Till
from tests.sales_support import NOW, control_unit, setup_shop

line_st = st.tuples(st.integers(1, 5), st.integers(1, 3), st.sampled_from([0, 0, 500, 2500]))
cart_st = st.fixed_dictionaries({
    "lines": st.lists(line_st, min_size=1, max_size=5),
    "receipt_bp": st.sampled_from([0, 0, 1000, 1500]),
    "training": st.booleans(),
    "returned": st.booleans(),
    "card_part": st.integers(0, 100),
})


def sell(till: Till, spec: dict) -> dict:
    till.set_training(spec["training"])
    for pid, n, bp in spec["lines"]:
        qty = n * 1000 if pid != 5 else n * 250  # product 5 is weighed
        line = till.add_product(pid, qty)
        if bp:
            till.discount_line(line.line_id, percent_bp=bp)
    if spec["returned"]:
        till.add_return_without_receipt(2, 1000, "Maria")
    if spec["receipt_bp"]:
        till.discount_receipt(percent_bp=spec["receipt_bp"])
    total = till.cart.total
    card = total * spec["card_part"] // 100
    payments = [Payment("card", card)] if card else []
    if total - card:  # the rest in cash, rounded (0 kr when under 50 öre are left)
        payments.append(Payment("cash", cash_due(total, payments)))
    return till.complete(payments).body


def expected(bodies: list[dict]) -> dict:
    real = [b for b in bodies if b["kind"] != "training"]
    vat, payments = Counter(), Counter()
    for b in real:
        for part in b["vat"]:
            vat[(part["rate_bp"], "net")] += part["net"]
            vat[(part["rate_bp"], "vat")] += part["vat"]
        for p in b["payments"]:
            payments[p["method"]] += p["amount"]
    return {
        "sales_total": sum(ln["amount"] for b in real for ln in b["lines"] if ln["amount"] > 0),
        "returns": sum(-ln["amount"] for b in real for ln in b["lines"] if ln["amount"] < 0),
        "net_total": sum(b["total"] for b in real),
        "receipts": len(real),
        "training": {"count": len(bodies) - len(real),
                     "amount": sum(b["total"] for b in bodies if b["kind"] == "training")},
        "cash_rounding": sum(b["cash_rounding"] for b in real),
        "payments": {m: v for m, v in payments.items() if v or m in {p["method"] for b in real for p in b["payments"]}},
        "vat": vat,
        "goods_qty": sum(ln["qty"] for b in real for ln in b["lines"] if ln["qty"] > 0 and ln["product_id"] != 4),
        "services_qty": sum(ln["qty"] for b in real for ln in b["lines"] if ln["qty"] > 0 and ln["product_id"] == 4),
    }


def check(report: dict, bodies: list[dict]) -> None:
    e = expected(bodies)
    assert report["sales_total"] == e["sales_total"]
    assert report["returns"]["amount"] == e["returns"]
    assert report["net_total"] == e["net_total"]
    assert report["receipts"] == e["receipts"]
    assert report["training"] == e["training"]
    assert report["cash_rounding"] == e["cash_rounding"]
    assert report["payments"] == e["payments"]
    assert report["goods_qty"] == e["goods_qty"] and report["services_qty"] == e["services_qty"]
    got = Counter()
    for part in report["vat"]:
        got[(part["rate_bp"], "net")] += part["net"]
        got[(part["rate_bp"], "vat")] += part["vat"]
    assert +got == +e["vat"]


@pytest.fixture
def till(store):
    return Till(store, setup_shop(store), control_unit(), cashier="Anna", clock=lambda: NOW)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(carts=st.lists(cart_st, min_size=1, max_size=6))
def test_x_and_z_equal_the_sum_of_the_receipts(store, till, carts):
    till.clear()  # an example hypothesis abandoned half-way leaves its cart behind
    till.z_report()  # every example starts a fresh day
    bodies = [sell(till, spec) for spec in carts]
    till.set_training(False)
    check(till.x_report(), bodies)
    z = till.z_report()
    check(z, bodies)
    with store.read() as s:
        every = list(s.scalars(select(SalesReceipt.body)))
        z_numbers = list(s.scalars(select(ZReport.z_no).order_by(ZReport.z_no)))
    assert z_numbers == list(range(1, len(z_numbers) + 1))
    real = [b for b in every if b["kind"] != "training"]
    assert z["grand_total_net"] == sum(b["total"] for b in real)
    assert z["grand_total_sales"] == sum(ln["amount"] for b in real for ln in b["lines"] if ln["amount"] > 0)
    after = till.x_report()  # a new day starts empty; grand totals stay
    assert after["receipts"] == 0 and after["sales_total"] == 0 and after["payments"] == {}
    assert after["grand_total_net"] == z["grand_total_net"]


def test_z_numbers_form_their_own_unbroken_series(store, till):
    till.scan("MILK")
    till.complete([Payment("card", 1790)])
    zs = [till.z_report()["z_no"] for _ in range(3)]
    assert zs == [1, 2, 3]
    till.scan("MILK")
    assert till.complete([Payment("card", 1790)]).number == 2  # receipts keep their own series


def test_float_and_its_changes_are_on_the_report(store, till):
    from core.sales.shift import change_float
    till.open_shift(float_amount=100000)
    with store.write() as s:
        change_float(s, till.register.id, 20000, "Anna", "växel från banken")
        s.commit()
    x = till.x_report()
    assert (x["float"], x["float_changes"]) == (120000, 2)
