"""Purchase order PDF for the supplier: number, dates, supplier and delivery address (the customer's
for drop shipping), lines with our and the supplier's article numbers, total excl. VAT.

API: purchase_order_doc(session, po_id) -> Doc ; purchase_order_pdf(session, po_id) -> bytes
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.documents.layout import Doc, address_lines, day, money, qty, render, seller_of
from core.inventory.models import Location
from core.purchasing.orders import get_po, po_lines
from core.purchasing.suppliers import get_supplier

COLUMNS = ["Art.nr", "Lev. art.nr", "Benämning", "Antal", "À-pris", "Belopp"]
WIDTHS = [0.14, 0.14, 0.34, 0.1, 0.13, 0.15]


def purchase_order_doc(session: Session, po_id: int) -> Doc:
    po = get_po(session, po_id)
    supplier = get_supplier(session, po.supplier_id)
    seller = seller_of(session)
    facts = [("Inköpsorder", str(po.number)), ("Orderdatum", day(po.order_date))]
    if po.expected_date:
        facts.append(("Önskad leverans", day(po.expected_date)))
    if supplier.our_customer_no:
        facts.append(("Vårt kundnr", supplier.our_customer_no))
    if po.supplier_reference:
        facts.append(("Er referens", po.supplier_reference))
    facts.append(("Valuta", po.currency))
    supplier_lines = address_lines({"address1": supplier.address1, "postal_code": supplier.postal_code,
                                    "city": supplier.city, "country": supplier.country},
                                   supplier.name)
    if supplier_lines and supplier_lines[0] != supplier.name:
        supplier_lines.insert(0, supplier.name)
    if po.drop_ship:
        deliver_to = ("Leveransadress (direkt till kund)", address_lines(po.ship_to))
    else:
        location = session.get(Location, po.location_id)
        deliver_to = ("Leveransadress", [seller.name, location.name] + seller.address[:])
    rows = [[ln.sku, ln.supplier_sku or "", ln.name, qty(ln.qty), money(ln.unit_price),
             money(ln.amount)] for ln in po_lines(session, po.id)]
    notes = []
    if po.drop_ship:
        notes.append("Direktleverans: skicka varorna till kunden ovan och meddela "
                     "spårningsnummer.")
    if po.note:
        notes.append(po.note)
    return Doc(title="Inköpsorder", seller=seller, facts=facts,
               addresses=[("Leverantör", supplier_lines), deliver_to],
               columns=COLUMNS, rows=rows, numeric={3, 4, 5}, widths=WIDTHS,
               totals=[(f"Summa exkl. moms ({po.currency})", money(po.total))], notes=notes)


def purchase_order_pdf(session: Session, po_id: int) -> bytes:
    return render(purchase_order_doc(session, po_id))
