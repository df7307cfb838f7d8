"""Stock count variance and stock valuation change → stock 1460 against change in stock 4960 (series F).

A count posts its variance at average cost (a loss is a credit on 1460). The valuation voucher
brings 1460 to the stock's value at average cost on a day: the change is value − book value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.ledger.posting import Row, VoucherDraft


@dataclass(frozen=True)
class StockCountFacts:
    count_id: str
    number: int
    date: dt.date
    value_change: int


def stock_count_voucher(f: StockCountFacts, roles: dict[str, int]) -> VoucherDraft:
    rows = [Row(roles["stock"], f.value_change), Row(roles["stock_change"], -f.value_change)]
    return VoucherDraft("F", f.date, f"Inventering {f.number}", rows, "stock_count", f.count_id)


@dataclass(frozen=True)
class StockValuationFacts:
    date: dt.date
    stock_value: int
    book_value: int


def stock_valuation_voucher(f: StockValuationFacts, roles: dict[str, int]) -> VoucherDraft:
    change = f.stock_value - f.book_value
    rows = [Row(roles["stock"], change), Row(roles["stock_change"], -change)]
    return VoucherDraft("F", f.date, f"Lagervärdering {f.date.isoformat()}", rows,
                        "stock_valuation", f.date.isoformat())
