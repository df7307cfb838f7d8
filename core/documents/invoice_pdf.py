"""Invoice and credit note PDF: numbers, OCR, due date, order numbers, lines, VAT per rate, legal wording."""

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
    money,
    priced_row,
    render,
    seller_of,
    totals_rows,
    vat_table,
)
from core.invoicing.service import get_invoice, lines_of

PROVIDER_SV = {"klarna": "Klarna", "nets": "Nets Easy", "card": "kort", "swish": "Swish"}


def invoice_doc(session: Session, invoice_id: str, bankgiro: str | None = None) -> Doc:
    inv = get_invoice(session, invoice_id)
    credit = inv.kind == "credit_note"
    facts = [("Kreditfakturanr" if credit else "Fakturanummer", str(inv.number)),
             ("Fakturadatum", day(inv.invoice_date))]
    if credit:
        original = get_invoice(session, inv.credited_invoice_id)
        facts.append(("Krediterar faktura", str(original.number)))
    else:
        facts += [("Förfallodatum", day(inv.due_date)), ("OCR-nummer", inv.ocr),
                  ("Betalningsvillkor", f"{inv.payment_terms_days} dagar netto")]
    if inv.order_number is not None:
        facts.append(("Ordernummer", str(inv.order_number)))
    if inv.channel_order_no:
        facts.append(("Webbordernr", inv.channel_order_no))
    if inv.customer_reference:
        facts.append(("Er referens", inv.customer_reference))
    if inv.buyer_vat_number:
        facts.append(("Ert momsreg.nr", inv.buyer_vat_number))
    notes = []
    if inv.legal_text:
        notes.append(inv.legal_text)
    if inv.paid_by_provider and not credit:
        notes.append(f"Betald via {PROVIDER_SV.get(inv.paid_by_provider, inv.paid_by_provider)} "
                     "– denna faktura ska inte betalas.")
    elif not credit:
        to = f" till bankgiro {bankgiro}" if bankgiro else ""
        notes.append(f"Betala {money(inv.total_gross)} {inv.currency}{to} senast "
                     f"{day(inv.due_date)} och ange OCR-nummer {inv.ocr}.")
    if inv.note:
        notes.append(inv.note)
    return Doc(
        title="Kreditfaktura" if credit else "Faktura", seller=seller_of(session), facts=facts,
        addresses=[("Fakturaadress", address_lines(inv.invoice_address, inv.customer_name)),
                   ("Leveransadress", address_lines(inv.delivery_address, inv.customer_name))],
        intro=basis(inv.prices_include_vat) + ".",
        columns=PRICED_COLUMNS, widths=PRICED_WIDTHS, numeric=PRICED_NUMERIC,
        rows=[priced_row(ln.sku, ln.name, ln.qty, ln.unit_price, ln.discount_bp, ln.vat_rate_bp,
                         ln.amount) for ln in lines_of(session, inv.id)],
        totals=totals_rows(inv.total_net, inv.total_vat, inv.total_gross, inv.currency,
                           "Att återfå" if credit else "Att betala"),
        vat_rows=vat_table(inv.vat_parts, inv.currency), notes=notes)


def invoice_pdf(session: Session, invoice_id: str, bankgiro: str | None = None) -> bytes:
    """The invoice (or credit note) as PDF bytes."""
    return render(invoice_doc(session, invoice_id, bankgiro))
