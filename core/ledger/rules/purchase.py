"""Goods receipt, supplier invoice and supplier payment (series D, goods receipts F).

A Swedish supplier's invoice debits purchases 4010 (or the stock 1460 when booked straight to
stock) and input VAT 2641, and credits payables 2440. An EU supplier invoices without VAT: the
buyer books the purchase on 4070 (box 20), computes the VAT itself as output VAT 2614/2624/2634
(boxes 30–32) and deducts the same as input VAT 2645 (box 48). An import outside the EU is the
same with 4080 (box 50) and 2615/2625/2635 (boxes 60–62); its base is taken as the invoice's net.
A goods receipt, for shops that book stock as it arrives, moves its value into 1460 against the
change in stock 4960; the valuation voucher (rules.stock) later settles 1460 to the real value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.errors import ValidationError
from core.ledger.chart import IMPORT_VAT_ACCOUNTS, REVERSE_VAT_ACCOUNTS
from core.ledger.posting import Row, VoucherDraft
from core.ledger.rules.common import balancing_row, fx_difference, row
from core.money import BASE_CURRENCY, format_rate, vat_of_net

ORIGINS = ("SE", "EU", "import")


@dataclass(frozen=True)
class SupplierInvoiceFacts:
    """A supplier invoice: VAT parts (rate_bp, net, vat) in its currency; for EU/import purchases
    `vat` is 0 on the invoice and `rate_bp` is the Swedish rate the goods carry."""

    invoice_id: str
    number: str
    supplier: str
    date: dt.date
    parts: list[tuple[int, int, int]]
    currency: str = BASE_CURRENCY
    rate_micro: int = 1_000_000
    origin: str = "SE"
    to_stock: bool = False

    @property
    def total(self) -> int:
        return sum(net + vat for _, net, vat in self.parts)


def supplier_invoice_voucher(f: SupplierInvoiceFacts, roles: dict[str, int]) -> VoucherDraft:
    if f.origin not in ORIGINS:
        raise ValidationError(f"unknown origin {f.origin!r}", field="origin", hint="SE, EU or import")
    rows: list[Row] = []
    for rate_bp, net, vat in f.parts:
        if f.origin == "SE":
            account = roles["stock"] if f.to_stock else roles["purchases"]
            rows.append(row(account, net, f.currency, f.rate_micro, vat_box=None))
            rows.append(row(roles["input_vat"], vat, f.currency, f.rate_micro))
            continue
        if vat:
            raise ValidationError("an EU or import supplier invoice carries no Swedish VAT",
                                  field="vat", hint="give the Swedish rate; the VAT is computed")
        base_role, box, vat_accounts = (("purchases_eu", "20", REVERSE_VAT_ACCOUNTS)
                                        if f.origin == "EU" else
                                        ("purchases_import", "50", IMPORT_VAT_ACCOUNTS))
        if rate_bp not in vat_accounts:
            raise ValidationError(f"no VAT account for {format_rate(rate_bp)} %", field="vat_rate")
        account = roles["stock"] if f.to_stock else roles[base_role]
        base = row(account, net, f.currency, f.rate_micro, vat_box=box)
        computed = vat_of_net(base.amount, rate_bp)
        rows += [base, Row(vat_accounts[rate_bp], -computed, rate_bp=rate_bp),
                 Row(roles["input_vat_foreign"], computed, rate_bp=rate_bp)]
    rows = [r for r in rows if r.amount or r.currency_amount]
    rows.append(balancing_row(roles["payables"], rows, f.currency, -f.total,
                              text=f"Lev.faktura {f.number}"))
    return VoucherDraft("D", f.date, f"Leverantörsfaktura {f.number} {f.supplier}".strip(), rows,
                        "supplier_invoice", f.invoice_id)


@dataclass(frozen=True)
class SupplierPaymentFacts:
    """Paying a supplier invoice: `amount` in its currency, `amount_sek` at the day's rate,
    `cleared_sek` what it clears of the payable as booked."""

    invoice_id: str
    number: str
    date: dt.date
    amount: int
    amount_sek: int
    cleared_sek: int
    currency: str = BASE_CURRENCY


def supplier_payment_voucher(f: SupplierPaymentFacts, roles: dict[str, int]) -> VoucherDraft:
    foreign = f.currency != BASE_CURRENCY
    cur = f.currency if foreign else None
    rows = [Row(roles["payables"], f.cleared_sek, currency=cur,
                currency_amount=f.amount if foreign else None, text=f"Lev.faktura {f.number}"),
            Row(roles["bank"], -f.amount_sek, currency=cur,
                currency_amount=-f.amount if foreign else None)]
    if foreign:
        rows += fx_difference(rows, roles)
    return VoucherDraft("D", f.date, f"Betalning leverantörsfaktura {f.number}", rows,
                        "supplier_payment", f.invoice_id)


@dataclass(frozen=True)
class GoodsReceiptFacts:
    receipt_id: str
    date: dt.date
    value_sek: int
    text: str = ""


def goods_receipt_voucher(f: GoodsReceiptFacts, roles: dict[str, int]) -> VoucherDraft:
    rows = [Row(roles["stock"], f.value_sek), Row(roles["stock_change"], -f.value_sek)]
    return VoucherDraft("F", f.date, f.text or "Inleverans till lager", rows, "goods_receipt",
                        f.receipt_id)
