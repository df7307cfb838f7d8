"""Ledger reports as tables, exported as PDF (reportlab platypus) and CSV: vouchers, general ledger,
trial balance, income statement, balance sheet, VAT return.

A report is first plain data (`LedgerTable`: title, period, columns, rows of text); `to_pdf` and
`to_csv` draw it. CSV is for Swedish spreadsheets: semicolons, decimal comma, UTF-8 with BOM.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import text

from core.ledger import reports
from core.ledger.vat_return import vat_return
from core.money import format_amount

FONT, BOLD = "Helvetica", "Helvetica-Bold"
BASE = ParagraphStyle("ledger", fontName=FONT, fontSize=8.5, leading=11)
TITLE = ParagraphStyle("ledger_title", parent=BASE, fontName=BOLD, fontSize=15, leading=19)


@dataclass
class LedgerTable:
    title: str
    period: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    #: indexes of right-aligned (number) columns
    numeric: tuple[int, ...] = ()
    company: str = ""
    #: row indexes drawn bold (headings, totals)
    bold: set[int] = field(default_factory=set)


def kr(minor: int) -> str:
    return format_amount(minor, thousands_sep=" ")


def _company(conn) -> str:
    row = conn.execute(text("SELECT name, org_number FROM company ORDER BY id LIMIT 1")).first()
    return f"{row[0]} ({row[1]})" if row else ""


def _period(start: dt.date, end: dt.date) -> str:
    return f"{start.isoformat()} – {end.isoformat()}"


def trial_balance_table(conn, start: dt.date, end: dt.date) -> LedgerTable:
    t = LedgerTable("Råbalans", _period(start, end),
                    ["Konto", "Benämning", "Ingående", "Debet", "Kredit", "Utgående"],
                    numeric=(2, 3, 4, 5), company=_company(conn))
    lines = reports.trial_balance(conn, start, end)
    for ln in lines:
        t.rows.append([str(ln.account), ln.name, kr(ln.opening), kr(ln.debit), kr(-ln.credit),
                       kr(ln.closing)])
    t.rows.append(["", "Summa", kr(sum(ln.opening for ln in lines)), kr(sum(ln.debit for ln in lines)),
                   kr(-sum(ln.credit for ln in lines)), kr(sum(ln.closing for ln in lines))])
    t.bold.add(len(t.rows) - 1)
    return t


def general_ledger_table(conn, account: int, start: dt.date, end: dt.date) -> LedgerTable:
    name = reports.account_names(conn).get(account, "")
    t = LedgerTable(f"Huvudbok {account} {name}", _period(start, end),
                    ["Datum", "Ver.nr", "Text", "Debet", "Kredit", "Saldo"], numeric=(3, 4, 5),
                    company=_company(conn))
    opening, entries = reports.general_ledger(conn, account, start, end)
    t.rows.append(["", "", "Ingående saldo", "", "", kr(opening)])
    for e in entries:
        t.rows.append([e.date.isoformat(), e.voucher, e.text, kr(e.amount) if e.amount > 0 else "",
                       kr(-e.amount) if e.amount < 0 else "", kr(e.balance)])
    return t


def _sections_table(t: LedgerTable, sections, total_label: str, total: int) -> LedgerTable:
    for s in sections:
        t.rows.append(["", s.heading, ""])
        t.bold.add(len(t.rows) - 1)
        t.rows += [[str(a), name, kr(v)] for a, name, v in s.lines]
        t.rows.append(["", f"Summa {s.heading.lower()}", kr(s.total)])
        t.bold.add(len(t.rows) - 1)
    t.rows.append(["", total_label, kr(total)])
    t.bold.add(len(t.rows) - 1)
    return t


def income_statement_table(conn, start: dt.date, end: dt.date) -> LedgerTable:
    sections, result = reports.income_statement(conn, start, end)
    t = LedgerTable("Resultaträkning", _period(start, end), ["Konto", "Benämning", "Belopp"],
                    numeric=(2,), company=_company(conn))
    return _sections_table(t, sections, "Beräknat resultat", result)


def balance_sheet_table(conn, on: dt.date) -> LedgerTable:
    sections, result = reports.balance_sheet(conn, on)
    t = LedgerTable("Balansräkning", f"per {on.isoformat()}", ["Konto", "Benämning", "Belopp"],
                    numeric=(2,), company=_company(conn))
    return _sections_table(t, sections, "Årets resultat (ej bokfört)", result)


def vouchers_table(conn, start: dt.date, end: dt.date) -> LedgerTable:
    t = LedgerTable("Verifikationslista", _period(start, end),
                    ["Ver.nr", "Datum", "Text / konto", "Debet", "Kredit"], numeric=(3, 4),
                    company=_company(conn))
    rows = conn.execute(text(
        "SELECT v.id, v.series, v.number, v.date, v.text, r.account, a.name, r.amount FROM voucher v "
        "JOIN voucher_row r ON r.voucher_id = v.id JOIN account a ON a.number = r.account "
        "WHERE v.date BETWEEN :s AND :e ORDER BY v.date, v.series, v.number, r.id"),
        {"s": start, "e": end})
    current = None
    for vid, series, number, day, vtext, account, name, amount in rows:
        if vid != current:
            t.rows.append([f"{series}{number}", str(day)[:10], vtext, "", ""])
            t.bold.add(len(t.rows) - 1)
            current = vid
        t.rows.append(["", "", f"{account} {name}", kr(amount) if amount > 0 else "",
                       kr(-amount) if amount < 0 else ""])
    return t


VAT_BOX_NAMES = {
    "05": "Momspliktig försäljning", "10": "Utgående moms 25 %", "11": "Utgående moms 12 %",
    "12": "Utgående moms 6 %", "20": "Inköp av varor från annat EU-land",
    "21": "Inköp av tjänster från annat EU-land", "22": "Inköp av tjänster från land utanför EU",
    "23": "Inköp av varor i Sverige (omvänd skattskyldighet)",
    "24": "Övriga inköp av tjänster (omvänd skattskyldighet)", "30": "Utgående moms 25 % (20–24)",
    "31": "Utgående moms 12 % (20–24)", "32": "Utgående moms 6 % (20–24)",
    "35": "Varuförsäljning till annat EU-land", "36": "Export av varor utanför EU",
    "37": "Mellanmans inköp vid trepartshandel", "38": "Mellanmans försäljning vid trepartshandel",
    "39": "Tjänster till näringsidkare i annat EU-land", "40": "Övrig försäljning av tjänster utomlands",
    "41": "Försäljning där köparen är skattskyldig i Sverige", "42": "Övrig momsfri försäljning",
    "48": "Ingående moms att dra av", "49": "Moms att betala eller få tillbaka",
    "50": "Beskattningsunderlag vid import", "60": "Utgående moms 25 % (import)",
    "61": "Utgående moms 12 % (import)", "62": "Utgående moms 6 % (import)",
}


def vat_return_table(conn, start: dt.date, end: dt.date) -> LedgerTable:
    ret = vat_return(conn, start, end)
    t = LedgerTable("Momsdeklaration", _period(start, end), ["Ruta", "Benämning", "Belopp"],
                    numeric=(2,), company=_company(conn))
    t.rows = [[box, VAT_BOX_NAMES.get(box, ""), kr(v)] for box, v in ret.boxes.items()]
    t.bold.add(list(ret.boxes).index("49"))
    return t


def to_csv(table: LedgerTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:  # numbers without thousands spaces, so spreadsheets read them
        writer.writerow([c.replace(" ", "") if i in table.numeric else c for i, c in enumerate(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_pdf(table: LedgerTable) -> bytes:
    buf = io.BytesIO()
    wide = len(table.columns) > 4
    size = landscape(A4) if wide else A4
    doc = SimpleDocTemplate(buf, pagesize=size, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=table.title)
    cell = lambda s, b=False: Paragraph(escape(s), ParagraphStyle("c", parent=BASE,
                                                                  fontName=BOLD if b else FONT))
    data = [[cell(c, True) for c in table.columns]]
    for i, row in enumerate(table.rows):
        data.append([cell(c, i in table.bold) if j not in table.numeric else c
                     for j, c in enumerate(row)])
    grid = Table(data, repeatRows=1)
    style = [("FONT", (0, 0), (-1, -1), FONT, 8.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]
    style += [("ALIGN", (j, 0), (j, -1), "RIGHT") for j in table.numeric]
    style += [("FONT", (0, i + 1), (-1, i + 1), BOLD, 8.5) for i in table.bold]
    grid.setStyle(TableStyle(style))
    story = [Paragraph(escape(table.title), TITLE),
             Paragraph(escape(" · ".join(p for p in (table.company, table.period) if p)), BASE),
             Spacer(1, 5 * mm), grid]
    doc.build(story)
    return buf.getvalue()
