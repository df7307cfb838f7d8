"""OSS report: EU distance sales to consumers per buyer country and rate, from the tagged 3106/2670 rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text

from core.ledger.chart import DEFAULT_ROLES


@dataclass(frozen=True)
class OssLine:
    country: str
    rate_bp: int
    net: int
    vat: int


def quarter(year: int, q: int) -> tuple[dt.date, dt.date]:
    """The calendar quarter OSS is declared for: quarter(2026, 2) → (2026-04-01, 2026-06-30)."""
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return start, end


def oss_report(conn, start: dt.date, end: dt.date, roles: dict[str, int] = DEFAULT_ROLES
               ) -> list[OssLine]:
    """Net sales and VAT (öre, SEK) per (country, rate) in [start, end], credit notes netted."""
    sales, vat = roles["oss_sales"], roles["oss_vat"]
    rows = conn.execute(text(
        "SELECT country, rate_bp, account, SUM(amount) FROM voucher_row "
        "WHERE booked_on BETWEEN :s AND :e AND account IN (:a, :v) AND country IS NOT NULL "
        "GROUP BY country, rate_bp, account"), {"s": start, "e": end, "a": sales, "v": vat})
    out: dict[tuple[str, int], list[int]] = {}
    for country, rate, account, total in rows:
        part = out.setdefault((country, int(rate or 0)), [0, 0])
        part[0 if account == sales else 1] -= int(total)
    return [OssLine(c, r, net, v) for (c, r), (net, v) in sorted(out.items())]
