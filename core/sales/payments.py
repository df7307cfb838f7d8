"""Tender: payments across methods, cash rounding on the cash part only, change due — pure, no I/O.

Non-cash payments (card, Swish, gift card, voucher) are applied first and exactly; what is left is
paid in cash, rounded to whole kronor (`core.money.cash_round`); the rounding is its own figure.
So Σ applied payments == total + cash_rounding, always. A return is the same with negative amounts.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import ValidationError
from core.money import cash_round

METHODS = ("cash", "card", "swish", "gift_card", "voucher")
#: methods that need a reference (the card or voucher code)
NEEDS_REFERENCE = ("gift_card", "voucher")


@dataclass(frozen=True)
class Payment:
    """Money tendered in one method (öre); cash may exceed what is due (change is given back)."""

    method: str
    amount: int
    reference: str | None = None

    def as_body(self) -> dict:
        return {"method": self.method, "amount": self.amount, "reference": self.reference}


@dataclass(frozen=True)
class Settlement:
    """The payments as booked (cash net of change), the cash rounding and the change handed back."""

    payments: list[Payment]
    cash_rounding: int
    change: int

    @property
    def has_cash(self) -> bool:
        return any(p.method == "cash" and p.amount for p in self.payments)


def _check(payments: list[Payment]) -> None:
    for p in payments:
        if p.method not in METHODS:
            raise ValidationError(f"unknown payment method {p.method!r}", field="method",
                                  hint="use one of " + ", ".join(METHODS))
        if isinstance(p.amount, bool) or not isinstance(p.amount, int):
            raise ValidationError("a payment is a whole number of öre", field="amount")
        if p.method in NEEDS_REFERENCE and not p.reference:
            raise ValidationError(f"a {p.method.replace('_', ' ')} payment needs its code",
                                  field="reference")


def non_cash(payments: list[Payment]) -> int:
    return sum(p.amount for p in payments if p.method != "cash")


def cash_due(total: int, payments: list[Payment], currency: str = "SEK") -> int:
    """What is left to pay in cash after the non-cash payments, rounded to whole kronor."""
    return cash_round(total - non_cash(payments), currency)


def amount_due(total: int, payments: list[Payment], currency: str = "SEK") -> int:
    """What is still owed (unrounded) after all payments so far; ≤ 0 means paid (returns: ≥ 0)."""
    left = total - non_cash(payments)
    cash = sum(p.amount for p in payments if p.method == "cash")
    if any(p.method == "cash" for p in payments):
        return cash_round(left, currency) - cash
    return left - cash


def settle(total: int, payments: list[Payment], currency: str = "SEK") -> Settlement:
    """Book `payments` against `total`; refuse when they do not cover it or non-cash overpays."""
    _check(payments)
    sign = -1 if total < 0 else 1
    if any(sign * p.amount < 0 for p in payments):
        raise ValidationError("a payment's sign must follow the receipt (refunds are negative)",
                              field="amount")
    rest = total - non_cash(payments)
    if sign * rest < 0:
        raise ValidationError("card, Swish, gift card and voucher payments must not exceed what is due",
                              field="amount", hint="take the rest in cash or lower the amount")
    cash = [p for p in payments if p.method == "cash"]
    tendered = sum(p.amount for p in cash)
    if not cash:
        if rest:
            raise ValidationError(f"{abs(rest)} öre still due", field="payments",
                                  hint="add a payment for the rest")
        return Settlement(list(payments), 0, 0)
    to_pay = cash_round(rest, currency)
    if sign * tendered < sign * to_pay:
        raise ValidationError(f"{abs(to_pay - tendered)} öre still due in cash", field="payments",
                              hint="add a payment for the rest")
    if sign < 0 and tendered != to_pay:
        raise ValidationError("a cash refund is exactly what is due, rounded to whole kronor",
                              field="amount")
    change = tendered - to_pay
    booked = [p for p in payments if p.method != "cash"]
    if to_pay:
        booked.append(Payment("cash", to_pay, None))
    return Settlement(booked, to_pay - rest, change)
