"""Z-report → one voucher per register and day (series A).

Debits each payment method (cash 1910, card and provider receivables, Swish to the bank, gift
cards and vouchers redeemed against 2421); credits sales net per rate (3001/3002/3003/3004), the
output VAT per rate (2611/2621/2631), gift cards sold (2421) and the cash rounding (3740). The day
balances because the till books Σ payments = Σ sales incl. VAT + gift cards sold + rounding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.errors import ValidationError
from core.ledger.posting import Row, VoucherDraft, merged
from core.ledger.rules.common import domestic_accounts

#: payment method at the till → account role
METHOD_ROLES = {"cash": "cash", "card": "card", "swish": "swish", "gift_card": "gift_cards",
                "voucher": "voucher", "klarna": "provider_receivable",
                "provider": "provider_receivable"}


@dataclass(frozen=True)
class ZReportFacts:
    """What a Z-dagrapport says, in öre: VAT parts (rate_bp, net, vat) and payments per method."""

    register_code: str
    z_no: int
    day: dt.date
    vat: list[tuple[int, int, int]]
    payments: dict[str, int]
    cash_rounding: int = 0
    gift_cards_sold: int = 0
    store: str = ""
    extra: dict = field(default_factory=dict)


def z_report_voucher(facts: ZReportFacts, roles: dict[str, int]) -> VoucherDraft:
    rows: list[Row] = []
    for method, amount in sorted(facts.payments.items()):
        role = METHOD_ROLES.get(method)
        if role is None:
            raise ValidationError(f"no account for the payment method {method!r}", field="method",
                                  hint="add the method to core.ledger.rules.zreport.METHOD_ROLES")
        rows.append(Row(roles[role], amount, text=None))
    for rate_bp, net, vat in facts.vat:
        sales, output = domestic_accounts(rate_bp)
        rows.append(Row(sales, -net, rate_bp=rate_bp))
        if vat:
            if output is None:
                raise ValidationError("VAT on an exempt rate", field="vat")
            rows.append(Row(output, -vat, rate_bp=rate_bp))
    rows.append(Row(roles["gift_cards"], -facts.gift_cards_sold))
    rows.append(Row(roles["rounding"], -facts.cash_rounding))
    title = f"Z-dagrapport {facts.z_no} {facts.register_code}"
    return VoucherDraft("A", facts.day, title, merged(rows), "z_report",
                        f"{facts.register_code}:{facts.z_no}")
