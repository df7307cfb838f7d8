"""The payment screen's arithmetic: payments so far, what is still due, cash rounding, change — pure.

It only asks `core.sales.payments` (the same rules `complete_sale` books with), so what the screen
shows is exactly what the receipt will say. A return has a negative total: refunds are negative.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import ValidationError
from core.money import cash_round
from core.sales.payments import Payment, Settlement, amount_due, non_cash, settle


@dataclass
class Tender:
    total: int
    currency: str = "SEK"
    payments: list[Payment] = field(default_factory=list)

    @property
    def is_refund(self) -> bool:
        return self.total < 0

    @property
    def sign(self) -> int:
        return -1 if self.is_refund else 1

    @property
    def remaining(self) -> int:
        """Still due (positive for a sale, negative for a refund); 0 or past zero means covered."""
        return amount_due(self.total, self.payments, self.currency)

    @property
    def remaining_exact(self) -> int:
        """Still due before any cash rounding (what a card or Swish payment would take)."""
        return self.total - non_cash(self.payments) - sum(p.amount for p in self.payments
                                                           if p.method == "cash")

    @property
    def cash_to_pay(self) -> int:
        """What the rest costs in cash: rounded to whole kronor."""
        return cash_round(self.remaining_exact, self.currency)

    @property
    def rounding(self) -> int:
        """The cash rounding of the rest (shown to the cashier; 0 when no cash is involved)."""
        return self.cash_to_pay - self.remaining_exact

    def settlement(self) -> Settlement | None:
        """The booking if the payments cover the total, else None."""
        if not self.payments:
            return None
        try:
            return settle(self.total, self.payments, self.currency)
        except ValidationError:
            return None

    @property
    def covered(self) -> bool:
        return self.settlement() is not None

    @property
    def change(self) -> int:
        s = self.settlement()
        return s.change if s else 0

    def add(self, payment: Payment) -> None:
        """Add a payment; refuses one that has the wrong sign or overpays with a non-cash method."""
        if payment.amount == 0:
            raise ValidationError("the amount must not be zero", field="amount")
        if self.sign * payment.amount < 0:
            raise ValidationError("a refund is a negative amount, a payment a positive one",
                                  field="amount")
        if payment.method != "cash" and self.sign * (self.remaining_exact - payment.amount) < 0:
            raise ValidationError("card, Swish, gift card and voucher payments must not exceed what is due",
                                  field="amount", hint="take the rest in cash or lower the amount")
        self.payments.append(payment)

    def remove(self, index: int) -> Payment:
        return self.payments.pop(index)
