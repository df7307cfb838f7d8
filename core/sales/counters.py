"""The register's running day totals, updated with each receipt so X and Z read them without a rescan.

Sales are the positive goods/service line amounts of sale and return receipts; returns the
negative ones (as a positive figure). Gift cards sold are a liability, not sales. Training
receipts and copies are counted apart and never as sales.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from core.sales.cart import Totals


@dataclass
class DayTotals:
    """Everything an X- or Z-report shows for the day, as integers (öre, thousandths, counts)."""

    sales: int = 0
    returns_amount: int = 0
    returns_count: int = 0
    receipts: int = 0
    goods_qty: int = 0
    services_qty: int = 0
    #: rate_bp (as text: JSON keys) → [net, vat], sales minus returns
    vat: dict[str, list[int]] = field(default_factory=dict)
    #: payment method → amount (refunds negative)
    payments: dict[str, int] = field(default_factory=dict)
    #: main product group → amount
    groups: dict[str, int] = field(default_factory=dict)
    discounts: int = 0
    discounts_count: int = 0
    #: other registrations that reduced the day's sales (price overrides downwards)
    other_reductions: int = 0
    other_reductions_count: int = 0
    drawer_openings: int = 0
    copies: int = 0
    copies_amount: int = 0
    training: int = 0
    training_amount: int = 0
    unfinished: int = 0
    unfinished_amount: int = 0
    cash_rounding: int = 0
    gift_cards_sold: int = 0
    float_amount: int = 0
    float_changes: int = 0
    first_receipt: int | None = None
    last_receipt: int | None = None

    @property
    def net(self) -> int:
        return self.sales - self.returns_amount

    @classmethod
    def load(cls, data: dict | None) -> DayTotals:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    def dump(self) -> dict:
        return asdict(self)


def add_receipt(day: DayTotals, body: dict, totals: Totals) -> tuple[int, int]:
    """Count a sale/return receipt into the day; returns (sales, returns) to add to the grand totals."""
    if day.first_receipt is None:
        day.first_receipt = body["number"]
    day.last_receipt = body["number"]
    if body["kind"] == "training":
        day.training += 1
        day.training_amount += body["total"]
        return 0, 0
    sales = returns = 0
    for t in totals.lines:
        line = t.line
        if line.kind == "gift_card":
            day.gift_cards_sold += t.amount
            continue
        if t.amount >= 0 and line.qty > 0:
            sales += t.amount
            if line.is_service:
                day.services_qty += line.qty
            else:
                day.goods_qty += line.qty
            if t.discount:
                day.discounts += t.discount
                day.discounts_count += 1
            if line.reduction_by_override:
                day.other_reductions += line.reduction_by_override
                day.other_reductions_count += 1
        else:
            returns += -t.amount
        if line.group:
            day.groups[line.group] = day.groups.get(line.group, 0) + t.amount
    for part in body["vat"]:
        key = str(part["rate_bp"])
        net, vat = day.vat.get(key, [0, 0])
        day.vat[key] = [net + part["net"], vat + part["vat"]]
    for p in body["payments"]:
        day.payments[p["method"]] = day.payments.get(p["method"], 0) + p["amount"]
    day.sales += sales
    day.returns_amount += returns
    if returns:
        day.returns_count += 1
    day.receipts += 1
    day.cash_rounding += body["cash_rounding"]
    return sales, returns
