"""Shared A4 layout for business documents (order confirmation, delivery note, invoice, quote, reminder).

A document is first described as plain data (`Doc`), then drawn with reportlab's platypus:
seller header, facts box (numbers, dates), addresses, a line table, totals, VAT per rate, notes,
and a footer with the company's registration details on every page. Helvetica is a standard
PDF font with WinAnsi encoding, so å ä ö render and extract as text.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.company.models import Company
from core.money import format_amount, format_rate
from core.quantity import format_qty

FONT, BOLD = "Helvetica", "Helvetica-Bold"
BASE = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5)
SMALL = ParagraphStyle("small", parent=BASE, fontSize=7.5, leading=9.5)
TITLE = ParagraphStyle("title", parent=BASE, fontName=BOLD, fontSize=18, leading=22)
SELLER = ParagraphStyle("seller", parent=BASE, fontName=BOLD, fontSize=12, leading=15)
NOTE = ParagraphStyle("note", parent=BASE, fontName=BOLD)
GRID = colors.HexColor("#999999")
SHADE = colors.HexColor("#eeeeee")


@dataclass
class Seller:
    name: str
    org_number: str = ""
    vat_number: str | None = None
    address: list[str] = field(default_factory=list)
    phone: str | None = None
    email: str | None = None


@dataclass
class Doc:
    """What a document shows, as text; `render` draws it."""

    title: str
    seller: Seller
    #: (label, value) shown top right: numbers, dates, references
    facts: list[tuple[str, str]]
    #: (heading, lines) side by side: invoice address, delivery address
    addresses: list[tuple[str, list[str]]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: indexes of columns aligned right (numbers)
    numeric: set[int] = field(default_factory=set)
    #: relative column widths (sum 1); equal when empty
    widths: list[float] = field(default_factory=list)
    totals: list[tuple[str, str]] = field(default_factory=list)
    vat_rows: list[list[str]] = field(default_factory=list)
    #: bold lines under the table (legal wording, payment instructions)
    notes: list[str] = field(default_factory=list)
    intro: str | None = None


def seller_of(session: Session) -> Seller:
    company = session.scalars(select(Company).order_by(Company.id).limit(1)).first()
    if company is None:
        return Seller(name="")
    place = " ".join(p for p in (company.postal_code, company.city) if p)
    return Seller(company.name, company.org_number, company.vat_number,
                  [p for p in (company.address1, company.address2, place) if p],
                  company.phone, company.email)


def address_lines(address: dict | None, name: str | None = None) -> list[str]:
    if not address:
        return [name] if name else []
    place = " ".join(p for p in (address.get("postal_code"), address.get("city")) if p)
    country = address.get("country")
    lines = [address.get("name") or name, address.get("address1"), address.get("address2"), place,
             country if country and country != "SE" else None]
    return [ln for ln in lines if ln]


def money(minor: int) -> str:
    return format_amount(minor, thousands_sep=" ")


def qty(q: int) -> str:
    return format_qty(q)


def rate(bp: int) -> str:
    return f"{format_rate(bp)} %"


def day(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def vat_table(parts: list[dict], currency: str) -> list[list[str]]:
    """Rows 'Moms %', 'Underlag', 'Moms', 'Summa' from [{"rate_bp", "net", "vat"}]."""
    return [[rate(p["rate_bp"]), money(p["net"]), money(p["vat"]), money(p["net"] + p["vat"])]
            for p in parts]


def _p(text: str, style: ParagraphStyle = BASE) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _footer(doc: Doc):
    s = doc.seller
    parts = [s.name, ", ".join(s.address), f"Org.nr {s.org_number}" if s.org_number else "",
             f"Momsreg.nr {s.vat_number}" if s.vat_number else "", s.phone or "", s.email or ""]
    text = "  ·  ".join(p for p in parts if p)

    def draw(canvas, template):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setStrokeColor(GRID)
        canvas.line(template.leftMargin, 14 * mm, A4[0] - template.rightMargin, 14 * mm)
        canvas.drawString(template.leftMargin, 10 * mm, text)
        canvas.drawRightString(A4[0] - template.rightMargin, 10 * mm, f"Sida {canvas.getPageNumber()}")
        canvas.restoreState()

    return draw


def _header(doc: Doc, width: float) -> Table:
    seller = [_p(doc.seller.name, SELLER)] + [_p(ln) for ln in doc.seller.address]
    facts = Table([[_p(k, SMALL), _p(v)] for k, v in doc.facts], colWidths=[32 * mm, 48 * mm])
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    right = [_p(doc.title, TITLE), Spacer(1, 2 * mm), facts]
    table = Table([[seller, right]], colWidths=[width - 82 * mm, 82 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _addresses(doc: Doc, width: float) -> Table:
    cells = [[_p(head, SMALL)] + [_p(ln) for ln in lines] for head, lines in doc.addresses]
    return Table([cells], colWidths=[width / len(cells)] * len(cells),
                 style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])


def _lines(doc: Doc, width: float) -> Table:
    n = len(doc.columns)
    widths = [w * width for w in (doc.widths or [1 / n] * n)]
    data = [doc.columns] + doc.rows
    style = [("FONT", (0, 0), (-1, 0), BOLD, 8.5), ("FONT", (0, 1), (-1, -1), FONT, 8.5),
             ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.5, GRID),
             ("LINEBELOW", (0, -1), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i in sorted(doc.numeric)]
    return Table(data, colWidths=widths, repeatRows=1, style=style)


def _pairs(rows: list[tuple[str, str]], width: float, bold_last: bool = True) -> Table:
    style = [("ALIGN", (1, 0), (1, -1), "RIGHT"), ("FONT", (0, 0), (-1, -1), FONT, 9)]
    if bold_last:
        style += [("FONT", (0, -1), (-1, -1), BOLD, 10), ("LINEABOVE", (0, -1), (-1, -1), 0.5, GRID)]
    return Table([list(r) for r in rows], colWidths=[width - 35 * mm, 35 * mm], hAlign="RIGHT",
                 style=style)


def render(doc: Doc) -> bytes:
    """Draw the document on A4 and return the PDF bytes."""
    buf = io.BytesIO()
    template = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=15 * mm, bottomMargin=22 * mm, title=doc.title,
                                 author=doc.seller.name)
    width = template.width
    story = [_header(doc, width), Spacer(1, 8 * mm)]
    if doc.addresses:
        story += [_addresses(doc, width), Spacer(1, 6 * mm)]
    if doc.intro:
        story += [_p(doc.intro), Spacer(1, 4 * mm)]
    if doc.columns:
        story += [_lines(doc, width), Spacer(1, 4 * mm)]
    if doc.totals:
        story += [_pairs(doc.totals, 80 * mm), Spacer(1, 4 * mm)]
    if doc.vat_rows:
        vat = Table([["Moms %", "Underlag", "Moms", "Summa"]] + doc.vat_rows,
                    colWidths=[22 * mm, 28 * mm, 28 * mm, 28 * mm], hAlign="RIGHT",
                    style=[("FONT", (0, 0), (-1, 0), BOLD, 8), ("FONT", (0, 1), (-1, -1), FONT, 8),
                           ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                           ("LINEBELOW", (0, 0), (-1, 0), 0.5, GRID)])
        story += [vat, Spacer(1, 5 * mm)]
    story += [_p(n, NOTE) for n in doc.notes]
    draw = _footer(doc)
    template.build(story, onFirstPage=draw, onLaterPages=draw)
    return buf.getvalue()


PRICED_COLUMNS = ["Art.nr", "Benämning", "Antal", "À-pris", "Rabatt", "Moms", "Belopp"]
PRICED_WIDTHS = [0.14, 0.34, 0.09, 0.12, 0.08, 0.08, 0.15]
PRICED_NUMERIC = {2, 3, 4, 5, 6}


def priced_row(sku: str, name: str, q: int, unit_price: int, discount_bp: int, rate_bp: int,
               amount: int) -> list[str]:
    return [sku, name, qty(q), money(unit_price), f"{format_rate(discount_bp)} %" if discount_bp else "",
            rate(rate_bp), money(amount)]


def basis(prices_include_vat: bool) -> str:
    return "Priser inkl. moms" if prices_include_vat else "Priser exkl. moms"


def totals_rows(net: int, vat: int, gross: int, currency: str, last: str = "Att betala"
                ) -> list[tuple[str, str]]:
    return [("Summa exkl. moms", money(net)), ("Moms", money(vat)),
            (f"{last} ({currency})", money(gross))]
