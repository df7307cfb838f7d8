"""Quote (offert) PDF: number, validity date, priced lines, totals and VAT per rate."""

from __future__ import annotations

from sqlalchemy.orm import Session

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
from core.orders.quotes import get_quote, quote_lines


def quote_doc(session: Session, quote_id: str) -> Doc:
    quote = get_quote(session, quote_id)
    lines = quote_lines(session, quote.id)
    parts = summarise([(ln.amount, ln.vat_rate_bp) for ln in lines], quote.prices_include_vat)[3]
    facts = [("Offertnummer", str(quote.number)), ("Offertdatum", day(quote.quote_date)),
             ("Giltig till", day(quote.valid_until)), ("Kund", quote.customer_name),
             ("Betalningsvillkor", f"{quote.payment_terms_days} dagar netto")]
    notes = [t for t in (legal_text(quote.vat_treatment), quote.note) if t]
    return Doc(
        title="Offert", seller=seller_of(session), facts=facts,
        addresses=[("Kund", address_lines(quote.invoice_address, quote.customer_name))],
        intro=f"Vi har nöjet att offerera enligt nedan. Offerten gäller till och med "
              f"{day(quote.valid_until)}. {basis(quote.prices_include_vat)}.",
        columns=PRICED_COLUMNS, widths=PRICED_WIDTHS, numeric=PRICED_NUMERIC,
        rows=[priced_row(ln.sku, ln.name, ln.qty, ln.unit_price, ln.discount_bp, ln.vat_rate_bp,
                         ln.amount) for ln in lines],
        totals=totals_rows(quote.total_net, quote.total_vat, quote.total_gross, quote.currency,
                           "Totalt"),
        vat_rows=vat_table([{"rate_bp": p.rate_bp, "net": p.net, "vat": p.vat} for p in parts],
                           quote.currency),
        notes=notes)


def quote_pdf(session: Session, quote_id: str) -> bytes:
    return render(quote_doc(session, quote_id))
