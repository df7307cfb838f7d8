"""VAT return (momsdeklaration) by box, computed from the tagged ledger rows; the VAT settlement voucher.

Each voucher row carries the box its amount counts in (from its account's default or set by the
posting rule where the account alone does not tell). A box is one indexed aggregate over the
period's rows: sales and output VAT are credits (shown positive), purchase bases and input VAT
debits. Box 49 = (10+11+12+30+31+32+60+61+62) − 48. Figures are in öre; `in_kronor` drops the
öre as the form wants whole kronor. OSS sales (3106/2670) are not in any box: see `oss`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.ledger.chart import roles as account_roles
from core.ledger.posting import Row, VoucherDraft

BOXES = ("05", "10", "11", "12", "20", "21", "22", "23", "24", "30", "31", "32", "35", "36", "37",
         "38", "39", "40", "41", "42", "48", "49", "50", "60", "61", "62")
#: boxes whose rows are debits (purchases and input VAT); the rest are credits
DEBIT_BOXES = frozenset({"20", "21", "22", "23", "24", "48", "50"})
OUTPUT_VAT_BOXES = ("10", "11", "12", "30", "31", "32", "60", "61", "62")
SETTLED_BOXES = OUTPUT_VAT_BOXES + ("48",)


@dataclass(frozen=True)
class VatReturn:
    start: dt.date
    end: dt.date
    boxes: dict[str, int]

    @property
    def to_pay(self) -> int:
        """Box 49: positive = VAT to pay, negative = to reclaim (öre)."""
        return self.boxes["49"]

    def in_kronor(self) -> dict[str, int]:
        """Whole kronor as the form takes them (öre dropped); box 49 from the rounded boxes."""
        out = {b: (v // 100 if v >= 0 else -(-v // 100)) for b, v in self.boxes.items()}
        out["49"] = box_49(out)
        return out

    def as_dict(self) -> dict:
        return {"period_start": self.start.isoformat(), "period_end": self.end.isoformat(),
                "boxes": dict(self.boxes), "kronor": self.in_kronor()}


def box_49(boxes: dict[str, int]) -> int:
    return sum(boxes.get(b, 0) for b in OUTPUT_VAT_BOXES) - boxes.get("48", 0)


def month(period: str) -> tuple[dt.date, dt.date]:
    """'2026-04' → (2026-04-01, 2026-04-30)."""
    try:
        year, mon = (int(p) for p in period.split("-"))
        start = dt.date(year, mon, 1)
    except (ValueError, TypeError):
        raise ValidationError(f"{period!r} is not a month", field="period",
                              hint="write YYYY-MM, e.g. 2026-04") from None
    return start, dt.date(year, mon, calendar.monthrange(year, mon)[1])


def box_sums(conn, start: dt.date, end: dt.date) -> dict[str, int]:
    """Σ amount per VAT box over the period's rows (raw signs)."""
    rows = conn.execute(text(
        "SELECT vat_box, SUM(amount) FROM voucher_row WHERE booked_on BETWEEN :s AND :e "
        "AND vat_box IS NOT NULL GROUP BY vat_box"), {"s": start, "e": end})
    return {box: int(total) for box, total in rows}


def vat_return(conn, start: dt.date, end: dt.date) -> VatReturn:
    """The VAT return for [start, end] (a Session or Connection)."""
    sums = box_sums(conn, start, end)
    boxes = {b: 0 for b in BOXES}
    for box, total in sums.items():
        if box in boxes:
            boxes[box] = total if box in DEBIT_BOXES else -total
    boxes["49"] = box_49(boxes)
    return VatReturn(start, end, boxes)


def settlement_voucher(session: Session, start: dt.date, end: dt.date) -> VoucherDraft:
    """The VAT settlement for the period: each VAT account's period amount moved to 2650.

    Its rows carry no box, so the return for the period reads the same after it is posted; 2650
    then holds box 49 as a credit (VAT to pay) or a debit (to reclaim).
    """
    roles = account_roles(session)
    marks = ", ".join(f"'{b}'" for b in SETTLED_BOXES)
    per_account = session.execute(text(
        "SELECT account, SUM(amount) FROM voucher_row WHERE booked_on BETWEEN :s AND :e "
        f"AND vat_box IN ({marks}) GROUP BY account ORDER BY account"), {"s": start, "e": end}).all()
    rows = [Row(account, -int(total), vat_box=None) for account, total in per_account if total]
    rows.append(Row(roles["vat_settlement"], -sum(r.amount for r in rows), vat_box=None))
    return VoucherDraft("V", end, f"Momsredovisning {start.isoformat()} - {end.isoformat()}", rows,
                        "vat_settlement", f"{start.isoformat()}:{end.isoformat()}")
