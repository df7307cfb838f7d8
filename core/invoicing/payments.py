"""Incoming payments by hand, from a Bankgirot BgMax file or a CSV file, matched on OCR or invoice number.

A file line is imported once (its key is the file's SHA-256 and the line number), so importing the
same file again changes nothing. A payment whose reference matches no invoice is kept unmatched
for a person to assign. An order whose invoices are all paid is closed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Conflict, NotFound, RowErrors, ValidationError
from core.invoicing.models import IncomingPayment, Invoice
from core.invoicing.ocr import is_valid_ocr
from core.invoicing.service import balance, get_invoice, refresh_settled
from core.money import check_currency, parse_amount
from core.orders import states
from core.orders.models import Order


@dataclass
class ImportResult:
    matched: list[IncomingPayment] = field(default_factory=list)
    unmatched: list[IncomingPayment] = field(default_factory=list)
    #: lines already imported from the same file before
    skipped: int = 0


def match_reference(session: Session, reference: str) -> Invoice | None:
    """The invoice a payer's reference points at: an exact OCR, else an invoice number."""
    digits = "".join(ch for ch in (reference or "") if ch.isdigit())
    if not digits:
        return None
    if is_valid_ocr(digits):
        found = session.scalar(select(Invoice).where(Invoice.ocr == digits,
                                                     Invoice.kind == "invoice"))
        if found is not None:
            return found
    if len(digits) > 18:
        return None
    return session.scalar(select(Invoice).where(Invoice.number == int(digits),
                                                Invoice.kind == "invoice"))


def _apply(session: Session, payment: IncomingPayment, invoice: Invoice, who: str) -> None:
    if invoice.kind != "invoice":
        raise ValidationError(f"{invoice.number} is a credit note; payments go to invoices",
                              field="invoice_id")
    if payment.currency != invoice.currency:
        raise ValidationError(f"payment in {payment.currency} cannot pay invoice {invoice.number} "
                              f"in {invoice.currency}", field="currency")
    payment.invoice_id = invoice.id
    invoice.paid_amount += payment.amount
    refresh_settled(session, invoice)
    if invoice.order_id:
        order = session.get(Order, invoice.order_id)
        states.log_event(session, order, who, "payment",
                         f"payment of {payment.amount} öre for invoice {invoice.number}")
        _close_if_paid(session, order, who)


def _close_if_paid(session: Session, order: Order, who: str) -> None:
    if order.status != "invoiced":
        return
    open_ = session.scalar(select(Invoice.id).where(
        Invoice.order_id == order.id, Invoice.kind == "invoice", Invoice.settled.is_(False)).limit(1))
    if open_ is None:
        states.move(session, order, "closed", who, "every invoice is paid")


def register_payment(session: Session, *, amount: int, paid_on: dt.date, who: str,
                     reference: str = "", invoice_id: str | None = None, currency: str = "SEK",
                     payer: str | None = None, source: str = "manual",
                     idem_key: str | None = None) -> IncomingPayment:
    """Record money received; matched to `invoice_id`, else by its reference, else left unmatched."""
    who = states.check_who(who)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0:
        raise ValidationError(f"a payment is a non-zero amount of öre, got {amount!r}",
                              field="amount")
    payment = IncomingPayment(paid_on=paid_on, amount=amount, currency=check_currency(currency),
                              reference=(reference or "").strip()[:100], payer=payer,
                              source=source, idem_key=idem_key, created_by=who)
    session.add(payment)
    invoice = get_invoice(session, invoice_id) if invoice_id else match_reference(session, reference)
    session.flush()
    if invoice is not None:
        _apply(session, payment, invoice, who)
    return payment


def assign_payment(session: Session, payment_id: str, invoice_id: str, who: str) -> IncomingPayment:
    """Match an unmatched payment to an invoice by hand."""
    payment = session.get(IncomingPayment, payment_id)
    if payment is None:
        raise NotFound(f"no payment {payment_id!r}", field="payment_id")
    if payment.invoice_id is not None:
        done = session.get(Invoice, payment.invoice_id)
        raise Conflict(f"the payment is already matched to invoice {done.number}",
                       field="payment_id")
    _apply(session, payment, get_invoice(session, invoice_id), states.check_who(who))
    return payment


def unmatched_payments(session: Session) -> list[IncomingPayment]:
    return list(session.scalars(select(IncomingPayment).where(IncomingPayment.invoice_id.is_(None))
                                .order_by(IncomingPayment.paid_on, IncomingPayment.created_at)))


def settle_provider(session: Session, invoice_id: str, paid_on: dt.date, who: str,
                    reference: str = "") -> IncomingPayment | None:
    """The provider (Klarna, Nets…) paid out an invoice it collected at checkout."""
    invoice = get_invoice(session, invoice_id)
    if not invoice.paid_by_provider:
        raise ValidationError(f"invoice {invoice.number} was not paid through a provider",
                              field="invoice_id", hint="register the customer's payment instead")
    if invoice.provider_settled_on is not None:
        raise Conflict(f"invoice {invoice.number} was settled by {invoice.paid_by_provider} on "
                       f"{invoice.provider_settled_on.isoformat()}", field="invoice_id")
    left = balance(session, invoice)
    invoice.provider_settled_on = paid_on
    if left == 0:
        refresh_settled(session, invoice)
        return None
    return register_payment(session, amount=left, paid_on=paid_on, who=who,
                            reference=reference or invoice.ocr, invoice_id=invoice.id,
                            currency=invoice.currency, payer=invoice.paid_by_provider,
                            source="provider")


# --- files -----------------------------------------------------------------------------------------

def _file_key(source: str, data: bytes, line: int) -> str:
    return f"{source}:{hashlib.sha256(data).hexdigest()}:{line}"


def _register_lines(session: Session, source: str, data: bytes,
                    rows: list[tuple[int, dt.date, int, str, str | None, str]], who: str) -> ImportResult:
    result = ImportResult()
    for line, paid_on, amount, reference, payer, currency in rows:
        key = _file_key(source, data, line)
        if session.scalar(select(IncomingPayment.id).where(IncomingPayment.idem_key == key)):
            result.skipped += 1
            continue
        payment = register_payment(session, amount=amount, paid_on=paid_on, who=who,
                                   reference=reference, payer=payer, source=source,
                                   idem_key=key, currency=currency)
        (result.matched if payment.invoice_id else result.unmatched).append(payment)
    return result


def parse_bgmax(data: bytes) -> list[tuple[int, dt.date, int, str, str | None, str]]:
    """Payments of a BgMax file: (line, date, öre, reference, payer name, currency).

    Layout (80-character records): 01 start (BGMAX), 05 opening (payee bankgiro, currency),
    20 payment (payer bankgiro 3–12, reference 13–37, amount in öre 38–55, reference code 56),
    26 name, 15 deposit (payment date 38–45) closing each section, 70 end. Deduction records
    (21) are payments back and come in negative.
    """
    text = data.decode("latin-1")
    lines = text.splitlines()
    if not lines or lines[0][:2] != "01" or lines[0][2:22].strip() != "BGMAX":
        raise ValidationError("not a BgMax file (the first record is not '01BGMAX')", field="file")
    out, section, errors = [], [], []
    currency = "SEK"
    for no, raw in enumerate(lines, start=1):
        rec = raw.ljust(80)
        code = rec[:2]
        try:
            if code == "05":
                currency = rec[22:25].strip() or "SEK"
                section = []
            elif code in ("20", "21"):
                amount = int(rec[37:55])
                section.append([no, None, -amount if code == "21" else amount,
                                rec[12:37].strip(), None, currency])
            elif code == "26" and section:
                section[-1][4] = rec[2:37].strip() or None
            elif code == "15":
                paid_on = dt.datetime.strptime(rec[37:45], "%Y%m%d").date()
                out += [(n, paid_on, a, r, p, c) for n, _d, a, r, p, c in section]
                section = []
        except ValueError as exc:
            errors.append((no, "record", f"record {code} cannot be read ({exc})"))
    if errors:
        raise RowErrors(errors)
    if section:
        raise ValidationError("the BgMax file ends without a deposit record (15)", field="file",
                              hint="the file is cut short; fetch it again")
    return out


def import_bgmax(session: Session, data: bytes, who: str) -> ImportResult:
    """Register every payment of a BgMax file once, matched on OCR or invoice number."""
    return _register_lines(session, "bgmax", data, parse_bgmax(data), who)


def parse_payments_csv(data: bytes) -> list[tuple[int, dt.date, int, str, str | None, str]]:
    """Rows of a CSV with header date;amount;reference[;payer][;currency] (',' or ';' separated)."""
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",")
    header = {h.strip().lower() for h in (reader.fieldnames or [])}
    missing = {"date", "amount", "reference"} - header
    if missing:
        raise ValidationError("the CSV lacks column(s) " + ", ".join(sorted(missing)),
                              field="header", hint="header: date;amount;reference;payer")
    out, errors = [], []
    for no, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        try:
            try:
                paid_on = dt.date.fromisoformat(row["date"])
            except ValueError:
                raise ValidationError(f"{row['date']!r} is not a date", field="date",
                                      hint="write YYYY-MM-DD") from None
            amount = parse_amount(row["amount"], field="amount")
            out.append((no, paid_on, amount, row["reference"], row.get("payer") or None,
                        check_currency(row.get("currency") or "SEK")))
        except ValidationError as exc:
            errors.append((no, exc.field or "", exc.message))
    if errors:
        raise RowErrors(errors)
    return out


def import_payments_csv(session: Session, data: bytes, who: str) -> ImportResult:
    """Register every row of a payments CSV once, matched on OCR or invoice number."""
    return _register_lines(session, "csv", data, parse_payments_csv(data), who)
