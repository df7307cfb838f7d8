"""The till, driven like a cashier would: scan, pick variants, pay split, return, park across a restart."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from core.sales.models import JournalEntry, SalesReceipt
from pos_app import catalog
from tests.gui.support import Pos, barcode_of_single, one


def receipts(store):
    """The register's receipts as plain values (number, total, kind, body, …), oldest first."""
    cols = ("id", "number", "total", "kind", "body", "printed_count", "original_receipt_id")
    with store.read() as s:
        return [SimpleNamespace(**{c: getattr(r, c) for c in cols})
                for r in s.scalars(select(SalesReceipt).order_by(SalesReceipt.number))]


def test_a_scan_from_the_wedge_scanner_adds_the_line_and_cash_completes_the_sale(pos):
    pos.login()
    code, pid = barcode_of_single(pos.store)
    pos.window.sale.search.setFocus()
    pos.burst(code, pos.window.sale.search)  # the burst lands in the search field…
    cart = pos.ctx.cart
    assert [r.sku for r in cart.rows] == [one(pos.store, "SELECT sku FROM product WHERE id = :p", p=pid)[0]]
    assert pos.window.sale.search.text() == ""  # …and is taken back out of it
    pos.pay()
    pay = pos.window.payment
    pay.pay_cash()  # empty amount field: exactly the rest, rounded
    assert pay.tender.covered
    pay.complete()
    pos.wait()
    [r] = receipts(pos.store)
    assert (r.number, r.total, r.kind) == (1, cart.total, "sale")
    assert r.printed_count == 1  # auto-printed on the Dummy printer
    assert pos.ctx.cart.is_empty and pos.window.stack.currentWidget() is pos.window.sale


def test_a_slow_typist_pressing_enter_is_not_a_scan(pos):
    pos.login()
    pos.window.scanner.clock = iter(range(0, 10_000, 1)).__next__  # one second between keys
    code, _ = barcode_of_single(pos.store)
    pos.burst(code, pos.window.sale.search)
    assert pos.ctx.cart.is_empty
    assert pos.window.sale.search.text() == code


def test_a_variant_is_sold_from_the_colour_size_grid_showing_stock(pos):
    pos.login()
    parent = one(pos.store, "SELECT id, sku, name_sv FROM product WHERE product_type = 'variant_parent' "
                            "ORDER BY id LIMIT 1")
    item = catalog.Item(parent[0], parent[1], parent[2], "variant_parent")
    pos.window.sale.pick(item)
    pos.wait()
    dialog = pos.window.sale.variant_dialog
    assert dialog.isVisible() and len(dialog.buttons) == 9  # 3 colours × 3 sizes
    pid, button = next(iter(dialog.buttons.items()))
    stock = one(pos.store, "SELECT on_hand - reserved FROM stock_level WHERE product_id = :p AND "
                           "location_id = 1", p=pid)
    assert f"{(stock[0] if stock else 0) // 1000} " in button.text()
    button.click()
    pos.wait()
    sku = one(pos.store, "SELECT sku FROM product WHERE id = :p", p=pid)[0]
    assert [r.sku for r in pos.ctx.cart.rows] == [sku]


def test_split_tender_card_then_cash_with_rounding_shown_and_booked(pos):
    pos.login()
    for offset in (0, 1):
        pos.window.sale.add(barcode_of_single(pos.store, offset)[1])
    pos.wait()
    pos.ctx.cart_op(lambda: pos.ctx.session.till.discount_receipt(percent_bp=730))  # 7,3 %: öre appear
    pos.wait()
    total = pos.ctx.cart.total
    assert total % 100 != 0
    pos.pay()
    pay = pos.window.payment
    card = total // 2 // 100 * 100
    pay.amount.setText(str(card // 100))
    pay.pay_card()
    approved = next(b for b in pay.confirm_dialog.buttons.values() if b.property("role") == "primary")
    approved.click()
    rest = total - card
    expected_cash = (rest + 50) // 100 * 100  # whole kronor, half up
    assert pay.tender.cash_to_pay == expected_cash
    assert pay.rounding_label.text().endswith(f"{(expected_cash - rest) / 100:.2f}".replace(".", ",") + " kr")
    pay.amount.setText("1000")
    pay.pay_cash()
    assert pay.tender.change == 100000 - expected_cash
    assert pay.change_label.text().endswith(f"{(100000 - expected_cash) // 100},00 kr")
    pay.complete()
    pos.wait()
    [r] = receipts(pos.store)
    assert r.body["cash_rounding"] == expected_cash - rest
    assert sorted((p["method"], p["amount"]) for p in r.body["payments"]) == [("card", card), ("cash", expected_cash)]
    assert sum(p["amount"] for p in r.body["payments"]) == total + r.body["cash_rounding"]


def test_a_return_by_scanning_the_receipt_refunds_in_cash(pos):
    pos.login()
    pos.window.sale.add(barcode_of_single(pos.store, 2)[1])
    pos.wait()
    pos.pay()
    pos.window.payment.pay_card()
    pos.window.payment.confirm_dialog.buttons[list(pos.window.payment.confirm_dialog.buttons)[1]].click()
    pos.window.payment.complete()
    pos.wait()
    [sale] = receipts(pos.store)
    pos.burst(f"{pos.ctx.session.register.code}/{sale.number}", pos.window.sale.search)  # the receipt's barcode
    dialog = pos.modal()
    assert dialog.objectName() == "returnDialog" and dialog.receipt["number"] == sale.number
    dialog.return_selected()
    pos.wait()
    assert pos.ctx.cart.total == -sale.total
    pos.pay()
    pos.window.payment.pay_cash()
    pos.window.payment.complete()
    pos.wait()
    ret = receipts(pos.store)[-1]
    assert (ret.kind, ret.total, ret.original_receipt_id) == ("return", -sale.total, sale.id)
    assert sum(p["amount"] for p in ret.body["payments"]) == -sale.total + ret.body["cash_rounding"]


def test_a_parked_sale_survives_closing_the_till_and_is_recalled_in_a_new_window(qtbot, demo_store, tmp_path):
    first = Pos(qtbot, demo_store, tmp_path / "config")
    first.login()
    first.window.sale.add(barcode_of_single(demo_store, 3)[1])
    first.window.sale.add(barcode_of_single(demo_store, 4)[1])
    first.wait()
    before = first.ctx.cart
    first.window.sale.park()
    first.wait()
    assert first.ctx.cart.is_empty
    first.close()

    second = Pos(qtbot, demo_store, tmp_path / "config")
    second.login(name="erik", pin="2222")
    second.window.sale.show_parked()
    second.wait()
    dialog = second.modal()
    assert dialog.objectName() == "parkedDialog" and dialog.model.rowCount() == 1
    dialog.recall(0)
    second.wait()
    assert [r.sku for r in second.ctx.cart.rows] == [r.sku for r in before.rows]
    assert second.ctx.cart.total == before.total
    second.close()


def test_a_price_override_needs_a_managers_pin(pos):
    pos.login()
    pos.window.sale.add(barcode_of_single(pos.store)[1])
    pos.wait()
    old = pos.ctx.cart.rows[0].unit_price
    pos.window.sale.override_price()
    price = pos.modal()
    price.field.setText("12,50")
    price.submit()
    pos.manager_pin("1111")  # anna is a cashier: refused
    assert pos.window.messages.level == "error"
    assert pos.ctx.cart.rows[0].unit_price == old
    pos.window.sale.override_price()
    price = pos.modal()
    price.field.setText("12,50")
    price.submit()
    pos.manager_pin("9999")
    row = pos.ctx.cart.rows[0]
    assert (row.unit_price, row.list_price) == (1250, old)
    with pos.store.read() as s:
        entry = s.scalars(select(JournalEntry).where(JournalEntry.event_type == "price_override")).one()
        assert entry.payload["manager"] == "chef"
