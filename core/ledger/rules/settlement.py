"""Provider settlement (Klarna/Nets payout) → bank, the provider receivable cleared per order, fees (series E).

The payout reaches the bank (1930); each settled order clears its part of the provider receivable
(1580 or 1686, one row per order so the receivable can be followed); the provider's fee goes to
6040 (card and provider fees, or 6570 bank fees) with its input VAT on 2641 when it carries any.
In SEK the figures must agree exactly; in a foreign currency the difference between the rates of
the orders and of the payout is an exchange gain or loss.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.ledger.posting import Row, VoucherDraft
from core.ledger.rules.common import fx_difference
from core.money import BASE_CURRENCY


@dataclass(frozen=True)
class SettlementItem:
    """One order in a payout: its amount (currency) and what it clears of the receivable in öre."""

    reference: str
    amount: int
    cleared_sek: int


@dataclass(frozen=True)
class SettlementFacts:
    settlement_id: str
    provider: str
    date: dt.date
    payout: int
    payout_sek: int
    items: list[SettlementItem] = field(default_factory=list)
    fee_net_sek: int = 0
    fee_vat_sek: int = 0
    currency: str = BASE_CURRENCY
    fee_role: str = "card_fees"


def settlement_voucher(f: SettlementFacts, roles: dict[str, int]) -> VoucherDraft:
    foreign = f.currency != BASE_CURRENCY
    rows = [Row(roles["bank"], f.payout_sek, currency=f.currency if foreign else None,
                currency_amount=f.payout if foreign else None, text=f"Utbetalning {f.provider}")]
    for item in f.items:
        rows.append(Row(roles["provider_receivable"], -item.cleared_sek,
                        currency=f.currency if foreign else None,
                        currency_amount=-item.amount if foreign else None, text=item.reference))
    rows.append(Row(roles[f.fee_role], f.fee_net_sek, text=f"Avgift {f.provider}"))
    rows.append(Row(roles["input_vat"], f.fee_vat_sek))
    rows = [r for r in rows if r.amount or r.currency_amount]
    if foreign:
        rows += fx_difference(rows, roles)
    return VoucherDraft("E", f.date, f"Avräkning {f.provider} {f.settlement_id}", rows,
                        "settlement", f"{f.provider}:{f.settlement_id}")
