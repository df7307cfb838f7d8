"""The cart at the till: lines, discounts, overrides, voids and totals — pure, no I/O.

Amounts are integer öre including VAT. A line's `amount` is what the customer pays for it after
its own discount and its share of the receipt discount; the shares are spread with
`core.money.allocate`, so the lines always sum exactly to the receipt total. A return line has a
negative quantity and so negative amounts. A sold gift card is a liability: no VAT, not sales.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, fields
from typing import Literal

from core.errors import NotFound, ValidationError
from core.money import BP, VatPart, allocate, line_amount, percent_of, vat_summary
from core.quantity import ONE

LineKind = Literal["item", "gift_card"]


def _short_id() -> str:
    return uuid.uuid4().hex[:12]


def _sign(value: int) -> int:
    return -1 if value < 0 else 1


@dataclass
class CartLine:
    """One line of the cart; `unit_price` is öre incl. VAT (after an approved override)."""

    product_id: int | None
    sku: str
    name: str
    qty: int
    unit_price: int
    vat_rate_bp: int
    is_service: bool = False
    kind: LineKind = "item"
    group: str | None = None
    #: discount on this line: a fixed amount (öre, reduces the line) or a percentage (basis points)
    discount_amount: int = 0
    discount_bp: int = 0
    #: the price before a manager's override (None when not overridden) and who approved it
    list_price: int | None = None
    override_by: str | None = None
    voided: bool = False
    void_by: str | None = None
    gift_card_code: str | None = None
    #: a return against a receipt: the original receipt and line index
    original_receipt_id: str | None = None
    original_line: int | None = None
    line_id: str = field(default_factory=_short_id)

    @property
    def gross(self) -> int:
        """Quantity × unit price, before any discount."""
        return line_amount(self.unit_price, self.qty)

    @property
    def line_discount(self) -> int:
        """The line's own discount, signed like the line (a return gives back the discount too)."""
        gross = self.gross
        if self.discount_bp:
            return percent_of(gross, self.discount_bp)
        return _sign(gross) * min(self.discount_amount, abs(gross))

    @property
    def reduction_by_override(self) -> int:
        """How much the override lowered this line (0 when raised or not overridden)."""
        if self.list_price is None:
            return 0
        return max(0, line_amount(self.list_price, abs(self.qty)) - line_amount(self.unit_price, abs(self.qty)))


@dataclass(frozen=True)
class LineTotal:
    line: CartLine
    gross: int
    discount: int
    amount: int


@dataclass(frozen=True)
class Totals:
    """The cart's figures; `total` = goods + gift cards sold; VAT only over goods and services."""

    lines: list[LineTotal]
    goods_total: int
    gift_cards_total: int
    total: int
    discount_total: int
    vat: list[VatPart]


@dataclass
class Cart:
    """A sale (or return) being built at the till. Serialisable for parking (`to_dict`/`from_dict`)."""

    lines: list[CartLine] = field(default_factory=list)
    currency: str = "SEK"
    customer_id: str | None = None
    receipt_discount_amount: int = 0
    receipt_discount_bp: int = 0
    training: bool = False
    #: the parked sale this cart was recalled from (closed when the sale completes)
    parked_id: str | None = None
    #: set for a return without a receipt: the manager who approved it
    return_approved_by: str | None = None

    # --- lines -----------------------------------------------------------------------------------

    def add(self, line: CartLine) -> CartLine:
        if line.qty == 0:
            raise ValidationError("quantity must not be zero", field="qty")
        if line.unit_price < 0:
            raise ValidationError("price must not be negative", field="unit_price")
        if line.kind == "gift_card":
            if line.qty != ONE or not line.gift_card_code:
                raise ValidationError("a gift card is sold one at a time with its code",
                                      field="gift_card_code")
            line.vat_rate_bp = 0
        self.lines.append(line)
        return line

    def line(self, line_id: str) -> CartLine:
        for line in self.lines:
            if line.line_id == line_id and not line.voided:
                return line
        raise NotFound(f"no line {line_id!r} in the cart", field="line_id")

    @property
    def active_lines(self) -> list[CartLine]:
        return [ln for ln in self.lines if not ln.voided]

    @property
    def is_empty(self) -> bool:
        return not self.active_lines

    def set_qty(self, line_id: str, qty: int) -> CartLine:
        line = self.line(line_id)
        if qty == 0:
            raise ValidationError("quantity must not be zero; void the line instead", field="qty")
        if line.kind == "gift_card":
            raise ValidationError("a gift card's quantity cannot change", field="qty")
        if (qty < 0) != (line.qty < 0):
            raise ValidationError("a sale line cannot become a return line", field="qty")
        line.qty = qty
        return line

    def void(self, line_id: str, manager: str | None) -> CartLine:
        """Void a line; needs a manager's approval (their name, after the PIN was checked)."""
        if not manager:
            raise ValidationError("voiding a line needs a manager's approval", field="manager",
                                  hint="ask a manager to enter their PIN")
        line = self.line(line_id)
        line.voided, line.void_by = True, manager
        return line

    def override_price(self, line_id: str, unit_price: int, manager: str | None) -> CartLine:
        if not manager:
            raise ValidationError("a price override needs a manager's approval", field="manager",
                                  hint="ask a manager to enter their PIN")
        if unit_price < 0:
            raise ValidationError("price must not be negative", field="unit_price")
        line = self.line(line_id)
        if line.kind == "gift_card":
            raise ValidationError("a gift card's value is changed by voiding it", field="unit_price")
        if line.list_price is None:
            line.list_price = line.unit_price
        line.unit_price, line.override_by = unit_price, manager
        return line

    def discount_line(self, line_id: str, *, amount: int = 0, percent_bp: int = 0) -> CartLine:
        _check_discount(amount, percent_bp)
        line = self.line(line_id)
        if line.kind == "gift_card":
            raise ValidationError("a gift card cannot be discounted", field="discount")
        line.discount_amount, line.discount_bp = amount, percent_bp
        return line

    def discount_receipt(self, *, amount: int = 0, percent_bp: int = 0) -> None:
        _check_discount(amount, percent_bp)
        self.receipt_discount_amount, self.receipt_discount_bp = amount, percent_bp

    # --- totals ----------------------------------------------------------------------------------

    def totals(self) -> Totals:
        active = self.active_lines
        after_line = [ln.gross - ln.line_discount for ln in active]
        items = [i for i, ln in enumerate(active) if ln.kind == "item"]
        base = sum(after_line[i] for i in items)
        if self.receipt_discount_bp:
            receipt_discount = percent_of(base, self.receipt_discount_bp)
        else:
            receipt_discount = _sign(base) * min(self.receipt_discount_amount, abs(base))
        shares = [0] * len(active)
        if receipt_discount and items:
            for i, share in zip(items, allocate(receipt_discount, [abs(after_line[i]) for i in items])):
                shares[i] = share
        totals = []
        for i, ln in enumerate(active):
            discount = ln.line_discount + shares[i]
            totals.append(LineTotal(ln, ln.gross, discount, ln.gross - discount))
        goods = sum(t.amount for t in totals if t.line.kind == "item")
        gift = sum(t.amount for t in totals if t.line.kind == "gift_card")
        vat = vat_summary([(t.amount, t.line.vat_rate_bp) for t in totals if t.line.kind == "item"])
        return Totals(totals, goods, gift, goods + gift, sum(t.discount for t in totals), vat)

    @property
    def total(self) -> int:
        return self.totals().total

    @property
    def kind(self) -> str:
        """'return' when the cart gives money back (returns outweigh sales), else 'sale'."""
        if self.training:
            return "training"
        return "return" if self.total < 0 else "sale"

    # --- parking ---------------------------------------------------------------------------------

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "lines"}
        data["lines"] = [asdict(ln) for ln in self.lines]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Cart:
        known = {f.name for f in fields(cls)}
        cart = cls(**{k: v for k, v in data.items() if k in known and k != "lines"})
        line_fields = {f.name for f in fields(CartLine)}
        cart.lines = [CartLine(**{k: v for k, v in ln.items() if k in line_fields})
                      for ln in data.get("lines", [])]
        return cart


def _check_discount(amount: int, percent_bp: int) -> None:
    if amount and percent_bp:
        raise ValidationError("give a discount as an amount or a percentage, not both", field="discount")
    if amount < 0 or not 0 <= percent_bp <= BP:
        raise ValidationError("a discount must be between 0 and the price (0–100 %)", field="discount")
