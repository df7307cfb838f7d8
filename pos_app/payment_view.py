"""The payment screen: cash with change and rounding shown, card, Swish, gift card, voucher, split tender."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from core.errors import UserError
from core.sales.payments import Payment
from pos_app.controller import Ctx
from pos_app.dialogs import ChoiceDialog, NumberDialog
from pos_app.i18n import tr
from pos_app.models import PaymentsModel, money
from pos_app.tender import Tender
from pos_app.widgets import TouchButton, selected_row, title_label, touch_table


def method_label(method: str) -> str:
    return {"cash": tr("Cash"), "card": tr("Card"), "swish": tr("Swish"), "gift_card": tr("Gift card"),
            "voucher": tr("Credit voucher")}.get(method, method)


def refund_note(method: str) -> str:
    """How a refund to the original method is made (what the cashier does)."""
    return {"card": tr("refund on the card terminal"), "swish": tr("refund through Swish"),
            "gift_card": tr("a new credit voucher"), "voucher": tr("a new credit voucher"),
            "cash": tr("cash from the drawer")}.get(method, "")


class PaymentPage(QWidget):
    def __init__(self, ctx: Ctx, on_back: Callable[[], None], on_done: Callable[[object], None]):
        super().__init__()
        self.ctx, self.on_back, self.on_done = ctx, on_back, on_done
        self.tender = Tender(0)
        self.proposed = False
        self.model = PaymentsModel(self)
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        self.total_label = title_label("", "total")
        self.remaining_label = title_label("", "due")
        self.rounding_label = title_label("", "note")
        self.change_label = title_label("", "change")
        self.refund_label = title_label("", "note")  # the refund to the original method
        self.gift_label = title_label("", "note")  # how the last gift card was checked
        self.refund_label.setObjectName("refundNote")
        self.gift_label.setObjectName("giftCardCheck")
        for w in (self.total_label, self.remaining_label, self.rounding_label, self.change_label,
                  self.refund_label, self.gift_label):
            w.setAlignment(Qt.AlignmentFlag.AlignRight)
            left.addWidget(w)
        self.table = touch_table(self.model, self, stretch="method")
        left.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.buttons: dict[str, TouchButton] = {}
        for key, label, handler, role in (("back", tr("Back to sale"), self.back, None),
                                          ("remove", tr("Remove payment"), self.remove_payment, None),
                                          ("complete", tr("Complete"), self.complete, "pay")):
            self.buttons[key] = TouchButton(label, role=role, on_click=handler)
            row.addWidget(self.buttons[key])
        left.addLayout(row)
        outer.addLayout(left, 1)

        right = QVBoxLayout()
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setProperty("role", "big")
        self.amount.setPlaceholderText(tr("Amount (empty = the rest)"))
        right.addWidget(self.amount)
        from pos_app.widgets import NumPad
        right.addWidget(NumPad(self.amount), 2)
        quick = QGridLayout()
        self.quick_buttons: list[TouchButton] = []
        for i in range(4):
            b = TouchButton("", on_click=lambda i=i: self.quick_cash(i))
            self.quick_buttons.append(b)
            quick.addWidget(b, 0, i)
        right.addLayout(quick)
        methods = QGridLayout()
        for i, (key, label, handler) in enumerate((
                ("cash", tr("Cash"), self.pay_cash), ("card", tr("Card"), self.pay_card),
                ("swish", tr("Swish"), self.pay_swish), ("gift_card", tr("Gift card"), self.pay_gift_card),
                ("voucher", tr("Credit voucher"), self.pay_voucher))):
            self.buttons[key] = TouchButton(label, role="method", on_click=handler)
            self.buttons[key].setMinimumHeight(72)
            methods.addWidget(self.buttons[key], i // 2, i % 2)
        right.addLayout(methods, 1)
        outer.addLayout(right, 1)

    # --- state ---------------------------------------------------------------------------------

    def start(self, total: int, currency: str) -> None:
        self.tender = Tender(total, currency)
        self.proposed = False  # the payments are the refund to the original method, untouched
        self.amount.clear()
        self.refund_label.setText("")
        self.gift_label.setText("")
        self.refresh()
        if total < 0:  # a return: refund to the original receipt's method(s) by default
            tender = self.tender
            self.ctx.do(self.ctx.session.refund_plan, lambda plan: self.propose(tender, plan))

    def propose(self, tender: Tender, plan: list[Payment]) -> None:
        """Put the refund to the original method in place, unless the cashier already chose."""
        if tender is not self.tender or tender.payments or not plan:
            return
        try:
            for p in plan:
                tender.add(p)
        except UserError:
            tender.payments.clear()
            return
        self.proposed = True
        notes = [f"{method_label(p.method)} {money(abs(p.amount))} kr — {refund_note(p.method)}"
                 + (f" ({p.reference})" if p.reference else "") for p in plan]
        self.refund_label.setText(tr("Refund to the original method:") + " " + "; ".join(notes))
        self.refresh()

    def refund_in_cash(self) -> None:
        """The cashier refunds in cash instead of the original method."""
        self._drop_proposal()
        self.add(Payment("cash", self.tender.cash_to_pay))

    def _drop_proposal(self) -> None:
        if self.proposed:
            self.proposed = False
            self.tender.payments.clear()
            self.refund_label.setText("")
            self.refresh()

    def refresh(self) -> None:
        t = self.tender
        self.model.set_payments(t.payments)
        refund = t.is_refund
        self.total_label.setText((tr("To refund") if refund else tr("To pay")) + f": {money(abs(t.total))} kr")
        remaining = t.remaining
        if t.sign * remaining > 0:
            self.remaining_label.setText(tr("Left:") + f" {money(abs(remaining))} kr  ·  " + tr("in cash")
                                         + f" {money(abs(t.cash_to_pay))} kr")
        else:
            self.remaining_label.setText(tr("Fully paid"))
        rounding = t.settlement().cash_rounding if t.covered else t.rounding
        self.rounding_label.setText(tr("Cash rounding:") + f" {money(rounding)} kr" if rounding else "")
        self.change_label.setText(tr("Change:") + f" {money(t.change)} kr" if t.change else "")
        self.buttons["complete"].setEnabled(t.covered)
        due = abs(t.cash_to_pay) if t.sign * remaining > 0 else 0
        suggestions = [due] + [n * 100 for n in (100, 200, 500, 1000) if n * 100 > due][:3]
        for b, value in zip(self.quick_buttons, suggestions + [0] * 4):
            b.setText(f"{money(value)} kr" if value else "")
            b.setProperty("value", value)
            b.setEnabled(bool(value) and not refund)

    def _amount(self, default: int) -> int | None:
        """The typed amount (öre, signed like the receipt) or `default` when the field is empty."""
        text = self.amount.text().strip()
        if not text:
            return default
        from core.money import parse_amount
        try:
            value = parse_amount(text, allow_negative=False)
        except UserError as exc:
            self.ctx.fail(exc)
            return None
        return self.tender.sign * value

    def add(self, payment: Payment) -> None:
        try:
            self.tender.add(payment)
        except UserError as exc:
            self.ctx.fail(exc)
            return
        self.amount.clear()
        self.refresh()

    # --- methods -------------------------------------------------------------------------------

    def pay_cash(self) -> None:
        self._drop_proposal()
        amount = self._amount(self.tender.cash_to_pay)
        if amount:
            self.add(Payment("cash", amount))

    def quick_cash(self, i: int) -> None:
        value = self.quick_buttons[i].property("value")
        if value:
            self._drop_proposal()
            self.add(Payment("cash", value))

    def _confirm(self, method: str, title: str, text: str) -> None:
        self._drop_proposal()
        amount = self._amount(self.tender.remaining_exact)
        if not amount:
            return
        self.confirm_dialog = ChoiceDialog(
            self, title, text.format(amount=money(abs(amount))),
            [(tr("Declined"), "danger", lambda: self.ctx.info(tr("Payment declined — nothing was taken"), "error")),
             (tr("Approved"), "primary", lambda: self.add(Payment(method, amount)))])
        self.confirm_dialog.setObjectName("confirmPayment")
        self.confirm_dialog.open()

    def pay_card(self) -> None:
        self._confirm("card", tr("Card"), tr("Key {amount} kr into the card terminal. Approved?"))

    def pay_swish(self) -> None:
        self._confirm("swish", tr("Swish"), tr("Has the customer's Swish of {amount} kr arrived?"))

    def _with_code(self, method: str, title: str, check: bool) -> None:
        self._drop_proposal()
        amount = self._amount(self.tender.remaining_exact)
        if not amount:
            return

        def got_code(code: str) -> None:
            if not code:
                self.ctx.info(tr("scan or type the code"), "error")
                return
            if check and amount > 0:  # a redemption: the server's balance, else the offline limit
                session = self.ctx.session
                self.gift_label.setText(tr("Checking the gift card…"))

                def checked(how: str) -> None:
                    self.gift_label.setText(
                        tr("Gift card checked against the server's balance") if how == "online"
                        else tr("Server not reachable: offline limit applied") + f" ("
                        f"{money(session.settings.gift_card_offline_limit)} kr)")
                    self.add(Payment(method, amount, code))

                def refused(exc: BaseException) -> None:
                    self.gift_label.setText("")
                    self.ctx.fail(exc)

                self.ctx.do(lambda: session.check_gift_card(code, amount), checked, refused)
            else:
                self.add(Payment(method, amount, code))

        self.code_dialog = NumberDialog(self, title, got_code, kind="text",
                                        note=tr("Scan or type the code") + f" — {money(abs(amount))} kr")
        self.code_dialog.setObjectName("codeDialog")
        self.code_dialog.open()

    def pay_gift_card(self) -> None:
        self._with_code("gift_card", tr("Gift card"), check=True)

    def pay_voucher(self) -> None:
        self._with_code("voucher", tr("Credit voucher"), check=False)

    def remove_payment(self) -> None:
        if self.proposed:
            self._drop_proposal()
            return
        row = selected_row(self.table)
        if row is None and self.tender.payments:
            row = len(self.tender.payments) - 1
        if row is not None:
            self.tender.remove(row)
            self.refresh()

    def back(self) -> None:
        self._drop_proposal()
        if self.tender.payments:
            self.ctx.info(tr("Remove the payments first (card payments must be reversed at the terminal)"),
                          "error")
            return
        self.on_back()

    def complete(self) -> None:
        if not self.tender.covered:
            self.ctx.info(tr("The payments do not cover the total yet"), "error")
            return
        payments, till = list(self.tender.payments), self.ctx.session.till
        self.buttons["complete"].setEnabled(False)

        def done(result) -> None:
            sale, snap = result
            self.ctx.set_cart(snap)
            self.on_done(sale)

        def failed(exc: BaseException) -> None:
            self.buttons["complete"].setEnabled(True)
            self.ctx.fail(exc)

        self.ctx.do(lambda: (till.complete(payments), self.ctx.session.snapshot()), done, failed)
