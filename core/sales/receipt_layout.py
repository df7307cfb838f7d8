"""Receipts and X/Z reports as a layout: a pure function from the stored receipt to styled lines.

The same layout becomes ESC/POS bytes (`core.hardware.printer`), a PDF
(`core.documents.receipt_pdf`) and plain text (`to_text`). A receipt carries every item of the
Swedish rules: company and org. no., address, date and time, receipt number, register identity,
each article/service with quantity and amount incl. VAT, total, VAT per rate, payment methods,
the control unit's serial and control code; "KOPIA" / "ÖVNING" in double height.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.money import format_amount, format_rate
from core.quantity import format_qty

WIDTH = 42
METHOD_NAMES = {"cash": "Kontant", "card": "Kort", "swish": "Swish", "gift_card": "Presentkort",
                "voucher": "Tillgodokvitto"}


@dataclass(frozen=True)
class Line:
    """One element: text (with style), a rule, a QR code or barcode of `text`."""

    text: str = ""
    bold: bool = False
    double: bool = False
    align: str = "left"
    kind: str = "text"  # text | rule | qr | barcode


def money(minor: int) -> str:
    return format_amount(minor, thousands_sep=" ")


def local_time(at: dt.datetime | str, tz: str = "Europe/Stockholm") -> dt.datetime:
    """Naive UTC (as stored) → the shop's local time for printing."""
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    try:
        from zoneinfo import ZoneInfo
        return at.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    except Exception:  # no time zone data on this machine: print UTC rather than nothing
        return at


def pair(left: str, right: str, width: int = WIDTH) -> str:
    """Left text and a right-aligned amount on one line (the left cut when it does not fit)."""
    room = width - len(right) - 1
    return f"{left[:room]:<{room}} {right}"


def receipt_code(register_code: str, number: int) -> str:
    """What the barcode/QR on a receipt holds; a return scans it to find the receipt."""
    return f"{register_code}/{number}"


def parse_receipt_code(text: str) -> tuple[str, int] | None:
    code, _, number = text.strip().rpartition("/")
    return (code, int(number)) if code and number.isdigit() else None


def _head(header: dict, width: int) -> list[Line]:
    out = [Line(header.get("company") or "", bold=True, align="center"),
           Line(f"Org.nr {header.get('org_number') or ''}", align="center")]
    for key in ("store", "address"):
        if header.get(key):
            out.append(Line(header[key], align="center"))
    if header.get("phone"):
        out.append(Line(f"Tel {header['phone']}", align="center"))
    return out


def receipt_layout(body: dict, header: dict, *, copy: bool = False, electronic: bool = False,
                   width: int = WIDTH) -> list[Line]:
    """The receipt as lines; `header` is the snapshot stored with the receipt."""
    out = _head(header, width)
    if copy:
        out.append(Line("KOPIA", bold=True, double=True, align="center"))
    if body["kind"] == "training":
        out.append(Line("ÖVNING", bold=True, double=True, align="center"))
        out.append(Line("Övningskvitto – ej giltigt kvitto", align="center"))
    if body["kind"] == "return":
        out.append(Line("RETURKVITTO", bold=True, double=True, align="center"))
    when = local_time(body["created_at"])
    out += [Line(kind="rule"),
            Line(pair("Kvitto nr", str(body["number"]), width)),
            Line(pair("Kassa", body["register_code"], width)),
            Line(pair("Datum", when.strftime("%Y-%m-%d %H:%M"), width))]
    if header.get("cashier"):
        out.append(Line(pair("Kassör", header["cashier"], width)))
    out.append(Line(kind="rule"))
    services = set(header.get("service_lines") or [])
    for i, ln in enumerate(body["lines"]):
        name = ln["name"] + (" (tjänst)" if i in services else "")
        if ln["qty"] < 0:
            name = "Retur: " + name
        out.append(Line(pair(name, money(ln["amount"]), width)))
        if ln["qty"] != 1000 or ln["discount"]:
            detail = f"  {format_qty(ln['qty'])} x {money(ln['unit_price'])}"
            if ln["discount"]:
                detail += f", rabatt {money(ln['discount'])}"
            out.append(Line(detail[:width]))
    for card in body.get("gift_cards", []):
        out.append(Line(pair(f"Presentkort {card['code']}", money(card["amount"]), width)))
    out += [Line(kind="rule"),
            Line(pair(f"TOTALT {body['currency']}", money(body["total"]), width // 2), bold=True,
                 double=True)]
    if body["cash_rounding"]:
        out.append(Line(pair("Öresavrundning", money(body["cash_rounding"]), width)))
        out.append(Line(pair("Att betala", money(body["total"] + body["cash_rounding"]), width)))
    out.append(Line(""))
    out.append(Line(pair("Moms %   Moms       Netto", "Brutto", width)))
    for part in body["vat"]:
        gross = part["net"] + part["vat"]
        out.append(Line(pair(f"{format_rate(part['rate_bp']):>6} {money(part['vat']):>7} "
                             f"{money(part['net']):>11}", money(gross), width)))
    vat_total = sum(p["vat"] for p in body["vat"])
    out.append(Line(pair("Varav moms", money(vat_total), width)))
    out.append(Line(""))
    for p in body["payments"]:
        label = METHOD_NAMES.get(p["method"], p["method"])
        if p.get("reference"):
            label += f" {p['reference']}"
        out.append(Line(pair(label, money(p["amount"]), width)))
    if header.get("change"):
        out.append(Line(pair("Växel", money(header["change"]), width)))
    out += [Line(kind="rule"),
            Line(f"Kontrollenhet: {header.get('control_serial', '')}"),
            Line(f"Kontrollkod: {body['control_code']}")]
    if electronic:
        out.append(Line("Elektroniskt kassakvitto", bold=True, align="center"))
    out += [Line(receipt_code(body["register_code"], body["number"]), kind="barcode", align="center"),
            Line("Tack för ditt köp!", align="center")]
    return out


def report_layout(report: dict, width: int = WIDTH) -> list[Line]:
    """An X- or Z-dagrapport as lines."""
    r = report
    out = [Line(r.get("company") or "", bold=True, align="center"),
           Line(f"Org.nr {r.get('org_number') or ''}", align="center"),
           Line(r["title"], bold=True, double=True, align="center")]
    if r.get("z_no") is not None:
        out.append(Line(f"Z-nummer {r['z_no']}", bold=True, double=True, align="center"))
    out += [Line(pair("Kassa", r["register_code"], width)),
            Line(pair("Datum", local_time(r["created_at"]).strftime("%Y-%m-%d %H:%M"), width)),
            Line(kind="rule")]

    def amt(label: str, minor: int) -> None:
        out.append(Line(pair(label, money(minor), width)))

    def cnt(label: str, count: int, minor: int | None = None) -> None:
        right = str(count) if minor is None else f"{count} st  {money(minor)}"
        out.append(Line(pair(label, right, width)))

    amt("Total försäljning", r["sales_total"])
    amt("Nettoförsäljning", r["net_total"])
    for group, value in r["groups"].items():
        amt(f"  Grupp {group}", value)
    for part in r["vat"]:
        amt(f"Moms {format_rate(part['rate_bp'])} % (netto {money(part['net'])})", part["vat"])
    amt("Växelkassa", r["float"])
    out.append(Line(pair("Antal sålda varor", format_qty(r["goods_qty"]), width)))
    out.append(Line(pair("Antal sålda tjänster", format_qty(r["services_qty"]), width)))
    cnt("Antal kvitton", r["receipts"])
    cnt("Lådöppningar utan försäljning", r["drawer_openings"])
    cnt("Kvittokopior", r["copies"]["count"], r["copies"]["amount"])
    cnt("Övningskvitton", r["training"]["count"], r["training"]["amount"])
    out.append(Line("Betalsätt", bold=True))
    for method, value in r["payments"].items():
        amt(f"  {METHOD_NAMES.get(method, method)}", value)
    cnt("Returer", r["returns"]["count"], r["returns"]["amount"])
    cnt("Rabatter", r["discounts"]["count"], r["discounts"]["amount"])
    cnt("Övriga minskningar", r["other_reductions"]["count"], r["other_reductions"]["amount"])
    cnt("Ej avslutade köp", r["unfinished"]["count"], r["unfinished"]["amount"])
    amt("Öresavrundning", r["cash_rounding"])
    amt("Sålda presentkort", r["gift_cards_sold"])
    out.append(Line(kind="rule"))
    amt("Grand total försäljning", r["grand_total_sales"])
    amt("Grand total returer", r["grand_total_returns"])
    amt("Grand total netto", r["grand_total_net"])
    return out


def to_text(layout: list[Line], width: int = WIDTH) -> str:
    """Plain text (e-receipt by mail, logs): double lines stay single, codes print their value."""
    rows = []
    for ln in layout:
        if ln.kind == "rule":
            rows.append("-" * width)
        elif ln.align == "center":
            rows.append(ln.text.center(width).rstrip())
        elif ln.align == "right":
            rows.append(ln.text.rjust(width))
        else:
            rows.append(ln.text)
    return "\n".join(rows) + "\n"
