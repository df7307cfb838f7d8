"""Invoice deliveries or whole orders, and credit invoices (in full or per line), never beyond what is left.

Invoices and credit notes share the gap-free series "invoice". A credit note's amounts are
negative and it points at its invoice; what is left to pay on an invoice is its total plus its
credit notes minus the payments received (`balance`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.invoicing.models import Invoice, InvoiceLine
from core.invoicing.ocr import make_ocr
from core.money import VatPart
from core.numbering import next_number
from core.orders import states
from core.orders.models import Delivery, DeliveryLine, IntegrationTask, Order, OrderLine
from core.orders.pricing import share, summarise
from core.orders.service import PROVIDER_PAID, get_order
from core.quantity import format_qty
from core.vat.rates import REVERSE_CHARGE_TEXT

EXPORT_TEXT = "Export – försäljning utanför EU, ingen svensk moms"
SERIES = "invoice"


@dataclass(frozen=True, slots=True)
class _Bill:
    order_line_id: str | None
    delivery_id: str | None
    credited_line_id: int | None
    sku: str
    name: str
    qty: int
    unit_price: int
    discount_bp: int
    amount: int
    vat_rate_bp: int


def legal_text(treatment: str) -> str | None:
    """What the document must say for the VAT treatment (reverse charge, export)."""
    return {"reverse_charge": REVERSE_CHARGE_TEXT, "export": EXPORT_TEXT}.get(treatment)


def get_invoice(session: Session, invoice_id: str) -> Invoice:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice with id {invoice_id!r}", field="invoice_id")
    return invoice


def invoice_by_number(session: Session, number: int) -> Invoice:
    invoice = session.scalar(select(Invoice).where(Invoice.number == number))
    if invoice is None:
        raise NotFound(f"no invoice number {number}", field="number")
    return invoice


def lines_of(session: Session, invoice_id: str) -> list[InvoiceLine]:
    return list(session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id)
                                .order_by(InvoiceLine.position)))


def credit_notes_of(session: Session, invoice_id: str) -> list[Invoice]:
    return list(session.scalars(select(Invoice).where(Invoice.credited_invoice_id == invoice_id)
                                .order_by(Invoice.number)))


def balance(session: Session, invoice: Invoice) -> int:
    """What is left to pay (negative: to refund): total + credit notes − payments."""
    credited = session.scalar(select(func.coalesce(func.sum(Invoice.total_gross), 0))
                              .where(Invoice.credited_invoice_id == invoice.id)) or 0
    return invoice.total_gross + int(credited) - invoice.paid_amount


def refresh_settled(session: Session, invoice: Invoice) -> None:
    """Mark the invoice settled when nothing is left to pay or refund."""
    session.flush()
    if invoice.kind == "invoice":
        invoice.settled = balance(session, invoice) == 0


def _issue(session: Session, order: Order, bills: list[_Bill], who: str, on: dt.date | None,
           credited: Invoice | None = None, note: str | None = None,
           parts: list[VatPart] | None = None) -> Invoice:
    who = states.check_who(who)
    on = on or dt.date.today()
    number = next_number(session, SERIES)
    if parts is None:
        parts = summarise([(b.amount, b.vat_rate_bp) for b in bills], order.prices_include_vat)[3]
    net, vat = sum(p.net for p in parts), sum(p.vat for p in parts)
    gross = net + vat
    source = credited if credited is not None else order
    invoice = Invoice(
        id=str(uuid.uuid4()), number=number, kind="credit_note" if credited else "invoice",
        ocr=make_ocr(number), order_id=order.id, order_number=order.number,
        channel_order_no=order.channel_order_no, customer_reference=order.customer_reference,
        credited_invoice_id=credited.id if credited else None, customer_id=order.customer_id,
        customer_name=source.customer_name, customer_email=source.customer_email,
        buyer_vat_number=source.buyer_vat_number, invoice_address=source.invoice_address,
        delivery_address=source.delivery_address, currency=order.currency,
        prices_include_vat=order.prices_include_vat, vat_treatment=order.vat_treatment,
        vat_country=order.vat_country, invoice_date=on,
        due_date=on + dt.timedelta(days=order.payment_terms_days),
        payment_terms_days=order.payment_terms_days, total_net=net, total_vat=vat,
        total_gross=gross, vat_parts=[{"rate_bp": p.rate_bp, "net": p.net, "vat": p.vat}
                                      for p in parts],
        legal_text=legal_text(order.vat_treatment),
        paid_by_provider=(order.payment_provider if order.payment_provider in PROVIDER_PAID
                          else None),
        settled=credited is not None, note=note, created_by=who)
    session.add(invoice)
    session.flush()
    session.add_all([InvoiceLine(
        invoice_id=invoice.id, position=i, order_line_id=b.order_line_id, delivery_id=b.delivery_id,
        credited_line_id=b.credited_line_id, sku=b.sku, name=b.name, qty=b.qty,
        unit_price=b.unit_price, discount_bp=b.discount_bp, amount=b.amount,
        vat_rate_bp=b.vat_rate_bp) for i, b in enumerate(bills, start=1)])
    session.flush()
    return invoice


def _bills_for(session: Session, deliveries: Iterable[Delivery]) -> list[_Bill]:
    bills = []
    for delivery in deliveries:
        rows = session.execute(
            select(DeliveryLine, OrderLine).join(OrderLine, OrderLine.id == DeliveryLine.order_line_id)
            .where(DeliveryLine.delivery_id == delivery.id).order_by(OrderLine.position))
        bills += [_Bill(ol.id, delivery.id, None, ol.sku, ol.name, dl.qty, ol.unit_price,
                        ol.discount_bp, dl.amount, ol.vat_rate_bp) for dl, ol in rows]
    return bills


def _after_invoicing(session: Session, order: Order, invoice: Invoice, deliveries: list[Delivery],
                     who: str) -> None:
    for d in deliveries:
        d.invoice_id = invoice.id
    session.flush()
    states.log_event(session, order, who, "invoice",
                     f"invoice {invoice.number}: {invoice.total_gross} öre "
                     f"(deliveries {', '.join(str(d.seq) for d in deliveries)})")
    uninvoiced = session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.order_id == order.id, Delivery.invoice_id.is_(None)))
    if order.status == "delivered" and not uninvoiced:
        states.move(session, order, "invoiced", who, f"invoice {invoice.number}")


def invoice_delivery(session: Session, delivery_id: str, who: str, on: dt.date | None = None,
                     note: str | None = None) -> Invoice:
    """One invoice for one delivery; a delivery is invoiced once."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no delivery {delivery_id!r}", field="delivery_id")
    order = get_order(session, delivery.order_id)
    if delivery.invoice_id is not None:
        done = session.get(Invoice, delivery.invoice_id)
        raise Conflict(f"delivery {delivery.seq} of order {order.number} is already on invoice "
                       f"{done.number}", field="delivery_id",
                       hint="credit that invoice first if it was wrong")
    invoice = _issue(session, order, _bills_for(session, [delivery]), who, on, note=note)
    _after_invoicing(session, order, invoice, [delivery], who)
    return invoice


def invoice_order(session: Session, order_id: str, who: str, on: dt.date | None = None,
                  note: str | None = None) -> Invoice:
    """One invoice for every delivery of the order not invoiced yet."""
    order = get_order(session, order_id)
    if order.status in ("new", "confirmed", "cancelled"):
        raise InvalidTransition(f"order {order.number} is {order.status}: nothing is delivered "
                                "to invoice", field="status", hint="deliver it first")
    deliveries = list(session.scalars(select(Delivery).where(
        Delivery.order_id == order.id, Delivery.invoice_id.is_(None)).order_by(Delivery.seq)))
    if not deliveries:
        raise Conflict(f"every delivery of order {order.number} is already invoiced",
                       field="order_id", hint="deliver more, or credit an invoice")
    invoice = _issue(session, order, _bills_for(session, deliveries), who, on, note=note)
    _after_invoicing(session, order, invoice, deliveries, who)
    return invoice


def credit_invoice(session: Session, invoice_id: str, who: str,
                   lines: Mapping[int, int] | None = None, on: dt.date | None = None,
                   reason: str | None = None) -> Invoice:
    """A credit note for the whole rest of an invoice, or for {invoice line id: qty} of some lines.

    Never more than is left: each line can be credited up to its invoiced quantity in total.
    """
    invoice = get_invoice(session, invoice_id)
    if invoice.kind != "invoice":
        raise ValidationError(f"{invoice.number} is a credit note; credit the invoice itself",
                              field="invoice_id")
    order = get_order(session, invoice.order_id)
    rows = {ln.id: ln for ln in lines_of(session, invoice.id)}
    if lines is None:
        wanted = [(ln, ln.qty - ln.credited_qty) for ln in rows.values() if ln.credited_qty < ln.qty]
        if not wanted:
            raise Conflict(f"invoice {invoice.number} is already credited in full",
                           field="invoice_id")
    else:
        wanted = []
        for line_id, qty in lines.items():
            ln = rows.get(line_id)
            if ln is None:
                raise NotFound(f"invoice {invoice.number} has no line {line_id}", field="lines")
            if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
                raise ValidationError(f"credit a positive quantity, not {qty!r}",
                                      field=f"lines[{ln.position}].qty")
            left = ln.qty - ln.credited_qty
            if qty > left:
                raise ValidationError(
                    f"line {ln.position} ({ln.sku or ln.name}) of invoice {invoice.number}: "
                    f"{format_qty(qty)} to credit, but only {format_qty(left)} is left "
                    f"({format_qty(ln.qty)} invoiced, {format_qty(ln.credited_qty)} credited)",
                    field=f"lines[{ln.position}].qty", hint=f"credit at most {format_qty(left)}")
            wanted.append((ln, qty))
        if not wanted:
            raise ValidationError("choose at least one line to credit", field="lines")
    bills = []
    for ln, qty in wanted:
        amount = share(ln.amount, ln.qty, ln.credited_qty, qty)
        bills.append(_Bill(ln.order_line_id, ln.delivery_id, ln.id, ln.sku, ln.name, -qty,
                           ln.unit_price, ln.discount_bp, -amount, ln.vat_rate_bp))
        ln.credited_qty += qty
        ln.credited_amount += amount
    note = f"Kredit av faktura {invoice.number}" + (f": {reason}" if reason else "")
    parts = None
    if all(ln.credited_qty == ln.qty for ln in rows.values()):
        parts = _rest_of(session, invoice)  # the last credit takes exactly what is left per rate
    credit = _issue(session, order, bills, who, on, credited=invoice, note=note, parts=parts)
    credit.due_date = credit.invoice_date
    refresh_settled(session, invoice)
    states.log_event(session, order, who, "invoice",
                     f"credit note {credit.number} for invoice {invoice.number}: "
                     f"{credit.total_gross} öre" + (f" ({reason})" if reason else ""))
    if invoice.paid_by_provider:
        session.add(IntegrationTask(
            type="refund_payment", order_id=order.id, idem_key=f"refund_payment:{credit.id}",
            body={"order_id": order.id, "order_number": order.number,
                  "channel_order_no": order.channel_order_no, "provider": invoice.paid_by_provider,
                  "provider_reference": order.payment_reference, "currency": credit.currency,
                  "credit_note_id": credit.id, "credit_note_number": credit.number,
                  "amount": -credit.total_gross,
                  "lines": [{"sku": b.sku, "name": b.name, "qty": -b.qty, "amount": -b.amount,
                             "vat_rate_bp": b.vat_rate_bp} for b in bills]}))
    return credit


def _rest_of(session: Session, invoice: Invoice) -> list[VatPart]:
    """Minus what is left of the invoice per VAT rate after its earlier credit notes."""
    left: dict[int, list[int]] = {}
    for doc in [invoice, *credit_notes_of(session, invoice.id)]:
        for p in doc.vat_parts:
            net_vat = left.setdefault(p["rate_bp"], [0, 0])
            net_vat[0] += p["net"]
            net_vat[1] += p["vat"]
    return [VatPart(rate, -net, -vat) for rate, (net, vat) in sorted(left.items(), reverse=True)
            if net or vat]
