"""Bookkeeping that writes itself: find the documents no voucher posts yet and post each once.

`post_pending(session)` walks the other areas' documents in an order where what a posting
leans on comes first (an invoice before its payment and its provider's payout, a supplier
invoice before its payment): received Z-reports, issued invoices and credit notes, incoming
payments, provider settlements, supplier invoices, supplier payments, posted stock counts, and
(when asked for a day) the stock valuation. Each document is posted in its own savepoint, so one
that is refused (a locked period, a missing exchange rate) is reported and the rest still post;
the voucher's unique (source_type, source_id) makes a second run, or a run racing another
poster, post nothing twice. The caller commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field

from sqlalchemy import String, and_, cast, exists, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.errors import UserError
from core.ledger import adapters
from core.ledger.chart import seed_ledger
from core.ledger.models import Voucher, VoucherSeries

log = logging.getLogger("ledger.autopost")

#: documents handed out per kind and run, so a backlog never holds the write lock for long
BATCH = 500


@dataclass
class AutopostResult:
    """What one run did: keys ('invoice:5001') of the documents posted, and those refused with why."""

    posted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.posted)


def _unposted(source_type: str, source_id):
    """A WHERE clause: no voucher posts (source_type, source_id) yet (the unique index answers it)."""
    return ~exists().where(and_(Voucher.source_type == source_type, Voucher.source_id == source_id))


def _z_reports(session: Session, limit: int) -> Iterator[tuple[str, Callable]]:
    from core.sync.received import ReceivedZReport as Z

    source_id = Z.register_code + ":" + cast(Z.z_no, String)
    for row in session.scalars(select(Z).where(_unposted("z_report", source_id))
                               .order_by(Z.received_at, Z.id).limit(limit)):
        yield f"z_report:{row.register_code}:{row.z_no}", lambda who, r=row: adapters.post_z_report(
            session, r.body, who)


def _invoices(session: Session, limit: int) -> Iterator[tuple[str, Callable]]:
    from core.invoicing.models import Invoice

    for inv in session.scalars(select(Invoice).where(
            _unposted("invoice", cast(Invoice.number, String))).order_by(Invoice.number).limit(limit)):
        yield f"invoice:{inv.number}", lambda who, i=inv: adapters.post_invoice(session, i, who)


def _payments(session: Session, limit: int) -> Iterator[tuple[str, Callable]]:
    from core.invoicing.models import IncomingPayment as P

    for pay in session.scalars(select(P).where(
            P.source != "provider", P.invoice_id.is_not(None), _unposted("incoming_payment", P.id))
            .order_by(P.paid_on, P.created_at, P.id).limit(limit)):
        yield (f"incoming_payment:{pay.id}",
               lambda who, p=pay: adapters.post_payment(session, p, who))


def _settlements(session: Session, limit: int) -> Iterator[tuple[str, Callable]]:
    from core.integrations.models import ProviderSettlement as S

    for st in session.scalars(select(S).where(
            S.payout_date.is_not(None), _unposted("settlement", S.provider + ":" + S.payout_ref))
            .order_by(S.payout_date, S.id).limit(limit)):
        yield (f"settlement:{st.provider}:{st.payout_ref}",
               lambda who, x=st: adapters.post_settlement(session, x, who))


def _supplier_invoices(session: Session, limit: int) -> Iterator[tuple[str, Callable]]:
    from core.purchasing.models import SupplierInvoice as SI

    for inv in session.scalars(select(SI).where(_unposted("supplier_invoice", SI.id))
                               .order_by(SI.invoice_date, SI.created_at, SI.id).limit(limit)):
        yield (f"supplier_invoice:{inv.id}",
               lambda who, i=inv: adapters.post_supplier_invoice(session, i, who))


def _supplier_payments(session: Session, limit: int) -> Iterator[tuple[str, Callable]]:
    from core.purchasing.models import SupplierInvoice as SI

    for inv in session.scalars(select(SI).where(
            SI.status == "paid", SI.paid_on.is_not(None), _unposted("supplier_payment", SI.id))
            .order_by(SI.paid_on, SI.id).limit(limit)):
        yield (f"supplier_payment:{inv.id}",
               lambda who, i=inv: adapters.post_supplier_payment(session, i, who))


def _stock_counts(session: Session, limit: int) -> Iterator[tuple[str, Callable]]:
    from core.inventory.ops_models import StockCount as C

    # a count that moved no value gets no voucher, so it is not looked for again
    for count in session.scalars(select(C).where(
            C.status == "posted", C.posted_at.is_not(None), C.value_change.is_not(None),
            C.value_change != 0, _unposted("stock_count", cast(C.id, String)))
            .order_by(C.posted_at, C.id).limit(limit)):
        yield (f"stock_count:{count.id}",
               lambda who, c=count: adapters.post_stock_count(session, c, who))


#: in posting order: a payment leans on its invoice's voucher, a payout on the invoices it settles
FINDERS = (_z_reports, _invoices, _payments, _settlements, _supplier_invoices, _supplier_payments,
           _stock_counts)


def pending(session: Session, limit: int = BATCH) -> list[str]:
    """Keys of the documents not posted yet (at most `limit` per kind), without posting anything."""
    return [key for finder in FINDERS for key, _ in finder(session, limit)]


def post_stock_valuation(session: Session, on: dt.date, who: str = "system") -> Voucher | None:
    """Bring the stock account to the stock's value at average cost, dated `on` (once per day);
    None when the book value already agrees."""
    from core.ledger import rules
    from core.ledger.chart import roles
    from core.ledger.posting import find_by_source, post_once

    done = find_by_source(session, "stock_valuation", on.isoformat())
    if done is not None:
        return done
    facts = adapters.stock_valuation_facts(session, on)
    if facts.stock_value == facts.book_value:
        return None
    return post_once(session, rules.stock_valuation_voucher(facts, roles(session)), who)


def post_pending(session: Session, *, who: str = "system", skip: Container[str] = (),
                 limit: int = BATCH, valuation_on: dt.date | None = None) -> AutopostResult:
    """Post every document that has no voucher yet (keys in `skip` are left alone); the caller commits.

    Returns the keys posted and, for each document refused, the reason (it stays pending and is
    tried again on the next run). `valuation_on` also posts the stock valuation on that day.
    """
    if session.get(VoucherSeries, "A") is None:  # a fresh database: the BAS chart and the series
        seed_ledger(session)
    result = AutopostResult()
    # a voucher with a higher id than any before the run was posted by this run (post_once hands
    # back the existing voucher of a document another poster got to first)
    before = session.scalar(select(func.max(Voucher.id))) or 0
    for finder in FINDERS:
        for key, post in list(finder(session, limit)):
            if key not in skip:
                _attempt(session, key, lambda p=post: p(who), before, result)
    if valuation_on is not None:
        key = f"stock_valuation:{valuation_on.isoformat()}"
        if key not in skip:
            _attempt(session, key, lambda: post_stock_valuation(session, valuation_on, who),
                     before, result)
    return result


def _attempt(session: Session, key: str, post: Callable, before: int,
             result: AutopostResult) -> None:
    savepoint = session.begin_nested()
    try:
        voucher = post()
        session.flush()
    except (UserError, SQLAlchemyError, KeyError, ValueError, TypeError) as exc:
        # a refusal, or a malformed document (a Z body missing a field): it stays pending
        savepoint.rollback()
        text = (str(exc).splitlines() or [""])[0]
        if not isinstance(exc, UserError):
            text = f"{type(exc).__name__}: {text}"
        result.failed[key] = text[:300]
        log.debug("%s not posted: %s", key, result.failed[key])
        return
    savepoint.commit()
    if voucher is not None and voucher.id > before:
        result.posted.append(key)
