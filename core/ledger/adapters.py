"""From the other areas' documents (Z-report, invoice, payment, supplier invoice, count) to rule facts, and posting them.

Read-only towards those areas: each adapter reads a document and returns the facts its rule
takes; `post_*` runs the rule with the configured account roles and posts once per document
(a replay returns the voucher already posted).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound, ValidationError
from core.ledger import rules
from core.ledger.chart import roles as account_roles
from core.ledger.fx import rate_on, to_sek
from core.ledger.models import Voucher, VoucherRow
from core.ledger.posting import find_by_source, post_once
from core.money import BASE_CURRENCY, div_round_half_up


def z_report_facts(body: dict) -> rules.ZReportFacts:
    """A stored Z-report body (core.sales.reports.report_body) → facts."""
    if body.get("type") != "Z":
        raise ValidationError("only a Z-dagrapport is posted (an X-report is not)", field="type")
    day = dt.datetime.fromisoformat(body["created_at"]).date()
    return rules.ZReportFacts(
        register_code=body["register_code"], z_no=int(body["z_no"]), day=day,
        vat=[(int(p["rate_bp"]), int(p["net"]), int(p["vat"])) for p in body.get("vat", [])],
        payments={k: int(v) for k, v in (body.get("payments") or {}).items()},
        cash_rounding=int(body.get("cash_rounding") or 0),
        gift_cards_sold=int(body.get("gift_cards_sold") or 0), store=body.get("store") or "")


def invoice_facts(session: Session, invoice) -> rules.InvoiceFacts:
    """A core.invoicing Invoice (or credit note) → facts, at its day's exchange rate."""
    return rules.InvoiceFacts(
        number=int(invoice.number), date=invoice.invoice_date, kind=invoice.kind,
        parts=[(int(p["rate_bp"]), int(p["net"]), int(p["vat"])) for p in invoice.vat_parts],
        currency=invoice.currency, rate_micro=rate_on(session, invoice.currency, invoice.invoice_date),
        treatment=invoice.vat_treatment, country=invoice.vat_country,
        paid_by_provider=invoice.paid_by_provider, customer=invoice.customer_name or "")


def _booked_row(session: Session, source_type: str, source_id: str, account: int) -> VoucherRow:
    voucher = find_by_source(session, source_type, source_id)
    if voucher is None:
        raise NotFound(f"{source_type.replace('_', ' ')} {source_id} is not posted yet",
                       field=source_type, hint="post the document before its payment")
    row = session.scalars(select(VoucherRow).where(VoucherRow.voucher_id == voucher.id,
                                                   VoucherRow.account == account)).first()
    if row is None:
        raise NotFound(f"voucher {voucher.series}{voucher.number} has no row on {account}",
                       field="account")
    return row


def cleared(row: VoucherRow, amount: int) -> int:
    """What `amount` (in the row's currency) clears of a booked receivable/payable row, in öre."""
    if row.currency is None or not row.currency_amount:
        return amount
    return div_round_half_up(amount * abs(row.amount), abs(row.currency_amount))


def payment_facts(session: Session, payment) -> rules.PaymentFacts:
    """A core.invoicing IncomingPayment matched to an invoice → facts."""
    if payment.source == "provider":
        raise ValidationError("a provider's payout is posted from its settlement", field="source",
                              hint="post the provider settlement instead")
    if payment.invoice_id is None:
        raise ValidationError("the payment is not matched to an invoice", field="invoice_id",
                              hint="match it to its invoice first")
    from core.invoicing.models import Invoice

    invoice = session.get(Invoice, payment.invoice_id)
    roles = account_roles(session)
    row = _booked_row(session, "invoice", str(invoice.number), roles["receivables"])
    amount_sek = to_sek(payment.amount, rate_on(session, payment.currency, payment.paid_on))
    return rules.PaymentFacts(payment_id=payment.id, date=payment.paid_on,
                              invoice_number=int(invoice.number), amount=payment.amount,
                              amount_sek=amount_sek, cleared_sek=cleared(row, payment.amount),
                              currency=payment.currency)


def supplier_origin(country: str | None) -> str:
    from core.vat.rates import EU_COUNTRIES

    if not country or country == "SE":
        return "SE"
    return "EU" if country in EU_COUNTRIES else "import"


def supplier_invoice_facts(session: Session, invoice, rate_bp: int = 2500,
                           to_stock: bool = False) -> rules.SupplierInvoiceFacts:
    """A core.purchasing SupplierInvoice → facts; EU/import goods carry the Swedish `rate_bp`."""
    from core.purchasing.models import Supplier

    supplier = session.get(Supplier, invoice.supplier_id)
    origin = supplier_origin(supplier.country if supplier else None)
    return rules.SupplierInvoiceFacts(
        invoice_id=invoice.id, number=invoice.invoice_number,
        supplier=supplier.name if supplier else "", date=invoice.invoice_date,
        parts=[(rate_bp, int(invoice.net), int(invoice.vat))], currency=invoice.currency,
        rate_micro=rate_on(session, invoice.currency, invoice.invoice_date), origin=origin,
        to_stock=to_stock)


def supplier_payment_facts(session: Session, invoice, paid_on: dt.date | None = None
                           ) -> rules.SupplierPaymentFacts:
    """Paying a SupplierInvoice in full on `paid_on` (default: its paid_on) → facts."""
    on = paid_on or invoice.paid_on
    if on is None:
        raise ValidationError("the supplier invoice is not paid", field="paid_on")
    row = _booked_row(session, "supplier_invoice", invoice.id, account_roles(session)["payables"])
    return rules.SupplierPaymentFacts(
        invoice_id=invoice.id, number=invoice.invoice_number, date=on, amount=int(invoice.total),
        amount_sek=to_sek(int(invoice.total), rate_on(session, invoice.currency, on)),
        cleared_sek=-row.amount if invoice.currency == BASE_CURRENCY else
        cleared(row, int(invoice.total)), currency=invoice.currency)


def settlement_facts(session: Session, settlement) -> rules.SettlementFacts:
    """A core.integrations ProviderSettlement → facts: each invoice it settled clears its part of the
    provider receivable as booked; the payout and the fees at the payout day's rate."""
    from core.invoicing.models import IncomingPayment, Invoice

    on = settlement.payout_date
    if on is None:
        raise ValidationError(f"payout {settlement.payout_ref} has no date", field="payout_date")
    receivable = account_roles(session)["provider_receivable"]
    items = []
    for payment, number in session.execute(
            select(IncomingPayment, Invoice.number).join(Invoice, Invoice.id == IncomingPayment.invoice_id)
            .where(IncomingPayment.source == "provider", IncomingPayment.payer == settlement.provider,
                   IncomingPayment.reference == settlement.payout_ref, IncomingPayment.paid_on == on)
            .order_by(Invoice.number)):
        row = _booked_row(session, "invoice", str(number), receivable)
        items.append(rules.SettlementItem(f"Faktura {number}", payment.amount, cleared(row, payment.amount)))
    rate = rate_on(session, settlement.currency, on)
    return rules.SettlementFacts(
        settlement_id=settlement.payout_ref, provider=settlement.provider, date=on,
        payout=int(settlement.amount), payout_sek=to_sek(int(settlement.amount), rate), items=items,
        fee_net_sek=to_sek(int(settlement.fees), rate), fee_vat_sek=to_sek(int(settlement.fee_vat), rate),
        currency=settlement.currency)


def stock_count_facts(count) -> rules.StockCountFacts:
    """A posted core.inventory StockCount → facts (its variance value at average cost)."""
    if count.status != "posted" or count.posted_at is None:
        raise ValidationError(f"stock count {count.number} is not posted", field="status")
    return rules.StockCountFacts(count_id=str(count.id), number=int(count.number),
                                 date=count.posted_at.date(), value_change=int(count.value_change or 0))


def stock_valuation_facts(session: Session, on: dt.date) -> rules.StockValuationFacts:
    """The stock's value at average cost now against the stock account's book value through `on`."""
    from core.inventory.valuation import stock_value
    from core.ledger.reports import trial_balance, year_bounds

    stock = account_roles(session)["stock"]
    conn = session.connection()
    bounds = year_bounds(conn, on)
    lines = trial_balance(conn, bounds[1] if bounds else on, on)
    book = next((ln.closing for ln in lines if ln.account == stock), 0)
    return rules.StockValuationFacts(date=on, stock_value=int(stock_value(conn)), book_value=book)


# --- posting -----------------------------------------------------------------------------------

def post_z_report(session: Session, body: dict, who: str = "system") -> Voucher:
    return post_once(session, rules.z_report_voucher(z_report_facts(body), account_roles(session)), who)


def post_invoice(session: Session, invoice, who: str = "system") -> Voucher:
    facts = invoice_facts(session, invoice)
    return post_once(session, rules.invoice_voucher(facts, account_roles(session)), who)


def post_payment(session: Session, payment, who: str = "system") -> Voucher:
    return post_once(session, rules.payment_voucher(payment_facts(session, payment),
                                                    account_roles(session)), who)


def post_supplier_invoice(session: Session, invoice, who: str = "system", rate_bp: int = 2500,
                          to_stock: bool = False) -> Voucher:
    facts = supplier_invoice_facts(session, invoice, rate_bp, to_stock)
    return post_once(session, rules.supplier_invoice_voucher(facts, account_roles(session)), who)


def post_supplier_payment(session: Session, invoice, who: str = "system") -> Voucher:
    facts = supplier_payment_facts(session, invoice)
    return post_once(session, rules.supplier_payment_voucher(facts, account_roles(session)), who)


def post_settlement(session: Session, settlement, who: str = "system") -> Voucher:
    """Post a provider payout; marks the settlement row posted (the column it keeps for the ledger)."""
    voucher = post_once(session, rules.settlement_voucher(settlement_facts(session, settlement),
                                                          account_roles(session)), who)
    if settlement.posted_at is None:
        settlement.posted_at = voucher.created_at
    return voucher


def post_stock_count(session: Session, count, who: str = "system") -> Voucher | None:
    """The count's variance value; None when it moved no value."""
    facts = stock_count_facts(count)
    if not facts.value_change:
        return None
    return post_once(session, rules.stock_count_voucher(facts, account_roles(session)), who)
