"""Count list PDF for a stock count: one row per product with space to write the counted quantity.

API: count_list_doc(session, count_id, blind=True, uncounted_only=False) -> Doc ;
     count_list_pdf(session, count_id, blind=True, uncounted_only=False) -> bytes
A blind list leaves out the book quantity so counters count what they see.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.documents.layout import Doc, day, qty, render, seller_of
from core.inventory.counts import count_rows, get_count
from core.inventory.models import Location

SCOPE_SV = {"full": "Hela lagret", "partial": "Urval"}


def count_list_doc(session: Session, count_id: int, blind: bool = True,
                   uncounted_only: bool = False) -> Doc:
    count = get_count(session, count_id)
    location = session.get(Location, count.location_id)
    rows = count_rows(session, count.id, only_uncounted=uncounted_only)
    if blind:
        columns, widths, numeric = ["Art.nr", "Benämning", "Räknat"], [0.2, 0.55, 0.25], {2}
        table = [[r.sku, r.name, "" if r.counted_qty is None else qty(r.counted_qty)]
                 for r in rows]
    else:
        columns = ["Art.nr", "Benämning", "Bokfört", "Räknat"]
        widths, numeric = [0.2, 0.45, 0.15, 0.2], {2, 3}
        table = [[r.sku, r.name, qty(r.expected_qty),
                  "" if r.counted_qty is None else qty(r.counted_qty)] for r in rows]
    facts = [("Inventering", str(count.number)), ("Lagerställe", f"{location.code} {location.name}"),
             ("Datum", day(count.count_date)), ("Omfattning", SCOPE_SV[count.scope]),
             ("Rader", str(len(rows)))]
    return Doc(title="Inventeringslista", seller=seller_of(session), facts=facts, columns=columns,
               rows=table, numeric=numeric, widths=widths,
               notes=["Räknat av: ____________________   Kontrollerat av: ____________________"])


def count_list_pdf(session: Session, count_id: int, blind: bool = True,
                   uncounted_only: bool = False) -> bytes:
    return render(count_list_doc(session, count_id, blind, uncounted_only))
