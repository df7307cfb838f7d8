"""Sales invoice → receivable and sales per rate/country with VAT (series B); incoming payment (series C).

Treatments: domestic (3001–3004 with 2611/2621/2631), OSS distance sales (3106 and 2670, tagged
with the buyer's country and rate for the OSS report), reverse charge to an EU business (3108,
box 35) and export (3105, box 36). A credit note carries negative amounts, so the same rule
reverses. An invoice paid at checkout through a provider (Klarna…) is a receivable on the
provider, not on the customer. Foreign-currency documents are booked at their day's rate and
keep their own amount on the receivable row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.errors import ValidationError
from core.ledger.posting import Row, VoucherDraft
from core.ledger.rules.common import balancing_row, domestic_accounts, fx_difference, row
from core.money import BASE_CURRENCY


@dataclass(frozen=True)
class InvoiceFacts:
    """An issued invoice or credit note: VAT parts (rate_bp, net, vat) in its currency, signed."""

    number: int
    date: dt.date
    parts: list[tuple[int, int, int]]
    kind: str = "invoice"
    currency: str = BASE_CURRENCY
    rate_micro: int = 1_000_000
    treatment: str = "domestic"
    country: str = "SE"
    paid_by_provider: str | None = None
    customer: str = ""

    @property
    def gross(self) -> int:
        return sum(net + vat for _, net, vat in self.parts)


def _sales_rows(f: InvoiceFacts, roles: dict[str, int]) -> list[Row]:
    rows = []
    for rate_bp, net, vat in f.parts:
        if f.treatment == "domestic":
            sales, output = domestic_accounts(rate_bp)
            rows.append(row(sales, -net, f.currency, f.rate_micro, rate_bp=rate_bp))
            if vat:
                rows.append(row(output, -vat, f.currency, f.rate_micro, rate_bp=rate_bp))
        elif f.treatment == "oss":
            tags = {"country": f.country, "rate_bp": rate_bp}
            rows.append(row(roles["oss_sales"], -net, f.currency, f.rate_micro, **tags))
            rows.append(row(roles["oss_vat"], -vat, f.currency, f.rate_micro, **tags))
        elif f.treatment in ("reverse_charge", "export"):
            if vat:
                raise ValidationError(f"an invoice with {f.treatment.replace('_', ' ')} carries no "
                                      "VAT", field="vat")
            role = "eu_business_sales" if f.treatment == "reverse_charge" else "export_sales"
            rows.append(row(roles[role], -net, f.currency, f.rate_micro, country=f.country))
        else:
            raise ValidationError(f"unknown VAT treatment {f.treatment!r}", field="vat_treatment")
    return [r for r in rows if r.amount or r.currency_amount]


def invoice_voucher(f: InvoiceFacts, roles: dict[str, int]) -> VoucherDraft:
    rows = _sales_rows(f, roles)
    receivable = roles["provider_receivable"] if f.paid_by_provider else roles["receivables"]
    rows.insert(0, balancing_row(receivable, rows, f.currency, f.gross, text=f"Faktura {f.number}"))
    title = ("Kreditfaktura" if f.kind == "credit_note" else "Faktura") + f" {f.number}"
    if f.customer:
        title += f" {f.customer}"
    return VoucherDraft("B", f.date, title, rows, "invoice", str(f.number))


@dataclass(frozen=True)
class PaymentFacts:
    """Money received for an invoice: `amount` in its currency, `amount_sek` at the payment day's
    rate, `cleared_sek` what it clears of the receivable as booked (the invoice's rate)."""

    payment_id: str
    date: dt.date
    invoice_number: int | None
    amount: int
    amount_sek: int
    cleared_sek: int
    currency: str = BASE_CURRENCY
    to_role: str = "bank"
    from_role: str = "receivables"


def payment_voucher(f: PaymentFacts, roles: dict[str, int]) -> VoucherDraft:
    foreign = {} if f.currency == BASE_CURRENCY else {"currency": f.currency}
    rows = [Row(roles[f.to_role], f.amount_sek, **foreign,
                currency_amount=f.amount if foreign else None),
            Row(roles[f.from_role], -f.cleared_sek, **foreign,
                currency_amount=-f.amount if foreign else None,
                text=f"Faktura {f.invoice_number}" if f.invoice_number else None)]
    if f.currency != BASE_CURRENCY:
        rows += fx_difference(rows, roles)
    title = f"Inbetalning faktura {f.invoice_number}" if f.invoice_number else "Inbetalning"
    return VoucherDraft("C", f.date, title, rows, "incoming_payment", f.payment_id)
