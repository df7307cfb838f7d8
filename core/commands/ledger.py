"""Back-office commands: ledger — manual vouchers, reversals, the VAT settlement, the period lock, posting, SIE import, accounts.

Thin adapters over core.ledger: JSON arguments checked and named, the use case called, a small
JSON result (a voucher as its id and reference "M12"). Everything the Ledger tab shows is read
from the workstation's replica (the ledger tables are in the office scope), so there are no
queries here; only the changes, which the server alone makes: a voucher number is handed out
where the whole series lives.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.commands import as_date, as_int, command
from core.errors import ValidationError

AREA = "ledger"
#: what a manual voucher's row may hold
ROW_KEYS = ("account", "amount", "text")
#: the largest SIE file taken (base64 decoded): a chart and opening balances are far smaller
MAX_SIE_BYTES = 50 * 1024 * 1024


# ------------------------------------------------------------------ argument checks

def _text(value: Any, field: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text, not {value!r}", field=field)
    return value


def _day(value: Any, field: str) -> dt.date:
    """A required ISO date."""
    if value is None:
        raise ValidationError(f"{field} needs a date", field=field, hint="write YYYY-MM-DD")
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a date as text, not {value!r}", field=field,
                              hint="write YYYY-MM-DD")
    return as_date(value, field)


def _id(value: Any, field: str) -> int:
    number = as_int(value, field)
    if number <= 0:
        raise ValidationError(f"{field} must be an id above zero, not {value!r}", field=field)
    return number


def _period(start: Any, end: Any) -> tuple[dt.date, dt.date]:
    first, last = _day(start, "start"), _day(end, "end")
    if last < first:
        raise ValidationError("the period ends before it starts", field="end",
                              hint="give an end on or after the start")
    return first, last


def manual_rows(value: Any) -> list:
    """JSON rows `{"account": 1930, "amount": -12550, "text": …}` (debit positive, credit
    negative, öre) as posting rows; the account's own VAT box applies."""
    from core.ledger.posting import Row

    if not isinstance(value, list):
        raise ValidationError("rows must be a list of objects", field="rows",
                              hint='e.g. [{"account": 6570, "amount": 12550}, '
                                   '{"account": 1930, "amount": -12550}]')
    out = []
    for i, row in enumerate(value):
        where = f"rows[{i}]"
        if not isinstance(row, dict):
            raise ValidationError(f"{where} must be an object", field=where)
        unknown = sorted(set(row) - set(ROW_KEYS))
        if unknown:
            raise ValidationError(f"a voucher row has no {unknown[0]!r}", field=f"{where}.{unknown[0]}",
                                  hint="it has: " + ", ".join(ROW_KEYS))
        for key in ("account", "amount"):
            if key not in row:
                raise ValidationError(f"{where} needs {key}", field=f"{where}.{key}")
        account = as_int(row["account"], f"{where}.account")
        amount = as_int(row["amount"], f"{where}.amount")
        text = _text(row.get("text"), f"{where}.text", optional=True)
        out.append(Row(account, amount, text=(text or "").strip() or None))
    return out


def _voucher(voucher) -> dict:
    return {"id": voucher.id, "ref": f"{voucher.series}{voucher.number}",
            "date": voucher.date.isoformat()}


# ------------------------------------------------------------------ vouchers

@command("ledger.post_manual", area=AREA)
def post_manual(session: Session, who: str, date: str, text: str, rows: list) -> dict:
    """Post a voucher typed by hand (series M); refused unless it balances to the öre."""
    from core.ledger.chart import seed_ledger
    from core.ledger.posting import post_manual as post

    on = _day(date, "date")
    title = _text(text, "text")
    draft = manual_rows(rows)
    seed_ledger(session)  # a shop's first voucher may be a manual one
    return _voucher(post(session, on, title, draft, who))


@command("ledger.reverse", area=AREA)
def reverse(session: Session, who: str, voucher_id: int, date: str, text: str | None = None) -> dict:
    """Post the mirror image of a voucher on `date` (a voucher is reversed once)."""
    from core.ledger.posting import get_voucher
    from core.ledger.posting import reverse as post_reverse

    vid, on = _id(voucher_id, "voucher_id"), _day(date, "date")
    title = _text(text, "text", optional=True)
    original = get_voucher(session, vid)
    result = _voucher(post_reverse(session, vid, on, who, title))
    result["reverses"] = f"{original.series}{original.number}"
    return result


@command("ledger.post_vat_settlement", area=AREA)
def post_vat_settlement(session: Session, who: str, start: str, end: str) -> dict:
    """Post the VAT settlement of [start, end] (series V): each VAT account moved to 2650."""
    from core.ledger.chart import seed_ledger
    from core.ledger.posting import post
    from core.ledger.vat_return import settlement_voucher

    first, last = _period(start, end)
    seed_ledger(session)
    return _voucher(post(session, settlement_voucher(session, first, last), who))


@command("ledger.post_pending", area=AREA)
def post_pending(session: Session, who: str) -> dict:
    """Post every document that has no voucher yet (what the server's ledger job does, now).

    The answer counts the vouchers posted and names up to 20 documents refused with why."""
    from core.ledger.autopost import post_pending as post_all

    result = post_all(session, who=who)
    failed = sorted(result.failed.items())
    return {"posted": len(result.posted), "failed": len(failed), "failures": dict(failed[:20])}


# ------------------------------------------------------------------ periods, years, chart

@command("ledger.lock_period", area=AREA)
def lock_period(session: Session, who: str, through: str) -> dict:
    """Close the books through `through` (the lock only moves forward)."""
    from core.ledger.periods import lock_period as lock

    return {"locked_through": lock(session, _day(through, "through"), who).locked_through}


@command("ledger.open_year", area=AREA)
def open_year(session: Session, who: str, start: str, end: str) -> dict:
    """Open a financial year [start, end] (at most 18 months, overlapping no other year)."""
    from core.ledger.periods import open_year as open_

    first, last = _period(start, end)
    year = open_(session, first, last)
    return {"id": year.id, "start": year.start_date, "end": year.end_date}


@command("ledger.save_account", area=AREA)
def save_account(session: Session, who: str, number: int, name: str, vat_box: str | None = None,
                 active: bool = True) -> dict:
    """Add an account to the chart or change its name, VAT box or whether it is in use."""
    from core.ledger.chart import save_account as save

    number = as_int(number, "number")
    name = _text(name, "name")
    vat_box = _text(vat_box, "vat_box", optional=True) or None
    if not isinstance(active, bool):
        raise ValidationError(f"active must be true or false, not {active!r}", field="active")
    account = save(session, number, name, vat_box, active)
    return {"number": account.number, "name": account.name, "vat_box": account.vat_box,
            "active": account.active}


@command("ledger.set_role", area=AREA)
def set_role(session: Session, who: str, role: str, account: int) -> dict:
    """Let an account play a role (e.g. the provider receivable on 1686 instead of 1580)."""
    from core.ledger.chart import roles
    from core.ledger.chart import set_role as set_

    set_(session, _text(role, "role"), as_int(account, "account"))
    return {"roles": roles(session)}


# ------------------------------------------------------------------ SIE

def _sie_bytes(data: Any) -> bytes:
    raw = _text(data, "data")
    if len(raw) > MAX_SIE_BYTES * 4 // 3 + 4:
        raise ValidationError("the SIE file is too large", field="data",
                              hint=f"at most {MAX_SIE_BYTES // (1024 * 1024)} MB")
    try:
        decoded = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("data is not base64", field="data",
                              hint="send the file's bytes base64-encoded") from None
    if not decoded:
        raise ValidationError("the SIE file is empty", field="data")
    return decoded


@command("ledger.import_sie", area=AREA)
def import_sie(session: Session, who: str, data: str) -> dict:
    """Import a SIE file's chart and opening balances (`data`: the file's bytes as base64);
    all or nothing."""
    from core.ledger.models import OpeningBalance
    from core.ledger.sie4_import import import_sie as import_
    from core.sync.changelog import log_change

    content = _sie_bytes(data)
    # the import replaces a year's opening balances with a bulk delete the change log cannot see:
    # note every balance there was, so one that is gone is logged as deleted for the replicas
    before = session.execute(select(OpeningBalance.financial_year_id, OpeningBalance.account)).all()
    result = import_(session, content)
    for year_id, account in before:
        log_change(session, "opening_balance", "delete",
                   {"financial_year_id": year_id, "account": account})
    return {"accounts_added": result.accounts_added, "accounts_renamed": result.accounts_renamed,
            "balances": result.balances, "year": list(result.year) if result.year else None}
