"""Import Klarna and Nets payouts: mark the internal invoices paid (`settle_provider`), keep the fees for the ledger.

A payout is imported once per connection (`provider_settlement`, unique on its reference). Its
sales are matched to our orders by the provider's order/payment id (`sales_order.payment_reference`);
each matched order's invoices paid through the provider are settled on the payout date. The
provider's fees and their VAT are stored on the settlement row for the ledger to post; references
that match nothing are listed on it and in the problem log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import Store
from core.errors import UserError
from core.integrations.connections import Connection, log_problem
from core.integrations.klarna.client import KlarnaClient
from core.integrations.models import IntegrationConnection, ProviderSettlement
from core.integrations.nets.client import NetsClient
from core.invoicing.models import Invoice
from core.invoicing.payments import settle_provider
from core.orders.models import Order

JOB = "settlements"
LOOKBACK = dt.timedelta(days=30)


@dataclass
class SettlementResult:
    payouts: int = 0
    invoices_settled: int = 0
    fees: int = 0
    problems: list[str] = field(default_factory=list)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")[:25]).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None


def settle_references(session: Session, provider: str, references: list[str], paid_on: dt.date,
                      who: str, payout_ref: str) -> tuple[int, list[str]]:
    """Settle the provider-paid invoices of the orders behind these references; (count, unmatched)."""
    settled, unmatched = 0, []
    for ref in dict.fromkeys(r for r in references if r):
        order_ids = list(session.scalars(select(Order.id).where(
            Order.payment_provider == provider, Order.payment_reference == ref)))
        if not order_ids:
            unmatched.append(ref)
            continue
        invoices = session.scalars(select(Invoice).where(
            Invoice.order_id.in_(order_ids), Invoice.kind == "invoice",
            Invoice.paid_by_provider.is_not(None), Invoice.provider_settled_on.is_(None)))
        for invoice in invoices:
            try:
                with session.begin_nested():
                    settle_provider(session, invoice.id, paid_on, who, reference=payout_ref)
                settled += 1
            except UserError:
                continue  # settled meanwhile, or not a provider invoice: nothing to do
    return settled, unmatched


def _record(session: Session, conn: Connection, ref: str, paid_on, currency: str, amount: int,
            sales: int, fees: int, fee_vat: int, settled: int, unmatched: list[str]) -> None:
    session.add(ProviderSettlement(
        connection_id=conn.id, provider=conn.kind, payout_ref=ref[:100], payout_date=paid_on,
        currency=currency[:3], amount=amount, sales=sales, fees=fees, fee_vat=fee_vat,
        invoices_settled=settled, unmatched=unmatched[:500] or None))
    if unmatched:
        log_problem(session, JOB, f"payout {ref}: {len(unmatched)} payment(s) match no order here: "
                    + ", ".join(unmatched[:10]), connection_id=conn.id, ref=ref[:100],
                    level="warning")


def _seen(session: Session, conn: Connection, ref: str) -> bool:
    return session.scalar(select(ProviderSettlement.id).where(
        ProviderSettlement.connection_id == conn.id, ProviderSettlement.payout_ref == ref)) is not None


def import_klarna(store: Store, conn: Connection, client: KlarnaClient, start: dt.datetime,
                  end: dt.datetime, result: SettlementResult) -> None:
    for payout in client.payouts(start, end):
        with store.read() as s:
            if _seen(s, conn, payout.payment_reference):
                continue
        refs, fee_vat = [], 0
        for t in client.transactions(payment_reference=payout.payment_reference):
            if t.type.upper() == "SALE":
                refs.append(t.order_id)
            elif t.type.upper() == "FEE":
                fee_vat += t.vat_amount
        paid_on = _parse_date(payout.payout_date) or end.date()
        with store.write() as s:
            settled, unmatched = settle_references(s, "klarna", refs, paid_on, f"klarna:{conn.code}",
                                                   payout.payment_reference)
            _record(s, conn, payout.payment_reference, paid_on, payout.currency,
                    payout.settlement_amount, payout.sale_amount, payout.fee_amount, fee_vat,
                    settled, unmatched)
            s.commit()
        result.payouts += 1
        result.invoices_settled += settled
        result.fees += payout.fee_amount


def import_nets(store: Store, conn: Connection, client: NetsClient, start: dt.datetime,
                end: dt.datetime, result: SettlementResult) -> None:
    for payout in client.payouts(start.date(), end.date()):
        with store.read() as s:
            if _seen(s, conn, payout.id):
                continue
        _, actions = client.payout_details(payout.id)
        refs = [a.payment_id for a in actions if a.action.lower() in ("charge", "capture", "")]
        sales = sum(a.amount for a in actions if a.action.lower() in ("charge", "capture", ""))
        paid_on = _parse_date(payout.date) or end.date()
        with store.write() as s:
            settled, unmatched = settle_references(s, "nets", refs, paid_on, f"nets:{conn.code}",
                                                   payout.reference or payout.id)
            _record(s, conn, payout.id, paid_on, payout.currency, payout.amount, sales,
                    payout.fees, 0, settled, unmatched)
            s.commit()
        result.payouts += 1
        result.invoices_settled += settled
        result.fees += payout.fees


def import_settlements(store: Store, conn: Connection, client, now: dt.datetime) -> SettlementResult:
    """Payouts since the last import (30 days back the first time); each imported exactly once."""
    result = SettlementResult()
    with store.read() as s:
        last = s.get(IntegrationConnection, conn.id).last_settlement_at
    start = (last - dt.timedelta(days=2)) if last else now - LOOKBACK
    if conn.kind == "klarna":
        import_klarna(store, conn, client, start, now, result)
    else:
        import_nets(store, conn, client, start, now, result)
    with store.write() as s:
        s.get(IntegrationConnection, conn.id).last_settlement_at = now
        s.commit()
    return result
