"""Issue 4's POS gaps, driven like a cashier: gift cards checked online vs the offline limit, a return
refunded to the original method, e-receipts saved, a copy by receipt number once then refused."""

from __future__ import annotations

from sqlalchemy import select

from core.errors import Unavailable
from core.sales.models import SalesReceipt
from core.sales.payments import Payment
from pos_app.i18n import tr
from pos_app.session import refund_plan
from tests.gui.support import barcode_of_single


def messages(pos) -> list[tuple[str, str]]:
    got: list[tuple[str, str]] = []
    pos.ctx.message.connect(lambda text, level: got.append((text, level)))
    return got


def sell(pos, offset: int = 0, method: str = "cash"):
    """One article sold and paid in full by `method` (card confirmed approved); returns its receipt."""
    pos.window.sale.add(barcode_of_single(pos.store, offset)[1])
    pos.wait()
    pos.pay()
    pay = pos.window.payment
    if method == "card":
        pay.pay_card()
        pay.confirm_dialog.buttons[list(pay.confirm_dialog.buttons)[1]].click()
    else:
        pay.pay_cash()
    pay.complete()
    pos.wait()
    with pos.store.read() as s:
        r = s.scalars(select(SalesReceipt).order_by(SalesReceipt.number.desc())).first()
        return r.id, r.number, r.total


def receipt(pos, receipt_id):
    with pos.store.read() as s:
        r = s.get(SalesReceipt, receipt_id)
        return r.body, r.printed_count, r.copy_printed


def pay_gift_card(pos, kronor: str, code: str) -> None:
    pay = pos.window.payment
    pay.amount.setText(kronor)
    pay.pay_gift_card()
    pay.code_dialog.field.setText(code)
    pay.code_dialog.submit()
    pos.wait()


def test_a_gift_card_is_checked_against_the_server_when_online(pos):
    pos.login()
    asked = []
    pos.ctx.session.gift_card_balance = lambda code: asked.append(code) or 3_000  # 30 kr left
    said = messages(pos)
    pos.window.sale.add(barcode_of_single(pos.store)[1])
    pos.wait()
    pos.pay()
    pay = pos.window.payment
    pay_gift_card(pos, "40", "GC-1")  # more than the card has: refused
    assert pay.tender.payments == [] and asked == ["GC-1"]
    assert said[-1][1] == "error" and "30.00" in said[-1][0]
    pay_gift_card(pos, "20", "GC-1")
    assert pay.tender.payments == [Payment("gift_card", 2_000, "GC-1")]
    assert pay.gift_label.text() == tr("Gift card checked against the server's balance")


def test_offline_the_configurable_limit_applies_and_the_screen_says_so(pos):
    pos.login()

    def offline(code):
        raise Unavailable("server at http://x unreachable")
    pos.ctx.session.gift_card_balance = offline
    pos.ctx.session.settings.gift_card_offline_limit = 1_500  # 15 kr
    said = messages(pos)
    pos.window.sale.add(barcode_of_single(pos.store)[1])
    pos.wait()
    pos.pay()
    pay = pos.window.payment
    pay_gift_card(pos, "20", "GC-2")
    assert pay.tender.payments == [] and said[-1][1] == "error" and "15.00" in said[-1][0]
    pay_gift_card(pos, "10", "GC-2")
    assert pay.tender.payments == [Payment("gift_card", 1_000, "GC-2")]
    assert pay.gift_label.text().startswith(tr("Server not reachable: offline limit applied"))


def test_a_return_is_refunded_to_the_card_by_default(pos):
    pos.login()
    sale_id, number, total = sell(pos, 2, "card")
    pos.burst(f"{pos.ctx.session.register.code}/{number}", pos.window.sale.search)
    pos.modal().return_selected()
    pos.wait()
    pos.pay()
    pos.wait()  # the refund plan is read off the GUI thread
    pay = pos.window.payment
    assert pay.tender.payments == [Payment("card", -total)] and pay.tender.covered
    assert tr("refund on the card terminal") in pay.refund_label.text()
    pay.complete()
    pos.wait()
    with pos.store.read() as s:
        ret = s.scalars(select(SalesReceipt).where(SalesReceipt.kind == "return")).one()
        assert ret.body["payments"] == [{"method": "card", "amount": -total, "reference": None}]
        assert ret.original_receipt_id == sale_id


def test_the_cashier_may_refund_in_cash_instead(pos):
    pos.login()
    _id, number, _total = sell(pos, 3, "card")
    pos.burst(f"{pos.ctx.session.register.code}/{number}", pos.window.sale.search)
    pos.modal().return_selected()
    pos.wait()
    pos.pay()
    pos.wait()
    pay = pos.window.payment
    assert pay.proposed
    pay.pay_cash()
    assert [p.method for p in pay.tender.payments] == ["cash"] and pay.refund_label.text() == ""
    pay.complete()
    pos.wait()
    with pos.store.read() as s:
        ret = s.scalars(select(SalesReceipt).where(SalesReceipt.kind == "return")).one()
        assert [p["method"] for p in ret.body["payments"]] == ["cash"]


def test_the_refund_plan_follows_the_original_methods():
    split = [{"method": "card", "amount": 6_000, "reference": None},
             {"method": "cash", "amount": 4_000, "reference": None}]
    assert refund_plan(split, -10_000) == [Payment("card", -6_000), Payment("cash", -4_000)]
    half = refund_plan(split, -4_950)  # a part returned: in proportion, cash rounded
    assert half[0] == Payment("card", -2_970) and half[1] == Payment("cash", -2_000)
    [voucher] = refund_plan([{"method": "gift_card", "amount": 5_000, "reference": "GC-1"}], -5_000)
    assert voucher.method == "gift_card" and voucher.amount == -5_000
    assert voucher.reference and voucher.reference != "GC-1"  # a new credit voucher
    assert refund_plan([], -100) == [] and refund_plan(split, 100) == []


def test_an_e_receipt_is_saved_as_pdf_and_text(pos, tmp_path):
    pos.login()
    first = sell(pos, 0)
    sell(pos, 1)
    said = messages(pos)
    pos.window.actions.e_receipt()
    pos.wait()
    dialog = pos.window.actions.last_dialog
    assert dialog.objectName() == "pickReceipt" and dialog.field.text() == str(first[1] + 1)
    dialog.field.setText(str(first[1]))  # a chosen receipt, not the last
    dialog.submit()
    pos.wait()
    folder = tmp_path / "config" / "e-kvitton"
    code = pos.ctx.session.register.code
    pdf, txt = folder / f"kvitto-{code}-{first[1]}.pdf", folder / f"kvitto-{code}-{first[1]}.txt"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = txt.read_text(encoding="utf-8")
    assert "Elektroniskt kassakvitto" in text and str(first[1]) in text
    assert said and said[-1][1] == "ok" and str(pdf) in said[-1][0]


def test_a_copy_by_receipt_number_prints_once_then_is_refused(pos):
    pos.login()
    first = sell(pos, 0)
    sell(pos, 1)
    said = messages(pos)
    code = pos.ctx.session.register.code

    def copy_of(text: str) -> None:
        pos.window.actions.copy()
        pos.wait()
        dialog = pos.window.actions.last_dialog
        dialog.field.setText(text)
        dialog.submit()
        pos.wait()

    copy_of(f"{code}/{first[1]}")  # scanned from the receipt
    assert receipt(pos, first[0])[1:] == (2, True)
    assert said[-1] == (tr("Copy printed (KOPIA)"), "ok")
    copy_of(str(first[1]))  # typed: the second copy is refused
    assert receipt(pos, first[0])[1:] == (2, True)
    assert said[-1][1] == "error" and "only one copy" in said[-1][0]
    copy_of("999")
    assert said[-1][1] == "error" and "999" in said[-1][0]
