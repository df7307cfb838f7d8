"""Order confirmation PDF: our order number and the channel's, lines with VAT, totals, VAT per rate."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.company.models import Channel
from core.documents.layout import (
    PRICED_COLUMNS,
    PRICED_NUMERIC,
    PRICED_WIDTHS,
    Doc,
    address_lines,
    basis,
    day,
    priced_row,
    render,
    seller_of,
    totals_rows,
    vat_table,
)
from core.invoicing.service import legal_text
from core.orders.pricing import summarise
from core.orders.service import get_order, lines_of

PAYMENT_SV = {"invoice": "Faktura", "klarna": "Klarna", "nets": "Nets Easy", "card": "Kort",
              "swish": "Swish", "cash": "Kontant", "prepaid": "Förskott"}


def order_doc(session: Session, order_id: str) -> Doc:
    order = get_order(session, order_id)
    channel = session.get(Channel, order.channel_id)
    lines = lines_of(session, order.id)
    facts = [("Ordernummer", str(order.number))]
    if order.channel_order_no:
        facts.append((f"{channel.name} ordernr", order.channel_order_no))
    facts += [("Orderdatum", day(order.order_date)), ("Kund", order.customer_name),
              ("Betalning", PAYMENT_SV.get(order.payment_provider, order.payment_provider))]
    if order.customer_reference:
        facts.append(("Er referens", order.customer_reference))
    if order.buyer_vat_number:
        facts.append(("Ert momsreg.nr", order.buyer_vat_number))
    _n, _v, _g, parts = summarise([(ln.amount, ln.vat_rate_bp) for ln in lines],
                                  order.prices_include_vat)
    notes = [t for t in (legal_text(order.vat_treatment),) if t]
    return Doc(
        title="Orderbekräftelse", seller=seller_of(session), facts=facts,
        addresses=[("Fakturaadress", address_lines(order.invoice_address, order.customer_name)),
                   ("Leveransadress", address_lines(order.delivery_address, order.customer_name))],
        intro=f"Tack för din beställning! {basis(order.prices_include_vat)}.",
        columns=PRICED_COLUMNS, widths=PRICED_WIDTHS, numeric=PRICED_NUMERIC,
        rows=[priced_row(ln.sku, ln.name, ln.qty, ln.unit_price, ln.discount_bp, ln.vat_rate_bp,
                         ln.amount) for ln in lines],
        totals=totals_rows(order.total_net, order.total_vat, order.total_gross, order.currency,
                           "Totalt"),
        vat_rows=vat_table([{"rate_bp": p.rate_bp, "net": p.net, "vat": p.vat} for p in parts],
                           order.currency),
        notes=notes)


def order_confirmation_pdf(session: Session, order_id: str) -> bytes:
    return render(order_doc(session, order_id))
