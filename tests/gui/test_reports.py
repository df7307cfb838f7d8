"""X and Z from the menu: their figures equal the sum of the receipts rung up at the till."""

from __future__ import annotations

from collections import Counter

from tests.gui.support import barcode_of_single
from tests.gui.test_sale_flows import receipts


def _sell(pos, offsets, method):
    for o in offsets:
        pos.window.sale.add(barcode_of_single(pos.store, o)[1])
    pos.wait()
    pos.pay()
    pay = pos.window.payment
    if method == "cash":
        pay.pay_cash()
    else:
        getattr(pay, f"pay_{method}")()
        next(b for b in pay.confirm_dialog.buttons.values() if b.property("role") == "primary").click()
    pay.complete()
    pos.wait()


def test_x_and_z_reports_equal_the_sum_of_the_receipts(pos):
    pos.login()
    _sell(pos, [0, 1], "cash")
    _sell(pos, [2], "card")
    _sell(pos, [3, 4, 5], "swish")
    rs = receipts(pos.store)
    assert len(rs) == 3
    payments = Counter()
    for r in rs:
        for p in r.body["payments"]:
            payments[p["method"]] += p["amount"]

    pos.window.open_menu()
    pos.window.menu_dialog.buttons["x"].click()
    pos.wait()
    x = pos.window.actions.last_dialog.report
    assert x["sales_total"] == sum(r.total for r in rs)
    assert x["receipts"] == 3 and (x["first_receipt"], x["last_receipt"]) == (1, 3)
    assert x["payments"] == dict(payments)
    assert sum(v["net"] + v["vat"] for v in x["vat"]) == sum(r.total for r in rs)
    assert "X-dagrapport" in pos.window.actions.last_dialog.text.toPlainText()

    pos.window.open_menu()
    pos.window.menu_dialog.buttons["z"].click()
    confirm = pos.window.actions.last_dialog
    next(b for b in confirm.buttons.values() if b.property("role") == "primary").click()
    pos.wait()
    z = pos.window.actions.last_dialog.report
    assert (z["type"], z["z_no"]) == ("Z", 1)
    assert z["sales_total"] == x["sales_total"] and z["payments"] == x["payments"]
    assert z["grand_total_sales"] == sum(r.total for r in rs)

    pos.window.open_menu()
    pos.window.menu_dialog.buttons["x"].click()
    pos.wait()
    after = pos.window.actions.last_dialog.report
    assert (after["sales_total"], after["receipts"]) == (0, 0)
    assert after["grand_total_sales"] == z["grand_total_sales"]  # perpetual


def test_closing_the_shift_shows_the_difference_per_method(pos):
    pos.login(float_notes=5)  # 500 kr float
    _sell(pos, [0], "card")
    card_total = receipts(pos.store)[0].total
    pos.window.open_menu()
    pos.window.menu_dialog.buttons["close_shift"].click()
    dialog = pos.window.actions.last_dialog
    dialog.count.fields[10000].setText("4")  # 400 kr counted: 100 kr short
    dialog.count.methods["card"].setText(f"{card_total // 100},{card_total % 100:02d}")
    dialog.submit()
    pos.wait()
    summary = pos.modal()
    assert summary.objectName() == "shiftSummary"
    assert "-100,00" in summary.text.toPlainText()
    assert pos.window.stack.currentWidget() is pos.window.login
