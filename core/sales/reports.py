"""X-dagrapport (any time) and Z-dagrapport (day close) from the register's running totals.

Neither rescans receipts: they read `register_counter`, so a Z after 10,000 receipts costs the same
as after one. A Z takes the next number of its own unbroken series, stores the report, resets the
day's totals (the grand totals are perpetual), is journaled and goes to the outbox.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from core.db.base import utcnow
from core.sales import journal
from core.sales.counters import DayTotals
from core.sales.models import RegisterCounters, ZReport
from core.sales.register import RegisterInfo
from core.sync.outbox import enqueue

TITLES = {"X": "X-dagrapport", "Z": "Z-dagrapport"}


def report_body(kind: str, register: RegisterInfo, head: RegisterCounters, at: dt.datetime,
                z_no: int | None = None) -> dict:
    """Every item sweden.md lists for X and Z, as integers (öre, thousandths, counts)."""
    day = DayTotals.load(head.day)
    h = register.header
    return {
        "type": kind, "title": TITLES[kind], "z_no": z_no,
        "company": h.get("company"), "org_number": h.get("org_number"),
        "store": h.get("store"), "address": h.get("address"),
        "register_code": register.code, "created_at": at.isoformat(),
        "day_started_at": head.day_started_at.isoformat() if head.day_started_at else None,
        "first_receipt": day.first_receipt, "last_receipt": day.last_receipt,
        "sales_total": day.sales, "net_total": day.net,
        "groups": dict(sorted(day.groups.items())),
        "vat": [{"rate_bp": int(rate), "net": nv[0], "vat": nv[1]}
                for rate, nv in sorted(day.vat.items(), key=lambda kv: -int(kv[0]))],
        "float": day.float_amount, "float_changes": day.float_changes,
        "goods_qty": day.goods_qty, "services_qty": day.services_qty,
        "receipts": day.receipts, "drawer_openings": day.drawer_openings,
        "copies": {"count": day.copies, "amount": day.copies_amount},
        "training": {"count": day.training, "amount": day.training_amount},
        "payments": dict(sorted(day.payments.items())),
        "returns": {"count": day.returns_count, "amount": day.returns_amount},
        "discounts": {"count": day.discounts_count, "amount": day.discounts},
        "other_reductions": {"count": day.other_reductions_count, "amount": day.other_reductions},
        "unfinished": {"count": day.unfinished, "amount": day.unfinished_amount},
        "cash_rounding": day.cash_rounding, "gift_cards_sold": day.gift_cards_sold,
        "grand_total_sales": head.grand_sales, "grand_total_returns": head.grand_returns,
        "grand_total_net": head.grand_sales - head.grand_returns,
    }


def x_report(session: Session, register: RegisterInfo, *, cashier: str | None = None,
             at: dt.datetime | None = None) -> dict:
    """The X-report now; journaled (the caller commits)."""
    at = at or utcnow()
    head = journal.counters(session, register.id)
    body = report_body("X", register, head, at)
    journal.append(session, register.id, "x_report",
                   {"cashier": cashier, "sales_total": body["sales_total"],
                    "receipts": body["receipts"]}, at=at)
    return body


def z_report(session: Session, register: RegisterInfo, *, cashier: str | None = None,
             at: dt.datetime | None = None) -> dict:
    """Close the day: next Z number, report stored, day totals reset; the caller commits."""
    at = at or utcnow()
    head = journal.counters(session, register.id)
    z_no = head.next_z_no
    body = report_body("Z", register, head, at, z_no)
    session.add(ZReport(register_id=register.id, z_no=z_no, created_at=at, body=body))
    head.next_z_no = z_no + 1
    # the float stays in the drawer: it carries over as the next day's registered float
    head.day = DayTotals(float_amount=DayTotals.load(head.day).float_amount).dump()
    head.day_started_at = None
    journal.append(session, register.id, "z_report",
                   {"z_no": z_no, "cashier": cashier, "sales_total": body["sales_total"],
                    "net_total": body["net_total"], "receipts": body["receipts"],
                    "grand_total_net": body["grand_total_net"]}, at=at)
    enqueue(session, "z_report", body)
    return body
