"""Posting vouchers: balanced to the öre, in an open period, numbered gap-free per series and year.

A posting rule builds a `VoucherDraft` (plain data); `post` checks and writes it in the caller's
unit of work and takes the series' next number there, so a rollback gives the number back.
A posted voucher is never changed: `reverse` posts its mirror image referencing it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, NotFound, ValidationError
from core.ledger.chart import VAT_BOXES
from core.ledger.models import Account, Voucher, VoucherRow, VoucherSeries
from core.ledger.periods import check_open, year_of
from core.money import format_amount
from core.numbering import next_number

#: a row's VAT box comes from its account's default
AUTO = "auto"


@dataclass(frozen=True, slots=True)
class Row:
    """One row to post: debit positive, credit negative, in öre SEK."""

    account: int
    amount: int
    vat_box: str | None = AUTO
    country: str | None = None
    rate_bp: int | None = None
    currency: str | None = None
    currency_amount: int | None = None
    text: str | None = None


@dataclass
class VoucherDraft:
    """A voucher before it is posted: what a posting rule returns."""

    series: str
    date: dt.date
    text: str
    rows: list[Row] = field(default_factory=list)
    source_type: str | None = None
    source_id: str | None = None
    #: the voucher this one reverses (set by `reverse`)
    reverses_id: int | None = None

    @property
    def imbalance(self) -> int:
        return sum(r.amount for r in self.rows)

    def amount_on(self, account: int) -> int:
        return sum(r.amount for r in self.rows if r.account == account)


def merged(rows: list[Row]) -> list[Row]:
    """Rows with the same account and tags added together; zero rows dropped; order kept."""
    out: dict[tuple, Row] = {}
    for r in rows:
        key = (r.account, r.vat_box, r.country, r.rate_bp, r.currency, r.text)
        if key in out:
            prev = out[key]
            cur = None if prev.currency_amount is None and r.currency_amount is None else \
                (prev.currency_amount or 0) + (r.currency_amount or 0)
            out[key] = replace(prev, amount=prev.amount + r.amount, currency_amount=cur)
        else:
            out[key] = r
    return [r for r in out.values() if r.amount or r.currency_amount]


def _check_rows(session: Session, draft: VoucherDraft) -> list[Row]:
    rows = [r for r in draft.rows if r.amount or r.currency_amount]
    if len(rows) < 2:
        raise ValidationError("a voucher needs at least two rows", field="rows")
    for r in rows:
        if isinstance(r.amount, bool) or not isinstance(r.amount, int):
            raise ValidationError(f"row amount {r.amount!r} is not whole öre", field="amount")
    if draft.imbalance:
        raise ValidationError(f"the voucher does not balance: debit − credit = "
                              f"{format_amount(draft.imbalance)} kr", field="rows",
                              hint="debits and credits must be equal to the öre")
    numbers = {r.account for r in rows}
    known = {a.number: a for a in session.scalars(select(Account).where(Account.number.in_(numbers)))}
    resolved = []
    for r in rows:
        account = known.get(r.account)
        if account is None:
            raise ValidationError(f"account {r.account} is not in the chart", field="account",
                                  hint="add the account to the chart first")
        if not account.active:
            raise ValidationError(f"account {r.account} {account.name} is inactive", field="account")
        box = account.vat_box if r.vat_box == AUTO else r.vat_box
        if box is not None and box not in VAT_BOXES:
            raise ValidationError(f"{box!r} is not a VAT return box", field="vat_box")
        resolved.append(replace(r, vat_box=box))
    return resolved


def post(session: Session, draft: VoucherDraft, who: str = "") -> Voucher:
    """Check and post `draft`; refuses an unbalanced voucher, a locked period, a second voucher
    for the same source document."""
    if not (draft.text or "").strip():
        raise ValidationError("a voucher needs a text", field="text")
    if session.get(VoucherSeries, draft.series) is None:
        raise ValidationError(f"no voucher series {draft.series!r}", field="series",
                              hint="seed the ledger or add the series")
    rows = _check_rows(session, draft)
    check_open(session, draft.date)
    if draft.source_type and find_by_source(session, draft.source_type, draft.source_id):
        raise Conflict(f"{draft.source_type} {draft.source_id} is already posted", field="source",
                       hint="a document is posted once; correct it with a reversal")
    year = year_of(session, draft.date)
    number = next_number(session, f"voucher_{draft.series.lower()}_{year.start_date:%Y%m%d}")
    voucher = Voucher(series=draft.series, financial_year_id=year.id, number=number,
                      date=draft.date, text=draft.text.strip()[:200], source_type=draft.source_type,
                      source_id=draft.source_id, reverses_id=draft.reverses_id, created_by=who)
    session.add(voucher)
    session.flush()
    session.add_all(VoucherRow(voucher_id=voucher.id, booked_on=draft.date, account=r.account,
                               amount=r.amount, vat_box=r.vat_box, country=r.country,
                               rate_bp=r.rate_bp, currency=r.currency,
                               currency_amount=r.currency_amount, text=r.text) for r in rows)
    session.flush()
    return voucher


def post_once(session: Session, draft: VoucherDraft, who: str = "") -> Voucher:
    """Post `draft` unless its source document is already posted; then return that voucher."""
    if draft.source_type:
        existing = find_by_source(session, draft.source_type, draft.source_id)
        if existing is not None:
            return existing
    return post(session, draft, who)


def post_manual(session: Session, on: dt.date, text: str, rows: list[Row], who: str,
                series: str = "M") -> Voucher:
    """A voucher entered by hand (balance checked like any other)."""
    return post(session, VoucherDraft(series, on, text, list(rows)), who)


def find_by_source(session: Session, source_type: str, source_id: str | None) -> Voucher | None:
    return session.scalars(select(Voucher).where(Voucher.source_type == source_type,
                                                 Voucher.source_id == source_id)).first()


def get_voucher(session: Session, voucher_id: int) -> Voucher:
    voucher = session.get(Voucher, voucher_id)
    if voucher is None:
        raise NotFound(f"no voucher with id {voucher_id}", field="voucher_id")
    return voucher


def rows_of(session: Session, voucher_id: int) -> list[VoucherRow]:
    return list(session.scalars(select(VoucherRow).where(VoucherRow.voucher_id == voucher_id)
                                .order_by(VoucherRow.id)))


def reverse(session: Session, voucher_id: int, on: dt.date, who: str,
            text: str | None = None) -> Voucher:
    """Post the mirror image of a voucher (same series, referencing it); a voucher is reversed once."""
    original = get_voucher(session, voucher_id)
    taken = session.scalars(select(Voucher).where(Voucher.reverses_id == original.id)).first()
    if taken is not None:
        raise Conflict(f"voucher {original.series}{original.number} is already reversed by "
                       f"{taken.series}{taken.number}", field="voucher_id")
    rows = [Row(r.account, -r.amount, r.vat_box, r.country, r.rate_bp, r.currency,
                None if r.currency_amount is None else -r.currency_amount, r.text)
            for r in rows_of(session, original.id)]
    draft = VoucherDraft(original.series, on, text or f"Rättelse av {original.series}"
                         f"{original.number}: {original.text}", rows, reverses_id=original.id)
    return post(session, draft, who)
